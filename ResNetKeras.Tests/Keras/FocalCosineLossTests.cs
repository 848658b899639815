using ResNetKeras.Devices;
using ResNetKeras.Engine;
using ResNetKeras.Keras;
using ResNetKeras.Kernels;
using ResNetKeras.Ops;
using ResNetKeras.Tests.Ops;

namespace ResNetKeras.Tests.Keras;

/// <summary>The focal and cosine-similarity losses on the CPU device.</summary>
[TestClass]
public sealed class FocalCosineLossTestsCpu : FocalCosineLossTests
{
    protected override IDevice Device => ResNetKeras.Devices.Cpu.CpuDevice.Instance;
}

/// <summary>The same on the simulated device.</summary>
[TestClass]
public sealed class FocalCosineLossTestsSim : FocalCosineLossTests
{
    protected override IDevice Device => ResNetKeras.Devices.Sim.SimDevice.Instance;
}

/// <summary>
/// BinaryFocalCrossentropy, CategoricalFocalCrossentropy and CosineSimilarity (and the ops under them, Divide and
/// L2Normalize) against Keras 3's docstring numbers and an independent float64 PyTorch evaluation of Keras 3's formulas,
/// finite-difference gradients, configs, identifiers and their use as metrics.
/// </summary>
public abstract class FocalCosineLossTests
{
    protected abstract IDevice Device { get; }

    private Tensor T(float[] v, params int[] shape) => GradientChecker.On(Device, v, shape);

    private static void Near(double[] expected, Tensor actual, double tolerance, string what)
    {
        var got = actual.ToArray();
        Assert.HasCount(expected.Length, got, what);
        for (int i = 0; i < got.Length; i++)
            Assert.AreEqual(expected[i], got[i], tolerance * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}]");
    }

    // Printed by tools/fixtures/make_focal_cosine_values.py (PyTorch 1.13, float64, Keras 3's formulas; the L2
    // normalization is torch's F.normalize with eps = 1e-7): inputs, then per-sample losses (reduction "none").
    private static readonly float[] BinLabels = [0.0f, 1.0f, 0.0f, 1.0f, 1.0f, 1.0f, 1.0f, 0.0f, 0.0f, 1.0f, 1.0f, 0.0f];
    private static readonly float[] BinProbs = [0.10038723051548004f, 0.9778531193733215f, 0.8190522789955139f, 0.05530626326799393f, 0.5648382306098938f, 0.6049665212631226f, 0.026649516075849533f, 0.19192051887512207f, 0.1783253252506256f, 0.46347957849502563f, 0.5643234848976135f, 0.45383286476135254f];
    private static readonly float[] BinLogits = [3.358205556869507f, 2.5193936824798584f, -0.7906715869903564f, -2.3747074604034424f, -1.1333956718444824f, 2.896280288696289f, -1.2094755172729492f, 3.928524971008301f, 0.5261507034301758f, -2.1052331924438477f, 1.269578456878662f, 1.281812071800232f];
    private static readonly double[] BinDefault = [0.9328590361690721, 0.9071992557460039, 0.11519373442365105];
    private static readonly double[] BinBalancedSmoothed = [0.3843498774646441, 0.27522802598366086, 0.0743453897892841];
    private static readonly double[] BinLogitsGamma3 = [1.2398796549585094, 1.2518075186724753, 0.6383624582400083];
    private static readonly double[] BinAxis0 = [0.038493566990084424, 0.09993249403893849, 1.5632641238296756, 0.905312516926271];
    private static readonly float[] CatLabels = [0.0f, 0.0f, 1.0f, 0.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f];
    private static readonly float[] CatProbs = [0.48741644620895386f, 0.2872290313243866f, 0.5854304432868958f, 0.4573121964931488f, 0.6052954792976379f, 0.5109042525291443f, 0.15302947163581848f, 0.8224273324012756f, 0.06463126838207245f, 0.3141465485095978f, 0.19565902650356293f, 0.3415924906730652f];
    private static readonly float[] CatLogits = [0.7050884366035461f, 0.3050239682197571f, 1.2965717315673828f, -0.06327759474515915f, 2.048988103866577f, -0.9122957587242126f, 0.28827014565467834f, 0.02663574554026127f, -2.867666006088257f, -1.6321264505386353f, -2.498056650161743f, -1.5070812702178955f];
    private static readonly double[] CatDefault = [0.1301345534837397, 0.15654089011695063, 0.09697773845341259];
    private static readonly double[] CatLogitsSmoothed = [0.289026893355827, 0.21009328507153832, 0.3441857888644975];
    private static readonly double[] CatAxis0 = [0.03686844978504041, 0.0, 0.016276692299081873, 0.24256894724175315];
    private static readonly float[] CosTrue = [-0.9868243932723999f, -0.4135834276676178f, -0.25222548842430115f, 0.2936471402645111f, 0.6874411702156067f, -0.16901980340480804f, 0.2633369565010071f, 0.03953069448471069f, -0.5385457873344421f, 0.0f, 0.0f, 0.0f];
    private static readonly float[] CosPred = [0.18655475974082947f, 0.3986441195011139f, 0.4604485034942627f, 0.24253058433532715f, -0.5114221572875977f, -0.11659293621778488f, 2.999999892949745e-08f, -3.999999975690116e-08f, 0.0f, -0.2814634144306183f, -0.9793192744255066f, 0.12433480471372604f];
    private static readonly double[] CosLoss = [0.6642176663595367, 0.5884983347986096, -0.10517736542627729, -0.0];
    private static readonly double[] CosAxis0 = [0.25548087638941924, 0.5474118482630184, 0.3176806924430464];

    [TestMethod]
    public void BinaryFocal_KerasDocstringValues()
    {
        // keras.losses.binary_focal_crossentropy docstring: gamma=2 on probabilities.
        var values = new BinaryFocalCrossentropy(gamma: 2, reduction: "none").Compute(T([0, 1, 0, 0], 2, 2), T([0.6f, 0.4f, 0.4f, 0.6f], 2, 2));
        Near([0.330, 0.206], values, 2e-3, "function docstring");
        // keras.losses.BinaryFocalCrossentropy docstring, from logits, with and without class balancing.
        var t1 = T([0, 1, 0, 0], 4);
        var p1 = T([-18.6f, 0.51f, 2.94f, -12.8f], 4);
        Assert.AreEqual(0.691, new BinaryFocalCrossentropy(gamma: 2, fromLogits: true).Compute(t1, p1).Item(), 1e-3);
        Assert.AreEqual(0.51, new BinaryFocalCrossentropy(applyClassBalancing: true, gamma: 2, fromLogits: true).Compute(t1, p1).Item(), 1e-3);
        var t2 = T([0, 1, 0, 0], 2, 2);
        var p2 = T([-18.6f, 0.51f, 2.94f, -12.8f], 2, 2);
        Assert.AreEqual(0.647, new BinaryFocalCrossentropy(gamma: 3, fromLogits: true).Compute(t2, p2).Item(), 1e-3);
        Assert.AreEqual(0.482, new BinaryFocalCrossentropy(applyClassBalancing: true, gamma: 3, fromLogits: true).Compute(t2, p2).Item(), 1e-3);
        var w = T([0.8f, 0.2f], 2);
        Assert.AreEqual(0.133, new BinaryFocalCrossentropy(gamma: 3, fromLogits: true).Compute(t2, p2, w).Item(), 1e-3);
        Assert.AreEqual(0.097, new BinaryFocalCrossentropy(applyClassBalancing: true, gamma: 3, fromLogits: true).Compute(t2, p2, w).Item(), 1e-3);
        Assert.AreEqual(1.222, new BinaryFocalCrossentropy(gamma: 4, fromLogits: true, reduction: "sum").Compute(t2, p2).Item(), 1e-3);
        Assert.AreEqual(0.914, new BinaryFocalCrossentropy(applyClassBalancing: true, gamma: 4, fromLogits: true, reduction: "sum").Compute(t2, p2).Item(), 1e-3);
        Near([0.0017, 1.1561], new BinaryFocalCrossentropy(gamma: 5, fromLogits: true, reduction: null).Compute(t2, p2), 1e-4, "gamma=5 none");
        Near([0.0004, 0.8670], new BinaryFocalCrossentropy(applyClassBalancing: true, gamma: 5, fromLogits: true, reduction: null).Compute(t2, p2), 1e-4, "gamma=5 balanced none");
    }

    [TestMethod]
    public void CategoricalFocal_KerasDocstringValues()
    {
        var t = T([0, 1, 0, 0, 0, 1], 2, 3);
        var p = T([0.05f, 0.95f, 0, 0.1f, 0.8f, 0.1f], 2, 3);
        Assert.AreEqual(0.23315276, new CategoricalFocalCrossentropy().Compute(t, p).Item(), 1e-6);
        Assert.AreEqual(0.1632, new CategoricalFocalCrossentropy().Compute(t, p, T([0.3f, 0.7f], 2)).Item(), 1e-4);
        Assert.AreEqual(0.46631, new CategoricalFocalCrossentropy(reduction: "sum").Compute(t, p).Item(), 1e-5);
        Near([3.2058331e-05, 4.6627346e-01], new CategoricalFocalCrossentropy(reduction: null).Compute(t, p), 1e-6, "none");
        // keras.losses.categorical_focal_crossentropy docstring.
        Near([2.63401289e-04, 6.75912094e-01], new CategoricalFocalCrossentropy(reduction: "none").Compute(t, T([0.05f, 0.9f, 0.05f, 0.1f, 0.85f, 0.05f], 2, 3)), 1e-6, "function docstring");
    }

    [TestMethod]
    public void CosineSimilarity_KerasDocstringValues()
    {
        var values = new CosineSimilarity(reduction: "none").Compute(T([0, 1, 1, 1, 1, 1], 3, 2), T([1, 0, 1, 1, -1, -1], 3, 2));
        Near([0, -0.99999994, 0.99999994], values, 1e-7, "keras.losses.cosine_similarity docstring");
        // keras.metrics.CosineSimilarity(axis=1) docstring: the metric is the positive similarity.
        var m = ResNetKeras.Keras.Metrics.CosineSimilarity(axis: 1);
        Assert.AreEqual("cosine_similarity", m.Name);
        m.UpdateState(T([0, 1, 1, 1], 2, 2), T([1, 0, 1, 1], 2, 2));
        Assert.AreEqual(0.49999997, m.Result().Item(), 1e-7);
        m.ResetState();
        m.UpdateState(T([0, 1, 1, 1], 2, 2), T([1, 0, 1, 1], 2, 2), T([0.3f, 0.7f], 2));
        Assert.AreEqual(0.6999999, m.Result().Item(), 1e-6);
    }

    [TestMethod]
    public void MatchIndependentTorchReference()
    {
        var bt = T(BinLabels, 3, 4);
        Near(BinDefault, new BinaryFocalCrossentropy(reduction: "none").Compute(bt, T(BinProbs, 3, 4)), 1e-5, "binary default");
        Near(BinBalancedSmoothed, new BinaryFocalCrossentropy(applyClassBalancing: true, alpha: 0.3, gamma: 1.5, labelSmoothing: 0.1, reduction: "none").Compute(bt, T(BinProbs, 3, 4)), 1e-5, "binary balanced, smoothed");
        Near(BinLogitsGamma3, new BinaryFocalCrossentropy(gamma: 3, fromLogits: true, reduction: "none").Compute(bt, T(BinLogits, 3, 4)), 1e-5, "binary from logits");
        Near(BinAxis0, new BinaryFocalCrossentropy(axis: 0, reduction: "none").Compute(bt, T(BinProbs, 3, 4)), 1e-5, "binary axis 0");
        var ct = T(CatLabels, 3, 4);
        Near(CatDefault, new CategoricalFocalCrossentropy(reduction: "none").Compute(ct, T(CatProbs, 3, 4)), 1e-5, "categorical (renormalized)");
        Near(CatLogitsSmoothed, new CategoricalFocalCrossentropy(alpha: 0.5, gamma: 1, fromLogits: true, labelSmoothing: 0.2, reduction: "none").Compute(ct, T(CatLogits, 3, 4)), 1e-5, "categorical from logits, smoothed");
        Near(CatAxis0, new CategoricalFocalCrossentropy(axis: 0, reduction: "none").Compute(ct, T(CatProbs, 3, 4)), 1e-5, "categorical axis 0");
        // Row 2 of CosPred has norm 5e-8 < ε: Keras 3 divides it by ε (tf.keras's 1e-12 bound on Σx² would give 20× less).
        Near(CosLoss, new CosineSimilarity(reduction: "none").Compute(T(CosTrue, 4, 3), T(CosPred, 4, 3)), 1e-5, "cosine");
        Near(CosAxis0, new CosineSimilarity(axis: 0, reduction: "none").Compute(T(CosTrue, 4, 3), T(CosPred, 4, 3)), 1e-5, "cosine axis 0");
    }

    [TestMethod]
    public void Losses_GradientsMatchFiniteDifferences()
    {
        var rng = new RandomState(17);
        var bt = T(BinLabels, 3, 4);
        var probs = GradientChecker.Random(rng, Device, 3, 4);
        GradientChecker.Set(probs, (_, v) => 0.5f + 0.45f * v);
        foreach (var loss in new[] { new BinaryFocalCrossentropy(), new BinaryFocalCrossentropy(applyClassBalancing: true, alpha: 0.3, gamma: 1.5, labelSmoothing: 0.1), new BinaryFocalCrossentropy(gamma: 0), new BinaryFocalCrossentropy(axis: 0) })
            GradientChecker.Check(x => loss.Call(bt, x[0]), [probs], delta: 1e-3f);
        var logits = GradientChecker.Random(rng, Device, 3, 4);
        GradientChecker.Check(x => new BinaryFocalCrossentropy(gamma: 3, fromLogits: true).Call(bt, x[0]), [logits], delta: 1e-3f);

        var ct = T(CatLabels, 3, 4);
        var cprobs = GradientChecker.Random(rng, Device, 3, 4);
        GradientChecker.Set(cprobs, (_, v) => 0.5f + 0.4f * v);
        foreach (var loss in new[] { new CategoricalFocalCrossentropy(), new CategoricalFocalCrossentropy(alpha: 0.5, gamma: 1, labelSmoothing: 0.2), new CategoricalFocalCrossentropy(axis: 0) })
            GradientChecker.Check(x => loss.Call(ct, x[0]), [cprobs], delta: 1e-3f);
        GradientChecker.Check(x => new CategoricalFocalCrossentropy(fromLogits: true, labelSmoothing: 0.1).Call(ct, x[0]), [T(CatLogits, 3, 4)], delta: 1e-3f);

        var cosTrue = GradientChecker.Random(rng, Device, 3, 5);
        foreach (var loss in new[] { new CosineSimilarity(), new CosineSimilarity(axis: 0) })
            GradientChecker.Check(x => loss.Call(cosTrue, x[0]), [GradientChecker.Random(rng, Device, 3, 5)], delta: 1e-3f);
    }

    [TestMethod]
    public void DivideAndL2Normalize_GradientsMatchFiniteDifferences()
    {
        var rng = new RandomState(5);
        var a = GradientChecker.Random(rng, Device, 2, 3, 4);
        var b = GradientChecker.Random(rng, Device, 2, 3, 4);
        GradientChecker.Set(b, (_, v) => 1f + 0.5f * v);
        GradientChecker.Check(x => Op.Divide(x[0], x[1]), [a, b], delta: 1e-3f);
        Near([0.5, -2, 3], Op.Divide(T([1, -4, 3], 3), T([2, 2, 1], 3)), 0, "a / b");
        foreach (int axis in new[] { -1, 1, 0 })
            GradientChecker.Check(x => Op.L2Normalize(x[0], axis), [GradientChecker.Random(rng, Device, 2, 3, 4)], delta: 1e-3f);
        // Below the bound the map is x/ε, linear: checked with steps that stay below it.
        var tiny = T([3e-8f, -4e-8f, 1e-8f], 1, 3);
        Near([0.3, -0.4, 0.1], Op.L2Normalize(tiny), 1e-6, "x/ε below the bound");
        GradientChecker.Check(x => Op.L2Normalize(x[0]), [tiny], delta: 1e-9f);
        Near([0, 0, 0], Op.L2Normalize(T([0, 0, 0], 1, 3)), 0, "a zero vector stays zero");
        Assert.ThrowsExactly<ArgumentException>(() => Op.L2Normalize(tiny, epsilon: 0));
    }

    [TestMethod]
    public void AsMetricsByString()
    {
        var bt = T(BinLabels, 3, 4);
        var m = ResNetKeras.Keras.Metrics.Get("binary_focal_crossentropy");
        Assert.IsInstanceOfType<LossMetric>(m);
        Assert.AreEqual("binary_focal_crossentropy", m.Name);
        m.UpdateState(bt, T(BinProbs, 3, 4));
        Assert.AreEqual(BinDefault.Average(), m.Result().Item(), 1e-5);
        var c = ResNetKeras.Keras.Metrics.Get("categorical_focal_crossentropy");
        c.UpdateState(T(CatLabels, 3, 4), T(CatProbs, 3, 4));
        Assert.AreEqual(CatDefault.Average(), c.Result().Item(), 1e-5);
        // Keras's metric "cosine_similarity" (and class CosineSimilarity) is +cos; the loss of that name is −cos.
        foreach (var id in new[] { "cosine_similarity", "CosineSimilarity" })
        {
            var cos = ResNetKeras.Keras.Metrics.Get(id);
            Assert.AreEqual("cosine_similarity", cos.Name);
            cos.UpdateState(T(CosTrue, 4, 3), T(CosPred, 4, 3));
            Assert.AreEqual(-CosLoss.Average(), cos.Result().Item(), 1e-5, id);
        }
        Assert.IsInstanceOfType<CosineSimilarity>(Losses.Get("cosine_similarity"));
    }

    [TestMethod]
    public void Identifiers_ConfigsRoundTrip_AndBadArguments()
    {
        foreach (var id in new[] { "binary_focal_crossentropy", "BinaryFocalCrossentropy", "categorical_focal_crossentropy", "CategoricalFocalCrossentropy", "cosine_similarity", "CosineSimilarity" })
        {
            var loss = Losses.Get(id);
            var again = Losses.Deserialize(loss.GetType().Name, loss.GetConfig());
            CollectionAssert.AreEquivalent(loss.GetConfig().ToList(), again.GetConfig().ToList(), id);
        }
        var bf = new BinaryFocalCrossentropy(applyClassBalancing: true, alpha: 0.4, gamma: 1.5, fromLogits: true, labelSmoothing: 0.1, axis: 0, reduction: "sum", name: "bf");
        var bfConfig = bf.GetConfig();
        CollectionAssert.AreEquivalent(new[] { "name", "reduction", "from_logits", "label_smoothing", "axis", "apply_class_balancing", "alpha", "gamma" }, bfConfig.Keys.ToArray());
        var bf2 = (BinaryFocalCrossentropy)Losses.Deserialize("BinaryFocalCrossentropy", bfConfig);
        Assert.IsTrue(bf2.ApplyClassBalancing && bf2.FromLogits);
        Assert.AreEqual((0.4, 1.5, 0.1, 0, "sum", "bf"), (bf2.Alpha, bf2.Gamma, bf2.LabelSmoothing, bf2.Axis, bf2.Reduction, bf2.Name));
        var cf = new CategoricalFocalCrossentropy(alpha: 0.5, gamma: 1, fromLogits: true, labelSmoothing: 0.2, axis: 0, reduction: null, name: "cf");
        CollectionAssert.AreEquivalent(new[] { "name", "reduction", "from_logits", "label_smoothing", "axis", "alpha", "gamma" }, cf.GetConfig().Keys.ToArray());
        var cf2 = (CategoricalFocalCrossentropy)Losses.Deserialize("CategoricalFocalCrossentropy", cf.GetConfig());
        Assert.AreEqual((0.5, 1.0, true, 0.2, 0, (string?)null, "cf"), (cf2.Alpha, cf2.Gamma, cf2.FromLogits, cf2.LabelSmoothing, cf2.Axis, cf2.Reduction, cf2.Name));
        // A config as Keras 3 writes it for CosineSimilarity (no axis key) gives the default axis.
        Assert.AreEqual(-1, ((CosineSimilarity)Losses.Deserialize("CosineSimilarity", new Dictionary<string, object?> { ["name"] = "cosine_similarity", ["reduction"] = "sum_over_batch_size" })).Axis);
        Assert.AreEqual(1, ((CosineSimilarity)Losses.Deserialize("CosineSimilarity", new CosineSimilarity(axis: 1).GetConfig())).Axis);

        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new BinaryFocalCrossentropy(gamma: -1)).Message, "gamma=-1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new CategoricalFocalCrossentropy(labelSmoothing: 1.5)).Message, "label_smoothing=1.5");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new CategoricalFocalCrossentropy(alpha: double.NaN)).Message, "alpha=NaN");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new CategoricalFocalCrossentropy().Call(T([1, 0], 1, 2), T([0.5f, 0.2f, 0.3f], 1, 3))).Message, "must have the same shape");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new CosineSimilarity().Call(T([1, 0], 1, 2), T([0.5f, 0.2f, 0.3f], 1, 3))).Message, "must have the same shape");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new BinaryFocalCrossentropy(axis: 2).Call(T(BinLabels, 3, 4), T(BinProbs, 3, 4))).Message, "axis=2");
    }
}
