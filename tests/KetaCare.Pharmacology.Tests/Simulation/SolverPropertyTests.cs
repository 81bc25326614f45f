using CsCheck;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Solvers;

namespace KetaCare.Pharmacology.Tests.Simulation;

/// <summary>Laws of the exact solver on random linear models and random regimens (CsCheck).</summary>
public class SolverPropertyTests
{
    /// <summary>A random mammillary model: 1–3 parent compartments, optional metabolite, depot and effect site.</summary>
    internal sealed record RandomModel(double V1, double[] KOut, double[] KIn, double K10, bool Metabolite, double Kf, double Km, double Vm, double Ka, double Ke0)
    {
        public CompartmentSystem Build()
        {
            var b = new SystemBuilder();
            var c = b.Add("central", CompartmentRole.Central, Species.Parent, V1);
            for (var i = 0; i < KOut.Length; i++)
            {
                var p = b.Add($"p{i}", CompartmentRole.Peripheral, Species.Parent, V1 * KOut[i] / KIn[i]);
                b.Flow(c, p, KOut[i]);
                b.Flow(p, c, KIn[i]);
            }

            b.Eliminate(c, K10);
            if (Metabolite)
            {
                var m = b.Add("metabolite", CompartmentRole.Central, Species.Norketamine, Vm);
                b.Flow(c, m, Kf);
                b.Eliminate(m, Km);
                b.Output("norketamine", "Norketamine", m);
            }

            b.Output("plasma", "Plasma", c);
            b.Depot(Route.Intramuscular, c, Ka, 0.9, 0, "test", true);
            b.EffectSite(c, Ke0);
            return b.Build();
        }
    }

    private static readonly Gen<double> Rate = Gen.Double[0.002, 1.0];

    internal static readonly Gen<RandomModel> Models =
        from v1 in Gen.Double[2, 100]
        from np in Gen.Int[0, 2]
        from kout in Rate.Array[np]
        from kin in Rate.Array[np]
        from k10 in Rate
        from met in Gen.Bool
        from kf in Rate
        from km in Rate
        from vm in Gen.Double[1, 200]
        from ka in Gen.Double[0.01, 0.5]
        from ke0 in Gen.Double[0.02, 2]
        select new RandomModel(v1, kout, kin, k10, met, kf, km, vm, ka, ke0);

    private static Gen<DosingSchedule> Schedules(CompartmentSystem s)
    {
        var central = s.Central;
        var depot = s.Routes[Route.Intramuscular].Paths[0].State;
        var bolus = from t in Gen.Double[0, 600] from amt in Gen.Double[0.01, 500] from toDepot in Gen.Bool
                    select new BolusInput(t, toDepot ? depot : central, amt);
        var rate = from t in Gen.Double[0, 600] from d in Gen.Double[0.5, 300] from r in Gen.Double[0.001, 10]
                   select new RateInput(t, t + d, central, r);
        return from bs in bolus.Array[0, 3] from rs in rate.Array[0, 3] where bs.Length + rs.Length > 0
               select new DosingSchedule(bs, rs, bs.Sum(b => b.AmountMg) + rs.Sum(r => r.RateMgPerMin * (r.End - r.Start)));
    }

    private static readonly double[] Grid = Simulator.Grid(1440, 5);

    [Fact]
    public void Exact_AgreesWithDormandPrince_Within1e6()
    {
        // Tolerance 1e-6 relative at every output above 1e-3 mg/L (1 ng/mL), the workload's rule; DP runs at rtol 1e-10.
        Models.SelectMany(m => Schedules(m.Build()).Select(s => (m, s))).Sample((m, s) =>
        {
            var sys = m.Build();
            var exact = Engine.Run(sys, s, Grid);
            var ode = Engine.Run(sys, s, Grid, SolverKind.DormandPrince, new OdeOptions(1e-10, 1e-13));
            foreach (var o in sys.Outputs)
            {
                for (var k = 0; k < Grid.Length; k++)
                {
                    var a = exact[(k * sys.Order) + o.State] * o.Scale;
                    var b = ode[(k * sys.Order) + o.State] * o.Scale;
                    if (Math.Abs(a) > 1e-3)
                    {
                        Assert.True(Math.Abs(a - b) / Math.Abs(a) <= 1e-6, $"{o.Key} at {Grid[k]}: {a} vs {b}");
                    }
                }
            }
        }, iter: 60, threads: 1);
    }

    [Fact]
    public void Exact_ConservesMass_AndKeepsAmountsNonNegative() =>
        Models.SelectMany(m => Schedules(m.Build()).Select(s => (m, s))).Sample((m, s) =>
        {
            var sys = m.Build();
            var x = Engine.Run(sys, s, Grid);
            for (var k = 0; k < Grid.Length; k++)
            {
                double body = 0;
                for (var i = 0; i < sys.Order; i++)
                {
                    var v = x[(k * sys.Order) + i];
                    Assert.True(v >= -1e-12 * s.AdministeredMg, $"state {i} negative: {v}");
                    if (sys.Compartments[i].CarriesMass)
                    {
                        body += v;
                    }
                }

                var entered = s.EnteredBy(Grid[k]);
                Assert.True(Math.Abs(body - entered) <= 1e-9 * Math.Max(entered, 1e-300), $"t {Grid[k]}: {body} vs {entered}");
            }
        }, iter: 200);

    [Fact]
    public void Exact_IsLinearInDose_AndSuperposes() =>
        Models.SelectMany(m => Schedules(m.Build()).SelectMany(a => Schedules(m.Build()).Select(b => (m, a, b)))).Sample((m, a, b) =>
        {
            var sys = m.Build();
            var xa = Engine.Run(sys, a, Grid);
            var xb = Engine.Run(sys, b, Grid);
            var both = new DosingSchedule([.. a.Boluses, .. b.Boluses], [.. a.Rates, .. b.Rates], a.AdministeredMg + b.AdministeredMg);
            var xab = Engine.Run(sys, both, Grid);
            var scaled = new DosingSchedule(a.Boluses.Select(x => x with { AmountMg = 3 * x.AmountMg }), a.Rates.Select(r => r with { RateMgPerMin = 3 * r.RateMgPerMin }), 3 * a.AdministeredMg);
            var x3 = Engine.Run(sys, scaled, Grid);
            var scale = xab.Max(Math.Abs);
            for (var i = 0; i < xab.Length; i++)
            {
                Assert.True(Math.Abs(xab[i] - (xa[i] + xb[i])) <= 1e-11 * scale, "superposition");
                Assert.True(Math.Abs(x3[i] - (3 * xa[i])) <= 1e-11 * scale, "linearity");
            }
        }, iter: 100);

    [Fact]
    public void ConstantInfusion_ReachesCssEqualRateOverClearance() =>
        Models.Sample(m =>
        {
            var sys = m.Build();
            const double rate = 2.0;
            // Run for 60 slowest time constants so the remaining transient is e^-60.
            var slowest = m.KIn.Concat([m.K10]).Min();
            var horizon = 60 / (slowest * m.K10 / (m.K10 + m.KOut.Sum() + 1e-300)) + 1;
            horizon = Math.Min(horizon, 5e7);
            var s = new DosingSchedule([], [new RateInput(0, horizon * 2, sys.Central, rate)], rate * horizon);
            var x = Engine.Run(sys, s, [0, horizon]);
            var c = x[sys.Order + sys.Central] / m.V1;
            var clearance = (m.K10 + (m.Metabolite ? m.Kf : 0)) * m.V1;
            Assert.Equal(rate / clearance, c, rate / clearance * 1e-8);
        }, iter: 100);
}
