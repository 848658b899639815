using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>
    /// The per-element terms of a regression or binary loss (<see cref="ElementwiseLossKind"/>), same shape as the
    /// inputs; differentiable with respect to <paramref name="yPred"/>. <paramref name="parameter"/> is Huber's δ or the
    /// binary cross-entropy's label smoothing.
    /// </summary>
    public static Tensor ElementwiseLoss(ElementwiseLossKind kind, Tensor yTrue, Tensor yPred, float parameter = 0f)
    {
        const string op = "ElementwiseLoss";
        OpCheck.NotNull(op, "yTrue", yTrue);
        OpCheck.NotNull(op, "yPred", yPred);
        OpCheck.SameShape(op, "yPred", yPred, "yTrue", yTrue);
        var device = OpCheck.SameDevice(op, yTrue, yPred);
        var values = OpCheck.Like(yPred);
        device.ElementwiseLoss(kind, yTrue.Storage, yPred.Storage, values.Storage, parameter);
        GradientTape.Record(values, [yPred, yTrue], (dv, needs) =>
        {
            Tensor? dp = null;
            if (needs[0])
            {
                dp = OpCheck.Like(yPred);
                device.ElementwiseLossGrad(kind, yTrue.Storage, yPred.Storage, dv.Storage, dp.Storage, parameter);
            }
            return [dp, null];
        }, saved: [yPred, yTrue]);
        return values;
    }
}
