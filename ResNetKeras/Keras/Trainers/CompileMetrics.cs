using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras 3's <c>CompileMetrics</c> (trainers/compile_utils.py): the metrics given to <c>Compile</c> (identifiers and
/// <see cref="Metric"/> objects), built on the first batch, when the shapes of targets and outputs decide what
/// "accuracy" / "acc" means (<c>get_metric</c>): binary when the output has one unit, sparse categorical when the
/// targets have a lower rank or a last axis of 1, else categorical. Each metric is logged under its own name (the
/// identifier as written, or the object's name), a repeated name getting "_1", "_2", ... as Keras's result() does.
/// <c>metrics</c> are updated unweighted and <c>weighted_metrics</c> with the sample weights, as in Keras.
/// One output for now; per-output metric lists extend this container.
/// </summary>
internal sealed class CompileMetrics
{
    private readonly object[] user;
    private readonly object[] userWeighted;
    private Metric[]? built;
    private Metric[]? builtWeighted;

    public CompileMetrics(IReadOnlyList<object>? metrics, IReadOnlyList<object>? weightedMetrics = null)
    {
        user = Validate(metrics, nameof(metrics));
        userWeighted = Validate(weightedMetrics, nameof(weightedMetrics));
        Names = ResultNames(user.Select(DeclaredName), userWeighted.Select(DeclaredName));
    }

    /// <summary>The log keys, in compile order: the metrics, then the weighted metrics.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The metric objects once built (empty before the first batch): the metrics, then the weighted metrics.</summary>
    public IReadOnlyList<Metric> Built => built is null ? [] : [.. built, .. builtWeighted!];

    private static object[] Validate(IReadOnlyList<object>? metrics, string param)
    {
        var list = (metrics ?? []).ToArray();
        for (int i = 0; i < list.Length; i++)
        {
            switch (list[i])
            {
                case null: throw new ArgumentNullException(param, $"{param}[{i}] is null: expected a metric identifier or a Metric instance.");
                case string s when IsAccuracy(s): break;
                case string s:
                    try { Metrics.Get(s); }
                    catch (ArgumentException e) { throw new ArgumentException(e.Message, param, e); }
                    break;
                case Metric: break;
                default: throw new ArgumentException($"Could not interpret metric identifier: {list[i]} (of type {list[i].GetType().Name}) at {param}[{i}]. Expected a string or a Metric instance.", param);
            }
        }
        return list;
    }

    private static string DeclaredName(object m) => m is string s ? s : ((Metric)m).Name;

    private static bool IsAccuracy(string s) => s.ToLowerInvariant() is "accuracy" or "acc";

    /// <summary>
    /// Keras 3's CompileMetrics.result() naming: a repeated metric name gets "_1", "_2", ...; a weighted metric whose name
    /// is taken becomes "weighted_" + name (then numbered if that is taken too).
    /// </summary>
    private static string[] ResultNames(IEnumerable<string> names, IEnumerable<string> weightedNames)
    {
        var counters = new Dictionary<string, int>();
        var result = new List<string>();
        foreach (var n in names)
        {
            if (!counters.TryGetValue(n, out int k)) { counters[n] = 1; result.Add(n); }
            else { counters[n] = k + 1; result.Add($"{n}_{k}"); }
        }
        foreach (var n in weightedNames)
        {
            if (!counters.ContainsKey(n)) { counters[n] = 1; result.Add(n); continue; }
            string w = "weighted_" + n;
            if (!counters.TryGetValue(w, out int k)) { counters[w] = 1; result.Add(w); }
            else { counters[w] = k + 1; result.Add($"{w}_{k}"); }
        }
        return result.ToArray();
    }

    /// <summary>Keras's <c>get_metric(identifier, y_true, y_pred)</c> for every entry.</summary>
    private void Build(Tensor yTrue, Tensor yPred)
    {
        built = Build(user, yTrue, yPred);
        builtWeighted = Build(userWeighted, yTrue, yPred);
    }

    private static Metric[] Build(object[] user, Tensor yTrue, Tensor yPred)
    {
        return user.Select(m =>
        {
            if (m is Metric metric) return metric;
            var s = (string)m;
            Metric created;
            if (IsAccuracy(s))
            {
                int tRank = yTrue.Rank, pRank = yPred.Rank, tLast = tRank == 0 ? 1 : yTrue.Dim(-1), pLast = pRank == 0 ? 1 : yPred.Dim(-1);
                bool binary = pLast == 1;
                bool sparse = tRank < pRank || (tLast == 1 && pLast > 1);
                created = binary ? new BinaryAccuracy(s) : sparse ? new SparseCategoricalAccuracy(s) : new CategoricalAccuracy(s);
            }
            else created = Metrics.Get(s);
            created.Name = s;
            return created;
        }).ToArray();
    }

    /// <summary>Keras's update: the metrics unweighted, the weighted metrics with the sample weights.</summary>
    public void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        if (Names.Count == 0) return;
        if (built is null) Build(yTrue, yPred);
        foreach (var m in built!) m.UpdateState(yTrue, yPred);
        foreach (var m in builtWeighted!) m.UpdateState(yTrue, yPred, sampleWeight);
    }

    public void ResetState()
    {
        foreach (var m in Built) m.ResetState();
    }

    /// <summary>(log key, value) per metric; 0 before the first batch, as the running means start.</summary>
    public IEnumerable<(string Name, double Value)> Results()
    {
        var metrics = Built;
        for (int i = 0; i < Names.Count; i++)
            yield return (Names[i], metrics.Count == 0 ? 0 : metrics[i].Result().Item());
    }

    /// <summary>The training_config entries (metrics, weighted metrics): identifiers as written, objects as their configs.</summary>
    public (object[] Metrics, object[] WeightedMetrics) Serialize() => (Serialize(user), Serialize(userWeighted));

    private static object[] Serialize(object[] list) => list.Select(m => m is Metric metric ? (object)Metrics.Serialize(metric) : m).ToArray();
}
