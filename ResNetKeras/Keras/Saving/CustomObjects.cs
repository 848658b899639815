using System.Reflection;

namespace ResNetKeras.Keras;

/// <summary>
/// Where user layer classes are found when a model config names a class this library does not have: the
/// <c>customObjects</c> passed to the load call in progress (flowing with it), then every loaded class marked
/// <see cref="RegisterKerasSerializableAttribute"/>. Rebuilds them from their config.
/// </summary>
internal static class CustomObjects
{
    private static readonly AsyncLocal<IReadOnlyDictionary<string, Type>?> Scoped = new();

    /// <summary>Makes <paramref name="customObjects"/> visible to config readers until disposed.</summary>
    public static IDisposable Use(IReadOnlyDictionary<string, Type>? customObjects)
    {
        var previous = Scoped.Value;
        if (customObjects is not null)
            foreach (var (key, type) in customObjects)
                if (type is null || !type.IsSubclassOf(typeof(Layer)) || type.IsAbstract)
                    throw new ArgumentException($"Invalid value for argument `customObjects`: '{key}' maps to {type?.FullName ?? "null"}, expected a non-abstract subclass of Layer.", nameof(customObjects));
        Scoped.Value = customObjects;
        return new Restore(previous);
    }

    /// <summary>The user class for <paramref name="className"/> (or a Keras 3 registered name such as <c>Custom&gt;MyLayer</c>), or null.</summary>
    public static Type? Find(string className)
    {
        if (Scoped.Value is { } given && (given.TryGetValue(className, out var t) || given.TryGetValue(Short(className), out t))) return t;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic) continue;
            Type[] types;
            try { types = assembly.GetTypes(); }
            catch (ReflectionTypeLoadException e) { types = e.Types.Where(x => x is not null).ToArray()!; }
            foreach (var type in types)
            {
                if (!type.IsSubclassOf(typeof(Layer)) || type.GetCustomAttribute<RegisterKerasSerializableAttribute>() is not { } reg) continue;
                string name = reg.Name ?? type.Name;
                if (className == name || className == $"{reg.Package}>{name}") return type;
            }
        }
        return null;
    }

    private static string Short(string registered) => registered.Contains('>') ? registered[(registered.IndexOf('>') + 1)..] : registered;

    /// <summary>Rebuilds a user layer from its config (FromConfig, else the constructor matching the config's keys).</summary>
    public static Layer Create(Type type, IReadOnlyDictionary<string, object?> config)
    {
        var fromConfig = type.GetMethod("FromConfig", BindingFlags.Public | BindingFlags.Static, [typeof(IReadOnlyDictionary<string, object?>)]);
        if (fromConfig is not null && typeof(Layer).IsAssignableFrom(fromConfig.ReturnType))
            return (Layer)fromConfig.Invoke(null, [config])!;
        var keys = config.Keys.Where(k => k is not ("trainable" or "dtype")).ToHashSet();
        foreach (var ctor in type.GetConstructors().OrderByDescending(c => c.GetParameters().Length))
        {
            var ps = ctor.GetParameters();
            var byKey = ps.ToDictionary(p => Backend.ToSnakeCase(p.Name!), p => p);
            if (!keys.All(byKey.ContainsKey) || ps.Any(p => !p.HasDefaultValue && !keys.Contains(Backend.ToSnakeCase(p.Name!)))) continue;
            var args = ps.Select(p => config.TryGetValue(Backend.ToSnakeCase(p.Name!), out var v) ? Convert(v, p.ParameterType, type, p.Name!) : p.DefaultValue).ToArray();
            var layer = (Layer)ctor.Invoke(args);
            if (config.TryGetValue("trainable", out var tr) && tr is bool trainable) layer.Trainable = trainable;
            return layer;
        }
        throw new InvalidDataException($"model config: cannot rebuild {type.Name} from its config keys ({string.Join(", ", keys)}): give it a public static FromConfig(IReadOnlyDictionary<string, object?> config), or a constructor whose parameters are those keys in camelCase.");
    }

    private static object? Convert(object? value, Type target, Type owner, string parameter)
    {
        var t = Nullable.GetUnderlyingType(target) ?? target;
        try
        {
            return value switch
            {
                null => null,
                _ when t.IsInstanceOfType(value) => value,
                double d when t == typeof(int) => checked((int)d),
                double d when t == typeof(long) => checked((long)d),
                double d when t == typeof(float) => (float)d,
                IEnumerable<object?> list when t.IsArray => ToArray(list, t.GetElementType()!, owner, parameter),
                _ => System.Convert.ChangeType(value, t, System.Globalization.CultureInfo.InvariantCulture),
            };
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"model config: {owner.Name} argument '{parameter}' = {value} cannot be converted to {target.Name}.", e);
        }
    }

    private static Array ToArray(IEnumerable<object?> list, Type element, Type owner, string parameter)
    {
        var items = list.ToList();
        var a = Array.CreateInstance(element, items.Count);
        for (int i = 0; i < items.Count; i++) a.SetValue(Convert(items[i], element, owner, parameter), i);
        return a;
    }

    private sealed class Restore(IReadOnlyDictionary<string, Type>? previous) : IDisposable
    {
        public void Dispose() => Scoped.Value = previous;
    }
}
