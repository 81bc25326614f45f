using System.Runtime.CompilerServices;
namespace KetaCare.Pharmacology.Population;

/// <summary>
/// Exact one-step propagators of a linear system with constant input within the step:
/// x(t + h) = Φ·x(t) + Γ·u with Φ = e^{Ah} and Γ = ∫₀ʰ e^{As} ds·E, from one Van Loan exponential
/// exp([[A, E], [0, 0]]·h) = [[Φ, Γ], [0, I]], E the input states' unit columns. Allocation-free.
/// </summary>
internal static class Propagators
{
    /// <summary>
    /// Writes subject <paramref name="i"/>'s Φ and Γ for every step length of <paramref name="stepLengths"/>
    /// into the structure-of-arrays <paramref name="phi"/> ([(h·M·M + r·M + c)·stride + i]) and
    /// <paramref name="gamma"/> ([((h·inputs + k)·M + r)·stride + i]).
    /// </summary>
    /// <param name="a">The reduced M×M system matrix, row-major, per minute.</param>
    /// <param name="m">Reduced order M.</param>
    /// <param name="inputStates">Reduced state of each input.</param>
    /// <param name="stepLengths">Distinct step lengths, min.</param>
    /// <param name="i">Subject index.</param>
    /// <param name="stride">Padded subject count.</param>
    /// <param name="phi">Φ of every subject.</param>
    /// <param name="gamma">Γ of every subject.</param>
    /// <param name="aug">Scratch of at least (M + inputs)² values.</param>
    /// <param name="exp">Scratch of at least (M + inputs)² values.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop: see SteppingKernels
    public static void Fill(ReadOnlySpan<double> a, int m, int[] inputStates, double[] stepLengths, int i, int stride, double[] phi, double[] gamma, Span<double> aug, Span<double> exp)
    {
        var ni = inputStates.Length;
        var q = m + ni;
        var mm = m * m;
        for (var h = 0; h < stepLengths.Length; h++)
        {
            var step = stepLengths[h];
            var v = aug[..(q * q)];
            v.Clear();
            for (var r = 0; r < m; r++)
            {
                for (var c = 0; c < m; c++)
                {
                    v[(r * q) + c] = a[(r * m) + c] * step;
                }
            }

            for (var k = 0; k < ni; k++)
            {
                v[(inputStates[k] * q) + m + k] = step;
            }

            SmallExpm.Compute(q, v, exp);
            for (var r = 0; r < m; r++)
            {
                for (var c = 0; c < m; c++)
                {
                    phi[(((h * mm) + (r * m) + c) * stride) + i] = exp[(r * q) + c];
                }

                for (var k = 0; k < ni; k++)
                {
                    gamma[(((((h * ni) + k) * m) + r) * stride) + i] = exp[(r * q) + m + k];
                }
            }
        }
    }
}
