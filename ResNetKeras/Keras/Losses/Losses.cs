using System.Reflection;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>keras.losses</c> module functions: <c>get</c>, <c>serialize</c>, <c>deserialize</c>. The known losses are
/// the library's <see cref="Loss"/> classes with a static <c>FromConfig</c>: each is found by its class name and by
/// the identifiers of its <see cref="KerasIdentifiersAttribute"/>, so a new loss class needs no edit here.
/// </summary>
public static class Losses
{
    private static readonly Lazy<(Dictionary<string, Func<IReadOnlyDictionary<string, object?>, Loss>> ByClass, Dictionary<string, string> ClassOf)> Registry = new(Scan);

    private static (Dictionary<string, Func<IReadOnlyDictionary<string, object?>, Loss>>, Dictionary<string, string>) Scan()
    {
        var byClass = new Dictionary<string, Func<IReadOnlyDictionary<string, object?>, Loss>>();
        var classOf = new Dictionary<string, string>();
        foreach (var type in typeof(Loss).Assembly.GetTypes())
        {
            if (!type.IsSubclassOf(typeof(Loss)) || type.IsAbstract || !type.IsPublic) continue;
            var fromConfig = type.GetMethod("FromConfig", BindingFlags.Public | BindingFlags.Static, [typeof(IReadOnlyDictionary<string, object?>)]);
            if (fromConfig is null || !typeof(Loss).IsAssignableFrom(fromConfig.ReturnType)) continue;
            byClass[type.Name] = config => (Loss)fromConfig.Invoke(null, [config])!;
            classOf[type.Name] = type.Name;
            foreach (var id in type.GetCustomAttribute<KerasIdentifiersAttribute>()?.Identifiers ?? []) classOf[id] = type.Name;
        }
        return (byClass, classOf);
    }

    /// <summary>
    /// The common case without scanning the assembly: a function name whose PascalCase is the class name
    /// (<c>categorical_crossentropy</c> → <c>CategoricalCrossentropy</c>) or the class name itself.
    /// </summary>
    private static Func<IReadOnlyDictionary<string, object?>, Loss>? Direct(string identifier)
    {
        string pascal = string.Concat(identifier.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        var type = typeof(Loss).Assembly.GetType($"{typeof(Loss).Namespace}.{pascal}");
        if (type is null || !type.IsSubclassOf(typeof(Loss)) || type.IsAbstract || !type.IsPublic) return null;
        bool named = pascal == identifier || (type.GetCustomAttribute<KerasIdentifiersAttribute>()?.Identifiers.Contains(identifier) ?? false);
        var fromConfig = type.GetMethod("FromConfig", BindingFlags.Public | BindingFlags.Static, [typeof(IReadOnlyDictionary<string, object?>)]);
        if (!named || fromConfig is null || !typeof(Loss).IsAssignableFrom(fromConfig.ReturnType)) return null;
        return config => (Loss)fromConfig.Invoke(null, [config])!;
    }

    /// <summary>Every identifier <see cref="Get"/> accepts, function names first.</summary>
    public static IReadOnlyList<string> Identifiers =>
        Registry.Value.ClassOf.Keys.OrderBy(k => char.IsUpper(k[0])).ThenBy(k => k, StringComparer.Ordinal).ToList();

    /// <summary>
    /// <c>keras.losses.get(identifier)</c>: a <see cref="Loss"/> is returned as is; a string names a loss by its function
    /// name (<c>mean_squared_error</c>, <c>mse</c>) or class name (<c>MeanSquaredError</c>) and gives a new instance
    /// with Keras's defaults.
    /// </summary>
    public static Loss Get(object identifier) => identifier switch
    {
        Loss loss => loss,
        null => throw new ArgumentNullException(nameof(identifier), "Could not interpret loss identifier: None."),
        string s when Direct(s) is { } make => make(new Dictionary<string, object?>()),
        string s when Registry.Value.ClassOf.TryGetValue(s, out var cls) => Registry.Value.ByClass[cls](new Dictionary<string, object?>()),
        string s => throw new ArgumentException($"Could not interpret loss identifier: '{s}'. Expected one of {string.Join(", ", Identifiers)}, or a Loss instance.", nameof(identifier)),
        _ => throw new ArgumentException($"Could not interpret loss identifier: {identifier} (of type {identifier.GetType().Name}). Expected a string or a Loss instance.", nameof(identifier)),
    };

    /// <summary><c>keras.losses.serialize(loss)</c>: <c>{"class_name": ..., "config": ...}</c>.</summary>
    public static Dictionary<string, object?> Serialize(Loss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return new() { ["class_name"] = loss.GetType().Name, ["config"] = loss.GetConfig() };
    }

    /// <summary><c>keras.losses.deserialize({"class_name": ..., "config": ...})</c> for this library's loss classes.</summary>
    public static Loss Deserialize(string className, IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(className);
        ArgumentNullException.ThrowIfNull(config);
        return Registry.Value.ByClass.TryGetValue(className, out var make)
            ? make(config)
            : throw new ArgumentException($"Could not interpret loss identifier: unknown loss class '{className}'. Known classes: {string.Join(", ", Registry.Value.ByClass.Keys.Order(StringComparer.Ordinal))}.", nameof(className));
    }
}
