using ResNetKeras.Engine;

namespace ResNetKeras.Tests.Ops;

/// <summary>
/// Finite-difference gradient check: compares the tape's gradient of L = Σ f(inputs)·R (R a fixed
/// random projection, so every output element matters with its own weight) with central differences
/// of L accumulated in double. Tolerances are loose enough for float32 rounding and tight enough to
/// catch a wrong sign, a missing term or a transposed kernel (those give O(1) relative errors).
/// </summary>
internal static class GradientChecker
{
    public static Tensor Random(RandomState rng, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        for (int i = 0; i < t.Size; i++) t.Data[i] = (float)rng.Uniform(-1, 1);
        return t;
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
            projection = Random(rng, output.Shape);
            analytic = tape.Gradient(output, inputs, projection);
        }
        double Loss()
        {
            var y = f(inputs);
            double s = 0;
            for (int i = 0; i < y.Size; i++) s += (double)y.Data[i] * projection.Data[i];
            return s;
        }
        for (int t = 0; t < inputs.Length; t++)
        {
            if (checkInput is not null && !checkInput[t]) continue;
            var x = inputs[t];
            int count = Math.Min(x.Size, maxPerInput);
            var picks = x.Size <= maxPerInput ? Enumerable.Range(0, x.Size).ToArray() : rng.Permutation(x.Size)[..count];
            foreach (int i in picks)
            {
                float saved = x.Data[i];
                x.Data[i] = saved + delta;
                double up = Loss();
                x.Data[i] = saved - delta;
                double down = Loss();
                x.Data[i] = saved;
                double numeric = (up - down) / (2 * delta);
                double got = analytic[t].Data[i];
                double err = Math.Abs(got - numeric);
                Assert.IsTrue(err <= tolerance * Math.Max(1.0, Math.Abs(numeric)),
                    $"input {t} element {i}: analytic {got:G6} vs numeric {numeric:G6} (error {err:G3})");
            }
        }
    }
}
