using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Solvers;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tci;

/// <summary>One rate a nurse programs on an ordinary pump, with the concentrations it achieves.</summary>
/// <param name="Start">When to set the rate, time since the session start.</param>
/// <param name="End">When the next rate (or stop) takes over.</param>
/// <param name="PumpRate">Pump rate, rounded to <see cref="TciSettings.ManualRateResolution"/> and never above <see cref="TciSettings.MaxRate"/>.</param>
/// <param name="Rate">The drug rate the pump rate delivers.</param>
/// <param name="Amount">Drug given during the step.</param>
/// <param name="Volume">Volume to be infused during the step; null when the rate is 0.</param>
/// <param name="TciAmount">Drug the fine TCI schedule gives over the same interval (the step is chosen to match it).</param>
/// <param name="PlasmaAtEnd">Predicted plasma concentration at <paramref name="End"/> under the manual schedule.</param>
/// <param name="EffectAtEnd">Predicted effect-site concentration at <paramref name="End"/>, or null without an effect site.</param>
/// <param name="PeakPlasma">Highest predicted plasma concentration during the step (sampled every update period and at the end).</param>
/// <param name="PeakEffect">Highest predicted effect-site concentration during the step, or null.</param>
public sealed record ManualPumpStep(Duration Start, Duration End, FlowRate PumpRate, DoseRate Rate, Mass Amount, Volume? Volume, Mass TciAmount,
    Concentration PlasmaAtEnd, Concentration? EffectAtEnd, Concentration PeakPlasma, Concentration? PeakEffect);

/// <summary>
/// A few constant pump rates that track a TCI plan on a pump without TCI. Step boundaries fall on whole
/// minutes from the plan start (coarser for long plans, see <see cref="BoundarySpacing"/>) and are chosen by dynamic programming
/// to minimise the squared deviation of the cumulative amount from the TCI's at every boundary-grid point;
/// each step's rate gives exactly the TCI's amount over the step before rounding to the pump's resolution, so
/// cumulative amounts match at step boundaries. Concentrations come from simulating the rounded rates from the
/// plan's start state with the exact propagator. Immutable; safe to share between threads.
/// </summary>
public sealed class ManualPumpSchedule
{
    // Candidate boundary spacings, min; the first that gives at most MaxCandidates boundaries is used.
    private static readonly double[] Spacings = [1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 720, 1440];
    private const int MaxCandidates = 240;

    private ManualPumpSchedule(CompartmentSystem system, IReadOnlyList<ManualPumpStep> steps, Duration spacing)
    {
        System = system;
        Steps = steps;
        BoundarySpacing = spacing;
        PeakPlasma = steps.Max(s => s.PeakPlasma);
        PeakEffect = steps[0].PeakEffect is null ? null : steps.Max(s => s.PeakEffect!.Value);
        TotalAmount = Mass.FromMilligrams(steps.Sum(s => s.Amount.Milligrams));
    }

    /// <summary>The steps, in time order; their number is <see cref="TciSettings.Steps"/>, or fewer for plans shorter than that many boundary spacings.</summary>
    public IReadOnlyList<ManualPumpStep> Steps { get; }

    /// <summary>Grid the step boundaries are chosen on: 1 min for plans up to 4 h, coarser (2, 5, 10 … min) for longer ones.</summary>
    public Duration BoundarySpacing { get; }

    /// <summary>Highest predicted plasma concentration under the manual schedule.</summary>
    public Concentration PeakPlasma { get; }

    /// <summary>Highest predicted effect-site concentration under the manual schedule, or null without an effect site.</summary>
    public Concentration? PeakEffect { get; }

    /// <summary>Drug given by the manual schedule.</summary>
    public Mass TotalAmount { get; }

    private CompartmentSystem System { get; }

    /// <summary>The manual schedule as engine inputs (IV, absolute times) for re-simulation with <see cref="Engine.Run"/>.</summary>
    public DosingSchedule ToDosingSchedule()
    {
        var paths = System.Routes[Route.Intravenous].Paths;
        var rates = new List<RateInput>();
        foreach (var s in Steps)
        {
            if (s.Rate.MilligramsPerMinute <= 0)
            {
                continue;
            }

            foreach (var p in paths)
            {
                rates.Add(new RateInput(s.Start.Minutes, s.End.Minutes, p.State, s.Rate.MilligramsPerMinute * p.Fraction));
            }
        }

        return new DosingSchedule([], rates, TotalAmount.Milligrams);
    }

    internal static ManualPumpSchedule Build(TciPlan plan)
    {
        var settings = plan.Settings;
        var rates = plan.RatesMgPerMin.ToArray();
        var h = plan.PeriodMinutes;
        var length = rates.Length * h;

        // Cumulative TCI amount at the end of each update period (relative to the plan start).
        var cumulative = new double[rates.Length + 1];
        for (var m = 0; m < rates.Length; m++)
        {
            cumulative[m + 1] = cumulative[m] + (rates[m] * h);
        }

        double AmountBy(double t)
        {
            var m = (int)Math.Clamp(Math.Floor((t / h) + 1e-9), 0, rates.Length);
            return m == rates.Length ? cumulative[m] : cumulative[m] + (rates[m] * (t - (m * h)));
        }

        var spacing = Spacings.FirstOrDefault(g => length / g <= MaxCandidates, Spacings[^1]);
        var c = Math.Max(1, (int)Math.Ceiling((length / spacing) - 1e-9));
        var tau = new double[c + 1];
        var amount = new double[c + 1];
        for (var j = 0; j <= c; j++)
        {
            tau[j] = Math.Min(j * spacing, length);
            amount[j] = AmountBy(tau[j]);
        }

        var boundaries = ChooseBoundaries(tau, amount, Math.Min(settings.Steps, c));
        return Simulate(plan, tau, amount, boundaries, Duration.FromMinutes(spacing));
    }

    // Dynamic programming over boundary-grid indices: cost of a step [a, b] is the squared deviation of the
    // TCI cumulative amount from the straight line joining its values at a and b, at the grid points between.
    private static int[] ChooseBoundaries(double[] tau, double[] amount, int steps)
    {
        var c = tau.Length - 1;
        var cost = new double[(c + 1) * (c + 1)];
        for (var a = 0; a < c; a++)
        {
            for (var b = a + 1; b <= c; b++)
            {
                var slope = (amount[b] - amount[a]) / (tau[b] - tau[a]);
                var sum = 0.0;
                for (var j = a + 1; j < b; j++)
                {
                    var d = amount[j] - (amount[a] + (slope * (tau[j] - tau[a])));
                    sum += d * d;
                }

                cost[(a * (c + 1)) + b] = sum;
            }
        }

        // best[k, j]: least cost covering [0, j] with k steps; from[k, j]: where the last step starts.
        var best = new double[(steps + 1) * (c + 1)];
        var from = new int[(steps + 1) * (c + 1)];
        Array.Fill(best, double.PositiveInfinity);
        best[0] = 0;
        for (var k = 1; k <= steps; k++)
        {
            for (var j = k; j <= c; j++)
            {
                for (var a = k - 1; a < j; a++)
                {
                    var v = best[((k - 1) * (c + 1)) + a] + cost[(a * (c + 1)) + j];
                    if (v < best[(k * (c + 1)) + j])
                    {
                        best[(k * (c + 1)) + j] = v;
                        from[(k * (c + 1)) + j] = a;
                    }
                }
            }
        }

        var result = new int[steps + 1];
        result[steps] = c;
        for (var k = steps; k >= 1; k--)
        {
            result[k - 1] = from[(k * (c + 1)) + result[k]];
        }

        return result;
    }

    private static ManualPumpSchedule Simulate(TciPlan plan, double[] tau, double[] amount, int[] boundaries, Duration spacing)
    {
        var settings = plan.Settings;
        var system = plan.System;
        var n = system.Order;
        var input = plan.InputVector.ToArray();
        var h = plan.PeriodMinutes;
        var start = plan.Start.Minutes;
        var bagMgPerMl = settings.Concentration.MilligramsPerMilliliter;
        var resolution = settings.ManualRateResolution.MillilitersPerHour;
        var maxFlow = settings.MaxDoseRateMgPerMin * 60.0 / bagMgPerMl;
        var plasma = system.Output("plasma")!;
        var effect = system.Output("effect");
        var propagators = new Dictionary<double, Propagator>();
        Propagator Get(double step)
        {
            if (!propagators.TryGetValue(step, out var p))
            {
                p = new Propagator(n, system.Matrix, step);
                propagators[step] = p;
            }

            return p;
        }

        var x = plan.InitialState.Values.ToArray();
        var u = new double[n];
        var scratch = new double[n];
        var steps = new List<ManualPumpStep>();
        for (var s = 0; s + 1 < boundaries.Length; s++)
        {
            int a = boundaries[s], b = boundaries[s + 1];
            var span = tau[b] - tau[a];
            var tciAmount = Math.Max(0, amount[b] - amount[a]);
            var flow = Math.Round(tciAmount / span * 60.0 / bagMgPerMl / resolution, MidpointRounding.AwayFromZero) * resolution;
            if (flow > maxFlow)
            {
                flow = Math.Floor(maxFlow / resolution) * resolution;
            }

            var rate = flow * bagMgPerMl / 60.0;
            for (var i = 0; i < n; i++)
            {
                u[i] = input[i] * rate;
            }

            double peakP = 0, peakE = 0, done = 0;
            while (span - done > 1e-9)
            {
                var dt = Math.Min(h, span - done);
                Get(dt).Advance(x, u, scratch);
                done += dt;
                peakP = Math.Max(peakP, x[plasma.State] * plasma.Scale);
                if (effect is not null)
                {
                    peakE = Math.Max(peakE, x[effect.State] * effect.Scale);
                }
            }

            var cp = Concentration.FromMilligramsPerLiter(Math.Max(0, x[plasma.State] * plasma.Scale));
            Concentration? ce = effect is null ? null : Concentration.FromMilligramsPerLiter(Math.Max(0, x[effect.State] * effect.Scale));
            var given = rate * span;
            steps.Add(new ManualPumpStep(
                Duration.FromMinutes(start + tau[a]), Duration.FromMinutes(start + tau[b]),
                FlowRate.FromMillilitersPerHour(flow), DoseRate.FromMilligramsPerMinute(rate),
                Mass.FromMilligrams(given), given > 0 ? Volume.FromMilliliters(given / bagMgPerMl) : null, Mass.FromMilligrams(tciAmount),
                cp, ce, Concentration.FromMilligramsPerLiter(Math.Max(0, peakP)), effect is null ? null : Concentration.FromMilligramsPerLiter(Math.Max(0, peakE))));
        }

        return new ManualPumpSchedule(system, steps, spacing);
    }
}
