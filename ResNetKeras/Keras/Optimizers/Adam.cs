using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.optimizers.Adam</c> (defaults lr 0.001, β1 0.9, β2 0.999, ε 1e-7; Keras 3's base options): α_t = lr·√(1−β2^t)/(1−β1^t),
/// m ← m + (g − m)(1 − β1), v ← v + (g² − v)(1 − β2), θ ← θ − α_t·m/(√v + ε), in float32 as TensorFlow's ApplyAdam.
/// </summary>
public sealed class Adam : Optimizer
{
    /// <summary>Keras's signature with its defaults.</summary>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, bool amsgrad = false,
        double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "Adam")
        : base(name, learningRate, null, new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        Init(beta1, beta2, epsilon, amsgrad);
    }

    /// <summary>Keras's signature with a learning-rate schedule evaluated at each step.</summary>
    public Adam(LearningRateSchedule learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, bool amsgrad = false,
        double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "Adam")
        : base(name, 0, learningRate ?? throw new ArgumentNullException(nameof(learningRate)),
            new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        Init(beta1, beta2, epsilon, amsgrad);
    }

    private void Init(double beta1, double beta2, double epsilon, bool amsgrad)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentException($"Invalid value for argument `beta_1`. Expected a float in [0, 1). Received beta_1={beta1}.", nameof(beta1));
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentException($"Invalid value for argument `beta_2`. Expected a float in [0, 1). Received beta_2={beta2}.", nameof(beta2));
        if (!(epsilon >= 0)) throw new ArgumentException($"Invalid value for argument `epsilon`. Expected a non-negative float. Received epsilon={epsilon}.", nameof(epsilon));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        Amsgrad = amsgrad;
    }

    /// <summary>β1.</summary>
    public double Beta1 { get; private set; }
    /// <summary>β2.</summary>
    public double Beta2 { get; private set; }
    /// <summary>ε.</summary>
    public double Epsilon { get; private set; }
    /// <summary>Whether AMSGrad's running maximum of v is used.</summary>
    public bool Amsgrad { get; private set; }

    /// <inheritdoc/>
    protected override string[] SlotNames => Amsgrad ? ["m", "v", "vhat"] : ["m", "v"];

    /// <inheritdoc/>
    protected override void Update(Variable variable, Tensor gradient)
    {
        var s = Slots(variable);
        float b1 = (float)Beta1, b2 = (float)Beta2, eps = (float)Epsilon, lr = (float)LearningRate;
        float t = Iterations + 1;
        // α_t is a host scalar (the step count lives on the host), so the device step needs no read back.
        float alpha = lr * MathF.Sqrt(1 - MathF.Pow(b2, t)) / (1 - MathF.Pow(b1, t));
        variable.Value.Device.AdamUpdate(variable.Value.Storage, gradient.Storage, s[0].Value.Storage, s[1].Value.Storage,
            Amsgrad ? s[2].Value.Storage : null, alpha, b1, b2, eps);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = BaseConfig();
        c["decay"] = 0.0;
        c["beta_1"] = Beta1;
        c["beta_2"] = Beta2;
        c["epsilon"] = Epsilon;
        c["amsgrad"] = Amsgrad;
        return c;
    }
}
