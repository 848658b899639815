using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// A symbolic tensor of a functional model (Keras's <c>KerasTensor</c>): a shape whose first axis is the
/// unknown batch size, and the layer call that produced it. Calling a layer on it builds the graph.
/// </summary>
public sealed class KerasTensor
{
    private readonly int[] shape;

    internal KerasTensor(int[] shape, Node? node)
    {
        // A private copy: callers (Predict, user code) may fill in the batch axis of what they read.
        this.shape = (int[])shape.Clone();
        Node = node;
    }

    /// <summary>Shape (a copy); -1 marks an unknown dimension (Keras's None), always the batch axis.</summary>
    public int[] Shape => (int[])shape.Clone();

    /// <summary>Number of axes including the batch axis.</summary>
    public int Rank => shape.Length;

    /// <summary>The layer call that produced this tensor.</summary>
    internal Node? Node { get; set; }

    /// <summary>The layer that produced this tensor.</summary>
    public Layer? Layer => Node?.Layer;

    /// <summary>Python tuple text of the shape, with None for unknown dimensions: <c>(None, 32, 32, 16)</c>.</summary>
    public string ShapeText => FormatShape(shape);

    internal static string FormatShape(int[] shape)
    {
        var parts = shape.Select(d => d < 0 ? "None" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return parts.Length == 1 ? $"({parts[0]},)" : "(" + string.Join(", ", parts) + ")";
    }

    /// <inheritdoc/>
    public override string ToString() => $"KerasTensor(shape={ShapeText}, created by layer '{Layer?.Name}')";
}
