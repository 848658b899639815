namespace ResNetKeras.Keras;

/// <summary>
/// Eigen-decomposition of a real symmetric matrix in double precision, for ZCA whitening: Householder reduction to
/// tridiagonal form, then the implicit QL algorithm with Wilkinson shifts (the classic tred2/tql2 pair). O(n³) and
/// backward stable, so it handles the (H·W·C)² covariance of real images, not only small ones.
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// Eigenvalues in descending order and the matching unit eigenvectors as the columns of a row-major n×n matrix
    /// (A = V·diag(λ)·Vᵀ). Only the lower triangle of <paramref name="a"/> is read.
    /// </summary>
    public static (double[] Values, double[] Vectors) Decompose(double[] a, int n)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (n < 0 || a.Length != (long)n * n)
            throw new ArgumentException($"SymmetricEigen: expected an {n}x{n} matrix ({(long)n * n} values); received {a.Length} values.", nameof(a));
        if (n == 0) return ([], []);
        for (int i = 0; i < a.Length; i++)
            if (!double.IsFinite(a[i]))
                throw new ArgumentException($"SymmetricEigen: the matrix has a non-finite entry ({a[i]}) at ({i / n}, {i % n}).", nameof(a));
        var v = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) v[i * n + j] = v[j * n + i] = a[i * n + j];
        var d = new double[n];
        var e = new double[n];
        // Both phases work on Vᵀ (row k = eigenvector k) so that their inner loops run along contiguous rows.
        var vt = v;
        Tridiagonalize(vt, d, e, n);
        TridiagonalQl(d, e, vt, n);
        var order = Enumerable.Range(0, n).OrderByDescending(i => d[i]).ToArray();
        var values = new double[n];
        var vectors = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            values[j] = d[order[j]];
            var column = vt.AsSpan(order[j] * n, n);
            for (int k = 0; k < n; k++) vectors[k * n + j] = column[k];
        }
        return (values, vectors);
    }

    /// <summary>
    /// Householder reduction of the symmetric matrix in <paramref name="v"/> to a tridiagonal matrix with diagonal
    /// <paramref name="d"/> and sub-diagonal <paramref name="e"/> (e[i] couples rows i−1 and i); <paramref name="v"/> ends
    /// as Vᵀ, the transpose of the accumulated orthogonal transform. The textbook algorithm reads the lower triangle
    /// column by column; here every index pair is swapped, so it reads the upper triangle row by row.
    /// </summary>
    private static void Tridiagonalize(double[] v, double[] d, double[] e, int n)
    {
        for (int j = 0; j < n; j++) d[j] = v[j * n + n - 1];
        for (int i = n - 1; i > 0; i--)
        {
            // Reflect row i's part left of the diagonal onto its last element, scaled against under/overflow.
            double scale = 0, h = 0;
            for (int k = 0; k < i; k++) scale += Math.Abs(d[k]);
            if (scale == 0)
            {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++)
                {
                    d[j] = v[j * n + i - 1];
                    v[j * n + i] = 0;
                    v[i * n + j] = 0;
                }
            }
            else
            {
                for (int k = 0; k < i; k++)
                {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                double g = Math.Sqrt(h);
                if (f > 0) g = -g;
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) e[j] = 0;
                // p = A·u / h (in e), using the lower triangle stored in v.
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    v[i * n + j] = f;
                    g = e[j] + v[j * n + j] * f;
                    for (int k = j + 1; k <= i - 1; k++)
                    {
                        g += v[j * n + k] * d[k];
                        e[k] += v[j * n + k] * f;
                    }
                    e[j] = g;
                }
                f = 0;
                for (int j = 0; j < i; j++)
                {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) e[j] -= hh * d[j];
                // A ← A − u·qᵀ − q·uᵀ on the lower triangle.
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++) v[j * n + k] -= f * e[k] + g * d[k];
                    d[j] = v[j * n + i - 1];
                    v[j * n + i] = 0;
                }
            }
            d[i] = h;
        }
        // Accumulate the reflections into v.
        for (int i = 0; i < n - 1; i++)
        {
            v[i * n + n - 1] = v[i * n + i];
            v[i * n + i] = 1;
            double h = d[i + 1];
            if (h != 0)
            {
                for (int k = 0; k <= i; k++) d[k] = v[(i + 1) * n + k] / h;
                for (int j = 0; j <= i; j++)
                {
                    double g = 0;
                    for (int k = 0; k <= i; k++) g += v[(i + 1) * n + k] * v[j * n + k];
                    for (int k = 0; k <= i; k++) v[j * n + k] -= g * d[k];
                }
            }
            for (int k = 0; k <= i; k++) v[(i + 1) * n + k] = 0;
        }
        for (int j = 0; j < n; j++)
        {
            d[j] = v[j * n + n - 1];
            v[j * n + n - 1] = 0;
        }
        v[(n - 1) * n + n - 1] = 1;
        e[0] = 0;
    }

    /// <summary>
    /// Implicit QL iterations on the tridiagonal matrix (d, e) until every off-diagonal element is negligible; the
    /// rotations are applied to the rows of <paramref name="vt"/> (the eigenvectors, one per row).
    /// </summary>
    private static void TridiagonalQl(double[] d, double[] e, double[] vt, int n)
    {
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        double shiftSum = 0, tst1 = 0;
        const double eps = 2.220446049250313e-16;
        for (int l = 0; l < n; l++)
        {
            tst1 = Math.Max(tst1, Math.Abs(d[l]) + Math.Abs(e[l]));
            int m = l;
            while (m < n && Math.Abs(e[m]) > eps * tst1) m++;
            if (m == n) m = n - 1;
            if (m > l)
            {
                int iterations = 0;
                do
                {
                    if (++iterations > 60)
                        throw new InvalidOperationException($"SymmetricEigen: the QL iteration did not converge for eigenvalue {l} of {n}.");
                    // Wilkinson shift from the leading 2x2 block.
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Hypot(p, 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    shiftSum += h;
                    p = d[m];
                    double c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
                    double el1 = e[l + 1];
                    for (int i = m - 1; i >= l; i--)
                    {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        var vi = vt.AsSpan(i * n, n);
                        var vi1 = vt.AsSpan((i + 1) * n, n);
                        for (int k = 0; k < n; k++)
                        {
                            double x1 = vi1[k];
                            vi1[k] = s * vi[k] + c * x1;
                            vi[k] = c * vi[k] - s * x1;
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.Abs(e[l]) > eps * tst1);
            }
            d[l] += shiftSum;
            e[l] = 0;
        }
    }

    private static double Hypot(double a, double b)
    {
        a = Math.Abs(a);
        b = Math.Abs(b);
        if (a < b) (a, b) = (b, a);
        if (a == 0) return 0;
        double r = b / a;
        return a * Math.Sqrt(1 + r * r);
    }
}
