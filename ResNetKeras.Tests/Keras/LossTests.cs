using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>
/// The loss classes against Keras's documented numbers (keras.io docstrings of CategoricalCrossentropy and
/// SparseCategoricalCrossentropy) and hand-computed values; reductions, sample weights, identifiers, configs.
/// </summary>
[TestClass]
public sealed class LossTests
{
    private static Tensor T(float[] v, params int[] shape) => new(v, shape);

    // Keras's docstring example: y_true = [[0, 1, 0], [0, 0, 1]], y_pred = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]].
    private static Tensor DocPred() => T([0.05f, 0.95f, 0f, 0.1f, 0.8f, 0.1f], 2, 3);
    private static Tensor DocOneHot() => T([0, 1, 0, 0, 0, 1], 2, 3);

    [TestMethod]
    public void CategoricalCrossentropy_KerasDocNumbers()
    {
        var y = DocOneHot();
        var p = DocPred();
        Assert.AreEqual(1.177, new CategoricalCrossentropy().Compute(y, p).Item(), 5e-4);
        Assert.AreEqual(0.814, new CategoricalCrossentropy().Compute(y, p, T([0.3f, 0.7f], 2)).Item(), 5e-4);
        Assert.AreEqual(2.354, new CategoricalCrossentropy(reduction: "sum").Compute(y, p).Item(), 5e-4);
        var none = new CategoricalCrossentropy(reduction: "none").Compute(y, p).ToNDArray().Float32Data;
        Assert.AreEqual(2, none.Length);
        Assert.AreEqual(0.0513, none[0], 5e-5);
        Assert.AreEqual(2.303, none[1], 5e-4);
        Assert.AreEqual(-Math.Log(0.1), none[1], 1e-6, "−log p of the true class");
    }

    [TestMethod]
    public void SparseCategoricalCrossentropy_KerasDocNumbers_ForBothLabelShapes()
    {
        var p = DocPred();
        foreach (var labels in new[] { T([1, 2], 2), T([1, 2], 2, 1) })
        {
            Assert.AreEqual(1.177, new SparseCategoricalCrossentropy().Compute(labels, p).Item(), 5e-4);
            Assert.AreEqual(0.814, new SparseCategoricalCrossentropy().Compute(labels, p, T([0.3f, 0.7f], 2)).Item(), 5e-4);
            Assert.AreEqual(2.354, new SparseCategoricalCrossentropy(reduction: "sum").Compute(labels, p).Item(), 5e-4);
        }
    }

    [TestMethod]
    public void SumOverBatchSize_DividesByTheSampleCount_NotTheWeightSum()
    {
        // ℓ = [−ln 0.7, ln 2]; weights [3, 1]: Σℓw/N = (3·0.3566749 + 0.6931472)/2, not /Σw = 4.
        var y = T([0, 1, 0, 1, 0, 0], 2, 3);
        var p = T([0.2f, 0.7f, 0.1f, 0.5f, 0.25f, 0.25f], 2, 3);
        double l0 = -Math.Log(0.7), l1 = Math.Log(2);
        Assert.AreEqual((l0 + l1) / 2, new CategoricalCrossentropy().Compute(y, p).Item(), 1e-6);
        Assert.AreEqual((3 * l0 + l1) / 2, new CategoricalCrossentropy().Compute(y, p, T([3, 1], 2)).Item(), 1e-6);
        Assert.AreEqual((3 * l0 + l1) / 2, new CategoricalCrossentropy(reduction: "mean").Compute(y, p, T([3, 1], 2, 1)).Item(), 1e-6, "(N, 1) weights");
        Assert.AreEqual(3 * l0 + 3 * l1, new CategoricalCrossentropy(reduction: "sum").Compute(y, p, T([3], [])).Item(), 1e-5, "one scalar weight for all");
        var none = new CategoricalCrossentropy(reduction: null).Compute(y, p, T([3, 1], 2)).ToNDArray().Float32Data;
        Assert.AreEqual(3 * l0, none[0], 1e-6);
        Assert.AreEqual(l1, none[1], 1e-6);
    }

    [TestMethod]
    public void FromLogits_IsSoftmaxCrossEntropy()
    {
        // z = [1, 2, 3], class 2: ℓ = logsumexp(z) − 3 = ln(1 + e^−1 + e^−2).
        double expected = Math.Log(1 + Math.Exp(-1) + Math.Exp(-2));
        var z = T([1, 2, 3], 1, 3);
        Assert.AreEqual(expected, new CategoricalCrossentropy(fromLogits: true).Compute(T([0, 0, 1], 1, 3), z).Item(), 1e-6);
        Assert.AreEqual(expected, new SparseCategoricalCrossentropy(fromLogits: true).Compute(T([2], 1), z).Item(), 1e-6);
    }

    [TestMethod]
    public void BadArguments_AreClearErrors()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new CategoricalCrossentropy(reduction: "average"));
        Assert.AreEqual("reduction", e.ParamName);
        StringAssert.Contains(e.Message, "reduction=average");
        var w = Assert.ThrowsExactly<ArgumentException>(() => new CategoricalCrossentropy().Compute(DocOneHot(), DocPred(), T([1, 1, 1], 3)));
        StringAssert.Contains(w.Message, "sample_weight");
        // Labels on the device are not read back to be checked (Fit checks them on the host first): a class index out of
        // range gives NaN, as TensorFlow on a GPU.
        Assert.IsTrue(float.IsNaN(new SparseCategoricalCrossentropy().Compute(T([3, 0], 2), DocPred()).Item()));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new SparseCategoricalCrossentropy().Compute(T([1, 0, 2], 3), DocPred())).Message, "labels");
    }

    [TestMethod]
    public void Get_MapsKerasIdentifiers()
    {
        Assert.IsInstanceOfType<CategoricalCrossentropy>(Losses.Get("categorical_crossentropy"));
        Assert.IsInstanceOfType<CategoricalCrossentropy>(Losses.Get("CategoricalCrossentropy"));
        Assert.IsInstanceOfType<SparseCategoricalCrossentropy>(Losses.Get("sparse_categorical_crossentropy"));
        Assert.IsInstanceOfType<SparseCategoricalCrossentropy>(Losses.Get("SparseCategoricalCrossentropy"));
        Assert.AreEqual("categorical_crossentropy", Losses.Get("CategoricalCrossentropy").Name);
        var mine = new SparseCategoricalCrossentropy(fromLogits: true);
        Assert.AreSame(mine, Losses.Get(mine));
        var e = Assert.ThrowsExactly<ArgumentException>(() => Losses.Get("mean_squared_err"));
        StringAssert.Contains(e.Message, "Could not interpret loss identifier: 'mean_squared_err'");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Losses.Get(3.5)).Message, "Could not interpret loss identifier: 3.5");
    }

    private static Dictionary<string, object?> ThroughJson(Dictionary<string, object?> config) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(config))!
            .ToDictionary(kv => kv.Key, kv => (object?)kv.Value);

    [TestMethod]
    public void Configs_RoundTrip_AsKerasWritesThem()
    {
        var cce = new CategoricalCrossentropy(fromLogits: true, reduction: "sum", name: "cce");
        var c = cce.GetConfig();
        CollectionAssert.AreEqual(new[] { "name", "reduction", "from_logits", "label_smoothing", "axis" }, c.Keys.ToArray());
        var back = (CategoricalCrossentropy)Losses.Deserialize("CategoricalCrossentropy", ThroughJson(c));
        Assert.AreEqual("cce", back.Name);
        Assert.AreEqual("sum", back.Reduction);
        Assert.IsTrue(back.FromLogits);
        Assert.AreEqual(JsonSerializer.Serialize(c), JsonSerializer.Serialize(back.GetConfig()));

        var scce = new SparseCategoricalCrossentropy(reduction: null);
        var sc = scce.GetConfig();
        CollectionAssert.AreEqual(new[] { "name", "reduction", "from_logits", "ignore_class", "axis" }, sc.Keys.ToArray());
        var sback = SparseCategoricalCrossentropy.FromConfig(ThroughJson(sc));
        Assert.IsNull(sback.Reduction, "Keras's reduction=None survives");
        Assert.AreEqual(JsonSerializer.Serialize(sc), JsonSerializer.Serialize(sback.GetConfig()));

        var smoothing = Assert.ThrowsExactly<ArgumentException>(() => CategoricalCrossentropy.FromConfig(new Dictionary<string, object?> { ["label_smoothing"] = 1.5 }));
        StringAssert.Contains(smoothing.Message, "label_smoothing=1.5");
        Assert.AreEqual(0.1, CategoricalCrossentropy.FromConfig(new Dictionary<string, object?> { ["label_smoothing"] = 0.1 }).LabelSmoothing);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Losses.Deserialize("HuberLoss", new Dictionary<string, object?>())).Message, "HuberLoss");
    }

    [TestMethod]
    public void LossFunctionWrapper_WeightsAndReducesAFunction()
    {
        var loss = new LossFunctionWrapper((t, p) => ResNetKeras.Ops.Op.Multiply(t, p), reduction: "sum", name: "dot");
        Assert.AreEqual("dot", loss.Name);
        Assert.AreEqual(1 * 4 + 2 * 5 * 2 + 3 * 6, loss.Compute(T([1, 2, 3], 3), T([4, 5, 6], 3), T([1, 2, 1], 3)).Item(), 1e-6);
    }
}
