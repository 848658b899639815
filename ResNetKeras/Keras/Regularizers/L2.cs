using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.regularizers.L2(l2=0.01)</c>: penalty l2·Σw² (no ½), gradient 2·l2·w.</summary>
public sealed class L2 : Regularizer
{
    /// <summary>Keras's default factor is 0.01.</summary>
    public L2(double l2 = 0.01)
    {
        if (!(l2 >= 0) || double.IsInfinity(l2))
            throw new ArgumentException($"Invalid value for argument `l2`. Expected a non-negative finite float. Received l2={l2}.", nameof(l2));
        Factor = (float)l2;
    }

    /// <summary>The factor, float32 as Keras casts it.</summary>
    public float Factor { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor weights) => Op.L2Penalty(weights, Factor);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["l2"] = (double)Factor };
}
