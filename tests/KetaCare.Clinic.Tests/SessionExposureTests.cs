using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// A session's predicted exposure against methods that do not share its code path: the analytic AUC of a complete
/// infusion (dose / CL, from Domino 1984's published constants), a brute-force count of time above the band on a fine
/// grid, and the engine run directly on the same regimen. The fixture infuses 35 mg/h (0.5 mg/kg/h, 70 kg).
/// </summary>
public class SessionExposureTests
{
    // Domino 1984 at 70 kg: CL = V1 × k10 = 0.063 L/kg × 70 kg × 0.4381 /min (clinical reference: 115.9 L/h).
    private const double ClearanceLitersPerMinute = 0.063 * 70 * 0.4381;

    private static Covariates Covariates(SessionFixture f) => f.Patient.Snapshot().CovariatesOn(f.Session.ScheduledFor).Value;

    private static SessionFixture Completed(double minutes)
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(minutes));
        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings).IsSuccess);
        return f;
    }

    private static SessionExposure Exposure(SessionFixture f, Covariates? patient = null) =>
        SessionExposure.Compute(f.Session, f.Plan.ModelId, patient ?? Covariates(f)).Value;

    [Fact]
    public void Compute_CompleteInfusion_PlasmaAucIsDoseOverClearance()
    {
        var f = Completed(40);

        var e = Exposure(f);

        // AUC(0–∞) = dose / CL for any linear model. The AUC runs 24 h past the end: 12.6 terminal half-lives
        // (114.6 min), so the part left out is below 1e-3 of the whole; 0.2 % covers it with room for the tail.
        var analytic = f.Session.DoseGiven(f.Clock.Now).Milligrams / ClearanceLitersPerMinute * 1000.0 / 60.0;
        Assert.Equal(analytic, e.Plasma.AucNgHoursPerMl, analytic * 0.002);
        Assert.True(e.Plasma.AucNgHoursPerMl < analytic, "a truncated AUC cannot exceed the AUC to infinity");
        Assert.Equal(f.Session.DoseGiven(f.Clock.Now).Milligrams, e.Dose.Milligrams, 1e-9);
    }

    [Fact]
    public void Compute_CompleteInfusion_EffectSiteAucEqualsPlasmaAuc()
    {
        // dCe/dt = ke0 (Cp − Ce) integrates to ∫Ce = ∫Cp once both have returned to zero: the two AUCs agree to the
        // same truncation (0.2 %), while the effect-site peak is lower and no earlier.
        var e = Exposure(Completed(40));

        Assert.Equal(e.Plasma.AucNgHoursPerMl, e.EffectSite.AucNgHoursPerMl, e.Plasma.AucNgHoursPerMl * 0.002);
        Assert.True(e.EffectSite.Cmax < e.Plasma.Cmax);
        Assert.True(e.EffectSite.Tmax.Minutes >= e.Plasma.Tmax.Minutes, "the effect site lags plasma");
    }

    [Fact]
    public void Compute_CompleteInfusion_PlasmaPeakIsAtTheEndOfTheInfusionAsTheEngineGives()
    {
        var f = Completed(40);

        var e = Exposure(f);

        var engine = Simulator.Run(
            new SimulationRequest(ModelLibrary.Get("domino1984").Value, Covariates(f), new([new Administration(Duration.Zero, DoseExpression.AtRate(DoseRate.FromMilligramsPerHour(35), Duration.FromMinutes(40)))])),
            [40.0]).Value.NgPerMl("plasma")[0];
        Assert.Equal(40, e.Plasma.Tmax.Minutes, 1e-9);
        Assert.Equal(engine, e.Plasma.Cmax.NanogramsPerMilliliter, engine * 1e-9);
    }

    [Fact]
    public void Compute_TimeInAndAboveTheBand_MatchesACountOnAFineGrid()
    {
        var f = Completed(60);

        var e = Exposure(f);

        // Brute force: the share of 0.05-min steps at or above each edge. The exposure interpolates on a 1-min grid,
        // so each of the (at most two) crossings may be off by well under a minute.
        var model = ModelLibrary.Get("domino1984").Value;
        var regimen = new Regimen([new Administration(Duration.Zero, DoseExpression.AtRate(DoseRate.FromMilligramsPerHour(35), Duration.FromMinutes(60)))]);
        var times = Enumerable.Range(0, 8001).Select(k => k * 0.05).ToArray();
        var run = Simulator.Run(new SimulationRequest(model, Covariates(f), regimen) { EffectSite = EffectSites.Olofsen2012Analgesia }, times).Value;
        foreach (var (key, metrics) in new[] { ("plasma", e.Plasma), ("effect", e.EffectSite) })
        {
            var c = run.NgPerMl(key);
            Assert.Equal(c.Count(v => v >= 70) * 0.05, metrics.InOrAboveAnalgesia.Minutes, 1.0);
            Assert.Equal(c.Count(v => v > 160) * 0.05, metrics.AboveAnalgesia.Minutes, 1.0);
        }

        Assert.True(e.Plasma.InOrAboveAnalgesia.Minutes > 30, "35 mg/h for an hour reaches the band in plasma");
    }

    [Fact]
    public void Compute_DominoHasNoKe0_BorrowsOlofsenAndSaysSo()
    {
        var e = Exposure(Completed(40));

        Assert.Equal(EffectSites.Olofsen2012Analgesia, e.Ke0);
        Assert.Contains(e.Notes, n => n.Code == Pharmacology.EngineWarningCodes.Ke0Borrowed);
    }

    [Fact]
    public void Compute_ChartWeightAmended_ExposureFollowsTheCovariatesItIsGiven()
    {
        // Computed on read: the same record with a heavier patient (larger V1 and CL) gives a lower AUC, in proportion.
        var f = Completed(40);

        var as70 = Exposure(f);
        var as90 = Exposure(f, Covariates(f) with { Weight = BodyWeight.FromKilograms(90) });

        Assert.Equal(as70.Plasma.AucNgHoursPerMl * 70 / 90, as90.Plasma.AucNgHoursPerMl, as70.Plasma.AucNgHoursPerMl * 0.002);
    }

    [Fact]
    public void Compute_RunningSegment_CountsUpToTheMomentGivenAndNotWithout()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(20));

        var live = SessionExposure.Compute(f.Session, f.Plan.ModelId, Covariates(f), f.Clock.Now);
        var closedOnly = SessionExposure.Compute(f.Session, f.Plan.ModelId, Covariates(f));

        Assert.Equal(35.0 * 20 / 60, live.Value.Dose.Milligrams, 1e-9);
        Assert.False(closedOnly.IsSuccess);
        Assert.Equal(FindingCodes.OutcomeNoDrugGiven, closedOnly.Findings.Single().Code);
    }

    [Fact]
    public void Compute_NothingGiven_RefusedWithCode()
    {
        var f = new SessionFixture();

        var r = SessionExposure.Compute(f.Session, f.Plan.ModelId, Covariates(f));

        Assert.Equal(FindingCodes.OutcomeNoDrugGiven, r.Findings.Single().Code);
    }

    [Fact]
    public void Compute_UnknownModel_RefusedNamingTheModel()
    {
        var f = Completed(10);

        var r = SessionExposure.Compute(f.Session, "no-such-model", Covariates(f));

        Assert.False(r.IsSuccess);
        Assert.Contains("no-such-model", r.Error, StringComparison.Ordinal);
    }
}
