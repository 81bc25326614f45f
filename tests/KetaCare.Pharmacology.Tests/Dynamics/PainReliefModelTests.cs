using KetaCare.Pharmacology.Dynamics;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tests.Dynamics;

public class PainReliefModelTests
{
    [Fact]
    public void FractionOfMaxEffect_IsHalfAtC50()
    {
        Assert.Equal(0.5, PainReliefModel.FractionOfMaxEffect(Concentration.FromNanogramsPerMilliliter(PainReliefModel.C50NgPerMl)), 12);
        Assert.Equal(0, PainReliefModel.FractionOfMaxEffect(Concentration.Zero));
    }

    [Fact]
    public void Keo_MatchesPublishedHalfLife() =>
        Assert.Equal(10.9, Math.Log(2) / PainReliefModel.KeoPerDay, 1);

    [Fact]
    public void HundredHourCourse_ReliefOutlastsInfusionByWeeks()
    {
        // Sigtermans 2009 dosing (≈ 20 mg/h S-ketamine-equivalent for 100 h): relief persists for weeks
        // after plasma is gone (Dahan 2011: relief outlasts the infusion ≈ 50 days).
        var domino = ModelLibrary.Get("domino1984").Value;
        var r = Simulator.Run(new SimulationRequest(domino, Covariates.Reference70Kg with { AgeYears = 40 }, Regimen.Single(DoseExpression.Parse("40 mg/h for 100 h").Value))
        {
            Until = Duration.FromDays(60),
            Step = Duration.FromHours(6),
            PainRelief = true,
        }).Value;
        var site = r.MgPerLiter("relief-site");
        var plasma = r.MgPerLiter("plasma");
        var day = (int)(1440 / 360.0);
        var peak = site.Select((v, i) => (v, i)).MaxBy(x => x.v).i;
        Assert.InRange(r.Times[peak] / 1440, 4, 10); // keeps rising a little after the 100-h infusion ends (4.2 d)
        Assert.True(plasma[30 * day] < 1e-6);      // plasma gone at day 30
        var relief30 = PainReliefModel.FractionOfMaxEffect(Concentration.FromMilligramsPerLiter(site[30 * day]));
        Assert.True(relief30 > 0.1, $"relief at day 30 = {relief30}");
    }
}
