using KetaCare.Clinic.Outcomes;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Tests;

public class OutcomesTests
{
    [Theory]
    [InlineData(10, 7, true, false)]  // exactly 30 %
    [InlineData(7, 5, false, false)]  // 28.6 %
    [InlineData(8, 4, true, true)]    // exactly 50 %
    [InlineData(9, 5, true, false)]   // 44 %
    [InlineData(6, 0, true, true)]
    [InlineData(5, 6, false, false)]  // worse
    public void Classify_ImmpactThresholds_Inclusive(int baseline, int current, bool moderate, bool substantial)
    {
        var r = ResponderStatus.Classify(baseline, current).Value;
        Assert.Equal((moderate, substantial), (r.Moderate, r.Substantial));
    }

    [Fact]
    public void Classify_BaselineZero_NoReduction()
    {
        var r = ResponderStatus.Classify(0, 0).Value;
        Assert.Null(r.ReductionPercent);
        Assert.False(r.Moderate);
        Assert.Contains("baseline of 0", OutcomeAnalysis.Describe(r), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(11, 5)]
    [InlineData(5, -1)]
    public void Classify_OutOfRange_Refused(int baseline, int current) =>
        Assert.False(ResponderStatus.Classify(baseline, current).IsSuccess);

    [Fact]
    public void Describe_Substantial_InvariantText() =>
        Assert.Equal("NRS 7 → 3 (57.1 % reduction): substantial responder", OutcomeAnalysis.Describe(ResponderStatus.Classify(7, 3).Value));

    [Fact]
    public void Bpi_SeverityAndInterference_Means()
    {
        var b = BpiShortForm.Create(8, 2, 5, 5, [1, 2, 3, 4, 5, 6, 7]).Value;
        Assert.Equal(5, b.Severity, 12);
        Assert.Equal(4, b.Interference, 12);
    }

    [Theory]
    [InlineData(11, 2, 5, 5, "worst")]
    [InlineData(8, 2, 5, -1, "now")]
    public void Bpi_SeverityItemOutOfRange_NamesItem(int worst, int least, int avg, int now, string item) =>
        Assert.Contains(item, BpiShortForm.Create(worst, least, avg, now, [1, 1, 1, 1, 1, 1, 1]).Error, StringComparison.Ordinal);

    [Fact]
    public void Bpi_WrongInterferenceCount_Refused() =>
        Assert.False(BpiShortForm.Create(5, 5, 5, 5, [1, 2, 3]).IsSuccess);

    [Fact]
    public void Bpi_InterferenceItemOutOfRange_NamesItemNumber() =>
        Assert.Contains("item 3", BpiShortForm.Create(5, 5, 5, 5, [1, 2, 11, 4, 5, 6, 7]).Error, StringComparison.Ordinal);

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(7, false)]
    public void Pgic_Responder_OneOrTwo(int value, bool responder) => Assert.Equal(responder, Pgic.Create(value).Value.IsResponder);

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void Pgic_OutOfRange_Refused(int value) => Assert.False(Pgic.Create(value).IsSuccess);

    [Fact]
    public void DurationOfRelief_LostOnDayTen_TenDays()
    {
        var end = Build.Start;
        var scores = new[]
        {
            new PainPoint(end.AddDays(1), 3, null),
            new PainPoint(end.AddDays(5), 4, null),
            new PainPoint(end.AddDays(10), 6, null), // 25 % < 30 %: relief lost
            new PainPoint(end.AddDays(12), 3, null),
        };
        var d = OutcomeAnalysis.DurationOfRelief(8, end, scores, out var last);
        Assert.Equal(10, d!.Value.Minutes / 1440, 9);
        Assert.Equal(end.AddDays(5), last);
    }

    [Fact]
    public void DurationOfRelief_StillRelieved_NullWithLastRelieved()
    {
        var end = Build.Start;
        var d = OutcomeAnalysis.DurationOfRelief(8, end, [new PainPoint(end.AddDays(3), 2, null)], out var last);
        Assert.Null(d);
        Assert.Equal(end.AddDays(3), last);
    }

    [Fact]
    public void DurationOfRelief_NeverRelieved_NullWithoutLastRelieved()
    {
        var end = Build.Start;
        Assert.Null(OutcomeAnalysis.DurationOfRelief(8, end, [new PainPoint(end.AddDays(1), 7, null)], out var last));
        Assert.Null(last);
    }

    [Fact]
    public void Trajectory_SessionAndFollowUpScores_TimeOrdered()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(30));
        f.Session.RecordObservation(f.Vitals(nrs: 4), f.Settings, Build.Nurse, f.Clock);
        var t = OutcomeAnalysis.Trajectory([f.Session], [new PainPoint(f.Clock.Now.AddDays(2), 5, null), new PainPoint(f.Clock.Now.AddDays(-10), 8, null)]);
        Assert.Equal([8, 7, 4, 5], t.Select(p => p.Nrs));
        Assert.Equal(f.Session.Id, t[1].Session);
    }

    [Fact]
    public void RegimenGiven_FromSegments_TotalMatchesDoseGiven()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(20));
        f.Session.ChangeRate(20, "dissociation", Build.Nurse, f.Clock);
        f.Clock.Advance(TimeSpan.FromMinutes(40));
        f.Session.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings);
        var regimen = OutcomeAnalysis.RegimenGiven([f.Session], f.Session.Segments[0].Start);
        var total = regimen.Administrations.Sum(a => a.Dose.Resolve(BodyWeight.FromKilograms(70)).Value.Total.Milligrams);
        Assert.Equal(f.Session.DoseGiven(f.Clock.Now).Milligrams, total, 9);
    }

    [Fact]
    public void PredictedBesideObserved_AfterSession_ReliefRisesThenPersists()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromHours(1));
        f.Session.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings);
        var covariates = f.Patient.Snapshot().CovariatesOn(f.Clock.Today).Value;
        var end = f.Clock.Now;
        var observed = new[] { new PainPoint(end.AddHours(1), 6, null), new PainPoint(end.AddDays(3), 5, null), new PainPoint(end.AddDays(30), 7, null) };
        var r = OutcomeAnalysis.PredictedBesideObserved([f.Session], covariates, "domino1984", 8, observed).Value;
        Assert.Equal(3, r.Count);
        Assert.True(r[0].PredictedFractionOfMaxEffect > 0);
        Assert.True(r[1].PredictedFractionOfMaxEffect > r[0].PredictedFractionOfMaxEffect); // slow effect site (t½ 10.9 d) still rising
        Assert.All(r, x => Assert.InRange(x.PredictedFractionOfMaxEffect, 0, 1));
        Assert.Equal(25, r[0].ObservedReductionPercent!.Value, 9);
    }

    [Fact]
    public void PredictedBesideObserved_NoDrugGiven_Refused()
    {
        var f = new SessionFixture();
        var covariates = f.Patient.Snapshot().CovariatesOn(f.Clock.Today).Value;
        Assert.False(OutcomeAnalysis.PredictedBesideObserved([f.Session], covariates, "domino1984", 8, [new PainPoint(f.Clock.Now, 5, null)]).IsSuccess);
    }
}

public class SessionPainTests
{
    [Fact]
    public void PerSession_CompletedSession_BeforeAfterAndDose()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(60));
        f.Session.RecordObservation(f.Vitals(nrs: 3), f.Settings, Build.Nurse, f.Clock);
        f.Session.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings);
        var s = OutcomeAnalysis.PerSession([f.Session], f.Clock.Now).Single();
        Assert.Equal((7, 3), (s.Before!.Value, s.After!.Value));
        Assert.Equal(35, s.DoseGiven.Milligrams, 9);
        Assert.Equal(400.0 / 7, s.ReductionPercent!.Value, 9);
    }
}
