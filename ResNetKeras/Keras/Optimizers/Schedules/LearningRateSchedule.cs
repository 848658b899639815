using System.Text.Json;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>keras.optimizers.schedules.LearningRateSchedule</c>: a learning rate as a function of the optimizer's
/// step count. Optimizers evaluate it on the host from their <c>Iterations</c> before each update, so a schedule costs
/// no device read back. Values are computed in float32 as Keras's ops compute them.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate at <paramref name="step"/> (Keras's <c>__call__(step)</c>), a float32 value.</summary>
    public abstract double Call(long step);

    /// <summary>Keras's <c>get_config()</c>.</summary>
    public abstract Dictionary<string, object?> GetConfig();

    /// <summary>
    /// <c>keras.optimizers.schedules.serialize</c>: <c>{"module", "class_name", "config", "registered_name"}</c> as
    /// Keras 3 writes it inside an optimizer's config.
    /// </summary>
    public static Dictionary<string, object?> Serialize(LearningRateSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new()
        {
            ["module"] = "keras.optimizers.schedules",
            ["class_name"] = schedule.GetType().Name,
            ["config"] = schedule.GetConfig(),
            ["registered_name"] = null,
        };
    }

    /// <summary>
    /// <c>keras.optimizers.schedules.deserialize</c> of a serialized schedule (Keras 3's form above, or tf.keras's
    /// <c>{"class_name", "config"}</c>).
    /// </summary>
    public static LearningRateSchedule Deserialize(JsonElement serialized)
    {
        if (serialized.ValueKind != JsonValueKind.Object || !serialized.TryGetProperty("class_name", out var cn) || cn.ValueKind != JsonValueKind.String
            || !serialized.TryGetProperty("config", out var c) || c.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"A learning-rate schedule must be an object with 'class_name' and 'config'; received {serialized.GetRawText()}.");
        string className = cn.GetString()!;
        double Num(string key, double? fallback = null) => c.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble()
            : fallback ?? throw new InvalidDataException($"{className} config: '{key}' is missing or not a number.");
        string Name(string fallback) => c.TryGetProperty("name", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : fallback;
        bool Flag(string key) => c.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.True;
        double[] Nums(string key) => c.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Select(e => e.GetDouble()).ToArray()
            : throw new InvalidDataException($"{className} config: '{key}' is missing or not a list.");
        return className switch
        {
            nameof(ExponentialDecay) => new ExponentialDecay(Num("initial_learning_rate"), (long)Num("decay_steps"), Num("decay_rate"), Flag("staircase"), Name("ExponentialDecay")),
            nameof(InverseTimeDecay) => new InverseTimeDecay(Num("initial_learning_rate"), (long)Num("decay_steps"), Num("decay_rate"), Flag("staircase"), Name("InverseTimeDecay")),
            nameof(PiecewiseConstantDecay) => new PiecewiseConstantDecay(Nums("boundaries"), Nums("values"), Name("PiecewiseConstant")),
            nameof(CosineDecay) => new CosineDecay(Num("initial_learning_rate"), (long)Num("decay_steps"), Num("alpha", 0.0), Name("CosineDecay"),
                c.TryGetProperty("warmup_target", out var wt) && wt.ValueKind == JsonValueKind.Number ? wt.GetDouble() : null, (long)Num("warmup_steps", 0)),
            _ => throw new InvalidDataException($"Unknown learning rate schedule: '{className}'. Expected one of ExponentialDecay, PiecewiseConstantDecay, CosineDecay, InverseTimeDecay."),
        };
    }

    private protected static void CheckDecaySteps(long decaySteps)
    {
        if (decaySteps <= 0)
            throw new ArgumentException($"Argument `decay_steps` must be > 0. Received: decay_steps={decaySteps}", nameof(decaySteps));
    }
}
