namespace ResNetKeras.Keras;

/// <summary>
/// Keras 3's <c>@keras.saving.register_keras_serializable(package="Custom", name=None)</c>: marks a user's
/// <see cref="Layer"/> subclass so that <see cref="Models.LoadModel(string, bool, IReadOnlyDictionary{string, Type}?)"/>
/// rebuilds it from a saved config without <c>customObjects</c>. The class is rebuilt with its public static
/// <c>FromConfig(IReadOnlyDictionary&lt;string, object?&gt;)</c> when it has one, else with the constructor whose
/// parameters match the config's keys (Keras's <c>cls(**config)</c>; <c>snake_case</c> keys to camelCase parameters).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RegisterKerasSerializableAttribute(string package = "Custom", string? name = null) : Attribute
{
    /// <summary>The package prefix of the registered name (<c>Custom</c>).</summary>
    public string Package { get; } = package;

    /// <summary>The registered class name (the C# class name when null).</summary>
    public string? Name { get; } = name;
}
