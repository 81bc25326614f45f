using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Titration;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Tests;

public class TitrationAdvisorTests
{
    private static readonly BodyWeight Kg70 = BodyWeight.FromKilograms(70);

    private static SessionSummary S(double dose, int? before = 7, int? after = 7, int grade = 0, bool serious = false, int pause = 0, int stop = 0, bool early = false) =>
        new(SessionId.New(), DoseLevel.MgPerKgPerHour(dose), before, after, grade, serious, pause, stop, early);

    private static TitrationProposal Propose(Protocol p, double current, params SessionSummary[] history) =>
        TitrationAdvisor.Propose(p, DrugLibrary.Default.LimitsFor(p), Kg70, DoseLevel.MgPerKgPerHour(current), history);

    public static TheoryData<string, SessionSummary[], double, TitrationAction, double?, string> Cases => new()
    {
        { "first session", [], 0.5, TitrationAction.Start, 0.5, "titration.first-session" },
        { "tolerated, no response", [S(0.5)], 0.5, TitrationAction.Increase, 0.75, "titration.step-up" },
        { "grade 1 only", [S(0.5, grade: 1)], 0.5, TitrationAction.Increase, 0.75, "titration.step-up" },
        { "grade 2 holds", [S(0.75, grade: 2)], 0.75, TitrationAction.Hold, 0.75, "titration.adverse-event titration.hold" },
        { "pause alert holds", [S(0.75, pause: 1)], 0.75, TitrationAction.Hold, 0.75, "titration.pause-alerts titration.hold" },
        { "grade 3 steps down", [S(1.0, grade: 3)], 1.0, TitrationAction.Decrease, 0.75, "titration.adverse-event titration.step-down" },
        { "stop alert steps down", [S(1.0, stop: 1)], 1.0, TitrationAction.Decrease, 0.75, "titration.stop-alerts titration.step-down" },
        { "stopped early steps down", [S(1.0, early: true)], 1.0, TitrationAction.Decrease, 0.75, "titration.stopped-early titration.step-down" },
        { "grade 4 stops", [S(1.0, grade: 4)], 1.0, TitrationAction.StopCourse, null, "titration.adverse-event titration.stop-course" },
        { "serious stops", [S(1.0, grade: 2, serious: true)], 1.0, TitrationAction.StopCourse, null, "titration.serious-adverse-event titration.stop-course" },
        { "50 % relief before the last session holds", [S(0.5, 8, 6), S(0.75, 4, 4)], 0.75, TitrationAction.Hold, 0.75, "titration.hold-at-reduction" },
        { "49 % relief before the last session increases", [S(0.5, 8, 6), S(0.75, 5, 4)], 0.75, TitrationAction.Increase, 1.0, "titration.step-up" },
        { "in-session relief alone increases", [S(0.5, 8, 8), S(0.75, 7, 1)], 0.75, TitrationAction.Increase, 1.0, "titration.step-up" },
        { "at ceiling holds", [S(2.0)], 2.0, TitrationAction.Hold, 2.0, "titration.hold-at-maximum" },
        { "step capped at ceiling", [S(1.9)], 1.9, TitrationAction.Increase, 2.0, "titration.step-up" },
        { "course complete", [S(0.5), S(0.75), S(1), S(1.25), S(1.5), S(1.75)], 2.0, TitrationAction.CourseComplete, null, "titration.course-complete" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Propose_SeedProtocol_Table(string name, SessionSummary[] history, double current, TitrationAction action, double? next, string codes)
    {
        var p = Propose(ProtocolLibrary.SeedOutpatient, current, history);
        Assert.True(action == p.Action, name);
        Assert.Equal(next, p.NextDose?.Value);
        Assert.Equal(codes, string.Join(" ", p.Findings.Select(f => f.Code)));
        Assert.All(p.Findings, f => Assert.Equal((FindingSeverity.Info, p.Source), (f.Severity, f.Source)));
        Assert.Empty(p.Reasons);
    }

    [Fact]
    public void Propose_Reasons_CarryTheirNumbersTyped()
    {
        var up = Propose(ProtocolLibrary.SeedOutpatient, 0.5, S(0.5)).Findings.Single();
        Assert.Equal((0.75, "mg/kg/h"), (up.Number("dose"), up.Arg("dose")!.Unit));
        Assert.Equal(2.0, up.Number("max"));

        var relief = Propose(ProtocolLibrary.SeedOutpatient, 0.75, S(0.5, 8, 6), S(0.75, 4, 4)).Findings.Single();
        Assert.Equal((50, 8, 4), (relief.Number("reduction"), relief.Number("baseline"), relief.Number("now")));
        Assert.Equal(ProtocolLibrary.SeedOutpatient.Titration.HoldAtReductionPercent, relief.Number("threshold"));

        var down = Propose(ProtocolLibrary.SeedOutpatient, 1.0, S(1.0, stop: 2, pause: 1)).Findings;
        Assert.Equal([2.0, 1.0], down.Where(f => f.Code is FindingCodes.TitrationStopAlerts or FindingCodes.TitrationPauseAlerts).Select(f => f.Number("count")));
    }

    [Theory]
    [InlineData(4, TitrationAction.Hold)]      // 8 → 4 between sessions: 50 %, the relief lasted
    [InlineData(5, TitrationAction.Increase)]  // 37.5 %: below the hold threshold
    public void Propose_FollowUpSinceTheLastSession_IsTheReliefThatCounts(int followUp, TitrationAction action)
    {
        var p = ProtocolLibrary.SeedOutpatient;

        var r = TitrationAdvisor.Propose(p, DrugLibrary.Default.LimitsFor(p), Kg70, DoseLevel.MgPerKgPerHour(0.75), [S(0.5, 8, 2), S(0.75, 7, 1)], null, followUp);

        Assert.Equal(action, r.Action);
    }

    [Fact]
    public void Propose_Rema_FollowsPublishedLevels()
    {
        var p = ProtocolLibrary.Rema2012;
        Assert.Equal(0.4, Propose(p, 0.2, S(0.2)).NextDose!.Value.Value, 12);
        Assert.Equal(0.6, Propose(p, 0.4, S(0.2), S(0.4)).NextDose!.Value.Value, 12);
    }

    [Theory]
    [InlineData(70, 0.35)]     // 24.5 mg/h: the 0.35 mg/kg/h ceiling binds
    [InlineData(80, 0.3125)]   // 25 mg/h / 80 kg: the absolute ceiling binds
    public void Maximum_Schwartzman_NeverAboveEitherCeiling(double kg, double expected)
    {
        var p = ProtocolLibrary.Schwartzman2009;
        var max = TitrationAdvisor.Maximum(p, DrugLibrary.Default.LimitsFor(p), BodyWeight.FromKilograms(kg));
        Assert.Equal(expected, max.Value, 12);
    }

    [Fact]
    public void Propose_HardLimitBelowCeiling_CappedAtHardLimit()
    {
        var p = ProtocolLibrary.SeedOutpatient;
        var limits = new DoseLimits { HardMgPerKgPerHour = new Limit(1.0, Source.Assumption("test")) };
        var r = TitrationAdvisor.Propose(p, limits, Kg70, DoseLevel.MgPerKgPerHour(0.9), [S(0.9)]);
        Assert.Equal(1.0, r.NextDose!.Value.Value, 12);
        Assert.Equal(1.0, r.MaximumDose.Value, 12);
    }

    [Fact]
    public void Propose_EveryHistory_NeverAboveMaximum()
    {
        var p = ProtocolLibrary.SeedOutpatient;
        for (var current = 0.5; current <= 2.0; current += 0.25)
        {
            foreach (var h in new[] { S(current), S(current, grade: 2), S(current, 8, 2) })
            {
                var r = Propose(p, current, h);
                Assert.True(r.NextDose is null || r.NextDose.Value <= r.MaximumDose);
            }
        }
    }

    [Fact]
    public void Override_AboveMaximum_Refused()
    {
        var proposal = Propose(ProtocolLibrary.SeedOutpatient, 1.75, S(1.75));
        var r = TitrationDecision.Override(proposal, DoseLevel.MgPerKgPerHour(2.01), "no effect", Build.Physician, Build.Clock());
        Assert.Equal("dose: 2.01 mg/kg/h is above the maximum 2 mg/kg/h (protocol ceiling or hard limit); it cannot be overridden.", r.Error);
        Assert.Equal("titration-override.above-maximum(field=dose, value=2.01 mg/kg/h, max=2 mg/kg/h)", r.Findings.Single().ToString());
        var otherUnit = TitrationDecision.Override(proposal, DoseLevel.MgPerKg(0.2), "no effect", Build.Physician, Build.Clock());
        Assert.Equal("dose: 0.2 mg/kg is not in the protocol's unit (2 mg/kg/h).", otherUnit.Error);
        Assert.Equal("titration-override.unit(field=dose, value=0.2 mg/kg, max=2 mg/kg/h)", otherUnit.Findings.Single().ToString());
    }

    [Fact]
    public void Override_WithoutReason_Refused()
    {
        var proposal = Propose(ProtocolLibrary.SeedOutpatient, 0.5, S(0.5));
        var r = TitrationDecision.Override(proposal, DoseLevel.MgPerKgPerHour(0.5), " ", Build.Physician, Build.Clock());
        Assert.Equal("reason: overriding the titration proposal needs a reason.", r.Error);
        Assert.Equal("titration-override.reason-missing(field=reason)", r.Findings.Single().ToString());
    }

    [Fact]
    public void Override_WithReason_Recorded()
    {
        var clock = Build.Clock();
        var proposal = Propose(ProtocolLibrary.SeedOutpatient, 0.5, S(0.5));
        var d = TitrationDecision.Override(proposal, DoseLevel.MgPerKgPerHour(0.5), "patient prefers to stay", Build.Physician, clock).Value;
        Assert.True(d.Overridden);
        Assert.Equal(0.5, d.Dose!.Value.Value);
        Assert.Equal(clock.Now, d.At);
    }

    [Fact]
    public void Accept_Proposal_TakesProposedDose()
    {
        var proposal = Propose(ProtocolLibrary.SeedOutpatient, 0.5, S(0.5));
        var d = TitrationDecision.Accept(proposal, Build.Physician, Build.Clock());
        Assert.False(d.Overridden);
        Assert.Equal(proposal.NextDose, d.Dose);
    }

    [Fact]
    public void Summary_FromSession_ReadsPainAdverseEventsAndAlerts()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(20));
        f.Session.RecordObservation(f.Vitals(sbp: 190, nrs: 4), f.Settings, Build.Nurse, f.Clock);
        f.Session.RecordAdverseEvent(Sessions.AdverseEventType.Hypertension, 2, false, Sessions.AdverseEventAction.Paused, Sessions.AdverseEventOutcome.Resolved, f.Clock.Now, "BP 190/95", Build.Nurse, f.Clock);
        var s = SessionSummary.From(f.Session);
        Assert.Equal((7, 4, 2, 1, 0), (s.PainBefore!.Value, s.PainAfter!.Value, s.MaxAdverseEventGrade, s.PauseAlerts, s.StopAlerts));
        Assert.Equal(TitrationAction.Hold, Propose(ProtocolLibrary.SeedOutpatient, 0.5, s).Action);
    }
}
