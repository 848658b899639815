using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>What the trainer needs from the graph: the forward pass, shapes, weights and regularization terms.</summary>
public partial class Model : Trainer
{
    private protected override (Tensor Output, Tensor? Logits) RunGraph(Tensor x, bool training, bool wantLogits) => Run(x, training, wantLogits);

    private protected override Devices.IDevice TrainingDevice => Device;

    private protected override int[] OutputShape => Output.Shape;

    private protected override void CheckInputShape(ReadOnlySpan<int> shape, string param) => CheckInput(shape, param);

    private protected override IReadOnlyList<Variable> TrainableVariables => TrainableWeights;

    private protected override List<Tensor> RegularizationLosses()
    {
        var regs = new List<Tensor>();
        foreach (var layer in Layers)
            if (layer.HasRegularizers) regs.AddRange(layer.Losses());
        return regs;
    }
}
