using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KetaCare.Pharmacology.Population;

/// <summary>
/// Streaming summaries, one output time (row of N concentrations) at a time: mean, fractions above and
/// below each threshold, exact percentiles, and per subject one bit per "stays within" target (left the
/// range inside the window). O(N) memory for the targets and O(T) for the series, never O(N × T). Rows must
/// come in time order; a row may be reordered (the percentile selection works in place).
/// </summary>
internal sealed class PopulationSummariser
{
    private readonly int _n;
    private readonly double[] _times;
    private readonly StreamingQuantiles _quantiles;
    private readonly double[] _percentiles;
    private readonly double[] _mean;
    private readonly double[] _thresholds;
    private readonly double[] _above;
    private readonly double[] _below;
    private readonly StaysWithin[] _within;

    // Per "stays within" criterion, one bit per subject: set once a value inside the window left the range
    // (a bit rather than the subject's extremes: 1.6 MiB less at 10⁵ subjects).
    private readonly ulong[] _outside;
    private readonly int _words;
    private readonly double[] _row;

    public PopulationSummariser(PopulationRequest request, int n, double[] times)
    {
        _n = n;
        _times = times;
        var t = times.Length;
        var probabilities = request.Percentiles.Select(p => p / 100.0).ToArray();
        _quantiles = new StreamingQuantiles(n, probabilities);
        _percentiles = new double[probabilities.Length * t];
        _row = new double[probabilities.Length];
        _mean = new double[t];
        _thresholds = [.. request.Thresholds.Select(c => c.MilligramsPerLiter)];
        _above = new double[_thresholds.Length * t];
        _below = new double[_thresholds.Length * t];
        _within = [.. request.Targets.OfType<StaysWithin>()];
        _words = (n + 63) / 64;
        _outside = new ulong[_within.Length * _words];
    }

    /// <summary>Summarises output row <paramref name="r"/>: the N subjects' concentrations, mg/L.</summary>
    public void Add(int r, Span<double> values)
    {
        var t = _times.Length;
        _mean[r] = Sum(values) / _n;
        for (var j = 0; j < _thresholds.Length; j++)
        {
            var (above, below) = CountAboveBelow(values, _thresholds[j]);
            _above[(j * t) + r] = (double)above / _n;
            _below[(j * t) + r] = (double)below / _n;
        }

        var time = _times[r];
        for (var j = 0; j < _within.Length; j++)
        {
            var w = _within[j];
            if (time >= w.From.Minutes && time <= w.To.Minutes)
            {
                MarkOutside(values, w.Low.MilligramsPerLiter, w.High.MilligramsPerLiter, _outside.AsSpan(j * _words, _words));
            }
        }

        // Last: the selection may reorder the row.
        _quantiles.Next(values, _row);
        for (var j = 0; j < _row.Length; j++)
        {
            _percentiles[(j * t) + r] = _row[j];
        }
    }

    /// <summary>The summary once every row is in; <paramref name="peak"/> is each subject's highest concentration, mg/L.</summary>
    public PopulationSummary Finish(PopulationRequest request, double[] peak, IReadOnlyList<EngineWarning> warnings, PopulationTimings timings)
    {
        var n = _n;
        var targets = new List<TargetResult>();
        var wi = 0;
        foreach (var criterion in request.Targets)
        {
            long count = 0;
            if (criterion is PeakAbove pa)
            {
                var threshold = pa.Threshold.MilligramsPerLiter;
                for (var i = 0; i < n; i++)
                {
                    count += peak[i] > threshold ? 1 : 0;
                }
            }
            else if (criterion is StaysWithin)
            {
                count = n;
                foreach (var word in _outside.AsSpan(wi * _words, _words))
                {
                    count -= BitOperations.PopCount(word);
                }

                wi++;
            }

            targets.Add(new TargetResult(criterion, count, (double)count / n));
        }

        return new PopulationSummary(n, request.Output, _times, [.. request.Percentiles], _percentiles, _mean, [.. request.Thresholds], _above, _below, targets, warnings, timings);
    }

    /// <summary>Selections that fell back to a full quickselect.</summary>
    public int FullSelections => _quantiles.FullSelections;

    /// <summary>Window misses that were searched again.</summary>
    public int Retries => _quantiles.Retries;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop: see SteppingKernels
    private static double Sum(ReadOnlySpan<double> values)
    {
        var acc = Vector<double>.Zero;
        var w = Vector<double>.Count;
        var i = 0;
        ref var r0 = ref MemoryMarshal.GetReference(values);
        unchecked
        {
            for (; i <= values.Length - w; i += w)
            {
                acc += Vector.LoadUnsafe(ref r0, (nuint)i);
            }
        }

        var s = Vector.Sum(acc);
        for (; i < values.Length; i++)
        {
            s += values[i];
        }

        return s;
    }

    // Compare masks are −1 where true: subtracting them counts.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop: see SteppingKernels
    private static (long Above, long Below) CountAboveBelow(ReadOnlySpan<double> values, double threshold)
    {
        var w = Vector<double>.Count;
        var c = new Vector<double>(threshold);
        var above = Vector<long>.Zero;
        var below = Vector<long>.Zero;
        var i = 0;
        ref var r0 = ref MemoryMarshal.GetReference(values);
        unchecked
        {
            for (; i <= values.Length - w; i += w)
            {
                var v = Vector.LoadUnsafe(ref r0, (nuint)i);
                above -= Vector.GreaterThan(v, c);
                below -= Vector.LessThan(v, c);
            }
        }

        long a = Vector.Sum(above), b = Vector.Sum(below);
        for (; i < values.Length; i++)
        {
            a += values[i] > threshold ? 1 : 0;
            b += values[i] < threshold ? 1 : 0;
        }

        return (a, b);
    }

    // Sets bit i when values[i] is outside [low, high] (NaN too, as !(v >= low && v <= high)). Four subjects per
    // step: their four bits never straddle a 64-bit word.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop: see SteppingKernels
    private static void MarkOutside(ReadOnlySpan<double> values, double low, double high, Span<ulong> bits)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var lo = Vector256.Create(low);
            var hi = Vector256.Create(high);
            ref var v0 = ref MemoryMarshal.GetReference(values);
            unchecked
            {
                for (; i <= values.Length - 4; i += 4)
                {
                    var v = Vector256.LoadUnsafe(ref v0, (nuint)i);
                    var inside = Vector256.GreaterThanOrEqual(v, lo) & Vector256.LessThanOrEqual(v, hi);
                    bits[i >> 6] |= (ulong)(~Vector256.ExtractMostSignificantBits(inside) & 0xFu) << (i & 63);
                }
            }
        }

        for (; i < values.Length; i++)
        {
            if (!(values[i] >= low && values[i] <= high))
            {
                bits[i >> 6] |= 1UL << (i & 63);
            }
        }
    }
}
