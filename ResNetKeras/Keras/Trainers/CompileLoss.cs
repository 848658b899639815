using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras 3's <c>CompileLoss</c> (trainers/compile_utils.py): the loss given to <c>Compile</c>, resolved to a
/// <see cref="Loss"/> object, applied to the model's output. One output for now; per-output losses and
/// <c>loss_weights</c> extend this container (one entry per output, each with its weight and its own "…_loss" tracker).
/// </summary>
internal sealed class CompileLoss
{
    public CompileLoss(object loss)
    {
        UserLoss = loss ?? throw new ArgumentNullException(nameof(loss), "Compile needs a loss: a string such as \"categorical_crossentropy\" or a Loss instance.");
        Loss = Losses.Get(loss);
    }

    /// <summary>What was passed to Compile (<c>model.loss</c>).</summary>
    public object UserLoss { get; }

    /// <summary>The resolved loss object.</summary>
    public Loss Loss { get; }

    /// <summary>The reduced data loss of a batch; the logits of a softmax output are used by losses that have a logits form.</summary>
    public Tensor Call(Tensor yTrue, Tensor yPred, Tensor? logits, Tensor? sampleWeight) =>
        Loss.Compute(yTrue, yPred, logits, sampleWeight);

    public void CheckTargets(NDArray y, int[] outputShape, string param) => Loss.CheckTargets(y, outputShape, param);

    /// <summary>The training_config entry: a string identifier as its canonical function name, an object as its config.</summary>
    public object Serialize() => UserLoss is string ? Loss.Name : Losses.Serialize(Loss);
}
