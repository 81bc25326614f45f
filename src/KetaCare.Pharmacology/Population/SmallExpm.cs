namespace KetaCare.Pharmacology.Population;

/// <summary>
/// Allocation-free matrix exponential for the small matrices of one subject's propagator: scaling and
/// squaring with an order-18 Taylor polynomial on ‖A/2ˢ‖₁ ≤ 1/4 (truncation error below 1e-24 relative
/// before squaring). Used instead of the general Padé routine because it is called once per subject.
/// </summary>
internal static class SmallExpm
{
    public const int MaxOrder = 16;

    /// <summary>e = exp(a), both row-major q×q (q ≤ <see cref="MaxOrder"/>); a is not modified.</summary>
    public static void Compute(int q, ReadOnlySpan<double> a, Span<double> e)
    {
        var qq = q * q;
        var norm = 0.0;
        for (var j = 0; j < q; j++)
        {
            var s = 0.0;
            for (var i = 0; i < q; i++)
            {
                s += Math.Abs(a[(i * q) + j]);
            }

            norm = Math.Max(norm, s);
        }

        var squarings = 0;
        while (norm > 0.25)
        {
            norm *= 0.5;
            squarings++;
        }

        Span<double> scaled = stackalloc double[qq];
        Span<double> term = stackalloc double[qq];
        Span<double> tmp = stackalloc double[qq];
        var f = Math.ScaleB(1.0, -squarings);
        for (var i = 0; i < qq; i++)
        {
            scaled[i] = a[i] * f;
            term[i] = e[i] = 0;
        }

        for (var i = 0; i < q; i++)
        {
            term[(i * q) + i] = e[(i * q) + i] = 1;
        }

        for (var k = 1; k <= 18; k++)
        {
            Multiply(q, term, scaled, tmp);
            var inv = 1.0 / k;
            for (var i = 0; i < qq; i++)
            {
                term[i] = tmp[i] * inv;
                e[i] += term[i];
            }
        }

        for (var s = 0; s < squarings; s++)
        {
            Multiply(q, e, e, tmp);
            tmp.CopyTo(e);
        }
    }

    private static void Multiply(int q, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        for (var i = 0; i < q; i++)
        {
            for (var j = 0; j < q; j++)
            {
                var s = 0.0;
                for (var k = 0; k < q; k++)
                {
                    s += a[(i * q) + k] * b[(k * q) + j];
                }

                c[(i * q) + j] = s;
            }
        }
    }
}
