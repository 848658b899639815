using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.optimizers.Lion</c> (defaults lr 0.001, β1 0.9, β2 0.99): θ ← θ − lr·sign(β1·m + (1 − β1)·g), then
/// m ← β2·m + (1 − β2)·g. Slot: momentum.
/// </summary>
public sealed class Lion : Optimizer
{
    /// <summary>Keras 3's signature with its defaults and a float learning rate.</summary>
    public Lion(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.99,
        double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "lion")
        : base(name, learningRate, null, new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        if (!(beta1 > 0 && beta1 <= 1)) throw new ArgumentException($"Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates to SignSGD. Received: beta_1={beta1}.", nameof(beta1));
        if (!(beta2 >= 0 && beta2 <= 1)) throw new ArgumentException($"Invalid value for argument `beta_2`. Expected a float in [0, 1]. Received: beta_2={beta2}", nameof(beta2));
        Beta1 = beta1; Beta2 = beta2;
    }

    /// <summary>Keras 3's signature with a learning-rate schedule evaluated at each step.</summary>
    public Lion(LearningRateSchedule learningRate, double beta1 = 0.9, double beta2 = 0.99,
        double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "lion")
        : base(name, 0, learningRate ?? throw new ArgumentNullException(nameof(learningRate)), new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        if (!(beta1 > 0 && beta1 <= 1)) throw new ArgumentException($"Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates to SignSGD. Received: beta_1={beta1}.", nameof(beta1));
        if (!(beta2 >= 0 && beta2 <= 1)) throw new ArgumentException($"Invalid value for argument `beta_2`. Expected a float in [0, 1]. Received: beta_2={beta2}", nameof(beta2));
        Beta1 = beta1; Beta2 = beta2;
    }

    /// <summary>β1, the interpolation of momentum and gradient inside the sign.</summary>
    public double Beta1 { get; }
    /// <summary>β2, the momentum's decay.</summary>
    public double Beta2 { get; }

    /// <inheritdoc/>
    protected override string[] SlotNames => ["momentum"];

    /// <inheritdoc/>
    protected override void Update(Variable variable, Tensor gradient) =>
        variable.Value.Device.LionUpdate(variable.Value.Storage, gradient.Storage, Slots(variable)[0].Value.Storage, (float)LearningRate, (float)Beta1, (float)Beta2);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = BaseConfig();
        c["beta_1"] = Beta1; c["beta_2"] = Beta2;
        return c;
    }
}
