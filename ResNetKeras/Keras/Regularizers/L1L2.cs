using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.regularizers.L1L2(l1=0.0, l2=0.0)</c>: penalty l1·Σ|w| + l2·Σw².</summary>
public sealed class L1L2 : Regularizer
{
    /// <summary>Keras's defaults are 0 for both (the <c>"l1_l2"</c> identifier uses 0.01 for both).</summary>
    public L1L2(double l1 = 0.0, double l2 = 0.0)
    {
        if (!(l1 >= 0) || double.IsInfinity(l1))
            throw new ArgumentException($"Invalid value for argument `l1`. Expected a non-negative finite float. Received l1={l1}.", nameof(l1));
        if (!(l2 >= 0) || double.IsInfinity(l2))
            throw new ArgumentException($"Invalid value for argument `l2`. Expected a non-negative finite float. Received l2={l2}.", nameof(l2));
        L1Factor = (float)l1;
        L2Factor = (float)l2;
    }

    /// <summary>The L1 factor (float32).</summary>
    public float L1Factor { get; }

    /// <summary>The L2 factor (float32).</summary>
    public float L2Factor { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor weights)
    {
        // Keras adds only the terms whose factor is non-zero.
        if (L1Factor == 0) return Op.L2Penalty(weights, L2Factor);
        if (L2Factor == 0) return L1.Penalty(weights, L1Factor);
        return Op.Add(L1.Penalty(weights, L1Factor), Op.L2Penalty(weights, L2Factor));
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["l1"] = (double)L1Factor, ["l2"] = (double)L2Factor };
}
