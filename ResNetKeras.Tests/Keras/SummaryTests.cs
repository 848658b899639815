using System.Globalization;
using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>
/// model.summary() in Keras 2.6's format A, compared line by line with text derived by hand from Keras's print_row
/// (each field replaces the last character so far by a space, then is cut and padded to its column stop).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class SummaryTests
{
    private static readonly string U98 = new('_', 98), E98 = new('=', 98), U65 = new('_', 65), E65 = new('=', 65);

    /// <summary>conv-BN-relu next to a 1x1 conv shortcut, added, pooled and classified: 3,146 params, 32 non-trainable.</summary>
    private static Model Branchy()
    {
        var input = Layers.Input([8, 8, 3]);
        var x = new Conv2D(16, 3, padding: "same").Call(input);
        x = new BatchNormalization().Call(x);
        x = new Activation("relu").Call(x);
        var shortcut = new Conv2D(16, 1).Call(input);
        x = Layers.Add(x, shortcut);
        x = new MaxPooling2D().Call(x);
        var output = new Dense(10, activation: "softmax").Call(new Flatten().Call(x));
        return new Model(input, output);
    }

    private static readonly string[] BranchyText =
    [
        "Model: \"model\"",
        U98,
        "Layer (type)                    Output Shape         Param #     Connected to                     ",
        E98,
        "input_1 (InputLayer)            [(None, 8, 8, 3)]    0                                            ",
        U98,
        "conv2d (Conv2D)                 (None, 8, 8, 16)     448         input_1[0][0]                    ",
        U98,
        "batch_normalization (BatchNorma (None, 8, 8, 16)     64          conv2d[0][0]                     ",
        U98,
        "activation (Activation)         (None, 8, 8, 16)     0           batch_normalization[0][0]        ",
        U98,
        "conv2d_1 (Conv2D)               (None, 8, 8, 16)     64          input_1[0][0]                    ",
        U98,
        "add (Add)                       (None, 8, 8, 16)     0           activation[0][0]                 ",
        "                                                                 conv2d_1[0][0]                   ",
        U98,
        "max_pooling2d (MaxPooling2D)    (None, 4, 4, 16)     0           add[0][0]                        ",
        U98,
        "flatten (Flatten)               (None, 256)          0           max_pooling2d[0][0]              ",
        U98,
        "dense (Dense)                   (None, 10)           2570        flatten[0][0]                    ",
        E98,
        "Total params: 3,146",
        "Trainable params: 3,114",
        "Non-trainable params: 32",
        U98,
    ];

    private static readonly string[] SequentialText =
    [
        "Model: \"model_1\"",
        U65,
        "Layer (type)                 Output Shape              Param #   ",
        E65,
        "input_2 (InputLayer)         [(None, 4)]               0         ",
        U65,
        "dense_1 (Dense)              (None, 3)                 15        ",
        U65,
        "dense_2 (Dense)              (None, 2)                 8         ",
        E65,
        "Total params: 23",
        "Trainable params: 23",
        "Non-trainable params: 0",
        U65,
    ];

    [TestInitialize]
    public void Reset() => Backend.ClearSession();

    [TestMethod]
    public void GraphWithMerge_FullText_IsFormatA()
    {
        var model = Branchy();
        var printed = new List<string>();
        model.Summary(printed.Add);
        CollectionAssert.AreEqual(BranchyText, printed);
        Assert.AreEqual(string.Join("\n", BranchyText) + "\n", model.SummaryText());
        Assert.AreEqual(3146, model.CountParams());
    }

    [TestMethod]
    public void SequentialLikeGraph_FullText_Uses65Columns()
    {
        Branchy();
        var input = Layers.Input([4]);
        var hidden = new Dense(3, activation: "relu").Call(input);
        var model = new Model(input, new Dense(2).Call(hidden));
        CollectionAssert.AreEqual(SequentialText, model.SummaryText().TrimEnd('\n').Split('\n'));
    }

    [TestMethod]
    public void Totals_UseCommas_WhateverTheCulture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            foreach (var name in new[] { "de-DE", "fr-FR", "hi-IN" })
            {
                CultureInfo.CurrentCulture = new CultureInfo(name);
                Backend.ClearSession();
                var text = ResNetCifar.ResNetV1([32, 32, 3], 20).SummaryText();
                StringAssert.Contains(text, "\nTotal params: 274,442\nTrainable params: 273,066\nNon-trainable params: 1,376\n", name);
            }
        }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    [TestMethod]
    public void PredictAndFit_LeaveTheSymbolicShapesAlone()
    {
        var model = Branchy();
        model.Compile("adam", "categorical_crossentropy", ["accuracy"]);
        var x = ND.Zeros([5, 8, 8, 3]);
        var y = ND.Zeros([5, 10]);
        for (int i = 0; i < 5; i++) y.SetDouble(1, i, i);
        Assert.AreEqual(5, model.Predict(x).Shape[0]);
        model.Fit(x, y, batchSize: 2, epochs: 1, verbose: 0, seed: 1);
        CollectionAssert.AreEqual(new[] { -1, 10 }, model.Output.Shape);
        var shape = model.Output.Shape;
        shape[0] = 99;
        CollectionAssert.AreEqual(new[] { -1, 10 }, model.Output.Shape, "Shape hands out a copy");
        var lines = model.SummaryText().Split('\n');
        CollectionAssert.AreEqual(BranchyText.Skip(1).ToArray(), lines.Skip(1).Take(BranchyText.Length - 1).ToArray());
    }
}
