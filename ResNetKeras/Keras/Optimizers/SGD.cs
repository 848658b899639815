using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.optimizers.SGD</c> (defaults lr 0.01, momentum 0, nesterov false): with momentum μ,
/// v ← μ·v − lr·g, θ ← θ + v (Nesterov: θ ← θ + μ·v − lr·g); without, θ ← θ − lr·g. Takes Keras 3's base options.
/// </summary>
public sealed class SGD : Optimizer
{
    /// <summary>Keras's signature with its defaults.</summary>
    public SGD(double learningRate = 0.01, double momentum = 0.0, bool nesterov = false,
        double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "SGD")
        : base(name, learningRate, null, new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        Init(momentum, nesterov);
    }

    /// <summary>Keras's signature with a learning-rate schedule evaluated at each step.</summary>
    public SGD(LearningRateSchedule learningRate, double momentum = 0.0, bool nesterov = false,
        double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "SGD")
        : base(name, 0, learningRate ?? throw new ArgumentNullException(nameof(learningRate)),
            new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        Init(momentum, nesterov);
    }

    private void Init(double momentum, bool nesterov)
    {
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentException($"Invalid value for argument `momentum`. Expected a float in [0, 1]. Received momentum={momentum}.", nameof(momentum));
        Momentum = momentum;
        Nesterov = nesterov;
    }

    /// <summary>μ.</summary>
    public double Momentum { get; private set; }
    /// <summary>Whether the Nesterov form is used.</summary>
    public bool Nesterov { get; private set; }

    /// <inheritdoc/>
    protected override string[] SlotNames => Momentum > 0 ? ["momentum"] : [];

    /// <inheritdoc/>
    protected override void Update(Variable variable, Tensor gradient) =>
        variable.Value.Device.SgdUpdate(variable.Value.Storage, gradient.Storage, Momentum == 0 ? null : Slots(variable)[0].Value.Storage,
            (float)LearningRate, (float)Momentum, Nesterov);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = BaseConfig();
        c["decay"] = 0.0;
        c["momentum"] = Momentum;
        c["nesterov"] = Nesterov;
        return c;
    }
}
