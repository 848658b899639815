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
public abstract partial class Trainer
{
    private CompileLoss? compileLoss;
    private CompileMetrics compileMetrics = new(null);

    // Keras's loss tracker: Mean(name="loss") updated with the batch loss weighted by the batch size, so the logged loss
    // is Σ_b n_b·L_b / Σ_b n_b in float32.
    private readonly Mean lossTracker = new("loss");

    private protected Trainer() { }

    // ------------------------------------------------------------------ what the model provides

    /// <summary>Runs the graph on a batch; with <paramref name="wantLogits"/>, also the logits of a softmax output.</summary>
    private protected abstract (Tensor Output, Tensor? Logits) RunGraph(Tensor x, bool training, bool wantLogits);

    /// <summary>The device holding the model's weights: batches, targets and weights go there.</summary>
    private protected abstract IDevice TrainingDevice { get; }

    /// <summary>The symbolic output shape (batch axis -1).</summary>
    private protected abstract int[] OutputShape { get; }

    /// <summary>Throws a clear error when an input batch does not fit the model's input.</summary>
    private protected abstract void CheckInputShape(ReadOnlySpan<int> shape, string param);

    /// <summary>The weights the optimizer updates, in Keras's order.</summary>
    private protected abstract IReadOnlyList<Variable> TrainableVariables { get; }

    /// <summary>The regularization terms on the current weights, in layer order (<c>model.losses</c>).</summary>
    private protected abstract List<Tensor> RegularizationLosses();

    // ------------------------------------------------------------------ compile

    /// <summary>The optimizer set by <see cref="Compile"/> (<c>model.optimizer</c>).</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The loss as given to Compile, an identifier string or a <see cref="Keras.Loss"/> (<c>model.loss</c>).</summary>
    public object? Loss => compileLoss?.UserLoss;

    /// <summary>
    /// <c>model.metrics</c>: the loss tracker (a <see cref="Mean"/> named "loss"), then the compiled metrics once the
    /// first batch has built them.
    /// </summary>
    public IReadOnlyList<Metric> Metrics => compileLoss is null ? [] : [lossTracker, .. compileMetrics.Built];

    /// <summary><c>model.metrics_names</c>: <c>loss</c> then the metrics in compile order (<c>accuracy</c> or <c>acc</c> as spelled).</summary>
    public IReadOnlyList<string> MetricsNames => ["loss", .. compileMetrics.Names];

    /// <summary>Set by callbacks to end <c>Fit</c> after the current batch or epoch (<c>model.stop_training</c>).</summary>
    public bool StopTraining { get; set; }

    /// <summary>The History of the last <c>Fit</c> (<c>model.history</c>), set after every epoch.</summary>
    public History? History { get; private set; }

    /// <summary>
    /// <c>model.compile(optimizer, loss, metrics)</c>. <paramref name="optimizer"/>: an <see cref="Keras.Optimizer"/> or
    /// "adam" / "sgd" (<see cref="Optimizers.Get"/>). <paramref name="loss"/>: a <see cref="Keras.Loss"/> or an identifier
    /// such as "categorical_crossentropy" (<see cref="Losses.Get"/>). <paramref name="metrics"/>: identifiers and
    /// <see cref="Metric"/> objects, e.g. <c>["accuracy", new TopKCategoricalAccuracy(k: 3)]</c>; "accuracy" / "acc"
    /// are resolved by the shapes of targets and outputs as Keras does. <paramref name="metrics"/> ignore sample weights;
    /// <paramref name="weightedMetrics"/> (Keras's <c>weighted_metrics</c>) are weighted by them, and a name already
    /// taken by a metric is logged as "weighted_" + name.
    /// </summary>
    public void Compile(object optimizer, object loss, IReadOnlyList<object>? metrics = null, IReadOnlyList<object>? weightedMetrics = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        Optimizer resolvedOptimizer;
        try { resolvedOptimizer = Optimizers.Get(optimizer); }
        catch (ArgumentException e) { throw new ArgumentException(e.Message, nameof(optimizer), e); }
        CompileLoss resolvedLoss;
        try { resolvedLoss = new CompileLoss(loss); }
        catch (ArgumentException e) { throw new ArgumentException(e.Message, nameof(loss), e); }
        var resolvedMetrics = new CompileMetrics(metrics, weightedMetrics);
        Optimizer = resolvedOptimizer;
        DistributeStrategy = MultiWorkerMirroredStrategy.Current ?? DistributeStrategy;
        compileLoss = resolvedLoss;
        compileMetrics = resolvedMetrics;
        lossTracker.ResetState();
    }

    private void EnsureCompiled()
    {
        if (Optimizer is null || compileLoss is null)
            throw new InvalidOperationException("You must compile your model before training/testing. Use `model.Compile(optimizer, loss)`.");
    }

    /// <summary>The training_config entries of a compiled model (loss and metrics as Keras serializes them), or null.</summary>
    internal (object Loss, object[] Metrics, object[] WeightedMetrics)? CompileConfig =>
        compileLoss is null ? null : (compileLoss.Serialize(), compileMetrics.Serialize().Metrics, compileMetrics.Serialize().WeightedMetrics);

    /// <summary><c>model.reset_metrics()</c>: the loss tracker and every compiled metric back to zero.</summary>
    public void ResetMetrics()
    {
        lossTracker.ResetState();
        compileMetrics.ResetState();
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
        return logs;
    }

    // ------------------------------------------------------------------ one batch

    /// <summary>
    /// Keras's <c>compute_loss</c>: the compiled loss of the batch (from the softmax's logits when the loss has that form)
    /// plus add_n of the regularization terms in layer order.
    /// </summary>
    private Tensor ComputeLoss(Tensor y, Tensor yPred, Tensor? logits, Tensor? sampleWeight)
    {
        var data = compileLoss!.Call(y, yPred, logits, sampleWeight);
        var regs = RegularizationLosses();
        return regs.Count switch
        {
            0 => data,
            1 => Op.Add(data, regs[0]),
            _ => Op.Add(data, Op.AddN(regs)),
        };
    }

    private static Tensor? WeightTensor(NDArray? sampleWeight, IDevice device) => sampleWeight is null ? null : Tensor.FromNDArray(sampleWeight, device);

    /// <summary>
    /// Keras's <c>train_step</c>: forward in training mode, loss, metrics from the same forward pass, gradients, one
    /// optimizer update; returns the running logs (<see cref="GetMetricsResult"/>).
    /// </summary>
    protected virtual Dictionary<string, double> TrainStep(NDArray x, NDArray y, NDArray? sampleWeight)
    {
        if (x.IntShape[0] == 0 && Distributed is not null) return EmptyTrainStep();
        // Every activation and gradient of the step comes from the pool and goes back once nothing reads it, at the
        // latest when the step ends.
        using var scope = new TensorScope();
        var device = TrainingDevice;
        var xt = Tensor.FromNDArray(x, device);
        var yt = Tensor.FromNDArray(y, device);
        var vars = TrainableVariables;
        Tensor[] grads;
        // The tape recycles each buffer once backpropagation is done with it, so everything read from the forward
        // pass (loss, predictions for the metrics) is read before Gradient.
        using (var tape = new GradientTape { RecyclesBuffers = true })
        {
            foreach (var v in vars) tape.Watch(v.Value);
            var (output, logits) = RunGraph(xt, training: true, wantLogits: true);
            var weights = WeightTensor(sampleWeight, device);
            var total = ComputeLoss(yt, output, logits, weights);
            lossTracker.UpdateState(total, Tensor.Full(device, [], x.IntShape[0]));
            compileMetrics.UpdateState(yt, output, weights);
            grads = tape.Gradient(total, vars.Select(v => v.Value).ToList());
        }
        // Under a multi-worker strategy: the average over the workers (Keras's all-reduce before apply_gradients).
        grads = ReduceGradients(grads, hasData: true);
        Optimizer!.ApplyGradients(grads.Select((g, i) => (g, vars[i])).ToList());
        return GetMetricsResult();
    }

    /// <summary>Keras's <c>test_step</c>: forward in inference mode, loss and metrics; returns the running logs.</summary>
    protected virtual Dictionary<string, double> TestStep(NDArray x, NDArray y, NDArray? sampleWeight)
    {
        using var scope = new TensorScope();
        var device = TrainingDevice;
        var yt = Tensor.FromNDArray(y, device);
        var (output, logits) = RunGraph(Tensor.FromNDArray(x, device), training: false, wantLogits: true);
        var weights = WeightTensor(sampleWeight, device);
        var total = ComputeLoss(yt, output, logits, weights);
        lossTracker.UpdateState(total, Tensor.Full(device, [], x.IntShape[0]));
        compileMetrics.UpdateState(yt, output, weights);
        return GetMetricsResult();
    }

    /// <summary>Keras's <c>predict_step</c>: the inference-mode output of one batch, copied out of the step's buffers.</summary>
    protected virtual NDArray PredictStep(NDArray x)
    {
        using var scope = new TensorScope();
        return RunGraph(Tensor.FromNDArray(x, TrainingDevice), training: false, wantLogits: false).Output.ToNDArray();
    }

    // ------------------------------------------------------------------ checks

    private void CheckLabels(NDArray x, NDArray y, string yParam)
    {
        if (y.IntShape[0] != x.IntShape[0])
            throw new ArgumentException($"Data cardinality is ambiguous: x sizes: {x.IntShape[0]}, y sizes: {y.IntShape[0]}. Make sure all arrays contain the same number of samples.", yParam);
        compileLoss!.CheckTargets(y, OutputShape, yParam);
    }

    /// <summary>Keras's data-adapter check: sample weights are one number per sample, (N,) or (N, 1).</summary>
    private static void CheckSampleWeight(NDArray x, NDArray? sampleWeight, string param)
    {
        if (sampleWeight is null) return;
        if (!(sampleWeight.Rank == 1 || (sampleWeight.Rank == 2 && sampleWeight.IntShape[1] == 1)))
            throw new ArgumentException($"Invalid `{param}` of shape {ShapeUtil.Format(sampleWeight.ShapeSpan)}: expected one weight per sample, shape (N,) or (N, 1).", param);
        if (sampleWeight.IntShape[0] != x.IntShape[0])
            throw new ArgumentException($"Data cardinality is ambiguous: x sizes: {x.IntShape[0]}, sample_weight sizes: {sampleWeight.IntShape[0]}. Make sure all arrays contain the same number of samples.", param);
    }

    // Batches go to the device as they are: Tensor.FromNDArray converts other dtypes during its one copy, so a float32
    // copy of a uint8 batch here would only add a second one.
    private static NDArray AsFloatBatch(NDArray x) => x;

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
