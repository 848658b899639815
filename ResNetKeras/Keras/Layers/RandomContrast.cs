using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.RandomContrast(factor, value_range=(0, 255), seed=None)</c>: in training, each image's channels are
/// pulled towards or pushed from their mean by a factor uniform in [1 − lower, 1 + upper] (a float f means lower =
/// upper = f), then clipped to <c>value_range</c>; identity in inference.
/// </summary>
public sealed class RandomContrast : BaseImagePreprocessingLayer
{
    /// <summary>Keras's signature with its defaults.</summary>
    public RandomContrast(FactorRange factor, (double Low, double High)? valueRange = null, uint? seed = null, string? name = null) : base(seed, name)
    {
        if (factor.Lower < 0 || factor.Upper < 0 || factor.Lower > 1)
            throw new ArgumentException($"`factor` argument cannot have negative values or values greater than 1. Received: factor={(factor.IsScalar ? factor.Lower.ToString() : $"({factor.Lower}, {factor.Upper})")}", nameof(factor));
        Factor = factor;
        ValueRange = valueRange ?? (0, 255);
        if (!(ValueRange.Low < ValueRange.High))
            throw new ArgumentException($"Invalid value for argument `value_range`. Expected (low, high) with low < high. Received value_range=({ValueRange.Low}, {ValueRange.High}).", nameof(valueRange));
    }

    /// <summary>Contrast range.</summary>
    public FactorRange Factor { get; }
    /// <summary>Range the outputs are clipped to.</summary>
    public (double Low, double High) ValueRange { get; }

    /// <inheritdoc/>
    protected override Tensor Augment(Tensor images)
    {
        int n = images.Dim(0);
        var f = new float[n];
        for (int b = 0; b < n; b++) f[b] = (float)Uniform(1 - Factor.Lower, 1 + Factor.Upper);
        return Op.AdjustContrast(images, Upload(images, f, n), (float)ValueRange.Low, (float)ValueRange.High);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["factor"] = Factor.ToConfig();
        c["value_range"] = new object[] { ValueRange.Low, ValueRange.High };
        return c;
    }

    /// <summary>The layer from its Keras config.</summary>
    internal static RandomContrast FromConfig(LayerConfigReader c)
    {
        (double, double)? range = null;
        if (c.Json.TryGetProperty("value_range", out var v) && v.ValueKind == System.Text.Json.JsonValueKind.Array && v.GetArrayLength() == 2)
            range = (v[0].GetDouble(), v[1].GetDouble());
        return new RandomContrast(FactorRange.FromConfig(c, "factor") ?? 0.0, range, SeedFrom(c), c.Name);
    }
}
