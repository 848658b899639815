namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.optimizers.schedules.ExponentialDecay</c>: lr = initial·rate^(step/decay_steps), the exponent floored when
/// <paramref name="staircase"/> is set.
/// </summary>
/// <param name="initialLearningRate">The learning rate at step 0.</param>
/// <param name="decaySteps">Steps per factor of <paramref name="decayRate"/>; must be positive.</param>
/// <param name="decayRate">The decay factor.</param>
/// <param name="staircase">Whether the exponent is an integer (decay in steps).</param>
/// <param name="name">Keras's name, "ExponentialDecay".</param>
public sealed class ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false, string name = "ExponentialDecay")
    : LearningRateSchedule
{
    private readonly long checkedDecaySteps = Checked(decaySteps);

    private static long Checked(long decaySteps) { CheckDecaySteps(decaySteps); return decaySteps; }

    /// <summary>initial_learning_rate.</summary>
    public double InitialLearningRate { get; } = initialLearningRate;
    /// <summary>decay_steps.</summary>
    public long DecaySteps => checkedDecaySteps;
    /// <summary>decay_rate.</summary>
    public double DecayRate { get; } = decayRate;
    /// <summary>staircase.</summary>
    public bool Staircase { get; } = staircase;
    /// <summary>name.</summary>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public override double Call(long step)
    {
        float p = (float)step / (float)DecaySteps;
        if (Staircase) p = MathF.Floor(p);
        return (float)InitialLearningRate * MathF.Pow((float)DecayRate, p);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["initial_learning_rate"] = InitialLearningRate,
        ["decay_steps"] = DecaySteps,
        ["decay_rate"] = DecayRate,
        ["staircase"] = Staircase,
        ["name"] = Name,
    };
}
