using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.Reshape(target_shape)</c>: the same elements per sample in <see cref="TargetShape"/> (one entry may be -1).</summary>
public sealed class Reshape : Layer
{
    /// <summary>Keras's signature; the target shape excludes the batch axis.</summary>
    public Reshape(int[] targetShape, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(targetShape);
        if (targetShape.Count(d => d == -1) > 1)
            throw new ArgumentException($"The `target_shape` argument must not contain more than one `-1` value. Received: target_shape={KerasTensor.FormatShape(targetShape)}", nameof(targetShape));
        if (targetShape.Any(d => d < -1))
            throw new ArgumentException($"Invalid value for argument `target_shape`. Expected non-negative dimensions or one -1. Received: target_shape={KerasTensor.FormatShape(targetShape)}", nameof(targetShape));
        TargetShape = (int[])targetShape.Clone();
    }

    /// <summary>The per-sample output shape as given.</summary>
    public int[] TargetShape { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var sample = inputShapes[0][1..];
        if (sample.Any(d => d < 0)) return [inputShapes[0][0], .. TargetShape];
        long size = sample.Aggregate(1L, (p, d) => p * d);
        long known = TargetShape.Where(d => d != -1).Aggregate(1L, (p, d) => p * d);
        if (!TargetShape.Contains(-1))
        {
            if (known != size)
                throw new ArgumentException($"The total size of the tensor must be unchanged. Received: input_shape={KerasTensor.FormatShape(sample)}, target_shape={KerasTensor.FormatShape(TargetShape)}", "inputs");
            return [inputShapes[0][0], .. TargetShape];
        }
        if (known == 0 || size % known != 0)
            throw new ArgumentException($"The total size of the tensor must be unchanged, however, the input size cannot by divided by the specified dimensions in target_shape. Received: input_shape={KerasTensor.FormatShape(sample)}, target_shape={KerasTensor.FormatShape(TargetShape)}", "inputs");
        return [inputShapes[0][0], .. TargetShape.Select(d => d == -1 ? (int)(size / known) : d)];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Op.Reshape(inputs[0], [inputs[0].Dim(0), .. ResolvedTarget(inputs[0])]);

    private int[] ResolvedTarget(Tensor x)
    {
        int per = x.Dim(0) == 0 ? 0 : x.Size / x.Dim(0);
        int known = TargetShape.Where(d => d != -1).Aggregate(1, (p, d) => p * d);
        return TargetShape.Select(d => d == -1 ? (known == 0 ? 0 : per / known) : d).ToArray();
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["target_shape"] = TargetShape;
        return c;
    }

    /// <summary>The layer a config describes.</summary>
    public static Reshape FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var c = new LayerConfig(config);
        return new Reshape(c.Ints("target_shape") ?? throw new InvalidDataException("layer config: Reshape needs `target_shape`."), c.Name);
    }
}
