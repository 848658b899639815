using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras 3's <c>CompileMetrics</c> (trainers/compile_utils.py): the metrics given to <c>Compile</c> (identifiers and
/// <see cref="Metric"/> objects), built on the first batch, when the shapes of targets and outputs decide what
/// "accuracy" / "acc" means (<c>get_metric</c>): binary when the output has one unit, sparse categorical when the
/// targets have a lower rank or a last axis of 1, else categorical. Each metric is logged under its own name (the
/// identifier as written, or the object's name), a repeated name getting "_1", "_2", ... as Keras's result() does.
/// <c>metrics</c> are updated unweighted and <c>weighted_metrics</c> with the sample weights, as in Keras.
/// For a model with several outputs, <c>metrics</c> has one entry per output (a metric, a list of metrics, or null), as
/// Keras 3 requires, and each is logged as "{output}_{metric}".
/// </summary>
internal sealed class CompileMetrics
{
    private readonly object?[] user;
    private readonly object?[] userWeighted;
    private Slot[]? slots;
    private int boundOutputs = -1;
    private Metric[]? built;

    /// <summary>One compiled metric: weighted or not, the output it reads, what the user gave, its log name.</summary>
    private sealed record Slot(bool Weighted, int Output, object Declared, string LogName);

    public CompileMetrics(IReadOnlyList<object?>? metrics, IReadOnlyList<object?>? weightedMetrics = null)
    {
        user = (metrics ?? []).ToArray();
        userWeighted = (weightedMetrics ?? []).ToArray();
        // Entries are checked now so that Compile fails, not the first batch.
        foreach (var (list, param) in new[] { (user, nameof(metrics)), (userWeighted, nameof(weightedMetrics)) })
            for (int i = 0; i < list.Length; i++)
            {
                if (list[i] is System.Collections.IEnumerable nested and not string)
                {
                    int j = 0;
                    foreach (var m in nested) ValidateOne(m, $"{param}[{i}][{j++}]", param);
                }
                else if (list[i] is not null) ValidateOne(list[i], $"{param}[{i}]", param);
            }
    }

    private static void ValidateOne(object? m, string where, string param)
    {
        switch (m)
        {
            case null: throw new ArgumentNullException(param, $"{where} is null: expected a metric identifier or a Metric instance.");
            case string s when IsAccuracy(s): break;
            case string s:
                try { Metrics.Get(s); }
                catch (ArgumentException e) { throw new ArgumentException(e.Message, param, e); }
                break;
            case Metric: break;
            default: throw new ArgumentException($"Could not interpret metric identifier: {m} (of type {m.GetType().Name}) at {where}. Expected a string or a Metric instance.", param);
        }
    }

    /// <summary>
    /// Keras's <c>_build_metrics_set</c>: with one output every entry is a metric of it (no prefix); with several, the
    /// list has one entry per output (a metric, a list of metrics or null) and log names get the output's name.
    /// </summary>
    public void Bind(IReadOnlyList<string> outputNames)
    {
        if (slots is not null && boundOutputs == outputNames.Count) return;
        var list = new List<Slot>();
        foreach (var (entries, weighted, param) in new[] { (user, false, "metrics"), (userWeighted, true, "weighted_metrics") })
        {
            if (outputNames.Count == 1)
            {
                foreach (var e in entries)
                {
                    if (e is System.Collections.IEnumerable nested and not string)
                        throw new ArgumentException($"Expected all entries in the `{param}` list to be metric objects. Received instead a nested list; nested lists are for models with several outputs.", param);
                    if (e is not null) list.Add(new Slot(weighted, 0, e, ""));
                }
                continue;
            }
            if (entries.Length == 0) continue;
            if (entries.Length != outputNames.Count)
                throw new ArgumentException($"For a model with multiple outputs, when providing the `{param}` argument as a list, it should have as many entries as the model has outputs. Received:\n{param}=[{string.Join(", ", entries.Select(Describe))}]\nof length {entries.Length} whereas the model has {outputNames.Count} outputs.", param);
            for (int o = 0; o < entries.Length; o++)
            {
                if (entries[o] is null) continue;
                var perOutput = entries[o] is System.Collections.IEnumerable nested and not string ? nested.Cast<object>() : [entries[o]!];
                foreach (var m in perOutput) list.Add(new Slot(weighted, o, m, ""));
            }
        }
        var prefixes = outputNames.Count == 1 ? [""] : outputNames.Select(n => n + "_").ToArray();
        var names = ResultNames(list.Select(s => (s.Weighted, prefixes[s.Output], DeclaredName(s.Declared))).ToList());
        slots = list.Select((s, i) => s with { LogName = names[i] }).ToArray();
        boundOutputs = outputNames.Count;
        built = null;
    }

    private static string Describe(object? m) => m switch
    {
        null => "None",
        string s => $"'{s}'",
        Metric metric => metric.Name,
        System.Collections.IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Describe)) + "]",
        _ => m.ToString() ?? "",
    };

    /// <summary>The log keys, in compile order: the metrics, then the weighted metrics; valid after <see cref="Bind"/>.</summary>
    public IReadOnlyList<string> Names => slots?.Select(s => s.LogName).ToArray() ?? [];

    /// <summary>The metric objects once built (empty before the first batch): the metrics, then the weighted metrics.</summary>
    public IReadOnlyList<Metric> Built => built ?? [];

    private static string DeclaredName(object m) => m is string s ? s : ((Metric)m).Name;

    private static bool IsAccuracy(string s) => s.ToLowerInvariant() is "accuracy" or "acc";

    /// <summary>
    /// Keras 3's CompileMetrics.result() naming: a metric's name prefixed by its output's; a repeated name gets "_1",
    /// "_2", ...; a weighted metric whose name is taken becomes "{output}_weighted_" + name (then numbered if that is
    /// taken too).
    /// </summary>
    private static string[] ResultNames(List<(bool Weighted, string Prefix, string Name)> entries)
    {
        var counters = new Dictionary<string, int>();
        var result = new string[entries.Count];
        foreach (bool weightedPass in new[] { false, true })
            for (int i = 0; i < entries.Count; i++)
            {
                var (weighted, prefix, n) = entries[i];
                if (weighted != weightedPass) continue;
                string name = prefix + n;
                if (!counters.TryGetValue(name, out int k)) { counters[name] = 1; result[i] = name; continue; }
                if (!weighted) { counters[name] = k + 1; result[i] = $"{name}_{k}"; continue; }
                string w = prefix + "weighted_" + n;
                if (!counters.TryGetValue(w, out int kw)) { counters[w] = 1; result[i] = w; }
                else { counters[w] = kw + 1; result[i] = $"{w}_{kw}"; }
            }
        return result;
    }

    /// <summary>Keras's <c>get_metric(identifier, y_true, y_pred)</c> for every entry, with its output's targets and predictions.</summary>
    private void Build(IReadOnlyList<Tensor> yTrue, IReadOnlyList<Tensor> yPred)
    {
        built = slots!.Select(slot =>
        {
            if (slot.Declared is Metric metric) return metric;
            var s = (string)slot.Declared;
            Tensor t = yTrue[slot.Output], p = yPred[slot.Output];
            Metric created;
            if (IsAccuracy(s))
            {
                int tRank = t.Rank, pRank = p.Rank, tLast = tRank == 0 ? 1 : t.Dim(-1), pLast = pRank == 0 ? 1 : p.Dim(-1);
                bool binary = pLast == 1;
                bool sparse = tRank < pRank || (tLast == 1 && pLast > 1);
                created = binary ? new BinaryAccuracy(s) : sparse ? new SparseCategoricalAccuracy(s) : new CategoricalAccuracy(s);
            }
            else created = Metrics.Get(s);
            created.Name = s;
            return created;
        }).ToArray();
    }

    /// <summary>Keras's update: the metrics unweighted, the weighted metrics with the sample weights (the same for every output).</summary>
    public void UpdateState(IReadOnlyList<Tensor> yTrue, IReadOnlyList<Tensor> yPred, Tensor? sampleWeight = null)
    {
        if (slots is null || slots.Length == 0) return;
        if (built is null) Build(yTrue, yPred);
        for (int i = 0; i < slots.Length; i++)
        {
            var slot = slots[i];
            if (slot.Weighted) built![i].UpdateState(yTrue[slot.Output], yPred[slot.Output], sampleWeight);
            else built![i].UpdateState(yTrue[slot.Output], yPred[slot.Output]);
        }
    }

    public void ResetState()
    {
        foreach (var m in Built) m.ResetState();
    }

    /// <summary>(log key, value) per metric; 0 before the first batch, as the running means start.</summary>
    public IEnumerable<(string Name, double Value)> Results()
    {
        if (slots is null) yield break;
        for (int i = 0; i < slots.Length; i++)
            yield return (slots[i].LogName, built is null ? 0 : built[i].Result().Item());
    }

    /// <summary>
    /// The training_config entries (metrics, weighted metrics): identifiers as written, objects as their configs, nested
    /// per output as given.
    /// </summary>
    public (object?[] Metrics, object?[] WeightedMetrics) Serialize() => (Serialize(user), Serialize(userWeighted));

    private static object?[] Serialize(object?[] list) => list.Select(SerializeOne).ToArray();

    private static object? SerializeOne(object? m) => m switch
    {
        null => null,
        Metric metric => Metrics.Serialize(metric),
        string s => s,
        System.Collections.IEnumerable e => e.Cast<object?>().Select(SerializeOne).ToArray(),
        _ => m,
    };
}
