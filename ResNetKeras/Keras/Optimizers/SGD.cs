using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.optimizers.SGD</c> (defaults lr 0.01, momentum 0, nesterov false): with momentum μ,
/// v ← μ·v − lr·g, θ ← θ + v (Nesterov: θ ← θ + μ·v − lr·g); without, θ ← θ − lr·g.
/// </summary>
public sealed class SGD : Optimizer
{
    /// <summary>Keras's signature with its defaults.</summary>
    public SGD(double learningRate = 0.01, double momentum = 0.0, bool nesterov = false, string name = "SGD")
        : base(name, learningRate)
    {
        Init(momentum, nesterov);
    }

    /// <summary>Keras's signature with a learning-rate schedule evaluated at each step.</summary>
    public SGD(LearningRateSchedule learningRate, double momentum = 0.0, bool nesterov = false, string name = "SGD")
        : base(name, 0, learningRate ?? throw new ArgumentNullException(nameof(learningRate)), new BaseOptions(null, null, null, null, false, 0.99, null))
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
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["name"] = Name,
        ["learning_rate"] = LearningRateSchedule is { } s ? LearningRateSchedule.Serialize(s) : LearningRate,
        ["decay"] = 0.0,
        ["momentum"] = Momentum,
        ["nesterov"] = Nesterov,
    };
}
