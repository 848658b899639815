using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.optimizers.Nadam</c> (defaults lr 0.001, β1 0.9, β2 0.999, ε 1e-7): Adam with Nesterov momentum and
/// Dozat's momentum schedule u_t = β1(1 − ½·0.96^t). The product Π u_t is a function of the step count, kept on the
/// host (recomputed in float32 from <see cref="Optimizer.Iterations"/> after a load). Slots: momentum, velocity.
/// </summary>
public sealed class Nadam : Optimizer
{
    /// <summary>Keras 3's signature with its defaults and a float learning rate.</summary>
    public Nadam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
        double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "nadam")
        : base(name, learningRate, null, new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        (Beta1, Beta2, Epsilon) = CheckMoments(beta1, beta2, epsilon);
    }

    /// <summary>Keras 3's signature with a learning-rate schedule evaluated at each step.</summary>
    public Nadam(LearningRateSchedule learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
        double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "nadam")
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

    private long uProductStep;
    private float uProduct = 1f;

    /// <inheritdoc/>
    protected override string[] SlotNames => ["momentum", "velocity"];

    /// <summary>Keras's <c>_u_product</c> after <paramref name="steps"/> steps, multiplied up in float32 in Keras's order.</summary>
    private float UProduct(long steps)
    {
        if (steps < uProductStep) { uProductStep = 0; uProduct = 1f; }
        float b1 = (float)Beta1;
        for (; uProductStep < steps; uProductStep++)
            uProduct = uProduct * b1 * (1f - 0.5f * MathF.Pow(0.96f, uProductStep + 1));
        return uProduct;
    }

    /// <inheritdoc/>
    internal override IReadOnlyList<NDArray> Keras3ExtraValues() => [NDArray.Scalar(UProduct(Iterations))];

    /// <inheritdoc/>
    protected override void Update(Variable variable, Tensor gradient)
    {
        var s = Slots(variable);
        float b1 = (float)Beta1, b2 = (float)Beta2;
        float localStep = Iterations + 1, nextStep = Iterations + 2;
        float uT = b1 * (1f - 0.5f * MathF.Pow(0.96f, localStep));
        float uT1 = b1 * (1f - 0.5f * MathF.Pow(0.96f, nextStep));
        // Keras multiplies _u_product by u_t before the step's updates.
        float uProductT = UProduct(Iterations + 1);
        float uProductT1 = uProductT * uT1;
        float beta2Power = MathF.Pow(b2, localStep);
        variable.Value.Device.NadamUpdate(variable.Value.Storage, gradient.Storage, s[0].Value.Storage, s[1].Value.Storage,
            (float)LearningRate, b1, b2, uT, uT1, uProductT, uProductT1, beta2Power, (float)Epsilon);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = BaseConfig();
        c["beta_1"] = Beta1; c["beta_2"] = Beta2; c["epsilon"] = Epsilon;
        return c;
    }
}
