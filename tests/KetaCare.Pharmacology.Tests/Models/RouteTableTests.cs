using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tests.Models;

public class RouteTableTests
{
    private static readonly PkModel Domino = ModelLibrary.Get("domino1984").Value;
    private static readonly Covariates Adult = Covariates.Reference70Kg with { AgeYears = 40 };

    private static SimulationResult Single(Route route, string dose = "35 mg", string until = "10 d", string step = "0.25 min") =>
        Simulator.Run(new SimulationRequest(Domino, Adult, Regimen.Single(DoseExpression.Parse(dose).Value, route))
        {
            Until = QuantityParser.ParseDuration(until).Value,
            Step = QuantityParser.ParseDuration(step).Value,
        }).Value;

    [Theory]
    [InlineData(Route.Intramuscular, 20, 2)]   // Clements 1982: Cmax ≈ 20 min [U]
    [InlineData(Route.Sublingual, 45, 3)]      // Rolan 2014; Chong 2006: tmax 0.75 h [P]
    public void AbsorptionRate_ReproducesPublishedTmax(Route route, double tmax, double tolerance)
    {
        var m = Single(route, until: "6 h").Metrics("plasma");
        Assert.InRange(m.Tmax.Minutes, tmax - tolerance, tmax + tolerance);
    }

    [Theory]
    [InlineData(Route.Intramuscular, 0.93)]
    [InlineData(Route.Subcutaneous, 0.93)]
    [InlineData(Route.Intranasal, 0.45)]
    [InlineData(Route.Sublingual, 0.30)]
    [InlineData(Route.Oral, 0.20)]
    [InlineData(Route.Rectal, 0.30)]
    public void AucRatioToIv_EqualsBioavailability(Route route, double f)
    {
        // Linear system, complete absorption: AUC(route)/AUC(IV) = F exactly once absorption is over (10 days).
        var iv = Single(Route.Intravenous, step: "10 min").Metrics("plasma").Auc;
        var ev = Single(route, step: "10 min").Metrics("plasma").Auc;
        Assert.Equal(f, ev / iv, 1e-6);
    }

    [Fact]
    public void ExtravascularRoutes_AreLabelledAsAssumptions()
    {
        var r = Single(Route.Intranasal, until: "1 h", step: "1 min");
        var w = Assert.Single(r.Warnings, w => w.Code == EngineWarningCodes.RouteAssumed);
        Assert.Equal(nameof(Route.Intranasal), w.Arg("route")!.Text);
        Assert.Contains("assumption", w.Arg("source")!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void RouteOverride_ReplacesTableValues()
    {
        var p = new RouteParameters(0.5, 0.1, 0, "clinic data", false);
        var r = Simulator.Run(new SimulationRequest(Domino, Adult, Regimen.Single(DoseExpression.Parse("35 mg").Value, Route.Intranasal))
        {
            Until = Duration.FromDays(10),
            Step = Duration.FromMinutes(10),
            RouteOverrides = new Dictionary<Route, RouteParameters> { [Route.Intranasal] = p },
        }).Value;
        var iv = Single(Route.Intravenous, step: "10 min").Metrics("plasma").Auc;
        Assert.Equal(0.5, r.Metrics("plasma").Auc / iv, 1e-6);
        Assert.DoesNotContain(r.Warnings, w => w.Code == EngineWarningCodes.RouteAssumed);
    }
}
