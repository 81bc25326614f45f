using KetaCare.Pharmacology.Dynamics;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Solvers;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tests.Dynamics;

public class NonlinearPdTests
{
    // Parameters for tests only (no published ketamine values exist for this model in docs/clinical-reference.md).
    private static IndirectResponseModel Pd(string driver = "plasma") =>
        new(driver, baseline: 7, koutPerMinute: 0.05, imax: 0.8, ic50: Concentration.FromNanogramsPerMilliliter(150), gamma: 2.5);

    [Fact]
    public void JointIntegration_MatchesPdDrivenByClosedFormPk()
    {
        // Independent path: PK in closed form C(t) = D/V·e^{−kt}, PD alone by Dormand–Prince.
        const double v = 20, k = 0.02, dose = 10;
        var b = new SystemBuilder();
        var c = b.Add("central", CompartmentRole.Central, Species.Parent, v);
        b.Eliminate(c, k);
        b.Output("plasma", "Plasma", c);
        var system = b.Build();
        var pd = Pd();
        var times = Simulator.Grid(600, 10);
        var joint = Engine.RunWithPd(system, new DosingSchedule([new BolusInput(0, c, dose)], [], dose), times, pd);

        double[] r = [pd.Baseline];
        var expected = new List<double> { pd.Baseline };
        DormandPrince.Integrate((t, y, dy) => pd.Derivative(t, dose / v * Math.Exp(-k * t), y, dy), 0, r, 600, new OdeOptions(1e-11, 1e-14), times, (_, y) => expected.Add(y[0]));
        var n = system.Order + 1;
        for (var i = 0; i < times.Length; i++)
        {
            Assert.Equal(expected[i], joint[(i * n) + system.Order], 1e-7);
        }

        Assert.True(expected.Min() < pd.Baseline * 0.5, "the test must exercise the nonlinear range");
    }

    [Fact]
    public void LongInfusion_ReachesSteadyStateResponse()
    {
        var domino = ModelLibrary.Get("domino1984").Value;
        var request = new SimulationRequest(domino, Covariates.Reference70Kg with { AgeYears = 40 }, Regimen.Single(DoseExpression.Parse("25 mg/h for 72 h").Value))
        {
            Until = Duration.FromHours(72),
            Step = Duration.FromHours(1),
        };
        var pd = Pd();
        var (pk, states) = Simulator.RunWithPd(request, pd).Value;
        var css = pk.MgPerLiter("plasma")[^1];
        Assert.Equal(pd.SteadyState(css), states[^1], pd.Baseline * 1e-7);
        // The PK part equals the exact solver's.
        var exact = Simulator.Run(request).Value.MgPerLiter("plasma");
        Assert.Equal(exact[^1], css, exact[^1] * 1e-7);
    }

    [Fact]
    public void UnknownDriver_IsRefusedWithTheAvailableOutputs()
    {
        var domino = ModelLibrary.Get("domino1984").Value;
        var r = Simulator.RunWithPd(new SimulationRequest(domino, Covariates.Reference70Kg, Regimen.Single(DoseExpression.Parse("10 mg").Value)), Pd("effect"));
        Assert.False(r.IsSuccess);
        Assert.Contains("plasma", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IndirectResponseModel("plasma", 7, 0.05, 1.2, Concentration.FromNanogramsPerMilliliter(100)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IndirectResponseModel("plasma", 7, 0, 0.5, Concentration.FromNanogramsPerMilliliter(100)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IndirectResponseModel("plasma", 7, 0.05, 0.5, Concentration.Zero));
    }
}
