using ResNetKeras.Engine;
using ResNetKeras.Kernels.Cpu;
using ResNetKeras.Ops;

namespace ResNetKeras.Tests.Ops;

[TestClass]
public sealed class OpValueTests
{
    private static Tensor Iota(params int[] shape)
    {
        var values = new float[ShapeUtil.Size(shape)];
        for (int i = 0; i < values.Length; i++) values[i] = i + 1;
        return new Tensor(values, shape);
    }

    [TestMethod]
    public void Conv2D_SameStride2_PadsBottomRightOnly()
    {
        // 4x4 input 1..16, 3x3 kernel of ones, stride 2: out 2x2, total padding 1 → 0 top/left, 1 bottom/right.
        var y = Op.Conv2D(Iota(1, 4, 4, 1), Tensor.Full([3, 3, 1, 1], 1f), 2, 2, "same");
        CollectionAssert.AreEqual(new[] { 1, 2, 2, 1 }, y.Shape);
        CollectionAssert.AreEqual(new float[] { 54, 45, 72, 54 }, y.ToArray());
    }

    [TestMethod]
    public void Conv2D_1x1Stride2_SamplesEvenPositions()
    {
        var y = Op.Conv2D(Iota(1, 4, 4, 1), Tensor.Full([1, 1, 1, 1], 2f), 2, 2, "same");
        CollectionAssert.AreEqual(new float[] { 2, 6, 18, 22 }, y.ToArray());
    }

    [TestMethod]
    public void Conv2D_SameStride1_SymmetricPadding()
    {
        // 3x3 input 1..9 with a 3x3 ones kernel: the centre output sums everything, a corner sums its 2x2 block.
        var y = Op.Conv2D(Iota(1, 3, 3, 1), Tensor.Full([3, 3, 1, 1], 1f), 1, 1, "same");
        CollectionAssert.AreEqual(new float[] { 12, 21, 16, 27, 45, 33, 24, 39, 28 }, y.ToArray());
    }

    [TestMethod]
    public void BatchNormTraining_HandComputed()
    {
        // One channel, values 1, 2, 3, 6: mean 3, biased variance (4+1+0+9)/4 = 3.5.
        var x = new Tensor([1, 2, 3, 6], 2, 1, 2, 1);
        var mm = new Tensor([1f], 1);
        var mv = new Tensor([2f], 1);
        var y = Op.BatchNormTraining(x, new Tensor([2f], 1), new Tensor([0.5f], 1), 1e-3f, mm, mv, 0.99f, besselCorrection: true);
        double inv = 1 / Math.Sqrt(3.5 + 1e-3);
        float[] expected = [(float)(2 * -2 * inv + 0.5), (float)(2 * -1 * inv + 0.5), 0.5f, (float)(2 * 3 * inv + 0.5)];
        var yv = y.ToArray();
        for (int i = 0; i < 4; i++) Assert.AreEqual(expected[i], yv[i], 1e-5f);
        // The same call moved the moving statistics towards mean 3 and variance 3.5 (times m/(m-1) = 4/3 on the fused path).
        Assert.AreEqual(0.99 * 1 + 0.01 * 3, mm.Item(), 1e-6);
        Assert.AreEqual(0.99 * 2 + 0.01 * 3.5 * 4 / 3, mv.Item(), 1e-6);

        var mm2 = new Tensor([1f], 1);
        var mv2 = new Tensor([2f], 1);
        Op.BatchNormTraining(x, null, null, 1e-3f, mm2, mv2, 0.99f, besselCorrection: false);
        Assert.AreEqual(1 - (1 - 3) * 0.01, mm2.Item(), 1e-6);
        Assert.AreEqual(2 - (2 - 3.5) * 0.01, mv2.Item(), 1e-6, "the non-fused path uses the biased variance");

        var mm3 = new Tensor([1f], 1);
        var mv3 = new Tensor([2f], 1);
        Op.BatchNormTraining(new Tensor([3f], 1, 1), null, null, 1e-3f, mm3, mv3, 0.9f, besselCorrection: true);
        Assert.AreEqual(0.9 * 2, mv3.Item(), 1e-6, "one element: the factor m/(m-1) is taken as 1");
    }

    [TestMethod]
    public void BatchNormInference_UsesMovingStatistics()
    {
        var x = new Tensor([1, 10, 3, 20], 2, 2);
        var y = Op.BatchNormInference(x, new Tensor([1f, 2f], 2), new Tensor([0f, 1f], 2), new Tensor([1f, 10f], 2), new Tensor([4f, 25f], 2), 1e-3f);
        Assert.AreEqual(0f, y.ToArray()[0], 1e-6f);
        Assert.AreEqual(1f, y.ToArray()[1], 1e-6f);
        Assert.AreEqual((float)(2 / Math.Sqrt(4.001)), y.ToArray()[2], 1e-6f);
        Assert.AreEqual((float)(2 * 10 / Math.Sqrt(25.001) + 1), y.ToArray()[3], 1e-5f);
    }

    [TestMethod]
    public void Pooling_SameSemantics()
    {
        // 3x3 input 1..9, 2x2 windows stride 2 'same' → windows clipped at bottom/right.
        var avg = Op.AvgPool2D(Iota(1, 3, 3, 1), 2, 2, 2, 2, "same");
        CollectionAssert.AreEqual(new float[] { 3, 4.5f, 7.5f, 9 }, avg.ToArray(), "only in-bounds cells are averaged");
        var neg = Op.Scale(Iota(1, 3, 3, 1), -1f);
        var max = Op.MaxPool2D(neg, 2, 2, 2, 2, "same");
        CollectionAssert.AreEqual(new float[] { -1, -3, -7, -9 }, max.ToArray(), "padding never wins the max");
        var gavg = Op.GlobalAvgPool2D(Iota(1, 2, 2, 2));
        CollectionAssert.AreEqual(new float[] { 4, 5 }, gavg.ToArray());
    }

    [TestMethod]
    public void CrossEntropy_HandComputed()
    {
        var logits = new Tensor([1f, 2f, 3f], 1, 3);
        var labels = new Tensor([0f, 0f, 1f], 1, 3);
        double lse = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        Assert.AreEqual(lse - 3, Op.SoftmaxCrossEntropyWithLogits(logits, labels).ToArray()[0], 1e-6);
        // Probabilities are renormalized and clipped: a zero probability costs -log(1e-7).
        var probs = new Tensor([0.5f, 1.5f, 0f], 1, 3);
        Assert.AreEqual(-Math.Log(1e-7), Op.CategoricalCrossentropy(probs, labels).ToArray()[0], 1e-4);
        // The sparse variant clips first and renormalizes the clipped values (Keras feeds log(clip(p)) to the sparse
        // softmax cross-entropy): -log((1 - 1e-7) / (0.5 + (1 - 1e-7) + 1e-7)), not -log(0.75).
        Assert.AreEqual(-Math.Log((1 - 1e-7) / (0.5 + (1 - 1e-7) + 1e-7)), Op.SparseCategoricalCrossentropy(probs, [1]).ToArray()[0], 1e-6);
        Assert.AreEqual(-Math.Log(1e-7 / 1.5), Op.SparseCategoricalCrossentropy(probs, [2]).ToArray()[0], 1e-4);
        var sm = Op.Softmax(logits);
        Assert.AreEqual(Math.Exp(3 - lse), sm.ToArray()[2], 1e-6);
    }

    [TestMethod]
    public void ZeroPad_PlacesInput()
    {
        var y = Op.ZeroPad2D(Iota(1, 1, 2, 1), 1, 0, 0, 1);
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 1 }, y.Shape);
        CollectionAssert.AreEqual(new float[] { 0, 0, 0, 1, 2, 0 }, y.ToArray());
    }
}
