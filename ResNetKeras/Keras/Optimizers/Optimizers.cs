using System.Text.Json;

namespace ResNetKeras.Keras;

/// <summary>Keras's <c>keras.optimizers</c> module functions <c>get</c> and <c>deserialize</c>.</summary>
public static class Optimizers
{
    private static readonly string[] Known = ["adadelta", "adagrad", "adam", "adamax", "adamw", "lion", "nadam", "rmsprop", "sgd"];

    /// <summary>
    /// <c>keras.optimizers.get(identifier)</c>: an <see cref="Optimizer"/> is returned as is; an identifier ("adam",
    /// "sgd", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "adamw", "lion", in any case as Keras matches class
    /// names) gives a new instance with Keras's defaults.
    /// </summary>
    public static Optimizer Get(object identifier) => identifier switch
    {
        Optimizer o => o,
        null => throw new ArgumentNullException(nameof(identifier), "Could not interpret optimizer identifier: None."),
        string s => Create(s) ?? throw new ArgumentException($"Could not interpret optimizer identifier: '{s}'. Expected one of {string.Join(", ", Known)}, or an Optimizer instance.", nameof(identifier)),
        _ => throw new ArgumentException($"Could not interpret optimizer identifier: {identifier} (of type {identifier.GetType().Name}). Expected a string or an Optimizer instance.", nameof(identifier)),
    };

    private static Optimizer? Create(string s) => s.ToLowerInvariant() switch
    {
        "adam" => new Adam(),
        "sgd" => new SGD(),
        "rmsprop" => new RMSprop(),
        "adagrad" => new Adagrad(),
        "adadelta" => new Adadelta(),
        "adamax" => new Adamax(),
        "nadam" => new Nadam(),
        "adamw" => new AdamW(),
        "lion" => new Lion(),
        _ => null,
    };

    /// <summary>
    /// <c>keras.optimizers.deserialize({"class_name", "config"})</c>: rebuilds an optimizer from the config its
    /// <see cref="Optimizer.GetConfig"/> wrote (as in a saved model's <c>training_config.optimizer_config</c>), with its
    /// learning rate a float or a serialized <see cref="LearningRateSchedule"/>; keys missing take Keras's defaults.
    /// </summary>
    public static Optimizer Deserialize(string className, JsonElement config)
    {
        ArgumentNullException.ThrowIfNull(className);
        if (config.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"optimizer config for '{className}' must be an object; received {config.GetRawText()}.");
        var c = config;
        double Num(string k, double d) => c.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : d;
        double? Opt(string k) => c.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        bool B(string k) => c.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.True;
        string Name(string d) => c.TryGetProperty("name", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : d;
        LearningRateSchedule? schedule = c.TryGetProperty("learning_rate", out var lrv) && lrv.ValueKind == JsonValueKind.Object
            ? LearningRateSchedule.Deserialize(lrv) : null;
        double lr(double d) => Num("learning_rate", d);
        double? wd = Opt("weight_decay"), cn = Opt("clipnorm"), cv = Opt("clipvalue"), gcn = Opt("global_clipnorm");
        bool ema = B("use_ema");
        double emaM = Num("ema_momentum", 0.99);
        int? emaF = Opt("ema_overwrite_frequency") is { } f ? (int)f : null;
        return className.ToLowerInvariant() switch
        {
            "adam" => schedule is null
                ? new Adam(lr(0.001), Num("beta_1", 0.9), Num("beta_2", 0.999), Num("epsilon", 1e-7), B("amsgrad"), wd, cn, cv, gcn, ema, emaM, emaF, Name("Adam"))
                : new Adam(schedule, Num("beta_1", 0.9), Num("beta_2", 0.999), Num("epsilon", 1e-7), B("amsgrad"), wd, cn, cv, gcn, ema, emaM, emaF, Name("Adam")),
            "sgd" => schedule is null
                ? new SGD(lr(0.01), Num("momentum", 0), B("nesterov"), wd, cn, cv, gcn, ema, emaM, emaF, Name("SGD"))
                : new SGD(schedule, Num("momentum", 0), B("nesterov"), wd, cn, cv, gcn, ema, emaM, emaF, Name("SGD")),
            "rmsprop" => schedule is null
                ? new RMSprop(lr(0.001), Num("rho", 0.9), Num("momentum", 0), Num("epsilon", 1e-7), B("centered"), wd, cn, cv, gcn, ema, emaM, emaF, Name("rmsprop"))
                : new RMSprop(schedule, Num("rho", 0.9), Num("momentum", 0), Num("epsilon", 1e-7), B("centered"), wd, cn, cv, gcn, ema, emaM, emaF, Name("rmsprop")),
            "adagrad" => schedule is null
                ? new Adagrad(lr(0.001), Num("initial_accumulator_value", 0.1), Num("epsilon", 1e-7), wd, cn, cv, gcn, ema, emaM, emaF, Name("adagrad"))
                : new Adagrad(schedule, Num("initial_accumulator_value", 0.1), Num("epsilon", 1e-7), wd, cn, cv, gcn, ema, emaM, emaF, Name("adagrad")),
            "adadelta" => schedule is null
                ? new Adadelta(lr(0.001), Num("rho", 0.95), Num("epsilon", 1e-7), wd, cn, cv, gcn, ema, emaM, emaF, Name("adadelta"))
                : new Adadelta(schedule, Num("rho", 0.95), Num("epsilon", 1e-7), wd, cn, cv, gcn, ema, emaM, emaF, Name("adadelta")),
            "adamax" => schedule is null
                ? new Adamax(lr(0.001), Num("beta_1", 0.9), Num("beta_2", 0.999), Num("epsilon", 1e-7), wd, cn, cv, gcn, ema, emaM, emaF, Name("adamax"))
                : new Adamax(schedule, Num("beta_1", 0.9), Num("beta_2", 0.999), Num("epsilon", 1e-7), wd, cn, cv, gcn, ema, emaM, emaF, Name("adamax")),
            "nadam" => schedule is null
                ? new Nadam(lr(0.001), Num("beta_1", 0.9), Num("beta_2", 0.999), Num("epsilon", 1e-7), wd, cn, cv, gcn, ema, emaM, emaF, Name("nadam"))
                : new Nadam(schedule, Num("beta_1", 0.9), Num("beta_2", 0.999), Num("epsilon", 1e-7), wd, cn, cv, gcn, ema, emaM, emaF, Name("nadam")),
            "adamw" => schedule is null
                ? new AdamW(lr(0.001), Num("beta_1", 0.9), Num("beta_2", 0.999), Num("epsilon", 1e-7), B("amsgrad"), wd ?? 0.004, cn, cv, gcn, ema, emaM, emaF, Name("adamw"))
                : new AdamW(schedule, Num("beta_1", 0.9), Num("beta_2", 0.999), Num("epsilon", 1e-7), B("amsgrad"), wd ?? 0.004, cn, cv, gcn, ema, emaM, emaF, Name("adamw")),
            "lion" => schedule is null
                ? new Lion(lr(0.001), Num("beta_1", 0.9), Num("beta_2", 0.99), wd, cn, cv, gcn, ema, emaM, emaF, Name("lion"))
                : new Lion(schedule, Num("beta_1", 0.9), Num("beta_2", 0.99), wd, cn, cv, gcn, ema, emaM, emaF, Name("lion")),
            _ => throw new InvalidDataException($"Could not interpret optimizer: '{className}'. Expected one of Adam, SGD, RMSprop, Adagrad, Adadelta, Adamax, Nadam, AdamW, Lion."),
        };
    }
}
