using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.RepeatVector(n)</c>: (batch, features) → (batch, n, features).</summary>
public sealed class RepeatVector : Layer
{
    /// <summary>Keras's signature.</summary>
    public RepeatVector(int n, string? name = null) : base(name)
    {
        if (n <= 0) throw new ArgumentException($"Invalid value for argument `n`. Expected a strictly positive value. Received n={n}.", nameof(n));
        N = n;
    }

    /// <summary>Repetitions.</summary>
    public int N { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 2) throw ShapeError("ndim=2", s);
        return [s[0], N, s[1]];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Op.RepeatVector(inputs[0], N);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["n"] = N;
        return c;
    }

    /// <summary>The layer a config describes.</summary>
    public static RepeatVector FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var c = new LayerConfig(config);
        return new RepeatVector(c.Int("n"), c.Name);
    }
}
