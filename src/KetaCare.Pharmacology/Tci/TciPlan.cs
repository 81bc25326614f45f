using System.Globalization;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Solvers;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tci;

/// <summary>Which controller set the rate of one update period.</summary>
public enum TciControl
{
    /// <summary>Plasma targeting (Jacobs 1990): the rate that brings plasma to the target at the end of the period.</summary>
    Plasma,

    /// <summary>Effect-site targeting (Shafer &amp; Gregg 1992): the rate whose effect-site peak equals the target.</summary>
    EffectSite,
}

/// <summary>One update period of the fine TCI schedule: a constant rate over [Start, End).</summary>
/// <param name="Start">Start, time since the session start.</param>
/// <param name="End">End, time since the session start.</param>
/// <param name="Rate">Drug rate.</param>
/// <param name="PumpRate">The same rate as a pump flow for the plan's bag concentration.</param>
/// <param name="PlasmaAtEnd">Predicted plasma concentration at <paramref name="End"/>.</param>
/// <param name="EffectAtEnd">Predicted effect-site concentration at <paramref name="End"/>, or null without an effect site.</param>
/// <param name="Control">Which controller chose the rate.</param>
public sealed record TciStep(Duration Start, Duration End, DoseRate Rate, FlowRate PumpRate, Concentration PlasmaAtEnd, Concentration? EffectAtEnd, TciControl Control);

/// <summary>
/// A target-controlled infusion plan: the fine schedule (one rate per update period) with its predicted
/// concentrations, the manual-pump step schedule, and the states needed to re-plan. Made by
/// <see cref="TciPlanner"/>. Immutable; safe to share between threads.
/// </summary>
public sealed class TciPlan
{
    private readonly double[] _states;
    private readonly double[] _rates;
    private readonly double[] _input;

    internal TciPlan(TciSettings settings, CompartmentSystem system, double[] input, Duration start, double periodMinutes,
        double[] rates, double[] states, TciControl[] control, Duration? handoff, IReadOnlyList<EngineWarning> warnings)
    {
        Settings = settings;
        System = system;
        _input = input;
        _rates = rates;
        _states = states;
        Start = start;
        PeriodMinutes = periodMinutes;
        HandoffTime = handoff;
        Warnings = warnings;
        var n = system.Order;
        var plasma = system.Output("plasma")!;
        var effect = system.Output("effect");
        var steps = new TciStep[rates.Length];
        var target = settings.Target.MilligramsPerLiter;
        var targeted = settings.Site == TciSite.EffectSite ? effect! : plasma;
        var total = 0.0;
        for (var m = 0; m < rates.Length; m++)
        {
            var end = (m + 1) * n;
            var cp = Math.Max(0, states[end + plasma.State] * plasma.Scale);
            double? ce = effect is null ? null : Math.Max(0, states[end + effect.State] * effect.Scale);
            var rate = DoseRate.FromMilligramsPerMinute(rates[m]);
            steps[m] = new TciStep(TimeAt(m), TimeAt(m + 1), rate, rate / settings.Concentration,
                Concentration.FromMilligramsPerLiter(cp), ce is { } e ? Concentration.FromMilligramsPerLiter(e) : null, control[m]);
            total += rates[m] * periodMinutes;
            if (TimeToTarget is null && Math.Abs((states[end + targeted.State] * targeted.Scale) - target) <= ReachedTolerance * target)
            {
                TimeToTarget = TimeAt(m + 1);
            }
        }

        Steps = steps;
        TotalAmount = Mass.FromMilligrams(total);
    }

    /// <summary>Relative distance from the target within which <see cref="TimeToTarget"/> counts the target as reached (1 %).</summary>
    public const double ReachedTolerance = 0.01;

    /// <summary>The settings the plan was made with.</summary>
    public TciSettings Settings { get; }

    /// <summary>The subject's system the plan was made for.</summary>
    public CompartmentSystem System { get; }

    /// <summary>Start of the plan, time since the session start (0 unless re-planned).</summary>
    public Duration Start { get; }

    /// <summary>End of the plan: <see cref="Start"/> plus the duration rounded up to whole update periods.</summary>
    public Duration End => TimeAt(_rates.Length);

    /// <summary>The fine schedule, one step per update period.</summary>
    public IReadOnlyList<TciStep> Steps { get; }

    /// <summary>The manual-pump schedule, or null when <see cref="TciSettings.Steps"/> is 0.</summary>
    public ManualPumpSchedule? Manual { get; internal set; }

    /// <summary>Effect-site mode: when control passed to plasma targeting near the target; null otherwise.</summary>
    public Duration? HandoffTime { get; }

    /// <summary>First update time at which the targeted concentration is within 1 % of the target; null if never.</summary>
    public Duration? TimeToTarget { get; }

    /// <summary>Drug given by the fine schedule.</summary>
    public Mass TotalAmount { get; }

    /// <summary>Volume given by the fine schedule at the bag concentration; null when nothing is given.</summary>
    public Volume? TotalVolume => TotalAmount.Milligrams > 0 ? Volume.FromLiters(TotalAmount.Milligrams / Settings.Concentration.MilligramsPerLiter) : null;

    /// <summary>Population-range findings, borrowed constants, unreached targets: what a clinician should read with the plan.</summary>
    public IReadOnlyList<EngineWarning> Warnings { get; }

    /// <summary>The state at the start of the plan.</summary>
    public TciState InitialState => StateAtStep(0);

    /// <summary>The state at <see cref="End"/>.</summary>
    public TciState FinalState => StateAtStep(_rates.Length);

    internal double PeriodMinutes { get; }

    /// <summary>
    /// The exact predicted state at <paramref name="time"/> (between <see cref="Start"/> and <see cref="End"/>), for
    /// re-planning from that moment with a new target or a new model build.
    /// </summary>
    public ParseResult<TciState> StateAt(Duration time)
    {
        var offset = time.Minutes - Start.Minutes;
        var length = _rates.Length * PeriodMinutes;
        if (offset < -1e-9 || offset > length + 1e-9)
        {
            return ParseResult<TciState>.Fail(string.Create(CultureInfo.InvariantCulture, $"time: must be between {Start} and {End} (was {time})."));
        }

        var m = (int)Math.Clamp(Math.Floor((offset / PeriodMinutes) + 1e-9), 0, _rates.Length);
        var rest = offset - (m * PeriodMinutes);
        if (m == _rates.Length || rest <= 1e-12)
        {
            return ParseResult<TciState>.Ok(StateAtStep(m));
        }

        var n = System.Order;
        var x = _states.AsSpan(m * n, n).ToArray();
        var u = new double[n];
        for (var i = 0; i < n; i++)
        {
            u[i] = _input[i] * _rates[m];
        }

        new Propagator(n, System.Matrix, rest).Advance(x, u, new double[n]);
        return ParseResult<TciState>.Ok(TciState.Trusted(time, x));
    }

    /// <summary>
    /// The fine schedule as engine inputs (IV, absolute times), for re-simulation with
    /// <see cref="Engine.Run"/>; optionally cut at <paramref name="until"/> (e.g. where a re-plan takes over).
    /// </summary>
    public DosingSchedule ToDosingSchedule(Duration? until = null) => ToDosingSchedule(System, until);

    /// <summary>The fine schedule resolved for another system (e.g. a "true" patient) through that system's IV route.</summary>
    public DosingSchedule ToDosingSchedule(CompartmentSystem system, Duration? until = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        var paths = system.Routes[Route.Intravenous].Paths;
        var stop = until?.Minutes ?? double.PositiveInfinity;
        var rates = new List<RateInput>();
        var given = 0.0;
        for (var m = 0; m < _rates.Length; m++)
        {
            var s = TimeAt(m).Minutes;
            var e = Math.Min(TimeAt(m + 1).Minutes, stop);
            if (!(e > s) || _rates[m] <= 0)
            {
                continue;
            }

            given += _rates[m] * (e - s);
            foreach (var p in paths)
            {
                rates.Add(new RateInput(s, e, p.State, _rates[m] * p.Fraction));
            }
        }

        return new DosingSchedule([], rates, given);
    }

    /// <summary>
    /// Accuracy of this plan's predictions if the patient were <paramref name="truePatient"/> (e.g. the model
    /// built with individual etas): Varvel's MDPE, MDAPE, wobble and divergence at the sample times. Only for
    /// plans that start drug-free at time 0; the error names what is wrong.
    /// </summary>
    /// <param name="truePatient">The system standing in for the real patient.</param>
    /// <param name="sampleTimes">Sampling times within the plan, ascending, after the start (where predictions are 0).</param>
    /// <param name="output">"plasma" (default) or "effect".</param>
    public ParseResult<PerformanceMetrics> Evaluate(CompartmentSystem truePatient, IReadOnlyList<Duration> sampleTimes, string output = "plasma")
    {
        ArgumentNullException.ThrowIfNull(truePatient);
        ArgumentNullException.ThrowIfNull(sampleTimes);
        if (Start.Minutes != 0 || InitialState.Values.Any(v => v != 0))
        {
            return ParseResult<PerformanceMetrics>.Fail("plan: accuracy is evaluated only for plans that start drug-free at time 0.");
        }

        var predictedChannel = System.Output(output);
        var trueChannel = truePatient.Output(output);
        if (predictedChannel is null || trueChannel is null)
        {
            return ParseResult<PerformanceMetrics>.Fail($"output: \"{output}\" is not reported by both systems.");
        }

        var times = sampleTimes.Select(t => t.Minutes).ToArray();
        for (var k = 0; k < times.Length; k++)
        {
            if ((k > 0 && !(times[k] > times[k - 1])) || times[k] > End.Minutes + 1e-9)
            {
                return ParseResult<PerformanceMetrics>.Fail(string.Create(CultureInfo.InvariantCulture, $"sampleTimes: must be strictly ascending and within {Start}–{End}."));
            }
        }

        var predicted = Engine.Run(System, ToDosingSchedule(System), times);
        var measured = Engine.Run(truePatient, ToDosingSchedule(truePatient), times);
        var samples = new PredictionSample[times.Length];
        for (var k = 0; k < times.Length; k++)
        {
            var p = Math.Max(0, predicted[(k * System.Order) + predictedChannel.State] * predictedChannel.Scale);
            var m = Math.Max(0, measured[(k * truePatient.Order) + trueChannel.State] * trueChannel.Scale);
            samples[k] = new PredictionSample(sampleTimes[k], Concentration.FromMilligramsPerLiter(m), Concentration.FromMilligramsPerLiter(p));
        }

        return PerformanceMetrics.Compute(samples);
    }

    internal ReadOnlySpan<double> RatesMgPerMin => _rates;

    internal ReadOnlySpan<double> InputVector => _input;

    internal Duration TimeAt(int m) => Duration.FromMinutes(Start.Minutes + (m * PeriodMinutes));

    private TciState StateAtStep(int m)
    {
        var n = System.Order;
        return TciState.Trusted(TimeAt(m), _states.AsSpan(m * n, n).ToArray());
    }
}
