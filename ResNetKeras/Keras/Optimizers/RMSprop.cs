using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.optimizers.RMSprop</c> (defaults lr 0.001, ρ 0.9, momentum 0, ε 1e-7, not centered): v ← ρv + (1−ρ)g²;
/// centered: ḡ ← ρḡ + (1−ρ)g and the denominator √(v − ḡ² + ε), else √(v + ε); Δ = lr·g/denominator; with momentum
/// μ ← momentum·μ + Δ and θ ← θ − μ, else θ ← θ − Δ. Slots: velocity, momentum (when momentum &gt; 0), average_gradient
/// (when centered), each kind for all variables in turn.
/// </summary>
public sealed class RMSprop : Optimizer
{
    /// <summary>Keras 3's signature with its defaults and a float learning rate.</summary>
    public RMSprop(double learningRate = 0.001, double rho = 0.9, double momentum = 0.0, double epsilon = 1e-7, bool centered = false,
        double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "rmsprop")
        : base(name, learningRate, null, new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        if (!(rho >= 0 && rho <= 1)) throw new ArgumentException($"Invalid value for argument `rho`. Expected a float in [0, 1]. Received: rho={rho}", nameof(rho));
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentException($"Invalid value for argument `momentum`. Expected a float in [0, 1]. Received: momentum={momentum}", nameof(momentum));
        if (!(epsilon >= 0)) throw new ArgumentException($"Invalid value for argument `epsilon`. Expected a non-negative float. Received: epsilon={epsilon}", nameof(epsilon));
        Rho = rho; Momentum = momentum; Epsilon = epsilon; Centered = centered;
    }

    /// <summary>Keras 3's signature with a learning-rate schedule evaluated at each step.</summary>
    public RMSprop(LearningRateSchedule learningRate, double rho = 0.9, double momentum = 0.0, double epsilon = 1e-7, bool centered = false,
        double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "rmsprop")
        : base(name, 0, learningRate ?? throw new ArgumentNullException(nameof(learningRate)), new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        if (!(rho >= 0 && rho <= 1)) throw new ArgumentException($"Invalid value for argument `rho`. Expected a float in [0, 1]. Received: rho={rho}", nameof(rho));
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentException($"Invalid value for argument `momentum`. Expected a float in [0, 1]. Received: momentum={momentum}", nameof(momentum));
        if (!(epsilon >= 0)) throw new ArgumentException($"Invalid value for argument `epsilon`. Expected a non-negative float. Received: epsilon={epsilon}", nameof(epsilon));
        Rho = rho; Momentum = momentum; Epsilon = epsilon; Centered = centered;
    }

    /// <summary>ρ, the discounting factor of the squared gradients.</summary>
    public double Rho { get; }
    /// <summary>Momentum (0: none).</summary>
    public double Momentum { get; }
    /// <summary>ε.</summary>
    public double Epsilon { get; }
    /// <summary>Whether the gradient's variance (centered) rather than its second moment normalizes.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    protected override string[] SlotNames => ["velocity", .. Momentum > 0 ? new[] { "momentum" } : [], .. Centered ? new[] { "average_gradient" } : []];

    /// <inheritdoc/>
    protected override void Update(Variable variable, Tensor gradient)
    {
        var s = Slots(variable);
        int next = 1;
        var momentum = Momentum > 0 ? s[next++].Value.Storage : null;
        var average = Centered ? s[next].Value.Storage : null;
        variable.Value.Device.RmspropUpdate(variable.Value.Storage, gradient.Storage, s[0].Value.Storage, momentum, average,
            (float)LearningRate, (float)Rho, (float)(1 - Rho), (float)Momentum, (float)Epsilon);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = BaseConfig();
        c["rho"] = Rho; c["momentum"] = Momentum; c["epsilon"] = Epsilon; c["centered"] = Centered;
        return c;
    }
}
