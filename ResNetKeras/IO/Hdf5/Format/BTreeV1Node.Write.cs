namespace ResNetKeras.IO.Hdf5;

internal sealed partial class BTreeV1Node
{
    /// <summary>
    /// Writes a group node with room for 2K entries. <paramref name="keys"/> has one more element than
    /// <paramref name="children"/>: key i is the name offset of the largest name left of child i (key 0 is the empty name).
    /// </summary>
    public static ulong WriteGroupNode(H5ByteWriter w, int level, int k, IReadOnlyList<ulong> children, IReadOnlyList<ulong> keys)
    {
        if (children.Count > 2 * k || keys.Count != children.Count + 1) throw new InvalidOperationException("group B-tree node overflow.");
        ulong at = w.Align8();
        w.Ascii("TREE");
        w.U8(GroupNode);
        w.U8((byte)level);
        w.U16(children.Count);
        w.U64(H5FileImage.Undefined);
        w.U64(H5FileImage.Undefined);
        for (int i = 0; i < children.Count; i++)
        {
            w.U64(keys[i]);
            w.U64(children[i]);
        }
        w.U64(keys[children.Count]);
        w.Zeros(GroupNodeSize(k) - (24 + children.Count * 16 + 8));
        return at;
    }
}
