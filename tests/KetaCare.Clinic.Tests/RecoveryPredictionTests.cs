using KetaCare.Pharmacology;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// The recovery prediction against the PK engine run independently on the same delivered drug: the seed session
/// runs 0.5 mg/kg/h for a 70-kg patient, 35 mg/h from the start of its first segment.
/// </summary>
public class RecoveryPredictionTests
{
    private const double MgPerHour = 35;

    private static Covariates Covariates(SessionFixture f) => f.Patient.Snapshot().CovariatesOn(f.Session.ScheduledFor).Value;

    /// <summary>A 10-year-old of 30 kg: inside the studied population of Herd 2007, the one model with a ke0 of its own.</summary>
    private static readonly Covariates Child = new(BodyWeight.FromKilograms(30), 10, Sex.Male, 135);

    private static RecoveryPrediction Predict(SessionFixture f, string model = "domino1984", double threshold = 50, Covariates? patient = null) =>
        RecoveryPrediction.Predict(f.Session, model, patient ?? Covariates(f), threshold, f.Clock.Now);

    /// <summary>The engine's effect-site concentrations of <paramref name="infusedMinutes"/> of 35 mg/h at the given minutes after its start.</summary>
    private static double[] EngineCe(SessionFixture f, double infusedMinutes, params double[] minutes) =>
        EngineCe(Covariates(f), infusedMinutes, ModelLibrary.Get("domino1984", "model").Value, null, minutes);

    private static double[] EngineCe(Covariates patient, double infusedMinutes, PkModel model, Ke0Option? ke0, params double[] minutes) =>
        Simulator.Run(new SimulationRequest(model, patient, Infusion(infusedMinutes)) { EffectSite = ke0 ?? model.EffectSiteOptions[0] }, minutes).Value.NgPerMl("effect");

    private static Regimen Infusion(double minutes) =>
        new([new Administration(Duration.Zero, DoseExpression.AtRate(DoseRate.FromMilligramsPerHour(MgPerHour), Duration.FromMinutes(minutes)))]);

    private static double MinutesSinceStart(SessionFixture f, DateTimeOffset at) => (at - f.Session.Segments[0].Start).TotalMinutes;

    [Fact]
    public void Predict_UnknownModel_UnavailableWithTheModelsRefusalAndNoNumbers()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(10));

        var p = Predict(f, model: "no-such-model");

        Assert.Null(p.NowNgPerMl);
        Assert.Null(p.ReadyAt);
        Assert.Equal(50, p.ThresholdNgPerMl);
        Assert.StartsWith("model: \"no-such-model\" is not a known model", p.Unavailable, StringComparison.Ordinal);
        Assert.Empty(p.Notes);
        Assert.False(p.IsBelowThreshold);
    }

    [Fact]
    public void Predict_NothingGivenYet_ZeroAndReadyNow()
    {
        var f = new SessionFixture();

        var p = Predict(f);

        Assert.Equal((0.0, f.Clock.Now, 50.0, (string?)null), (p.NowNgPerMl, p.ReadyAt, p.ThresholdNgPerMl, p.Unavailable));
        Assert.Empty(p.Notes);
        Assert.True(p.IsBelowThreshold);
    }

    [Fact]
    public void Predict_AtTheMomentTheInfusionStarts_ZeroAndReadyNow()
    {
        var f = new SessionFixture().Running();

        var p = Predict(f);

        Assert.Equal((0.0, f.Clock.Now, (string?)null), (p.NowNgPerMl, p.ReadyAt, p.Unavailable));
    }

    [Fact]
    public void Predict_MidInfusion_NowAndReadyAtAreTheEnginesForTheDrugGivenSoFar()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(30));

        var p = Predict(f);

        Assert.Null(p.Unavailable);
        var now = EngineCe(f, 30, 30)[0];
        Assert.Equal(now, p.NowNgPerMl!.Value, now * 1e-6);
        Assert.True(p.NowNgPerMl > 50);
        Assert.False(p.IsBelowThreshold);

        // Stopped now, the effect site passes its peak and falls below 50 ng/mL between the minute before ReadyAt and ReadyAt.
        var ready = MinutesSinceStart(f, p.ReadyAt!.Value);
        Assert.Equal(Math.Round(ready), ready);
        var around = EngineCe(f, 30, ready - 1, ready);
        Assert.True(around[0] > 50, $"{around[0]} ng/mL a minute before ReadyAt");
        Assert.True(around[1] <= 50, $"{around[1]} ng/mL at ReadyAt");
    }

    [Fact]
    public void Predict_BetweenWholeMinutes_ReadsTheNextWholeMinute()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(30.5));

        var p = Predict(f);

        var at31 = EngineCe(f, 30.5, 31)[0];
        Assert.Equal(at31, p.NowNgPerMl!.Value, at31 * 1e-6);
    }

    [Fact]
    public void Predict_BelowThresholdButStillRising_ReadyOnlyAfterThePeak()
    {
        // One minute of 35 mg/h peaks in the effect site well under 50 ng/mL, minutes after the pump stopped: it is
        // below the threshold now, but "ready" is when it has peaked and falls, not now.
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(1));

        var p = Predict(f);

        Assert.True(p.IsBelowThreshold);
        var ready = MinutesSinceStart(f, p.ReadyAt!.Value);
        Assert.True(ready > 2, $"ready {ready} min after the start");
        var around = EngineCe(f, 1, ready - 1, ready, ready + 1);
        Assert.True(around[0] < around[1], "still rising the minute before ReadyAt");
        Assert.True(around[2] <= around[1], "falling after ReadyAt");
    }

    [Fact]
    public void Predict_ThresholdExactlyTheCurrentConcentration_IsBelowThreshold()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(20));
        var current = Predict(f).NowNgPerMl!.Value;

        Assert.True(Predict(f, threshold: current).IsBelowThreshold);
        Assert.False(Predict(f, threshold: current * 0.999).IsBelowThreshold);
    }

    [Fact]
    public void Predict_ThresholdNotReachedWithinTwelveHours_NoReadyTime()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(60));

        var p = Predict(f, threshold: 1e-9);

        Assert.Null(p.Unavailable);
        Assert.Null(p.ReadyAt);
        Assert.False(p.IsBelowThreshold);
    }

    [Fact]
    public void Predict_ModelWithItsOwnKe0_UsesItsFirstEffectSiteNotTheBorrowedOne()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(30));
        var herd = ModelLibrary.Get("herd2007", "model").Value;

        var p = Predict(f, model: "herd2007", patient: Child);

        var own = EngineCe(Child, 30, herd, herd.EffectSiteOptions[0], 30)[0];
        var borrowed = EngineCe(Child, 30, herd, EffectSites.Olofsen2012Analgesia, 30)[0];
        Assert.NotEqual(own, borrowed, own * 1e-3);
        Assert.Equal(own, p.NowNgPerMl!.Value, own * 1e-6);
        Assert.DoesNotContain(p.Notes, n => n.Code == EngineWarningCodes.Ke0Borrowed);
    }

    [Fact]
    public void Predict_BorrowedKe0_SaysSoInTheNotes()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(30));

        var p = Predict(f);

        var m = ModelLibrary.Get("domino1984", "model").Value;
        var warnings = Simulator.Run(new SimulationRequest(m, Covariates(f), Infusion(30)) { EffectSite = m.EffectSiteOptions[0] }).Value.Warnings;
        Assert.Contains(warnings, w => w.Code == EngineWarningCodes.Ke0Borrowed);
        Assert.Equal(warnings, p.Notes);
    }

    [Fact]
    public void Predict_EngineRefusesThePatient_UnavailableWithTheEnginesReason()
    {
        // Herd 2007 studied children: the engine refuses the 40-year-old, and the prediction says why instead of a number.
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(30));
        var m = ModelLibrary.Get("herd2007", "model").Value;
        var engine = Simulator.Run(new SimulationRequest(m, Covariates(f), Infusion(30)) { EffectSite = m.EffectSiteOptions[0] });
        Assert.False(engine.IsSuccess);

        var p = Predict(f, model: "herd2007");

        Assert.Equal((null, null, engine.Error), (p.NowNgPerMl, p.ReadyAt, p.Unavailable));
        Assert.Empty(p.Notes);
        Assert.Equal(50, p.ThresholdNgPerMl);
    }

    /// <summary>The effect site on the prediction's own grid: a minute step from the first dose to 12 h after now.</summary>
    private static double[] Grid(SessionFixture f, double infusedMinutes, double nowMinutes)
    {
        var m = ModelLibrary.Get("domino1984", "model").Value;
        var request = new SimulationRequest(m, Covariates(f), Infusion(infusedMinutes)) { Until = Duration.FromMinutes(nowMinutes + 720), Step = Duration.FromMinutes(1), EffectSite = m.EffectSiteOptions[0] };
        return Simulator.Run(request).Value.NgPerMl("effect");
    }

    [Fact]
    public void Predict_ThresholdExactlyAFallingMinutesConcentration_ReadyAtThatMinute()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(30));
        var ce = Grid(f, 30, 30);

        var p = Predict(f, threshold: ce[200]);

        Assert.Equal(f.Session.Segments[0].Start.AddMinutes(200), p.ReadyAt);
    }

    [Fact]
    public void Predict_ThresholdReachedOnlyAtTheLastMinute_ReadyTwelveHoursAfterNow()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(30));
        var ce = Grid(f, 30, 30);

        var p = Predict(f, threshold: ce[^1]);

        Assert.Equal(f.Clock.Now.AddHours(12), p.ReadyAt);
    }

    [Fact]
    public void Predict_SingleDose_FromTheTimeOfTheDose()
    {
        var f = new SessionFixture("clinic-im-example").PreAssessed();
        Assert.True(f.Session.GiveSingleDose(InfusionSessionRecordTests.SingleDoseAuthorization(f), null, f.Settings, Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(10));

        var p = Predict(f);

        var m = ModelLibrary.Get("domino1984", "model").Value;
        var regimen = new Regimen([new Administration(Duration.Zero, DoseExpression.Bolus(Mass.FromMilligrams(7)), Route.Intramuscular)]);
        var engine = Simulator.Run(new SimulationRequest(m, Covariates(f), regimen) { EffectSite = m.EffectSiteOptions[0] }, [10.0]).Value.NgPerMl("effect")[0];
        Assert.True(engine > 0);
        Assert.Equal(engine, p.NowNgPerMl!.Value, engine * 1e-6);
    }

    [Fact]
    public void Predict_Null_Throws()
    {
        var f = new SessionFixture();

        Assert.Throws<ArgumentNullException>(() => RecoveryPrediction.Predict(null!, "domino1984", Covariates(f), 50, f.Clock.Now));
        Assert.Throws<ArgumentNullException>(() => RecoveryPrediction.Predict(f.Session, "domino1984", null!, 50, f.Clock.Now));
    }
}
