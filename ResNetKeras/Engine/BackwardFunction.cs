namespace ResNetKeras.Engine;

/// <summary>
/// Computes input gradients from an output gradient for one recorded op. <paramref name="needsGradient"/>[i]
/// says whether input i is on a path to a watched tensor; an entry may be null when it is not needed.
/// </summary>
public delegate Tensor?[] BackwardFunction(Tensor outputGradient, bool[] needsGradient);
