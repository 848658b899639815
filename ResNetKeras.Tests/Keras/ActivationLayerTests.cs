using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>
/// The issue-17 activation, merge, reshaping and preprocessing layers: Keras's documented numbers, shape inference
/// and error texts, config round trips (Keras's run_layer_test), HDF5 save/load, summary, and training with Fit.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ActivationLayerTests
{
    [TestInitialize]
    public void Reset()
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(17);
    }

    private static Tensor T(float[] values, params int[] shape) => new(values, shape);

    private static float[] Run(Layer layer, params Tensor[] inputs) => layer.Forward(inputs, training: false).ToArray();

    private static void Near(float[] expected, float[] actual, float tol = 1e-6f)
    {
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], actual[i], tol, $"element {i}");
    }

    [TestMethod]
    public void KerasDocumentedNumbers()
    {
        var x = T([-10f, -5f, 0f, 5f, 10f], 1, 5);
        // keras.layers.ReLU docstring.
        Near([-5f, -2.5f, 0f, 5f, 10f], Run(new ReLU(maxValue: 10, negativeSlope: 0.5, threshold: 0), x));
        // keras.activations.relu docstring.
        Near([0f, 0f, 0f, 5f, 10f], Activations.Relu(x).ToArray());
        Near([-5f, -2.5f, 0f, 5f, 10f], Activations.Relu(x, negativeSlope: 0.5).ToArray());
        Near([0f, 0f, 0f, 5f, 5f], Activations.Relu(x, maxValue: 5).ToArray());
        Near([0f, 0f, 0f, 0f, 10f], Activations.Relu(x, threshold: 5).ToArray());
        // keras.layers.LeakyReLU docstring (negative_slope=0.5), and Keras 3's default slope 0.3.
        Near([-1.5f, -0.5f, 0f, 2f], Run(new LeakyReLU(negativeSlope: 0.5), T([-3f, -1f, 0f, 2f], 1, 4)));
        Near([-0.9f, 2f], Run(new LeakyReLU(), T([-3f, 2f], 1, 2)));
        // keras.layers.Softmax docstring.
        Near([0.21194157f, 0.5761169f, 0.21194157f], Run(new Softmax(), T([1f, 2f, 1f], 1, 3)));
        // ELU: α(e^x − 1) = 0.5·(e^−1 − 1).
        Near([0.5f * (MathF.Exp(-1) - 1), 2f], Run(new ELU(0.5), T([-1f, 2f], 1, 2)));
        // Keras 3's hard_sigmoid is relu6(x + 3)/6, not Keras 2's 0.2x + 0.5.
        Near([0f, 1f / 6, 0.5f, 2.5f / 3, 1f], Activations.HardSigmoid(T([-4f, -2f, 0f, 2f, 4f], 1, 5)).ToArray());
        Near([0.9f, 1f], Run(new Rescaling(1 / 255.0, -0.1), T([255f, 280.5f], 1, 2)));
    }

    [TestMethod]
    public void ActivationsByName_EveryIdentifier()
    {
        var x = T([-1.5f, -0.5f, 0.25f, 2f], 2, 2);
        var expected = new Dictionary<string, Func<double, double>>
        {
            ["linear"] = v => v,
            ["relu"] = v => Math.Max(v, 0),
            ["relu6"] = v => Math.Min(Math.Max(v, 0), 6),
            ["leaky_relu"] = v => v > 0 ? v : 0.2 * v,
            ["elu"] = v => v > 0 ? v : Math.Exp(v) - 1,
            ["selu"] = v => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.Exp(v) - 1)),
            ["gelu"] = v => 0.5 * v * (1 + Erf(v / Math.Sqrt(2))),
            ["silu"] = v => v / (1 + Math.Exp(-v)),
            ["swish"] = v => v / (1 + Math.Exp(-v)),
            ["softplus"] = v => Math.Log(1 + Math.Exp(v)),
            ["softsign"] = v => v / (1 + Math.Abs(v)),
            ["sigmoid"] = v => 1 / (1 + Math.Exp(-v)),
            ["hard_sigmoid"] = v => Math.Clamp(v / 6 + 0.5, 0, 1),
            ["tanh"] = Math.Tanh,
            ["exponential"] = Math.Exp,
        };
        var xs = x.ToArray();
        foreach (var (name, f) in expected)
        {
            var y = Activations.Get(name)(x).ToArray();
            for (int i = 0; i < xs.Length; i++) Assert.AreEqual(f(xs[i]), y[i], 2e-6, $"{name}({xs[i]})");
            var layer = new Activation(name);
            CollectionAssert.AreEqual(y, Run(layer, x), name);
        }
        Assert.AreEqual("silu", new Activation("swish").ActivationName, "Keras 3 serializes swish as silu");
        // Softmax and log-softmax rows: [e^x/Σ] and x − log Σ e^x.
        var rows = T([1f, 2f, 3f, 0f, 0f, 0f], 2, 3);
        double lse = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        Near([(float)(1 - lse), (float)(2 - lse), (float)(3 - lse), (float)-Math.Log(3), (float)-Math.Log(3), (float)-Math.Log(3)], Activations.Get("log_softmax")(rows).ToArray());
        Near([(float)Math.Exp(1 - lse), (float)Math.Exp(2 - lse), (float)Math.Exp(3 - lse), 1f / 3, 1f / 3, 1f / 3], Activations.Softmax(rows).ToArray());
        // gelu(approximate=True), the tanh form.
        double v0 = 0.7;
        double approx = 0.5 * v0 * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v0 + 0.044715 * v0 * v0 * v0)));
        Assert.AreEqual(approx, Activations.Gelu(T([0.7f], 1, 1), approximate: true).Item(), 1e-6);
        var e = Assert.Throws<ArgumentException>(() => new Activation("gelux"));
        StringAssert.Contains(e.Message, "'gelux'");
        StringAssert.Contains(e.Message, "log_softmax");
        Assert.Throws<ArgumentException>(() => new Dense(2, activation: "nope"));
    }

    // Abramowitz–Stegun 7.1.26 would be too coarse for 2e-6; the series converges fast for |v| < 2.
    private static double Erf(double v)
    {
        double term = v, sum = v;
        for (int n = 1; n < 60; n++)
        {
            term *= -v * v / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    [TestMethod]
    public void MergeLayers_ValuesShapesAndErrors()
    {
        var a = T([1f, -2f, 3f, 4f], 2, 2);
        var b = T([0.5f, -1f, 3f, 5f], 2, 2);
        var c = T([2f, 2f, 2f, 2f], 2, 2);
        Near([1f, 4f, 18f, 40f], Run(new Multiply(), a, b, c));
        Near([0.5f, -1f, 0f, -1f], Run(new Subtract(), a, b));
        Near([3.5f / 3, -1f / 3, 8f / 3, 11f / 3], Run(new Average(), a, b, c));
        Near([2f, 2f, 3f, 5f], Run(new Maximum(), a, b, c));
        Near([0.5f, -2f, 2f, 2f], Run(new Minimum(), a, b, c));
        // keras.layers.Concatenate docstring: arange(20).reshape(2, 2, 5) and arange(20, 30).reshape(2, 1, 5) on axis 1.
        var x = T(Enumerable.Range(0, 20).Select(i => (float)i).ToArray(), 2, 2, 5);
        var y = T(Enumerable.Range(20, 10).Select(i => (float)i).ToArray(), 2, 1, 5);
        var joined = new Concatenate(axis: 1).Forward([x, y], false);
        CollectionAssert.AreEqual(new[] { 2, 3, 5 }, joined.Shape);
        Near([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22, 23, 24, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 25, 26, 27, 28, 29], joined.ToArray());

        var p = Layers.Input([8], name: "p");
        var q = Layers.Input([4], name: "q");
        CollectionAssert.AreEqual(new[] { -1, 12 }, Layers.Concatenate(p, q).Shape);
        CollectionAssert.AreEqual(new[] { -1, 8 }, Layers.Multiply(p, p).Shape);
        CollectionAssert.AreEqual(new[] { -1, 8 }, Layers.Subtract(p, p).Shape);
        CollectionAssert.AreEqual(new[] { -1, 8 }, Layers.Average(p, p, p).Shape);
        CollectionAssert.AreEqual(new[] { -1, 8 }, Layers.Maximum(p, p).Shape);
        CollectionAssert.AreEqual(new[] { -1, 8 }, Layers.Minimum(p, p).Shape);
        var r = Layers.Input([2, 3]);
        var s = Layers.Input([4, 3]);
        CollectionAssert.AreEqual(new[] { -1, 6, 3 }, Layers.Concatenate([r, s], axis: 1).Shape);

        StringAssert.Contains(Assert.Throws<ArgumentException>(() => Layers.Concatenate([r, s], axis: 2)).Message,
            "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=[(None, 2, 3), (None, 4, 3)]");
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => new Subtract().Call(p, p, p)).Message, "A `Subtract` layer should be called on exactly 2 inputs.");
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => Layers.Multiply(p, q)).Message, "Inputs have incompatible shapes. Received shapes (8,) and (4,)");

        // Axes of length 1 broadcast, as in Keras: a per-sample gate of shape (1,) scales all 8 features.
        var gate = Layers.Input([1]);
        CollectionAssert.AreEqual(new[] { -1, 8 }, Layers.Multiply(p, gate).Shape);
        CollectionAssert.AreEqual(new[] { -1, 3, 4 }, Layers.Add(Layers.Maximum(Layers.Input([3, 1]), Layers.Input([1, 4])), Layers.Input([3, 4])).Shape);
        Near([2f, 4f, -3f, -6f], Run(new Multiply(), T([1f, 2f, 1f, 2f], 2, 2), T([2f, -3f], 2, 1)));
        Near([1.5f, 2f, 2.5f, 3f], Run(new Average(), T([1f, 2f, 3f, 4f], 2, 2), T([2f, 2f], 2, 1)));
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => Layers.Multiply(p, Layers.Input([2, 8]))).Message, "Inputs have incompatible shapes.");
    }

    [TestMethod]
    public void ReshapingLayers_ShapesValuesAndErrors()
    {
        // Keras docstrings: Reshape((3, 4)) and Reshape((-1, 2, 2)) of (None, 12); Permute((2, 1)) of (None, 10, 64).
        var x = Layers.Input([12]);
        CollectionAssert.AreEqual(new[] { -1, 3, 4 }, new Reshape([3, 4]).Call(x).Shape);
        CollectionAssert.AreEqual(new[] { -1, 3, 2, 2 }, new Reshape([-1, 2, 2]).Call(x).Shape);
        CollectionAssert.AreEqual(new[] { -1, 64, 10 }, new Permute([2, 1]).Call(Layers.Input([10, 64])).Shape);
        CollectionAssert.AreEqual(new[] { -1, 3, 32 }, new RepeatVector(3).Call(Layers.Input([32])).Shape);

        var v = T([0f, 1f, 2f, 3f, 4f, 5f], 1, 6);
        var reshaped = new Reshape([-1, 2]).Forward([v], false);
        CollectionAssert.AreEqual(new[] { 1, 3, 2 }, reshaped.Shape);
        var permuted = new Permute([2, 1]).Forward([reshaped], false);
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, permuted.Shape);
        Near([0f, 2f, 4f, 1f, 3f, 5f], permuted.ToArray());
        Near([0f, 1f, 0f, 1f], Run(new RepeatVector(2), T([0f, 1f], 1, 2)));

        StringAssert.Contains(Assert.Throws<ArgumentException>(() => new Reshape([5]).Call(x)).Message,
            "The total size of the tensor must be unchanged. Received: input_shape=(12,), target_shape=(5,)");
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => new Reshape([-1, -1])).Message, "must not contain more than one `-1` value");
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => new Permute([0, 1])).Message,
            "The set of indices in `dims` must be consecutive and start from 1. Received dims=(0, 1)");
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => new RepeatVector(2).Call(Layers.Input([2, 3]))).Message, "expected ndim=2");
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => new RepeatVector(0)).Message, "n=0");
    }

    [TestMethod]
    public void ActivationLayerArguments_KerasErrors()
    {
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => new ReLU(maxValue: -1)).Message, "max_value of a ReLU layer cannot be a negative value. Received: max_value=-1.0");
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => new ReLU(negativeSlope: -0.1)).Message, "negative_slope of a ReLU layer cannot be a negative value. Received: negative_slope=-0.1");
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => new ReLU(threshold: -2)).Message, "threshold of a ReLU layer cannot be a negative value. Received: threshold=-2.0");
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => new LeakyReLU(-0.5)).Message, "Received: negative_slope=-0.5");
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => new Normalization(mean: [1.0])).Message, "both `mean` and `variance` must be set");
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => new Rescaling(double.NaN)).Message, "scale=nan");
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => new PReLU(sharedAxes: [3]).Call(Layers.Input([4, 2]))).Message, "shared_axes");
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => new Softmax(axis: 2).Call(Layers.Input([4]))).Message, "axis=2");
    }

    [TestMethod]
    public void Normalization_KerasDocumentedExamples()
    {
        // axis=None: adapt on [1, 2, 3, 4, 5], call on [1, 2, 3].
        var global = new Normalization(axis: null);
        global.Adapt(ND.Of([1f, 2f, 3f, 4f, 5f], 5));
        Near([-1.4142135f, -0.70710677f, 0f], Run(global, T([1f, 2f, 3f], 3)));
        var data = ND.Of([0f, 7f, 4f, 2f, 9f, 6f, 0f, 7f, 4f, 2f, 9f, 6f], 4, 3);
        var perFeature = new Normalization(axis: -1);
        perFeature.Adapt(data);
        Near([-1f, -1f, -1f], Run(perFeature, T([0f, 7f, 4f], 1, 3)));
        var inverse = new Normalization(axis: -1, invert: true);
        inverse.Adapt(data);
        Near([2f, 10f, 8f], Run(inverse, T([1f, 2f, 3f], 1, 3)));
        // mean=3, variance=2 given directly.
        Near([-1.4142135f, -0.70710677f, 0f], Run(new Normalization(mean: [3.0], variance: [2.0]), T([1f, 2f, 3f], 3, 1)));
        CollectionAssert.AreEqual(new[] { "normalization_1/mean:0", "normalization_1/variance:0", "normalization_1/count:0" }, perFeature.Weights.Select(w => w.Name).ToArray());
        Assert.AreEqual(4.0, perFeature.Weights[2].Numpy().Item(), "count: rows reduced");
        Assert.IsEmpty(perFeature.TrainableWeights);
    }

    [TestMethod]
    public void Normalization_AdaptMatchesNumPy()
    {
        var n = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Activations", "activations.json")))
            .RootElement.GetProperty("normalization");
        float[] F(string k) => n.GetProperty(k).EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        var data = F("data");
        var layer = new Normalization();
        layer.Adapt(ND.Of(data, 6, 3));
        Near(F("mean"), layer.Weights[0].Numpy().Float32Data, 1e-5f);
        var variance = F("variance");
        var got = layer.Weights[1].Numpy().Float32Data;
        for (int i = 0; i < 3; i++) Assert.AreEqual(variance[i], got[i], 1e-5 * variance[i], $"variance {i}");
        Near(F("normalized_first_two_rows"), Run(layer, T(data[..6], 2, 3)), 1e-5f);
    }

    /// <summary>Layers with the inputs run_layer_test would build them on.</summary>
    public static IEnumerable<object[]> LayerCases() =>
    [
        [new Func<Layer>(() => new ReLU()), new[] { new[] { 4 } }, new[] { -1, 4 }],
        [new Func<Layer>(() => new ReLU(maxValue: 6, negativeSlope: 0.1, threshold: 0.5)), new[] { new[] { 4 } }, new[] { -1, 4 }],
        [new Func<Layer>(() => new LeakyReLU()), new[] { new[] { 3, 2 } }, new[] { -1, 3, 2 }],
        [new Func<Layer>(() => new ELU(alpha: 0.5)), new[] { new[] { 4 } }, new[] { -1, 4 }],
        [new Func<Layer>(() => new PReLU(alphaInitializer: new Ones(), sharedAxes: [1, 2])), new[] { new[] { 3, 3, 2 } }, new[] { -1, 3, 3, 2 }],
        [new Func<Layer>(() => new Softmax(axis: 1)), new[] { new[] { 3, 4 } }, new[] { -1, 3, 4 }],
        [new Func<Layer>(() => new Activation("gelu")), new[] { new[] { 4 } }, new[] { -1, 4 }],
        [new Func<Layer>(() => new Concatenate(axis: 1)), new[] { new[] { 2, 3 }, new[] { 4, 3 } }, new[] { -1, 6, 3 }],
        [new Func<Layer>(() => new Multiply()), new[] { new[] { 5 }, new[] { 5 } }, new[] { -1, 5 }],
        [new Func<Layer>(() => new Subtract()), new[] { new[] { 5 }, new[] { 5 } }, new[] { -1, 5 }],
        [new Func<Layer>(() => new Average()), new[] { new[] { 5 }, new[] { 5 } }, new[] { -1, 5 }],
        [new Func<Layer>(() => new Maximum()), new[] { new[] { 5 }, new[] { 5 } }, new[] { -1, 5 }],
        [new Func<Layer>(() => new Minimum()), new[] { new[] { 5 }, new[] { 5 } }, new[] { -1, 5 }],
        [new Func<Layer>(() => new Reshape([-1, 2])), new[] { new[] { 6 } }, new[] { -1, 3, 2 }],
        [new Func<Layer>(() => new Permute([2, 1])), new[] { new[] { 3, 2 } }, new[] { -1, 2, 3 }],
        [new Func<Layer>(() => new RepeatVector(3)), new[] { new[] { 2 } }, new[] { -1, 3, 2 }],
        [new Func<Layer>(() => new Rescaling(1 / 255.0, offset: -1)), new[] { new[] { 4 } }, new[] { -1, 4 }],
        [new Func<Layer>(() => new Normalization()), new[] { new[] { 4 } }, new[] { -1, 4 }],
        [new Func<Layer>(() => new Normalization(axis: null, mean: [2.0], variance: [4.0], invert: true)), new[] { new[] { 4 } }, new[] { -1, 4 }],
        [new Func<Layer>(() => new Normalization(axis: 1, mean: [1.0, 2.0, 3.0], variance: [1.0, 4.0, 9.0])), new[] { new[] { 3, 2 } }, new[] { -1, 3, 2 }],
    ];

    [TestMethod]
    [DynamicData(nameof(LayerCases))]
    public void RunLayerTest_ConfigRoundTripShapeAndForward(Func<Layer> make, int[][] inputShapes, int[] expected)
    {
        var layer = make();
        string json = JsonSerializer.Serialize(layer.GetConfig());
        using var doc = JsonDocument.Parse(json);
        // The model-file path (LayerFactory by class name) and the layer's own FromConfig give the same config back.
        var rebuilt = LayerFactory.Create(layer.ClassName, doc.RootElement);
        Assert.AreEqual(layer.GetType(), rebuilt.GetType());
        Assert.AreEqual(json, JsonSerializer.Serialize(rebuilt.GetConfig()));
        // layer → GetConfig → FromConfig (the dictionary itself, no JSON in between) → the same config.
        var viaOwn = layer.GetType().GetMethod("FromConfig")!.Invoke(null, [layer.GetConfig()]) as Layer;
        Assert.AreEqual(layer.GetType(), viaOwn!.GetType());
        Assert.AreEqual(json, JsonSerializer.Serialize(viaOwn.GetConfig()));

        var inputs = inputShapes.Select(s => Layers.Input(s)).ToArray();
        var output = layer.Call(inputs);
        CollectionAssert.AreEqual(expected, output.Shape);
        // Concrete forward on a batch of 2: the output shape matches the symbolic one and the values are finite.
        var rng = new RandomState(3);
        var tensors = inputShapes.Select(s =>
        {
            int[] shape = [2, .. s];
            var v = new float[ShapeUtil.Size(shape)];
            for (int i = 0; i < v.Length; i++) v[i] = (float)rng.Uniform(-2, 2);
            return new Tensor(v, shape);
        }).ToArray();
        var y = layer.Forward(tensors, training: false);
        CollectionAssert.AreEqual(new[] { 2 }.Concat(expected[1..]).ToArray(), y.Shape);
        Assert.IsTrue(y.ToArray().All(float.IsFinite));
        // A rebuilt layer called on the same inputs computes the same values (weights copied where it has some).
        var twin = LayerFactory.Create(layer.ClassName, doc.RootElement);
        twin.Call(inputShapes.Select(s => Layers.Input(s)).ToArray());
        for (int i = 0; i < layer.Weights.Count; i++) twin.Weights[i].Assign(layer.Weights[i].Numpy());
        CollectionAssert.AreEqual(y.ToArray(), twin.Forward(tensors, training: false).ToArray());
    }

    [TestMethod]
    public void LeakyReLU_ReadsKeras2Alpha()
    {
        using var doc = JsonDocument.Parse("{\"name\": \"lr\", \"trainable\": true, \"dtype\": \"float32\", \"alpha\": 0.1}");
        var layer = (LeakyReLU)LayerFactory.Create("LeakyReLU", doc.RootElement);
        Assert.AreEqual(0.1, layer.NegativeSlope);
        Assert.AreEqual("lr", layer.Name);
    }

    private static Model Net()
    {
        var input = Layers.Input([4], name: "features");
        var h = new Normalization(name: "norm").Call(input);
        h = new Dense(16, name: "d1").Call(h);
        var a = new LeakyReLU(name: "leaky").Call(h);
        var b = new ELU(name: "elu").Call(h);
        var g = new Dense(16, activation: "sigmoid", name: "gate").Call(h);
        h = Layers.Concatenate(Layers.Multiply(a, g), Layers.Subtract(b, a));
        h = new Dense(8, activation: "gelu", name: "d2").Call(h);
        h = new PReLU(name: "prelu").Call(h);
        h = new Reshape([2, 4], name: "to_2x4").Call(h);
        h = new Permute([2, 1], name: "swap").Call(h);
        h = new Flatten(name: "flat").Call(h);
        h = Layers.Maximum(new Dense(8, activation: "silu", name: "d3").Call(h), new Dense(8, activation: "softplus", name: "d4").Call(h));
        var outputs = new Dense(3, activation: "softmax", name: "cls").Call(h);
        return new Model(input, outputs, name: "issue17_net");
    }

    /// <summary>Three Gaussian classes in 4-D with features on different scales (so Normalization matters).</summary>
    private static (NDArray X, NDArray Y) Classes(int n, uint seed)
    {
        var rng = new RandomState(seed);
        var x = ND.Zeros([n, 4]);
        var y = ND.Zeros([n, 3]);
        double[] scale = [1, 100, 0.01, 10];
        for (int i = 0; i < n; i++)
        {
            int c = i % 3;
            for (int j = 0; j < 4; j++) x.SetDouble(scale[j] * (rng.Normal(0, 0.6) + (j == c ? 1.5 : 0) - (j == (c + 1) % 3 ? 1 : 0)), i, j);
            y.SetDouble(1, i, c);
        }
        return (x, y);
    }

    [TestMethod]
    public void FunctionalModel_Trains_SavesAndLoads()
    {
        var (x, y) = Classes(240, 5);
        var model = Net();
        ((Normalization)model.GetLayer("norm")).Adapt(x);
        model.Compile(new Adam(learningRate: 0.01), "categorical_crossentropy", ["accuracy"]);
        var history = model.Fit(x, y, batchSize: 32, epochs: 12, verbose: 0);
        var loss = history.HistoryData["loss"];
        Assert.IsTrue(loss[^1] < 0.5 * loss[0], $"loss {loss[0]:F4} → {loss[^1]:F4}");
        Assert.IsTrue(history.HistoryData["accuracy"][^1] > 0.8, $"accuracy {history.HistoryData["accuracy"][^1]:F3}");

        var summary = model.SummaryText();
        foreach (var cls in new[] { "Normalization", "LeakyReLU", "ELU", "Multiply", "Subtract", "Concatenate", "PReLU", "Reshape", "Permute", "Maximum" })
            StringAssert.Contains(summary, $"({cls})");
        StringAssert.Contains(summary, "(None, 2, 4)");

        string dir = Path.Combine(Path.GetTempPath(), $"issue17_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "model.h5");
            model.Save(path);
            var loaded = Models.LoadModel(path);
            Assert.AreEqual(model.ToJson(), loaded.ToJson());
            CollectionAssert.AreEqual(model.Weights.Select(w => w.Name).ToArray(), loaded.Weights.Select(w => w.Name).ToArray());
            CollectionAssert.Contains(loaded.Weights.Select(w => w.Name).ToArray(), "prelu/alpha:0");
            CollectionAssert.Contains(loaded.Weights.Select(w => w.Name).ToArray(), "norm/variance:0");
            CollectionAssert.AreEqual(model.Predict(x).Float32Data, loaded.Predict(x).Float32Data);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void FunctionalModel_TrainingSteps_SimEqualsCpu()
    {
        // Every layer above on the simulated device (queued kernels, memory the host can only copy) gives the CPU's
        // predictions and losses, and their weights move the same way under Adam.
        var (x, y) = Classes(24, 9);
        Model Build(string device)
        {
            Backend.ClearSession();
            Backend.SetRandomSeed(5);
            using (Backend.DeviceScope(device))
            {
                var m = Net();
                ((Normalization)m.GetLayer("norm")).Adapt(x);
                m.Compile(new Adam(learningRate: 0.01), "categorical_crossentropy", ["accuracy"]);
                return m;
            }
        }
        var cpu = Build("cpu");
        var sim = Build("sim");
        Assert.AreEqual("sim", sim.GetLayer("prelu").Weights[0].Value.Device.Name);
        sim.SetWeights(cpu.GetWeights());
        Near(cpu.Predict(x).Float32Data, sim.Predict(x).Float32Data, 1e-5f);
        for (int step = 0; step < 3; step++)
        {
            var lc = cpu.TrainOnBatch(x, y);
            var ls = sim.TrainOnBatch(x, y);
            for (int i = 0; i < lc.Length; i++) Assert.AreEqual(lc[i], ls[i], 1e-5 * Math.Max(1, Math.Abs(lc[i])), $"step {step} log {i}");
        }
        var wc = cpu.GetWeights();
        var ws = sim.GetWeights();
        for (int w = 0; w < wc.Count; w++) Near(wc[w].Float32Data, ws[w].Float32Data, 1e-5f);
    }

    [TestMethod]
    public void Sequential_WithTheNewLayers_Trains_AndLoadsFromItsFile()
    {
        var (x, y) = Classes(180, 8);
        var model = new Sequential([
            new InputLayer(shape: [4]),
            new Rescaling(0.5, offset: 0.1),
            new Normalization(name: "norm"),
            new Dense(12, activation: "gelu"),
            new LeakyReLU(negativeSlope: 0.2),
            new Reshape([3, 4]),
            new Permute([2, 1]),
            new Flatten(),
            new Dense(8, activation: "selu"),
            new ReLU(maxValue: 6, negativeSlope: 0.05),
            new Dense(3, activation: "softmax"),
        ]);
        ((Normalization)model.GetLayer("norm")).Adapt(x);
        model.Compile(new Adam(learningRate: 0.01), "categorical_crossentropy", ["accuracy"]);
        var loss = model.Fit(x, y, batchSize: 30, epochs: 10, verbose: 0).HistoryData["loss"];
        Assert.IsTrue(loss[^1] < 0.5 * loss[0], $"loss {loss[0]:F4} → {loss[^1]:F4}");
        string path = Path.Combine(Path.GetTempPath(), $"issue17_seq_{Guid.NewGuid():N}.h5");
        try
        {
            model.Save(path);
            var loaded = Models.LoadModel(path);
            Assert.AreEqual("Sequential", loaded.ClassName);
            Assert.AreEqual(model.ToJson(), loaded.ToJson());
            CollectionAssert.AreEqual(model.Predict(x).Float32Data, loaded.Predict(x).Float32Data);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void IssueSnippet_GeluSigmoidBinaryClassifier_Learns()
    {
        // The issue's `bin` model (Adam in place of AdamW): a gelu hidden layer and a sigmoid output on two blobs.
        var rng = new RandomState(21);
        var x = ND.Zeros([200, 2]);
        var y = ND.Zeros([200, 1]);
        for (int i = 0; i < 200; i++)
        {
            int c = i % 2;
            x.SetDouble(rng.Normal(c == 0 ? -1 : 1, 0.5), i, 0);
            x.SetDouble(rng.Normal(c == 0 ? 1 : -1, 0.5), i, 1);
            y.SetDouble(c, i, 0);
        }
        var bin = new Sequential([new InputLayer(shape: [2]), new Dense(8, activation: "gelu"), new Dense(1, activation: "sigmoid")]);
        bin.Compile(optimizer: new Adam(learningRate: 1e-2), loss: "binary_crossentropy", metrics: ["accuracy"]);
        var h = bin.Fit(x, y, batchSize: 20, epochs: 8, verbose: 0).HistoryData;
        Assert.IsTrue(h["loss"][^1] < 0.5 * h["loss"][0], $"loss {h["loss"][0]:F4} → {h["loss"][^1]:F4}");
        Assert.IsTrue(h["accuracy"][^1] > 0.9, $"accuracy {h["accuracy"][^1]:F3} (chance 0.5)");
    }
}
