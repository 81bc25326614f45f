using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
    // Budget for the block of output rows kept between stepping and summarising (doubles).
    private const int RowBudget = 1 << 18;

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

        var times = Simulator.Grid(until, step);
        var setup = Setup.Create(request, times, progress, cancellationToken);
        if (!setup.IsSuccess)
        {
            return Fail(setup.Error);
        }

        return ParseResult<PopulationSummary>.Ok(setup.Value.Run(request, progress, cancellationToken));
    }

    private static ParseResult<PopulationSummary> Fail(string error) => ParseResult<PopulationSummary>.Fail(error);

    /// <summary>Per-subject data in structure-of-arrays form, and the shared event grid.</summary>
    private sealed class Setup
    {
        public int N;            // subjects
        public int Np;           // padded to a multiple of the vector width
        public int M;            // reduced order
        public int OutState;     // reduced index of the output state
        public int InputCount;   // distinct reduced states receiving input
        public int HCount;       // distinct step lengths
        public double[] Phi = [];    // [(h*M*M + r*M + c)*Np + i]
        public double[] Gamma = [];  // [((h*InputCount + s)*M + r)*Np + i]
        public double[] Scale = [];  // output state → mg/L
        public double[] RateValues = [];   // [slot*Np + i], mg/min
        public double[] BolusValues = [];  // [slot*Np + i], mg
        public int[] RateInput = [];       // slot → input index
        public int[] InputStates = [];     // input index → reduced state
        public int[] BolusState = [];      // slot → reduced state
        public double[] Times = [];
        // Segments of the event grid.
        public int[] SegH = [];
        public int[] SegActiveStart = [];
        public int[] SegBoluses = [];
        public int[] SegRow = [];
        public int[] ActiveList = [];
        public int[] BolusList = [];
        public int[] InitialBoluses = [];
        public int[] RowLastSegment = [];
        public List<string> Warnings = [];
        public int WeightOutside;
        public int AgeOutside;
        public double SetupSeconds;

        public static ParseResult<Setup> Create(PopulationRequest request, double[] times, IProgress<double>? progress, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            var model = request.Model;
            var pop = request.Population;
            var n = pop.Count;
            var routes = request.Regimen.Routes;
            var s = new Setup { N = n, Times = times };
            var w = Math.Max(8, Vector<double>.Count);
            s.Np = checked((n + w - 1) / w * w);

            // Subject 0 fixes the structure every other subject must share.
            var first = BuildSubject(request, routes, 0, NewEtas(pop), out var firstError);
            if (first is null)
            {
                return ParseResult<Setup>.Fail(firstError!);
            }

            var (sys0, sched0) = first.Value;
            var output = sys0.Output(request.Output);
            if (output is null)
            {
                return ParseResult<Setup>.Fail($"output: {model.Id} has no output \"{request.Output}\" here; available: {string.Join(", ", sys0.Outputs.Select(o => o.Key))}.");
            }

            var order = sys0.Order;
            var keep = Closure(sys0, output.State);
            var map = new int[order];
            Array.Fill(map, -1);
            for (var i = 0; i < keep.Length; i++)
            {
                map[keep[i]] = i;
            }

            s.M = keep.Length;
            s.OutState = map[output.State];
            if (s.M + 4 > SmallExpm.MaxOrder)
            {
                return ParseResult<Setup>.Fail(string.Create(CultureInfo.InvariantCulture, $"{model.Id}: {s.M} states drive the output; population simulation supports up to {SmallExpm.MaxOrder - 4}."));
            }

            var rates = sched0.Rates.Where(r => map[r.State] >= 0).Select(r => (r.Start, r.End, State: map[r.State])).ToArray();
            var boluses = sched0.Boluses.Where(b => map[b.State] >= 0).Select(b => (b.Time, State: map[b.State])).ToArray();
            var inputStates = rates.Select(r => r.State).Distinct().Order().ToArray();
            s.InputCount = inputStates.Length;
            s.InputStates = inputStates;
            s.RateInput = [.. rates.Select(r => Array.IndexOf(inputStates, r.State))];
            s.BolusState = [.. boluses.Select(b => b.State)];

            var grid = BuildGrid(s, times, rates, boluses);
            if (!grid.IsSuccess)
            {
                return ParseResult<Setup>.Fail(grid.Error);
            }

            var hs = grid.Value;
            s.HCount = hs.Length;
            var np = s.Np;
            var mm = s.M * s.M;
            if ((long)np * ((s.HCount * (mm + (s.InputCount * s.M))) + 1 + rates.Length + boluses.Length) > int.MaxValue)
            {
                return ParseResult<Setup>.Fail("n: too many subjects for this grid and regimen in one run.");
            }

            s.Phi = new double[s.HCount * mm * np];
            s.Gamma = new double[s.HCount * s.InputCount * s.M * np];
            s.Scale = new double[np];
            s.RateValues = new double[rates.Length * np];
            s.BolusValues = new double[boluses.Length * np];

            var errorLock = new object();
            var errorIndex = int.MaxValue;
            string? error = null;
            var done = 0;
            var options = new ParallelOptions { MaxDegreeOfParallelism = request.MaxDegreeOfParallelism > 0 && n >= 8192 ? request.MaxDegreeOfParallelism : (n >= 8192 ? -1 : 1), CancellationToken = ct };
            var chunk = Math.Max(64, Math.Min(4096, n / (4 * Environment.ProcessorCount) + 1));
            Parallel.ForEach(Partitioner.Create(0, n, chunk), options, range =>
            {
                var etas = NewEtas(pop);
                Span<double> aug = stackalloc double[SmallExpm.MaxOrder * SmallExpm.MaxOrder];
                Span<double> exp = stackalloc double[SmallExpm.MaxOrder * SmallExpm.MaxOrder];
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    if (i > Volatile.Read(ref errorIndex))
                    {
                        return;
                    }

                    var e = Subject(request, routes, s, hs, keep, map, output.State, rates, boluses, i, etas, aug, exp);
                    if (e is not null)
                    {
                        lock (errorLock)
                        {
                            if (i < errorIndex)
                            {
                                errorIndex = i;
                                error = e;
                            }
                        }

                        return;
                    }
                }

                var d = Interlocked.Add(ref done, range.Item2 - range.Item1);
                progress?.Report(0.1 * d / n);
            });

            if (error is not null)
            {
                return ParseResult<Setup>.Fail(error);
            }

            var st = model.Population;
            s.Warnings = [.. model.CheckPatient(pop.CovariatesOf(0)).Where(f => f.Message.Contains("not given", StringComparison.Ordinal)).Select(f => f.Message)];
            if (s.WeightOutside > 0)
            {
                s.Warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{model.Id}: {s.WeightOutside} of {n} subjects weigh outside the studied range {st.WeightKg.Min}–{st.WeightKg.Max} kg; their predictions are an extrapolation."));
            }

            if (s.AgeOutside > 0)
            {
                s.Warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{model.Id}: {s.AgeOutside} of {n} subjects are aged outside the studied range {st.AgeYears.Min}–{st.AgeYears.Max} years; their predictions are an extrapolation."));
            }

            if (pop.EtaNames.Count == 0)
            {
                s.Warnings.Add($"{model.Id}: the population has no inter-individual variability (no Ω was published or given); subjects differ only by their covariates.");
            }

            foreach (var route in routes)
            {
                if (sys0.Routes.TryGetValue(route, out var input) && input.IsAssumption)
                {
                    s.Warnings.Add($"{route.Code()}: {input.Source}");
                }
            }
            s.SetupSeconds = clock.Elapsed.TotalSeconds;
            return ParseResult<Setup>.Ok(s);
        }

        private static Dictionary<string, double> NewEtas(VirtualPopulation pop)
        {
            var d = new Dictionary<string, double>(pop.EtaNames.Count, StringComparer.Ordinal);
            foreach (var name in pop.EtaNames)
            {
                d[name] = 0;
            }

            return d;
        }

        private static (CompartmentSystem System, DosingSchedule Schedule)? BuildSubject(PopulationRequest request, IReadOnlyCollection<Route> routes, int i, Dictionary<string, double> etas, out string? error)
        {
            var pop = request.Population;
            for (var j = 0; j < pop.EtaNames.Count; j++)
            {
                etas[pop.EtaNames[j]] = pop.Eta(i, j);
            }

            var cov = pop.CovariatesOf(i);
            CompartmentSystem system;
            try
            {
                // The options object is used only while building; the etas dictionary is reused per thread.
                system = request.Model.Build(cov, new SubjectOptions
                {
                    Etas = etas,
                    Routes = routes,
                    EffectSite = request.EffectSite,
                    RouteOverrides = request.RouteOverrides,
                });
            }
            catch (ArgumentException e)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"subject {i + 1}: {e.Message}");
                return null;
            }

            var schedule = DosingSchedule.Resolve(request.Regimen, system, cov.Weight);
            if (!schedule.IsSuccess)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"subject {i + 1}: {schedule.Error}");
                return null;
            }

            error = null;
            return (system, schedule.Value);
        }

        private static string? Subject(PopulationRequest request, IReadOnlyCollection<Route> routes, Setup s, double[] hs, int[] keep, int[] map, int outputState,
            (double Start, double End, int State)[] rates, (double Time, int State)[] boluses, int i, Dictionary<string, double> etas, Span<double> aug, Span<double> exp)
        {
            var built = BuildSubject(request, routes, i, etas, out var error);
            if (built is null)
            {
                return error;
            }

            var (system, schedule) = built.Value;
            var order = system.Order;
            var output = system.Output(request.Output);
            if (order != map.Length || output is null || output.State != outputState)
            {
                return string.Create(CultureInfo.InvariantCulture, $"subject {i + 1}: the model built a differently shaped system than for subject 1; population simulation needs one structure.");
            }

            // No state outside the kept set may feed the kept set.
            foreach (var r in keep)
            {
                for (var c = 0; c < order; c++)
                {
                    if (map[c] < 0 && system[r, c] != 0)
                    {
                        return string.Create(CultureInfo.InvariantCulture, $"subject {i + 1}: the model built a differently shaped system than for subject 1; population simulation needs one structure.");
                    }
                }
            }

            var studied = request.Model.Population;
            var cov = request.Population;
            if (cov.WeightKg(i) < studied.WeightKg.Min || cov.WeightKg(i) > studied.WeightKg.Max)
            {
                Interlocked.Increment(ref s.WeightOutside);
            }

            if (cov.AgeYears(i) is { } age && (age < studied.AgeYears.Min || age > studied.AgeYears.Max))
            {
                Interlocked.Increment(ref s.AgeOutside);
            }

            var np = s.Np;
            var slot = 0;
            foreach (var r in schedule.Rates)
            {
                var st = map[r.State];
                if (st < 0)
                {
                    continue;
                }

                if (slot >= rates.Length || rates[slot].Start != r.Start || rates[slot].End != r.End || rates[slot].State != st)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"subject {i + 1}: its dosing times differ from subject 1's; population simulation needs the same dosing times for every subject.");
                }

                s.RateValues[(slot * np) + i] = r.RateMgPerMin;
                slot++;
            }

            var bslot = 0;
            foreach (var b in schedule.Boluses)
            {
                var st = map[b.State];
                if (st < 0)
                {
                    continue;
                }

                if (bslot >= boluses.Length || boluses[bslot].Time != b.Time || boluses[bslot].State != st)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"subject {i + 1}: its dosing times differ from subject 1's; population simulation needs the same dosing times for every subject.");
                }

                s.BolusValues[(bslot * np) + i] = b.AmountMg;
                bslot++;
            }

            if (slot != rates.Length || bslot != boluses.Length)
            {
                return string.Create(CultureInfo.InvariantCulture, $"subject {i + 1}: its dosing times differ from subject 1's; population simulation needs the same dosing times for every subject.");
            }

            s.Scale[i] = output.Scale;

            // Van Loan: exp([[A, E],[0, 0]]·h) = [[Φ, Γ·E],[0, I]] with E the input states' unit columns.
            var m = s.M;
            var ni = s.InputCount;
            var q = m + ni;
            var mm = m * m;
            for (var h = 0; h < hs.Length; h++)
            {
                var step = hs[h];
                var a = aug[..(q * q)];
                a.Clear();
                for (var r = 0; r < m; r++)
                {
                    for (var c = 0; c < m; c++)
                    {
                        a[(r * q) + c] = system[keep[r], keep[c]] * step;
                    }
                }

                for (var k = 0; k < ni; k++)
                {
                    a[(s.InputStates[k] * q) + m + k] = step;
                }

                SmallExpm.Compute(q, a, exp);
                for (var r = 0; r < m; r++)
                {
                    for (var c = 0; c < m; c++)
                    {
                        s.Phi[((((h * mm) + (r * m) + c)) * np) + i] = exp[(r * q) + c];
                    }

                    for (var k = 0; k < ni; k++)
                    {
                        s.Gamma[((((h * ni) + k) * m) + r) * np + i] = exp[(r * q) + m + k];
                    }
                }
            }

            return null;
        }


        // States that can influence the output state: the output and everything feeding it, transitively.
        private static int[] Closure(CompartmentSystem system, int output)
        {
            var n = system.Order;
            var inSet = new bool[n];
            var stack = new Stack<int>();
            inSet[output] = true;
            stack.Push(output);
            while (stack.Count > 0)
            {
                var r = stack.Pop();
                for (var c = 0; c < n; c++)
                {
                    if (!inSet[c] && system[r, c] != 0)
                    {
                        inSet[c] = true;
                        stack.Push(c);
                    }
                }
            }

            return [.. Enumerable.Range(0, n).Where(i => inSet[i])];
        }

        private static ParseResult<double[]> BuildGrid(Setup s, double[] times, (double Start, double End, int State)[] rates, (double Time, int State)[] boluses)
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
            s.SegH = new int[segs];
            s.SegActiveStart = new int[segs + 1];
            s.SegBoluses = new int[segs + 1];
            s.SegRow = new int[segs];
            s.RowLastSegment = new int[times.Length];
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
                    if (hs.Count > 64)
                    {
                        return ParseResult<double[]>.Fail("regimen: its dosing times split the output grid into too many different step lengths; align doses with the output step.");
                    }
                }

                s.SegH[k] = hi;
                s.SegActiveStart[k] = active.Count;
                for (var slot = 0; slot < snappedRates.Length; slot++)
                {
                    if (snappedRates[slot].Start <= e[k] && snappedRates[slot].End > e[k])
                    {
                        active.Add(slot);
                    }
                }

                s.SegBoluses[k] = bolusList.Count;
                for (var slot = 0; slot < snappedBoluses.Length; slot++)
                {
                    if (snappedBoluses[slot] == e[k + 1])
                    {
                        bolusList.Add(slot);
                    }
                }

                if (row < times.Length && times[row] == e[k + 1])
                {
                    s.SegRow[k] = row;
                    s.RowLastSegment[row] = k;
                    row++;
                }
                else
                {
                    s.SegRow[k] = -1;
                }
            }

            s.SegActiveStart[segs] = active.Count;
            s.SegBoluses[segs] = bolusList.Count;
            s.ActiveList = [.. active];
            s.BolusList = [.. bolusList];
            s.InitialBoluses = [.. Enumerable.Range(0, snappedBoluses.Length).Where(b => snappedBoluses[b] <= 0)];
            return ParseResult<double[]>.Ok([.. hs]);
        }

        public PopulationSummary Run(PopulationRequest request, IProgress<double>? progress, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            var n = N;
            var np = Np;
            var m = M;
            var t = Times.Length;
            var x = new double[m * np];
            var peak = new double[np];

            var probs = request.Percentiles.Select(p => p / 100.0).ToArray();
            var quantiles = new StreamingQuantiles(n, probs);
            var pctValues = new double[probs.Length * t];
            var mean = new double[t];
            var thresholds = request.Thresholds.Select(c => c.MilligramsPerLiter).ToArray();
            var above = new double[thresholds.Length * t];
            var below = new double[thresholds.Length * t];
            var within = request.Targets.OfType<StaysWithin>().ToArray();
            var failed = within.Length > 0 ? new bool[within.Length * n] : [];
            var qrow = new double[probs.Length];

            var rowsPerChunk = Math.Clamp(RowBudget / np, 4, 1024);
            var rows = new double[Math.Min(rowsPerChunk, t) * np];

            // Row 0: the state after boluses at time 0.
            foreach (var b in InitialBoluses)
            {
                var st = BolusState[b];
                for (var i = 0; i < n; i++)
                {
                    x[(st * np) + i] += BolusValues[(b * np) + i];
                }
            }

            for (var i = 0; i < n; i++)
            {
                var c = Math.Max(0, x[(OutState * np) + i] * Scale[i]);
                rows[i] = c;
                peak[i] = c;
            }

            double stepping = 0, summary = 0;
            var summaryClock = Stopwatch.StartNew();
            Summarise(0, rows.AsSpan(0, n));
            summary += summaryClock.Elapsed.TotalSeconds;

            var blockSize = 2048;
            var blocks = (np + blockSize - 1) / blockSize;
            var options = new ParallelOptions { MaxDegreeOfParallelism = request.MaxDegreeOfParallelism > 0 ? request.MaxDegreeOfParallelism : -1, CancellationToken = ct };
            // Below a few ten thousand subjects a block of steps is too short to pay for waking workers.
            var parallel = blocks > 1 && np >= 32768 && options.MaxDegreeOfParallelism != 1 && Environment.ProcessorCount > 1;
            for (var r0 = 1; r0 < t; r0 += rowsPerChunk)
            {
                ct.ThrowIfCancellationRequested();
                var r1 = Math.Min(t, r0 + rowsPerChunk);
                var segFirst = RowLastSegment[r0 - 1] + (r0 == 1 ? 0 : 1);
                if (r0 == 1)
                {
                    segFirst = 0;
                }

                var segLast = RowLastSegment[r1 - 1];
                var stepClock = Stopwatch.StartNew();
                if (parallel)
                {
                    Parallel.For(0, blocks, options, b => Advance(b * blockSize, Math.Min(np, (b + 1) * blockSize), segFirst, segLast, r0, x, peak, rows));
                }
                else
                {
                    Advance(0, np, segFirst, segLast, r0, x, peak, rows);
                }

                stepping += stepClock.Elapsed.TotalSeconds;
                summaryClock.Restart();
                for (var r = r0; r < r1; r++)
                {
                    Summarise(r, rows.AsSpan((r - r0) * np, n));
                }

                summary += summaryClock.Elapsed.TotalSeconds;
                progress?.Report(0.1 + (0.9 * r1 / t));
            }

            var targets = new List<TargetResult>();
            var wi = 0;
            foreach (var crit in request.Targets)
            {
                long count = 0;
                if (crit is PeakAbove pa)
                {
                    var thr = pa.Threshold.MilligramsPerLiter;
                    for (var i = 0; i < n; i++)
                    {
                        count += peak[i] > thr ? 1 : 0;
                    }
                }
                else
                {
                    for (var i = 0; i < n; i++)
                    {
                        count += failed[(wi * n) + i] ? 0 : 1;
                    }

                    wi++;
                }

                targets.Add(new TargetResult(crit, count, (double)count / n));
            }

            var timings = new PopulationTimings(SetupSeconds, stepping, summary, quantiles.FullSelections, quantiles.Retries);
            return new PopulationSummary(n, request.Output, Times, [.. request.Percentiles], pctValues, mean, [.. request.Thresholds], above, below, targets, Warnings, timings);

            void Summarise(int r, Span<double> values)
            {
                mean[r] = Sum(values) / n;
                for (var j = 0; j < thresholds.Length; j++)
                {
                    long a = 0, b = 0;
                    var c = thresholds[j];
                    foreach (var v in values)
                    {
                        a += v > c ? 1 : 0;
                        b += v < c ? 1 : 0;
                    }

                    above[(j * t) + r] = (double)a / n;
                    below[(j * t) + r] = (double)b / n;
                }

                var time = Times[r];
                for (var j = 0; j < within.Length; j++)
                {
                    var w = within[j];
                    if (time < w.From.Minutes || time > w.To.Minutes)
                    {
                        continue;
                    }

                    double lo = w.Low.MilligramsPerLiter, hi = w.High.MilligramsPerLiter;
                    var f = failed.AsSpan(j * n, n);
                    for (var i = 0; i < values.Length; i++)
                    {
                        var v = values[i];
                        f[i] |= !(v >= lo && v <= hi);
                    }
                }

                // Last: the selection may reorder the row.
                quantiles.Next(values, qrow);
                for (var j = 0; j < qrow.Length; j++)
                {
                    pctValues[(j * t) + r] = qrow[j];
                }
            }
        }

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

        /// <summary>Advances subjects [i0, i1) (multiples of the vector width) through segments [segFirst, segLast], writing output rows from r0.</summary>
        private void Advance(int i0, int i1, int segFirst, int segLast, int r0, double[] x, double[] peak, double[] rows)
        {
            if (M == 3 && InputCount <= 1 && SimdPaths.Wide512)
            {
                Advance3x512(i0, i1, segFirst, segLast, r0, x, peak, rows);
                return;
            }

            if (M == 3 && InputCount <= 1)
            {
                Advance3(i0, i1, segFirst, segLast, r0, x, peak, rows);
                return;
            }

            var m = M;
            var np = Np;
            var mm = m * m;
            var ni = InputCount;
            var w = Vector<double>.Count;
            Span<Vector<double>> xs = stackalloc Vector<double>[m];
            Span<Vector<double>> ys = stackalloc Vector<double>[m];
            ref var phi = ref MemoryMarshal.GetArrayDataReference(Phi);
            ref var gam = ref MemoryMarshal.GetArrayDataReference(Gamma);
            ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
            ref var rv = ref MemoryMarshal.GetArrayDataReference(RateValues);
            ref var bv = ref MemoryMarshal.GetArrayDataReference(BolusValues);
            ref var out0 = ref MemoryMarshal.GetArrayDataReference(rows);
            unchecked
            {
                for (var i = i0; i < i1; i += w)
                {
                    var ui = (nuint)i;
                    for (var r = 0; r < m; r++)
                    {
                        xs[r] = Vector.LoadUnsafe(ref xr, (nuint)(r * np) + ui);
                    }

                    var pk = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(peak), ui);
                    var sc = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(Scale), ui);
                    for (var seg = segFirst; seg <= segLast; seg++)
                    {
                        var hb = SegH[seg] * mm;
                        for (var r = 0; r < m; r++)
                        {
                            var acc = Vector<double>.Zero;
                            for (var c = 0; c < m; c++)
                            {
                                acc += Vector.LoadUnsafe(ref phi, (nuint)((hb + (r * m) + c) * np) + ui) * xs[c];
                            }

                            ys[r] = acc;
                        }

                        for (var a = SegActiveStart[seg]; a < SegActiveStart[seg + 1]; a++)
                        {
                            var slot = ActiveList[a];
                            var u = Vector.LoadUnsafe(ref rv, (nuint)(slot * np) + ui);
                            var gb = ((SegH[seg] * ni) + RateInput[slot]) * m;
                            for (var r = 0; r < m; r++)
                            {
                                ys[r] += u * Vector.LoadUnsafe(ref gam, (nuint)((gb + r) * np) + ui);
                            }
                        }

                        for (var b = SegBoluses[seg]; b < SegBoluses[seg + 1]; b++)
                        {
                            var slot = BolusList[b];
                            ys[BolusState[slot]] += Vector.LoadUnsafe(ref bv, (nuint)(slot * np) + ui);
                        }

                        ys.CopyTo(xs);
                        var row = SegRow[seg];
                        if (row >= 0)
                        {
                            var c = Vector.Max(Vector<double>.Zero, xs[OutState] * sc);
                            c.StoreUnsafe(ref out0, (nuint)((row - r0) * np) + ui);
                            pk = Vector.Max(pk, c);
                        }
                    }

                    for (var r = 0; r < m; r++)
                    {
                        xs[r].StoreUnsafe(ref xr, (nuint)(r * np) + ui);
                    }

                    pk.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(peak), ui);
                }
            }
        }

        // Three states (e.g. a mammillary model's central and two peripherals) and at most one input state:
        // the propagator stays in registers across the block of time steps.
        private void Advance3(int i0, int i1, int segFirst, int segLast, int r0, double[] x, double[] peak, double[] rows)
        {
            var np = Np;
            var w = Vector<double>.Count;
            var single = HCount == 1;
            ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
            ref var rv = ref MemoryMarshal.GetArrayDataReference(RateValues);
            ref var bv = ref MemoryMarshal.GetArrayDataReference(BolusValues);
            ref var out0 = ref MemoryMarshal.GetArrayDataReference(rows);
            ref var pkr = ref MemoryMarshal.GetArrayDataReference(peak);
            ref var scr = ref MemoryMarshal.GetArrayDataReference(Scale);
            var o = OutState;
            unchecked
            {
                var unp = (nuint)np;
                for (var i = i0; i < i1; i += w)
                {
                    var ui = (nuint)i;
                    var x0 = Vector.LoadUnsafe(ref xr, ui);
                    var x1 = Vector.LoadUnsafe(ref xr, unp + ui);
                    var x2 = Vector.LoadUnsafe(ref xr, (2 * unp) + ui);
                    var pk = Vector.LoadUnsafe(ref pkr, ui);
                    var sc = Vector.LoadUnsafe(ref scr, ui);
                    var h = SegH[segFirst];
                    LoadPhi3(h, ui, out var p00, out var p01, out var p02, out var p10, out var p11, out var p12, out var p20, out var p21, out var p22, out var g0, out var g1, out var g2);
                    for (var seg = segFirst; seg <= segLast; seg++)
                    {
                        if (!single && SegH[seg] != h)
                        {
                            h = SegH[seg];
                            LoadPhi3(h, ui, out p00, out p01, out p02, out p10, out p11, out p12, out p20, out p21, out p22, out g0, out g1, out g2);
                        }

                        var y0 = (p00 * x0) + (p01 * x1) + (p02 * x2);
                        var y1 = (p10 * x0) + (p11 * x1) + (p12 * x2);
                        var y2 = (p20 * x0) + (p21 * x1) + (p22 * x2);
                        var a0 = SegActiveStart[seg];
                        var a1 = SegActiveStart[seg + 1];
                        if (a1 > a0)
                        {
                            var u = Vector.LoadUnsafe(ref rv, ((nuint)ActiveList[a0] * unp) + ui);
                            for (var a = a0 + 1; a < a1; a++)
                            {
                                u += Vector.LoadUnsafe(ref rv, ((nuint)ActiveList[a] * unp) + ui);
                            }

                            y0 += u * g0;
                            y1 += u * g1;
                            y2 += u * g2;
                        }

                        for (var b = SegBoluses[seg]; b < SegBoluses[seg + 1]; b++)
                        {
                            var slot = BolusList[b];
                            var amount = Vector.LoadUnsafe(ref bv, ((nuint)slot * unp) + ui);
                            switch (BolusState[slot])
                            {
                                case 0: y0 += amount; break;
                                case 1: y1 += amount; break;
                                default: y2 += amount; break;
                            }
                        }

                        x0 = y0;
                        x1 = y1;
                        x2 = y2;
                        var row = SegRow[seg];
                        if (row >= 0)
                        {
                            var c = Vector.Max(Vector<double>.Zero, (o == 0 ? x0 : o == 1 ? x1 : x2) * sc);
                            c.StoreUnsafe(ref out0, ((nuint)(row - r0) * unp) + ui);
                            pk = Vector.Max(pk, c);
                        }
                    }

                    x0.StoreUnsafe(ref xr, ui);
                    x1.StoreUnsafe(ref xr, unp + ui);
                    x2.StoreUnsafe(ref xr, (2 * unp) + ui);
                    pk.StoreUnsafe(ref pkr, ui);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void LoadPhi3(int h, nuint ui, out Vector<double> p00, out Vector<double> p01, out Vector<double> p02, out Vector<double> p10, out Vector<double> p11, out Vector<double> p12,
            out Vector<double> p20, out Vector<double> p21, out Vector<double> p22, out Vector<double> g0, out Vector<double> g1, out Vector<double> g2)
        {
            unchecked
            {
                ref var phi = ref MemoryMarshal.GetArrayDataReference(Phi);
                var unp = (nuint)Np;
                var b = (nuint)(h * 9) * unp;
                p00 = Vector.LoadUnsafe(ref phi, b + ui);
                p01 = Vector.LoadUnsafe(ref phi, b + unp + ui);
                p02 = Vector.LoadUnsafe(ref phi, b + (2 * unp) + ui);
                p10 = Vector.LoadUnsafe(ref phi, b + (3 * unp) + ui);
                p11 = Vector.LoadUnsafe(ref phi, b + (4 * unp) + ui);
                p12 = Vector.LoadUnsafe(ref phi, b + (5 * unp) + ui);
                p20 = Vector.LoadUnsafe(ref phi, b + (6 * unp) + ui);
                p21 = Vector.LoadUnsafe(ref phi, b + (7 * unp) + ui);
                p22 = Vector.LoadUnsafe(ref phi, b + (8 * unp) + ui);
                if (InputCount == 1)
                {
                    ref var gam = ref MemoryMarshal.GetArrayDataReference(Gamma);
                    var gb = (nuint)(h * 3) * unp;
                    g0 = Vector.LoadUnsafe(ref gam, gb + ui);
                    g1 = Vector.LoadUnsafe(ref gam, gb + unp + ui);
                    g2 = Vector.LoadUnsafe(ref gam, gb + (2 * unp) + ui);
                }
                else
                {
                    g0 = g1 = g2 = Vector<double>.Zero;
                }
            }
        }

        // As Advance3, eight subjects per vector (AVX-512): the step is latency-bound, so wider vectors pay.
        private void Advance3x512(int i0, int i1, int segFirst, int segLast, int r0, double[] x, double[] peak, double[] rows)
        {
            var np = Np;
            const int w = 8;
            var single = HCount == 1;
            ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
            ref var rv = ref MemoryMarshal.GetArrayDataReference(RateValues);
            ref var bv = ref MemoryMarshal.GetArrayDataReference(BolusValues);
            ref var out0 = ref MemoryMarshal.GetArrayDataReference(rows);
            ref var pkr = ref MemoryMarshal.GetArrayDataReference(peak);
            ref var scr = ref MemoryMarshal.GetArrayDataReference(Scale);
            var o = OutState;
            unchecked
            {
                var unp = (nuint)np;
                for (var i = i0; i < i1; i += w)
                {
                    var ui = (nuint)i;
                    var x0 = Vector512.LoadUnsafe(ref xr, ui);
                    var x1 = Vector512.LoadUnsafe(ref xr, unp + ui);
                    var x2 = Vector512.LoadUnsafe(ref xr, (2 * unp) + ui);
                    var pk = Vector512.LoadUnsafe(ref pkr, ui);
                    var sc = Vector512.LoadUnsafe(ref scr, ui);
                    var h = SegH[segFirst];
                    LoadPhi3x512(h, ui, out var p00, out var p01, out var p02, out var p10, out var p11, out var p12, out var p20, out var p21, out var p22, out var g0, out var g1, out var g2);
                    for (var seg = segFirst; seg <= segLast; seg++)
                    {
                        if (!single && SegH[seg] != h)
                        {
                            h = SegH[seg];
                            LoadPhi3x512(h, ui, out p00, out p01, out p02, out p10, out p11, out p12, out p20, out p21, out p22, out g0, out g1, out g2);
                        }

                        var y0 = (p00 * x0) + (p01 * x1) + (p02 * x2);
                        var y1 = (p10 * x0) + (p11 * x1) + (p12 * x2);
                        var y2 = (p20 * x0) + (p21 * x1) + (p22 * x2);
                        var a0 = SegActiveStart[seg];
                        var a1 = SegActiveStart[seg + 1];
                        if (a1 > a0)
                        {
                            var u = Vector512.LoadUnsafe(ref rv, ((nuint)ActiveList[a0] * unp) + ui);
                            for (var a = a0 + 1; a < a1; a++)
                            {
                                u += Vector512.LoadUnsafe(ref rv, ((nuint)ActiveList[a] * unp) + ui);
                            }

                            y0 += u * g0;
                            y1 += u * g1;
                            y2 += u * g2;
                        }

                        for (var b = SegBoluses[seg]; b < SegBoluses[seg + 1]; b++)
                        {
                            var slot = BolusList[b];
                            var amount = Vector512.LoadUnsafe(ref bv, ((nuint)slot * unp) + ui);
                            switch (BolusState[slot])
                            {
                                case 0: y0 += amount; break;
                                case 1: y1 += amount; break;
                                default: y2 += amount; break;
                            }
                        }

                        x0 = y0;
                        x1 = y1;
                        x2 = y2;
                        var row = SegRow[seg];
                        if (row >= 0)
                        {
                            var c = Vector512.Max(Vector512<double>.Zero, (o == 0 ? x0 : o == 1 ? x1 : x2) * sc);
                            c.StoreUnsafe(ref out0, ((nuint)(row - r0) * unp) + ui);
                            pk = Vector512.Max(pk, c);
                        }
                    }

                    x0.StoreUnsafe(ref xr, ui);
                    x1.StoreUnsafe(ref xr, unp + ui);
                    x2.StoreUnsafe(ref xr, (2 * unp) + ui);
                    pk.StoreUnsafe(ref pkr, ui);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void LoadPhi3x512(int h, nuint ui, out Vector512<double> p00, out Vector512<double> p01, out Vector512<double> p02, out Vector512<double> p10, out Vector512<double> p11, out Vector512<double> p12,
            out Vector512<double> p20, out Vector512<double> p21, out Vector512<double> p22, out Vector512<double> g0, out Vector512<double> g1, out Vector512<double> g2)
        {
            unchecked
            {
                ref var phi = ref MemoryMarshal.GetArrayDataReference(Phi);
                var unp = (nuint)Np;
                var b = (nuint)(h * 9) * unp;
                p00 = Vector512.LoadUnsafe(ref phi, b + ui);
                p01 = Vector512.LoadUnsafe(ref phi, b + unp + ui);
                p02 = Vector512.LoadUnsafe(ref phi, b + (2 * unp) + ui);
                p10 = Vector512.LoadUnsafe(ref phi, b + (3 * unp) + ui);
                p11 = Vector512.LoadUnsafe(ref phi, b + (4 * unp) + ui);
                p12 = Vector512.LoadUnsafe(ref phi, b + (5 * unp) + ui);
                p20 = Vector512.LoadUnsafe(ref phi, b + (6 * unp) + ui);
                p21 = Vector512.LoadUnsafe(ref phi, b + (7 * unp) + ui);
                p22 = Vector512.LoadUnsafe(ref phi, b + (8 * unp) + ui);
                if (InputCount == 1)
                {
                    ref var gam = ref MemoryMarshal.GetArrayDataReference(Gamma);
                    var gb = (nuint)(h * 3) * unp;
                    g0 = Vector512.LoadUnsafe(ref gam, gb + ui);
                    g1 = Vector512.LoadUnsafe(ref gam, gb + unp + ui);
                    g2 = Vector512.LoadUnsafe(ref gam, gb + (2 * unp) + ui);
                }
                else
                {
                    g0 = g1 = g2 = Vector512<double>.Zero;
                }
            }
        }
    }
}
