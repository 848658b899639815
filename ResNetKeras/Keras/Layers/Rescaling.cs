using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.Rescaling(scale, offset=0.0)</c>: inputs·scale + offset (scalar scale and offset).</summary>
public sealed class Rescaling : Layer
{
    /// <summary>Keras's signature and default.</summary>
    public Rescaling(double scale, double offset = 0.0, string? name = null) : base(name)
    {
        if (!double.IsFinite(scale)) throw new ArgumentException($"Invalid value for argument `scale`. Expected a finite number. Received scale={Callback.PyStr(scale)}.", nameof(scale));
        if (!double.IsFinite(offset)) throw new ArgumentException($"Invalid value for argument `offset`. Expected a finite number. Received offset={Callback.PyStr(offset)}.", nameof(offset));
        Scale = scale;
        Offset = offset;
    }

    /// <summary>The factor.</summary>
    public double Scale { get; }
    /// <summary>The shift added after scaling.</summary>
    public double Offset { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        return inputShapes[0];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Op.ScaleOffset(inputs[0], (float)Scale, (float)Offset);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["scale"] = Scale;
        c["offset"] = Offset;
        return c;
    }

    /// <summary>The layer a config describes (per-channel scale lists are not supported).</summary>
    public static Rescaling FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var c = new LayerConfig(config);
        if (c.Has("scale") && !c.IsNumber("scale"))
            throw new InvalidDataException("layer config: Rescaling supports a scalar `scale` only.");
        return new Rescaling(c.Num("scale", 1.0), c.Num("offset", 0.0), c.Name);
    }
}
