using ResNetKeras.Devices;
using ResNetKeras.Engine;

namespace ResNetKeras.Tests.Ops;

/// <summary>
/// Finite-difference gradient check: compares the tape's gradient of L = Σ f(inputs)·R (R a fixed
/// random projection, so every output element matters with its own weight) with central differences
/// of L accumulated in double. Tolerances are loose enough for float32 rounding and tight enough to
/// catch a wrong sign, a missing term or a transposed kernel (those give O(1) relative errors).
/// Inputs stay on their device: perturbations go through the device's host copies, as a user's would.
/// </summary>
internal static class GradientChecker
{
    public static Tensor Random(RandomState rng, params int[] shape) => Random(rng, DeviceRegistry.Current, shape);

    public static Tensor Random(RandomState rng, IDevice device, params int[] shape)
    {
        var values = new float[ShapeUtil.Size(shape)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)rng.Uniform(-1, 1);
        return On(device, values, shape);
    }

    /// <summary>A tensor on <paramref name="device"/> holding a copy of <paramref name="values"/>.</summary>
    public static Tensor On(IDevice device, float[] values, params int[] shape)
    {
        var s = device.Allocate(values.Length);
        device.CopyFromHost(values, s);
        return new Tensor(s, shape);
    }

    /// <summary>Rewrites a tensor's values through the host (tests shape their inputs this way).</summary>
    public static void Set(Tensor t, Func<int, float, float> value)
    {
        var host = t.ToArray();
        for (int i = 0; i < host.Length; i++) host[i] = value(i, host[i]);
        t.Device.CopyFromHost(host, t.Storage);
    }

    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, uint seed = 7, float delta = 1e-2f, double tolerance = 2e-2, int maxPerInput = 48, bool[]? checkInput = null)
    {
        var rng = new RandomState(seed);
        Tensor output;
        Tensor[] analytic;
        Tensor projection;
        using (var tape = new GradientTape())
        {
            foreach (var t in inputs) tape.Watch(t);
            output = f(inputs);
            projection = Random(rng, output.Device, output.Shape);
            analytic = tape.Gradient(output, inputs, projection);
        }
        var proj = projection.ToArray();
        double Loss()
        {
            var y = f(inputs).ToArray();
            double s = 0;
            for (int i = 0; i < y.Length; i++) s += (double)y[i] * proj[i];
            return s;
        }
        for (int t = 0; t < inputs.Length; t++)
        {
            if (checkInput is not null && !checkInput[t]) continue;
            var x = inputs[t];
            var got = analytic[t].ToArray();
            var host = x.ToArray();
            int count = Math.Min(x.Size, maxPerInput);
            var picks = x.Size <= maxPerInput ? Enumerable.Range(0, x.Size).ToArray() : rng.Permutation(x.Size)[..count];
            foreach (int i in picks)
            {
                float saved = host[i];
                host[i] = saved + delta;
                x.Device.CopyFromHost(host, x.Storage);
                double up = Loss();
                host[i] = saved - delta;
                x.Device.CopyFromHost(host, x.Storage);
                double down = Loss();
                host[i] = saved;
                x.Device.CopyFromHost(host, x.Storage);
                double numeric = (up - down) / (2 * delta);
                double err = Math.Abs(got[i] - numeric);
                Assert.IsTrue(err <= tolerance * Math.Max(1.0, Math.Abs(numeric)),
                    $"input {t} element {i} on {x.Device.Name}: analytic {got[i]:G6} vs numeric {numeric:G6} (error {err:G3})");
            }
        }
    }
}
