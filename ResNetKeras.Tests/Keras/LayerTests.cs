using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>Layer naming (§10), weights, shape inference, configs and argument errors.</summary>
[TestClass]
[DoNotParallelize]
public sealed class LayerTests
{
    [TestInitialize]
    public void Reset() => Backend.ClearSession();

    [TestMethod]
    [DataRow("GlobalMaxPooling2D", "global_max_pooling2d")]
    [DataRow("ZeroPadding2D", "zero_padding2d")]
    [DataRow("BatchNormalization", "batch_normalization")]
    [DataRow("Conv2D", "conv2d")]
    [DataRow("ReLU", "re_lu")]
    [DataRow("HTTPServer", "http_server")]
    [DataRow("Conv2DTranspose", "conv2d_transpose")]
    public void SnakeCase_IsKerasGenericUtils(string className, string expected) => Assert.AreEqual(expected, Backend.ToSnakeCase(className));

    [TestMethod]
    public void Names_AreFixedAtConstruction_CountersPerName_ClearSessionResets()
    {
        var conv = new Conv2D(4, 3);
        var bn = new BatchNormalization();
        var conv1 = new Conv2D(4, 3);
        var input = Layers.Input([8, 8, 3]);
        // Called in another order than constructed: names do not change.
        var x = conv1.Call(bn.Call(conv.Call(input)));
        Assert.AreEqual("conv2d", conv.Name);
        Assert.AreEqual("conv2d_1", conv1.Name);
        Assert.AreEqual("batch_normalization", bn.Name);
        Assert.AreEqual("input_1", input.Layer!.Name);
        Assert.AreEqual("model", new Model(input, x).Name);
        Assert.AreEqual("model_1", new Model(input, x).Name);
        Assert.AreEqual("my_dense", new Dense(2, name: "my_dense").Name);
        Assert.AreEqual("dense", new Dense(2).Name, "an explicit name does not consume the counter");
        Assert.AreEqual("zero_padding2d", new ZeroPadding2D().Name);
        Assert.AreEqual("global_max_pooling2d", new GlobalMaxPooling2D().Name);
        Assert.AreEqual("dropout", new Dropout(0.1).Name);
        Backend.ClearSession();
        Assert.AreEqual("conv2d", new Conv2D(1, 1).Name);
        Assert.AreEqual("input_1", Layers.Input([2]).Layer!.Name);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Dense(2, name: "")).Message, "name=''");
    }

    [TestMethod]
    public void Weights_NamedShapedAndOrdered()
    {
        var input = Layers.Input([5, 5, 3]);
        var conv = new Conv2D(8, (3, 1), strides: 2, padding: "same");
        var bn = new BatchNormalization(center: false);
        var dense = new Dense(4, useBias: false);
        var y = dense.Call(new Flatten().Call(bn.Call(conv.Call(input))));
        CollectionAssert.AreEqual(new[] { -1, 3, 3, 8 }, conv.Output.Shape, "same: ceil(5/2)");
        CollectionAssert.AreEqual(new[] { "conv2d/kernel:0", "conv2d/bias:0" }, conv.Weights.Select(w => w.Name).ToArray());
        CollectionAssert.AreEqual(new[] { 3, 1, 3, 8 }, conv.Weights[0].Value.Shape, "HWIO");
        CollectionAssert.AreEqual(new[] { "batch_normalization/gamma:0", "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0" },
            bn.Weights.Select(w => w.Name).ToArray(), "center=False drops beta");
        CollectionAssert.AreEqual(new[] { 72, 4 }, dense.Weights[0].Value.Shape);
        Assert.AreEqual(1, dense.Weights.Count);
        var model = new Model(input, y);
        CollectionAssert.AreEqual(new[] { "conv2d/kernel:0", "conv2d/bias:0", "batch_normalization/gamma:0", "dense/kernel:0" },
            model.TrainableWeights.Select(w => w.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0" },
            model.NonTrainableWeights.Select(w => w.Name).ToArray());
        Assert.AreEqual(3 * 1 * 3 * 8 + 8 + 3 * 8 + 72 * 4, model.CountParams());

        var valid = new Conv2D(2, 3, strides: 2).Call(Layers.Input([7, 6, 1]));
        CollectionAssert.AreEqual(new[] { -1, 3, 2, 2 }, valid.Shape, "valid: floor((n - k) / s) + 1");
        var pooled = new AveragePooling2D(poolSize: 3, strides: 2, padding: "same").Call(Layers.Input([5, 5, 2]));
        CollectionAssert.AreEqual(new[] { -1, 3, 3, 2 }, pooled.Shape);
        var padded = new ZeroPadding2D((1, 2), (0, 3)).Call(Layers.Input([4, 4, 2]));
        CollectionAssert.AreEqual(new[] { -1, 7, 7, 2 }, padded.Shape);
        CollectionAssert.AreEqual(new[] { -1, 2 }, new GlobalAveragePooling2D().Call(Layers.Input([4, 4, 2])).Shape);
    }

    [TestMethod]
    public void Config_HasKerasNamesAndValues()
    {
        var input = Layers.Input([8, 8, 3]);
        var x = ResNetCifar.ResnetLayer(input, numFilters: 4);
        var c = x.Layer!.GetConfig();
        Assert.AreEqual("relu", c["activation"]);
        Assert.AreEqual("activation", c["name"]);
        var model = new Model(input, x);
        var convLayer = model.Layers.OfType<Conv2D>().Single();
        var cc = convLayer.GetConfig();
        Assert.AreEqual("conv2d", cc["name"]);
        Assert.AreEqual(4, cc["filters"]);
        CollectionAssert.AreEqual(new object[] { 3, 3 }, (object[])cc["kernel_size"]!);
        CollectionAssert.AreEqual(new object[] { 1, 1 }, (object[])cc["strides"]!);
        Assert.AreEqual("same", cc["padding"]);
        Assert.AreEqual("linear", cc["activation"]);
        Assert.AreEqual(true, cc["use_bias"]);
        var init = (Dictionary<string, object?>)cc["kernel_initializer"]!;
        Assert.AreEqual("HeNormal", init["class_name"]);
        var reg = (Dictionary<string, object?>)cc["kernel_regularizer"]!;
        Assert.AreEqual("L2", reg["class_name"]);
        Assert.AreEqual(9.999999747378752e-05, ((Dictionary<string, object?>)reg["config"]!)["l2"], "float32 1e-4, as Keras casts it");
        Assert.IsNull(cc["bias_regularizer"]);
    }

    [TestMethod]
    public void BadArguments_NameTheParameterAndValue()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Conv2D(4, 0)).Message, "kernel_size=(0, 0)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Conv2D(4, 3, strides: (1, -1))).Message, "strides=(1, -1)");
        var ex = Assert.ThrowsExactly<ArgumentException>(() => new Dense(3, activation: "swishy"));
        StringAssert.Contains(ex.Message, "'swishy'");
        Assert.AreEqual("activation", ex.ParamName);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Dense(0)).Message, "units=0");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new MaxPooling2D(padding: "causal")).Message, "padding=causal");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Dropout(1.5)).Message, "rate=1.5");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new BatchNormalization(momentum: 2)).Message, "momentum=2");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Layers.Input([0, 3])).Message, "shape=(0, 3)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Dense(2, kernelInitializer: "he_normale")).Message, "'he_normale'");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new L2(-1)).Message, "l2=-1");
    }

    [TestMethod]
    public void ShapeErrors_NameTheLayerAndBothShapes()
    {
        var a = Layers.Input([6]);
        var dense = new Dense(3);
        dense.Call(a);
        var ex = Assert.ThrowsExactly<ArgumentException>(() => dense.Call(Layers.Input([5])));
        StringAssert.Contains(ex.Message, "\"dense\"");
        StringAssert.Contains(ex.Message, "value 6");
        StringAssert.Contains(ex.Message, "(None, 5)");

        var conv = new Conv2D(2, 5);
        var small = Assert.ThrowsExactly<ArgumentException>(() => conv.Call(Layers.Input([3, 3, 1])));
        StringAssert.Contains(small.Message, conv.Name);
        StringAssert.Contains(small.Message, "(None, 3, 3, 1)");

        var rank = Assert.ThrowsExactly<ArgumentException>(() => new MaxPooling2D().Call(Layers.Input([4, 4])));
        StringAssert.Contains(rank.Message, "max_pooling2d");
        StringAssert.Contains(rank.Message, "(None, 4, 4)");
    }
}
