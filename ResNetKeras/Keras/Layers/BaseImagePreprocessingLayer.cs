using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// Base of Keras 3's random image augmentation layers (<c>keras.layers.RandomFlip</c>, ...): NHWC batches, active only
/// in training, identity in inference. Per-image parameters (a batch-sized handful of numbers) are drawn from the
/// layer's own generator, seeded like Keras's <c>SeedGenerator</c>, and the per-pixel work runs on the device.
/// </summary>
public abstract class BaseImagePreprocessingLayer : Layer
{
    private readonly RandomState rng;

    /// <summary>A layer drawing from <paramref name="seed"/> (a fresh seed when null).</summary>
    protected BaseImagePreprocessingLayer(uint? seed, string? name) : base(name)
    {
        Seed = seed;
        rng = new RandomState(seed ?? Backend.NextSeed());
    }

    /// <summary>Seed, if given.</summary>
    public uint? Seed { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 4) throw ShapeError("ndim=4 (batch, height, width, channels)", s);
        return s;
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var x = inputs[0];
        if (!training) return x;
        if (x.Rank != 4) throw ShapeError("ndim=4 (batch, height, width, channels)", x.Shape);
        return Augment(x);
    }

    /// <summary>The training-time transformation of a batch.</summary>
    protected abstract Tensor Augment(Tensor images);

    /// <summary>One uniform draw in [lower, upper).</summary>
    protected double Uniform(double lower, double upper)
    {
        lock (rng) return rng.Uniform(lower, upper);
    }

    /// <summary>Per-image parameters on the images' device.</summary>
    protected static Tensor Upload(Tensor like, float[] values, params int[] shape)
    {
        var storage = like.Device.Allocate(values.Length);
        like.Device.CopyFromHost(values, storage);
        return new Tensor(storage, shape.Length == 0 && values.Length != 1 ? [values.Length] : shape);
    }

    internal static string CheckFillMode(string fillMode) => fillMode is "reflect" or "wrap" or "constant" or "nearest" ? fillMode
        : throw new ArgumentException($"Unknown `fill_mode` {fillMode}. Expected of one {{\"reflect\", \"wrap\", \"constant\", \"nearest\"}}.", nameof(fillMode));

    internal static string CheckInterpolation(string interpolation) => interpolation is "bilinear" or "nearest" ? interpolation
        : throw new ArgumentException($"Invalid value for argument `interpolation`. Expected one of {{\"bilinear\", \"nearest\"}}. Received interpolation={interpolation}.", nameof(interpolation));

    /// <summary>The (lower, upper) reading of a factor, checked as Keras checks it.</summary>
    internal static (double Lower, double Upper) CheckRange(string param, FactorRange factor, double min, double max)
    {
        var (lo, hi) = factor.Symmetric();
        if (hi < lo)
            throw new ArgumentException($"`{param}` cannot have upper bound less than lower bound. Received: {param}=({factor.Lower}, {factor.Upper})", param);
        if (lo < min || hi > max)
            throw new ArgumentException($"`{param}` argument must have values between [{min}, {max}]. Received: {param}={(factor.IsScalar ? factor.Lower.ToString() : $"({factor.Lower}, {factor.Upper})")}", param);
        return (lo, hi);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["seed"] = Seed;
        return c;
    }

    internal static uint? SeedFrom(LayerConfigReader c) => c.Has("seed") ? (uint)c.Num("seed", 0) : null;
}
