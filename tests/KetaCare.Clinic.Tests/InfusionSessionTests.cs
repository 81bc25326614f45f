using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Tests;

public class InfusionSessionTests
{
    private static readonly TimeSpan Minutes30 = TimeSpan.FromMinutes(30);

    [Fact]
    public void FullCourse_ScheduledToDischarged_AllowedInOrder()
    {
        var f = new SessionFixture().Running();
        var s = f.Session;
        f.Clock.Advance(Minutes30);
        Assert.True(s.RecordObservation(f.Vitals(nrs: 5), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(Minutes30);
        Assert.True(s.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings).IsSuccess);
        Assert.True(s.BeginRecovery(Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(60)); // the minimum observation time
        Assert.True(s.RecordObservation(f.Vitals(nrs: 4), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        var r = s.Discharge(AldreteScore.Create(2, 2, 2, 2, 1).Value, true, f.Prediction(), null, f.Settings, Build.Nurse, f.Clock);
        Assert.True(r.IsSuccess, r.Error);
        Assert.Equal(SessionState.Discharged, s.State);
        Assert.Equal(
            [SessionState.Scheduled, SessionState.PreAssessment, SessionState.Running, SessionState.Completed, SessionState.Recovery, SessionState.Discharged],
            s.Transitions.Select(t => t.To));
        Assert.Equal(35, s.DoseGiven(f.Clock.Now).Milligrams, 9); // 0.5 mg/kg/h × 70 kg × 1 h
    }

    public static TheoryData<string, SessionState> RefusedTransitions => new()
    {
        { "start-from-scheduled", SessionState.Scheduled },
        { "pause-from-scheduled", SessionState.Scheduled },
        { "complete-from-scheduled", SessionState.Scheduled },
        { "recovery-from-running", SessionState.Running },
        { "discharge-from-running", SessionState.Running },
        { "resume-from-running", SessionState.Running },
        { "cancel-from-running", SessionState.Running },
        { "begin-pre-from-running", SessionState.Running },
        { "complete-from-paused", SessionState.Paused },
        { "pause-from-paused", SessionState.Paused },
        { "start-from-completed", SessionState.Completed },
        { "discharge-from-completed", SessionState.Completed },
        { "pause-from-completed", SessionState.Completed },
    };

    [Theory]
    [MemberData(nameof(RefusedTransitions))]
    public void Transition_NotAllowedFromState_RefusedAndStateUnchanged(string action, SessionState from)
    {
        var f = new SessionFixture();
        var s = f.Session;
        var (_, auth) = f.CheckedProgram();
        if (from != SessionState.Scheduled)
        {
            f.Running();
            if (from == SessionState.Paused)
            {
                Assert.True(s.Pause("nausea", Build.Nurse, f.Clock).IsSuccess);
            }
            else if (from == SessionState.Completed)
            {
                Assert.True(s.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings).IsSuccess);
            }
        }

        Assert.Equal(from, s.State);
        var version = s.Version;
        var aldrete = AldreteScore.Create(2, 2, 2, 2, 2).Value;
        Outcome r = action.Split('-')[0] switch
        {
            "start" => s.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock),
            "pause" => s.Pause("x", Build.Nurse, f.Clock),
            "complete" => s.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings),
            "recovery" => s.BeginRecovery(Build.Nurse, f.Clock),
            "discharge" => s.Discharge(aldrete, true, f.Prediction(), null, f.Settings, Build.Nurse, f.Clock),
            "resume" => s.Resume(Build.Nurse, f.Clock),
            "cancel" => s.Cancel("x", Build.Nurse, f.Clock),
            _ => s.BeginPreAssessment(Build.Nurse, f.Clock),
        };
        Assert.False(r.IsSuccess);
        Assert.Equal(from, s.State);
        Assert.Equal(version, s.Version);
    }

    [Fact]
    public void StopEarly_FromPaused_AllowedWithReason()
    {
        var f = new SessionFixture().Running();
        Assert.True(f.Session.Pause("SBP 190", Build.Nurse, f.Clock).IsSuccess);
        Assert.False(f.Session.StopEarly(" ", Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.StopEarly("persistent hypertension", Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal("persistent hypertension", f.Session.Transitions[^1].Reason);
        Assert.True(f.Session.BeginRecovery(Build.Nurse, f.Clock).IsSuccess);
    }

    [Fact]
    public void Cancel_FromScheduled_NeedsReason()
    {
        var f = new SessionFixture();
        Assert.False(f.Session.Cancel("", Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.Cancel("patient unwell", Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal(SessionState.Cancelled, f.Session.State);
    }

    [Fact]
    public void CompletePreAssessment_NothingRecorded_ListsMissingVitalsAndNrs()
    {
        var f = new SessionFixture();
        f.Session.BeginPreAssessment(Build.Nurse, f.Clock);
        var r = f.Session.CompletePreAssessment(f.Input(), f.Settings, Build.Nurse, f.Clock);
        Codes.Has(FindingCodes.PreVitalsMissing, r);
        Codes.Has(FindingCodes.PrePainMissing, r);
    }

    [Fact]
    public void CompletePreAssessment_ConsentWithdrawn_Refused()
    {
        var f = new SessionFixture();
        var consent = f.Patient.Consents.All[0];
        f.Patient.Amend(consent.Id, consent.Value with { WithdrawnOn = f.Clock.Today }, "patient withdrew", Build.Nurse, f.Clock);
        f.Session.BeginPreAssessment(Build.Nurse, f.Clock);
        f.Session.RecordObservation(f.Vitals(), f.Settings, Build.Nurse, f.Clock);
        var r = f.Session.CompletePreAssessment(f.Input(), f.Settings, Build.Nurse, f.Clock);
        Assert.False(r.IsSuccess);
        Assert.Contains("consent", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CompletePreAssessment_EligibilityExpired_Refused()
    {
        var f = new SessionFixture();
        f.Session.BeginPreAssessment(Build.Nurse, f.Clock);
        f.Session.RecordObservation(f.Vitals(), f.Settings, Build.Nurse, f.Clock);
        var r = f.Session.CompletePreAssessment(f.Input(), f.Settings with { EligibilityValidDays = -1 }, Build.Nurse, f.Clock);
        Assert.False(r.IsSuccess);
        Assert.Contains("eligibility", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PregnancyCheck.NegativeTestToday, true)]
    [InlineData(PregnancyCheck.NotTested, false)]
    [InlineData(PregnancyCheck.PositiveOrPossible, false)]
    public void CompletePreAssessment_ChildbearingPotential_NeedsTestOnTheDay(PregnancyCheck pregnancy, bool ok)
    {
        var clock = Build.Clock();
        var (p, cond) = Build.EligiblePatient(clock, sex: Sex.Female);
        var protocol = ProtocolLibrary.SeedOutpatient;
        var plan = TreatmentPlan.Prescribe(p.Snapshot(), protocol, "domino1984", DrugLibrary.Default.Preparation("bag-1").Value, protocol.Start, Build.Physician, clock).Value;
        var a = Eligibility.EligibilityAssessment.Run(p.Snapshot(), cond, Build.Physician, clock);
        var s = InfusionSession.Schedule(plan, clock.Today, Build.Nurse, clock).Value;
        s.BeginPreAssessment(Build.Nurse, clock);
        s.RecordObservation(Observation.Create(clock.Now, 120, 80, 70, 98, painNrs: 6).Value, SessionSettings.Default, Build.Nurse, clock);
        Assert.Equal(ok, s.CompletePreAssessment(new(p.Snapshot(), a, null, Build.Checklist(clock.Now, pregnancy)), SessionSettings.Default, Build.Nurse, clock).IsSuccess);
    }

    [Fact]
    public void StartInfusion_WithoutPreAssessmentPassed_Refused()
    {
        var f = new SessionFixture();
        f.Session.BeginPreAssessment(Build.Nurse, f.Clock);
        var (_, auth) = f.CheckedProgram();
        Codes.Has(FindingCodes.PreAssessmentNotPassed, f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock));
    }

    [Fact]
    public void StartInfusion_WithoutSecondCheck_Refused()
    {
        var f = new SessionFixture().PreAssessed();
        var weight = BodyWeight.FromKilograms(70);
        var unchecked_ = PumpProgram.Compute(f.Session.PlannedDose, weight, f.Plan.Preparation, Duration.FromHours(1), PumpSettings.Default, Build.Nurse, f.Clock).Value;
        Assert.True(f.Session.RecordPumpProgram(unchecked_).IsSuccess);
        var covariates = f.Patient.Snapshot().CovariatesOn(f.Clock.Today).Value;
        var check = DoseCheck.Evaluate(new PlannedDose(f.Protocol, covariates, unchecked_.BackCalculated, f.Plan.Preparation, "domino1984") { VtbiMl = unchecked_.VtbiMl }, DrugLibrary.Default);
        var auth = DoseAuthorization.Authorize(check, null, Build.Physician, f.Clock).Value;
        var r = f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock);
        Codes.Has(FindingCodes.ProgramNotChecked, r);
        Assert.Equal(SessionState.PreAssessment, f.Session.State);
    }

    [Fact]
    public void StartInfusion_ProgramForAnotherDose_Refused()
    {
        var f = new SessionFixture().PreAssessed();
        var other = PumpProgram.Compute(DoseLevel.MgPerKgPerHour(1), BodyWeight.FromKilograms(70), f.Plan.Preparation, Duration.FromHours(1), PumpSettings.Default, Build.Nurse, f.Clock).Value;
        Codes.Has(FindingCodes.ProgramDoseMismatch, f.Session.RecordPumpProgram(other));
        Assert.Null(f.Session.Program);
    }

    [Fact]
    public void DoseGiven_PauseAndRateChange_SumOfSegments()
    {
        var f = new SessionFixture().Running(); // 35 mL/h of 1 mg/mL
        var s = f.Session;
        f.Clock.Advance(Minutes30);                                           // 17.5 mg
        Assert.True(s.Pause("nausea", Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(10));                            // paused: 0 mg
        f.FreshVitals();
        Assert.True(s.Resume(Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(10));                            // 35/6 mg
        Assert.True(s.ChangeRate(17.5, "dissociation", Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(20));                            // 17.5/3 mg
        Assert.True(s.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings).IsSuccess);
        Assert.Equal(3, s.Segments.Count);
        Assert.All(s.Segments, seg => Assert.NotNull(seg.End));
        Assert.Equal(17.5 + (35.0 / 6) + (17.5 / 3), s.DoseGiven(f.Clock.Now).Milligrams, 9);
        f.Clock.Advance(TimeSpan.FromHours(5));
        Assert.Equal(17.5 + (35.0 / 6) + (17.5 / 3), s.DoseGiven(f.Clock.Now).Milligrams, 9); // nothing after completion
    }

    [Fact]
    public void DoseGiven_WhileRunning_CountsUpToNow()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(12));
        Assert.Equal(7, f.Session.DoseGiven(f.Clock.Now).Milligrams, 9);
    }

    [Theory]
    [InlineData(35.0, true)]
    [InlineData(35.1, false)] // above the checked program
    [InlineData(0.0, false)]
    public void ChangeRate_AboveProgramOrZero_Refused(double rate, bool ok) =>
        Assert.Equal(ok, new SessionFixture().Running().Session.ChangeRate(rate, "test", Build.Nurse, Build.Clock()).IsSuccess);

    [Theory]
    [InlineData(8, true, false)]
    [InlineData(9, true, true)]
    [InlineData(10, false, false)] // no escort
    public void Discharge_AldreteAndEscort_AsExpected(int total, bool escort, bool ok)
    {
        var f = new SessionFixture().Running();
        f.Session.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings);
        f.Session.BeginRecovery(Build.Nurse, f.Clock);
        f.Clock.Advance(TimeSpan.FromMinutes(60));
        f.Session.RecordObservation(f.Vitals(), f.Settings, Build.Nurse, f.Clock);
        var items = new[] { 2, 2, 2, 2, 2 };
        for (var i = 0; i < 10 - total; i++)
        {
            items[i]--;
        }

        var a = AldreteScore.Create(items[0], items[1], items[2], items[3], items[4]).Value;
        Assert.Equal(total, a.Total);
        Assert.Equal(ok, f.Session.Discharge(a, escort, f.Prediction(), null, f.Settings, Build.Nurse, f.Clock).IsSuccess);
    }

    [Fact]
    public void Discharge_NoRecoveryVitals_Refused()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(60));
        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(90));
        f.Session.BeginRecovery(Build.Nurse, f.Clock);
        var r = f.Session.Discharge(AldreteScore.Create(2, 2, 2, 2, 2).Value, true, f.Prediction(), null, f.Settings, Build.Nurse, f.Clock);
        Codes.Has(FindingCodes.DischargeRecoveryVitalsMissing, r);
        Assert.Equal(SessionState.Recovery, f.Session.State);
    }

    [Fact]
    public void RecordObservation_HighSystolic_RaisesAlertLinkedToSegment()
    {
        var f = new SessionFixture().Running();
        var r = f.Session.RecordObservation(f.Vitals(sbp: 185), f.Settings, Build.Nurse, f.Clock);
        Assert.Equal(SuggestedAction.Pause, r.Value.Single().Action);
        Assert.Equal(0, f.Session.Alerts.Single().SegmentIndex);
    }

    [Fact]
    public void RecordObservation_Future_Refused()
    {
        var f = new SessionFixture().Running();
        var o = Observation.Create(f.Clock.Now.AddMinutes(5), painNrs: 3).Value;
        Assert.False(f.Session.RecordObservation(o, f.Settings, Build.Nurse, f.Clock).IsSuccess);
    }

    [Fact]
    public void RecordObservation_BeforePreAssessment_Refused()
    {
        var f = new SessionFixture();
        Assert.False(f.Session.RecordObservation(f.Vitals(), f.Settings, Build.Nurse, f.Clock).IsSuccess);
    }

    [Fact]
    public void AmendObservation_WithReason_KeepsOriginal()
    {
        var f = new SessionFixture().Running();
        f.Session.RecordObservation(f.Vitals(nrs: 9), f.Settings, Build.Nurse, f.Clock);
        var entry = f.Session.Observations.All[^1];
        Assert.True(f.Session.AmendObservation(entry.Id, f.Vitals(nrs: 6), "misheard", f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal(6, f.Session.Observations.Active.Single(e => e.Id == entry.Id).Value.PainNrs);
        Assert.Contains(f.Session.Observations.All, e => e.Id == entry.Id && e.Status == EntryStatus.Amended && e.Value.PainNrs == 9);
    }

    [Fact]
    public void RecordAdverseEvent_DuringSecondSegment_LinkedToIt()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(10));
        f.Session.ChangeRate(20, "dissociation", Build.Nurse, f.Clock);
        f.Clock.Advance(TimeSpan.FromMinutes(5));
        var r = f.Session.RecordAdverseEvent(AdverseEventType.NauseaVomiting, 2, false, AdverseEventAction.TreatmentGiven, AdverseEventOutcome.Resolved, f.Clock.Now.AddMinutes(-1), "ondansetron 4 mg", Build.Nurse, f.Clock);
        Assert.Equal(1, r.Value.Value.SegmentIndex);
        Assert.Equal(f.Session.Id, r.Value.Value.SessionId);
    }

    [Theory]
    [InlineData(0, false, AdverseEventOutcome.Resolved, false)]
    [InlineData(6, false, AdverseEventOutcome.Resolved, false)]
    [InlineData(1, false, AdverseEventOutcome.Resolved, true)]
    [InlineData(5, true, AdverseEventOutcome.Fatal, true)]
    [InlineData(5, false, AdverseEventOutcome.Fatal, false)]   // death is serious
    [InlineData(5, true, AdverseEventOutcome.Resolved, false)] // grade 5 is death
    [InlineData(3, true, AdverseEventOutcome.Fatal, false)]
    public void RecordAdverseEvent_GradeAndOutcome_Validated(int grade, bool serious, AdverseEventOutcome outcome, bool ok)
    {
        var f = new SessionFixture().Running();
        var r = f.Session.RecordAdverseEvent(AdverseEventType.Other, grade, serious, AdverseEventAction.None, outcome, f.Clock.Now, "x", Build.Nurse, f.Clock);
        Assert.Equal(ok, r.IsSuccess);
    }

    [Fact]
    public void GiveSingleDose_ImProtocol_RecordsAmountFromWeight()
    {
        var f = new SessionFixture("clinic-im-example").PreAssessed();
        var covariates = f.Patient.Snapshot().CovariatesOn(f.Clock.Today).Value;
        var check = DoseCheck.Evaluate(new PlannedDose(f.Protocol, covariates, f.Session.PlannedDose, f.Plan.Preparation, "domino1984"), DrugLibrary.Default);
        var auth = DoseAuthorization.Authorize(check, null, Build.Physician, f.Clock).Value;
        Assert.True(f.Session.GiveSingleDose(auth, null, f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal(7, f.Session.DoseGiven(f.Clock.Now).Milligrams, 9); // 0.1 mg/kg × 70 kg
        Assert.False(f.Session.Pause("no rate to pause", Build.Nurse, f.Clock).IsSuccess);
        Assert.False(f.Session.ChangeRate(1, "no rate", Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings).IsSuccess);
    }

    [Fact]
    public void Schedule_UsesPlanCurrentDose_AndRefusesClosedPlan()
    {
        var f = new SessionFixture();
        Assert.True(f.Plan.SetNextDose(DoseLevel.MgPerKgPerHour(0.75), "titration accepted", Build.Physician, f.Clock).IsSuccess);
        Assert.Equal(0.75, InfusionSession.Schedule(f.Plan, f.Clock.Today.AddDays(7), Build.Nurse, f.Clock).Value.PlannedDose.Value);
        Assert.True(f.Plan.Close(PlanStatus.Discontinued, "patient moved").IsSuccess);
        Assert.False(InfusionSession.Schedule(f.Plan, f.Clock.Today.AddDays(14), Build.Nurse, f.Clock).IsSuccess);
    }

    [Fact]
    public void StartInfusion_WeightChangedOnSessionDay_ProgramForOldWeightRefused()
    {
        var f = new SessionFixture();
        var old = f.CheckedProgram(); // computed with the 70-kg weight of last month
        f.Patient.Record(BodyMeasurement.Create(f.Clock.Today, 64).Value, Build.Nurse, f.Clock);
        f.PreAssessed();
        Assert.Equal(64, f.Session.Weight!.Weight.Kilograms);
        var r = f.Session.RecordPumpProgram(old.Program);
        Codes.Has(FindingCodes.ProgramWeightMismatch, r);
        Assert.Equal(64, r.Findings.Single().Number("session"));
        var fresh = f.CheckedProgram();
        Assert.True(f.Session.StartInfusion(fresh.Auth, null, f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal(32, f.Session.Program!.RateMlPerHour, 9); // 0.5 mg/kg/h × 64 kg of 1 mg/mL
    }

    [Fact]
    public void StartInfusion_DoseCheckForAnotherProgram_Refused()
    {
        var f = new SessionFixture().PreAssessed();
        var (program, _) = f.CheckedProgram();
        var covariates = f.Patient.Snapshot().CovariatesOn(f.Clock.Today).Value;
        var otherCheck = DoseCheck.Evaluate(new PlannedDose(f.Protocol, covariates, DoseLevel.MgPerKgPerHour(0.25), f.Plan.Preparation, "domino1984") { VtbiMl = program.VtbiMl }, DrugLibrary.Default);
        var auth = DoseAuthorization.Authorize(otherCheck, null, Build.Physician, f.Clock).Value;
        var r = f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock);
        Codes.Has(FindingCodes.DoseCheckStale, r);
    }

    [Fact]
    public void CompletePreAssessment_NoWeightBeforeSessionDate_Refused()
    {
        var f = new SessionFixture();
        foreach (var m in f.Patient.Measurements.Active.ToList())
        {
            f.Patient.MarkEnteredInError<BodyMeasurement>(m.Id, "wrong scale", Build.Nurse, f.Clock);
        }

        f.Session.BeginPreAssessment(Build.Nurse, f.Clock);
        f.Session.RecordObservation(f.Vitals(), f.Settings, Build.Nurse, f.Clock);
        var r = f.Session.CompletePreAssessment(f.Input(), f.Settings, Build.Nurse, f.Clock);
        Assert.False(r.IsSuccess);
        Assert.Contains(
            Finding.Refused(FindingCodes.PreWeightMissing, FindingArg.Of("cause", FindingCodes.WeightNone), FindingArg.Of("field", "weight"), FindingArg.Of("date", f.Session.ScheduledFor.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))),
            r.Findings);
    }

    [Fact]
    public void AmendObservation_MistypedBloodPressure_AlertNoLongerActive()
    {
        var f = new SessionFixture().Running();
        f.Session.RecordObservation(f.Vitals(sbp: 210), f.Settings, Build.Nurse, f.Clock);
        var entry = f.Session.Observations.All[^1];
        Assert.Single(f.Session.ActiveAlerts);
        var r = f.Session.AmendObservation(entry.Id, f.Vitals(sbp: 120), "typed 210 for 120", f.Settings, Build.Nurse, f.Clock);
        Assert.Empty(r.Value);
        Assert.Empty(f.Session.ActiveAlerts);
        Assert.Single(f.Session.Alerts); // the original alert stays in the record
    }

    [Fact]
    public void MarkObservationEnteredInError_LowSpO2_AlertsStopCounting()
    {
        var f = new SessionFixture().Running();
        f.Session.RecordObservation(f.Vitals(spo2: 85), f.Settings, Build.Nurse, f.Clock);
        var entry = f.Session.Observations.All[^1];
        Assert.False(f.Session.MarkObservationEnteredInError(entry.Id, " ", Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.MarkObservationEnteredInError(entry.Id, "probe off the finger", Build.Nurse, f.Clock).IsSuccess);
        Assert.Empty(f.Session.ActiveAlerts);
        Assert.Equal(0, Titration.SessionSummary.From(f.Session).StopAlerts);
    }

    [Fact]
    public void AmendAdverseEvent_OutcomeResolved_KeepsOnsetAndSegment()
    {
        var f = new SessionFixture().Running();
        var e = f.Session.RecordAdverseEvent(AdverseEventType.PsychomimeticOrDissociation, 2, false, AdverseEventAction.RateReduced, AdverseEventOutcome.Resolving, f.Clock.Now, "vivid imagery", Build.Nurse, f.Clock).Value;
        f.Clock.Advance(TimeSpan.FromMinutes(40));
        var r = f.Session.AmendAdverseEvent(e.Id, 2, false, AdverseEventAction.RateReduced, AdverseEventOutcome.Resolved, "settled after rate reduction", Build.Nurse, f.Clock);
        Assert.True(r.IsSuccess, r.Error);
        Assert.Equal((AdverseEventOutcome.Resolved, e.Value.OnsetAt, 0), (r.Value.Value.Outcome, r.Value.Value.OnsetAt, r.Value.Value.SegmentIndex!.Value));
        Assert.Equal(2, f.Session.AdverseEvents.All.Count);
        Assert.False(f.Session.AmendAdverseEvent(e.Id, 5, true, AdverseEventAction.Stopped, AdverseEventOutcome.Resolved, "x", Build.Nurse, f.Clock).IsSuccess);
    }

    [Fact]
    public void MarkAdverseEventEnteredInError_GradeThree_NotCountedByTitration()
    {
        var f = new SessionFixture().Running();
        var e = f.Session.RecordAdverseEvent(AdverseEventType.Hypertension, 3, false, AdverseEventAction.Paused, AdverseEventOutcome.Resolved, f.Clock.Now, "wrong patient", Build.Nurse, f.Clock).Value;
        Assert.Equal(3, Titration.SessionSummary.From(f.Session).MaxAdverseEventGrade);
        Assert.True(f.Session.MarkAdverseEventEnteredInError(e.Id, "recorded on the wrong session", Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal(0, Titration.SessionSummary.From(f.Session).MaxAdverseEventGrade);
    }
}
