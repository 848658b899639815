using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.ELU(alpha=1.0)</c>: x for x &gt; 0, α·(e^x − 1) otherwise.</summary>
public sealed class ELU : Layer
{
    /// <summary>Keras's signature and default.</summary>
    public ELU(double alpha = 1.0, string? name = null) : base(name)
    {
        if (double.IsNaN(alpha)) throw new ArgumentException("Invalid value for argument `alpha`. Expected a number. Received alpha=nan.", nameof(alpha));
        Alpha = alpha;
    }

    /// <summary>Scale of the negative part.</summary>
    public double Alpha { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        return inputShapes[0];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Op.Elu(inputs[0], (float)Alpha);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["alpha"] = Alpha;
        return c;
    }

    /// <summary>The layer a config describes.</summary>
    public static ELU FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var c = new LayerConfig(config);
        return new ELU(c.Num("alpha", 1.0), c.Name);
    }
}
