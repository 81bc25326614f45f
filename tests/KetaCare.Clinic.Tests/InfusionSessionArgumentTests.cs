using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Sessions;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// Every session step refuses a missing argument with <see cref="ArgumentNullException"/> naming it, in a state where
/// the step would otherwise go on (so the guard, not a later dereference or refusal, is what answers).
/// </summary>
public class InfusionSessionArgumentTests
{
    private static readonly AldreteScore Ten = AldreteScore.Create(2, 2, 2, 2, 2).Value;

    private static void Null(string param, Action step) => Assert.Equal(param, Assert.Throws<ArgumentNullException>(step).ParamName);

    [Fact]
    public void ScheduleAndPreAssessment_NullArguments_Named()
    {
        var f = new SessionFixture();
        Null("plan", () => InfusionSession.Schedule(null!, f.Clock.Today, Build.Nurse, f.Clock));
        Null("clock", () => InfusionSession.Schedule(f.Plan, f.Clock.Today, Build.Nurse, null!));
        Null("clock", () => f.Session.BeginPreAssessment(Build.Nurse, null!));

        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        f.FreshVitals();
        Null("input", () => f.Session.CompletePreAssessment(null!, f.Settings, Build.Nurse, f.Clock));
        Null("settings", () => f.Session.CompletePreAssessment(f.Input(), null!, Build.Nurse, f.Clock));
        Null("clock", () => f.Session.CompletePreAssessment(f.Input(), f.Settings, Build.Nurse, null!));
    }

    [Fact]
    public void ProgramCheckAndStart_NullArguments_Named()
    {
        var f = new SessionFixture().PreAssessed();
        var program = PumpProgram.Compute(f.Session.PlannedDose, f.Session.Weight!.Weight, f.Plan.Preparation, f.Protocol.InfusionDuration!.Value, PumpSettings.Default, Build.Nurse, f.Clock).Value;
        Null("program", () => f.Session.RecordPumpProgram(null!));
        Assert.True(f.Session.RecordPumpProgram(program).IsSuccess);

        var reading = SessionFixture.Reading(program);
        Null("checker", () => f.Session.RecordSecondCheck(null!, reading, PumpSettings.Default, f.Clock));
        Null("reading", () => f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, null!, PumpSettings.Default, f.Clock));
        Null("pump", () => f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, reading, null!, f.Clock));
        Null("clock", () => f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, reading, PumpSettings.Default, null!));

        var (_, auth) = f.CheckedProgram();
        Null("authorization", () => f.Session.StartInfusion(null!, null, f.Settings, Build.Nurse, f.Clock));
        Null("settings", () => f.Session.StartInfusion(auth, null, null!, Build.Nurse, f.Clock));
        Null("clock", () => f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, null!));
        Assert.Empty(f.Session.Segments);
    }

    [Fact]
    public void SingleDose_NullArguments_Named()
    {
        var f = new SessionFixture("clinic-im-example").PreAssessed();
        var auth = InfusionSessionRecordTests.SingleDoseAuthorization(f);

        Null("authorization", () => f.Session.GiveSingleDose(null!, null, f.Settings, Build.Nurse, f.Clock));
        Null("settings", () => f.Session.GiveSingleDose(auth, null, null!, Build.Nurse, f.Clock));
        Null("clock", () => f.Session.GiveSingleDose(auth, null, f.Settings, Build.Nurse, null!));
        Assert.Empty(f.Session.SingleDoses);
    }

    [Fact]
    public void RunningSteps_NullClock_Named()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(10));

        Null("clock", () => f.Session.Pause("nausea", Build.Nurse, null!));
        Null("clock", () => f.Session.ChangeRate(20, "slower", Build.Nurse, null!));
        Null("clock", () => f.Session.Complete(Build.Nurse, null!, 5.8));
        Null("clock", () => f.Session.StopEarly("vomiting", Build.Nurse, null!, 5.8));
        Null("clock", () => f.Session.AcknowledgeAlert(0, "done", Build.Nurse, null!));
        Null("clock", () => f.Session.Cancel("no", Build.Nurse, null!));
        Null("clock", () => f.Session.RecordAdverseEvent(AdverseEventType.Other, 1, false, AdverseEventAction.None, AdverseEventOutcome.Resolved, f.Clock.Now, "x", Build.Nurse, null!));
        Null("observation", () => f.Session.RecordObservation(null!, f.Settings, Build.Nurse, f.Clock));
        Null("settings", () => f.Session.RecordObservation(f.Vitals(), null!, Build.Nurse, f.Clock));
        Null("clock", () => f.Session.RecordObservation(f.Vitals(), f.Settings, Build.Nurse, null!));

        Assert.True(f.Session.Pause("nausea", Build.Nurse, f.Clock).IsSuccess);
        Null("clock", () => f.Session.Resume(Build.Nurse, null!));
        Assert.Equal(SessionState.Paused, f.Session.State);
    }

    [Fact]
    public void ChartSteps_NullArguments_Named()
    {
        var f = new SessionFixture().Running();
        var observation = f.Session.Observations.All[0].Id;
        var ae = f.Session.RecordAdverseEvent(AdverseEventType.Other, 1, false, AdverseEventAction.None, AdverseEventOutcome.Resolving, f.Clock.Now, "x", Build.Nurse, f.Clock).Value.Id;

        Null("settings", () => f.Session.AmendObservation(observation, f.Vitals(), "misread", null!, Build.Nurse, f.Clock));
        Null("clock", () => f.Session.AmendObservation(observation, f.Vitals(), "misread", f.Settings, Build.Nurse, null!));
        Null("clock", () => f.Session.MarkObservationEnteredInError(observation, "wrong", Build.Nurse, null!));
        Null("clock", () => f.Session.AmendAdverseEvent(ae, 1, false, AdverseEventAction.None, AdverseEventOutcome.Resolved, "resolved", Build.Nurse, null!));
        Null("clock", () => f.Session.MarkAdverseEventEnteredInError(ae, "wrong", Build.Nurse, null!));
        Null("settings", () => f.Session.VitalsWindow(null!));
        Null("settings", () => f.Session.MinimumObservation(null!));
        Null("settings", () => f.Session.GateFindings(null!, f.Clock.Now));
    }

    [Fact]
    public void Discharge_NullArguments_Named()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(60));
        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings).IsSuccess);
        Assert.True(f.Session.BeginRecovery(Build.Nurse, f.Clock).IsSuccess);
        var prediction = f.Prediction();

        Null("prediction", () => f.Session.DischargeFindings(Ten, true, null!, f.Settings, f.Clock.Now));
        Null("settings", () => f.Session.DischargeFindings(Ten, true, prediction, null!, f.Clock.Now));
        Null("aldrete", () => f.Session.Discharge(null!, true, prediction, null, f.Settings, Build.Nurse, f.Clock));
        Null("prediction", () => f.Session.Discharge(Ten, true, null!, null, f.Settings, Build.Nurse, f.Clock));
        Null("settings", () => f.Session.Discharge(Ten, true, prediction, null, null!, Build.Nurse, f.Clock));
        Null("clock", () => f.Session.Discharge(Ten, true, prediction, null, f.Settings, Build.Nurse, null!));
        Null("clock", () => f.Session.BeginRecovery(Build.Nurse, null!));
        Assert.Equal(SessionState.Recovery, f.Session.State);
    }

    [Fact]
    public void Steps_NullArgumentInTheWrongState_StillNamedNotRefused()
    {
        // A missing argument is a programmer error whatever the state: it throws before any state refusal.
        var f = new SessionFixture();
        var program = PumpProgram.Compute(f.Session.PlannedDose, Pharmacology.Units.BodyWeight.FromKilograms(70), f.Plan.Preparation, f.Protocol.InfusionDuration!.Value, PumpSettings.Default, Build.Nurse, f.Clock).Value;
        var (_, auth) = f.CheckedProgram();
        var prediction = f.Prediction();

        Null("reading", () => f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, null!, PumpSettings.Default, f.Clock));
        Null("pump", () => f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, SessionFixture.Reading(program), null!, f.Clock));
        Null("settings", () => f.Session.StartInfusion(auth, null, null!, Build.Nurse, f.Clock));
        Null("settings", () => f.Session.GiveSingleDose(auth, null, null!, Build.Nurse, f.Clock));
        Null("prediction", () => f.Session.Discharge(Ten, true, null!, null, f.Settings, Build.Nurse, f.Clock));
        Null("settings", () => f.Session.Discharge(Ten, true, prediction, null, null!, Build.Nurse, f.Clock));
        Null("clock", () => f.Session.Cancel(" ", Build.Nurse, null!));
        Assert.Equal(SessionState.Scheduled, f.Session.State);
    }
}
