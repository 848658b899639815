using System.Diagnostics;
using ResNetKeras.Distributed;
using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// Synchronous data-parallel training over several processes, on one or many machines
/// (<c>tf.distribute.MultiWorkerMirroredStrategy</c>, one replica per worker). Every worker holds a full copy of the
/// model; each global batch is split across the workers as Keras splits it across replicas; gradients are averaged
/// over the workers with an all-reduce (fused into buckets) before every optimizer step, so the copies stay identical.
/// Initial weights and optimizer state come from worker 0 (the chief). Batch-normalization statistics stay per worker,
/// as in Keras. Launch with <c>mpirun -np N dotnet app.dll</c>; without <c>mpirun</c> it is a single worker and MPI is
/// never loaded.
/// </summary>
/// <example><code>
/// using var strategy = new MultiWorkerMirroredStrategy();
/// using (strategy.Scope())
/// {
///     model = ResNetCifar.ResNetV1(inputShape: [32, 32, 3], depth: 20);
///     model.Compile(loss: "categorical_crossentropy", optimizer: new Adam(), metrics: ["accuracy"]);
/// }
/// </code></example>
public sealed class MultiWorkerMirroredStrategy : IDisposable
{
    /// <summary>Default fusion bucket size: 25 MB, PyTorch DDP's <c>bucket_cap_mb</c>.</summary>
    public const int DefaultBucketBytes = 25 << 20;

    private static readonly AsyncLocal<MultiWorkerMirroredStrategy?> current = new();
    private readonly bool ownsCollectives;
    private readonly int bucketBytes;
    private GradientBuckets? buckets;
    private readonly Stopwatch communication = new();
    private bool disposed;

    /// <summary>
    /// Creates the strategy over <paramref name="collectives"/>; when null, over MPI if this process was started by
    /// <c>mpirun</c> (<see cref="MpiCollectives.IsLaunchedByMpirun"/>), else as the single worker of a one-process job.
    /// <paramref name="timeout"/> bounds how long a collective waits for a dead or hung worker (default 45 s).
    /// <paramref name="bucketBytes"/> is the gradient fusion bucket size. All workers leave the constructor with the
    /// same library random state (worker 0's), so weight initialization, shuffles and augmentations agree across them.
    /// </summary>
    public MultiWorkerMirroredStrategy(ICollectives? collectives = null, TimeSpan? timeout = null, int bucketBytes = DefaultBucketBytes)
    {
        if (bucketBytes < sizeof(float))
            throw new ArgumentException($"Invalid value for argument `bucketBytes`. Expected at least {sizeof(float)} bytes. Received bucketBytes={bucketBytes}.", nameof(bucketBytes));
        if (timeout is { } bound && (bound <= TimeSpan.Zero || bound == Timeout.InfiniteTimeSpan))
            throw new ArgumentException($"Invalid value for argument `timeout`. Expected a positive, finite time span. Received timeout={bound}.", nameof(timeout));
        if (collectives is null)
        {
            ownsCollectives = true;
            collectives = MpiCollectives.IsLaunchedByMpirun ? MpiCollectives.Initialize(timeout) : new SingleProcessCollectives();
        }
        if (timeout is { } t) collectives.Timeout = t;
        Collectives = collectives;
        this.bucketBytes = bucketBytes;
        if (collectives.Size > 1)
        {
            var seed = new[] { Backend.NextSeed() };
            collectives.Broadcast(seed);
            Backend.SetRandomSeed(seed[0]);
        }
    }

    /// <summary>The collective operations underneath (MPI, single process, or a user's implementation such as NCCL).</summary>
    public ICollectives Collectives { get; }

    /// <summary>Number of workers taking part in every step (<c>strategy.num_replicas_in_sync</c>).</summary>
    public int NumReplicasInSync => Collectives.Size;

    /// <summary>This worker's index (<c>strategy.cluster_resolver.task_id</c>).</summary>
    public int WorkerIndex => Collectives.Rank;

    /// <summary>Whether this worker is the chief (worker 0): the only one that writes checkpoints, logs and charts.</summary>
    public bool IsChief => Collectives.Rank == 0;

    /// <summary>The strategy whose <see cref="Scope"/> is active (<c>tf.distribute.get_strategy()</c>), or null.</summary>
    public static MultiWorkerMirroredStrategy? Current => current.Value;

    /// <summary>Time spent in the gradient all-reduce so far (packing, communication, unpacking).</summary>
    public TimeSpan AllReduceTime => communication.Elapsed;

    /// <summary>Number of gradient all-reduces so far (one per training step).</summary>
    public long AllReduceCount { get; private set; }

    /// <summary>
    /// <c>with strategy.scope():</c>: models built and compiled inside train with this strategy. Dispose the returned
    /// object to leave the scope.
    /// </summary>
    public IDisposable Scope()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var previous = current.Value;
        current.Value = this;
        return new ScopeExit(() => current.Value = previous);
    }

    private sealed class ScopeExit(Action exit) : IDisposable
    {
        private Action? exit = exit;

        public void Dispose()
        {
            exit?.Invoke();
            exit = null;
        }
    }

    /// <summary>
    /// This worker's rows of a global batch of <paramref name="globalBatchSize"/> samples, as Keras rebatches a global
    /// batch across replicas: sizes differ by at most one, the first workers take the larger ones, shards are
    /// contiguous and in worker order. A shard is empty when the batch has fewer samples than there are workers.
    /// </summary>
    public (int Start, int Count) ShardOfBatch(int globalBatchSize)
    {
        if (globalBatchSize < 0)
            throw new ArgumentException($"Invalid value for argument `globalBatchSize`. Expected a value >= 0. Received globalBatchSize={globalBatchSize}.", nameof(globalBatchSize));
        int n = Collectives.Size, r = Collectives.Rank;
        int baseSize = globalBatchSize / n, rem = globalBatchSize % n;
        return (r * baseSize + Math.Min(r, rem), baseSize + (r < rem ? 1 : 0));
    }

    /// <summary>This worker's rows of a global batch (see <see cref="ShardOfBatch"/>).</summary>
    public NDArray ShardBatch(NDArray globalBatch)
    {
        ArgumentNullException.ThrowIfNull(globalBatch);
        if (globalBatch.Rank == 0) throw new ArgumentException("Invalid value for argument `globalBatch`: a batch needs a first (sample) axis; received a 0-d array.", nameof(globalBatch));
        var (start, count) = ShardOfBatch(globalBatch.Dim(0));
        return globalBatch.Slice(start, start + count);
    }

    /// <summary>
    /// A <see cref="Sequence"/> (e.g. <c>ImageDataGenerator.Flow</c>) whose batch i is this worker's shard of
    /// <paramref name="sequence"/>'s global batch i: the workers' shards never overlap and together cover every sample
    /// of every batch.
    /// </summary>
    public Sequence Shard(Sequence sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        return Collectives.Size == 1 ? sequence : new ShardedSequence(sequence, this);
    }

    /// <summary>
    /// Overwrites <paramref name="variables"/> on every worker with worker <paramref name="root"/>'s values (one
    /// fused broadcast). All workers must pass variables of the same shapes in the same order; a mismatch (different
    /// models on different workers) is an <see cref="InvalidOperationException"/> on the workers that differ.
    /// </summary>
    public void BroadcastVariables(IReadOnlyList<Variable> variables, int root = 0)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (Collectives.Size == 1) return;
        long total = 0, shapeHash = 17;
        foreach (var v in variables)
        {
            total += v.Value.Size;
            foreach (var d in v.Value.ShapeSpan) shapeHash = unchecked(shapeHash * 31 + d);
            shapeHash = unchecked(shapeHash * 31 + v.Value.Rank);
        }
        var signature = new[] { variables.Count, total, shapeHash };
        var mine = (long[])signature.Clone();
        Collectives.Broadcast(signature, root);
        if (!signature.AsSpan().SequenceEqual(mine))
            throw new InvalidOperationException($"[worker {WorkerIndex}] BroadcastVariables: this worker has {mine[0]} variables with {mine[1]} values but worker {root} has {signature[0]} with {signature[1]} (or other shapes); every worker must build the same model.");
        var buffer = new float[total];
        long offset = 0;
        foreach (var v in variables)
        {
            v.Value.Device.CopyToHost(v.Value.Storage, 0, buffer.AsSpan(checked((int)offset), v.Value.Size));
            offset += v.Value.Size;
        }
        Collectives.Broadcast(buffer, root);
        offset = 0;
        foreach (var v in variables)
        {
            v.Assign(buffer.AsSpan(checked((int)offset), v.Value.Size));
            offset += v.Value.Size;
        }
    }

    /// <summary>
    /// Makes every worker start from the chief's state: all model weights (batch-norm statistics included) and, when
    /// <paramref name="optimizer"/> is given, its iteration count, learning rate and slot variables (when the chief's
    /// optimizer has them, e.g. after loading a model to resume). Keras does this when variables are created under
    /// the strategy's scope.
    /// </summary>
    public void BroadcastModel(Model model, Optimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (Collectives.Size == 1) return;
        BroadcastVariables(model.Weights);
        if (optimizer is null) return;
        var state = new[] { optimizer.Iterations, BitConverter.DoubleToInt64Bits(optimizer.LearningRate), optimizer.SlotVariables.Count };
        Collectives.Broadcast(state);
        optimizer.Iterations = state[0];
        optimizer.LearningRate = BitConverter.Int64BitsToDouble(state[1]);
        if (state[2] > 0)
        {
            optimizer.Build(model.TrainableWeights);
            BroadcastVariables(optimizer.SlotVariables);
        }
    }

    /// <summary>
    /// Averages <paramref name="gradients"/> over the workers (Keras: each replica's loss is its batch mean, the
    /// gradients are summed and divided by the replicas in sync): the tensors are copied to host buffers fused into
    /// buckets, all-reduced, divided by the number of workers that had data, and returned as new tensors in the same
    /// order. A worker whose shard of the batch is empty passes <paramref name="hasData"/> false: it contributes
    /// nothing and still takes part. With one worker the gradients are returned as they are.
    /// </summary>
    public Tensor[] AllReduceGradients(IReadOnlyList<Tensor> gradients, bool hasData = true)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (Collectives.Size == 1) return gradients.ToArray();
        communication.Start();
        try
        {
            var sizes = gradients.Select(g => g.Size).ToArray();
            if (buckets is null || !buckets.Matches(sizes)) buckets = new GradientBuckets(sizes, bucketBytes, extra: 1);
            for (int i = 0; i < gradients.Count; i++)
            {
                var slot = buckets.Slot(i);
                if (hasData) gradients[i].Device.CopyToHost(gradients[i].Storage, 0, slot);
                else slot.Clear();
            }
            buckets.ExtraSpan[0] = hasData ? 1 : 0;
            Collectives.AllReduce(buckets.Buffers, ReduceOp.Sum);
            float contributors = buckets.ExtraSpan[0];
            if (contributors < 1)
                throw new InvalidOperationException("AllReduceGradients: no worker had samples in this step's batch.");
            var result = new Tensor[gradients.Count];
            for (int i = 0; i < result.Length; i++)
            {
                var values = new float[sizes[i]];
                System.Numerics.Tensors.TensorPrimitives.Divide(buckets.Slot(i), contributors, values);
                var device = gradients[i].Device;
                var storage = device.Allocate(values.Length);
                device.CopyFromHost(values, storage);
                result[i] = new Tensor(storage, gradients[i].Shape);
            }
            AllReduceCount++;
            return result;
        }
        finally
        {
            communication.Stop();
        }
    }

    /// <summary>This worker's part of one global batch given by its sample indices (see <see cref="ShardOfBatch"/>).</summary>
    public int[] ShardIndices(ReadOnlySpan<int> globalBatch)
    {
        var (start, count) = ShardOfBatch(globalBatch.Length);
        return globalBatch.Slice(start, count).ToArray();
    }

    /// <summary>
    /// Reads state that is kept per worker but reported for all of them (Keras's sync-on-read metric variables, summed
    /// when read): every variable in <paramref name="variables"/> holds the sum over the workers while
    /// <paramref name="read"/> runs, then its own value again. Metrics' totals and counts read this way give the
    /// loss and metrics of all workers' samples, the same on every worker.
    /// </summary>
    public T ReadSummedOverWorkers<T>(IReadOnlyList<Variable> variables, Func<T> read)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(read);
        if (Collectives.Size == 1 || variables.Count == 0) return read();
        var own = variables.Select(v => v.Value.ToArray()).ToArray();
        var buffer = new float[own.Sum(a => (long)a.Length)];
        long offset = 0;
        foreach (var a in own)
        {
            a.CopyTo(buffer, offset);
            offset += a.Length;
        }
        Collectives.AllReduce([buffer], ReduceOp.Sum);
        offset = 0;
        try
        {
            for (int i = 0; i < variables.Count; i++)
            {
                variables[i].Assign(buffer.AsSpan(checked((int)offset), own[i].Length));
                offset += own[i].Length;
            }
            return read();
        }
        finally
        {
            for (int i = 0; i < variables.Count; i++) variables[i].Assign(own[i]);
        }
    }

    /// <summary>
    /// Replaces every variable's value, on every worker, by its mean over the workers. <c>Fit</c> does this with the
    /// batch-normalization moving statistics at the end of every epoch: Keras keeps them per replica and reports and
    /// saves their mean (sync-on-read, aggregation MEAN); as a moving average is linear in the batch statistics, the
    /// mean evolves exactly as if the workers' values had never been replaced.
    /// </summary>
    public void AverageVariables(IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (Collectives.Size == 1 || variables.Count == 0) return;
        var own = variables.Select(v => v.Value.ToArray()).ToArray();
        var buffer = new float[own.Sum(a => (long)a.Length)];
        long offset = 0;
        foreach (var a in own)
        {
            a.CopyTo(buffer, offset);
            offset += a.Length;
        }
        Collectives.AllReduce([buffer], ReduceOp.Mean);
        offset = 0;
        for (int i = 0; i < variables.Count; i++)
        {
            variables[i].Assign(buffer.AsSpan(checked((int)offset), own[i].Length));
            offset += own[i].Length;
        }
    }

    /// <summary>
    /// Whether this worker runs <paramref name="callback"/>: the chief runs all; the others skip the ones that write
    /// files or the console (checkpoints, CSV and TensorBoard logs, the progress bar), which would otherwise clash or
    /// repeat. Callbacks
    /// that steer training (learning-rate schedules, early stopping) run everywhere and see the same, averaged logs.
    /// </summary>
    public bool RunsCallback(Callback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return IsChief || callback is not (ModelCheckpoint or CSVLogger or TensorBoard or ProgbarLogger);
    }

    /// <summary>Sums <paramref name="values"/> over the workers in place (metric totals and counts) and returns them.</summary>
    public float[] AllReduceSum(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (Collectives.Size > 1) Collectives.AllReduce([values], ReduceOp.Sum);
        return values;
    }

    /// <summary>Worker <paramref name="root"/>'s value of <paramref name="value"/> on every worker (e.g. a shuffle seed).</summary>
    public uint BroadcastSeed(uint value, int root = 0)
    {
        if (Collectives.Size == 1) return value;
        var buffer = new[] { value };
        Collectives.Broadcast(buffer, root);
        return buffer[0];
    }

    /// <summary>Waits until every worker gets here.</summary>
    public void Barrier() => Collectives.Barrier();

    /// <summary>Leaves MPI (<c>MPI_Finalize</c>) when the strategy created the collectives itself.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (ReferenceEquals(current.Value, this)) current.Value = null;
        if (ownsCollectives) Collectives.Dispose();
    }
}
