using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.optimizers.Adamax</c> (defaults lr 0.001, β1 0.9, β2 0.999, ε 1e-7): m ← m + (g − m)(1 − β1),
/// u ← max(β2·u, |g|), θ ← θ − lr·m/((1 − β1^t)(u + ε)). Slots: momentum and norm, created variable by variable as
/// Keras 3's <c>add_optimizer_variables(vars, ["momentum", "norm"])</c>.
/// </summary>
public sealed class Adamax : Optimizer
{
    /// <summary>Keras 3's signature with its defaults and a float learning rate.</summary>
    public Adamax(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
        double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "adamax")
        : base(name, learningRate, null, new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        (Beta1, Beta2, Epsilon) = CheckMoments(beta1, beta2, epsilon);
    }

    /// <summary>Keras 3's signature with a learning-rate schedule evaluated at each step.</summary>
    public Adamax(LearningRateSchedule learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
        double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "adamax")
        : base(name, 0, learningRate ?? throw new ArgumentNullException(nameof(learningRate)), new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        (Beta1, Beta2, Epsilon) = CheckMoments(beta1, beta2, epsilon);
    }

    /// <summary>β1.</summary>
    public double Beta1 { get; }
    /// <summary>β2.</summary>
    public double Beta2 { get; }
    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override string[] SlotNames => ["momentum", "norm"];

    /// <inheritdoc/>
    private protected override int InterleavedSlotKinds => 2;

    /// <inheritdoc/>
    protected override void Update(Variable variable, Tensor gradient)
    {
        var s = Slots(variable);
        float beta1Power = MathF.Pow((float)Beta1, Iterations + 1);
        variable.Value.Device.AdamaxUpdate(variable.Value.Storage, gradient.Storage, s[0].Value.Storage, s[1].Value.Storage,
            (float)LearningRate, (float)(1 - Beta1), (float)Beta2, 1 - beta1Power, (float)Epsilon);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = BaseConfig();
        c["beta_1"] = Beta1; c["beta_2"] = Beta2; c["epsilon"] = Epsilon;
        return c;
    }
}
