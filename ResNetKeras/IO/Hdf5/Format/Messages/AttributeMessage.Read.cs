namespace ResNetKeras.IO.Hdf5;

internal sealed partial class AttributeMessage
{
    public static AttributeMessage Read(H5Cursor c)
    {
        byte version = c.Version(1, 2, 3);
        byte flags = c.U8();
        if (version >= 2 && (flags & 3) != 0) throw c.Error("attributes with shared datatypes or dataspaces are not supported.");
        int nameSize = c.U16(), typeSize = c.U16(), spaceSize = c.U16();
        if (version == 3) c.U8(); // name character set
        ulong origin = c.Start;
        bool pad = version == 1;
        if (nameSize == 0) throw c.Error("attribute name is empty.");
        var nameField = c.Sub((ulong)nameSize, "attribute name");
        string name = nameField.CString((ulong)nameSize);
        if (pad) c.Align(origin, 8);
        var type = DatatypeMessage.Read(c.Sub((ulong)typeSize, $"datatype of attribute '{name}'"));
        if (pad) c.Align(origin, 8);
        var space = DataspaceMessage.Read(c.Sub((ulong)spaceSize, $"dataspace of attribute '{name}'"));
        if (pad) c.Align(origin, 8);
        return new AttributeMessage { Name = name, Type = type, Space = space, DataStart = c.Position, DataEnd = c.End };
    }
}
