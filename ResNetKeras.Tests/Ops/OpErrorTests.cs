using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Tests.Ops;

[TestClass]
public sealed class OpErrorTests
{
    [TestMethod]
    public void Conv2D_WrongRank_NamesOpParameterAndShape()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => Op.Conv2D(Tensor.Zeros(4, 4, 3), Tensor.Zeros(3, 3, 3, 8), 1, 1, "same"));
        StringAssert.Contains(ex.Message, "Conv2D");
        StringAssert.Contains(ex.Message, "`x`");
        StringAssert.Contains(ex.Message, "(4, 4, 3)");
        StringAssert.Contains(ex.Message, "rank 4");
    }

    [TestMethod]
    public void Conv2D_ChannelMismatch_NamesBothShapes()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => Op.Conv2D(Tensor.Zeros(1, 4, 4, 3), Tensor.Zeros(3, 3, 2, 8), 1, 1, "same"));
        StringAssert.Contains(ex.Message, "(1, 4, 4, 3)");
        StringAssert.Contains(ex.Message, "(3, 3, 2, 8)");
    }

    [TestMethod]
    public void Conv2D_BiasOfWrongShape_NamesBiasAndBothShapes()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => Op.Conv2D(Tensor.Zeros(1, 4, 4, 3), Tensor.Zeros(3, 3, 3, 8), Tensor.Zeros(4), 1, 1, "same"));
        StringAssert.Contains(ex.Message, "Conv2D");
        StringAssert.Contains(ex.Message, "`bias`");
        StringAssert.Contains(ex.Message, "(8,)");
        StringAssert.Contains(ex.Message, "(4,)");
    }

    [TestMethod]
    public void Conv2D_KernelLargerThanValidInput()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => Op.Conv2D(Tensor.Zeros(1, 2, 2, 1), Tensor.Zeros(3, 3, 1, 1), 1, 1, "valid"));
        StringAssert.Contains(ex.Message, "larger than the input");
        StringAssert.Contains(ex.Message, "\"valid\"");
    }

    [TestMethod]
    public void Conv2D_NegativeStrideAndUnknownPadding()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => Op.Conv2D(Tensor.Zeros(1, 4, 4, 1), Tensor.Zeros(3, 3, 1, 1), -1, 1, "same"));
        StringAssert.Contains(ex.Message, "strideH=-1");
        var ex2 = Assert.ThrowsExactly<ArgumentException>(() => Op.Conv2D(Tensor.Zeros(1, 4, 4, 1), Tensor.Zeros(3, 3, 1, 1), 1, 1, "full"));
        StringAssert.Contains(ex2.Message, "padding=full");
    }

    [TestMethod]
    public void ShapeMismatches()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Op.MatMul(Tensor.Zeros(2, 3), Tensor.Zeros(4, 2))).Message, "(2, 3) and (4, 2)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Op.AddN([Tensor.Zeros(2), Tensor.Zeros(3)])).Message, "(3,)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Op.Multiply(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2))).Message, "(3, 2)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Op.BiasAdd(Tensor.Zeros(2, 3), Tensor.Zeros(4))).Message, "(4,)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Op.Softmax(Tensor.Zeros(3))).Message, "1D");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Op.SoftmaxCrossEntropyWithLogits(Tensor.Zeros(2, 3), Tensor.Zeros(2, 4))).Message, "(2, 4)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Op.SparseSoftmaxCrossEntropyWithLogits(Tensor.Zeros(2, 3), [0, 3])).Message, "label 3");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Op.Dropout(Tensor.Zeros(2), 1f, new RandomState(1))).Message, "rate=1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Op.BatchNormTraining(Tensor.Zeros(2, 3), Tensor.Zeros(2), null, 1e-3f)).Message, "(3,)");
    }
}
