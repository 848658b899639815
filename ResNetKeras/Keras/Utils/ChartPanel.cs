namespace ResNetKeras.Keras;

/// <summary>One plot of an <see cref="SvgChart"/>: a y-axis label and its lines.</summary>
public sealed record ChartPanel(string YLabel, IReadOnlyList<ChartSeries> Series);
