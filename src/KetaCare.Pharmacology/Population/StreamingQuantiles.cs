using System.Numerics;
using System.Runtime.InteropServices;

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
    private double[]? _scratch;
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

    /// <summary>Row × percentile cases where the first window missed and a wider one was tried.</summary>
    public int Retries { get; private set; }

    /// <summary>Computes the percentiles of one row into <paramref name="result"/> (one per probability).</summary>
    public void Next(ReadOnlySpan<double> row, Span<double> result)
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
            Span<double> half = stackalloc double[p];
            Span<int> pending = stackalloc int[p];
            for (var j = 0; j < p; j++)
            {
                pred[j] = (2 * _q1[j]) - _q2[j];

                // Wide enough for the recent prediction errors and for ~24 ranks either side.
                var ranks = _density[j] > 0 ? 24 / _density[j] : 4 * _gap[j];
                half[j] = (3 * _err[j]) + ranks + (1e-12 * Math.Abs(pred[j]));
                lo[j] = pred[j] - half[j];
                hi[j] = pred[j] + half[j];
                pending[j] = j;
            }

            Span<long> below = stackalloc long[p];
            Span<int> count = stackalloc int[p];
            var left = p;
            for (var attempt = 0; attempt < 4 && left > 0; attempt++)
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
                        // Missed (a kink, or an unusually large step): widen around the prediction and retry.
                        Retries++;
                        half[j] *= c > _capacity ? 0.25 : 8;
                        if (c > _capacity)
                        {
                            // Too many candidates: centre on the side that holds rank k.
                            var mid = below[j] + (c / 2);
                            pred[j] = k < mid ? lo[j] + half[j] : hi[j] - half[j];
                        }

                        lo[j] = pred[j] - half[j];
                        hi[j] = pred[j] + half[j];
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

    private void Gather(ReadOnlySpan<double> row, ReadOnlySpan<int> js, ReadOnlySpan<double> lo, ReadOnlySpan<double> hi, Span<long> below, Span<int> count)
    {
        var p = js.Length;
        var w = Vector<double>.Count;
        Span<Vector<double>> vlo = stackalloc Vector<double>[p];
        Span<Vector<double>> vhi = stackalloc Vector<double>[p];
        Span<Vector<long>> acc = stackalloc Vector<long>[p];
        Span<double> slo = stackalloc double[p];
        Span<double> shi = stackalloc double[p];
        Span<int> cnt = stackalloc int[p];
        Span<long> bel = stackalloc long[p];
        for (var q = 0; q < p; q++)
        {
            slo[q] = lo[js[q]];
            shi[q] = hi[js[q]];
            vlo[q] = new Vector<double>(slo[q]);
            vhi[q] = new Vector<double>(shi[q]);
            acc[q] = Vector<long>.Zero;
            cnt[q] = 0;
            bel[q] = 0;
        }

        ref var r0 = ref MemoryMarshal.GetReference(row);
        var i = 0;
        unchecked
        {
            for (; i <= row.Length - w; i += w)
            {
                var v = Vector.LoadUnsafe(ref r0, (nuint)i);
                var any = Vector<long>.Zero;
                for (var q = 0; q < p; q++)
                {
                    var lt = Vector.LessThan(v, vlo[q]);
                    acc[q] -= lt;
                    any |= Vector.AndNot(Vector.LessThanOrEqual(v, vhi[q]), lt);
                }

                if (any != Vector<long>.Zero)
                {
                    for (var l = 0; l < w; l++)
                    {
                        Collect(row[i + l], js, slo, shi, cnt);
                    }
                }
            }

            for (; i < row.Length; i++)
            {
                var x = row[i];
                for (var q = 0; q < p; q++)
                {
                    if (x < slo[q])
                    {
                        bel[q]++;
                    }
                }

                Collect(x, js, slo, shi, cnt);
            }

            for (var q = 0; q < p; q++)
            {
                below[js[q]] = bel[q] + Vector.Sum(acc[q]);
                count[js[q]] = cnt[q];
            }
        }
    }

    private void Collect(double x, ReadOnlySpan<int> js, ReadOnlySpan<double> lo, ReadOnlySpan<double> hi, Span<int> count)
    {
        for (var q = 0; q < js.Length; q++)
        {
            if (x >= lo[q] && x <= hi[q])
            {
                var c = count[q];
                if (c < _capacity)
                {
                    _candidates[js[q]][c] = x;
                }

                count[q] = c + 1;
            }
        }
    }

    private double Full(ReadOnlySpan<double> row, int j, out double gap)
    {
        FullSelections++;
        _scratch ??= new double[_n];
        var s = _scratch.AsSpan(0, _n);
        row[.._n].CopyTo(s);
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
