namespace ResNetKeras.Keras;

/// <summary>
/// Checks of the focal losses' arguments. Keras itself accepts anything here; a NaN or negative γ only shows up later
/// as NaN losses, so they are refused up front with the argument's Keras name.
/// </summary>
internal static class FocalArguments
{
    public static float Gamma(double gamma) => gamma >= 0 && double.IsFinite(gamma)
        ? (float)gamma
        : throw new ArgumentException($"Invalid value for argument `gamma`. Expected a finite float >= 0. Received: gamma={gamma}", "gamma");

    public static double Alpha(double alpha) => double.IsFinite(alpha)
        ? alpha
        : throw new ArgumentException($"Invalid value for argument `alpha`. Expected a finite float (a weight, usually in [0, 1]). Received: alpha={alpha}", "alpha");

    public static double LabelSmoothing(double s) => s >= 0 && s <= 1
        ? s
        : throw new ArgumentException($"Invalid value for argument `label_smoothing`. Expected a float in [0, 1]. Received: label_smoothing={s}", "labelSmoothing");
}
