using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>Data-parallel training under a <see cref="MultiWorkerMirroredStrategy"/>: where Fit and the steps meet it.</summary>
public abstract partial class Trainer
{
    /// <summary>
    /// The strategy whose scope was active at <c>Compile</c> (Keras's <c>model.distribute_strategy</c>), or null. With more
    /// than one worker, <c>Fit</c> and <c>Evaluate</c> are collective: every worker calls them with the same arguments.
    /// </summary>
    public MultiWorkerMirroredStrategy? DistributeStrategy { get; private set; }

    private MultiWorkerMirroredStrategy? Distributed => DistributeStrategy is { NumReplicasInSync: > 1 } s ? s : null;

    /// <summary>A global batch of <paramref name="batchSize"/> must give every worker at least one sample.</summary>
    private void CheckDistributedBatch(int batchSize, string param)
    {
        if (Distributed is { } s && batchSize < s.NumReplicasInSync)
            throw new ArgumentException($"Invalid value for argument `{param}`: the global batch of {batchSize} is split across {s.NumReplicasInSync} workers and would leave some without samples; expected at least {s.NumReplicasInSync}.", param);
    }

    /// <summary>Every worker starts Fit from the chief's weights, optimizer state and shuffle seed.</summary>
    private uint BeginDistributedFit(uint seed)
    {
        if (Distributed is not { } s) return seed;
        s.BroadcastModel((Model)this, Optimizer);
        return s.BroadcastSeed(seed);
    }

    /// <summary>The gradients averaged over the workers (identity for one worker).</summary>
    private Tensor[] ReduceGradients(Tensor[] grads, bool hasData) => Distributed is { } s ? s.AllReduceGradients(grads, hasData) : grads;

    /// <summary>The training step of a worker whose shard of the batch is empty: it still takes part in the all-reduce.</summary>
    private Dictionary<string, double> EmptyTrainStep()
    {
        var vars = TrainableVariables;
        var grads = ReduceGradients(vars.Select(v => Tensor.Zeros(v.Value.Device, v.Shape)).ToArray(), hasData: false);
        Optimizer!.ApplyGradients(grads.Select((g, i) => (g, vars[i])).ToList());
        return GetMetricsResult();
    }
}
