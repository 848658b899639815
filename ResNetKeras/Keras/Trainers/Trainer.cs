using ResNetKeras.Devices;
using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras 3's <c>Trainer</c> (trainers/trainer.py), the base of <see cref="Model"/>: <c>Compile</c>, the train / test /
/// predict steps, <c>Fit</c>/<c>Evaluate</c>/<c>Predict</c> and the <c>*_on_batch</c> methods, with the loss and metrics
/// as objects (<see cref="Loss"/>, <see cref="Metric"/>) held in compile containers. The model supplies only its
/// graph: the forward pass, its output shape and input check, its trainable weights and regularization losses.
/// </summary>
public abstract partial class Trainer : Layer
{
    private CompileLoss? compileLoss;
    private CompileMetrics compileMetrics = new(null);

    // Keras's loss tracker: Mean(name="loss") updated with the batch loss weighted by the batch size, so the logged loss
    // is Σ_b n_b·L_b / Σ_b n_b in float32.
    private readonly Mean lossTracker = new("loss");

    private protected Trainer(string name) : base(name) { }

    // ------------------------------------------------------------------ what the model provides

    /// <summary>Runs the graph on one batch per input; with <paramref name="wantLogits"/>, also the logits of softmax outputs.</summary>
    private protected abstract (Tensor[] Outputs, Tensor?[] Logits) RunGraph(IReadOnlyList<Tensor> xs, bool training, bool wantLogits);

    /// <summary>The device holding the model's weights: batches, targets and weights go there.</summary>
    private protected abstract IDevice TrainingDevice { get; }

    /// <summary>The symbolic output shapes (batch axis -1), one per output.</summary>
    private protected abstract int[][] OutputShapes { get; }

    /// <summary>The output names (the layers producing the outputs); one name for a model not built yet.</summary>
    private protected abstract IReadOnlyList<string> GraphOutputNames { get; }

    /// <summary>Throws a clear error when the input batches (one per input) do not fit the model's inputs.</summary>
    private protected abstract void CheckInputShapes(int[][] shapes, string param);

    /// <summary>The weights the optimizer updates, in Keras's order.</summary>
    private protected abstract IReadOnlyList<Variable> TrainableVariables { get; }

    /// <summary>The regularization terms on the current weights, in layer order (<c>model.losses</c>).</summary>
    private protected abstract List<Tensor> RegularizationLosses();

    // ------------------------------------------------------------------ compile

    /// <summary>The optimizer set by <c>Compile</c> (<c>model.optimizer</c>).</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The loss as given to Compile: an identifier string, a <see cref="Keras.Loss"/>, or one per output (<c>model.loss</c>).</summary>
    public object? Loss => compileLoss?.UserLoss;

    /// <summary>
    /// <c>model.metrics</c>: the loss tracker (a <see cref="Mean"/> named "loss"), then the compiled metrics once the
    /// first batch has built them.
    /// </summary>
    public IReadOnlyList<Metric> Metrics => compileLoss is null ? [] : [lossTracker, .. compileMetrics.Built, .. compileLoss.Trackers];

    /// <summary>
    /// <c>model.metrics_names</c>: <c>loss</c>, the metrics in compile order (<c>accuracy</c> or <c>acc</c> as spelled,
    /// "{output}_{metric}" with several outputs), then each output's loss ("{output}_loss") when there are several losses.
    /// </summary>
    public IReadOnlyList<string> MetricsNames
    {
        get
        {
            if (compileLoss is null) return ["loss"];
            BindOutputs();
            return ["loss", .. compileMetrics.Names, .. compileLoss.TrackerNames(GraphOutputNames)];
        }
    }

    /// <summary>Set by callbacks to end <c>Fit</c> after the current batch or epoch (<c>model.stop_training</c>).</summary>
    public bool StopTraining { get; set; }

    /// <summary>The History of the last <c>Fit</c> (<c>model.history</c>), set after every epoch.</summary>
    public History? History { get; private set; }

    /// <summary>
    /// <c>model.compile(optimizer, loss, metrics, loss_weights, weighted_metrics)</c>. <paramref name="optimizer"/>: an
    /// <see cref="Keras.Optimizer"/> or an identifier such as "adam" (<see cref="Optimizers.Get"/>). <paramref name="loss"/>:
    /// a <see cref="Keras.Loss"/> or an identifier such as "categorical_crossentropy" (<see cref="Losses.Get"/>), applied
    /// to every output; or a dictionary from output name to loss. <paramref name="metrics"/>: identifiers and
    /// <see cref="Metric"/> objects, e.g. <c>["accuracy", new TopKCategoricalAccuracy(k: 3)]</c>; "accuracy" / "acc"
    /// are resolved by the shapes of targets and outputs as Keras does; for several outputs, one entry per output (a
    /// metric, an array of metrics, or null). <paramref name="metrics"/> ignore sample weights;
    /// <paramref name="weightedMetrics"/> (Keras's <c>weighted_metrics</c>) are weighted by them, and a name already
    /// taken by a metric is logged as "weighted_" + name. <paramref name="lossWeights"/>: one weight per loss (the total
    /// loss is Σ wᵢ·Lᵢ).
    /// </summary>
    public void Compile(object optimizer, object loss, IReadOnlyList<object?>? metrics = null, IReadOnlyList<object?>? weightedMetrics = null,
        IReadOnlyList<double>? lossWeights = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        Optimizer resolvedOptimizer;
        try { resolvedOptimizer = Optimizers.Get(optimizer); }
        catch (ArgumentException e) { throw new ArgumentException(e.Message, nameof(optimizer), e); }
        CompileLoss resolvedLoss;
        try { resolvedLoss = new CompileLoss(loss, lossWeights); }
        catch (ArgumentException e) { throw new ArgumentException(e.Message, e.ParamName == nameof(lossWeights) ? nameof(lossWeights) : nameof(loss), e); }
        var resolvedMetrics = new CompileMetrics(metrics, weightedMetrics);
        if (Built)
        {
            // A built model checks the loss and metric structures against its outputs now, as Keras's compile does.
            try { resolvedLoss.Bind(GraphOutputNames); }
            catch (ArgumentException e) { throw new ArgumentException(e.Message, e.ParamName ?? nameof(loss), e); }
            resolvedMetrics.Bind(GraphOutputNames);
        }
        Optimizer = resolvedOptimizer;
        DistributeStrategy = MultiWorkerMirroredStrategy.Current ?? DistributeStrategy;
        compileLoss = resolvedLoss;
        compileMetrics = resolvedMetrics;
        lossTracker.ResetState();
    }

    /// <summary>
    /// <c>model.compile</c> with one loss per output, in the order of the model's outputs (<c>loss=["sparse_categorical_crossentropy", "mse"]</c>;
    /// null: that output has no loss); the other arguments as in the one-loss overload.
    /// </summary>
    public void Compile(object optimizer, IReadOnlyList<object?> loss, IReadOnlyList<object?>? metrics = null, IReadOnlyList<object?>? weightedMetrics = null,
        IReadOnlyList<double>? lossWeights = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Compile(optimizer, (object)loss.ToArray(), metrics, weightedMetrics, lossWeights);
    }

    /// <summary>Binds the compiled loss and metrics to the outputs of the (now built) model.</summary>
    private void BindOutputs()
    {
        var names = GraphOutputNames;
        compileLoss!.Bind(names);
        compileMetrics.Bind(names);
    }

    private void EnsureCompiled()
    {
        if (Optimizer is null || compileLoss is null)
            throw new InvalidOperationException("You must compile your model before training/testing. Use `model.Compile(optimizer, loss)`.");
    }

    /// <summary>The training_config entries of a compiled model (loss, metrics and loss weights as Keras serializes them), or null.</summary>
    internal (object Loss, object?[] Metrics, object?[] WeightedMetrics, IReadOnlyList<double>? LossWeights)? CompileConfig =>
        compileLoss is null ? null : (compileLoss.Serialize(), compileMetrics.Serialize().Metrics, compileMetrics.Serialize().WeightedMetrics, compileLoss.UserLossWeights);

    /// <summary><c>model.reset_metrics()</c>: the loss tracker and every compiled metric back to zero.</summary>
    public void ResetMetrics()
    {
        lossTracker.ResetState();
        compileMetrics.ResetState();
        if (compileLoss is not null)
            foreach (var t in compileLoss.Trackers) t.ResetState();
    }

    /// <summary>
    /// <c>model.get_metrics_result()</c>: loss then each metric's current value, by name; under a multi-worker
    /// strategy, of all workers' samples (the metrics' totals and counts summed over the workers, as Keras reads them).
    /// </summary>
    public Dictionary<string, double> GetMetricsResult() =>
        Distributed is { } s ? s.ReadSummedOverWorkers(Metrics.SelectMany(m => m.Variables).ToList(), LocalMetricsResult) : LocalMetricsResult();

    private Dictionary<string, double> LocalMetricsResult()
    {
        var logs = new Dictionary<string, double> { ["loss"] = lossTracker.Result().Item() };
        foreach (var (name, value) in compileMetrics.Results()) logs[name] = value;
        if (compileLoss is not null)
            foreach (var t in compileLoss.Trackers) logs[t.Name] = t.Result().Item();
        return logs;
    }

    // ------------------------------------------------------------------ one batch

    /// <summary>
    /// Keras's <c>compute_loss</c>: the compiled loss of the batch (Σ wᵢ·Lᵢ over the outputs, each from the softmax's
    /// logits when the loss has that form) plus add_n of the regularization terms in layer order.
    /// </summary>
    private Tensor ComputeLoss(Tensor[] y, Tensor[] yPred, Tensor?[] logits, Tensor? sampleWeight, int batchSize)
    {
        var data = compileLoss!.Call(y, yPred, logits, sampleWeight, GraphOutputNames, TrainingDevice, batchSize);
        var regs = RegularizationLosses();
        return regs.Count switch
        {
            0 => data,
            1 => Op.Add(data, regs[0]),
            _ => Op.Add(data, Op.AddN(regs)),
        };
    }

    private static Tensor? WeightTensor(NDArray? sampleWeight, IDevice device) => sampleWeight is null ? null : Tensor.FromNDArray(sampleWeight, device);

    private static Tensor[] ToDevice(NDArray[] arrays, IDevice device)
    {
        var result = new Tensor[arrays.Length];
        for (int i = 0; i < arrays.Length; i++) result[i] = Tensor.FromNDArray(arrays[i], device);
        return result;
    }

    /// <summary>
    /// Keras's <c>train_step</c>: forward in training mode, loss, metrics from the same forward pass, gradients, one
    /// optimizer update; returns the running logs (<see cref="GetMetricsResult"/>). <paramref name="x"/> has one array
    /// per model input, <paramref name="y"/> one per output.
    /// </summary>
    protected virtual Dictionary<string, double> TrainStep(NDArray[] x, NDArray[] y, NDArray? sampleWeight)
    {
        int rows = x[0].IntShape[0];
        if (rows == 0 && Distributed is not null) return EmptyTrainStep();
        // Every activation and gradient of the step comes from the pool and goes back once nothing reads it, at the
        // latest when the step ends.
        using var scope = new TensorScope();
        var device = TrainingDevice;
        var xt = ToDevice(x, device);
        var yt = ToDevice(y, device);
        var vars = TrainableVariables;
        Tensor[] grads;
        // The tape recycles each buffer once backpropagation is done with it, so everything read from the forward
        // pass (loss, predictions for the metrics) is read before Gradient.
        using (var tape = new GradientTape { RecyclesBuffers = true })
        {
            foreach (var v in vars) tape.Watch(v.Value);
            var (outputs, logits) = RunGraph(xt, training: true, wantLogits: true);
            var weights = WeightTensor(sampleWeight, device);
            var total = ComputeLoss(yt, outputs, logits, weights, rows);
            lossTracker.UpdateState(total, Tensor.Full(device, [], rows));
            compileMetrics.UpdateState(yt, outputs, weights);
            grads = tape.Gradient(total, vars.Select(v => v.Value).ToList());
        }
        // Under a multi-worker strategy: the average over the workers (Keras's all-reduce before apply_gradients).
        grads = ReduceGradients(grads, hasData: true);
        Optimizer!.ApplyGradients(grads.Select((g, i) => (g, vars[i])).ToList());
        return GetMetricsResult();
    }

    /// <summary>Keras's <c>test_step</c>: forward in inference mode, loss and metrics; returns the running logs.</summary>
    protected virtual Dictionary<string, double> TestStep(NDArray[] x, NDArray[] y, NDArray? sampleWeight)
    {
        using var scope = new TensorScope();
        var device = TrainingDevice;
        var yt = ToDevice(y, device);
        var (outputs, logits) = RunGraph(ToDevice(x, device), training: false, wantLogits: true);
        var weights = WeightTensor(sampleWeight, device);
        int rows = x[0].IntShape[0];
        var total = ComputeLoss(yt, outputs, logits, weights, rows);
        lossTracker.UpdateState(total, Tensor.Full(device, [], rows));
        compileMetrics.UpdateState(yt, outputs, weights);
        return GetMetricsResult();
    }

    /// <summary>Keras's <c>predict_step</c>: the inference-mode outputs of one batch (one per model output), copied out of the step's buffers.</summary>
    protected virtual NDArray[] PredictStep(NDArray[] x)
    {
        using var scope = new TensorScope();
        var ys = RunGraph(ToDevice(x, TrainingDevice), training: false, wantLogits: false).Outputs;
        return ys.Select(y => y.ToNDArray()).ToArray();
    }

    // ------------------------------------------------------------------ checks

    /// <summary>Keras's data-adapter checks: as many arrays as the model has inputs, and every array with the same number of samples.</summary>
    private NDArray[] CheckInputs(IReadOnlyList<NDArray> x, string param)
    {
        if (x.Count == 0) throw new ArgumentException($"Expected `{param}` to hold one array per model input; received an empty list.", param);
        for (int i = 0; i < x.Count; i++)
            if (x[i] is null) throw new ArgumentNullException(param, $"{param}[{i}] is null.");
        CheckInputShapes(x.Select(a => a.IntShape).ToArray(), param);
        int n = x[0].IntShape[0];
        for (int i = 1; i < x.Count; i++)
            if (x[i].IntShape[0] != n)
                throw new ArgumentException($"Data cardinality is ambiguous: {param} sizes: {string.Join(", ", x.Select(a => a.IntShape[0]))}. Make sure all arrays contain the same number of samples.", param);
        return x.ToArray();
    }

    private NDArray[] CheckLabels(NDArray[] x, IReadOnlyList<NDArray> y, string yParam)
    {
        CheckLabelShapes(x, y, yParam);
        return y.ToArray();
    }

    /// <summary>One target array per output, as many samples as the inputs, each fitting its output's loss.</summary>
    private void CheckLabelShapes(NDArray[] x, IReadOnlyList<NDArray> y, string yParam)
    {
        var names = GraphOutputNames;
        if (y.Count != names.Count)
            throw new ArgumentException($"The model has {names.Count} output(s) ({string.Join(", ", names)}) but `{yParam}` holds {y.Count} array(s); pass one target array per output.", yParam);
        for (int i = 0; i < y.Count; i++)
        {
            if (y[i] is null) throw new ArgumentNullException(yParam, $"{yParam}[{i}] is null.");
            if (y[i].IntShape[0] != x[0].IntShape[0])
                throw new ArgumentException($"Data cardinality is ambiguous: x sizes: {x[0].IntShape[0]}, y sizes: {y[i].IntShape[0]}. Make sure all arrays contain the same number of samples.", yParam);
        }
        BindOutputs();
        compileLoss!.CheckTargets(y, OutputShapes, names, yParam);
    }

    /// <summary>Keras's data-adapter check: sample weights are one number per sample, (N,) or (N, 1).</summary>
    private static void CheckSampleWeight(NDArray[] x, NDArray? sampleWeight, string param)
    {
        if (sampleWeight is null) return;
        if (!(sampleWeight.Rank == 1 || (sampleWeight.Rank == 2 && sampleWeight.IntShape[1] == 1)))
            throw new ArgumentException($"Invalid `{param}` of shape {ShapeUtil.Format(sampleWeight.ShapeSpan)}: expected one weight per sample, shape (N,) or (N, 1).", param);
        if (sampleWeight.IntShape[0] != x[0].IntShape[0])
            throw new ArgumentException($"Data cardinality is ambiguous: x sizes: {x[0].IntShape[0]}, sample_weight sizes: {sampleWeight.IntShape[0]}. Make sure all arrays contain the same number of samples.", param);
    }


    private static void CheckBatchSize(int? batchSize, string param = "batchSize")
    {
        if (batchSize is <= 0)
            throw new ArgumentException($"Invalid value for argument `batch_size`. Expected a strictly positive integer. Received {param}={batchSize}.", param);
    }

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
}
