using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Sessions;

namespace KetaCare.Clinic.Tests;

/// <summary>How the session applies the pre-session checklist: hard items refuse the pre-assessment, soft ones gate the start.</summary>
public sealed class PreSessionChecklistSessionTests
{
    private static SessionFixture WithVitals()
    {
        var f = new SessionFixture();
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        f.FreshVitals();
        return f;
    }

    [Fact]
    public void CompletePreAssessment_NoEscort_RefusedAndNothingKept()
    {
        var f = WithVitals();
        var before = f.Session.Version;

        var r = f.Session.CompletePreAssessment(f.Input(Build.Checklist(f.Clock.Now) with { EscortConfirmed = false }), f.Settings, Build.Nurse, f.Clock);

        Assert.Equal([FindingCodes.PreEscortNotConfirmed], r.Findings.Select(x => x.Code));
        Assert.False(f.Session.PreAssessmentPassed);
        Assert.Null(f.Session.Checklist);
        Assert.Empty(f.Session.ChecklistFindings);
        Assert.Equal(before, f.Session.Version);
    }

    [Fact]
    public void CompletePreAssessment_WeightOlderThanTheWindow_RefusedAsStaleNotAsMissing()
    {
        var f = WithVitals();
        f.Clock.Advance(TimeSpan.FromDays(1)); // the fixture's weight is 30 days old on the session date; the session date stays
        var old = f.Patient.Snapshot() with { Measurements = [BodyMeasurement.Create(f.Session.ScheduledFor.AddDays(-31), 70, 175).Value] };

        var r = f.Session.CompletePreAssessment(new PreAssessmentInput(old, f.Assessment, null, Build.Checklist(f.Clock.Now)), f.Settings, Build.Nurse, f.Clock);

        var stale = Assert.Single(r.Findings);
        Assert.Equal(FindingCodes.WeightStale, stale.Code);
        Assert.Equal(31, stale.Number("age"));
        Assert.Null(f.Session.Weight);
    }

    [Fact]
    public void StartInfusion_ShortFast_NeedsAPhysiciansReasonWhichIsRecorded()
    {
        var f = WithVitals();
        var pre = f.Session.CompletePreAssessment(f.Input(Build.Checklist(f.Clock.Now) with { FastingSince = f.Clock.Now.AddHours(-2) }), f.Settings, Build.Nurse, f.Clock);
        Assert.True(pre.IsSuccess, pre.Error);
        Assert.Equal([FindingCodes.PreFastingShort], f.Session.ChecklistFindings.Select(x => x.Code));
        var (_, auth) = f.CheckedProgram();

        var refused = f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock);
        Assert.Equal([FindingCodes.PreFastingShort], refused.Findings.Select(x => x.Code));
        Assert.Equal(SessionState.PreAssessment, f.Session.State);
        Assert.Contains(FindingCodes.PreFastingShort, f.Session.StartFindings(f.Settings, f.Clock.Now).Select(x => x.Code));

        var started = f.Session.StartInfusion(auth, new PhysicianOverride(SessionFixture.PhysicianStaff, "clear fluids only"), f.Settings, Build.Physician, f.Clock);
        Assert.True(started.IsSuccess, started.Error);
        var o = Assert.Single(f.Session.Overrides);
        Assert.Equal("start", o.Step);
        Assert.Equal([FindingCodes.PreFastingShort], o.Codes);
        Assert.Equal("clear fluids only", o.Reason);
    }

    [Fact]
    public void StartInfusion_NewMedicationWarning_KeptAndDoesNotBlock()
    {
        var f = WithVitals();
        var checklist = Build.Checklist(f.Clock.Now) with { NewMedications = [new Medication("tramadol", "50 mg", InteractionClass.CnsDepressant)] };
        Assert.True(f.Session.CompletePreAssessment(f.Input(checklist), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        var (_, auth) = f.CheckedProgram();

        Assert.True(f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal(checklist, f.Session.Checklist);
        Assert.Equal([FindingSeverity.Warning], f.Session.ChecklistFindings.Select(x => x.Severity));
        Assert.Empty(f.Session.Overrides);
    }

    [Fact]
    public void Resume_ShortFastOverriddenAtStart_NotAskedAgain()
    {
        var f = WithVitals();
        Assert.True(f.Session.CompletePreAssessment(f.Input(Build.Checklist(f.Clock.Now) with { FastingSince = f.Clock.Now.AddHours(-2) }), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        var (_, auth) = f.CheckedProgram();
        Assert.True(f.Session.StartInfusion(auth, new PhysicianOverride(SessionFixture.PhysicianStaff, "clear fluids only"), f.Settings, Build.Physician, f.Clock).IsSuccess);
        Assert.True(f.Session.Pause("toilet", Build.Nurse, f.Clock).IsSuccess);
        f.FreshVitals();

        var r = f.Session.Resume(Build.Nurse, f.Clock, null, null, f.Settings);

        Assert.True(r.IsSuccess, r.Error);
    }
}
