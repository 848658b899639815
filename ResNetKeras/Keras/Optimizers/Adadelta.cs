using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.optimizers.Adadelta</c> (defaults lr 0.001, ρ 0.95, ε 1e-7): E[g²] ← ρE[g²] + (1−ρ)g²,
/// Δ = −√(E[Δ²] + ε)·g/√(E[g²] + ε), E[Δ²] ← ρE[Δ²] + (1−ρ)Δ², θ ← θ + lr·Δ. Slots: accumulated_grad, accumulated_delta_var.
/// </summary>
public sealed class Adadelta : Optimizer
{
    /// <summary>Keras 3's signature with its defaults and a float learning rate.</summary>
    public Adadelta(double learningRate = 0.001, double rho = 0.95, double epsilon = 1e-7,
        double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "adadelta")
        : base(name, learningRate, null, new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        if (!(rho >= 0 && rho <= 1)) throw new ArgumentException($"Invalid value for argument `rho`. Expected a float in [0, 1]. Received: rho={rho}", nameof(rho));
        if (!(epsilon >= 0)) throw new ArgumentException($"Invalid value for argument `epsilon`. Expected a non-negative float. Received: epsilon={epsilon}", nameof(epsilon));
        Rho = rho; Epsilon = epsilon;
    }

    /// <summary>Keras 3's signature with a learning-rate schedule evaluated at each step.</summary>
    public Adadelta(LearningRateSchedule learningRate, double rho = 0.95, double epsilon = 1e-7,
        double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "adadelta")
        : base(name, 0, learningRate ?? throw new ArgumentNullException(nameof(learningRate)), new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        if (!(rho >= 0 && rho <= 1)) throw new ArgumentException($"Invalid value for argument `rho`. Expected a float in [0, 1]. Received: rho={rho}", nameof(rho));
        if (!(epsilon >= 0)) throw new ArgumentException($"Invalid value for argument `epsilon`. Expected a non-negative float. Received: epsilon={epsilon}", nameof(epsilon));
        Rho = rho; Epsilon = epsilon;
    }

    /// <summary>ρ, the decay rate.</summary>
    public double Rho { get; }
    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override string[] SlotNames => ["accumulated_grad", "accumulated_delta_var"];

    /// <inheritdoc/>
    protected override void Update(Variable variable, Tensor gradient)
    {
        var s = Slots(variable);
        variable.Value.Device.AdadeltaUpdate(variable.Value.Storage, gradient.Storage, s[0].Value.Storage, s[1].Value.Storage,
            (float)LearningRate, (float)Rho, (float)(1 - Rho), (float)Epsilon);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = BaseConfig();
        c["rho"] = Rho; c["epsilon"] = Epsilon;
        return c;
    }
}
