using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>keras.losses.CosineSimilarity(axis=-1)</c>: −Σ over <c>axis</c> of l2_normalize(y_true)·l2_normalize(y_pred),
/// in [−1, 1] with −1 for vectors pointing the same way; a zero vector gives 0 (Keras 3's normalize bounds the norm
/// below by ε). As a metric, Keras's <c>keras.metrics.CosineSimilarity</c> is the positive similarity: see
/// <see cref="Metrics.CosineSimilarity"/>, which <c>metrics: ["cosine_similarity"]</c> gives.
/// </summary>
[KerasIdentifiers("cosine_similarity")]
public sealed class CosineSimilarity : Loss
{
    /// <summary>Keras's signature with its defaults.</summary>
    public CosineSimilarity(int axis = -1, string? reduction = "sum_over_batch_size", string name = "cosine_similarity")
        : base(name, reduction)
    {
        Axis = axis;
    }

    /// <summary>The feature axis the similarity is taken over.</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor yTrue, Tensor yPred) => Op.Scale(Similarity(ElementwiseLoss.MatchTargets(Name, yTrue, yPred), yPred, Axis), -1f);

    internal override void CheckTargets(NDArray y, int[] outputShape, string param) => ElementwiseLoss.CheckSameShapeTargets(this, y, outputShape, param);

    /// <summary>Σ over <paramref name="axis"/> of l2_normalize(a)·l2_normalize(b), for same-shaped tensors (Keras's metric <c>cosine_similarity</c>).</summary>
    internal static Tensor Similarity(Tensor a, Tensor b, int axis) =>
        Op.Sum(Op.Multiply(Op.L2Normalize(a, axis), Op.L2Normalize(b, axis)), axis);

    /// <summary>
    /// Keras's config: name and reduction; Keras 3's <c>get_config</c> leaves out <c>axis</c>, which is added here so a
    /// round trip keeps it (Keras's <c>from_config</c> accepts it as a constructor argument).
    /// </summary>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["axis"] = Axis;
        return c;
    }

    /// <summary><c>CosineSimilarity.from_config(config)</c>.</summary>
    public static CosineSimilarity FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new CosineSimilarity(ConfigValues.Int(config, "axis", -1), ConfigValues.Reduction(config), ConfigValues.String(config, "name") ?? "cosine_similarity");
    }
}
