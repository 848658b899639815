using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

public abstract partial class Trainer
{
    // ------------------------------------------------------------------ fit

    /// <summary>
    /// <c>model.fit(x, y, batch_size, epochs, verbose, callbacks, validation_split, validation_data, shuffle, sample_weight,
    /// initial_epoch)</c> over arrays: ⌈N/B⌉ steps per epoch, a fresh permutation each epoch when shuffling (from
    /// (<paramref name="seed"/>, epoch), or (the global seed of <see cref="Utils.SetRandomSeed"/>, epoch), else the session's
    /// random source), the last partial batch kept. With
    /// <paramref name="sampleWeight"/> (one weight per sample) each batch's loss is Σ ℓᵢ·wᵢ / B as in Keras; the
    /// compiled metrics stay unweighted. Cancelling <paramref name="cancellationToken"/> (Ctrl-C through
    /// <see cref="InterruptHandler"/>) stops training between batches: the unfinished epoch gets no validation and no
    /// <c>OnEpochEnd</c>, <c>OnTrainEnd</c> still runs, <see cref="TrainingCancelled"/> is set and the History so far is
    /// returned. A <see cref="BackupAndRestore"/> callback's backup overrides <paramref name="initialEpoch"/>.
    /// </summary>
    public History Fit(NDArray x, NDArray y, int? batchSize = null, int epochs = 1, int verbose = 1, IReadOnlyList<Callback>? callbacks = null,
        double validationSplit = 0, (NDArray X, NDArray Y)? validationData = null, bool shuffle = true, int initialEpoch = 0, uint? seed = null,
        int? validationBatchSize = null, int validationFreq = 1, NDArray? sampleWeight = null, CancellationToken cancellationToken = default,
        IReadOnlyDictionary<int, double>? classWeight = null)
    {
        EnsureCompiled();
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        CheckBatchSize(batchSize);
        CheckBatchSize(validationBatchSize, nameof(validationBatchSize));
        CheckEpochs(epochs, initialEpoch);
        CheckValidationFreq(validationFreq);
        if (!(validationSplit >= 0 && validationSplit < 1))
            throw new ArgumentException($"Invalid value for argument `validation_split`. Expected a float in [0, 1). Received validation_split={validationSplit}.", nameof(validationSplit));
        CheckInputShape(x.ShapeSpan, nameof(x));
        CheckLabels(x, y, nameof(y));
        CheckSampleWeight(x, sampleWeight, nameof(sampleWeight));
        if (classWeight is not null) sampleWeight = ClassWeights(y, classWeight, sampleWeight);
        if (validationSplit > 0)
        {
            int split = (int)(x.IntShape[0] * (1 - validationSplit));
            validationData = (x.Slice(split, x.IntShape[0]), y.Slice(split, y.IntShape[0]));
            x = x.Slice(0, split);
            y = y.Slice(0, split);
            sampleWeight = sampleWeight?.Slice(0, split);
        }
        if (x.IntShape[0] == 0)
            throw new ArgumentException($"Expected `x` to be a non-empty array; it has no samples{(validationSplit > 0 ? $" left after validation_split={validationSplit}" : "")}.", nameof(x));
        if (validationData is { } vd)
        {
            CheckInputShape(vd.X.ShapeSpan, "validationData.X");
            CheckLabels(vd.X, vd.Y, "validationData.Y");
            if (vd.X.IntShape[0] == 0)
                throw new ArgumentException($"Expected the validation data to be non-empty{(validationSplit > 0 ? $"; validation_split={validationSplit} of {x.IntShape[0]} samples leaves none" : "")}.", nameof(validationData));
        }
        int b = batchSize ?? 32;
        int n = x.IntShape[0];
        int steps = (n + b - 1) / b;
        CheckDistributedBatch(b, nameof(batchSize));
        uint baseSeed = BeginDistributedFit(seed ?? Backend.DerivedSeed("fit.shuffle"));
        var distributed = Distributed;
        return RunFit(epochs, initialEpoch, steps, verbose, callbacks, validationData, validationBatchSize ?? b, validationFreq, (epoch, first) =>
        {
            var order = shuffle ? EpochRandom(baseSeed, epoch).Permutation(n) : Enumerable.Range(0, n).ToArray();
            return Enumerable.Range(first, steps - first).Select(s =>
            {
                var global = order.AsSpan(s * b, Math.Min(b, n - s * b));
                // Under a multi-worker strategy each worker trains on its rows of the global batch.
                var idx = distributed is null ? global.ToArray() : distributed.ShardIndices(global);
                return (AsFloatBatch(x.Take(idx)), y.Take(idx), sampleWeight?.Take(idx));
            });
        }, onEpochBegin: null, onEpochEnd: null, cancellationToken, disposeBatches: true);
    }

    /// <summary>
    /// <c>model.fit(sequence, ...)</c> over a <see cref="Sequence"/> such as <c>ImageDataGenerator.Flow</c>: steps per epoch
    /// = <paramref name="stepsPerEpoch"/> or the sequence length (batch indices cycle when more are asked); the batch order
    /// is shuffled each epoch when <paramref name="shuffle"/>; <paramref name="workers"/> threads prepare up to
    /// <paramref name="maxQueueSize"/> batches ahead; <c>OnEpochEnd</c> runs after every epoch. Sample weights the
    /// sequence yields (<c>Flow(..., sampleWeight: w)</c>) weight the loss as in the array overload. Each epoch starts with
    /// <c>x.OnEpochBegin(epoch)</c>, so a new Flow resumed with <paramref name="initialEpoch"/> gives the batches of an
    /// uninterrupted run; <paramref name="cancellationToken"/> and <see cref="BackupAndRestore"/> as in the array overload.
    /// </summary>
    public History Fit(Sequence x, int epochs = 1, int verbose = 1, IReadOnlyList<Callback>? callbacks = null,
        (NDArray X, NDArray Y)? validationData = null, int? stepsPerEpoch = null, int initialEpoch = 0, bool shuffle = true,
        int workers = 1, int maxQueueSize = 10, int? validationBatchSize = null, uint? seed = null, int validationFreq = 1,
        CancellationToken cancellationToken = default)
    {
        EnsureCompiled();
        ArgumentNullException.ThrowIfNull(x);
        CheckEpochs(epochs, initialEpoch);
        if (stepsPerEpoch is <= 0)
            throw new ArgumentException($"Invalid value for argument `steps_per_epoch`. Expected a strictly positive integer. Received steps_per_epoch={stepsPerEpoch}.", nameof(stepsPerEpoch));
        CheckBatchSize(validationBatchSize, nameof(validationBatchSize));
        CheckValidationFreq(validationFreq);
        int len = x.Count;
        if (len <= 0) throw new ArgumentException($"The sequence `x` has no batches (Count={len}).", nameof(x));
        if (validationData is { } vd)
        {
            CheckInputShape(vd.X.ShapeSpan, "validationData.X");
            CheckLabels(vd.X, vd.Y, "validationData.Y");
            if (vd.X.IntShape[0] == 0) throw new ArgumentException("Expected the validation data to be non-empty.", nameof(validationData));
        }
        int steps = stepsPerEpoch ?? len;
        uint baseSeed = BeginDistributedFit(seed ?? Backend.DerivedSeed("fit.shuffle"));
        // Under a multi-worker strategy batch i is this worker's rows of the sequence's global batch i.
        var source = Distributed is { } strategy ? strategy.Shard(x) : x;
        var enqueuer = new OrderedEnqueuer(source, workers, maxQueueSize);
        bool checkedFirst = false;
        return RunFit(epochs, initialEpoch, steps, verbose, callbacks, validationData, validationBatchSize ?? 32, validationFreq, (epoch, first) =>
        {
            var perm = shuffle ? EpochRandom(baseSeed, epoch).Permutation(len) : Enumerable.Range(0, len).ToArray();
            var order = Enumerable.Range(first, steps - first).Select(s => perm[s % len]).ToList();
            return enqueuer.GetEpochWithSampleWeight(order).Select(batch =>
            {
                var yb = batch.Y ?? throw new ArgumentException("The sequence `x` yielded a batch without targets; Fit needs (x, y) batches.", nameof(x));
                if (!checkedFirst)
                {
                    CheckInputShape(batch.X.ShapeSpan, nameof(x));
                    CheckLabels(batch.X, yb, "y (from the sequence)");
                    checkedFirst = true;
                }
                CheckSampleWeight(batch.X, batch.SampleWeight, "sample_weight (from the sequence)");
                return (AsFloatBatch(batch.X), yb, batch.SampleWeight);
            });
        }, onEpochBegin: x.OnEpochBegin, onEpochEnd: x.OnEpochEnd, cancellationToken, disposeBatches: x.YieldsTemporaries);
    }

    /// <summary>
    /// The shuffle of epoch e depends only on (seed, e), so training resumed with <c>initialEpoch</c> from a saved model
    /// sees the same batches as uninterrupted training.
    /// </summary>
    private static RandomState EpochRandom(uint seed, int epoch) => new(unchecked(seed + (uint)epoch * 0x9E3779B9u));

    /// <summary>
    /// Keras 2.6's CallbackList: the progress-bar logger first (when verbose), the user's callbacks in order, then History
    /// (Fit only); a ProgbarLogger or History the user passed is used in place of the default one.
    /// </summary>
    private List<Callback> CallbackList(IReadOnlyList<Callback>? callbacks, int verbose, int epochs, int steps, History? history)
    {
        var user = callbacks ?? [];
        for (int i = 0; i < user.Count; i++)
            if (user[i] is null) throw new ArgumentNullException(nameof(callbacks), $"callbacks[{i}] is null.");
        var list = new List<Callback>();
        // Under a multi-worker strategy only the chief shows progress and writes checkpoints and logs.
        if (Distributed is { IsChief: false } other)
        {
            verbose = 0;
            user = user.Where(other.RunsCallback).ToList();
        }
        if (verbose > 0 && !user.Any(c => c is ProgbarLogger)) list.Add(new ProgbarLogger());
        list.AddRange(user);
        if (history is not null && !user.Any(c => c is History)) list.Add(history);
        var parameters = new Dictionary<string, object> { ["verbose"] = verbose, ["epochs"] = epochs, ["steps"] = steps };
        foreach (var c in list)
        {
            c.SetModel((Model)this);
            c.SetParams(parameters);
            if (c is BackupAndRestore backup) backup.Peers = list;
        }
        return list;
    }

    private History RunFit(int epochs, int initialEpoch, int steps, int verbose, IReadOnlyList<Callback>? callbacks,
        (NDArray X, NDArray Y)? validationData, int validationBatchSize, int validationFreq,
        Func<int, int, IEnumerable<(NDArray X, NDArray Y, NDArray? SampleWeight)>> epochBatches, Action<int>? onEpochBegin, Action? onEpochEnd,
        CancellationToken cancellationToken, bool disposeBatches = false)
    {
        var list = CallbackList(callbacks, verbose, epochs, steps, new History());
        var history = (History)list.First(c => c is History);
        StopTraining = false;
        TrainingCancelled = false;
        foreach (var c in list) c.OnTrainBegin(new Dictionary<string, double>());
        // A BackupAndRestore backup overrides initialEpoch and skips the batches of its epoch already trained.
        int firstStep = 0;
        if (RestoredPosition(list) is { } restored) (initialEpoch, firstStep) = (restored.Epoch, Math.Min(restored.Batch, steps));
        PositionRandomStreams(Optimizer!.Iterations);
        Dictionary<string, double> epochLogs = new();
        for (int epoch = initialEpoch; epoch < epochs; epoch++)
        {
            if (cancellationToken.IsCancellationRequested) { TrainingCancelled = true; break; }
            foreach (var c in list) c.OnEpochBegin(epoch, new Dictionary<string, double>());
            // Positions a Sequence at this epoch: its shuffle and augmentation depend on (seed, epoch) only.
            onEpochBegin?.Invoke(epoch);
            ResetMetrics();
            int step = epoch == initialEpoch ? firstStep : 0;
            foreach (var (xb, yb, wb) in epochBatches(epoch, step))
            {
                // Ctrl-C stops between batches: the epoch stays unfinished (no validation, no OnEpochEnd).
                if (cancellationToken.IsCancellationRequested) { TrainingCancelled = true; break; }
                foreach (var c in list) c.OnTrainBatchBegin(step, new Dictionary<string, double>());
                Dictionary<string, double> batchLogs;
                try { batchLogs = TrainStep(xb, yb, wb); }
                finally
                {
                    // Batches gathered here or by Flow are this step's temporaries: their unmanaged memory goes back now,
                    // not when a finalizer runs, so resident memory stays flat across epochs.
                    if (disposeBatches) { xb.Dispose(); yb.Dispose(); wb?.Dispose(); }
                }
                foreach (var c in list) c.OnTrainBatchEnd(step, batchLogs);
                step++;
                if (StopTraining) break;
            }
            if (TrainingCancelled) break;
            // Validation, checkpoints and later epochs see the workers' mean batch-norm statistics, as Keras reports them.
            Distributed?.AverageVariables(((Model)this).NonTrainableWeights);
            epochLogs = GetMetricsResult();
            if (validationData is { } vd && (epoch + 1) % validationFreq == 0)
            {
                var val = EvaluateCore(vd.X, vd.Y, validationBatchSize, list);
                foreach (var (k, v) in val) epochLogs["val_" + k] = v;
            }
            foreach (var c in list) c.OnEpochEnd(epoch, epochLogs);
            History = history;
            // Keras's DataHandler calls the Sequence's on_epoch_end when the epoch loop resumes, so not after a stop.
            if (StopTraining) break;
            onEpochEnd?.Invoke();
        }
        if (epochs > 0) Optimizer!.FinalizeVariableValues(TrainableVariables); // Keras 3's fit: EMA weights replace the trained ones (no-op without use_ema)
        foreach (var c in list) c.OnTrainEnd(epochLogs);
        return history;
    }

    /// <summary>
    /// <c>model.train_on_batch(x, y, sample_weight, reset_metrics=True)</c> (tf.keras 2): one training step; returns
    /// <c>[loss, metrics...]</c> of that batch, or running values since the last reset with <paramref name="resetMetrics"/> false.
    /// </summary>
    public double[] TrainOnBatch(NDArray x, NDArray y, NDArray? sampleWeight = null, bool resetMetrics = true)
    {
        EnsureCompiled();
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        CheckInputShape(x.ShapeSpan, nameof(x));
        CheckLabels(x, y, nameof(y));
        CheckSampleWeight(x, sampleWeight, nameof(sampleWeight));
        if (resetMetrics) ResetMetrics();
        return TrainStep(AsFloatBatch(x), y, sampleWeight).Values.ToArray();
    }

    // ------------------------------------------------------------------ evaluate / predict

    /// <summary>Keras's evaluate loop: test hooks on every callback, inference-mode batches in order, running means.</summary>
    private Dictionary<string, double> EvaluateCore(NDArray x, NDArray y, int batchSize, List<Callback> list, NDArray? sampleWeight = null)
    {
        foreach (var c in list) c.OnTestBegin(new Dictionary<string, double>());
        ResetMetrics();
        int n = x.IntShape[0];
        var logs = GetMetricsResult();
        for (int s = 0, step = 0; s < n; s += batchSize, step++)
        {
            foreach (var c in list) c.OnTestBatchBegin(step, new Dictionary<string, double>());
            int lo = s, hi = Math.Min(n, s + batchSize);
            if (Distributed is { } strategy)
            {
                // Each worker evaluates its rows of the batch; the logs are of all workers' rows.
                var (start, count) = strategy.ShardOfBatch(hi - lo);
                (lo, hi) = (lo + start, lo + start + count);
            }
            logs = hi > lo ? TestStep(AsFloatBatch(x.Slice(lo, hi)), y.Slice(lo, hi), sampleWeight?.Slice(lo, hi)) : GetMetricsResult();
            foreach (var c in list) c.OnTestBatchEnd(step, logs);
        }
        foreach (var c in list) c.OnTestEnd(logs);
        return logs;
    }

    /// <summary>
    /// <c>model.evaluate(x, y, batch_size=32, verbose=1, sample_weight, callbacks)</c>: <c>[loss, metrics...]</c>
    /// (<see cref="MetricsNames"/> order) in inference mode; the loss includes regularization and, with
    /// <paramref name="sampleWeight"/>, is weighted as in <c>Fit</c>. verbose 1 shows the progress bar over the test steps.
    /// </summary>
    public double[] Evaluate(NDArray x, NDArray y, int? batchSize = null, int verbose = 1, IReadOnlyList<Callback>? callbacks = null,
        NDArray? sampleWeight = null)
    {
        EnsureCompiled();
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        CheckBatchSize(batchSize);
        CheckInputShape(x.ShapeSpan, nameof(x));
        CheckLabels(x, y, nameof(y));
        CheckSampleWeight(x, sampleWeight, nameof(sampleWeight));
        int b = batchSize ?? 32, n = x.IntShape[0];
        if (n == 0) throw new ArgumentException("Expected `x` to be a non-empty array.", nameof(x));
        var list = CallbackList(callbacks, verbose, 1, Math.Max(1, (n + b - 1) / b), history: null);
        return EvaluateCore(x, y, b, list, sampleWeight).Values.ToArray();
    }

    /// <summary><c>model.predict(x, batch_size=32, verbose=0, callbacks)</c>: inference-mode outputs of all batches, concatenated.</summary>
    public NDArray Predict(NDArray x, int? batchSize = null, int verbose = 0, IReadOnlyList<Callback>? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckBatchSize(batchSize);
        CheckInputShape(x.ShapeSpan, nameof(x));
        int b = batchSize ?? 32, n = x.IntShape[0];
        if (n == 0) throw new ArgumentException("Expected `x` to be a non-empty array.", nameof(x));
        var outShape = OutputShape;
        outShape[0] = n;
        var result = np.empty(new NumSharp.Shape(outShape), np.float32);
        int rowSize = result.Size / Math.Max(1, n);
        var list = CallbackList(callbacks, verbose, 1, Math.Max(1, (n + b - 1) / b), history: null);
        foreach (var c in list) c.OnPredictBegin(new Dictionary<string, double>());
        for (int s = 0, step = 0; s < n; s += b, step++)
        {
            foreach (var c in list) c.OnPredictBatchBegin(step, new Dictionary<string, double>());
            int e = Math.Min(n, s + b);
            // One batch covering all of x needs no slice copy.
            using (var y = PredictStep(s == 0 && e == n ? x : x.Slice(s, e)))
                y.ReadSpan<float>().CopyTo(result.WriteSpan<float>()[(s * rowSize)..]);
            foreach (var c in list) c.OnPredictBatchEnd(step, new Dictionary<string, double>());
        }
        foreach (var c in list) c.OnPredictEnd(new Dictionary<string, double>());
        return result;
    }

    /// <summary>
    /// <c>model.test_on_batch(x, y, sample_weight, reset_metrics=True)</c> (tf.keras 2): one inference-mode test step;
    /// returns <c>[loss, metrics...]</c> of that batch, or running values with <paramref name="resetMetrics"/> false.
    /// </summary>
    public double[] TestOnBatch(NDArray x, NDArray y, NDArray? sampleWeight = null, bool resetMetrics = true)
    {
        EnsureCompiled();
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        CheckInputShape(x.ShapeSpan, nameof(x));
        CheckLabels(x, y, nameof(y));
        CheckSampleWeight(x, sampleWeight, nameof(sampleWeight));
        if (resetMetrics) ResetMetrics();
        return TestStep(AsFloatBatch(x), y, sampleWeight).Values.ToArray();
    }

    /// <summary><c>model.predict_on_batch(x)</c>: the inference-mode outputs of one batch.</summary>
    public NDArray PredictOnBatch(NDArray x)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckInputShape(x.ShapeSpan, nameof(x));
        if (x.IntShape[0] == 0) throw new ArgumentException("Expected `x` to be a non-empty array.", nameof(x));
        return PredictStep(AsFloatBatch(x));
    }

    /// <summary>
    /// Keras's <c>class_weight</c>: each training sample weighted by its class's weight (the argmax of a one-hot label,
    /// else the label's value), times its sample weight when given; the keys must be 0 .. K − 1 as in Keras.
    /// </summary>
    private static NDArray ClassWeights(NDArray y, IReadOnlyDictionary<int, double> classWeight, NDArray? sampleWeight)
    {
        var keys = classWeight.Keys.Order().ToArray();
        if (keys.Length == 0 || !keys.SequenceEqual(Enumerable.Range(0, keys.Length)))
            throw new ArgumentException($"Expected `class_weight` to be a dict with keys from 0 to one less than the number of classes, found {{{string.Join(", ", classWeight.Select(kv => $"{kv.Key}: {kv.Value}"))}}}", nameof(classWeight));
        int n = y.IntShape[0];
        bool oneHot = y.Rank == 2 && y.IntShape[1] > 1;
        using var argmax = oneHot ? np.argmax(y, axis: 1) : null;
        var labels = (argmax ?? y).ToDoubleArray();
        var sw = sampleWeight?.ToDoubleArray();
        var w = new float[n];
        for (int i = 0; i < n; i++)
        {
            double label = oneHot ? labels[i] : Math.Round(labels[i]);
            if (!classWeight.TryGetValue((int)label, out double cw))
                throw new ArgumentException($"Invalid `class_weight`: sample {i} has class {label}, which has no weight (classes 0 to {keys.Length - 1}).", nameof(classWeight));
            w[i] = (float)(cw * (sw?[i] ?? 1.0));
        }
        return NDArrays.FromSpan<float>(w, n);
    }
}
