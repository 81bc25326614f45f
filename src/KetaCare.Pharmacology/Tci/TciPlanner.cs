using System.Globalization;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Solvers;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tci;

/// <summary>
/// Plans target-controlled infusions for any <see cref="CompartmentSystem"/> with an IV route.
/// <para>
/// Plasma targeting follows Jacobs JR, "Algorithm for optimal linear model-based control with application to
/// pharmacokinetic model-driven drug delivery", IEEE Trans Biomed Eng 1990;37:107–109: at every update the
/// exact solution over one period (Φ = e^{Ah}, Γ = ∫₀ʰ e^{As} ds) gives the plasma concentration reached
/// without drug and per unit rate, and the rate that lands plasma on the target at the end of the period is
/// clipped to [0, maximum rate]. With the pump at its maximum until the last rising period, the target is
/// reached no later than one period after a maximum-rate infusion would reach it, and never overshot. Between
/// updates plasma dips slightly below the target, more the longer the period: with Domino 1984 under 0.1 % at
/// the default 10 s, 0.4 % at 30 s, 1.4 % at 60 s (tests).
/// </para>
/// <para>
/// Effect-site targeting follows Shafer SL, Gregg KM, "Algorithms to rapidly achieve and maintain stable drug
/// concentrations at the site of drug effect with a computer-controlled infusion pump", J Pharmacokinet
/// Biopharm 1992;20:147–169: the rate for the coming period, followed by no drug, is the one whose effect-site
/// peak equals the target. Shafer and Gregg find it by iterating on the time of peak; here the same condition
/// is solved directly: with F(t) the drug-free effect-site prediction and U(t) the response to a unit rate over
/// one period, the largest rate with F(t) + r·U(t) ≤ target at every future time t is r = min_t (target −
/// F(t)) / U(t), and at that rate the peak touches the target. t runs over a grid spaced by the update period,
/// or a tenth of t½ke0 if that is shorter, through the period and then five t½ke0 (at least 10 min). Like
/// STANPUMP, the planner hands off to plasma targeting at the same target near the target, which holds plasma,
/// and so the effect site, there without the period-to-period aliasing of repeated effect-site pulses. The
/// hand-off rule is KetaCare's: the effect site within <see cref="HandoffTolerance"/> of the target and plasma
/// no longer above both the effect site and the target.
/// </para>
/// <para>
/// Unit responses are computed once per plan (one or two matrix exponentials, plus one row per point of the
/// effect-site horizon), so each update costs a few dot products: a 60-min plan at 10 s takes about a
/// millisecond. Stateless and thread-safe.
/// </para>
/// </summary>
/// <example>
/// What <c>ketacare tci --model domino1984 --weight 70 --target "150 ng/mL" --site effect --steps 4</c> does
/// (run as a test in TciUsageExampleTests):
/// <code>
/// var model = ModelLibrary.Get("domino1984").Value;
/// var patient = new Covariates(BodyWeight.FromKilograms(70), AgeYears: 45);
/// var settings = TciSettings.FromText("150 ng/mL", site: "effect", duration: "60 min", concentration: "1 mg/mL", maxRate: "1200 mL/h", steps: 4);
/// var plan = TciPlanner.Plan(model, patient, settings.Value);     // ParseResult: check IsSuccess / Error
/// foreach (var step in plan.Value.Steps) { /* step.Start, step.PumpRate (mL/h), step.Rate (mg/h), step.PlasmaAtEnd, step.EffectAtEnd */ }
/// foreach (var step in plan.Value.Manual!.Steps) { /* step.Start, step.End, step.PumpRate, step.PlasmaAtEnd, step.PeakPlasma */ }
/// // Target changed at 20 min: re-plan from the predicted state at that moment.
/// var now = plan.Value.StateAt(Duration.FromMinutes(20)).Value;
/// var next = TciPlanner.Plan(plan.Value.System, settings.Value with { Target = Concentration.FromNanogramsPerMilliliter(200) }, now);
/// </code>
/// </example>
public static class TciPlanner
{
    /// <summary>Effect-site mode hands off to plasma targeting once the effect site is within this fraction of the target.</summary>
    public const double HandoffTolerance = 0.01;

    /// <summary>
    /// Builds <paramref name="model"/> for <paramref name="patient"/> and plans. The system gets an effect site
    /// (<paramref name="effectSite"/>, else the model's first <see cref="PkModel.EffectSiteOptions"/>) so that the
    /// effect-site prediction is shown in plasma mode too; effect-site mode is refused when there is none.
    /// <see cref="TciSettings.Weight"/> defaults to the patient's weight. Refusals by the model's population
    /// check come back as errors; its warnings are in <see cref="TciPlan.Warnings"/>.
    /// </summary>
    /// <param name="model">A model of the library.</param>
    /// <param name="patient">The patient's covariates.</param>
    /// <param name="settings">Target, site, pump and caps.</param>
    /// <param name="effectSite">ke0 to use, or null for the model's default.</param>
    /// <param name="etas">Individual etas (log scale) by parameter name, or null for typical values.</param>
    /// <param name="from">State to start from (re-planning), or null for a drug-free start at time 0.</param>
    public static ParseResult<TciPlan> Plan(PkModel model, Covariates patient, TciSettings settings, Ke0Option? effectSite = null,
        IReadOnlyDictionary<string, double>? etas = null, TciState? from = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(settings);
        var findings = model.CheckPatient(patient);
        if (findings.FirstOrDefault(f => f.Refused) is { } refusal)
        {
            return ParseResult<TciPlan>.Fail(refusal.Message);
        }

        var ke0 = effectSite ?? model.EffectSiteOptions.FirstOrDefault();
        if (settings.Site == TciSite.EffectSite && ke0 is null)
        {
            return ParseResult<TciPlan>.Fail($"site: {model.Id} has no effect-site constant; supply one (EffectSites.UserSupplied) or target plasma.");
        }

        CompartmentSystem system;
        try
        {
            system = model.Build(patient, new SubjectOptions { EffectSite = ke0, Etas = etas });
        }
        catch (ArgumentException e)
        {
            return ParseResult<TciPlan>.Fail(e.Message);
        }

        var warnings = findings.Select(f => f.Warning).ToList();
        if (ke0 is { Borrowed: true })
        {
            warnings.Add(Simulation.Simulator.Ke0Borrowed(ke0, model));
        }

        return PlanCore(system, settings with { Weight = settings.Weight ?? patient.Weight }, from, warnings);
    }

    /// <summary>
    /// Plans a TCI for <paramref name="system"/>: the fine schedule, its predictions and the manual-pump steps.
    /// Errors (as values) name the setting and its allowed range; effect-site mode needs a system built with an
    /// effect site (<see cref="SubjectOptions.EffectSite"/>, e.g. <see cref="EffectSites.Olofsen2012Analgesia"/>).
    /// </summary>
    /// <param name="system">The subject's system (IV route without lag).</param>
    /// <param name="settings">Target, site, pump and caps.</param>
    /// <param name="from">
    /// State to start from when the target or the patient changes (<see cref="TciPlan.StateAt"/> of the running
    /// plan); it must have the system's order. Null for a drug-free start at time 0.
    /// </param>
    public static ParseResult<TciPlan> Plan(CompartmentSystem system, TciSettings settings, TciState? from = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        return PlanCore(system, settings, from, []);
    }

    private static ParseResult<TciPlan> PlanCore(CompartmentSystem system, TciSettings settings, TciState? from, List<EngineWarning> warnings)
    {
        var valid = settings.Validate();
        if (!valid.IsSuccess)
        {
            return ParseResult<TciPlan>.Fail(valid);
        }

        var n = system.Order;
        if (from is not null && from.Order != n)
        {
            return ParseResult<TciPlan>.Fail(string.Create(CultureInfo.InvariantCulture,
                $"from: the state has {from.Order} values but the system has {n} states; re-plan with a build of the same model structure (same effect sites)."));
        }

        var effect = system.Output("effect");
        if (settings.Site == TciSite.EffectSite && effect is null)
        {
            return ParseResult<TciPlan>.Fail("site: effect-site targeting needs a system built with an effect site (SubjectOptions.EffectSite, e.g. EffectSites.Olofsen2012Analgesia or EffectSites.UserSupplied(ke0)); this system has none.");
        }

        if (!system.Routes.TryGetValue(Route.Intravenous, out var iv) || iv.Paths.Any(p => p.LagMinutes != 0 || p.ZeroOrderMinutes is not null))
        {
            return ParseResult<TciPlan>.Fail("system: TCI needs an IV route that delivers without lag.");
        }

        var input = new double[n];
        foreach (var p in iv.Paths)
        {
            input[p.State] += p.Fraction;
        }

        var h = settings.UpdatePeriod.Minutes;
        var count = (int)Math.Ceiling((settings.Duration.Minutes / h) - 1e-9);
        var start = from?.Time ?? Duration.Zero;
        var x = from?.Copy() ?? new double[n];

        var controller = new Controller(system, settings, input, h);
        var rates = new double[count];
        var states = new double[(count + 1) * n];
        var control = new TciControl[count];
        x.CopyTo(states, 0);
        var u = new double[n];
        var scratch = new double[n];
        var latched = settings.Site == TciSite.Plasma;
        Duration? handoff = null;
        var capLimited = false;
        for (var m = 0; m < count; m++)
        {
            if (!latched && controller.ShouldHandOff(x))
            {
                latched = true;
                handoff = Duration.FromMinutes(start.Minutes + (m * h));
            }

            double r;
            if (latched)
            {
                r = controller.PlasmaRate(x);
            }
            else
            {
                r = controller.EffectRate(x, out var limited);
                capLimited |= limited;
            }

            control[m] = latched ? TciControl.Plasma : TciControl.EffectSite;
            rates[m] = r;
            for (var i = 0; i < n; i++)
            {
                u[i] = input[i] * r;
            }

            controller.Step.Advance(x, u, scratch);
            x.CopyTo(states, (m + 1) * n);
        }

        var plan = new TciPlan(settings, system, input, start, h, rates, states, control, handoff, warnings);
        var targeted = settings.Site == TciSite.EffectSite ? plan.Steps[^1].EffectAtEnd!.Value : plan.Steps[^1].PlasmaAtEnd;
        if (plan.TimeToTarget is null)
        {
            warnings.Add(EngineWarning.Of(EngineWarningCodes.TciTargetNotReached, Ng("target", settings.Target),
                WarningArg.Of("minutes", Math.Round(plan.End.Minutes - start.Minutes, 1), "min"), WarningArg.Of("site", SiteName(settings.Site)), Ng("reached", targeted),
                WarningArg.Of("rate", DoseRate.FromMilligramsPerMinute(settings.MaxDoseRateMgPerMin).MilligramsPerHour, "mg/h")));
        }

        var peakPlasma = plan.Steps.Max(s => s.PlasmaAtEnd);
        if (settings.Site == TciSite.EffectSite && peakPlasma > settings.Target * 2)
        {
            warnings.Add(EngineWarning.Of(EngineWarningCodes.TciPlasmaOvershoot, Ng("peak", peakPlasma),
                WarningArg.Of("ratio", peakPlasma.MilligramsPerLiter / settings.Target.MilligramsPerLiter)));
        }

        if (capLimited)
        {
            warnings.Add(EngineWarning.Of(EngineWarningCodes.TciPlasmaCeiling, Ng("ceiling", settings.MaxPlasma!.Value)));
        }

        if (settings.Steps > 0)
        {
            plan.Manual = ManualPumpSchedule.Build(plan);
        }

        return ParseResult<TciPlan>.Ok(plan);
    }

    private static string SiteName(TciSite site) => site == TciSite.EffectSite ? "effect site" : "plasma";

    private static WarningArg Ng(string name, Concentration c) => WarningArg.Of(name, c.NanogramsPerMilliliter, "ng/mL");

    /// <summary>The per-plan unit responses and the two control laws, in canonical units (mg, min, mg/L).</summary>
    private sealed class Controller
    {
        private const int MaxHorizonPoints = 20_000;

        private readonly int _n;
        private readonly double _target;
        private readonly double _maxRate;
        private readonly double _plasmaCap;
        private readonly double[] _plasmaRow;   // scale·e_pᵀΦ: drug-free plasma at the end of the period is _plasmaRow·x
        private readonly double _plasmaUnit;    // plasma at the end of the period per mg/min given during it
        private readonly int _plasmaState;
        private readonly double _plasmaScale;
        private readonly int _effectState = -1;
        private readonly double _effectScale;
        private readonly double[] _horizonRows = [];  // row s: drug-free effect site at (s + 1)·δ is row·x
        private readonly double[] _horizonUnit = [];  // effect site at (s + 1)·δ per mg/min given during the first period only

        public Controller(CompartmentSystem system, TciSettings settings, double[] input, double h)
        {
            _n = system.Order;
            Step = new Propagator(_n, system.Matrix, h);
            _target = settings.Target.MilligramsPerLiter;
            _maxRate = settings.MaxDoseRateMgPerMin;
            _plasmaCap = settings.MaxPlasma?.MilligramsPerLiter ?? double.PositiveInfinity;
            var phi = Step.Phi;
            var gamma = Step.Gamma;
            var unit = new double[_n];
            for (var i = 0; i < _n; i++)
            {
                for (var j = 0; j < _n; j++)
                {
                    unit[i] += gamma[(i * _n) + j] * input[j];
                }
            }

            var plasma = system.Output("plasma")!;
            _plasmaRow = Row(phi, plasma.State, plasma.Scale);
            _plasmaUnit = plasma.Scale * unit[plasma.State];
            _plasmaState = plasma.State;
            _plasmaScale = plasma.Scale;

            if (settings.Site == TciSite.EffectSite && system.Output("effect") is { } effect)
            {
                _effectState = effect.State;
                _effectScale = effect.Scale;
                // Future effect-site values are looked at on a grid no coarser than a tenth of t½ke0 (so that a
                // peak between grid points, or within the pulse period itself, is not missed when ke0 is fast
                // relative to the update period), over the period and then five t½ke0 (at least 10 min).
                var halfLife = Math.Log(2) / -system[effect.State, effect.State];
                // The grid is capped at MaxHorizonPoints (a user ke0 of seconds with a 10-min period would
                // otherwise ask for millions of points); the cap only coarsens grids far finer than 1 s.
                var after = Math.Max(5 * halfLife, 10.0);
                var q = (int)Math.Clamp(Math.Ceiling(h / (halfLife / 10)), 1, MaxHorizonPoints * h / (h + after));
                var delta = h / q;
                var k = q + (int)Math.Ceiling(after / delta);
                var sub = q == 1 ? Step : new Propagator(_n, system.Matrix, delta);
                var subUnit = new double[_n];                   // Γ_δ·b: a unit rate over one sub-step
                MultiplyColumn(sub.Gamma, input, subUnit);
                _horizonRows = new double[k * _n];
                _horizonUnit = new double[k];
                var w = Row(sub.Phi, effect.State, effect.Scale); // row s: effect site at (s + 1)·δ per unit of state now
                var v = (double[])subUnit.Clone();                // state at (s + 1)·δ after a unit rate over the first period
                var next = new double[_n];
                for (var s = 0; s < k; s++)
                {
                    w.CopyTo(_horizonRows, s * _n);
                    _horizonUnit[s] = effect.Scale * v[effect.State];
                    MultiplyRow(w, sub.Phi, next);
                    next.CopyTo(w);
                    MultiplyColumn(sub.Phi, v, next);
                    if (s + 1 < q)
                    {
                        // Still within the pulse period: the unit rate is still running.
                        for (var i = 0; i < _n; i++)
                        {
                            next[i] += subUnit[i];
                        }
                    }

                    next.CopyTo(v);
                }
            }
        }

        public Propagator Step { get; }

        /// <summary>Jacobs 1990: the rate that brings plasma to the target at the end of the period, within [0, max].</summary>
        public double PlasmaRate(double[] x)
        {
            var free = Dot(_plasmaRow, x);
            return Math.Clamp((Math.Min(_target, _plasmaCap) - free) / _plasmaUnit, 0, _maxRate);
        }

        /// <summary>
        /// Hand off once the effect site is within <see cref="HandoffTolerance"/> of the target and no longer pushed
        /// up by plasma (plasma at or below the effect site, or at or below the target). Handing off while plasma
        /// is still above both would let the plasma controller keep plasma high during the period and carry the
        /// effect-site peak past the target.
        /// </summary>
        public bool ShouldHandOff(double[] x)
        {
            var ce = x[_effectState] * _effectScale;
            var cp = x[_plasmaState] * _plasmaScale;
            var inBand = ce >= _target * (1 - HandoffTolerance) && ce <= _target * (1 + HandoffTolerance);
            return inBand && cp <= Math.Max(ce, _target);
        }

        /// <summary>Shafer &amp; Gregg 1992: the rate for this period (then none) whose effect-site peak equals the target.</summary>
        public double EffectRate(double[] x, out bool capLimited)
        {
            capLimited = false;
            var ce = x[_effectState] * _effectScale;
            if (ce > _target)
            {
                return 0;
            }

            var r = double.PositiveInfinity;
            for (var s = 0; s < _horizonUnit.Length; s++)
            {
                var unit = _horizonUnit[s];
                if (unit <= 0)
                {
                    continue;
                }

                var free = Dot(_horizonRows.AsSpan(s * _n, _n), x);
                r = Math.Min(r, (_target - free) / unit);
            }

            r = Math.Clamp(r, 0, _maxRate);
            if (double.IsFinite(_plasmaCap))
            {
                var cap = Math.Max(0, (_plasmaCap - Dot(_plasmaRow, x)) / _plasmaUnit);
                if (cap < r)
                {
                    r = cap;
                    capLimited = true;
                }
            }

            return r;
        }

        private double[] Row(ReadOnlySpan<double> matrix, int row, double scale)
        {
            var r = new double[_n];
            for (var j = 0; j < _n; j++)
            {
                r[j] = scale * matrix[(row * _n) + j];
            }

            return r;
        }

        // result = rowᵀ·M (row vector times matrix).
        private void MultiplyRow(double[] row, ReadOnlySpan<double> m, double[] result)
        {
            for (var j = 0; j < _n; j++)
            {
                var sum = 0.0;
                for (var i = 0; i < _n; i++)
                {
                    sum += row[i] * m[(i * _n) + j];
                }

                result[j] = sum;
            }
        }

        // result = M·column.
        private void MultiplyColumn(ReadOnlySpan<double> m, double[] column, double[] result)
        {
            for (var i = 0; i < _n; i++)
            {
                var sum = 0.0;
                for (var j = 0; j < _n; j++)
                {
                    sum += m[(i * _n) + j] * column[j];
                }

                result[i] = sum;
            }
        }

        private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
        {
            var s = 0.0;
            for (var i = 0; i < a.Length; i++)
            {
                s += a[i] * b[i];
            }

            return s;
        }
    }
}
