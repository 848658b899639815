namespace ResNetKeras.Keras;

/// <summary>Keras's <c>keras.metrics</c> module functions: <c>get</c>, <c>serialize</c>, <c>deserialize</c>.</summary>
public static class Metrics
{
    private static readonly Dictionary<string, Func<Metric>> Known = new()
    {
        ["Mean"] = () => new Mean(),
        ["mean"] = () => new Mean(),
        ["Accuracy"] = () => new Accuracy(),
        ["accuracy"] = () => new Accuracy(),
        ["BinaryAccuracy"] = () => new BinaryAccuracy(),
        ["binary_accuracy"] = () => new BinaryAccuracy(),
        ["CategoricalAccuracy"] = () => new CategoricalAccuracy(),
        ["categorical_accuracy"] = () => new CategoricalAccuracy(),
        ["SparseCategoricalAccuracy"] = () => new SparseCategoricalAccuracy(),
        ["sparse_categorical_accuracy"] = () => new SparseCategoricalAccuracy(),
        ["TopKCategoricalAccuracy"] = () => new TopKCategoricalAccuracy(),
        ["top_k_categorical_accuracy"] = () => new TopKCategoricalAccuracy(),
        ["SparseTopKCategoricalAccuracy"] = () => new SparseTopKCategoricalAccuracy(),
        ["sparse_top_k_categorical_accuracy"] = () => new SparseTopKCategoricalAccuracy(),
        ["Precision"] = () => new Precision(),
        ["precision"] = () => new Precision(),
        ["Recall"] = () => new Recall(),
        ["recall"] = () => new Recall(),
        ["AUC"] = () => new AUC(),
        ["auc"] = () => new AUC(),
        // Keras's metric of this name is the positive similarity, unlike the loss (which Get would otherwise wrap).
        ["CosineSimilarity"] = () => CosineSimilarity(),
        ["cosine_similarity"] = () => CosineSimilarity(),
    };

    /// <summary>
    /// <c>keras.metrics.CosineSimilarity(name="cosine_similarity", axis=-1)</c>: the running mean of
    /// Σ l2_normalize(y_true)·l2_normalize(y_pred) over <paramref name="axis"/>, +1 for vectors pointing the same way.
    /// A function here because the class name <c>CosineSimilarity</c> is the loss (which is the negated value), as
    /// <c>MeanSquaredError</c> is.
    /// </summary>
    public static MeanMetricWrapper CosineSimilarity(string name = "cosine_similarity", int axis = -1) =>
        new((yTrue, yPred) => Keras.CosineSimilarity.Similarity(ElementwiseLoss.MatchTargets(name, yTrue, yPred), yPred, axis), name);

    /// <summary>
    /// <c>keras.metrics.get(identifier)</c>: a <see cref="Metric"/> is returned as is; a string names a metric by class name
    /// (<c>TopKCategoricalAccuracy</c>) or snake_case name (<c>top_k_categorical_accuracy</c>) and gives a new instance
    /// with Keras's defaults. (In <c>Compile</c>, "accuracy" and "acc" are resolved by the shapes of targets and outputs.)
    /// </summary>
    public static Metric Get(object identifier) => identifier switch
    {
        Metric m => m,
        string s when Known.TryGetValue(s, out var make) => make(),
        // Any loss identifier is also a metric: its per-sample values averaged, logged under the identifier.
        string s when Losses.Identifiers.Contains(s) => new LossMetric(Losses.Get(s), s),
        null => throw new ArgumentNullException(nameof(identifier), "Could not interpret metric identifier: None."),
        string s => throw new ArgumentException($"Could not interpret metric identifier: '{s}'. Expected one of {string.Join(", ", Known.Keys.Where(k => char.IsLower(k[0])))}, acc (in Compile), their class names, a loss identifier, or a Metric instance.", nameof(identifier)),
        _ => throw new ArgumentException($"Could not interpret metric identifier: {identifier} (of type {identifier.GetType().Name}). Expected a string or a Metric instance.", nameof(identifier)),
    };

    /// <summary><c>keras.metrics.serialize(metric)</c>: <c>{"class_name": ..., "config": ...}</c>.</summary>
    public static Dictionary<string, object?> Serialize(Metric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return new() { ["class_name"] = metric.GetType().Name, ["config"] = metric.GetConfig() };
    }

    /// <summary>
    /// <c>keras.metrics.deserialize({"class_name": ..., "config": ...})</c>: every metric class of this library with a
    /// static <c>FromConfig</c> (found by reflection, so adding a metric is one file).
    /// </summary>
    public static Metric Deserialize(string className, IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(className);
        ArgumentNullException.ThrowIfNull(config);
        if (!FromConfigs.Value.TryGetValue(className, out var fromConfig))
            throw new ArgumentException($"Could not interpret metric identifier: unknown metric class '{className}'. Known classes: {string.Join(", ", FromConfigs.Value.Keys.Order())}.", nameof(className));
        try { return fromConfig(config); }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private static readonly Lazy<Dictionary<string, Func<IReadOnlyDictionary<string, object?>, Metric>>> FromConfigs = new(() =>
    {
        var result = new Dictionary<string, Func<IReadOnlyDictionary<string, object?>, Metric>>();
        foreach (var type in typeof(Metric).Assembly.GetTypes())
        {
            if (!type.IsPublic || type.IsAbstract || !typeof(Metric).IsAssignableFrom(type)) continue;
            var method = type.GetMethod("FromConfig", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly,
                [typeof(IReadOnlyDictionary<string, object?>)]);
            if (method is null || !typeof(Metric).IsAssignableFrom(method.ReturnType)) continue;
            result[type.Name] = c => (Metric)method.Invoke(null, [c])!;
        }
        return result;
    });
}
