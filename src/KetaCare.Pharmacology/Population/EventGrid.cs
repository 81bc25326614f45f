using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Population;

/// <summary>
/// The grid the population is stepped on: the output times plus every dosing breakpoint, as segments
/// with a step-length index, the rate slots active during each, the boluses at each end, and the output
/// row each segment ends on. Shared by every subject (all subjects have the same dosing times).
/// </summary>
internal sealed class EventGrid
{
    // More distinct step lengths would mean a propagator per step length per subject for little gain.
    private const int MaxStepLengths = 64;

    private EventGrid(double[] stepLengths, int[] segH, int[] segActiveStart, int[] segBoluses, int[] segRow, int[] activeList, int[] bolusList, int[] initialBoluses, int[] rowLastSegment)
    {
        StepLengths = stepLengths;
        SegH = segH;
        SegActiveStart = segActiveStart;
        SegBoluses = segBoluses;
        SegRow = segRow;
        ActiveList = activeList;
        BolusList = bolusList;
        InitialBoluses = initialBoluses;
        RowLastSegment = rowLastSegment;
    }

    /// <summary>Distinct step lengths, min; a segment's <see cref="SegH"/> indexes them.</summary>
    public double[] StepLengths { get; }

    /// <summary>Segment → step-length index.</summary>
    public int[] SegH { get; }

    /// <summary>Segment → first entry of <see cref="ActiveList"/> (one past the last segment closes the list).</summary>
    public int[] SegActiveStart { get; }

    /// <summary>Segment → first entry of <see cref="BolusList"/> given at the segment's end.</summary>
    public int[] SegBoluses { get; }

    /// <summary>Segment → output row it ends on, or −1.</summary>
    public int[] SegRow { get; }

    /// <summary>Rate slots active during each segment, concatenated.</summary>
    public int[] ActiveList { get; }

    /// <summary>Bolus slots given at each segment's end, concatenated.</summary>
    public int[] BolusList { get; }

    /// <summary>Bolus slots given at time 0 (before row 0).</summary>
    public int[] InitialBoluses { get; }

    /// <summary>Output row → the segment that ends on it.</summary>
    public int[] RowLastSegment { get; }

    public static ParseResult<EventGrid> Build(double[] times, (double Start, double End, int State)[] rates, (double Time, int State)[] boluses)
    {
        var horizon = times[^1];
        var step = times.Length > 1 ? times[1] - times[0] : 1;

        // Dosing breakpoints within 1e-9 steps of an output time are taken as that time.
        double Snap(double t)
        {
            var k = Math.Round(t / step);
            var g = k * step;
            return k >= 0 && k < times.Length && Math.Abs(t - times[(int)k]) <= 1e-9 * step ? times[(int)k] : (Math.Abs(t - g) <= 1e-9 * step ? g : t);
        }

        var snappedRates = rates.Select(r => (Start: Snap(r.Start), End: Snap(r.End))).ToArray();
        var snappedBoluses = boluses.Select(b => Snap(b.Time)).ToArray();
        var events = new SortedSet<double>(times);
        foreach (var (start, end) in snappedRates)
        {
            if (start > 0 && start <= horizon)
            {
                events.Add(start);
            }

            if (end > 0 && end <= horizon)
            {
                events.Add(end);
            }
        }

        foreach (var t in snappedBoluses)
        {
            if (t > 0 && t <= horizon)
            {
                events.Add(t);
            }
        }

        var e = events.ToArray();
        var segs = e.Length - 1;
        var segH = new int[segs];
        var segActiveStart = new int[segs + 1];
        var segBoluses = new int[segs + 1];
        var segRow = new int[segs];
        var rowLastSegment = new int[times.Length];
        var hs = new List<double>();
        var active = new List<int>();
        var bolusList = new List<int>();
        var row = 1;
        for (var k = 0; k < segs; k++)
        {
            var h = e[k + 1] - e[k];
            var hi = hs.FindIndex(x => Math.Abs(x - h) <= 1e-12 * Math.Max(x, h));
            if (hi < 0)
            {
                hs.Add(h);
                hi = hs.Count - 1;
                if (hs.Count > MaxStepLengths)
                {
                    return ParseResult<EventGrid>.Fail("regimen: its dosing times split the output grid into too many different step lengths; align doses with the output step.");
                }
            }

            segH[k] = hi;
            segActiveStart[k] = active.Count;
            for (var slot = 0; slot < snappedRates.Length; slot++)
            {
                if (snappedRates[slot].Start <= e[k] && snappedRates[slot].End > e[k])
                {
                    active.Add(slot);
                }
            }

            segBoluses[k] = bolusList.Count;
            for (var slot = 0; slot < snappedBoluses.Length; slot++)
            {
                if (snappedBoluses[slot] == e[k + 1])
                {
                    bolusList.Add(slot);
                }
            }

            if (row < times.Length && times[row] == e[k + 1])
            {
                segRow[k] = row;
                rowLastSegment[row] = k;
                row++;
            }
            else
            {
                segRow[k] = -1;
            }
        }

        segActiveStart[segs] = active.Count;
        segBoluses[segs] = bolusList.Count;
        int[] initial = [.. Enumerable.Range(0, snappedBoluses.Length).Where(b => snappedBoluses[b] <= 0)];
        return ParseResult<EventGrid>.Ok(new EventGrid([.. hs], segH, segActiveStart, segBoluses, segRow, [.. active], [.. bolusList], initial, rowLastSegment));
    }
}
