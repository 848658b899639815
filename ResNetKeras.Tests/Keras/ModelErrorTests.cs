using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

[TestClass]
[DoNotParallelize]
public sealed class ModelErrorTests
{
    private static Model Model()
    {
        Backend.ClearSession();
        var input = Layers.Input([4, 4, 1]);
        var x = new Conv2D(2, 3, padding: "same").Call(input);
        var model = new Model(input, new Dense(3, activation: "softmax").Call(new Flatten().Call(x)));
        model.Compile("adam", "categorical_crossentropy", ["accuracy"]);
        return model;
    }

    [TestMethod]
    public void WrongInputRank_NamesShapes()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => Model().Fit(ND.Zeros([2, 4, 4]), ND.Zeros([2, 3]), verbose: 0));
        StringAssert.Contains(ex.Message, "(None, 4, 4, 1)");
        StringAssert.Contains(ex.Message, "(2, 4, 4)");
    }

    [TestMethod]
    public void LabelsNotMatchingOutput()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => Model().Fit(ND.Zeros([2, 4, 4, 1]), ND.Zeros([2, 1]), verbose: 0));
        StringAssert.Contains(ex.Message, "(2, 1)");
        StringAssert.Contains(ex.Message, "(None, 3)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Model().Fit(ND.Zeros([2, 4, 4, 1]), ND.Zeros([3, 3]), verbose: 0)).Message, "y sizes: 3");
    }

    [TestMethod]
    public void BadBatchSizeLossAndShapes()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Model().Fit(ND.Zeros([2, 4, 4, 1]), ND.Zeros([2, 3]), batchSize: 0, verbose: 0)).Message, "batchSize=0");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Model().Compile("adam", "mse_loss")).Message, "'mse_loss'");
        Backend.ClearSession();
        var a = Layers.Input([4]);
        var ex = Assert.ThrowsExactly<ArgumentException>(() => Layers.Add(new Dense(3).Call(a), new Dense(2).Call(a)));
        StringAssert.Contains(ex.Message, "add");
        StringAssert.Contains(ex.Message, "(None, 3) and (None, 2)");
        var conv = new Conv2D(2, 3);
        var shapeEx = Assert.ThrowsExactly<ArgumentException>(() => conv.Call(Layers.Input([4, 4])));
        StringAssert.Contains(shapeEx.Message, conv.Name);
        StringAssert.Contains(shapeEx.Message, "(None, 4, 4)");
    }

    [TestMethod]
    public void AutoNames_FollowKeras()
    {
        Backend.ClearSession();
        Assert.AreEqual("conv2d", new Conv2D(1, 1).Name);
        Assert.AreEqual("conv2d_1", new Conv2D(1, 1).Name);
        Assert.AreEqual("average_pooling2d", new AveragePooling2D().Name);
        Assert.AreEqual("batch_normalization", new BatchNormalization().Name);
        Assert.AreEqual("input_1", Layers.Input([2]).Layer!.Name);
        Assert.AreEqual("input_2", Layers.Input([2]).Layer!.Name);
        Assert.AreEqual("global_average_pooling2d", new GlobalAveragePooling2D().Name);
    }
}
