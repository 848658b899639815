using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

public sealed partial class Model
{
    private string? lossName;
    private string[] metricNames = [];

    /// <summary>The optimizer set by <see cref="Compile(Optimizer, string, string[])"/>.</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The loss identifier set by Compile.</summary>
    public string? Loss => lossName;

    /// <summary>The compiled metric identifiers, as given.</summary>
    public IReadOnlyList<string> Metrics => metricNames;

    /// <summary><c>model.metrics_names</c>: <c>loss</c> then the metrics in compile order (<c>accuracy</c> or <c>acc</c> as spelled).</summary>
    public IReadOnlyList<string> MetricsNames => new[] { "loss" }.Concat(metricNames).ToList();

    /// <summary>
    /// <c>model.compile(optimizer, loss, metrics)</c>. Losses: categorical_crossentropy, sparse_categorical_crossentropy.
    /// Metrics: accuracy / acc (resolved by label and output shapes as tf.keras), categorical_accuracy, sparse_categorical_accuracy.
    /// </summary>
    public void Compile(Optimizer optimizer, string loss, string[]? metrics = null)
    {
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        lossName = loss switch
        {
            "categorical_crossentropy" or "CategoricalCrossentropy" => "categorical_crossentropy",
            "sparse_categorical_crossentropy" or "SparseCategoricalCrossentropy" => "sparse_categorical_crossentropy",
            _ => throw new ArgumentException($"Unknown loss function: '{loss}'. Expected one of categorical_crossentropy, sparse_categorical_crossentropy.", nameof(loss)),
        };
        foreach (var m in metrics ?? [])
            if (m is not ("accuracy" or "acc" or "categorical_accuracy" or "sparse_categorical_accuracy"))
                throw new ArgumentException($"Unknown metric function: '{m}'. Expected one of accuracy, acc, categorical_accuracy, sparse_categorical_accuracy.", nameof(metrics));
        metricNames = (metrics ?? []).ToArray();
    }

    /// <summary><c>model.compile</c> with an optimizer identifier: "adam" or "sgd" with Keras's defaults.</summary>
    public void Compile(string optimizer, string loss, string[]? metrics = null) =>
        Compile(optimizer switch
        {
            "adam" or "Adam" => new Adam(),
            "sgd" or "SGD" => new SGD(),
            _ => throw new ArgumentException($"Unknown optimizer: '{optimizer}'. Expected one of adam, sgd.", nameof(optimizer)),
        }, loss, metrics);

    private void EnsureCompiled()
    {
        if (Optimizer is null || lossName is null)
            throw new InvalidOperationException("You must compile your model before training/testing. Use `model.Compile(optimizer, loss)`.");
    }

    // ------------------------------------------------------------------ one batch

    /// <summary>
    /// Keras's running means (<c>keras.metrics.Mean</c> for the loss weighted by batch size, <c>MeanMetricWrapper</c> for
    /// accuracy): float32 total and count variables, so the logged values are float32 exactly as Keras's.
    /// </summary>
    private sealed class Accumulator
    {
        public float LossTotal;
        public float LossCount;
        public float Correct;
        public float Seen;

        public void Add(float batchLoss, int batchSize, long correct)
        {
            LossTotal += batchLoss * batchSize;
            LossCount += batchSize;
            Correct += correct;
            Seen += batchSize;
        }

        public float Loss => LossCount == 0 ? 0 : LossTotal / LossCount;
        public float Accuracy => Seen == 0 ? 0 : Correct / Seen;
    }

    private int OutputUnits => Output.Shape[^1];

    /// <summary>Labels of a batch as the loss needs them: a float tensor for categorical, class indices for sparse.</summary>
    private (Tensor? Dense, int[]? Sparse) PrepareLabels(NDArray y)
    {
        if (lossName == "sparse_categorical_crossentropy")
        {
            var flat = y.Reshape(-1);
            var idx = new int[flat.Size];
            for (int i = 0; i < idx.Length; i++) idx[i] = (int)flat.GetFlat(i);
            return (null, idx);
        }
        return (Tensor.FromNDArray(y.DType == DType.Float32 ? y : y.AsType(DType.Float32), Device), null);
    }

    private void CheckLabels(NDArray x, NDArray y, string yParam)
    {
        if (y.Shape[0] != x.Shape[0])
            throw new ArgumentException($"Data cardinality is ambiguous: x sizes: {x.Shape[0]}, y sizes: {y.Shape[0]}. Make sure all arrays contain the same number of samples.", yParam);
        var outShape = Output.Shape;
        if (lossName == "sparse_categorical_crossentropy")
        {
            if (!(y.Rank == 1 || (y.Rank == 2 && y.Shape[1] == 1)))
                throw new ArgumentException($"Invalid labels `{yParam}` of shape {ShapeUtil.Format(y.ShapeSpan)} for sparse_categorical_crossentropy: expected integer class indices of shape (N,) or (N, 1) for outputs of shape {KerasTensor.FormatShape(outShape)}.", yParam);
            for (int i = 0; i < y.Size; i++)
            {
                double v = y.GetFlat(i);
                if (v < 0 || v >= OutputUnits || v != Math.Floor(v))
                    throw new ArgumentException($"Invalid labels `{yParam}`: label {v} at index {i} is not a class index in [0, {OutputUnits}).", yParam);
            }
        }
        else if (y.Rank != outShape.Length || !y.ShapeSpan[1..].SequenceEqual(outShape.AsSpan(1)))
            throw new ArgumentException($"Shapes are incompatible: labels `{yParam}` of shape {ShapeUtil.Format(y.ShapeSpan)} do not match the model output of shape {KerasTensor.FormatShape(outShape)} for {lossName}; one-hot labels of shape (N, {OutputUnits}) were expected (see Utils.ToCategorical).", yParam);
    }

    private Tensor PerSampleLoss(Tensor output, Tensor? logits, (Tensor? Dense, int[]? Sparse) labels) => (logits, labels.Sparse) switch
    {
        (not null, null) => Op.SoftmaxCrossEntropyWithLogits(logits, labels.Dense!),
        (null, null) => Op.CategoricalCrossentropy(output, labels.Dense!),
        (not null, not null) => Op.SparseSoftmaxCrossEntropyWithLogits(logits, labels.Sparse),
        _ => Op.SparseCategoricalCrossentropy(output, labels.Sparse!),
    };

    /// <summary>Keras's LossesContainer: the batch-mean data loss plus add_n of the regularization terms (in layer order).</summary>
    private Tensor TotalLoss(Tensor perSample)
    {
        var data = Op.Mean(perSample);
        var regs = new List<Tensor>();
        foreach (var layer in Layers)
            if (layer.HasRegularizers) regs.AddRange(layer.Losses());
        return regs.Count switch
        {
            0 => data,
            1 => Op.Add(data, regs[0]),
            _ => Op.Add(data, Op.AddN(regs)),
        };
    }

    private long CountCorrect(Tensor output, (Tensor? Dense, int[]? Sparse) labels)
    {
        int k = OutputUnits, n = output.Size / k;
        long correct = 0;
        var predicted = output.ToArray();
        var dense = labels.Dense?.ToArray();
        for (int r = 0; r < n; r++)
        {
            int o = r * k;
            if (k == 1)
            {
                float truth = labels.Sparse is { } s1 ? s1[r] : dense![r];
                if ((predicted[o] > 0.5f ? 1f : 0f) == truth) correct++;
                continue;
            }
            int pred = 0;
            for (int j = 1; j < k; j++) if (predicted[o + j] > predicted[o + pred]) pred = j;
            int truthIdx;
            if (labels.Sparse is { } s) truthIdx = s[r];
            else
            {
                truthIdx = 0;
                for (int j = 1; j < k; j++) if (dense![o + j] > dense[o + truthIdx]) truthIdx = j;
            }
            if (pred == truthIdx) correct++;
        }
        return correct;
    }

    /// <summary>
    /// Keras's compute_weighted_loss with SUM_OVER_BATCH_SIZE: Σ ℓᵢ·wᵢ / N (not divided by Σw), so a zero weight drops a
    /// sample and the batch still counts N samples.
    /// </summary>
    private static Tensor Weighted(Tensor perSample, NDArray? sampleWeight) =>
        sampleWeight is null ? perSample : Op.Multiply(perSample, Tensor.FromNDArray(sampleWeight.AsType(DType.Float32).Reshape(perSample.Shape), perSample.Device));

    /// <summary>
    /// Keras's data-adapter check: sample weights are one number per sample, (N,) or (N, 1).
    /// </summary>
    private static void CheckSampleWeight(NDArray x, NDArray? sampleWeight, string param)
    {
        if (sampleWeight is null) return;
        if (!(sampleWeight.Rank == 1 || (sampleWeight.Rank == 2 && sampleWeight.Shape[1] == 1)))
            throw new ArgumentException($"Invalid `{param}` of shape {ShapeUtil.Format(sampleWeight.ShapeSpan)}: expected one weight per sample, shape (N,) or (N, 1).", param);
        if (sampleWeight.Shape[0] != x.Shape[0])
            throw new ArgumentException($"Data cardinality is ambiguous: x sizes: {x.Shape[0]}, sample_weight sizes: {sampleWeight.Shape[0]}. Make sure all arrays contain the same number of samples.", param);
    }

    private void TrainStep(NDArray xb, NDArray yb, NDArray? sampleWeight, Accumulator acc)
    {
        // Every activation and gradient of the step comes from the pool and goes back once nothing reads it, at the
        // latest when the step ends.
        using var scope = new TensorScope();
        var x = Tensor.FromNDArray(xb, Device);
        var labels = PrepareLabels(yb);
        var vars = TrainableWeights;
        float loss;
        long correct;
        Tensor[] grads;
        // The tape recycles each buffer once backpropagation is done with it, so everything read from the forward
        // pass (loss, predictions for the metrics) is read before Gradient.
        using (var tape = new GradientTape { RecyclesBuffers = true })
        {
            foreach (var v in vars) tape.Watch(v.Value);
            var (output, logits) = Run(x, training: true, wantLogits: true);
            var total = TotalLoss(Weighted(PerSampleLoss(output, logits, labels), sampleWeight));
            loss = total.Item();
            correct = metricNames.Length > 0 ? CountCorrect(output, labels) : 0;
            grads = tape.Gradient(total, vars.Select(v => v.Value).ToList());
        }
        Optimizer!.ApplyGradients(grads.Select((g, i) => (g, vars[i])).ToList());
        acc.Add(loss, xb.Shape[0], correct);
    }

    private void TestStep(NDArray xb, NDArray yb, NDArray? sampleWeight, Accumulator acc)
    {
        using var scope = new TensorScope();
        var labels = PrepareLabels(yb);
        var (output, logits) = Run(Tensor.FromNDArray(xb, Device), training: false, wantLogits: true);
        var total = TotalLoss(Weighted(PerSampleLoss(output, logits, labels), sampleWeight));
        acc.Add(total.Item(), xb.Shape[0], metricNames.Length > 0 ? CountCorrect(output, labels) : 0);
    }

    private Dictionary<string, double> Logs(Accumulator acc, string prefix = "")
    {
        var logs = new Dictionary<string, double> { [prefix + "loss"] = acc.Loss };
        foreach (var m in metricNames) logs[prefix + m] = acc.Accuracy;
        return logs;
    }

    private static NDArray AsFloatBatch(NDArray x) => x.DType == DType.Float32 ? x : x.AsType(DType.Float32);

    private static void CheckBatchSize(int? batchSize, string param = "batchSize")
    {
        if (batchSize is <= 0)
            throw new ArgumentException($"Invalid value for argument `batch_size`. Expected a strictly positive integer. Received {param}={batchSize}.", param);
    }

    // ------------------------------------------------------------------ fit

    /// <summary>
    /// <c>model.fit(x, y, batch_size, epochs, verbose, callbacks, validation_split, validation_data, shuffle, sample_weight,
    /// initial_epoch)</c> over arrays: ⌈N/B⌉ steps per epoch, a fresh permutation each epoch when shuffling (from
    /// <paramref name="seed"/>, or the session's random source), the last partial batch kept. With
    /// <paramref name="sampleWeight"/> (one weight per sample) each batch's loss is Σ ℓᵢ·wᵢ / B as in Keras; the
    /// compiled metrics stay unweighted. Cancelling <paramref name="cancellationToken"/> (Ctrl-C through
    /// <see cref="InterruptHandler"/>) stops training between batches: the unfinished epoch gets no validation and no
    /// <c>OnEpochEnd</c>, <c>OnTrainEnd</c> still runs, <see cref="TrainingCancelled"/> is set and the History so far is
    /// returned. A <see cref="BackupAndRestore"/> callback's backup overrides <paramref name="initialEpoch"/>.
    /// </summary>
    public History Fit(NDArray x, NDArray y, int? batchSize = null, int epochs = 1, int verbose = 1, IReadOnlyList<Callback>? callbacks = null,
        double validationSplit = 0, (NDArray X, NDArray Y)? validationData = null, bool shuffle = true, int initialEpoch = 0, uint? seed = null,
        int? validationBatchSize = null, int validationFreq = 1, NDArray? sampleWeight = null, CancellationToken cancellationToken = default)
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
        CheckInput(x.ShapeSpan, nameof(x));
        CheckLabels(x, y, nameof(y));
        CheckSampleWeight(x, sampleWeight, nameof(sampleWeight));
        if (validationSplit > 0)
        {
            int split = (int)(x.Shape[0] * (1 - validationSplit));
            validationData = (x.Slice(split, x.Shape[0]), y.Slice(split, y.Shape[0]));
            x = x.Slice(0, split);
            y = y.Slice(0, split);
            sampleWeight = sampleWeight?.Slice(0, split);
        }
        if (x.Shape[0] == 0)
            throw new ArgumentException($"Expected `x` to be a non-empty array; it has no samples{(validationSplit > 0 ? $" left after validation_split={validationSplit}" : "")}.", nameof(x));
        if (validationData is { } vd)
        {
            CheckInput(vd.X.ShapeSpan, "validationData.X");
            CheckLabels(vd.X, vd.Y, "validationData.Y");
            if (vd.X.Shape[0] == 0)
                throw new ArgumentException($"Expected the validation data to be non-empty{(validationSplit > 0 ? $"; validation_split={validationSplit} of {x.Shape[0]} samples leaves none" : "")}.", nameof(validationData));
        }
        int b = batchSize ?? 32;
        int n = x.Shape[0];
        int steps = (n + b - 1) / b;
        uint baseSeed = seed ?? Backend.DerivedSeed("fit.shuffle");
        return RunFit(epochs, initialEpoch, steps, verbose, callbacks, validationData, validationBatchSize ?? b, validationFreq, (epoch, first) =>
        {
            var order = shuffle ? EpochRandom(baseSeed, epoch).Permutation(n) : Enumerable.Range(0, n).ToArray();
            return Enumerable.Range(first, steps - first).Select(s =>
            {
                var idx = order.AsSpan(s * b, Math.Min(b, n - s * b)).ToArray();
                return (AsFloatBatch(x.Take(idx)), y.Take(idx), sampleWeight?.Take(idx));
            });
        }, onEpochBegin: null, onEpochEnd: null, cancellationToken);
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
            CheckInput(vd.X.ShapeSpan, "validationData.X");
            CheckLabels(vd.X, vd.Y, "validationData.Y");
            if (vd.X.Shape[0] == 0) throw new ArgumentException("Expected the validation data to be non-empty.", nameof(validationData));
        }
        int steps = stepsPerEpoch ?? len;
        uint baseSeed = seed ?? Backend.DerivedSeed("fit.shuffle");
        var enqueuer = new OrderedEnqueuer(x, workers, maxQueueSize);
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
                    CheckInput(batch.X.ShapeSpan, nameof(x));
                    CheckLabels(batch.X, yb, "y (from the sequence)");
                    checkedFirst = true;
                }
                CheckSampleWeight(batch.X, batch.SampleWeight, "sample_weight (from the sequence)");
                return (AsFloatBatch(batch.X), yb, batch.SampleWeight);
            });
        }, onEpochBegin: x.OnEpochBegin, onEpochEnd: x.OnEpochEnd, cancellationToken);
    }

    /// <summary>
    /// The shuffle of epoch e depends only on (seed, e), so training resumed with <c>initialEpoch</c> from a saved model
    /// sees the same batches as uninterrupted training.
    /// </summary>
    private static RandomState EpochRandom(uint seed, int epoch) => new(unchecked(seed + (uint)epoch * 0x9E3779B9u));

    private static void CheckValidationFreq(int validationFreq)
    {
        if (validationFreq <= 0)
            throw new ArgumentException($"Invalid value for argument `validation_freq`. Expected a strictly positive integer. Received validation_freq={validationFreq}.", nameof(validationFreq));
    }

    private static void CheckEpochs(int epochs, int initialEpoch)
    {
        if (epochs < 0) throw new ArgumentException($"Invalid value for argument `epochs`. Expected a value >= 0. Received epochs={epochs}.", nameof(epochs));
        if (initialEpoch < 0) throw new ArgumentException($"Invalid value for argument `initial_epoch`. Expected a value >= 0. Received initial_epoch={initialEpoch}.", nameof(initialEpoch));
    }

    /// <summary>The History of the last <c>Fit</c> (<c>model.history</c>), set after every epoch.</summary>
    public History? History { get; private set; }

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
        if (verbose > 0 && !user.Any(c => c is ProgbarLogger)) list.Add(new ProgbarLogger());
        list.AddRange(user);
        if (history is not null && !user.Any(c => c is History)) list.Add(history);
        var parameters = new Dictionary<string, object> { ["verbose"] = verbose, ["epochs"] = epochs, ["steps"] = steps };
        foreach (var c in list)
        {
            c.SetModel(this);
            c.SetParams(parameters);
        }
        return list;
    }

    private History RunFit(int epochs, int initialEpoch, int steps, int verbose, IReadOnlyList<Callback>? callbacks,
        (NDArray X, NDArray Y)? validationData, int validationBatchSize, int validationFreq,
        Func<int, int, IEnumerable<(NDArray X, NDArray Y, NDArray? SampleWeight)>> epochBatches, Action<int>? onEpochBegin, Action? onEpochEnd,
        CancellationToken cancellationToken)
    {
        var list = CallbackList(callbacks, verbose, epochs, steps, new History());
        var history = (History)list.First(c => c is History);
        StopTraining = false;
        TrainingCancelled = false;
        foreach (var c in list) c.OnTrainBegin(new Dictionary<string, double>());
        // A BackupAndRestore backup overrides initialEpoch and skips the batches of its epoch already trained.
        int firstStep = 0;
        if (RestoredPosition(list) is { } restored) (initialEpoch, firstStep) = (restored.Epoch, Math.Min(restored.Batch, steps));
        Dictionary<string, double> epochLogs = new();
        for (int epoch = initialEpoch; epoch < epochs; epoch++)
        {
            if (cancellationToken.IsCancellationRequested) { TrainingCancelled = true; break; }
            foreach (var c in list) c.OnEpochBegin(epoch, new Dictionary<string, double>());
            // Positions a Sequence at this epoch: its shuffle and augmentation depend on (seed, epoch) only.
            onEpochBegin?.Invoke(epoch);
            var acc = new Accumulator();
            int step = epoch == initialEpoch ? firstStep : 0;
            foreach (var (xb, yb, wb) in epochBatches(epoch, step))
            {
                // Ctrl-C stops between batches: the epoch stays unfinished (no validation, no OnEpochEnd).
                if (cancellationToken.IsCancellationRequested) { TrainingCancelled = true; break; }
                foreach (var c in list) c.OnTrainBatchBegin(step, new Dictionary<string, double>());
                TrainStep(xb, yb, wb, acc);
                var batchLogs = Logs(acc);
                foreach (var c in list) c.OnTrainBatchEnd(step, batchLogs);
                step++;
                if (StopTraining) break;
            }
            if (TrainingCancelled) break;
            epochLogs = Logs(acc);
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
        foreach (var c in list) c.OnTrainEnd(epochLogs);
        return history;
    }

    /// <summary>
    /// <c>model.train_on_batch(x, y, sample_weight)</c>: one training step; returns <c>[loss, metrics...]</c> of that batch.
    /// </summary>
    public double[] TrainOnBatch(NDArray x, NDArray y, NDArray? sampleWeight = null)
    {
        EnsureCompiled();
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        CheckInput(x.ShapeSpan, nameof(x));
        CheckLabels(x, y, nameof(y));
        CheckSampleWeight(x, sampleWeight, nameof(sampleWeight));
        var acc = new Accumulator();
        TrainStep(AsFloatBatch(x), y, sampleWeight, acc);
        return Logs(acc).Values.ToArray();
    }

    // ------------------------------------------------------------------ evaluate / predict

    /// <summary>Keras's evaluate loop: test hooks on every callback, inference-mode batches in order, running means.</summary>
    private Dictionary<string, double> EvaluateCore(NDArray x, NDArray y, int batchSize, List<Callback> list, NDArray? sampleWeight = null)
    {
        foreach (var c in list) c.OnTestBegin(new Dictionary<string, double>());
        var acc = new Accumulator();
        int n = x.Shape[0];
        var logs = Logs(acc);
        for (int s = 0, step = 0; s < n; s += batchSize, step++)
        {
            foreach (var c in list) c.OnTestBatchBegin(step, new Dictionary<string, double>());
            int e = Math.Min(n, s + batchSize);
            TestStep(AsFloatBatch(x.Slice(s, e)), y.Slice(s, e), sampleWeight?.Slice(s, e), acc);
            logs = Logs(acc);
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
        CheckInput(x.ShapeSpan, nameof(x));
        CheckLabels(x, y, nameof(y));
        CheckSampleWeight(x, sampleWeight, nameof(sampleWeight));
        int b = batchSize ?? 32, n = x.Shape[0];
        if (n == 0) throw new ArgumentException("Expected `x` to be a non-empty array.", nameof(x));
        var list = CallbackList(callbacks, verbose, 1, Math.Max(1, (n + b - 1) / b), history: null);
        return EvaluateCore(x, y, b, list, sampleWeight).Values.ToArray();
    }

    /// <summary><c>model.predict(x, batch_size=32, verbose=0, callbacks)</c>: inference-mode outputs of all batches, concatenated.</summary>
    public NDArray Predict(NDArray x, int? batchSize = null, int verbose = 0, IReadOnlyList<Callback>? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckBatchSize(batchSize);
        CheckInput(x.ShapeSpan, nameof(x));
        int b = batchSize ?? 32, n = x.Shape[0];
        if (n == 0) throw new ArgumentException("Expected `x` to be a non-empty array.", nameof(x));
        var outShape = Output.Shape;
        outShape[0] = n;
        var result = NDArray.Zeros(outShape);
        int rowSize = result.Size / Math.Max(1, n);
        var list = CallbackList(callbacks, verbose, 1, Math.Max(1, (n + b - 1) / b), history: null);
        foreach (var c in list) c.OnPredictBegin(new Dictionary<string, double>());
        for (int s = 0, step = 0; s < n; s += b, step++)
        {
            foreach (var c in list) c.OnPredictBatchBegin(step, new Dictionary<string, double>());
            int e = Math.Min(n, s + b);
            using (new TensorScope())
            {
                // One batch covering all of x needs no slice copy.
                var batch = s == 0 && e == n ? x : x.Slice(s, e);
                var y = Run(Tensor.FromNDArray(AsFloatBatch(batch), Device), training: false, wantLogits: false).Output;
                y.Device.CopyToHost(y.Storage, 0, result.Float32Data.AsSpan(s * rowSize, y.Size));
            }
            foreach (var c in list) c.OnPredictBatchEnd(step, new Dictionary<string, double>());
        }
        foreach (var c in list) c.OnPredictEnd(new Dictionary<string, double>());
        return result;
    }
}
