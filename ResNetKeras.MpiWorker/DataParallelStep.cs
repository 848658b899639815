using ResNetKeras.Engine;
using ResNetKeras.Keras;
using ResNetKeras.Ops;

namespace ResNetKeras.MpiWorker;

/// <summary>
/// A training step written out by hand with the public API (GradientTape, Model.Call, Optimizer.ApplyGradients), the
/// same loss as Model.Fit's (batch-mean categorical cross-entropy plus the layers' regularization terms): the
/// distributed workers and the single-process reference in the tests run this same code, so a difference between
/// them can only come from the distribution.
/// </summary>
public static class DataParallelStep
{
    /// <summary>Gradients of the loss on (x, y) with respect to the trainable weights, in their order; the loss.</summary>
    public static (Tensor[] Gradients, float Loss) Gradients(Model model, NDArray x, NDArray y)
    {
        var vars = model.TrainableWeights;
        using var tape = new GradientTape();
        foreach (var v in vars) tape.Watch(v.Value);
        var output = model.Call(Tensor.FromNDArray(x), training: true);
        var loss = Op.Mean(Op.CategoricalCrossentropy(output, Tensor.FromNDArray(y)));
        var regs = model.Layers.SelectMany(l => l.Losses()).ToList();
        if (regs.Count > 0) loss = Op.Add(loss, regs.Count == 1 ? regs[0] : Op.AddN(regs));
        float value = loss.Item();
        return (tape.Gradient(loss, vars.Select(v => v.Value).ToList()), value);
    }

    /// <summary>One data-parallel step: local gradients, averaged over the workers, applied.</summary>
    public static float Run(MultiWorkerMirroredStrategy strategy, Model model, Optimizer optimizer, NDArray xShard, NDArray yShard)
    {
        var vars = model.TrainableWeights;
        bool hasData = xShard.Shape[0] > 0;
        Tensor[] grads;
        float loss = 0;
        if (hasData) (grads, loss) = Gradients(model, xShard, yShard);
        else grads = vars.Select(v => Tensor.Zeros(v.Value.Device, v.Shape)).ToArray();
        grads = strategy.AllReduceGradients(grads, hasData);
        optimizer.ApplyGradients(grads.Select((g, i) => (g, vars[i])).ToList());
        return loss;
    }
}
