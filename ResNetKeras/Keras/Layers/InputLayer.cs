using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>The layer behind <see cref="Layers.Input"/> (<c>keras.layers.InputLayer</c>), named <c>input_1</c>, <c>input_2</c>, ...</summary>
public sealed class InputLayer : Layer
{
    /// <summary>An input of per-sample <paramref name="shape"/>.</summary>
    public InputLayer(int[] shape, string? name = null, int? batchSize = null)
        : base(name ?? Backend.UniqueName("input", zeroBased: false))
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (int d in shape)
            if (d <= 0)
                throw new ArgumentException($"Invalid value for argument `shape`. Expected strictly positive dimensions. Received shape={KerasTensor.FormatShape(shape)}.", nameof(shape));
        if (batchSize is <= 0)
            throw new ArgumentException($"Invalid value for argument `batchSize`. Expected a strictly positive value. Received batchSize={batchSize}.", nameof(batchSize));
        batchShape = [batchSize ?? -1, .. shape];
        var node = new Node(this, [], 0);
        node.Output = new KerasTensor(batchShape, node);
        InboundNodes.Add(node);
    }

    private readonly int[] batchShape;

    /// <summary>Shape including the batch axis (-1 when unknown); a copy.</summary>
    public int[] BatchShape => (int[])batchShape.Clone();

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes) => BatchShape;

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => inputs[0];

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["batch_input_shape"] = batchShape.Select(d => d < 0 ? (object?)null : d).ToArray(),
        ["dtype"] = "float32",
        ["sparse"] = false,
        ["ragged"] = false,
        ["name"] = Name,
    };
}
