using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.optimizers.Adagrad</c> (defaults lr 0.001, initial accumulator 0.1, ε 1e-7): a ← a + g²,
/// θ ← θ − lr·g/√(a + ε). Slot: accumulator, starting at initial_accumulator_value.
/// </summary>
public sealed class Adagrad : Optimizer
{
    /// <summary>Keras 3's signature with its defaults and a float learning rate.</summary>
    public Adagrad(double learningRate = 0.001, double initialAccumulatorValue = 0.1, double epsilon = 1e-7,
        double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "adagrad")
        : base(name, learningRate, null, new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        if (!(initialAccumulatorValue >= 0)) throw new ArgumentException($"Invalid value for argument `initial_accumulator_value`. Expected a non-negative float. Received: initial_accumulator_value={initialAccumulatorValue}", nameof(initialAccumulatorValue));
        if (!(epsilon >= 0)) throw new ArgumentException($"Invalid value for argument `epsilon`. Expected a non-negative float. Received: epsilon={epsilon}", nameof(epsilon));
        InitialAccumulatorValue = initialAccumulatorValue; Epsilon = epsilon;
    }

    /// <summary>Keras 3's signature with a learning-rate schedule evaluated at each step.</summary>
    public Adagrad(LearningRateSchedule learningRate, double initialAccumulatorValue = 0.1, double epsilon = 1e-7,
        double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null,
        bool useEma = false, double emaMomentum = 0.99, int? emaOverwriteFrequency = null, string name = "adagrad")
        : base(name, 0, learningRate ?? throw new ArgumentNullException(nameof(learningRate)), new BaseOptions(weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency))
    {
        if (!(initialAccumulatorValue >= 0)) throw new ArgumentException($"Invalid value for argument `initial_accumulator_value`. Expected a non-negative float. Received: initial_accumulator_value={initialAccumulatorValue}", nameof(initialAccumulatorValue));
        if (!(epsilon >= 0)) throw new ArgumentException($"Invalid value for argument `epsilon`. Expected a non-negative float. Received: epsilon={epsilon}", nameof(epsilon));
        InitialAccumulatorValue = initialAccumulatorValue; Epsilon = epsilon;
    }

    /// <summary>The accumulators' starting value.</summary>
    public double InitialAccumulatorValue { get; }
    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override string[] SlotNames => ["accumulator"];

    /// <inheritdoc/>
    private protected override float SlotInitialValue(int slot) => (float)InitialAccumulatorValue;

    /// <inheritdoc/>
    protected override void Update(Variable variable, Tensor gradient) =>
        variable.Value.Device.AdagradUpdate(variable.Value.Storage, gradient.Storage, Slots(variable)[0].Value.Storage, (float)LearningRate, (float)Epsilon);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = BaseConfig();
        c["initial_accumulator_value"] = InitialAccumulatorValue; c["epsilon"] = Epsilon;
        return c;
    }
}
