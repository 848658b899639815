using System.Collections;
using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras 3's <c>CompileLoss</c> (trainers/compile_utils.py): the loss given to <c>Compile</c> resolved to one
/// <see cref="Loss"/> per model output. One loss for a model with several outputs applies to each of them; a list
/// gives one per output (null: that output has no loss); a dictionary gives one per output name and must name every
/// output. The total is Σ wᵢ·Lᵢ over the outputs with <c>loss_weights</c> wᵢ (1 when not given); with more than one
/// loss each is also tracked, unweighted, by a <see cref="Mean"/> named "{output}_loss".
/// </summary>
internal sealed class CompileLoss
{
    private readonly object?[]? perOutputList;
    private readonly IReadOnlyDictionary<string, object?>? perOutputDict;
    private readonly Loss? single;
    private readonly double[]? userWeights;
    private Entry[]? entries;
    private int boundOutputs = -1;

    /// <summary>One output's loss: the output index, the loss, its weight (null: none given) and its log name.</summary>
    public sealed record Entry(int Output, Loss Loss, double? Weight, string Name, Mean? Tracker);

    public CompileLoss(object loss, IReadOnlyList<double>? lossWeights = null)
    {
        UserLoss = loss ?? throw new ArgumentNullException(nameof(loss), "Compile needs a loss: a string such as \"categorical_crossentropy\" or a Loss instance.");
        switch (loss)
        {
            case string or Loss:
                single = Losses.Get(loss);
                break;
            case IReadOnlyDictionary<string, object?> d:
                perOutputDict = d.ToDictionary(kv => kv.Key, kv => kv.Value is null ? null : (object)Losses.Get(kv.Value));
                break;
            case IDictionary d:
                var copy = new Dictionary<string, object?>();
                foreach (DictionaryEntry kv in d)
                    copy[kv.Key as string ?? throw new ArgumentException($"The keys of a `loss` dictionary are output names; found key {kv.Key}.", nameof(loss))] =
                        kv.Value is null ? null : Losses.Get(kv.Value);
                perOutputDict = copy;
                break;
            case IEnumerable list:
                perOutputList = list.Cast<object?>().Select(l => l is null ? null : (object)Losses.Get(l)).ToArray();
                if (perOutputList.Length == 0) throw new ArgumentException("Invalid value for argument `loss`: an empty list; expected one loss per model output.", nameof(loss));
                break;
            default:
                single = Losses.Get(loss);
                break;
        }
        if (lossWeights is not null)
        {
            userWeights = lossWeights.ToArray();
            foreach (var w in userWeights)
                if (!double.IsFinite(w))
                    throw new ArgumentException($"Invalid value for argument `loss_weights`: {w}; expected finite numbers.", nameof(lossWeights));
        }
    }

    /// <summary>What was passed to Compile (<c>model.loss</c>).</summary>
    public object UserLoss { get; }

    /// <summary>The loss weights passed to Compile, or null.</summary>
    public IReadOnlyList<double>? UserLossWeights => userWeights;

    /// <summary>The loss of a one-loss compile (what <c>Loss</c> objects are for most models).</summary>
    public Loss? SingleLoss => single;

    /// <summary>
    /// Keras's <c>CompileLoss.build</c> for a model with <paramref name="outputNames"/> (one entry per output, in order):
    /// the per-output losses with their weights and trackers. Throws Keras's errors when the structure does not fit.
    /// </summary>
    public IReadOnlyList<Entry> Bind(IReadOnlyList<string> outputNames)
    {
        if (entries is not null && boundOutputs == outputNames.Count) return entries;
        int n = outputNames.Count;
        Loss?[] perOutput;
        if (single is not null) perOutput = Enumerable.Repeat<Loss?>(single, n).ToArray();
        else if (perOutputList is not null)
        {
            if (perOutputList.Length != n)
                throw new ArgumentException($"For a model with {n} output(s), the `loss` list should have one entry per output; received {perOutputList.Length} entries.", "loss");
            perOutput = perOutputList.Cast<Loss?>().ToArray();
        }
        else
        {
            var d = perOutputDict!;
            if (!new HashSet<string>(d.Keys).SetEquals(outputNames))
                throw new ArgumentException($"Expected keys [{string.Join(", ", outputNames.Select(s => $"'{s}'"))}] in loss dict, but found loss.keys()=[{string.Join(", ", d.Keys.Select(s => $"'{s}'"))}]", "loss");
            perOutput = outputNames.Select(name => (Loss?)d[name]).ToArray();
        }
        int count = perOutput.Count(l => l is not null);
        if (count == 0) throw new ArgumentException("Invalid value for argument `loss`: every output's loss is null; at least one output needs a loss.", "loss");
        double?[] weights = new double?[n];
        if (userWeights is not null)
        {
            // One weight with one loss applies to every output, as Keras packs a float into the loss structure.
            if (single is not null && userWeights.Length == 1) Array.Fill(weights, userWeights[0]);
            else
            {
                int expected = single is not null ? 1 : perOutputList?.Length ?? n;
                if (userWeights.Length != expected)
                    throw new ArgumentException($"`loss_weights` must match the number of losses, got {expected} losses and {userWeights.Length} weights.", "lossWeights");
                for (int i = 0; i < n; i++) weights[i] = userWeights[i];
            }
        }
        var list = new List<Entry>();
        for (int i = 0; i < n; i++)
        {
            if (perOutput[i] is not { } loss) continue;
            string name = outputNames[i];
            list.Add(new Entry(i, loss, weights[i], name, count > 1 ? new Mean(name + "_loss") : null));
        }
        boundOutputs = n;
        return entries = list.ToArray();
    }

    /// <summary>The trackers of the individual losses ("{output}_loss"), empty with one loss; valid after <see cref="Bind"/>.</summary>
    public IEnumerable<Mean> Trackers => (entries ?? []).Where(e => e.Tracker is not null).Select(e => e.Tracker!);

    /// <summary>The log names of the individual losses, before any batch (Keras's metrics_names).</summary>
    public IEnumerable<string> TrackerNames(IReadOnlyList<string> outputNames) => Bind(outputNames).Where(e => e.Tracker is not null).Select(e => e.Tracker!.Name);

    /// <summary>
    /// The reduced data loss of a batch, Σ wᵢ·Lᵢ over the outputs (each from the logits of a softmax output when its loss
    /// has that form); every individual loss, unweighted, goes into its tracker with the batch size as its weight.
    /// </summary>
    public Tensor Call(IReadOnlyList<Tensor> yTrue, IReadOnlyList<Tensor> yPred, IReadOnlyList<Tensor?> logits, Tensor? sampleWeight,
        IReadOnlyList<string> outputNames, Devices.IDevice device, int batchSize)
    {
        var es = Bind(outputNames);
        Tensor? total = null;
        foreach (var e in es)
        {
            var value = e.Loss.Compute(yTrue[e.Output], yPred[e.Output], logits[e.Output], sampleWeight);
            e.Tracker?.UpdateState(value, Tensor.Full(device, [], batchSize));
            if (e.Weight is { } w) value = Op.Multiply(value, Tensor.Full(device, [], (float)w));
            total = total is null ? value : Op.Add(total, value);
        }
        return total!;
    }

    /// <summary>Checks the targets of every output with a loss against the output's shape.</summary>
    public void CheckTargets(IReadOnlyList<NDArray> y, int[][] outputShapes, IReadOnlyList<string> outputNames, string param)
    {
        foreach (var e in Bind(outputNames))
            e.Loss.CheckTargets(y[e.Output], outputShapes[e.Output], y.Count > 1 ? $"{param}[{e.Output}]" : param);
    }

    /// <summary>
    /// The training_config entry: a string identifier as its canonical function name, an object as its config; a list or
    /// dictionary of those for per-output losses.
    /// </summary>
    public object Serialize()
    {
        object? One(object? user, Loss? resolved) => resolved is null ? null : user is string ? resolved.Name : Losses.Serialize(resolved);
        if (single is not null) return One(UserLoss, single)!;
        if (perOutputList is not null)
        {
            var users = ((IEnumerable)UserLoss).Cast<object?>().ToArray();
            return perOutputList.Select((l, i) => One(users[i], (Loss?)l)).ToArray();
        }
        var userDict = UserLoss as IDictionary;
        return perOutputDict!.ToDictionary(kv => kv.Key, kv => One(userDict?[kv.Key], (Loss?)kv.Value));
    }
}
