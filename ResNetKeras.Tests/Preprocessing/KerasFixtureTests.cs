using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.Keras;
using static ResNetKeras.Tests.Preprocessing.KerasConfig;

namespace ResNetKeras.Tests.Preprocessing;

/// <summary>
/// ImageDataGenerator against the real Keras code (tools/fixtures/make_imagegen_fixtures.py): keras_preprocessing 1.1 for
/// semantics "keras_preprocessing" and Keras 2.15's in-tree class for "keras", both on SciPy 1.10 / NumPy 1.24 / PIL 9.4.
/// </summary>
[TestClass]
public sealed class KerasFixtureTests
{
    private const double Tolerance = 1e-5;

    private static string Prefix(string semantics) => semantics == "keras" ? "keras_" : "";

    [TestMethod]
    [DataRow("keras_preprocessing")]
    [DataRow("keras")]
    public void ApplyTransform_EqualsKeras_EveryCase(string semantics)
    {
        var failures = new List<string>();
        int count = 0, exact = 0;
        foreach (var c in Json("cases.json").EnumerateArray())
        {
            if (!c.GetProperty("semantics").EnumerateArray().Any(s => s.GetString() == semantics)) continue;
            string name = c.GetProperty("name").GetString()!;
            var gen = Generator(c.GetProperty("config"), semantics);
            var p = TransformParameters.FromDictionary(Params(c.GetProperty("params")));
            var x = Load($"img_{c.GetProperty("image").GetString()}.npy");
            var before = x.Float32Data.ToArray();
            var got = gen.ApplyTransform(x, p);
            double diff = MaxAbsDiff(Load($"{Prefix(semantics)}out_{name}.npy"), got, name);
            if (diff > Tolerance) failures.Add($"{name}: max abs diff {diff}");
            if (Load($"{Prefix(semantics)}out_{name}.npy").Float32Data.AsSpan().SequenceEqual(got.Float32Data)) exact++;
            CollectionAssert.AreEqual(before, x.Float32Data, $"{name}: the input must not change");
            count++;
        }
        Assert.AreEqual(0, failures.Count, string.Join("\n", failures));
        Assert.IsGreaterThanOrEqualTo(50, count);
        // Same operations in the same order as SciPy, NumPy and PIL: the outputs are bit-identical (allowing a few
        // last-bit differences should a platform's sin/cos or NumPy's BLAS round a matrix entry differently).
        Assert.IsGreaterThanOrEqualTo(count * 9 / 10, exact, $"{exact} of {count} bit-identical");
    }

    [TestMethod]
    [DataRow("keras_preprocessing")]
    [DataRow("keras")]
    public void ApplyTransform_EqualsScipy_RandomAffineSweep_EveryModeAndOrder(string semantics)
    {
        var sweep = Json("sweep.json").EnumerateArray().Select(e => TransformParameters.FromDictionary(Params(e))).ToList();
        var expected = LoadNpz($"sweep_{semantics}.npz");
        var img = Load("img_s.npy");
        var failures = new List<string>();
        int exact = 0, total = 0;
        foreach (string mode in new[] { "nearest", "constant", "reflect", "wrap" })
            for (int order = 0; order <= 1; order++)
            {
                var gen = new ImageDataGenerator(fillMode: mode, cval: -0.5, interpolationOrder: order, semantics: semantics);
                var all = expected[$"{mode}_{order}"];
                for (int i = 0; i < sweep.Count; i++)
                {
                    var want = all[i];
                    var got = gen.ApplyTransform(img, sweep[i]);
                    double diff = MaxAbsDiff(want, got, $"{mode} order {order} case {i}");
                    if (diff > Tolerance) failures.Add($"{mode} order {order} case {i}: max abs diff {diff}");
                    if (want.Float32Data.AsSpan().SequenceEqual(got.Float32Data)) exact++;
                    total++;
                }
            }
        Assert.AreEqual(0, failures.Count, string.Join("\n", failures));
        // The resampling repeats SciPy's operations in SciPy's order, so nearly every image is bit-identical (only a
        // last-bit difference in the 3x3 matrix products, where NumPy uses BLAS, can change a few).
        Assert.IsGreaterThanOrEqualTo(total * 9 / 10, exact, $"{exact} of {total} bit-identical");
    }

    [TestMethod]
    [DataRow("keras_preprocessing")]
    [DataRow("keras")]
    public void GetRandomTransform_EqualsKerasDrawsExactly(string semantics)
    {
        int count = 0;
        foreach (var r in Json("random.json").EnumerateArray())
        {
            if (r.GetProperty("semantics").GetString() != semantics) continue;
            var gen = Generator(r.GetProperty("config"), semantics);
            uint seed = r.GetProperty("seed").GetUInt32();
            int[] shape = r.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var got = gen.GetRandomTransform(shape, seed);
            var e = r.GetProperty("params");
            string ctx = $"{r.GetProperty("label").GetString()} seed {seed}";
            Assert.AreEqual(e.GetProperty("theta").GetDouble(), got.Theta, 0.0, ctx + " theta");
            Assert.AreEqual(e.GetProperty("tx").GetDouble(), got.Tx, 0.0, ctx + " tx");
            Assert.AreEqual(e.GetProperty("ty").GetDouble(), got.Ty, 0.0, ctx + " ty");
            Assert.AreEqual(e.GetProperty("shear").GetDouble(), got.Shear, 0.0, ctx + " shear");
            Assert.AreEqual(e.GetProperty("zx").GetDouble(), got.Zx, 0.0, ctx + " zx");
            Assert.AreEqual(e.GetProperty("zy").GetDouble(), got.Zy, 0.0, ctx + " zy");
            Assert.AreEqual(e.GetProperty("flip_horizontal").GetDouble() != 0, got.FlipHorizontal, ctx + " flip_horizontal");
            Assert.AreEqual(e.GetProperty("flip_vertical").GetDouble() != 0, got.FlipVertical, ctx + " flip_vertical");
            Assert.AreEqual(Nullable(e.GetProperty("channel_shift_intensity")), got.ChannelShiftIntensity, ctx + " channel_shift_intensity");
            Assert.AreEqual(Nullable(e.GetProperty("brightness")), got.Brightness, ctx + " brightness");
            count++;
        }
        Assert.IsGreaterThanOrEqualTo(42, count);
    }

    private static double? Nullable(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

    [TestMethod]
    [DataRow("keras_preprocessing")]
    [DataRow("keras")]
    public void FitAndStandardize_EqualKeras(string semantics)
    {
        var fitX = Load("std_fit.npy");
        var x = Load("std_x.npy");
        var failures = new List<string>();
        foreach (var c in Json("std_cases.json").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            Func<NDArray, NDArray>? pre = c.TryGetProperty("preprocessing", out _) ? a => a * 2.0 - 0.5 : null;
            var gen = Generator(c.GetProperty("config"), semantics, pre);
            var fx = fitX;
            var sx = x;
            if (c.TryGetProperty("channels_first", out _))
            {
                fx = fitX.Transpose(0, 3, 1, 2).Copy();
                sx = x.Transpose(0, 3, 1, 2).Copy();
            }
            if (c.TryGetProperty("fit", out var f))
                gen.Fit(fx, augment: f.GetProperty("augment").GetBoolean(), rounds: f.GetProperty("rounds").GetInt32(), seed: f.GetProperty("seed").GetUInt32());
            else gen.Fit(fx);
            var expected = LoadNpz($"std_{semantics}_{name}.npz");
            var outs = Enumerable.Range(0, sx.IntShape[0]).Select(i =>
            {
                var s = gen.Standardize(sx[i]);
                return s.Reshape([1, .. s.IntShape]);
            }).ToList();
            void Compare(string key, NDArray? got)
            {
                if (!expected.TryGetValue(key, out var want))
                {
                    if (got is not null) failures.Add($"{name}: Keras computed no {key}");
                    return;
                }
                if (got is null)
                {
                    failures.Add($"{name}: {key} missing");
                    return;
                }
                double diff = MaxAbsDiff(want, got.AsType(DType.Float32), $"{name} {key}");
                if (diff > Tolerance) failures.Add($"{name} {key}: max abs diff {diff}");
            }
            Compare("out", ND.Concatenate(outs, 0));
            Compare("mean", gen.Mean);
            Compare("std", gen.Std);
            Compare("pc", gen.PrincipalComponents);
        }
        Assert.AreEqual(0, failures.Count, string.Join("\n", failures));
    }

    [TestMethod]
    [DataRow("keras_preprocessing")]
    [DataRow("keras")]
    public void Flow_InOrderBatches_EqualKerasNumpyArrayIterator(string semantics)
    {
        var spec = Json("flow_cases.json");
        var arrays = LoadNpz($"flow_{semantics}.npz");
        var config = spec.GetProperty("config");
        int checkedBatches = 0;
        foreach (var c in spec.GetProperty("cases").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            var f = c.GetProperty("flow");
            var gen = Generator(config, semantics);
            var it = gen.Flow(arrays["x"], arrays["y"], batchSize: f.GetProperty("batch_size").GetInt32(), shuffle: f.GetProperty("shuffle").GetBoolean(),
                sampleWeight: arrays["w"], seed: f.GetProperty("seed").GetUInt32(), subset: f.TryGetProperty("subset", out var s) ? s.GetString() : null);
            for (int epoch = 0; epoch < c.GetProperty("epochs").GetInt32(); epoch++)
            {
                Assert.IsTrue(arrays.ContainsKey($"{name}_e{epoch}_b{it.Count - 1}_x"), $"{name}: Keras had {it.Count} batches");
                Assert.IsFalse(arrays.ContainsKey($"{name}_e{epoch}_b{it.Count}_x"), $"{name}: Keras had more than {it.Count} batches");
                for (int b = 0; b < it.Count; b++)
                {
                    var (bx, by, bw) = it.GetItemWithSampleWeight(b);
                    string key = $"{name}_e{epoch}_b{b}";
                    double diff = MaxAbsDiff(arrays[key + "_x"], bx, key);
                    Assert.IsLessThanOrEqualTo(Tolerance, diff, $"{key}: images differ by {diff}");
                    CollectionAssert.AreEqual(arrays[key + "_y"].Float32Data, by!.Float32Data, key + " labels");
                    // Keras slices x and y for a subset but not sample_weight, so its training batches carry the weights of
                    // the wrong samples (w[k] for subset sample k). Here the weights follow their samples: w[split + k].
                    var kerasW = arrays[key + "_w"].Float32Data;
                    var allW = arrays["w"].Float32Data;
                    int offset = name == "training" ? (int)(10 * gen.ValidationSplit) : 0;
                    var expectedW = kerasW.Select(v => allW[Array.IndexOf(allW, v) + offset]).ToArray();
                    CollectionAssert.AreEqual(expectedW, bw!.Float32Data, key + " sample weights");
                    checkedBatches++;
                }
                it.OnEpochEnd();
            }
        }
        Assert.IsGreaterThanOrEqualTo(20, checkedBatches);
    }
}
