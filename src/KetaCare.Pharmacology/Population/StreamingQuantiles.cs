using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KetaCare.Pharmacology.Population;

/// <summary>
/// Exact percentiles of a sequence of rows (one row = the N subjects' values at one output time), R
/// type 7 / NumPy "linear": with h = p·(N − 1), k = ⌊h⌋, q = x₍ₖ₎ + (h − k)·(x₍ₖ₊₁₎ − x₍ₖ₎) (order
/// statistics from 0). Rows change slowly in time, so the order statistics of the next row are searched
/// in a narrow value window predicted from the last rows: one pass counts the values below the window
/// and collects those inside it, and only those few are sorted. When the window misses (a kink such as
/// the end of an infusion), a full selection on the row gives the same exact answer. Memory O(N) for one
/// row, never O(N × rows). Not thread-safe: one instance per summary.
/// </summary>
internal sealed class StreamingQuantiles
{
    private readonly int _n;
    private readonly long[] _k;
    private readonly double[] _f;
    private readonly double[] _q1, _q2, _err, _gap, _density;
    private readonly double[][] _candidates;
    private readonly int _capacity;
    private int _rows;

    /// <param name="n">Values per row (≥ 1).</param>
    /// <param name="probabilities">Probabilities in [0, 1].</param>
    public StreamingQuantiles(int n, ReadOnlySpan<double> probabilities)
    {
        _n = n;
        var p = probabilities.Length;
        _k = new long[p];
        _f = new double[p];
        for (var j = 0; j < p; j++)
        {
            var h = probabilities[j] * (n - 1);
            _k[j] = (long)Math.Floor(h);
            _f[j] = h - _k[j];
        }

        _q1 = new double[p];
        _q2 = new double[p];
        _err = new double[p];
        _gap = new double[p];
        _density = new double[p];
        _capacity = Math.Min(n, 1024 + (n / 16));
        _candidates = new double[p][];
        for (var j = 0; j < p; j++)
        {
            _candidates[j] = new double[_capacity];
        }
    }

    /// <summary>Row × percentile cases where no window held the order statistics and a full selection ran.</summary>
    public int FullSelections { get; private set; }

    /// <summary>Candidates selected from in all (diagnostic).</summary>
    public long Candidates { get; private set; }

    /// <summary>Row × percentile cases where the first window missed and a wider one was tried.</summary>
    public int Retries { get; private set; }

    /// <summary>
    /// Computes the percentiles of one row into <paramref name="result"/> (one per probability). The row may be
    /// reordered (a full selection works in place); its values are kept.
    /// </summary>
    public void Next(Span<double> row, Span<double> result)
    {
        var p = _k.Length;
        if (_rows < 2)
        {
            for (var j = 0; j < p; j++)
            {
                result[j] = Full(row, j, out _gap[j]);
                _density[j] = 0;
            }
        }
        else
        {
            Span<double> lo = stackalloc double[p];
            Span<double> hi = stackalloc double[p];
            Span<double> pred = stackalloc double[p];
            Span<int> pending = stackalloc int[p];
            Span<double> width = stackalloc double[p];
            Span<double> bl = stackalloc double[p];
            Span<double> bu = stackalloc double[p];
            for (var j = 0; j < p; j++)
            {
                pred[j] = (2 * _q1[j]) - _q2[j];

                // Wide enough for the recent prediction errors and for ~24 ranks either side.
                var ranks = _density[j] > 0 ? 24 / _density[j] : 4 * _gap[j];
                var half = (3 * _err[j]) + ranks + (1e-12 * Math.Abs(pred[j]));
                width[j] = 2 * half;
                bl[j] = double.NegativeInfinity;
                bu[j] = double.PositiveInfinity;
                lo[j] = pred[j] - half;
                hi[j] = pred[j] + half;
                pending[j] = j;
            }

            Span<long> below = stackalloc long[p];
            Span<int> count = stackalloc int[p];
            var left = p;
            for (var attempt = 0; attempt < 16 && left > 0; attempt++)
            {
                var js = pending[..left];
                Gather(row, js, lo, hi, below, count);
                var still = 0;
                foreach (var j in js)
                {
                    var k = _k[j];
                    var k1 = k + 1 < _n ? k + 1 : k;
                    var c = count[j];
                    if (c <= _capacity && below[j] <= k && k1 < below[j] + c)
                    {
                        Candidates += c;
                        var cand = _candidates[j].AsSpan(0, c);
                        var r = (int)(k - below[j]);
                        var a = Selection.Select(cand, r);
                        var b = a;
                        if (k1 > k)
                        {
                            b = cand[r + 1];
                            foreach (var v in cand[(r + 1)..])
                            {
                                b = v < b ? v : b;
                            }
                        }

                        _gap[j] = b - a;
                        _density[j] = hi[j] > lo[j] ? c / (hi[j] - lo[j]) : 0;
                        result[j] = a + (_f[j] * (b - a));
                    }
                    else
                    {
                        // Missed (a kink, or a jump at the start of an infusion). The counts say on which
                        // side the order statistics lie: search there with a geometrically growing window,
                        // or, when the window held too many values, a narrower one where rank k should be.
                        Retries++;

                        // Bracket [bl, bu] known to hold x₍ₖ₎ and x₍ₖ₊₁₎, narrowed by every pass.
                        if (below[j] <= k)
                        {
                            bl[j] = Math.Max(bl[j], lo[j]);
                        }
                        else
                        {
                            bu[j] = Math.Min(bu[j], lo[j]);
                        }

                        if (below[j] + c > k1)
                        {
                            bu[j] = Math.Min(bu[j], hi[j]);
                        }
                        else
                        {
                            bl[j] = Math.Max(bl[j], hi[j]);
                        }

                        double a, b;
                        if (c > _capacity && below[j] <= k && below[j] + c > k1)
                        {
                            // Too many values in the window: a narrower one where rank k should be.
                            var centre = lo[j] + ((hi[j] - lo[j]) * (k - below[j] + 0.5) / c);
                            var h = (hi[j] - lo[j]) * 0.125 * _capacity / c;
                            (a, b) = (centre - h, centre + h);
                        }
                        else if (k < below[j])
                        {
                            var d = (width[j] * Math.Pow(8, attempt + 1)) + double.Epsilon;
                            (a, b) = (lo[j] - d, lo[j]);
                        }
                        else
                        {
                            var d = (width[j] * Math.Pow(8, attempt + 1)) + double.Epsilon;
                            (a, b) = (hi[j], hi[j] + d);
                        }

                        a = Math.Max(a, bl[j]);
                        b = Math.Min(b, bu[j]);
                        lo[j] = a;
                        hi[j] = b;
                        pending[still++] = j;
                    }
                }

                left = still;
            }

            foreach (var j in pending[..left])
            {
                result[j] = Full(row, j, out _gap[j]);
            }

            for (var j = 0; j < p; j++)
            {
                // Decaying maximum of the prediction error.
                _err[j] = Math.Max(Math.Abs(result[j] - ((2 * _q1[j]) - _q2[j])), 0.5 * _err[j]);
            }
        }

        for (var j = 0; j < p; j++)
        {
            if (_rows == 1)
            {
                _err[j] = Math.Abs(result[j] - _q1[j]);
            }

            _q2[j] = _rows == 0 ? result[j] : _q1[j];
            _q1[j] = result[j];
        }

        _rows++;
    }

    internal void Gather(ReadOnlySpan<double> row, ReadOnlySpan<int> js, ReadOnlySpan<double> lo, ReadOnlySpan<double> hi, Span<long> below, Span<int> count)
    {
        // Up to three windows per pass, held in registers.
        for (var g = 0; g < js.Length; g += 3)
        {
            var group = js.Slice(g, Math.Min(3, js.Length - g));
            Gather3(row, group, lo, hi, below, count);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop: see SteppingKernels
    private void Gather3(ReadOnlySpan<double> row, ReadOnlySpan<int> js, ReadOnlySpan<double> lo, ReadOnlySpan<double> hi, Span<long> below, Span<int> count)
    {
        var p = js.Length;
        Span<double> slo = stackalloc double[3];
        Span<double> shi = stackalloc double[3];
        Span<int> cnt = stackalloc int[3];
        Span<long> bel = stackalloc long[3];
        for (var q = 0; q < 3; q++)
        {
            // Unused slots: an empty window that every value is below (counts are discarded).
            slo[q] = q < p ? lo[js[q]] : double.PositiveInfinity;
            shi[q] = q < p ? hi[js[q]] : double.NegativeInfinity;
        }

        var c0 = p > 0 ? _candidates[js[0]] : [];
        var c1 = p > 1 ? _candidates[js[1]] : [];
        var c2 = p > 2 ? _candidates[js[2]] : [];
        int n0 = 0, n1 = 0, n2 = 0;
        long b0 = 0, b1 = 0, b2 = 0;
        var i = 0;
        ref var r0 = ref MemoryMarshal.GetReference(row);
        unchecked
        {
            // Compare masks as bit fields: popcount for the counts below, set bits for the few members.
            if (SimdPaths.Wide512)
            {
                Vector512<double> lo0 = Vector512.Create(slo[0]), lo1 = Vector512.Create(slo[1]), lo2 = Vector512.Create(slo[2]);
                Vector512<double> hi0 = Vector512.Create(shi[0]), hi1 = Vector512.Create(shi[1]), hi2 = Vector512.Create(shi[2]);
                for (; i <= row.Length - 8; i += 8)
                {
                    var v = Vector512.LoadUnsafe(ref r0, (nuint)i);
                    var l0 = Vector512.LessThan(v, lo0).ExtractMostSignificantBits();
                    var l1 = Vector512.LessThan(v, lo1).ExtractMostSignificantBits();
                    var l2 = Vector512.LessThan(v, lo2).ExtractMostSignificantBits();
                    b0 += BitOperations.PopCount(l0);
                    b1 += BitOperations.PopCount(l1);
                    b2 += BitOperations.PopCount(l2);
                    var m0 = Vector512.LessThanOrEqual(v, hi0).ExtractMostSignificantBits() & ~l0;
                    var m1 = Vector512.LessThanOrEqual(v, hi1).ExtractMostSignificantBits() & ~l1;
                    var m2 = Vector512.LessThanOrEqual(v, hi2).ExtractMostSignificantBits() & ~l2;
                    if ((m0 | m1 | m2) != 0)
                    {
                        Members(row, i, m0, c0, ref n0);
                        Members(row, i, m1, c1, ref n1);
                        Members(row, i, m2, c2, ref n2);
                    }
                }
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                Vector256<double> lo0 = Vector256.Create(slo[0]), lo1 = Vector256.Create(slo[1]), lo2 = Vector256.Create(slo[2]);
                Vector256<double> hi0 = Vector256.Create(shi[0]), hi1 = Vector256.Create(shi[1]), hi2 = Vector256.Create(shi[2]);
                for (; i <= row.Length - 4; i += 4)
                {
                    var v = Vector256.LoadUnsafe(ref r0, (nuint)i);
                    var l0 = Vector256.LessThan(v, lo0).ExtractMostSignificantBits();
                    var l1 = Vector256.LessThan(v, lo1).ExtractMostSignificantBits();
                    var l2 = Vector256.LessThan(v, lo2).ExtractMostSignificantBits();
                    b0 += BitOperations.PopCount(l0);
                    b1 += BitOperations.PopCount(l1);
                    b2 += BitOperations.PopCount(l2);
                    var m0 = Vector256.LessThanOrEqual(v, hi0).ExtractMostSignificantBits() & ~l0;
                    var m1 = Vector256.LessThanOrEqual(v, hi1).ExtractMostSignificantBits() & ~l1;
                    var m2 = Vector256.LessThanOrEqual(v, hi2).ExtractMostSignificantBits() & ~l2;
                    if ((m0 | m1 | m2) != 0)
                    {
                        Members(row, i, m0, c0, ref n0);
                        Members(row, i, m1, c1, ref n1);
                        Members(row, i, m2, c2, ref n2);
                    }
                }
            }

            for (; i < row.Length; i++)
            {
                var x = row[i];
                b0 += x < slo[0] ? 1 : 0;
                b1 += x < slo[1] ? 1 : 0;
                b2 += x < slo[2] ? 1 : 0;
                Members(row, i, x >= slo[0] && x <= shi[0] ? 1u : 0u, c0, ref n0);
                Members(row, i, x >= slo[1] && x <= shi[1] ? 1u : 0u, c1, ref n1);
                Members(row, i, x >= slo[2] && x <= shi[2] ? 1u : 0u, c2, ref n2);
            }

            bel[0] = b0;
            bel[1] = b1;
            bel[2] = b2;
            cnt[0] = n0;
            cnt[1] = n1;
            cnt[2] = n2;
            for (var q = 0; q < p; q++)
            {
                below[js[q]] = bel[q];
                count[js[q]] = cnt[q];
            }
        }
    }

    // Appends row[i + lane] for every set bit; counts past the capacity without storing.
    private void Members(ReadOnlySpan<double> row, int i, ulong bits, double[] into, ref int n)
    {
        while (bits != 0)
        {
            var lane = BitOperations.TrailingZeroCount(bits);
            if (n < _capacity)
            {
                into[n] = row[i + lane];
            }

            n++;
            bits &= bits - 1;
        }
    }

    private double Full(Span<double> row, int j, out double gap)
    {
        FullSelections++;
        var s = row[.._n];
        var k = (int)_k[j];
        var a = Selection.Select(s, k);
        var b = a;
        if (k + 1 < _n)
        {
            // After selection everything right of k is ≥ a: the next order statistic is their minimum.
            b = s[k + 1];
            foreach (var v in s[(k + 1)..])
            {
                b = v < b ? v : b;
            }
        }

        gap = b - a;
        return a + (_f[j] * (b - a));
    }
}

/// <summary>In-place selection (k-th smallest) on a span.</summary>
internal static class Selection
{
    /// <summary>
    /// Rearranges <paramref name="s"/> so that s[k] is the k-th smallest (from 0), everything left of it ≤ and
    /// everything right of it ≥; returns s[k]. Quickselect with median-of-three pivots; falls back to a full
    /// sort after too many rounds, so the worst case is O(N log N). NaN is not allowed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop: see SteppingKernels
    public static double Select(Span<double> s, int k)
    {
        var left = 0;
        var right = s.Length - 1;
        var budget = 2 * (BitOperations.Log2((uint)Math.Max(1, s.Length)) + 4);
        while (right > left)
        {
            if (--budget < 0 || right - left < 16)
            {
                s[left..(right + 1)].Sort();
                return s[k];
            }

            var mid = left + ((right - left) / 2);
            if (s[mid] < s[left])
            {
                (s[mid], s[left]) = (s[left], s[mid]);
            }

            if (s[right] < s[left])
            {
                (s[right], s[left]) = (s[left], s[right]);
            }

            if (s[right] < s[mid])
            {
                (s[right], s[mid]) = (s[mid], s[right]);
            }

            var pivot = s[mid];
            var i = left;
            var j = right;
            while (i <= j)
            {
                while (s[i] < pivot)
                {
                    i++;
                }

                while (s[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (s[i], s[j]) = (s[j], s[i]);
                    i++;
                    j--;
                }
            }

            // [left, j] ≤ pivot, [i, right] ≥ pivot, (j, i) == pivot.
            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return s[k];
            }
        }

        return s[k];
    }
}
