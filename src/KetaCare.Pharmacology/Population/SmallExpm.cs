using System.Runtime.CompilerServices;
namespace KetaCare.Pharmacology.Population;

/// <summary>
/// Allocation-free matrix exponential for the small matrices of one subject's propagator: scaling and
/// squaring with a degree-14 Taylor polynomial (Horner form) on ‖A/2ˢ‖₁ ≤ 1/4, whose truncation error
/// (≤ 0.25¹⁵/15! ≈ 7e-22) is far below rounding. Used instead of the general Padé routine because it
/// runs once per subject.
/// </summary>
internal static class SmallExpm
{
    public const int MaxOrder = 16;
    private const int Degree = 14;

    /// <summary>e = exp(a), both row-major q×q (q ≤ <see cref="MaxOrder"/>); a is not modified.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop: see SteppingKernels
    public static void Compute(int q, ReadOnlySpan<double> a, Span<double> e)
    {
        unchecked
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
            Span<double> tmp = stackalloc double[qq];
            var f = Math.ScaleB(1.0, -squarings);
            for (var i = 0; i < qq; i++)
            {
                scaled[i] = a[i] * f;
            }

            // Horner: e = I + A(I + A/2(I + A/3(… (I + A/d)))).
            var inner = e[..qq];
            inner.Clear();
            for (var i = 0; i < q; i++)
            {
                inner[(i * q) + i] = 1;
            }

            for (var k = Degree; k >= 1; k--)
            {
                Multiply(q, scaled, inner, tmp);
                var inv = 1.0 / k;
                for (var i = 0; i < qq; i++)
                {
                    inner[i] = tmp[i] * inv;
                }

                for (var i = 0; i < q; i++)
                {
                    inner[(i * q) + i] += 1;
                }
            }

            for (var s = 0; s < squarings; s++)
            {
                Multiply(q, inner, inner, tmp);
                tmp.CopyTo(inner);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop: see SteppingKernels
    private static void Multiply(int q, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        unchecked
        {
            for (var i = 0; i < q; i++)
            {
                var row = a.Slice(i * q, q);
                var outRow = c.Slice(i * q, q);
                outRow.Clear();
                for (var k = 0; k < q; k++)
                {
                    var aik = row[k];
                    if (aik == 0)
                    {
                        continue;
                    }

                    var bRow = b.Slice(k * q, q);
                    for (var j = 0; j < q; j++)
                    {
                        outRow[j] += aik * bRow[j];
                    }
                }
            }
        }
    }
}
