using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Population;

/// <summary>
/// Every subject's reduced system in structure-of-arrays form: exact propagators per step length, dosing
/// amounts per slot, the output scale; and the event grid all subjects share. Built once per run, read by
/// the stepping kernels. Index layouts are given next to each array; <c>Np</c> is the padded subject count.
/// </summary>
internal sealed class SubjectSystems
{
    // Below this many subjects one thread builds faster than waking workers.
    private const int ParallelBuildFrom = 8192;

    private SubjectSystems(int n, int np, double[] times)
    {
        N = n;
        Np = np;
        Times = times;
    }

    /// <summary>Subjects.</summary>
    public int N { get; }

    /// <summary>Subjects padded to a multiple of the widest vector (8 doubles).</summary>
    public int Np { get; }

    /// <summary>Output times, min.</summary>
    public double[] Times { get; }

    /// <summary>Reduced order: the states that can influence the output.</summary>
    public int M { get; private set; }

    /// <summary>Reduced index of the output state.</summary>
    public int OutState { get; private set; }

    /// <summary>Distinct reduced states receiving a rate input.</summary>
    public int InputCount => InputStates.Length;

    /// <summary>Distinct step lengths.</summary>
    public int HCount => Grid.StepLengths.Length;

    /// <summary>The shared event grid.</summary>
    public EventGrid Grid { get; private set; } = null!;

    /// <summary>Φ: [(h·M·M + r·M + c)·Np + i].</summary>
    public double[] Phi { get; private set; } = [];

    /// <summary>Γ: [((h·InputCount + k)·M + r)·Np + i].</summary>
    public double[] Gamma { get; private set; } = [];

    /// <summary>Output state amount → mg/L, per subject.</summary>
    public double[] Scale { get; private set; } = [];

    /// <summary>Rate of each rate slot, mg/min: [slot·Np + i].</summary>
    public double[] RateValues { get; private set; } = [];

    /// <summary>Amount of each bolus slot, mg: [slot·Np + i].</summary>
    public double[] BolusValues { get; private set; } = [];

    /// <summary>Rate slot → input index.</summary>
    public int[] RateInput { get; private set; } = [];

    /// <summary>Input index → reduced state.</summary>
    public int[] InputStates { get; private set; } = [];

    /// <summary>Bolus slot → reduced state.</summary>
    public int[] BolusState { get; private set; } = [];

    /// <summary>Warnings about the population as a whole (extrapolation, no variability, assumed routes).</summary>
    public List<EngineWarning> Warnings { get; } = [];

    /// <summary>Wall time of <see cref="Create"/>, s.</summary>
    public double SetupSeconds { get; private set; }

    private int _weightOutside;
    private int _ageOutside;

    /// <summary>Builds every subject's system (in parallel from a few thousand subjects); the first refused subject is the error.</summary>
    public static ParseResult<SubjectSystems> Create(PopulationRequest request, double[] times, IProgress<double>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var model = request.Model;
        var pop = request.Population;
        var n = pop.Count;
        var routes = request.Regimen.Routes;
        var w = Math.Max(8, Vector<double>.Count);
        var s = new SubjectSystems(n, checked((n + w - 1) / w * w), times);

        // Subject 0 fixes the structure every other subject must share.
        var first = BuildSubject(request, routes, NewEtas(pop), out var firstError);
        if (first is null)
        {
            return ParseResult<SubjectSystems>.Fail(firstError!);
        }

        var (sys0, sched0) = first.Value;
        var output = sys0.Output(request.Output);
        if (output is null)
        {
            return ParseResult<SubjectSystems>.Fail($"output: {model.Id} has no output \"{request.Output}\" here; available: {string.Join(", ", sys0.Outputs.Select(o => o.Key))}.");
        }

        var keep = Closure(sys0, output.State);
        var map = new int[sys0.Order];
        Array.Fill(map, -1);
        for (var i = 0; i < keep.Length; i++)
        {
            map[keep[i]] = i;
        }

        s.M = keep.Length;
        s.OutState = map[output.State];
        if (s.M + 4 > SmallExpm.MaxOrder)
        {
            return ParseResult<SubjectSystems>.Fail(string.Create(CultureInfo.InvariantCulture, $"{model.Id}: {s.M} states drive the output; population simulation supports up to {SmallExpm.MaxOrder - 4}."));
        }

        var rates = sched0.Rates.Where(r => map[r.State] >= 0).Select(r => (r.Start, r.End, State: map[r.State])).ToArray();
        var boluses = sched0.Boluses.Where(b => map[b.State] >= 0).Select(b => (b.Time, State: map[b.State])).ToArray();
        s.InputStates = rates.Select(r => r.State).Distinct().Order().ToArray();
        s.RateInput = [.. rates.Select(r => Array.IndexOf(s.InputStates, r.State))];
        s.BolusState = [.. boluses.Select(b => b.State)];

        var grid = EventGrid.Build(times, rates, boluses);
        if (!grid.IsSuccess)
        {
            return ParseResult<SubjectSystems>.Fail(grid);
        }

        s.Grid = grid.Value;
        var np = s.Np;
        var mm = s.M * s.M;
        if ((long)np * ((s.HCount * (mm + (s.InputCount * s.M))) + 1 + rates.Length + boluses.Length) > int.MaxValue)
        {
            return ParseResult<SubjectSystems>.Fail("n: too many subjects for this grid and regimen in one run.");
        }

        s.Phi = new double[s.HCount * mm * np];
        s.Gamma = new double[s.HCount * s.InputCount * s.M * np];
        s.Scale = new double[np];
        s.RateValues = new double[rates.Length * np];
        s.BolusValues = new double[boluses.Length * np];

        var shape = new Shape(keep, map, output.State, rates, boluses);
        Route[] distinctRoutes = [.. routes];
        var order = sys0.Order;
        var errorLock = new object();
        var errorIndex = int.MaxValue;
        string? error = null;
        var done = 0;
        var parallel = n >= ParallelBuildFrom;
        var options = new ParallelOptions { MaxDegreeOfParallelism = !parallel ? 1 : request.MaxDegreeOfParallelism > 0 ? request.MaxDegreeOfParallelism : -1, CancellationToken = ct };
        var chunk = Math.Max(64, Math.Min(4096, (n / (4 * Environment.ProcessorCount)) + 1));
        Parallel.ForEach(Partitioner.Create(0, n, chunk), options, () => new Worker(request, distinctRoutes, order), (range, _, worker) =>
        {
            Span<double> a = stackalloc double[SmallExpm.MaxOrder * SmallExpm.MaxOrder];
            Span<double> aug = stackalloc double[SmallExpm.MaxOrder * SmallExpm.MaxOrder];
            Span<double> exp = stackalloc double[SmallExpm.MaxOrder * SmallExpm.MaxOrder];
            for (var i = range.Item1; i < range.Item2; i++)
            {
                if (i > Volatile.Read(ref errorIndex))
                {
                    return worker;
                }

                var e = s.Subject(request, shape, i, worker, a, aug, exp);
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

                    return worker;
                }
            }

            var d = Interlocked.Add(ref done, range.Item2 - range.Item1);
            progress?.Report(0.1 * d / n);
            return worker;
        }, _ => { });

        if (error is not null)
        {
            return ParseResult<SubjectSystems>.Fail(error);
        }

        s.AddWarnings(request, sys0);
        s.SetupSeconds = clock.Elapsed.TotalSeconds;
        return ParseResult<SubjectSystems>.Ok(s);
    }

    // What subject 1 fixed: the kept states, the output state and the dosing slots in reduced states.
    private sealed record Shape(int[] Keep, int[] Map, int OutputState, (double Start, double End, int State)[] Rates, (double Time, int State)[] Boluses);

    // What one worker reuses for every subject it builds (builder, eta lookup, options, dosing lists, matrix), so that
    // building a subject makes no garbage: at 10⁶ subjects the collections of ~3 KiB each stopped every worker.
    private sealed class Worker
    {
        public Worker(PopulationRequest request, Route[] routes, int order)
        {
            Routes = routes;
            Etas = NewEtas(request.Population);
            var etas = Etas;
            Eta = name => etas.TryGetValue(name, out var v) ? v : 0.0;
            Options = new SubjectOptions { Etas = etas, Routes = routes, EffectSite = request.EffectSite, RouteOverrides = request.RouteOverrides };
            Matrix = new double[order * order];
        }

        public Route[] Routes { get; }

        public Dictionary<string, double> Etas { get; }

        public Func<string, double> Eta { get; }

        public SubjectOptions Options { get; }

        public SystemBuilder Builder { get; } = new();

        public List<BolusInput> Boluses { get; } = [];

        public List<RateInput> Rates { get; } = [];

        public double[] Matrix { get; }
    }

    private void AddWarnings(PopulationRequest request, CompartmentSystem sys0)
    {
        var model = request.Model;
        var pop = request.Population;
        var n = pop.Count;
        var st = model.Population;
        Warnings.AddRange(model.CheckPatient(pop.CovariatesOf(0)).Where(f => f.Warning.Code == EngineWarningCodes.AgeNotGiven).Select(f => f.Warning));
        if (_weightOutside > 0)
        {
            Warnings.Add(EngineWarning.Of(EngineWarningCodes.PopulationWeightExtrapolated, WarningArg.Of("model", model.Id), WarningArg.Of("count", _weightOutside),
                WarningArg.Of("n", n), WarningArg.Of("min", st.WeightKg.Min, "kg"), WarningArg.Of("max", st.WeightKg.Max, "kg")));
        }

        if (_ageOutside > 0)
        {
            Warnings.Add(EngineWarning.Of(EngineWarningCodes.PopulationAgeExtrapolated, WarningArg.Of("model", model.Id), WarningArg.Of("count", _ageOutside),
                WarningArg.Of("n", n), WarningArg.Of("min", st.AgeYears.Min, "years"), WarningArg.Of("max", st.AgeYears.Max, "years")));
        }

        if (pop.EtaNames.Count == 0)
        {
            Warnings.Add(EngineWarning.Of(EngineWarningCodes.PopulationNoVariability, WarningArg.Of("model", model.Id)));
        }

        foreach (var route in request.Regimen.Routes)
        {
            if (sys0.Routes.TryGetValue(route, out var input) && input.IsAssumption)
            {
                Warnings.Add(Simulation.Simulator.RouteAssumed(input));
            }
        }
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

    // Subject 1 as a whole system and schedule: its structure is what every other subject must share.
    private static (CompartmentSystem System, DosingSchedule Schedule)? BuildSubject(PopulationRequest request, IReadOnlyCollection<Route> routes, Dictionary<string, double> etas, out string? error)
    {
        const int i = 0;
        var pop = request.Population;
        for (var j = 0; j < pop.EtaNames.Count; j++)
        {
            etas[pop.EtaNames[j]] = pop.Eta(i, j);
        }

        var cov = pop.CovariatesOf(i);
        CompartmentSystem system;
        try
        {
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

    // Builds subject i, checks it has subject 1's shape, and stores its dosing, output scale and propagators.
    private string? Subject(PopulationRequest request, Shape shape, int i, Worker worker, Span<double> a, Span<double> aug, Span<double> exp)
    {
        var pop = request.Population;
        for (var j = 0; j < pop.EtaNames.Count; j++)
        {
            worker.Etas[pop.EtaNames[j]] = pop.Eta(i, j);
        }

        var cov = pop.CovariatesOf(i);
        var b = worker.Builder;
        try
        {
            request.Model.BuildInto(b, cov, worker.Options, worker.Routes, worker.Eta);
        }
        catch (ArgumentException e)
        {
            return string.Create(CultureInfo.InvariantCulture, $"subject {i + 1}: {e.Message}");
        }

        var resolveError = DosingSchedule.ResolveInto(request.Regimen, b.Routes, cov.Weight, worker.Boluses, worker.Rates, out _);
        if (resolveError is not null)
        {
            return string.Create(CultureInfo.InvariantCulture, $"subject {i + 1}: {resolveError}");
        }

        // The schedule's order (DosingSchedule): by time, stable.
        DosingSchedule.SortByTime(worker.Boluses, x => x.Time);
        DosingSchedule.SortByTime(worker.Rates, x => x.Start);

        var (keep, map) = (shape.Keep, shape.Map);
        var order = b.Order;
        if (order != map.Length || !b.TryGetOutput(request.Output, out var outState, out var outScale) || outState != shape.OutputState)
        {
            return DifferentShape(i);
        }

        var matrix = worker.Matrix.AsSpan(0, order * order);
        b.FillMatrix(matrix);

        // No state outside the kept set may feed the kept set.
        foreach (var r in keep)
        {
            for (var c = 0; c < order; c++)
            {
                if (map[c] < 0 && matrix[(r * order) + c] != 0)
                {
                    return DifferentShape(i);
                }
            }
        }

        var studied = request.Model.Population;
        if (pop.WeightKg(i) < studied.WeightKg.Min || pop.WeightKg(i) > studied.WeightKg.Max)
        {
            Interlocked.Increment(ref _weightOutside);
        }

        if (pop.AgeYears(i) is { } age && (age < studied.AgeYears.Min || age > studied.AgeYears.Max))
        {
            Interlocked.Increment(ref _ageOutside);
        }

        var np = Np;
        var rates = shape.Rates;
        var slot = 0;
        foreach (var r in worker.Rates)
        {
            var st = map[r.State];
            if (st < 0)
            {
                continue;
            }

            if (slot >= rates.Length || rates[slot].Start != r.Start || rates[slot].End != r.End || rates[slot].State != st)
            {
                return DifferentTimes(i);
            }

            if (!double.IsFinite(r.RateMgPerMin) || r.RateMgPerMin < 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"subject {i + 1}: an infusion rate of {r.RateMgPerMin} mg/min; each rate must be finite and ≥ 0.");
            }

            RateValues[(slot * np) + i] = r.RateMgPerMin;
            slot++;
        }

        var boluses = shape.Boluses;
        var bslot = 0;
        foreach (var bolus in worker.Boluses)
        {
            var st = map[bolus.State];
            if (st < 0)
            {
                continue;
            }

            if (bslot >= boluses.Length || boluses[bslot].Time != bolus.Time || boluses[bslot].State != st)
            {
                return DifferentTimes(i);
            }

            BolusValues[(bslot * np) + i] = bolus.AmountMg;
            bslot++;
        }

        if (slot != rates.Length || bslot != boluses.Length)
        {
            return DifferentTimes(i);
        }

        Scale[i] = outScale;
        var m = M;
        for (var r = 0; r < m; r++)
        {
            for (var c = 0; c < m; c++)
            {
                a[(r * m) + c] = matrix[(keep[r] * order) + keep[c]];
            }
        }

        Propagators.Fill(a[..(m * m)], m, InputStates, Grid.StepLengths, i, np, Phi, Gamma, aug, exp);
        return null;
    }

    private static string DifferentShape(int i) =>
        string.Create(CultureInfo.InvariantCulture, $"subject {i + 1}: the model built a differently shaped system than for subject 1; population simulation needs one structure.");

    private static string DifferentTimes(int i) =>
        string.Create(CultureInfo.InvariantCulture, $"subject {i + 1}: its dosing times differ from subject 1's; population simulation needs the same dosing times for every subject.");

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
}
