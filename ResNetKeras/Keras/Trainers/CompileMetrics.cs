using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras 3's <c>CompileMetrics</c> (trainers/compile_utils.py): the metrics given to <c>Compile</c> (identifiers and
/// <see cref="Metric"/> objects), built on the first batch, when the shapes of targets and outputs decide what
/// "accuracy" / "acc" means (<c>get_metric</c>): binary when the output has one unit, sparse categorical when the
/// targets have a lower rank or a last axis of 1, else categorical. Each metric is logged under its own name (the
/// identifier as written, or the object's name), a repeated name getting "_1", "_2", ... as Keras's result() does.
/// One output for now; per-output metric lists extend this container.
/// </summary>
internal sealed class CompileMetrics
{
    private readonly object[] user;
    private Metric[]? built;

    public CompileMetrics(IReadOnlyList<object>? metrics)
    {
        user = (metrics ?? []).ToArray();
        for (int i = 0; i < user.Length; i++)
        {
            switch (user[i])
            {
                case null: throw new ArgumentNullException(nameof(metrics), $"metrics[{i}] is null: expected a metric identifier or a Metric instance.");
                case string s when IsAccuracy(s): break;
                case string s:
                    try { Metrics.Get(s); }
                    catch (ArgumentException e) { throw new ArgumentException(e.Message, nameof(metrics), e); }
                    break;
                case Metric: break;
                default: throw new ArgumentException($"Could not interpret metric identifier: {user[i]} (of type {user[i].GetType().Name}) at metrics[{i}]. Expected a string or a Metric instance.", nameof(metrics));
            }
        }
        Names = UniqueNames(user.Select(m => m is string s ? s : ((Metric)m).Name));
    }

    /// <summary>The log keys, in compile order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The metric objects once built (empty before the first batch).</summary>
    public IReadOnlyList<Metric> Built => built ?? [];

    public int Count => user.Length;

    private static bool IsAccuracy(string s) => s.ToLowerInvariant() is "accuracy" or "acc";

    private static string[] UniqueNames(IEnumerable<string> names)
    {
        var counters = new Dictionary<string, int>();
        return names.Select(n =>
        {
            if (!counters.TryGetValue(n, out int k)) { counters[n] = 1; return n; }
            counters[n] = k + 1;
            return $"{n}_{k}";
        }).ToArray();
    }

    /// <summary>Keras's <c>get_metric(identifier, y_true, y_pred)</c> for every entry.</summary>
    private void Build(Tensor yTrue, Tensor yPred)
    {
        built = user.Select(m =>
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

    public void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        if (user.Length == 0) return;
        if (built is null) Build(yTrue, yPred);
        foreach (var m in built!) m.UpdateState(yTrue, yPred, sampleWeight);
    }

    public void ResetState()
    {
        if (built is null) return;
        foreach (var m in built) m.ResetState();
    }

    /// <summary>(log key, value) per metric; 0 before the first batch, as the running means start.</summary>
    public IEnumerable<(string Name, double Value)> Results()
    {
        for (int i = 0; i < user.Length; i++)
            yield return (Names[i], built is null ? 0 : built[i].Result().Item());
    }

    /// <summary>The training_config entry: identifiers as written, objects as their configs.</summary>
    public object[] Serialize() => user.Select(m => m is Metric metric ? (object)Metrics.Serialize(metric) : m).ToArray();
}
