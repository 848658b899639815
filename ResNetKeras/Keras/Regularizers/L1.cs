using ResNetKeras.Engine;
using ResNetKeras.Kernels;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.regularizers.L1(l1=0.01)</c>: penalty l1·Σ|w|, gradient l1·sign(w).</summary>
public sealed class L1 : Regularizer
{
    /// <summary>Keras's default factor is 0.01.</summary>
    public L1(double l1 = 0.01)
    {
        if (!(l1 >= 0) || double.IsInfinity(l1))
            throw new ArgumentException($"Invalid value for argument `l1`. Expected a non-negative finite float. Received l1={l1}.", nameof(l1));
        Factor = (float)l1;
    }

    /// <summary>The factor, float32 as Keras casts it.</summary>
    public float Factor { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor weights) => Penalty(weights, Factor);

    /// <summary>l·Σ|w| on the device (shared with <see cref="L1L2"/>).</summary>
    internal static Tensor Penalty(Tensor weights, float factor) => Op.Scale(Op.Sum(Op.Activation(UnaryKind.Abs, weights)), factor);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["l1"] = (double)Factor };
}
