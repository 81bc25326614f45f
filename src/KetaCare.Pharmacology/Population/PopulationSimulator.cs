using System.Diagnostics;
using System.Globalization;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Population;

/// <summary>
/// Simulates a virtual population on an output grid and returns streaming summaries (percentile bands,
/// mean, fractions above/below thresholds, target attainment).
/// </summary>
/// <remarks>
/// Each subject's system comes from <see cref="PkModel.Build"/> with the subject's covariates and etas;
/// only the states that can influence the summarised output are kept. Every subject gets its own exact
/// propagator for each step length of the grid (x ← Φx + Γu, constant input within a step, no stepping
/// error), so the result equals <see cref="Simulator"/> run subject by subject to rounding. States are
/// kept as structure-of-arrays across subjects, advanced with SIMD across subjects in blocks of time
/// steps, in parallel over blocks of subjects. Summaries are computed one output time at a time, in a
/// fixed order, so results are bit-identical whatever the number of threads. Memory is O(N + T), never
/// O(N × T). Thread-safe: calls share nothing.
/// </remarks>
public static class PopulationSimulator
{
    // Budget for the block of output rows kept between stepping and summarising (doubles, 2 MiB), and the fewest
    // rows a block has. A kernel reads each subject's propagator and state once per block, so a block must be long
    // enough for that to be cheap: two rows while the subjects' arrays (about 200 bytes each) stay in the last-level
    // cache, eight once they are streamed from memory. At 10⁶ subjects two rows made stepping memory-bound (15 s
    // instead of 3 s); eight cost 64 MiB of rows there, while two keep 10⁵ subjects 4.8 MiB smaller.
    private const int RowBudget = 1 << 18;
    private const int MinRowsPerBlock = 2;
    private const int MinRowsPerBlockFromMemory = 8;
    private const int SubjectsBeyondCache = 1 << 18;

    // Subjects per parallel work item: large enough that a block of time steps outweighs the hand-off.
    private const int BlockSize = 2048;

    // Below a few ten thousand subjects a block of steps is too short to pay for waking workers.
    private const int ParallelSteppingFrom = 32768;

    // From here the next block of rows is stepped while the last one is summarised.
    private const int OverlapFrom = SubjectsBeyondCache;

    /// <summary>Simulates the request; bad input (and subjects a model refuses) come back as errors.</summary>
    /// <param name="request">What to simulate.</param>
    /// <param name="progress">Receives the fraction done, 0–1, from time to time (optional; called on worker threads).</param>
    /// <param name="cancellationToken">Cancels between blocks of subjects or of time steps.</param>
    /// <returns>The summary, or an error naming the field or the first subject the model refused.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static ParseResult<PopulationSummary> Run(PopulationRequest request, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var step = request.Step.Minutes;
        var until = request.Until.Minutes;
        if (step <= 0)
        {
            return Fail("step: must be greater than 0.");
        }

        if (until <= 0)
        {
            return Fail("until: must be greater than 0.");
        }

        if ((until / step) + 1 > Simulator.MaxGridPoints)
        {
            return Fail(string.Create(CultureInfo.InvariantCulture, $"step: {request.Until} at a step of {request.Step} is more than {Simulator.MaxGridPoints} points. Use a larger step."));
        }

        foreach (var p in request.Percentiles)
        {
            if (!(p >= 0 && p <= 100))
            {
                return Fail(string.Create(CultureInfo.InvariantCulture, $"percentiles: {p} is not between 0 and 100."));
            }
        }

        foreach (var t in request.Targets)
        {
            if (t is StaysWithin s && (s.High < s.Low || s.To < s.From))
            {
                return Fail($"target \"{s.Name}\": needs low ≤ high and from ≤ to.");
            }
        }

        if (request.Population.IsReleased)
        {
            return Fail("population: was emptied by an earlier run (ReleasePopulationAfterBuild); draw it again.");
        }

        var times = Simulator.Grid(until, step);
        var systems = SubjectSystems.Create(request, times, progress, cancellationToken);
        if (!systems.IsSuccess)
        {
            return Fail(systems.Error);
        }

        if (request.ReleasePopulationAfterBuild)
        {
            // The population's arrays are garbage now; a full collection frees them before the state, peak and row
            // arrays are allocated, which then take their place in the large-object heap instead of new pages.
            request.Population.Release();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
        }

        return ParseResult<PopulationSummary>.Ok(Simulate(systems.Value, request, progress, cancellationToken));
    }

    private static ParseResult<PopulationSummary> Fail(string error) => ParseResult<PopulationSummary>.Fail(error);

    // Steps every subject through blocks of output rows and summarises each block's rows in time order.
    private static PopulationSummary Simulate(SubjectSystems s, PopulationRequest request, IProgress<double>? progress, CancellationToken ct)
    {
        var n = s.N;
        var np = s.Np;
        var t = s.Times.Length;
        var g = s.Grid;
        var x = new double[s.M * np];
        var peak = new double[np];
        var summariser = new PopulationSummariser(request, n, s.Times);
        var rowsPerChunk = Math.Clamp(RowBudget / np, np >= SubjectsBeyondCache ? MinRowsPerBlockFromMemory : MinRowsPerBlock, 1024);
        var rows = new double[Math.Min(rowsPerChunk, t) * np];

        // Row 0: the state after boluses at time 0.
        foreach (var b in g.InitialBoluses)
        {
            var st = s.BolusState[b];
            for (var i = 0; i < n; i++)
            {
                x[(st * np) + i] += s.BolusValues[(b * np) + i];
            }
        }

        for (var i = 0; i < n; i++)
        {
            var c = Math.Max(0, x[(s.OutState * np) + i] * s.Scale[i]);
            rows[i] = c;
            peak[i] = c;
        }

        double stepping = 0, summary = 0;
        var summaryClock = Stopwatch.StartNew();
        summariser.Add(0, rows.AsSpan(0, n));
        summary += summaryClock.Elapsed.TotalSeconds;

        var blocks = (np + BlockSize - 1) / BlockSize;
        var options = new ParallelOptions { MaxDegreeOfParallelism = request.MaxDegreeOfParallelism > 0 ? request.MaxDegreeOfParallelism : -1, CancellationToken = ct };
        var parallel = blocks > 1 && np >= ParallelSteppingFrom && options.MaxDegreeOfParallelism != 1 && Environment.ProcessorCount > 1;

        // Steps rows r0.. of a block of rows into buffer, returns its wall time.
        double Step(int r0, double[] buffer)
        {
            var clock = Stopwatch.StartNew();
            var r1 = Math.Min(t, r0 + rowsPerChunk);
            var segFirst = r0 == 1 ? 0 : g.RowLastSegment[r0 - 1] + 1;
            var segLast = g.RowLastSegment[r1 - 1];
            if (parallel)
            {
                Parallel.For(0, blocks, options, b => SteppingKernels.Advance(s, b * BlockSize, Math.Min(np, (b + 1) * BlockSize), segFirst, segLast, r0, x, peak, buffer));
            }
            else
            {
                SteppingKernels.Advance(s, 0, np, segFirst, segLast, r0, x, peak, buffer);
            }

            return clock.Elapsed.TotalSeconds;
        }

        // Many subjects on several cores: the next block of rows is stepped while this one is summarised (the summaries
        // run on one thread, in time order), in a second row buffer. Below that the rows are too short to pay for it
        // and the second buffer would cost memory where it counts (10⁵ subjects: 1.6 MB).
        var overlap = parallel && np >= OverlapFrom;
        var next = overlap ? new double[rows.Length] : rows;
        var pending = t > 1 ? Step(1, rows) : 0;
        for (var r0 = 1; r0 < t; r0 += rowsPerChunk)
        {
            ct.ThrowIfCancellationRequested();
            stepping += pending;
            var r1 = Math.Min(t, r0 + rowsPerChunk);
            var ahead = r1 < t && overlap ? Task.Run(() => Step(r1, next), ct) : null;
            summaryClock.Restart();
            for (var r = r0; r < r1; r++)
            {
                summariser.Add(r, rows.AsSpan((r - r0) * np, n));
            }

            summary += summaryClock.Elapsed.TotalSeconds;
            if (ahead is not null)
            {
                pending = ahead.GetAwaiter().GetResult();
                (rows, next) = (next, rows);
            }
            else if (r1 < t)
            {
                pending = Step(r1, rows);
            }

            progress?.Report(0.1 + (0.9 * r1 / t));
        }

        var timings = new PopulationTimings(s.SetupSeconds, stepping, summary, summariser.FullSelections, summariser.Retries);
        return summariser.Finish(request, peak, s.Warnings, timings);
    }
}
