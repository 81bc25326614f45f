using System.Globalization;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Simulation;

/// <summary>Everything one simulation needs.</summary>
/// <param name="Model">The PK model.</param>
/// <param name="Patient">The patient's covariates.</param>
/// <param name="Regimen">What is given when.</param>
public sealed record SimulationRequest(PkModel Model, Covariates Patient, Regimen Regimen)
{
    /// <summary>End of the output grid (default 24 h).</summary>
    public Duration Until { get; init; } = Duration.FromHours(24);

    /// <summary>Grid step (default 1 min).</summary>
    public Duration Step { get; init; } = Duration.FromMinutes(1);

    /// <summary>Effect-site constant, or null for no effect site.</summary>
    public Ke0Option? EffectSite { get; init; }

    /// <summary>Also predict the slow pain-relief effect site (Dahan 2011).</summary>
    public bool PainRelief { get; init; }

    /// <summary>Exact (default) or Dormand–Prince.</summary>
    public SolverKind Solver { get; init; } = SolverKind.Exact;

    /// <summary>Individual etas (log-scale) by parameter name; null for typical values.</summary>
    public IReadOnlyDictionary<string, double>? Etas { get; init; }

    /// <summary>Route parameters replacing the defaults.</summary>
    public IReadOnlyDictionary<Route, RouteParameters>? RouteOverrides { get; init; }
}

/// <summary>Runs simulations; returns errors as values (bad input is expected, not exceptional).</summary>
public static class Simulator
{
    /// <summary>Largest number of grid points one simulation returns (a month at 1-min resolution is ≈ 44,000).</summary>
    public const int MaxGridPoints = 2_000_000;

    /// <summary>Simulates the request on its grid.</summary>
    public static ParseResult<SimulationResult> Run(SimulationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var step = request.Step.Minutes;
        var until = request.Until.Minutes;
        if (step <= 0)
        {
            return ParseResult<SimulationResult>.Fail("step: must be greater than 0.");
        }

        if (until <= 0)
        {
            return ParseResult<SimulationResult>.Fail("until: must be greater than 0.");
        }

        var count = (until / step) + 1;
        if (count > MaxGridPoints)
        {
            return ParseResult<SimulationResult>.Fail(string.Create(CultureInfo.InvariantCulture, $"step: {request.Until} at a step of {request.Step} is {count:0} points; the maximum is {MaxGridPoints}. Use a larger step."));
        }

        return Run(request, Grid(until, step));
    }

    /// <summary>Simulates the request at the given output times (ascending, min).</summary>
    public static ParseResult<SimulationResult> Run(SimulationRequest request, double[] times)
    {
        var prepared = Prepare(request);
        if (!prepared.IsSuccess)
        {
            return ParseResult<SimulationResult>.Fail(prepared);
        }

        var (system, schedule, warnings) = prepared.Value;
        var states = Engine.Run(system, schedule, times, request.Solver);
        return ParseResult<SimulationResult>.Ok(new SimulationResult(system, schedule, times, states, warnings));
    }

    /// <summary>
    /// Simulates the request jointly with a (possibly nonlinear) PD model on the request's grid, by
    /// Dormand–Prince. Returns the PK result and the PD states: pd[k * pd.StateCount + j] at grid point k.
    /// </summary>
    public static ParseResult<(SimulationResult Pk, double[] Pd)> RunWithPd(SimulationRequest request, Dynamics.INonlinearPdModel pd)
    {
        ArgumentNullException.ThrowIfNull(pd);
        var prepared = Prepare(request);
        if (!prepared.IsSuccess)
        {
            return ParseResult<(SimulationResult, double[])>.Fail(prepared);
        }

        var (system, schedule, warnings) = prepared.Value;
        if (system.Output(pd.DriverKey) is null)
        {
            return ParseResult<(SimulationResult, double[])>.Fail($"pd: the driving output \"{pd.DriverKey}\" is not modelled; available: {string.Join(", ", system.Outputs.Select(o => o.Key))}.");
        }

        var times = Grid(request.Until.Minutes, request.Step.Minutes);
        var combined = Engine.RunWithPd(system, schedule, times, pd);
        int n = system.Order, m = pd.StateCount;
        var pk = new double[times.Length * n];
        var pdStates = new double[times.Length * m];
        for (var k = 0; k < times.Length; k++)
        {
            combined.AsSpan(k * (n + m), n).CopyTo(pk.AsSpan(k * n, n));
            combined.AsSpan((k * (n + m)) + n, m).CopyTo(pdStates.AsSpan(k * m, m));
        }

        return ParseResult<(SimulationResult, double[])>.Ok((new SimulationResult(system, schedule, times, pk, warnings), pdStates));
    }

    private static ParseResult<(CompartmentSystem System, DosingSchedule Schedule, List<EngineWarning> Warnings)> Prepare(SimulationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var model = request.Model;
        var findings = model.CheckPatient(request.Patient);
        var refusal = findings.FirstOrDefault(f => f.Refused);
        if (refusal is not null)
        {
            return ParseResult<(CompartmentSystem, DosingSchedule, List<EngineWarning>)>.Fail(refusal.Warning);
        }

        CompartmentSystem system;
        try
        {
            system = model.Build(request.Patient, new SubjectOptions
            {
                EffectSite = request.EffectSite,
                Routes = request.Regimen.Routes,
                Etas = request.Etas,
                PainRelief = request.PainRelief,
                RouteOverrides = request.RouteOverrides,
            });
        }
        catch (ArgumentException e)
        {
            return Fail(e.Message);
        }

        var schedule = DosingSchedule.Resolve(request.Regimen, system, request.Patient.Weight);
        if (!schedule.IsSuccess)
        {
            return Fail(schedule.Error);
        }

        var warnings = findings.Select(f => f.Warning).ToList();
        foreach (var route in request.Regimen.Routes)
        {
            var input = system.Routes[route];
            if (input.IsAssumption)
            {
                warnings.Add(RouteAssumed(input));
            }
        }

        if (request.EffectSite is { Borrowed: true } ke0)
        {
            warnings.Add(Ke0Borrowed(ke0, model));
        }

        return ParseResult<(CompartmentSystem, DosingSchedule, List<EngineWarning>)>.Ok((system, schedule.Value, warnings));

        static ParseResult<(CompartmentSystem, DosingSchedule, List<EngineWarning>)> Fail(string e) => ParseResult<(CompartmentSystem, DosingSchedule, List<EngineWarning>)>.Fail(e);
    }

    /// <summary>The warning that a route's absorption numbers are not the model's own.</summary>
    internal static EngineWarning RouteAssumed(RouteInput input) =>
        EngineWarning.Of(EngineWarningCodes.RouteAssumed, WarningArg.Of("route", input.Route.ToString()), WarningArg.Of("source", input.Source));

    /// <summary>The warning that <paramref name="ke0"/> was not estimated with <paramref name="model"/>.</summary>
    internal static EngineWarning Ke0Borrowed(Ke0Option ke0, PkModel model) =>
        EngineWarning.Of(EngineWarningCodes.Ke0Borrowed, WarningArg.Of("ke0", ke0.Ke0PerMinute, "/min"), WarningArg.Of("source", ke0.Source), WarningArg.Of("model", model.Id));

    /// <summary>0, step, 2·step, …, up to and including <paramref name="until"/> (min).</summary>
    public static double[] Grid(double until, double step)
    {
        var n = (int)Math.Floor((until / step) + 1e-9);
        var last = n * step;
        var extra = until - last > 1e-9 * step ? 1 : 0;
        var t = new double[n + 1 + extra];
        for (var k = 0; k <= n; k++)
        {
            t[k] = k * step;
        }

        if (extra == 1)
        {
            t[^1] = until;
        }

        return t;
    }
}
