namespace KetaCare.Pharmacology.Solvers;

/// <summary>
/// Dense matrix exponential by scaling and squaring with the [13/13] Padé approximant (Higham 2005,
/// SIAM J Matrix Anal Appl 26:1179, Algorithm 2.3), with the lower-degree approximants for small norms.
/// Matrices are square, row-major <c>double[n*n]</c>.
/// </summary>
internal static class MatrixExponential
{
    // Higham 2005, Table 2.3: θ_m for m = 3, 5, 7, 9, 13.
    private static readonly double[] Theta = [1.495585217958292e-2, 2.539398330063230e-1, 9.504178996162932e-1, 2.097847961257068e0, 5.371920351148152e0];

    private static readonly double[] B13 =
    [
        64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
        10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
    ];

    private static readonly double[][] BLow =
    [
        [120, 60, 12, 1],
        [30240, 15120, 3360, 420, 30, 1],
        [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
        [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
    ];

    /// <summary>Returns e^A for a square row-major matrix of order <paramref name="n"/>.</summary>
    public static double[] Compute(int n, ReadOnlySpan<double> a)
    {
        var norm = OneNorm(n, a);
        for (var i = 0; i < 4; i++)
        {
            if (norm <= Theta[i])
            {
                return PadeLow(n, a.ToArray(), BLow[i]);
            }
        }

        var s = Math.Max(0, (int)Math.Ceiling(Math.Log2(norm / Theta[4])));
        var scaled = a.ToArray();
        if (s > 0)
        {
            var f = Math.ScaleB(1.0, -s);
            for (var i = 0; i < scaled.Length; i++)
            {
                scaled[i] *= f;
            }
        }

        var result = Pade13(n, scaled);
        var tmp = new double[n * n];
        for (var k = 0; k < s; k++)
        {
            Multiply(n, result, result, tmp);
            (result, tmp) = (tmp, result);
        }

        return result;
    }

    private static double[] PadeLow(int n, double[] a, double[] b)
    {
        var nn = n * n;
        var a2 = new double[nn];
        Multiply(n, a, a, a2);
        var u = new double[nn];
        var v = new double[nn];
        var power = Identity(n);
        var next = new double[nn];
        var m = b.Length - 1;
        for (var k = 0; k <= m; k += 2)
        {
            // power = A^(k) (even); U accumulates b[k+1] A^k, V accumulates b[k] A^k.
            for (var i = 0; i < nn; i++)
            {
                v[i] += b[k] * power[i];
                if (k + 1 <= m)
                {
                    u[i] += b[k + 1] * power[i];
                }
            }

            if (k + 2 <= m)
            {
                Multiply(n, power, a2, next);
                (power, next) = (next, power);
            }
        }

        var au = new double[nn];
        Multiply(n, a, u, au);
        return SolvePade(n, au, v);
    }

    private static double[] Pade13(int n, double[] a)
    {
        var nn = n * n;
        var a2 = new double[nn];
        var a4 = new double[nn];
        var a6 = new double[nn];
        Multiply(n, a, a, a2);
        Multiply(n, a2, a2, a4);
        Multiply(n, a4, a2, a6);
        var b = B13;
        var t = new double[nn];
        for (var i = 0; i < nn; i++)
        {
            t[i] = (b[13] * a6[i]) + (b[11] * a4[i]) + (b[9] * a2[i]);
        }

        var u = new double[nn];
        Multiply(n, a6, t, u);
        for (var i = 0; i < nn; i++)
        {
            u[i] += (b[7] * a6[i]) + (b[5] * a4[i]) + (b[3] * a2[i]);
        }

        for (var i = 0; i < n; i++)
        {
            u[(i * n) + i] += b[1];
        }

        var au = new double[nn];
        Multiply(n, a, u, au);
        for (var i = 0; i < nn; i++)
        {
            t[i] = (b[12] * a6[i]) + (b[10] * a4[i]) + (b[8] * a2[i]);
        }

        var v = new double[nn];
        Multiply(n, a6, t, v);
        for (var i = 0; i < nn; i++)
        {
            v[i] += (b[6] * a6[i]) + (b[4] * a4[i]) + (b[2] * a2[i]);
        }

        for (var i = 0; i < n; i++)
        {
            v[(i * n) + i] += b[0];
        }

        return SolvePade(n, au, v);
    }

    // e^A ≈ (V − U)⁻¹ (V + U) with U the odd part (already multiplied by A) and V the even part.
    private static double[] SolvePade(int n, double[] u, double[] v)
    {
        var nn = n * n;
        var p = new double[nn];
        var q = new double[nn];
        for (var i = 0; i < nn; i++)
        {
            p[i] = v[i] + u[i];
            q[i] = v[i] - u[i];
        }

        LinearSolve(n, q, p, n);
        return p;
    }

    /// <summary>Solves Q X = B in place (B becomes X) by LU with partial pivoting; Q is destroyed.</summary>
    internal static void LinearSolve(int n, double[] q, double[] b, int columns)
    {
        for (var k = 0; k < n; k++)
        {
            var pivot = k;
            var best = Math.Abs(q[(k * n) + k]);
            for (var i = k + 1; i < n; i++)
            {
                var v = Math.Abs(q[(i * n) + k]);
                if (v > best)
                {
                    best = v;
                    pivot = i;
                }
            }

            if (best == 0)
            {
                throw new InvalidOperationException("Singular matrix in the Padé solve; the compartment system is not well formed.");
            }

            if (pivot != k)
            {
                for (var j = 0; j < n; j++)
                {
                    (q[(k * n) + j], q[(pivot * n) + j]) = (q[(pivot * n) + j], q[(k * n) + j]);
                }

                for (var j = 0; j < columns; j++)
                {
                    (b[(k * columns) + j], b[(pivot * columns) + j]) = (b[(pivot * columns) + j], b[(k * columns) + j]);
                }
            }

            var d = q[(k * n) + k];
            for (var i = k + 1; i < n; i++)
            {
                var f = q[(i * n) + k] / d;
                if (f == 0)
                {
                    continue;
                }

                for (var j = k; j < n; j++)
                {
                    q[(i * n) + j] -= f * q[(k * n) + j];
                }

                for (var j = 0; j < columns; j++)
                {
                    b[(i * columns) + j] -= f * b[(k * columns) + j];
                }
            }
        }

        for (var k = n - 1; k >= 0; k--)
        {
            var d = q[(k * n) + k];
            for (var j = 0; j < columns; j++)
            {
                var s = b[(k * columns) + j];
                for (var i = k + 1; i < n; i++)
                {
                    s -= q[(k * n) + i] * b[(i * columns) + j];
                }

                b[(k * columns) + j] = s / d;
            }
        }
    }

    internal static void Multiply(int n, double[] a, double[] b, double[] c)
    {
        Array.Clear(c);
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < n; k++)
            {
                var aik = a[(i * n) + k];
                if (aik == 0)
                {
                    continue;
                }

                for (var j = 0; j < n; j++)
                {
                    c[(i * n) + j] += aik * b[(k * n) + j];
                }
            }
        }
    }

    internal static double[] Identity(int n)
    {
        var m = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            m[(i * n) + i] = 1;
        }

        return m;
    }

    private static double OneNorm(int n, ReadOnlySpan<double> a)
    {
        var best = 0.0;
        for (var j = 0; j < n; j++)
        {
            var s = 0.0;
            for (var i = 0; i < n; i++)
            {
                s += Math.Abs(a[(i * n) + j]);
            }

            best = Math.Max(best, s);
        }

        return best;
    }
}
