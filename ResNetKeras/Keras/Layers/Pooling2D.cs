using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>Shared argument handling and shape rules of the 2-D pooling layers (Keras's <c>Pooling2D</c> base).</summary>
public abstract class Pooling2D : Layer
{
    /// <summary>strides null means strides = poolSize, as in Keras.</summary>
    protected Pooling2D(IntPair? poolSize, IntPair? strides, string padding, string? name) : base(name)
    {
        PoolSize = (poolSize ?? (2, 2)).Positive(Name, "pool_size");
        Strides = (strides ?? PoolSize).Positive(Name, "strides");
        Padding = Conv2D.NormalizePadding(padding);
    }

    /// <summary>Window.</summary>
    public IntPair PoolSize { get; }
    /// <summary>Strides.</summary>
    public IntPair Strides { get; }
    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 4) throw ShapeError("ndim=4 (batch, height, width, channels)", s);
        int Out(int n, int k, int st)
        {
            if (Padding == "same") return (n + st - 1) / st;
            if (n < k) throw new ArgumentException($"Layer \"{Name}\": pool size ({PoolSize.First}, {PoolSize.Second}) is larger than the input of shape {KerasTensor.FormatShape(s)} with padding \"valid\".", "inputs");
            return (n - k) / st + 1;
        }
        return [s[0], Out(s[1], PoolSize.First, Strides.First), Out(s[2], PoolSize.Second, Strides.Second), s[3]];
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["pool_size"] = PoolSize.ToList();
        c["padding"] = Padding;
        c["strides"] = Strides.ToList();
        c["data_format"] = "channels_last";
        return c;
    }
}
