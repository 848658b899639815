using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

public abstract partial class Trainer
{
    // ------------------------------------------------------------------ fit

    /// <summary>
    /// <c>model.fit(x, y, batch_size, epochs, verbose, callbacks, validation_split, validation_data, shuffle, sample_weight,
    /// initial_epoch, steps_per_epoch)</c> over arrays: ⌈N/B⌉ steps per epoch, a fresh permutation each epoch when
    /// shuffling (from (<paramref name="seed"/>, epoch), or (the global seed of <see cref="Utils.SetRandomSeed"/>, epoch),
    /// else the session's random source), the last partial batch kept. With <paramref name="stepsPerEpoch"/>, an epoch
    /// is that many batches and the next epoch continues where it stopped, as Keras 3's epoch iterator does: a pass over
    /// the data is spread over ⌈(N/B) / steps⌉ epochs (the last one shorter), each pass shuffled anew. With
    /// <paramref name="sampleWeight"/> (one weight per sample) each batch's loss is Σ ℓᵢ·wᵢ / B as in Keras; the
    /// compiled metrics stay unweighted. Cancelling <paramref name="cancellationToken"/> (Ctrl-C through
    /// <see cref="InterruptHandler"/>) stops training between batches: the unfinished epoch gets no validation and no
    /// <c>OnEpochEnd</c>, <c>OnTrainEnd</c> still runs, <see cref="TrainingCancelled"/> is set and the History so far is
    /// returned. A <see cref="BackupAndRestore"/> callback's backup overrides <paramref name="initialEpoch"/>.
    /// </summary>
    public History Fit(NDArray x, NDArray y, int? batchSize = null, int epochs = 1, int verbose = 1, IReadOnlyList<Callback>? callbacks = null,
        double validationSplit = 0, (NDArray X, NDArray Y)? validationData = null, bool shuffle = true, int initialEpoch = 0, uint? seed = null,
        int? validationBatchSize = null, int validationFreq = 1, NDArray? sampleWeight = null, CancellationToken cancellationToken = default,
        IReadOnlyDictionary<int, double>? classWeight = null, int? stepsPerEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return FitArrays([x], [y], batchSize, epochs, verbose, callbacks, validationSplit,
            validationData is { } vd ? ([vd.X], [vd.Y]) : null, shuffle, initialEpoch, seed, validationBatchSize, validationFreq, sampleWeight,
            cancellationToken, classWeight, stepsPerEpoch);
    }

    /// <summary>
    /// <c>model.fit([xa, xb], [y1, y2], ...)</c> for a model with several inputs or outputs: one array per input in
    /// <paramref name="x"/>, one target array per output in <paramref name="y"/> (all with the same number of samples);
    /// everything else as in the one-array overload. The logs hold the total loss, each output's metrics
    /// ("{output}_{metric}") and, with several losses, each output's loss ("{output}_loss").
    /// </summary>
    public History Fit(IReadOnlyList<NDArray> x, IReadOnlyList<NDArray> y, int? batchSize = null, int epochs = 1, int verbose = 1,
        IReadOnlyList<Callback>? callbacks = null, double validationSplit = 0, (IReadOnlyList<NDArray> X, IReadOnlyList<NDArray> Y)? validationData = null,
        bool shuffle = true, int initialEpoch = 0, uint? seed = null, int? validationBatchSize = null, int validationFreq = 1, NDArray? sampleWeight = null,
        CancellationToken cancellationToken = default, IReadOnlyDictionary<int, double>? classWeight = null, int? stepsPerEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return FitArrays(x, y, batchSize, epochs, verbose, callbacks, validationSplit, validationData, shuffle, initialEpoch, seed,
            validationBatchSize, validationFreq, sampleWeight, cancellationToken, classWeight, stepsPerEpoch);
    }

    private History FitArrays(IReadOnlyList<NDArray> xIn, IReadOnlyList<NDArray> yIn, int? batchSize, int epochs, int verbose, IReadOnlyList<Callback>? callbacks,
        double validationSplit, (IReadOnlyList<NDArray> X, IReadOnlyList<NDArray> Y)? validationIn, bool shuffle, int initialEpoch, uint? seed,
        int? validationBatchSize, int validationFreq, NDArray? sampleWeight, CancellationToken cancellationToken,
        IReadOnlyDictionary<int, double>? classWeight, int? stepsPerEpoch)
    {
        EnsureCompiled();
        CheckBatchSize(batchSize);
        CheckBatchSize(validationBatchSize, nameof(validationBatchSize));
        CheckEpochs(epochs, initialEpoch);
        CheckValidationFreq(validationFreq);
        CheckStepsPerEpoch(stepsPerEpoch);
        if (!(validationSplit >= 0 && validationSplit < 1))
            throw new ArgumentException($"Invalid value for argument `validation_split`. Expected a float in [0, 1). Received validation_split={validationSplit}.", nameof(validationSplit));
        var x = CheckInputs(xIn, "x");
        var y = CheckLabels(x, yIn, "y");
        CheckSampleWeight(x, sampleWeight, nameof(sampleWeight));
        if (classWeight is not null)
        {
            if (y.Length != 1)
                throw new ArgumentException("`class_weight` is only supported for models with a single output; weight the samples of each output with sample weights instead.", nameof(classWeight));
            sampleWeight = ClassWeights(y[0], classWeight, sampleWeight);
        }
        (NDArray[] X, NDArray[] Y)? validationData = null;
        int total = x[0].IntShape[0];
        // As in Keras, validation data given explicitly overrides validation_split.
        if (validationSplit > 0 && validationIn is null)
        {
            int split = (int)(total * (1 - validationSplit));
            validationData = (x.Select(a => a.Slice(split, total)).ToArray(), y.Select(a => a.Slice(split, total)).ToArray());
            x = x.Select(a => a.Slice(0, split)).ToArray();
            y = y.Select(a => a.Slice(0, split)).ToArray();
            sampleWeight = sampleWeight?.Slice(0, split);
        }
        else if (validationIn is { } vin)
        {
            ArgumentNullException.ThrowIfNull(vin.X, "validationData.X");
            ArgumentNullException.ThrowIfNull(vin.Y, "validationData.Y");
            var vx = CheckInputs(vin.X, "validationData.X");
            validationData = (vx, CheckLabels(vx, vin.Y, "validationData.Y"));
        }
        if (x[0].IntShape[0] == 0)
            throw new ArgumentException($"Expected `x` to be a non-empty array; it has no samples{(validationSplit > 0 ? $" left after validation_split={validationSplit}" : "")}.", nameof(x));
        if (validationData is { } vd && vd.X[0].IntShape[0] == 0)
            throw new ArgumentException($"Expected the validation data to be non-empty{(validationSplit > 0 ? $"; validation_split={validationSplit} of {total} samples leaves none" : "")}.", nameof(validationData));
        int b = batchSize ?? 32;
        int n = x[0].IntShape[0];
        int batches = (n + b - 1) / b;
        // Keras 3's EpochIterator with steps_per_epoch: the iterator carries over between epochs and starts a new (shuffled)
        // pass when the data runs out, which ends that epoch early.
        int perEpoch = stepsPerEpoch ?? batches;
        int epochsPerPass = (batches + perEpoch - 1) / perEpoch;
        if (stepsPerEpoch > batches)
            Console.Error.WriteLine("UserWarning: Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least `steps_per_epoch * epochs` batches. You may need to use the `.repeat()` function when building your dataset.");
        CheckDistributedBatch(b, nameof(batchSize));
        uint baseSeed = BeginDistributedFit(seed ?? Backend.DerivedSeed("fit.shuffle"));
        var distributed = Distributed;
        var trainX = x;
        var trainY = y;
        var trainW = sampleWeight;
        return RunFit(epochs, initialEpoch, perEpoch, verbose, callbacks, validationData, validationBatchSize ?? b, validationFreq, (epoch, first) =>
        {
            int pass = epoch / epochsPerPass, offset = epoch % epochsPerPass * perEpoch;
            int steps = Math.Min(perEpoch, batches - offset);
            var order = shuffle ? EpochRandom(baseSeed, pass).Permutation(n) : Enumerable.Range(0, n).ToArray();
            return Enumerable.Range(first, Math.Max(0, steps - first)).Select(s =>
            {
                int start = (offset + s) * b;
                var global = order.AsSpan(start, Math.Min(b, n - start));
                // Under a multi-worker strategy each worker trains on its rows of the global batch.
                var idx = distributed is null ? global.ToArray() : distributed.ShardIndices(global);
                return (Take(trainX, idx), Take(trainY, idx), trainW?.Take(idx));
            });
        }, onEpochBegin: null, onEpochEnd: null, cancellationToken, disposeBatches: true);
    }

    private static NDArray[] Take(NDArray[] arrays, int[] idx)
    {
        var result = new NDArray[arrays.Length];
        for (int i = 0; i < arrays.Length; i++) result[i] = arrays[i].Take(idx);
        return result;
    }

    private static NDArray[] Slice(NDArray[] arrays, int start, int stop)
    {
        var result = new NDArray[arrays.Length];
        for (int i = 0; i < arrays.Length; i++) result[i] = arrays[i].Slice(start, stop);
        return result;
    }

    private static void CheckStepsPerEpoch(int? stepsPerEpoch)
    {
        if (stepsPerEpoch is <= 0)
            throw new ArgumentException($"Invalid value for argument `steps_per_epoch`. Expected a strictly positive integer. Received steps_per_epoch={stepsPerEpoch}.", nameof(stepsPerEpoch));
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
        CheckStepsPerEpoch(stepsPerEpoch);
        CheckBatchSize(validationBatchSize, nameof(validationBatchSize));
        CheckValidationFreq(validationFreq);
        int len = x.Count;
        if (len <= 0) throw new ArgumentException($"The sequence `x` has no batches (Count={len}).", nameof(x));
        (NDArray[] X, NDArray[] Y)? validation = null;
        if (validationData is { } vd)
        {
            var vx = CheckInputs([vd.X], "validationData.X");
            validation = (vx, CheckLabels(vx, [vd.Y], "validationData.Y"));
            if (vd.X.IntShape[0] == 0) throw new ArgumentException("Expected the validation data to be non-empty.", nameof(validationData));
        }
        int steps = stepsPerEpoch ?? len;
        uint baseSeed = BeginDistributedFit(seed ?? Backend.DerivedSeed("fit.shuffle"));
        // Under a multi-worker strategy batch i is this worker's rows of the sequence's global batch i.
        var source = Distributed is { } strategy ? strategy.Shard(x) : x;
        var enqueuer = new OrderedEnqueuer(source, workers, maxQueueSize);
        bool checkedFirst = false;
        return RunFit(epochs, initialEpoch, steps, verbose, callbacks, validation, validationBatchSize ?? 32, validationFreq, (epoch, first) =>
        {
            var perm = shuffle ? EpochRandom(baseSeed, epoch).Permutation(len) : Enumerable.Range(0, len).ToArray();
            var order = Enumerable.Range(first, steps - first).Select(s => perm[s % len]).ToList();
            return enqueuer.GetEpochWithSampleWeight(order).Select(batch =>
            {
                var yb = batch.Y ?? throw new ArgumentException("The sequence `x` yielded a batch without targets; Fit needs (x, y) batches.", nameof(x));
                if (!checkedFirst)
                {
                    CheckLabelShapes(CheckInputs([batch.X], nameof(x)), [yb], "y (from the sequence)");
                    checkedFirst = true;
                }
                CheckSampleWeight([batch.X], batch.SampleWeight, "sample_weight (from the sequence)");
                return (new[] { batch.X }, new[] { yb }, batch.SampleWeight);
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
        (NDArray[] X, NDArray[] Y)? validationData, int validationBatchSize, int validationFreq,
        Func<int, int, IEnumerable<(NDArray[] X, NDArray[] Y, NDArray? SampleWeight)>> epochBatches, Action<int>? onEpochBegin, Action? onEpochEnd,
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
                    if (disposeBatches)
                    {
                        foreach (var a in xb) a.Dispose();
                        foreach (var a in yb) a.Dispose();
                        wb?.Dispose();
                    }
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
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return TrainOnBatch([x], [y], sampleWeight, resetMetrics);
    }

    /// <summary><c>model.train_on_batch([xa, xb], [y1, y2])</c>: one array per input, one target array per output.</summary>
    public double[] TrainOnBatch(IReadOnlyList<NDArray> x, IReadOnlyList<NDArray> y, NDArray? sampleWeight = null, bool resetMetrics = true)
    {
        EnsureCompiled();
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var xs = CheckInputs(x, nameof(x));
        var ys = CheckLabels(xs, y, nameof(y));
        CheckSampleWeight(xs, sampleWeight, nameof(sampleWeight));
        if (resetMetrics) ResetMetrics();
        return TrainStep(xs, ys, sampleWeight).Values.ToArray();
    }

    // ------------------------------------------------------------------ evaluate / predict

    /// <summary>Keras's evaluate loop: test hooks on every callback, inference-mode batches in order, running means.</summary>
    private Dictionary<string, double> EvaluateCore(NDArray[] x, NDArray[] y, int batchSize, List<Callback> list, NDArray? sampleWeight = null)
    {
        foreach (var c in list) c.OnTestBegin(new Dictionary<string, double>());
        ResetMetrics();
        int n = x[0].IntShape[0];
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
            logs = hi > lo ? TestStep(Slice(x, lo, hi), Slice(y, lo, hi), sampleWeight?.Slice(lo, hi)) : GetMetricsResult();
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
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return Evaluate([x], [y], batchSize, verbose, callbacks, sampleWeight);
    }

    /// <summary><c>model.evaluate([xa, xb], [y1, y2], ...)</c>: one array per input, one target array per output.</summary>
    public double[] Evaluate(IReadOnlyList<NDArray> x, IReadOnlyList<NDArray> y, int? batchSize = null, int verbose = 1,
        IReadOnlyList<Callback>? callbacks = null, NDArray? sampleWeight = null)
    {
        EnsureCompiled();
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        CheckBatchSize(batchSize);
        var xs = CheckInputs(x, nameof(x));
        var ys = CheckLabels(xs, y, nameof(y));
        CheckSampleWeight(xs, sampleWeight, nameof(sampleWeight));
        int b = batchSize ?? 32, n = xs[0].IntShape[0];
        if (n == 0) throw new ArgumentException("Expected `x` to be a non-empty array.", nameof(x));
        var list = CallbackList(callbacks, verbose, 1, Math.Max(1, (n + b - 1) / b), history: null);
        return EvaluateCore(xs, ys, b, list, sampleWeight).Values.ToArray();
    }

    /// <summary><c>model.predict(x, batch_size=32, verbose=0, callbacks)</c>: inference-mode outputs of all batches, concatenated.</summary>
    public NDArray Predict(NDArray x, int? batchSize = null, int verbose = 0, IReadOnlyList<Callback>? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        var outputs = GraphOutputNames;
        if (outputs.Count != 1)
            throw new InvalidOperationException($"The model has {outputs.Count} outputs ({string.Join(", ", outputs)}); call Predict([x]) to get one array per output.");
        return Predict([x], batchSize, verbose, callbacks)[0];
    }

    /// <summary>
    /// <c>model.predict([xa, xb], ...)</c>: one array per model input; returns one array per model output, the
    /// inference-mode outputs of all batches concatenated.
    /// </summary>
    public NDArray[] Predict(IReadOnlyList<NDArray> x, int? batchSize = null, int verbose = 0, IReadOnlyList<Callback>? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckBatchSize(batchSize);
        var xs = CheckInputs(x, nameof(x));
        int b = batchSize ?? 32, n = xs[0].IntShape[0];
        if (n == 0) throw new ArgumentException("Expected `x` to be a non-empty array.", nameof(x));
        var results = OutputShapes.Select(shape =>
        {
            shape[0] = n;
            return np.empty(new NumSharp.Shape(shape), np.float32);
        }).ToArray();
        var list = CallbackList(callbacks, verbose, 1, Math.Max(1, (n + b - 1) / b), history: null);
        foreach (var c in list) c.OnPredictBegin(new Dictionary<string, double>());
        for (int s = 0, step = 0; s < n; s += b, step++)
        {
            foreach (var c in list) c.OnPredictBatchBegin(step, new Dictionary<string, double>());
            int e = Math.Min(n, s + b);
            // One batch covering all of x needs no slice copy.
            var ys = PredictStep(s == 0 && e == n ? xs : Slice(xs, s, e));
            for (int k = 0; k < ys.Length; k++)
            {
                int rowSize = results[k].Size / Math.Max(1, n);
                using (var y = ys[k]) y.ReadSpan<float>().CopyTo(results[k].WriteSpan<float>()[(s * rowSize)..]);
            }
            foreach (var c in list) c.OnPredictBatchEnd(step, new Dictionary<string, double>());
        }
        foreach (var c in list) c.OnPredictEnd(new Dictionary<string, double>());
        return results;
    }

    /// <summary>
    /// <c>model.test_on_batch(x, y, sample_weight, reset_metrics=True)</c> (tf.keras 2): one inference-mode test step;
    /// returns <c>[loss, metrics...]</c> of that batch, or running values with <paramref name="resetMetrics"/> false.
    /// </summary>
    public double[] TestOnBatch(NDArray x, NDArray y, NDArray? sampleWeight = null, bool resetMetrics = true)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return TestOnBatch([x], [y], sampleWeight, resetMetrics);
    }

    /// <summary><c>model.test_on_batch([xa, xb], [y1, y2])</c>: one array per input, one target array per output.</summary>
    public double[] TestOnBatch(IReadOnlyList<NDArray> x, IReadOnlyList<NDArray> y, NDArray? sampleWeight = null, bool resetMetrics = true)
    {
        EnsureCompiled();
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var xs = CheckInputs(x, nameof(x));
        var ys = CheckLabels(xs, y, nameof(y));
        CheckSampleWeight(xs, sampleWeight, nameof(sampleWeight));
        if (resetMetrics) ResetMetrics();
        return TestStep(xs, ys, sampleWeight).Values.ToArray();
    }

    /// <summary><c>model.predict_on_batch(x)</c>: the inference-mode outputs of one batch.</summary>
    public NDArray PredictOnBatch(NDArray x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var outputs = GraphOutputNames;
        if (outputs.Count != 1)
            throw new InvalidOperationException($"The model has {outputs.Count} outputs ({string.Join(", ", outputs)}); call PredictOnBatch([x]) to get one array per output.");
        return PredictOnBatch([x])[0];
    }

    /// <summary><c>model.predict_on_batch([xa, xb])</c>: one array per input; one array per output.</summary>
    public NDArray[] PredictOnBatch(IReadOnlyList<NDArray> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var xs = CheckInputs(x, nameof(x));
        if (xs[0].IntShape[0] == 0) throw new ArgumentException("Expected `x` to be a non-empty array.", nameof(x));
        return PredictStep(xs);
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
