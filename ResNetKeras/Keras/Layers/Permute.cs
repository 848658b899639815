using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.Permute(dims)</c>: permutes the non-batch axes; dims are 1-based, as in Keras.</summary>
public sealed class Permute : Layer
{
    /// <summary>Keras's signature: a permutation of 1..rank−1.</summary>
    public Permute(int[] dims, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (!dims.OrderBy(d => d).SequenceEqual(Enumerable.Range(1, dims.Length)))
            throw new ArgumentException($"Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be consecutive and start from 1. Received dims={KerasTensor.FormatShape(dims)}", nameof(dims));
        Dims = (int[])dims.Clone();
    }

    /// <summary>The 1-based permutation of the non-batch axes.</summary>
    public int[] Dims { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != Dims.Length + 1) throw ShapeError($"ndim={Dims.Length + 1}", s);
        return [s[0], .. Dims.Select(d => s[d])];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Op.Transpose(inputs[0], [0, .. Dims]);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["dims"] = Dims;
        return c;
    }

    /// <summary>The layer a config describes.</summary>
    public static Permute FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var c = new LayerConfig(config);
        return new Permute(c.Ints("dims") ?? throw new InvalidDataException("layer config: Permute needs `dims`."), c.Name);
    }
}
