namespace ResNetKeras.Keras;

/// <summary>
/// The string identifiers Keras accepts for a class besides its class name (<c>"mse"</c>, <c>"mean_squared_error"</c> for
/// <c>MeanSquaredError</c>). Registries such as <see cref="Losses"/> find annotated classes by reflection, so adding a
/// loss is one file: the class, its identifiers and its <c>FromConfig</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class KerasIdentifiersAttribute(params string[] identifiers) : Attribute
{
    /// <summary>The identifiers, in Keras's spelling.</summary>
    public IReadOnlyList<string> Identifiers { get; } = identifiers;
}
