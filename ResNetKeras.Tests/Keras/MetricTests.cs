using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.Keras;
using ResNetKeras.Ops;

namespace ResNetKeras.Tests.Keras;

/// <summary>
/// The stateful metrics against Keras's documented numbers (the keras.io docstring examples of each class), their
/// state and reset, TensorFlow's in_top_k tie rule, identifiers and config round trips.
/// </summary>
[TestClass]
public sealed class MetricTests
{
    private static Tensor T(float[] v, params int[] shape) => new(v, shape);

    private static double Result(Metric m) => m.Result().Item();

    [TestMethod]
    public void Mean_KerasDocNumbers_AndState()
    {
        var m = new Mean();
        Assert.AreEqual("mean", m.Name);
        Assert.AreEqual(0.0, Result(m), "0 before any update (divide_no_nan)");
        m.UpdateState(T([1, 3, 5, 7], 4));
        Assert.AreEqual(4.0, Result(m));
        Assert.AreEqual(16f, m.Total.Value.Item());
        Assert.AreEqual(4f, m.Count.Value.Item());
        m.ResetState();
        m.UpdateState(T([1, 3, 5, 7], 4), sampleWeight: T([1, 1, 0, 0], 4));
        Assert.AreEqual(2.0, Result(m));
        m.UpdateState(T([10], []), T([2], []));
        Assert.AreEqual((4 + 20) / 4.0, Result(m), 1e-7, "a scalar value with a scalar weight: the loss tracker's use");
        CollectionAssert.AreEqual(new[] { "mean/total", "mean/count" }, m.Variables.Select(v => v.Name).ToArray());
    }

    [TestMethod]
    public void Accuracy_KerasDocNumbers()
    {
        var m = new Accuracy();
        m.UpdateState(T([1, 2, 3, 4], 4, 1), T([0, 2, 3, 4], 4, 1));
        Assert.AreEqual(0.75, Result(m));
        m.ResetState();
        m.UpdateState(T([1, 2, 3, 4], 4, 1), T([0, 2, 3, 4], 4, 1), T([1, 1, 0, 0], 4));
        Assert.AreEqual(0.5, Result(m));
    }

    [TestMethod]
    public void CategoricalAccuracy_KerasDocNumbers()
    {
        var m = new CategoricalAccuracy();
        var y = T([0, 0, 1, 0, 1, 0], 2, 3);
        var p = T([0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0f], 2, 3);
        m.UpdateState(y, p);
        Assert.AreEqual(0.5, Result(m));
        m.ResetState();
        m.UpdateState(y, p, T([0.7f, 0.3f], 2));
        Assert.AreEqual(0.3, Result(m), 1e-7);
    }

    [TestMethod]
    public void SparseCategoricalAccuracy_KerasDocNumbers()
    {
        var m = new SparseCategoricalAccuracy();
        var p = T([0.1f, 0.6f, 0.3f, 0.05f, 0.95f, 0f], 2, 3);
        m.UpdateState(T([2, 1], 2, 1), p);
        Assert.AreEqual(0.5, Result(m));
        m.ResetState();
        m.UpdateState(T([2, 1], 2), p, T([0.7f, 0.3f], 2));
        Assert.AreEqual(0.3, Result(m), 1e-7);
    }

    [TestMethod]
    public void BinaryAccuracy_KerasDocNumbers()
    {
        var m = new BinaryAccuracy();
        var y = T([1, 1, 0, 0], 4, 1);
        var p = T([0.98f, 1, 0, 0.6f], 4, 1);
        m.UpdateState(y, p);
        Assert.AreEqual(0.75, Result(m));
        m.ResetState();
        m.UpdateState(y, p, T([1, 0, 0, 1], 4));
        Assert.AreEqual(0.5, Result(m));
        var strict = new BinaryAccuracy(threshold: 0.99);
        strict.UpdateState(T([1, 1, 0, 0], 4), p);
        Assert.AreEqual(0.75, Result(strict), "(N,) labels against (N, 1) outputs; 0.98 and 0.6 are both below the threshold");
    }

    [TestMethod]
    public void TopK_KerasDocNumbers()
    {
        var p = T([0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0f], 2, 3);
        var m = new TopKCategoricalAccuracy(k: 1);
        m.UpdateState(T([0, 0, 1, 0, 1, 0], 2, 3), p);
        Assert.AreEqual(0.5, Result(m));
        m.ResetState();
        m.UpdateState(T([0, 0, 1, 0, 1, 0], 2, 3), p, T([0.7f, 0.3f], 2));
        Assert.AreEqual(0.3, Result(m), 1e-7);
        var s = new SparseTopKCategoricalAccuracy(k: 1);
        s.UpdateState(T([2, 1], 2), p);
        Assert.AreEqual(0.5, Result(s));
        s.ResetState();
        s.UpdateState(T([2, 1], 2), p, T([0.7f, 0.3f], 2));
        Assert.AreEqual(0.3, Result(s), 1e-7);
        var two = new TopKCategoricalAccuracy(k: 2);
        two.UpdateState(T([0, 0, 1, 0, 1, 0], 2, 3), p);
        Assert.AreEqual(1.0, Result(two));
        Assert.AreEqual(5, new TopKCategoricalAccuracy().K);
    }

    [TestMethod]
    public void InTopK_FollowsTensorFlowsTieRule()
    {
        // Row 0 ties three ways at the top: each tied class is in the top 1. Row 1: class 3 has three strictly higher.
        var p = T([0.5f, 0.5f, 0.5f, 0.1f, 0.4f, 0.3f, 0.2f, 0.1f, float.NaN, 1, 2, 3], 3, 4);
        CollectionAssert.AreEqual(new float[] { 1, 0, 0 }, Op.InTopK(p, T([2, 3, 0], 3), 1).ToNDArray().Float32Data);
        CollectionAssert.AreEqual(new float[] { 1, 0, 0 }, Op.InTopK(p, T([0, 3, 0], 3), 3).ToNDArray().Float32Data, "NaN target: never");
        CollectionAssert.AreEqual(new float[] { 1, 1, 1 }, Op.InTopK(p, T([1, 3, 3], 3), 4).ToNDArray().Float32Data);
        CollectionAssert.AreEqual(new float[] { 0, 0, 0 }, Op.InTopK(p, T([4, -1, 7], 3), 4).ToNDArray().Float32Data, "out of range: never");
    }

    [TestMethod]
    public void ArgmaxMatches_TakeTheFirstIndexOnTies()
    {
        var p = T([0.4f, 0.4f, 0.2f, 0.1f, 0.1f, 0.8f], 2, 3);
        CollectionAssert.AreEqual(new float[] { 1, 0 }, Op.ArgmaxMatches(p, T([1, 0, 0, 0, 1, 0], 2, 3)).ToNDArray().Float32Data);
        CollectionAssert.AreEqual(new float[] { 0, 1 }, Op.SparseArgmaxMatches(p, T([1, 2], 2)).ToNDArray().Float32Data);
        var target = T([1, 2], 2);
        Op.AssignAdd(target, T([0.5f, 0.25f], 2));
        CollectionAssert.AreEqual(new float[] { 1.5f, 2.25f }, target.ToNDArray().Float32Data);
    }

    private sealed class Plain : Metric
    {
        public override Tensor Result() => Tensor.Scalar(0);
    }

    [TestMethod]
    public void Names_AndErrors()
    {
        Assert.AreEqual("accuracy", new Accuracy().Name);
        Assert.AreEqual("top_k_categorical_accuracy", new TopKCategoricalAccuracy().Name);
        Assert.AreEqual("sparse_top_k_categorical_accuracy", new SparseTopKCategoricalAccuracy().Name);
        Assert.AreEqual("binary_accuracy", new BinaryAccuracy().Name);
        Backend.ClearSession();
        Assert.AreEqual("plain", new Plain().Name, "auto_name: the class name in snake_case");
        Assert.AreEqual("plain_1", new Plain().Name);
        var e = Assert.ThrowsExactly<NotSupportedException>(() => new Plain().UpdateState(T([1], 1), T([1], 1)));
        StringAssert.Contains(e.Message, "override UpdateState");
        Assert.AreEqual("k", Assert.ThrowsExactly<ArgumentException>(() => new TopKCategoricalAccuracy(k: 0)).ParamName);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Mean().UpdateState(T([1, 2], 2), T([1, 2, 3], 3))).Message, "sample_weight");
    }

    [TestMethod]
    public void Get_MapsKerasIdentifiers()
    {
        Assert.IsInstanceOfType<TopKCategoricalAccuracy>(ResNetKeras.Keras.Metrics.Get("top_k_categorical_accuracy"));
        Assert.IsInstanceOfType<TopKCategoricalAccuracy>(ResNetKeras.Keras.Metrics.Get("TopKCategoricalAccuracy"));
        Assert.IsInstanceOfType<SparseTopKCategoricalAccuracy>(ResNetKeras.Keras.Metrics.Get("sparse_top_k_categorical_accuracy"));
        Assert.IsInstanceOfType<CategoricalAccuracy>(ResNetKeras.Keras.Metrics.Get("categorical_accuracy"));
        Assert.IsInstanceOfType<SparseCategoricalAccuracy>(ResNetKeras.Keras.Metrics.Get("SparseCategoricalAccuracy"));
        Assert.IsInstanceOfType<BinaryAccuracy>(ResNetKeras.Keras.Metrics.Get("binary_accuracy"));
        Assert.IsInstanceOfType<Accuracy>(ResNetKeras.Keras.Metrics.Get("accuracy"));
        Assert.IsInstanceOfType<Mean>(ResNetKeras.Keras.Metrics.Get("Mean"));
        var mine = new BinaryAccuracy(threshold: 0.2);
        Assert.AreSame(mine, ResNetKeras.Keras.Metrics.Get(mine));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ResNetKeras.Keras.Metrics.Get("mean_iou_x")).Message, "Could not interpret metric identifier: 'mean_iou_x'");
    }

    private static Dictionary<string, object?> ThroughJson(Dictionary<string, object?> config) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(config))!
            .ToDictionary(kv => kv.Key, kv => (object?)kv.Value);

    [TestMethod]
    public void Configs_RoundTrip()
    {
        Metric[] all =
        [
            new Mean("m"), new Accuracy("a"), new BinaryAccuracy("b", threshold: 0.25), new CategoricalAccuracy("c"),
            new SparseCategoricalAccuracy("s"), new TopKCategoricalAccuracy(k: 3, name: "t"), new SparseTopKCategoricalAccuracy(k: 2, name: "st"),
        ];
        foreach (var m in all)
        {
            var config = m.GetConfig();
            var back = ResNetKeras.Keras.Metrics.Deserialize(m.GetType().Name, ThroughJson(config));
            Assert.AreEqual(m.GetType(), back.GetType());
            Assert.AreEqual(JsonSerializer.Serialize(config), JsonSerializer.Serialize(back.GetConfig()), m.GetType().Name);
        }
        CollectionAssert.AreEqual(new[] { "name", "dtype", "k" }, new TopKCategoricalAccuracy().GetConfig().Keys.ToArray());
        Assert.AreEqual(0.25, ((BinaryAccuracy)ResNetKeras.Keras.Metrics.Deserialize("BinaryAccuracy", ThroughJson(all[2].GetConfig()))).Threshold);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => TopKCategoricalAccuracy.FromConfig(new Dictionary<string, object?> { ["k"] = 2.5 })).Message, "'k'");
    }
}
