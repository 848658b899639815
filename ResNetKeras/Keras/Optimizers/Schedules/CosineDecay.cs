namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.optimizers.schedules.CosineDecay</c> with Keras 3's linear warmup: without <c>warmupTarget</c>,
/// lr = initial·((1 − α)·½(1 + cos(π·min(step, decay_steps)/decay_steps)) + α); with it, the rate rises linearly from
/// initial to warmup_target over warmup_steps, then decays from warmup_target by the same cosine over decay_steps.
/// </summary>
public sealed class CosineDecay : LearningRateSchedule
{
    /// <summary>Keras's signature with its defaults.</summary>
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha = 0.0, string name = "CosineDecay", double? warmupTarget = null, long warmupSteps = 0)
    {
        CheckDecaySteps(decaySteps);
        if (warmupSteps < 0)
            throw new ArgumentException($"Argument `warmup_steps` must be >= 0. Received: warmup_steps={warmupSteps}", nameof(warmupSteps));
        InitialLearningRate = initialLearningRate;
        DecaySteps = decaySteps;
        Alpha = alpha;
        Name = name;
        WarmupTarget = warmupTarget;
        WarmupSteps = warmupSteps;
    }

    /// <summary>initial_learning_rate.</summary>
    public double InitialLearningRate { get; }
    /// <summary>decay_steps.</summary>
    public long DecaySteps { get; }
    /// <summary>alpha: the floor as a fraction of the rate decayed from.</summary>
    public double Alpha { get; }
    /// <summary>name.</summary>
    public string Name { get; }
    /// <summary>warmup_target, or null for no warmup.</summary>
    public double? WarmupTarget { get; }
    /// <summary>warmup_steps.</summary>
    public long WarmupSteps { get; }

    private float Decay(float step, float decaySteps, float from)
    {
        float completed = step / decaySteps;
        float cosineDecayed = 0.5f * (1f + MathF.Cos(MathF.PI * completed));
        float decayed = (1f - (float)Alpha) * cosineDecayed + (float)Alpha;
        return from * decayed;
    }

    /// <inheritdoc/>
    public override double Call(long step)
    {
        float initial = (float)InitialLearningRate, decaySteps = DecaySteps, s = step;
        if (WarmupTarget is null) return Decay(MathF.Min(s, decaySteps), decaySteps, initial);
        float target = (float)WarmupTarget.Value, warmupSteps = WarmupSteps;
        s = MathF.Min(s, decaySteps + warmupSteps);
        if (s < warmupSteps) return (target - initial) * (s / warmupSteps) + initial;
        return Decay(s - warmupSteps, decaySteps, target);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["initial_learning_rate"] = InitialLearningRate,
        ["decay_steps"] = DecaySteps,
        ["alpha"] = Alpha,
        ["name"] = Name,
        ["warmup_target"] = WarmupTarget,
        ["warmup_steps"] = WarmupSteps,
    };
}
