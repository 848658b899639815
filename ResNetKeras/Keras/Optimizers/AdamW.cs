using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.optimizers.AdamW</c> (defaults lr 0.001, weight decay 0.004, β1 0.9, β2 0.999, ε 1e-7): Keras 3's Adam
/// step after the decoupled decay θ ← θ − θ·wd·lr. Slots: momentum and velocity variable by variable, then velocity_hat with AMSGrad (Keras 3's order).
/// </summary>
public sealed class AdamW : Optimizer
{
    /// <summary>Keras 3's signature with its defaults and a float learning rate.</summary>
    public AdamW(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, bool amsgrad = false,
        double? weightDecay = 0.004, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "adamw")
        : base(name, learningRate, null, new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        if (weightDecay is null) throw new ArgumentException("Argument `weight_decay` must be a float. Received: weight_decay=None", nameof(weightDecay));
        (Beta1, Beta2, Epsilon) = CheckMoments(beta1, beta2, epsilon);
        Amsgrad = amsgrad;
    }

    /// <summary>Keras 3's signature with a learning-rate schedule evaluated at each step.</summary>
    public AdamW(LearningRateSchedule learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, bool amsgrad = false,
        double? weightDecay = 0.004, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "adamw")
        : base(name, 0, learningRate ?? throw new ArgumentNullException(nameof(learningRate)), new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        if (weightDecay is null) throw new ArgumentException("Argument `weight_decay` must be a float. Received: weight_decay=None", nameof(weightDecay));
        (Beta1, Beta2, Epsilon) = CheckMoments(beta1, beta2, epsilon);
        Amsgrad = amsgrad;
    }

    /// <summary>β1.</summary>
    public double Beta1 { get; }
    /// <summary>β2.</summary>
    public double Beta2 { get; }
    /// <summary>ε.</summary>
    public double Epsilon { get; }
    /// <summary>Whether AMSGrad's running maximum of v is used.</summary>
    public bool Amsgrad { get; }

    /// <inheritdoc/>
    protected override string[] SlotNames => Amsgrad ? ["momentum", "velocity", "velocity_hat"] : ["momentum", "velocity"];

    /// <inheritdoc/>
    private protected override int InterleavedSlotKinds => 2;

    /// <inheritdoc/>
    protected override void Update(Variable variable, Tensor gradient)
    {
        var s = Slots(variable);
        float b1 = (float)Beta1, b2 = (float)Beta2, lr = (float)LearningRate;
        float t = Iterations + 1;
        float alpha = lr * MathF.Sqrt(1 - MathF.Pow(b2, t)) / (1 - MathF.Pow(b1, t));
        variable.Value.Device.AdamUpdate(variable.Value.Storage, gradient.Storage, s[0].Value.Storage, s[1].Value.Storage,
            Amsgrad ? s[2].Value.Storage : null, alpha, b1, b2, (float)Epsilon);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = BaseConfig();
        c["beta_1"] = Beta1; c["beta_2"] = Beta2; c["epsilon"] = Epsilon; c["amsgrad"] = Amsgrad;
        return c;
    }
}
