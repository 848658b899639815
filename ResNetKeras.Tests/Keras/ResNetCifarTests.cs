using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

[TestClass]
[DoNotParallelize]
public sealed class ResNetCifarTests
{
    [TestInitialize]
    public void Reset() => Backend.ClearSession();

    [TestMethod]
    [DataRow(1, 20, 274442, 273066, 1376)]
    [DataRow(1, 56, 861770, 857706, 4064)]
    [DataRow(1, 110, 1742762, 1734666, 8096)]
    [DataRow(2, 20, 574090, 570602, 3488)]
    [DataRow(2, 56, 1673738, 1663338, 10400)]
    public void ParamCounts_EqualKeras(int version, int depth, int total, int trainable, int nonTrainable)
    {
        var model = version == 1 ? ResNetCifar.ResNetV1([32, 32, 3], depth) : ResNetCifar.ResNetV2([32, 32, 3], depth);
        Assert.AreEqual(total, model.CountParams());
        var text = model.SummaryText();
        StringAssert.Contains(text, $"Total params: {total:N0}\n".Replace('\u00A0', ','));
        StringAssert.Contains(text, $"Trainable params: {trainable:N0}\n");
        StringAssert.Contains(text, $"Non-trainable params: {nonTrainable:N0}\n");
    }

    [TestMethod]
    public void ResNet20v1_SummaryRowsAndTotals_AreKeras26FormatA()
    {
        var lines = ResNetCifar.ResNetV1([32, 32, 3], 20).SummaryText().Split('\n');
        Assert.AreEqual("Model: \"model\"", lines[0]);
        Assert.AreEqual(new string('_', 98), lines[1]);
        Assert.AreEqual("Layer (type)                    Output Shape         Param #     Connected to                     ", lines[2]);
        Assert.AreEqual(new string('=', 98), lines[3]);
        Assert.AreEqual("input_1 (InputLayer)            [(None, 32, 32, 3)]  0                                            ", lines[4]);
        Assert.AreEqual("conv2d (Conv2D)                 (None, 32, 32, 16)   448         input_1[0][0]                    ", lines[6]);
        Assert.AreEqual("batch_normalization (BatchNorma (None, 32, 32, 16)   64          conv2d[0][0]                     ", lines[8]);
        int add = Array.FindIndex(lines, l => l.StartsWith("add (Add)", StringComparison.Ordinal));
        Assert.AreEqual("add (Add)                       (None, 32, 32, 16)   0           activation[0][0]                 ", lines[add]);
        Assert.AreEqual("                                                                 batch_normalization_2[0][0]      ", lines[add + 1]);
        int dense = Array.FindIndex(lines, l => l.StartsWith("dense (Dense)", StringComparison.Ordinal));
        Assert.AreEqual("dense (Dense)                   (None, 10)           650         flatten[0][0]                    ", lines[dense]);
        Assert.AreEqual(new string('=', 98), lines[dense + 1]);
        Assert.AreEqual("Total params: 274,442", lines[dense + 2]);
        Assert.AreEqual("Trainable params: 273,066", lines[dense + 3]);
        Assert.AreEqual("Non-trainable params: 1,376", lines[dense + 4]);
        Assert.AreEqual(new string('_', 98), lines[dense + 5]);
        foreach (var l in lines.Skip(1).Take(dense + 1)) Assert.AreEqual(98, l.Length, $"row '{l}'");
    }

    [TestMethod]
    public void ProjectionBlock_LayerOrder_IsKeras()
    {
        var names = ResNetCifar.ResNetV1([32, 32, 3], 20).Layers.Select(l => l.Name).ToList();
        int i = names.IndexOf("activation_6");
        CollectionAssert.AreEqual(
            new[] { "activation_6", "conv2d_7", "batch_normalization_7", "activation_7", "conv2d_8", "conv2d_9", "batch_normalization_8", "add_3" },
            names.Skip(i).Take(8).ToArray());
        Assert.AreEqual("input_1", names[0]);
        Assert.AreEqual("dense", names[^1]);
    }

    [TestMethod]
    public void Depth_IsValidated()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ResNetCifar.ResNetV1([32, 32, 3], 21)).Message, "depth should be 6n+2");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ResNetCifar.ResNetV2([32, 32, 3], 20 + 1)).Message, "depth should be 9n+2");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ResNetCifar.ResNetV1([32, 32, 3], 20, numClasses: 0)).Message, "num_classes=0");
    }

    [TestMethod]
    public void Depth_ZeroBlocksIsValid_NegativeIsNot_BadInputRankNamesTheLayer()
    {
        // depth 2 = 6·0+2 passes the tutorial's check: conv-BN-ReLU, pooling and the classifier only.
        var tiny = ResNetCifar.ResNetV1([32, 32, 3], 2);
        CollectionAssert.AreEqual(new[] { "input_1", "conv2d", "batch_normalization", "activation", "average_pooling2d", "flatten", "dense" },
            tiny.Layers.Select(l => l.Name).ToArray());
        Assert.AreEqual(3 * 3 * 3 * 16 + 16 + 64 + 4 * 4 * 16 * 10 + 10, tiny.CountParams());
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ResNetCifar.ResNetV1([32, 32, 3], -4)).Message, "depth=-4");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ResNetCifar.ResNetV2([32, 32, 3], 56 + 6)).Message, "9n+2 (eg 56 or 110 in [b])");
        Backend.ClearSession();
        var rank = Assert.ThrowsExactly<ArgumentException>(() => ResNetCifar.ResNetV1([32, 32], 20));
        StringAssert.Contains(rank.Message, "conv2d");
        StringAssert.Contains(rank.Message, "(None, 32, 32)");
        Assert.ThrowsExactly<ArgumentException>(() => ResNetCifar.ResnetLayer(Layers.Input([8, 8, 3]), activation: "rellu"));
    }

    [TestMethod]
    public void ResnetLayer_ConvFirstOrNot_AndV2FirstBlockOrder()
    {
        var input = Layers.Input([8, 8, 3]);
        var pre = ResNetCifar.ResnetLayer(input, numFilters: 4, convFirst: false);
        var model = new Model(input, pre);
        // The Conv2D object is made first (conv2d), then applied last: BN → ReLU → conv.
        CollectionAssert.AreEqual(new[] { "input_1", "batch_normalization", "activation", "conv2d" }, model.Layers.Select(l => l.Name).ToArray());

        Backend.ClearSession();
        var v2 = ResNetCifar.ResNetV2([32, 32, 3], 11).Layers.Select(l => l.Name).ToList();
        // Stem conv-BN-ReLU; first bottleneck without BN-ReLU on its 1x1 conv; projection shortcut conv2d_4 from the stem.
        CollectionAssert.AreEqual(
            new[] { "input_1", "conv2d", "batch_normalization", "activation", "conv2d_1", "batch_normalization_1", "activation_1", "conv2d_2",
                "batch_normalization_2", "activation_2", "conv2d_4", "conv2d_3", "add" },
            v2.Take(13).ToArray());
    }

    [TestMethod]
    public void LrSchedule_MatchesTutorial()
    {
        var w = new StringWriter();
        Assert.AreEqual(1e-3, ResNetCifar.LrSchedule(0, w));
        Assert.AreEqual(1e-4, ResNetCifar.LrSchedule(81, w), 1e-18);
        Assert.AreEqual(1e-5, ResNetCifar.LrSchedule(121, w), 1e-18);
        Assert.AreEqual(1e-6, ResNetCifar.LrSchedule(161, w), 1e-18);
        Assert.AreEqual(5e-7, ResNetCifar.LrSchedule(181, w), 1e-18);
        Assert.AreEqual(1e-3, ResNetCifar.LrSchedule(80, w));
        StringAssert.StartsWith(w.ToString(), "Learning rate:  0.001\n");
    }
}
