namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Attribute message 0x000C (spec IV.A.2.m), versions 1 to 3: name, datatype, dataspace and the raw value. Stored
/// in the object header, or as fractal heap objects when the object's attributes are dense.
/// </summary>
internal sealed partial class AttributeMessage
{
    public string Name { get; init; } = "";

    public DatatypeMessage Type { get; init; } = null!;

    public DataspaceMessage Space { get; init; } = null!;

    /// <summary>Physical range of the raw value.</summary>
    public ulong DataStart { get; init; }

    public ulong DataEnd { get; init; }
}
