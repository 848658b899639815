namespace ResNetKeras.Keras;

/// <summary>Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations (for ZCA; small matrices only).</summary>
internal static class SymmetricEigen
{
    /// <summary>Returns eigenvalues and eigenvectors (columns of the row-major n×n matrix), values sorted descending as SVD orders them.</summary>
    public static (double[] Values, double[] Vectors) Decompose(double[] a, int n)
    {
        var m = (double[])a.Clone();
        var v = new double[n * n];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += m[p * n + q] * m[p * n + q];
            if (off < 1e-30) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = m[p * n + q];
                    if (Math.Abs(apq) < 1e-300) continue;
                    double theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double mkp = m[k * n + p], mkq = m[k * n + q];
                        m[k * n + p] = c * mkp - s * mkq;
                        m[k * n + q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double mpk = m[p * n + k], mqk = m[q * n + k];
                        m[p * n + k] = c * mpk - s * mqk;
                        m[q * n + k] = s * mpk + c * mqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k * n + p], vkq = v[k * n + q];
                        v[k * n + p] = c * vkp - s * vkq;
                        v[k * n + q] = s * vkp + c * vkq;
                    }
                }
        }
        var order = Enumerable.Range(0, n).OrderByDescending(i => m[i * n + i]).ToArray();
        var values = order.Select(i => Math.Max(0, m[i * n + i])).ToArray();
        var vectors = new double[n * n];
        for (int j = 0; j < n; j++)
            for (int k = 0; k < n; k++) vectors[k * n + j] = v[k * n + order[j]];
        return (values, vectors);
    }
}
