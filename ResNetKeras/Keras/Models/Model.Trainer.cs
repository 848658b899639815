using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>What the trainer needs from the graph: the forward pass, shapes, weights and regularization terms.</summary>
public partial class Model : Trainer
{
    private protected override (Tensor[] Outputs, Tensor?[] Logits) RunGraph(IReadOnlyList<Tensor> xs, bool training, bool wantLogits) => Run(xs, training, wantLogits);

    private protected override Devices.IDevice TrainingDevice => Device;

    private protected override int[][] OutputShapes => Outputs.Select(o => o.Shape).ToArray();

    // A Sequential model not built yet has one output; its name is only needed once it is built.
    private protected override IReadOnlyList<string> GraphOutputNames => Built ? OutputNames : [Name];

    private protected override void CheckInputShapes(int[][] shapes, string param) => CheckInputs(shapes, param);

    private protected override IReadOnlyList<Variable> TrainableVariables => TrainableWeights;

    private protected override List<Tensor> RegularizationLosses()
    {
        var regs = new List<Tensor>();
        foreach (var layer in Layers)
            if (layer.HasRegularizers) regs.AddRange(layer.Losses());
        return regs;
    }
}
