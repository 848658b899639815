using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Preprocessing;

/// <summary>The ZCA eigen-solver: A·V = V·Λ, VᵀV = I, eigenvalues descending, on random and degenerate matrices.</summary>
[TestClass]
public sealed class SymmetricEigenTests
{
    private static void Check(double[] a, int n, string context)
    {
        var (values, v) = SymmetricEigen.Decompose(a, n);
        double norm = Math.Max(1e-300, a.Max(Math.Abs));
        for (int k = 0; k + 1 < n; k++) Assert.IsTrue(values[k] >= values[k + 1], $"{context}: descending");
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++)
            {
                double av = 0;
                for (int j = 0; j < n; j++) av += a[i * n + j] * v[j * n + k];
                Assert.AreEqual(values[k] * v[i * n + k], av, 1e-11 * norm * n, $"{context}: (A·V)[{i}, {k}]");
            }
        for (int k = 0; k < n; k++)
            for (int l = 0; l < n; l++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += v[i * n + k] * v[i * n + l];
                Assert.AreEqual(k == l ? 1.0 : 0.0, dot, 1e-12 * n, $"{context}: VᵀV[{k}, {l}]");
            }
    }

    private static double[] RandomSymmetric(int n, uint seed)
    {
        var rng = new RandomState(seed);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.StandardNormal();
        return a;
    }

    [TestMethod]
    public void RandomMatrices()
    {
        foreach (int n in new[] { 1, 2, 3, 5, 12, 40 }) Check(RandomSymmetric(n, (uint)n), n, $"random {n}");
    }

    [TestMethod]
    public void DegenerateMatrices()
    {
        Check(new double[16], 4, "zero");
        var identity = new double[9];
        for (int i = 0; i < 3; i++) identity[i * 3 + i] = 2;
        Check(identity, 3, "2·I");
        // Rank one: u·uᵀ has eigenvalues (|u|², 0, 0, 0).
        double[] u = [1, 2, -1, 0.5];
        var rank1 = new double[16];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) rank1[i * 4 + j] = u[i] * u[j];
        Check(rank1, 4, "rank one");
        Assert.AreEqual(6.25, SymmetricEigen.Decompose(rank1, 4).Values[0], 1e-12);
        // A covariance of few samples: many zero eigenvalues.
        var rng = new RandomState(9);
        var x = new double[3 * 10];
        for (int i = 0; i < x.Length; i++) x[i] = rng.StandardNormal();
        var cov = new double[100];
        for (int s = 0; s < 3; s++) for (int i = 0; i < 10; i++) for (int j = 0; j < 10; j++) cov[i * 10 + j] += x[s * 10 + i] * x[s * 10 + j] / 3;
        Check(cov, 10, "covariance of 3 samples");
        var diag = new double[9];
        diag[0] = 1; diag[4] = 3; diag[8] = -2;
        CollectionAssert.AreEqual(new double[] { 3, 1, -2 }, SymmetricEigen.Decompose(diag, 3).Values);
    }

    [TestMethod]
    public void BadInput_IsRefused()
    {
        Assert.ThrowsExactly<ArgumentException>(() => SymmetricEigen.Decompose(new double[5], 2));
        Assert.ThrowsExactly<ArgumentException>(() => SymmetricEigen.Decompose([double.NaN], 1));
    }
}
