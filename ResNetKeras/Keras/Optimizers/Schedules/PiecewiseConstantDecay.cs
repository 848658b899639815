using System.Globalization;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.optimizers.schedules.PiecewiseConstantDecay</c>: values[0] while step ≤ boundaries[0], values[i] while
/// boundaries[i−1] &lt; step ≤ boundaries[i], and the last value after the last boundary.
/// </summary>
public sealed class PiecewiseConstantDecay : LearningRateSchedule
{
    /// <summary>Keras's signature; <paramref name="values"/> has one more entry than <paramref name="boundaries"/>.</summary>
    public PiecewiseConstantDecay(IReadOnlyList<double> boundaries, IReadOnlyList<double> values, string name = "PiecewiseConstant")
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        ArgumentNullException.ThrowIfNull(values);
        if (boundaries.Count != values.Count - 1)
            throw new ArgumentException($"The length of boundaries should be 1 less than the length of values. Received: boundaries={List(boundaries)} of length {boundaries.Count}, and values={List(values)} of length {values.Count}.", nameof(values));
        Boundaries = boundaries.ToArray();
        Values = values.ToArray();
        Name = name;
    }

    private static string List(IReadOnlyList<double> xs) => "[" + string.Join(", ", xs.Select(x => x.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>boundaries (steps).</summary>
    public IReadOnlyList<double> Boundaries { get; }
    /// <summary>values.</summary>
    public IReadOnlyList<double> Values { get; }
    /// <summary>name.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public override double Call(long step)
    {
        for (int i = 0; i < Boundaries.Count; i++)
            if (step <= Boundaries[i]) return (float)Values[i];
        return (float)Values[^1];
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["boundaries"] = Boundaries.ToArray(),
        ["values"] = Values.ToArray(),
        ["name"] = Name,
    };
}
