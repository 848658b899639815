namespace ResNetKeras.Keras;

/// <summary>One line of an <see cref="SvgChart"/>: a name for the legend and its points.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);
