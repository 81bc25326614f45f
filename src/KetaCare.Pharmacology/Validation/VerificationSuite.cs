using KetaCare.Pharmacology.Dynamics;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Validation;

/// <summary>
/// The engine's verification cases: each compares the engine with an independent method (closed-form
/// solutions, the Dormand–Prince solver, conservation laws) or with a published figure, with a stated
/// tolerance. A clinic can run them on its own installation (<c>ketacare validate</c>); the test suite
/// asserts that every case passes. Deterministic; takes well under a second.
/// </summary>
public static class VerificationSuite
{
    private static readonly Covariates Adult70 = Covariates.Reference70Kg with { AgeYears = 40 };

    /// <summary>Runs every case.</summary>
    public static IReadOnlyList<VerificationCase> Run()
    {
        var cases = new List<VerificationCase>();
        cases.AddRange(ClosedForm());
        cases.AddRange(Laws());
        cases.AddRange(Published());
        cases.AddRange(ModelRoutes());
        cases.AddRange(TargetControlled());
        return cases;
    }

    private static IEnumerable<VerificationCase> ClosedForm()
    {
        // One compartment, V 10 L, k 0.1 /min: C(t) = D/V·e^{−kt}; infusion R over T: R/(kV)(1 − e^{−kt}).
        const double v = 10, k = 0.1, ke0 = 0.25;
        var b = new SystemBuilder();
        var c = b.Add("central", CompartmentRole.Central, Species.Parent, v);
        b.Eliminate(c, k);
        b.Output("plasma", "Plasma", c);
        b.EffectSite(c, ke0);
        var system = b.Build();
        var times = Simulator.Grid(240, 0.5);

        var bolus = new DosingSchedule([new BolusInput(0, c, 100)], [], 100);
        var s = Engine.Run(system, bolus, times);
        double worst = 0, worstE = 0;
        for (var i = 0; i < times.Length; i++)
        {
            var t = times[i];
            var exact = 100 / v * Math.Exp(-k * t);
            worst = Math.Max(worst, RelErr(s[(i * system.Order) + c] / v, exact));
            var ce = 100 / v * ke0 / (ke0 - k) * (Math.Exp(-k * t) - Math.Exp(-ke0 * t));
            if (ce > 1e-9)
            {
                worstE = Math.Max(worstE, RelErr(s[(i * system.Order) + system.Output("effect")!.State], ce));
            }
        }

        yield return Case("closed-form-bolus", "1-compartment IV bolus vs C(t) = D/V·e^(−kt), 0–240 min", "closed form", worst, 1e-12);
        yield return Case("closed-form-effect-site", "effect site after a bolus vs Ce(t) = D/V·ke0/(ke0−k)·(e^(−kt) − e^(−ke0·t))", "closed form", worstE, 1e-11);

        var inf = new DosingSchedule([], [new RateInput(0, 60, c, 2)], 120);
        s = Engine.Run(system, inf, times);
        worst = 0;
        for (var i = 0; i < times.Length; i++)
        {
            var t = times[i];
            var during = 2 / (k * v) * (1 - Math.Exp(-k * Math.Min(t, 60)));
            var exact = t <= 60 ? during : during * Math.Exp(-k * (t - 60));
            if (exact > 0)
            {
                worst = Math.Max(worst, RelErr(s[(i * system.Order) + c] / v, exact));
            }
        }

        yield return Case("closed-form-infusion", "1-compartment 60-min infusion vs R/(kV)·(1 − e^(−kt)) and decay after", "closed form", worst, 1e-12);
    }

    private static IEnumerable<VerificationCase> Laws()
    {
        var model = ModelLibrary.Get("domino1984").Value;
        var regimen = new Regimen(
        [
            new Administration(Duration.Zero, DoseExpression.Parse("0.5 mg/kg over 60 min").Value),
            new Administration(Duration.FromMinutes(30), DoseExpression.Parse("10 mg").Value),
            new Administration(Duration.FromMinutes(45), DoseExpression.Parse("0.2 mg/kg/h for 90 min").Value),
        ]);
        var request = new SimulationRequest(model, Adult70, regimen) { Until = Duration.FromHours(12), Step = Duration.FromMinutes(1), EffectSite = EffectSites.Olofsen2012Analgesia };
        var exact = Simulator.Run(request).Value;
        var ode = Simulator.Run(request with { Solver = SolverKind.DormandPrince }).Value;
        var worst = MaxRelDiff(exact.NgPerMl("plasma"), ode.NgPerMl("plasma"), 1.0);
        worst = Math.Max(worst, MaxRelDiff(exact.NgPerMl("effect"), ode.NgPerMl("effect"), 1.0));
        yield return Case("exact-vs-dormand-prince", "Domino 70 kg, overlapping infusions and a bolus: exact vs Dormand–Prince (rtol 1e-10), points > 1 ng/mL", "Dormand–Prince 5(4)", worst, 1e-6);

        var balance = exact.Balance();
        yield return Case("mass-balance", "amount entered = amount in body + amount eliminated at 12 h", "conservation of mass", balance.RelativeError, 1e-9);

        // Steady state: Css = R / CL after 72 h (≈ 38 terminal half-lives) of a constant infusion.
        var rate = DoseRate.FromMilligramsPerMinute(1);
        var ss = Simulator.Run(new SimulationRequest(model, Adult70, Regimen.Single(DoseExpression.AtRate(rate, Duration.FromHours(80)))) { Until = Duration.FromHours(72), Step = Duration.FromHours(1) }).Value;
        var cl = ss.System.ParentClearanceLitersPerMinute;
        yield return Case("steady-state", "Domino 70 kg, 1 mg/min for 72 h: C(72 h) vs Css = R/CL", "analytical steady state", RelErr(ss.MgPerLiter("plasma")[^1], 1.0 / cl), 1e-9);

        // Superposition and dose linearity.
        var a = Regimen.Single(DoseExpression.Parse("35 mg over 60 min").Value);
        var bReg = new Regimen([new Administration(Duration.FromMinutes(90), DoseExpression.Parse("20 mg").Value)]);
        var both = new Regimen([.. a.Administrations, .. bReg.Administrations]);
        var grid = new SimulationRequest(model, Adult70, a) { Until = Duration.FromHours(6) };
        var ca = Simulator.Run(grid).Value.NgPerMl("plasma");
        var cb = Simulator.Run(grid with { Regimen = bReg }).Value.NgPerMl("plasma");
        var cab = Simulator.Run(grid with { Regimen = both }).Value.NgPerMl("plasma");
        yield return Case("superposition", "C(A + B) = C(A) + C(B) for an infusion and a later bolus", "linearity of the system", MaxRelDiff(cab, [.. ca.Zip(cb, (x, y) => x + y)], 1e-3), 1e-12);

        var c2 = Simulator.Run(grid with { Regimen = Regimen.Single(DoseExpression.Parse("70 mg over 60 min").Value) }).Value.NgPerMl("plasma");
        yield return Case("dose-linearity", "C(2·D) = 2·C(D)", "linearity of the system", MaxRelDiff(c2, [.. ca.Select(x => 2 * x)], 1e-3), 1e-12);

        // Mass action: at an unbound concentration equal to Ki, half the sites are occupied.
        var nmda = ReceptorOccupancy.Find("mu-opioid")!;
        var total = Concentration.FromMicromolar(nmda.KiRacemicMicromolar!.Value / ReceptorOccupancy.DefaultUnboundFraction);
        var occ = ReceptorOccupancy.Compute(total).Single(r => r.Target.Id == "mu-opioid").Occupancy;
        yield return Case("occupancy-at-ki", "μ-opioid occupancy when the unbound concentration equals Ki (42 µM)", "law of mass action: 0.5", Math.Abs(occ - 0.5), 1e-12, "absolute");
    }

    private static IEnumerable<VerificationCase> Published()
    {
        var domino = ModelLibrary.Get("domino1984").Value;
        var sys = domino.Build(Adult70);
        var clPerHour = sys.ParentClearanceLitersPerMinute * 60;
        yield return Published("domino-clearance", "Domino at 70 kg: clearance", "Domino 1984 at 70 kg: CL 115.9 L/h", clPerHour, 115.9, 0.05);

        var vss = 0.0;
        foreach (var comp in sys.Compartments.Where(x => x.Species == Species.Parent && x.Role is CompartmentRole.Central or CompartmentRole.Peripheral))
        {
            vss += comp.VolumeLiters;
        }

        yield return Published("domino-vss", "Domino at 70 kg: volume of distribution at steady state", "Domino 1984 at 70 kg: Vss 193 L", vss, 193, 0.5);
        yield return Published("domino-terminal-half-life", "Domino at 70 kg: terminal half-life from the simulated log-linear decay (20–24 h after a bolus)", "Domino 1984 at 70 kg: 114.6 min", TerminalHalfLife(domino, Adult70, 1200, 1440), 114.6, 0.05);

        if (ModelLibrary.Find("hijazi2003") is { } hijazi)
        {
            var p = new Covariates(BodyWeight.FromKilograms(70), 40);
            var hs = hijazi.Build(p);
            yield return Published("hijazi-clearance", "Hijazi: clearance per kg", "Hijazi 2003 abstract: 36 mL/kg/min", hs.ParentClearanceLitersPerMinute * 1000 / 70, 36, 0.5);
            yield return Published("hijazi-half-life", "Hijazi: terminal half-life t½β from the simulated decay (48–72 h)", "Hijazi 2003 abstract: 4.9 h", TerminalHalfLife(hijazi, p, 2880, 4320) / 60, 4.9, 0.05);
        }

        // Dahan 2011: after a 100-h infusion, the relief site decays with t½ = ln 2 / keo = 10.9 days.
        var course = Regimen.Single(DoseExpression.Parse("20 mg/h for 100 h").Value);
        var relief = Simulator.Run(new SimulationRequest(domino, Adult70, course) { PainRelief = true }, [10 * 1440.0, 20 * 1440.0]).Value;
        var r = relief.MgPerLiter("relief-site");
        var halfLifeDays = 10 * Math.Log(2) / Math.Log(r[0] / r[1]);
        yield return Published("dahan-relief-offset", "pain-relief site after a 100-h infusion: offset half-life (days 10–20)", "Dahan 2011: t½ 10.9 days", halfLifeDays, 10.9, 0.05);
    }

    private static IEnumerable<VerificationCase> ModelRoutes()
    {
        // A model's own route: AUC(route)/AUC(IV) must equal its bioavailability (linear system, absorption complete).
        static double AucRatio(PkModel model, Covariates patient, Route route, string dose)
        {
            SimulationResult Run(Route r) => Simulator.Run(new SimulationRequest(model, patient, Regimen.Single(DoseExpression.Parse(dose).Value, r))
            {
                Until = Duration.FromDays(10),
                Step = Duration.FromMinutes(10),
            }).Value;
            return Run(route).Metrics("plasma").Auc / Run(Route.Intravenous).Metrics("plasma").Auc;
        }

        if (ModelLibrary.Find("hornik2018") is { } hornik)
        {
            var child = new Covariates(BodyWeight.FromKilograms(20), 6);
            yield return Published("hornik-im-bioavailability", "Hornik at 20 kg: AUC(IM)/AUC(IV) over 10 days", "Hornik 2018: IM F 0.41", AucRatio(hornik, child, Route.Intramuscular, "10 mg"), 0.41, 0.005);
        }

        if (ModelLibrary.Find("simons2022") is { } simons)
        {
            var adult = new Covariates(BodyWeight.FromKilograms(70), 25);
            yield return Published("simons-film-bioavailability", "Simons: S-ketamine AUC(oral film)/AUC(IV) over 10 days", "Simons 2022: mucosal F 26.3 %", AucRatio(simons, adult, Route.Sublingual, "20 mg"), 0.263, 0.0005);
        }
    }

    private static IEnumerable<VerificationCase> TargetControlled()
    {
        // Re-simulate TCI plans with the exact engine on a 1-s grid (independent of the planner's own bookkeeping).
        var domino = ModelLibrary.Get("domino1984").Value;
        var target = Concentration.FromNanogramsPerMilliliter(150);
        foreach (var site in new[] { TciSite.Plasma, TciSite.EffectSite })
        {
            var settings = new TciSettings { Target = target, Site = site, Duration = Duration.FromMinutes(60) };
            var plan = TciPlanner.Plan(domino, Adult70, settings, EffectSites.Olofsen2012Analgesia).Value;
            var times = Simulator.Grid(60, 1.0 / 60);
            var states = Engine.Run(plan.System, plan.ToDosingSchedule(), times);
            var output = plan.System.Output(site == TciSite.Plasma ? "plasma" : "effect")!;
            var peak = 0.0;
            for (var k = 0; k < times.Length; k++)
            {
                peak = Math.Max(peak, states[(k * plan.System.Order) + output.State] * output.Scale);
            }

            var overshoot = (peak / target.MilligramsPerLiter) - 1;
            yield return site == TciSite.Plasma
                ? Case("tci-plasma-overshoot", "plasma-targeted TCI (Jacobs 1990), Domino 70 kg, 150 ng/mL, 1200 mL/h of 1 mg/mL: overshoot of the re-simulated plasma peak", "re-simulation; issue limit 1 %", Math.Max(0, overshoot), 0.01)
                : Case("tci-effect-peak", "effect-site-targeted TCI (Shafer & Gregg 1992), same settings, Olofsen ke0: re-simulated effect-site peak vs target", "re-simulation; issue limit 1 %", Math.Abs(overshoot), 0.01);
        }
    }

    private static double TerminalHalfLife(PkModel model, Covariates patient, double t1, double t2)
    {
        var r = Simulator.Run(new SimulationRequest(model, patient, Regimen.Single(DoseExpression.Parse("10 mg").Value)), [t1, t2]).Value;
        var c = r.MgPerLiter("plasma");
        return (t2 - t1) * Math.Log(2) / Math.Log(c[0] / c[1]);
    }

    private static VerificationCase Published(string id, string description, string reference, double measured, double expected, double halfUnit)
    {
        // Tolerance: half a unit in the last digit the source printed (a figure of 114.6 covers 114.55–114.65).
        return new VerificationCase(id, description, reference, measured, expected, Math.Abs(measured - expected) / Math.Abs(expected), halfUnit / Math.Abs(expected), "relative (published rounding)");
    }

    private static VerificationCase Case(string id, string description, string reference, double error, double tolerance, string kind = "relative") =>
        new(id, description, reference, error, 0, error, tolerance, kind);

    private static double RelErr(double measured, double expected) => Math.Abs(measured - expected) / Math.Abs(expected);

    private static double MaxRelDiff(IReadOnlyList<double> a, IReadOnlyList<double> b, double floor)
    {
        var worst = 0.0;
        for (var i = 0; i < a.Count; i++)
        {
            if (Math.Abs(b[i]) > floor)
            {
                worst = Math.Max(worst, Math.Abs(a[i] - b[i]) / Math.Abs(b[i]));
            }
        }

        return worst;
    }
}
