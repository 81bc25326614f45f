using System.Globalization;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// What each step of the session records (transition with who, when and reason; segments; version; checks, overrides,
/// acknowledgements) and each refusal's exact findings with their parameters, before anything is recorded.
/// </summary>
public class InfusionSessionRecordTests
{
    private static readonly StaffMember NurseAsOverrider = new(Build.Nurse, true, [KetaCare.Clinic.Users.ClinicRoles.Nurse]);

    private static Finding Refused(string code, params FindingArg[] args) => Finding.Refused(code, args);

    private static Finding StateRefusal(SessionState from, SessionState to) =>
        Refused(FindingCodes.SessionState, FindingArg.Of("from", from.ToString()), FindingArg.Of("to", to.ToString()));

    private static Finding ReasonRequired(string field) =>
        Refused(FindingCodes.ReasonRequired, FindingArg.Of("field", field), FindingArg.Of("max", PhysicianOverride.MaxReasonLength));

    private static string Iso(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    private static void AssertRefused(Outcome outcome, params Finding[] expected)
    {
        Assert.False(outcome.IsSuccess);
        Assert.Equal(expected, outcome.Findings);
    }

    private static void AssertRefused<T>(Outcome<T> outcome, params Finding[] expected)
    {
        Assert.False(outcome.IsSuccess);
        Assert.Equal(expected, outcome.Findings);
    }

    private static Transition Last(SessionFixture f) => f.Session.Transitions[^1];

    /// <summary>Pre-assessed with a systolic of 185 mmHg: above the alert level, so a start needs a physician's override.</summary>
    private static SessionFixture PreAssessedAtSystolic185(string protocolId = "outpatient-seed")
    {
        var f = new SessionFixture(protocolId);
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.RecordObservation(f.Vitals(sbp: 185), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.CompletePreAssessment(f.Input(), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        return f;
    }

    private static void AssertOverride(SafetyOverride o, string step, string[] codes, string reason, DateTimeOffset at)
    {
        Assert.Equal((step, reason, Build.Physician, at), (o.Step, o.Reason, o.By, o.At));
        Assert.Equal(codes, o.Codes);
    }

    /// <summary>The program for the session's dose and weight, computed but not recorded.</summary>
    private static PumpProgram Computed(SessionFixture f) =>
        PumpProgram.Compute(f.Session.PlannedDose, f.Session.Weight!.Weight, f.Plan.Preparation, f.Protocol.InfusionDuration!.Value, PumpSettings.Default, Build.Nurse, f.Clock).Value;

    [Fact]
    public void Schedule_ActivePlan_ScheduledTransitionAtThePlansDose()
    {
        var f = new SessionFixture();
        var s = f.Session;

        Assert.Equal((SessionState.Scheduled, 1L, f.Plan.CurrentDose, f.Clock.Today), (s.State, s.Version, s.PlannedDose, s.ScheduledFor));
        Assert.Equal((f.Plan.Id, f.Plan.PatientId, f.Plan.Protocol), (s.PlanId, s.PatientId, s.Protocol));
        Assert.Equal([new Transition(SessionState.Scheduled, SessionState.Scheduled, f.Clock.Now, Build.Nurse, "scheduled")], s.Transitions);
    }

    [Fact]
    public void Schedule_ClosedPlan_RefusedNamingThePlansStatus()
    {
        var f = new SessionFixture();
        Assert.True(f.Plan.Close(PlanStatus.Discontinued, "patient moved").IsSuccess);

        var r = InfusionSession.Schedule(f.Plan, f.Clock.Today, Build.Nurse, f.Clock);

        Assert.Equal([Refused(FindingCodes.SessionState, FindingArg.Of("from", "plan Discontinued"), FindingArg.Of("to", "Scheduled"))], r.Findings);
    }

    [Fact]
    public void BeginPreAssessment_RecordsTheTransitionAndAVersion()
    {
        var f = new SessionFixture();
        f.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.True(f.Session.BeginPreAssessment(Build.SecondNurse, f.Clock).IsSuccess);

        Assert.Equal(new Transition(SessionState.Scheduled, SessionState.PreAssessment, f.Clock.Now, Build.SecondNurse, null), Last(f));
        Assert.Equal((SessionState.PreAssessment, 2L), (f.Session.State, f.Session.Version));
    }

    [Fact]
    public void BeginPreAssessment_Twice_RefusedNamingBothStatesAndNothingRecorded()
    {
        var f = new SessionFixture();
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);

        AssertRefused(f.Session.BeginPreAssessment(Build.Nurse, f.Clock), StateRefusal(SessionState.PreAssessment, SessionState.PreAssessment));
        Assert.Equal((2, 2L), (f.Session.Transitions.Count, f.Session.Version));
    }

    [Fact]
    public void CompletePreAssessment_NotInPreAssessment_RefusedNamingTheState()
    {
        var f = new SessionFixture();

        AssertRefused(f.Session.CompletePreAssessment(f.Input(), f.Settings, Build.Nurse, f.Clock), StateRefusal(SessionState.Scheduled, SessionState.PreAssessment));
        Assert.False(f.Session.PreAssessmentPassed);
    }

    [Fact]
    public void CompletePreAssessment_Passed_FixesTheWeightAndDosingWeightAndCountsAVersion()
    {
        var f = new SessionFixture();
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        f.FreshVitals();
        var before = f.Session.Version;

        Assert.True(f.Session.CompletePreAssessment(f.Input(), f.Settings, Build.Nurse, f.Clock).IsSuccess);

        Assert.True(f.Session.PreAssessmentPassed);
        Assert.Equal(70, f.Session.Weight!.Weight.Kilograms);
        Assert.Equal(70, f.Session.DosingWeightKg);
        Assert.Equal(before + 1, f.Session.Version);
    }

    [Fact]
    public void CompletePreAssessment_AnotherPatientWithoutConsentOrScreening_EveryFindingWithItsParameters()
    {
        var f = new SessionFixture();
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        var other = Patient.Register(new Demographics("MRN-2", "Ayse", "Other", new DateOnly(1990, 3, 3), Sex.Male), Build.Nurse, f.Clock);

        var r = f.Session.CompletePreAssessment(new PreAssessmentInput(other.Snapshot(), null, null, Build.Checklist(f.Clock.Now)), f.Settings, Build.Nurse, f.Clock);

        var weightMissing = Assert.Single(r.Findings, x => x.Code == FindingCodes.PreWeightMissing);
        Assert.Equal(FindingCodes.WeightNone, weightMissing.Arg("cause")!.Text);
        Assert.Equal(
            [
                Refused(FindingCodes.PreVitalsMissing), Refused(FindingCodes.PrePainMissing), Refused(FindingCodes.PrePatientMismatch),
                Refused(FindingCodes.PreConsentMissing, FindingArg.Of("date", "2026-06-01")), Refused(FindingCodes.PreEligibilityMissing), weightMissing,
            ],
            r.Findings);
        Assert.False(f.Session.PreAssessmentPassed);
        Assert.Null(f.Session.Weight);
        Assert.Equal(2, f.Session.Version);
    }

    [Fact]
    public void CompletePreAssessment_ScreeningNotCurrent_FindingCarriesTheReason()
    {
        var f = new SessionFixture();
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        f.FreshVitals();
        var settings = f.Settings with { EligibilityRuleSetVersion = "eligibility-2099.1" };

        var r = f.Session.CompletePreAssessment(f.Input(), settings, Build.Nurse, f.Clock);

        Assert.Equal(
            [Refused(FindingCodes.PreEligibilityNotCurrent, FindingArg.Of("cause", FindingCodes.EligibilityRuleSetChanged), FindingArg.Of("assessed", "eligibility-2026.1"), FindingArg.Of("current", "eligibility-2099.1"))],
            r.Findings);
    }

    [Fact]
    public void CompletePreAssessment_Pregnant_HardStopCitingCohen()
    {
        var f = new SessionFixture();
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        f.FreshVitals();
        var pregnant = f.Patient.Snapshot() with { Pregnancy = new PregnancyStatus(PregnancyState.Pregnant, f.Clock.Today) };

        var r = f.Session.CompletePreAssessment(new PreAssessmentInput(pregnant, f.Assessment, null, Build.Checklist(f.Clock.Now, PregnancyCheck.NegativeTestToday)), f.Settings, Build.Nurse, f.Clock);

        Assert.Equal([Finding.Of(FindingCodes.PrePregnant, FindingSeverity.HardStop, Source.Cohen2018)], r.Findings);
    }

    [Fact]
    public void CompletePreAssessment_NoPregnancyTestToday_RefusedWithTheSessionDate()
    {
        var f = new SessionFixture();
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        f.FreshVitals();
        var woman = f.Patient.Snapshot() with { Demographics = f.Patient.Snapshot().Demographics with { Sex = Sex.Female }, Pregnancy = null };

        var r = f.Session.CompletePreAssessment(new PreAssessmentInput(woman, f.Assessment, null, Build.Checklist(f.Clock.Now)), f.Settings, Build.Nurse, f.Clock);

        Assert.Equal([Refused(FindingCodes.PrePregnancyTestMissing, FindingArg.Of("date", "2026-06-01"))], r.Findings);
    }

    [Fact]
    public void RecordPumpProgram_RefusalsInOrder_StateThenChecksThenProtocolThenDoseThenWeight()
    {
        var f = new SessionFixture();
        var (program, _) = f.CheckedProgram();
        AssertRefused(f.Session.RecordPumpProgram(program), StateRefusal(SessionState.Scheduled, SessionState.PreAssessment));

        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        AssertRefused(f.Session.RecordPumpProgram(program), Refused(FindingCodes.PreAssessmentNotPassed));

        f.FreshVitals();
        Assert.True(f.Session.CompletePreAssessment(f.Input(), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        var other = PumpProgram.Compute(DoseLevel.MgPerKgPerHour(0.75), program.Weight, program.Preparation, Pharmacology.Units.Duration.FromHours(1), PumpSettings.Default, Build.Nurse, f.Clock).Value;
        AssertRefused(f.Session.RecordPumpProgram(other), Refused(FindingCodes.ProgramDoseMismatch, FindingArg.Of("programmed", "0.75 mg/kg/h"), FindingArg.Of("planned", "0.5 mg/kg/h")));

        var heavier = PumpProgram.Compute(program.Prescribed, Pharmacology.Units.BodyWeight.FromKilograms(80), program.Preparation, Pharmacology.Units.Duration.FromHours(1), PumpSettings.Default, Build.Nurse, f.Clock).Value;
        AssertRefused(f.Session.RecordPumpProgram(heavier), Refused(FindingCodes.ProgramWeightMismatch, FindingArg.Of("programmed", 80, "kg"), FindingArg.Of("session", 70, "kg")));
        Assert.Null(f.Session.Program);

        var version = f.Session.Version;
        Assert.True(f.Session.RecordPumpProgram(program).IsSuccess);
        Assert.Same(program, f.Session.Program);
        Assert.Equal(version + 1, f.Session.Version);
    }

    [Fact]
    public void RecordPumpProgram_SingleDoseProtocol_RefusedNamingTheProtocol()
    {
        var f = new SessionFixture("clinic-im-example").PreAssessed();
        var program = PumpProgram.Compute(DoseLevel.MgPerKgPerHour(0.5), f.Session.Weight!.Weight, DrugLibrary.Default.Preparation("bag-1").Value, Pharmacology.Units.Duration.FromHours(1), PumpSettings.Default, Build.Nurse, f.Clock).Value;

        AssertRefused(f.Session.RecordPumpProgram(program), Refused(FindingCodes.SingleDoseProtocol, FindingArg.Of("protocol", f.Protocol.Name)));
    }

    [Fact]
    public void RecordSecondCheck_Refusals_WithWhoAndWhenAndNothingRecorded()
    {
        var f = new SessionFixture();
        var (program, _) = f.CheckedProgram();
        var reading = SessionFixture.Reading(program);
        Assert.Equal([StateRefusal(SessionState.Scheduled, SessionState.PreAssessment)], f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, reading, PumpSettings.Default, f.Clock).Findings);

        f.PreAssessed();
        Assert.Equal([Refused(FindingCodes.ProgramMissing)], f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, reading, PumpSettings.Default, f.Clock).Findings);

        Assert.True(f.Session.RecordPumpProgram(program).IsSuccess);
        Assert.Equal([Refused(FindingCodes.CheckSameUser)], f.Session.RecordSecondCheck(NurseAsOverrider, reading, PumpSettings.Default, f.Clock).Findings);
        var inactive = new StaffMember(Build.SecondNurse, false, [KetaCare.Clinic.Users.ClinicRoles.Nurse]);
        Assert.Equal([Refused(FindingCodes.CheckCheckerNotEligible, FindingArg.Of("checker", Build.SecondNurse.ToString()))], f.Session.RecordSecondCheck(inactive, reading, PumpSettings.Default, f.Clock).Findings);
        Assert.Empty(f.Session.CheckAttempts);

        f.Clock.Advance(TimeSpan.FromMinutes(2));
        var version = f.Session.Version;
        var attempt = f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, reading, PumpSettings.Default, f.Clock).Value;
        Assert.Equal(new SecondCheck(Build.SecondNurse, f.Clock.Now), f.Session.Program!.Check);
        Assert.Equal((Build.SecondNurse, f.Clock.Now, reading), (attempt.By, attempt.At, attempt.Reading));
        Assert.Empty(attempt.Mismatches);
        Assert.Equal([attempt], f.Session.CheckAttempts);
        Assert.Equal(version + 1, f.Session.Version);

        Assert.Equal(
            [Refused(FindingCodes.CheckAlreadyDone, FindingArg.Of("by", Build.SecondNurse.ToString()), FindingArg.Of("at", "2026-06-01 08:02"))],
            f.Session.RecordSecondCheck(SessionFixture.PhysicianStaff, reading, PumpSettings.Default, f.Clock).Findings);
    }

    [Fact]
    public void RecordSecondCheck_Mismatch_AttemptRecordedProgramClearedVersionCounted()
    {
        var f = new SessionFixture().PreAssessed();
        var program = Computed(f);
        Assert.True(f.Session.RecordPumpProgram(program).IsSuccess);
        var version = f.Session.Version;

        var attempt = f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, SessionFixture.Reading(program) with { WeightKg = 75 }, PumpSettings.Default, f.Clock).Value;

        Assert.Equal("weight", Assert.Single(attempt.Mismatches).Arg("field")!.Text);
        Assert.Null(f.Session.Program);
        Assert.Equal([attempt], f.Session.CheckAttempts);
        Assert.Equal(version + 1, f.Session.Version);
    }

    [Fact]
    public void StartInfusion_Started_FirstSegmentAtTheProgramsRateTransitionAndAuthorisation()
    {
        var f = new SessionFixture().PreAssessed();
        var (program, auth) = f.CheckedProgram();
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        var version = f.Session.Version;

        Assert.True(f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock).IsSuccess);

        Assert.Equal([new RateSegment(0, f.Clock.Now, null, program.RateMlPerHour, 1, "start")], f.Session.Segments);
        Assert.Same(auth, f.Session.Authorization);
        Assert.Equal(new Transition(SessionState.PreAssessment, SessionState.Running, f.Clock.Now, Build.Nurse, null), Last(f));
        Assert.Equal(version + 1, f.Session.Version);
        Assert.Empty(f.Session.Overrides);
    }

    [Fact]
    public void StartInfusion_NotPreAssessedOrNoProgramOrUnchecked_RefusedInThatOrder()
    {
        var f = new SessionFixture();
        var (program, auth) = f.CheckedProgram();
        AssertRefused(f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock), StateRefusal(SessionState.Scheduled, SessionState.Running));
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        AssertRefused(f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock), Refused(FindingCodes.PreAssessmentNotPassed));
        f.FreshVitals();
        Assert.True(f.Session.CompletePreAssessment(f.Input(), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        AssertRefused(f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock), Refused(FindingCodes.ProgramMissing));
        Assert.True(f.Session.RecordPumpProgram(program).IsSuccess);
        AssertRefused(f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock), Refused(FindingCodes.ProgramNotChecked));
        Assert.Empty(f.Session.Segments);
        Assert.Null(f.Session.Authorization);
    }

    [Fact]
    public void StartInfusion_AuthorisationWithAHardStop_RefusedWithItsFindings()
    {
        var f = new SessionFixture().PreAssessed();
        var (_, auth) = f.CheckedProgram();
        var hard = LimitFinding.Create("rate-mg-kg-h", LimitSeverity.Hard, 2.5, 2, "mg/kg/h", Source.Cohen2018);
        var blocked = auth with { Check = auth.Check with { Findings = [hard] } };

        AssertRefused(f.Session.StartInfusion(blocked, null, f.Settings, Build.Nurse, f.Clock), hard.ToFinding());
    }

    [Theory]
    [InlineData("dose")]
    [InlineData("vtbi")]
    [InlineData("weight")]
    [InlineData("preparation")]
    public void StartInfusion_DoseCheckOfAnotherPlan_RefusedAsStale(string differs)
    {
        var f = new SessionFixture().PreAssessed();
        var (_, auth) = f.CheckedProgram();
        var plan = auth.Check.Plan;
        var other = differs switch
        {
            "dose" => plan with { Dose = DoseLevel.MgPerKgPerHour(0.4) },
            "vtbi" => plan with { VtbiMl = plan.VtbiMl + 1 },
            "weight" => plan with { DosingWeight = Pharmacology.Units.BodyWeight.FromKilograms(60) },
            _ => plan with { Preparation = DrugLibrary.Default.Preparation("bag-2").Value },
        };

        AssertRefused(f.Session.StartInfusion(auth with { Check = auth.Check with { Plan = other } }, null, f.Settings, Build.Nurse, f.Clock), Refused(FindingCodes.DoseCheckStale));
    }

    [Fact]
    public void StartInfusion_VitalsNeedAnOverride_NurseOrBlankReasonRefusedPhysicianRecordedWithStepCodesAndTrimmedReason()
    {
        var f = PreAssessedAtSystolic185();
        var (_, auth) = f.CheckedProgram();
        var high = f.Session.GateFindings(f.Settings, f.Clock.Now).Single();
        Assert.Equal(FindingSeverity.NeedsOverride, high.Severity);

        AssertRefused(f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock), high);
        AssertRefused(f.Session.StartInfusion(auth, new PhysicianOverride(NurseAsOverrider, "fine"), f.Settings, Build.Nurse, f.Clock), Refused(FindingCodes.RoleRequired, FindingArg.Of("role", KetaCare.Clinic.Users.ClinicRoles.Physician)), high);
        AssertRefused(f.Session.StartInfusion(auth, new PhysicianOverride(SessionFixture.PhysicianStaff, " "), f.Settings, Build.Nurse, f.Clock), ReasonRequired("overrideReason"));
        Assert.Empty(f.Session.Overrides);

        Assert.True(f.Session.StartInfusion(auth, new PhysicianOverride(SessionFixture.PhysicianStaff, "  white-coat hypertension  "), f.Settings, Build.Nurse, f.Clock).IsSuccess);

        AssertOverride(Assert.Single(f.Session.Overrides), "start", [high.Code], "white-coat hypertension", f.Clock.Now);
    }

    [Fact]
    public void GiveSingleDose_Given_AmountForTheDosingWeightTransitionAndAuthorisation()
    {
        var f = new SessionFixture("clinic-im-example").PreAssessed();
        var auth = SingleDoseAuthorization(f);
        f.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.True(f.Session.GiveSingleDose(auth, null, f.Settings, Build.Nurse, f.Clock).IsSuccess);

        var dose = Assert.Single(f.Session.SingleDoses);
        Assert.Equal((f.Clock.Now, f.Session.PlannedDose), (dose.At, dose.Level));
        Assert.Equal(7, dose.Amount.Milligrams, 9); // 0.1 mg/kg × 70 kg
        Assert.Same(auth, f.Session.Authorization);
        Assert.Equal(new Transition(SessionState.PreAssessment, SessionState.Running, f.Clock.Now, Build.Nurse, null), Last(f));
        Assert.Empty(f.Session.Segments);
    }

    [Fact]
    public void GiveSingleDose_InfusionProtocolOrStaleCheck_Refused()
    {
        var infusion = new SessionFixture().PreAssessed();
        var (_, auth) = infusion.CheckedProgram();
        AssertRefused(infusion.Session.GiveSingleDose(auth, null, infusion.Settings, Build.Nurse, infusion.Clock), Refused(FindingCodes.InfusionProtocol, FindingArg.Of("protocol", infusion.Protocol.Name)));

        var im = new SessionFixture("clinic-im-example").PreAssessed();
        var single = SingleDoseAuthorization(im);
        var otherDose = single with { Check = single.Check with { Plan = single.Check.Plan with { Dose = DoseLevel.MgPerKg(0.15) } } };
        var otherWeight = single with { Check = single.Check with { Plan = single.Check.Plan with { DosingWeight = Pharmacology.Units.BodyWeight.FromKilograms(60) } } };
        AssertRefused(im.Session.GiveSingleDose(otherDose, null, im.Settings, Build.Nurse, im.Clock), Refused(FindingCodes.DoseCheckStale));
        AssertRefused(im.Session.GiveSingleDose(otherWeight, null, im.Settings, Build.Nurse, im.Clock), Refused(FindingCodes.DoseCheckStale));
        Assert.Empty(im.Session.SingleDoses);
    }

    [Fact]
    public void GiveSingleDose_VitalsOld_GateRefusesAndNothingGiven()
    {
        var f = new SessionFixture("clinic-im-example").PreAssessed();
        var auth = SingleDoseAuthorization(f);
        f.Clock.Advance(TimeSpan.FromMinutes(f.Settings.VitalsWindowMinutes + 1));

        var r = f.Session.GiveSingleDose(auth, null, f.Settings, Build.Nurse, f.Clock);

        Assert.False(r.IsSuccess);
        Assert.Equal(f.Session.GateFindings(f.Settings, f.Clock.Now).Where(x => x.Severity != FindingSeverity.Warning), r.Findings);
        Assert.Empty(f.Session.SingleDoses);
        Assert.Equal(SessionState.PreAssessment, f.Session.State);
    }

    private static SessionFixture RunningFor(int minutes)
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(minutes));
        return f;
    }

    [Fact]
    public void Pause_Paused_SegmentClosedTransitionWithTheTrimmedReason()
    {
        var f = RunningFor(10);
        var version = f.Session.Version;

        Assert.True(f.Session.Pause("  nausea ", Build.Nurse, f.Clock).IsSuccess);

        Assert.Equal(f.Clock.Now, f.Session.Segments[0].End);
        Assert.Equal(new Transition(SessionState.Running, SessionState.Paused, f.Clock.Now, Build.Nurse, "nausea"), Last(f));
        Assert.Equal(version + 1, f.Session.Version);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(null)]
    public void Pause_NoReason_RefusedNamingTheField(string? reason)
    {
        var f = RunningFor(10);

        AssertRefused(f.Session.Pause(reason!, Build.Nurse, f.Clock), ReasonRequired("reason"));
        Assert.Null(f.Session.Segments[0].End);
    }

    [Fact]
    public void Pause_ReasonLongerThanTheMaximum_RefusedAtTheMaximumPlusOne()
    {
        var f = RunningFor(10);

        AssertRefused(f.Session.Pause(new string('x', PhysicianOverride.MaxReasonLength + 1), Build.Nurse, f.Clock), ReasonRequired("reason"));
        Assert.True(f.Session.Pause(new string('x', PhysicianOverride.MaxReasonLength), Build.Nurse, f.Clock).IsSuccess);
    }

    [Fact]
    public void Pause_NotRunningOrASingleDose_Refused()
    {
        var scheduled = new SessionFixture();
        AssertRefused(scheduled.Session.Pause("why", Build.Nurse, scheduled.Clock), StateRefusal(SessionState.Scheduled, SessionState.Paused));

        var im = new SessionFixture("clinic-im-example").PreAssessed();
        Assert.True(im.Session.GiveSingleDose(SingleDoseAuthorization(im), null, im.Settings, Build.Nurse, im.Clock).IsSuccess);
        AssertRefused(im.Session.Pause("why", Build.Nurse, im.Clock), Refused(FindingCodes.SingleDoseProtocol, FindingArg.Of("protocol", im.Protocol.Name)));
        Assert.Equal(SessionState.Running, im.Session.State);
    }

    [Fact]
    public void Resume_AtALowerRate_NewSegmentFromNowAndTransition()
    {
        var f = RunningFor(10);
        Assert.True(f.Session.Pause("nausea", Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(5));
        f.FreshVitals();
        var version = f.Session.Version;

        Assert.True(f.Session.Resume(Build.SecondNurse, f.Clock, 20).IsSuccess);

        Assert.Equal(new RateSegment(1, f.Clock.Now, null, 20, 1, "resume"), f.Session.Segments[1]);
        Assert.Equal(new Transition(SessionState.Paused, SessionState.Running, f.Clock.Now, Build.SecondNurse, null), Last(f));
        Assert.Equal(version + 1, f.Session.Version);
    }

    [Fact]
    public void Resume_NoRateGiven_TheLastRate()
    {
        var f = RunningFor(10);
        Assert.True(f.Session.Pause("nausea", Build.Nurse, f.Clock).IsSuccess);
        f.FreshVitals();

        Assert.True(f.Session.Resume(Build.Nurse, f.Clock).IsSuccess);

        Assert.Equal(f.Session.Segments[0].RateMlPerHour, f.Session.Segments[1].RateMlPerHour);
    }

    [Fact]
    public void Resume_NotPaused_RefusedNamingTheState()
    {
        var f = RunningFor(10);

        AssertRefused(f.Session.Resume(Build.Nurse, f.Clock), StateRefusal(SessionState.Running, SessionState.Running));
        Assert.Single(f.Session.Segments);
    }

    [Theory]
    [InlineData(36.0, FindingCodes.RateAboveProgram)]
    [InlineData(0.05, FindingCodes.RateOutOfRange)]
    [InlineData(double.PositiveInfinity, FindingCodes.RateOutOfRange)]
    public void Resume_RateOutsideWhatThePumpAndProgramAllow_RefusedWithTheRateAndItsLimits(double rate, string code)
    {
        var f = RunningFor(10);
        Assert.True(f.Session.Pause("nausea", Build.Nurse, f.Clock).IsSuccess);
        f.FreshVitals();

        var r = f.Session.Resume(Build.Nurse, f.Clock, rate);

        var expected = code == FindingCodes.RateAboveProgram
            ? Refused(code, FindingArg.Of("value", rate, "mL/h"), FindingArg.Of("limit", 35, "mL/h"))
            : Refused(code, FindingArg.Of("value", double.IsFinite(rate) ? rate : 0, "mL/h"), FindingArg.Of("min", 0.1, "mL/h"), FindingArg.Of("max", 35, "mL/h"));
        AssertRefused(r, expected);
        Assert.Equal(SessionState.Paused, f.Session.State);
    }

    [Theory]
    [InlineData(35.0)]
    [InlineData(0.1)]
    public void ChangeRate_AtTheProgramsRateOrOneIncrement_Allowed(double rate)
    {
        var f = RunningFor(10);

        Assert.True(f.Session.ChangeRate(rate, "titrated", Build.Nurse, f.Clock).IsSuccess);
    }

    [Fact]
    public void ChangeRate_Changed_SegmentClosedNewOneWithTheReasonAndAVersion()
    {
        var f = RunningFor(10);
        var version = f.Session.Version;

        Assert.True(f.Session.ChangeRate(17.5, "  dizziness ", Build.Nurse, f.Clock).IsSuccess);

        Assert.Equal(f.Clock.Now, f.Session.Segments[0].End);
        Assert.Equal(new RateSegment(1, f.Clock.Now, null, 17.5, 1, "rate change: dizziness"), f.Session.Segments[1]);
        Assert.Equal(version + 1, f.Session.Version);
        Assert.Equal(SessionState.Running, f.Session.State);
    }

    [Fact]
    public void ChangeRate_NotRunningOrNoReason_Refused()
    {
        var f = RunningFor(10);
        AssertRefused(f.Session.ChangeRate(20, " ", Build.Nurse, f.Clock), ReasonRequired("reason"));
        Assert.True(f.Session.Pause("nausea", Build.Nurse, f.Clock).IsSuccess);
        AssertRefused(f.Session.ChangeRate(20, "slower", Build.Nurse, f.Clock), StateRefusal(SessionState.Paused, SessionState.Running));
        Assert.Single(f.Session.Segments);
    }

    [Fact]
    public void ChangeRate_IncreaseWithAnOpenStopAlert_RefusedCountingTheOpenAlerts()
    {
        var f = RunningFor(10);
        Assert.True(f.Session.ChangeRate(20, "slower", Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.RecordObservation(f.Vitals(spo2: 89), f.Settings, Build.Nurse, f.Clock).IsSuccess);

        AssertRefused(f.Session.ChangeRate(25, "faster", Build.Nurse, f.Clock), Refused(FindingCodes.GateUnacknowledgedAlert, FindingArg.Of("count", 1)));
        Assert.True(f.Session.ChangeRate(20, "same", Build.Nurse, f.Clock).IsSuccess);
    }

    [Fact]
    public void Complete_PumpVolumeWithinTolerance_RecordedWithoutAFindingSegmentClosedAndTransition()
    {
        var f = RunningFor(60);
        var version = f.Session.Version;

        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, 36.7, f.Settings).IsSuccess); // 35 mL computed, 5 % (1.75 mL) tolerated

        Assert.Equal(36.7, f.Session.PumpVolumeMl);
        Assert.Empty(f.Session.RecordFindings);
        Assert.Equal(f.Clock.Now, f.Session.Segments[0].End);
        Assert.Equal(new Transition(SessionState.Running, SessionState.Completed, f.Clock.Now, Build.Nurse, null), Last(f));
        Assert.Equal(version + 1, f.Session.Version);
        Assert.Equal(f.Clock.Now, f.Session.DrugEndedAt);
    }

    [Fact]
    public void Complete_PumpVolumeBeyondTolerance_WarningWithPumpComputedAndTolerance()
    {
        var f = RunningFor(60);

        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, 36.8, f.Settings).IsSuccess); // 5 % of 35 mL is 1.75 mL

        Assert.Equal(
            [Finding.Of(FindingCodes.PumpVolumeDifference, FindingSeverity.Warning, f.Settings.Source, FindingArg.Of("pump", 36.8, "mL"), FindingArg.Of("computed", 35, "mL"), FindingArg.Of("tolerance", 1.75, "mL"))],
            f.Session.RecordFindings);
    }

    [Fact]
    public void Complete_PercentToleranceSmallerThanTheMillilitre_TheMillilitreCounts()
    {
        var f = RunningFor(10); // 5.8 mL computed: 5 % is 0.29 mL, less than 1 mL

        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, 6.8, f.Settings).IsSuccess);

        Assert.Empty(f.Session.RecordFindings);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    [InlineData(250.1)]
    public void Complete_PumpVolumeMissingOrOutsideTheContainer_RefusedWithTheBag(double? volume)
    {
        var f = RunningFor(60);

        var value = volume is { } v && double.IsFinite(v) ? FindingArg.Of("value", v, "mL") : FindingArg.Of("value", "—");
        AssertRefused(f.Session.Complete(Build.Nurse, f.Clock, volume, f.Settings), Refused(FindingCodes.PumpVolumeOutOfRange, value, FindingArg.Of("max", 250, "mL")));
        Assert.Equal(SessionState.Running, f.Session.State);
        Assert.Null(f.Session.Segments[0].End);
    }

    [Fact]
    public void Complete_NotRunning_RefusedNamingTheState()
    {
        var f = new SessionFixture().PreAssessed();

        AssertRefused(f.Session.Complete(Build.Nurse, f.Clock, 0, f.Settings), StateRefusal(SessionState.PreAssessment, SessionState.Completed));
    }

    [Fact]
    public void StopEarly_FromPausedWithoutPumpVolume_TransitionWithReasonNoVolume()
    {
        var f = RunningFor(20);
        Assert.True(f.Session.Pause("nausea", Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.True(f.Session.StopEarly(" vomiting ", Build.Physician, f.Clock).IsSuccess);

        Assert.Equal(new Transition(SessionState.Paused, SessionState.StoppedEarly, f.Clock.Now, Build.Physician, "vomiting"), Last(f));
        Assert.Null(f.Session.PumpVolumeMl);
        Assert.Equal(f.Clock.Now, f.Session.DrugEndedAt);
    }

    [Fact]
    public void StopEarly_RunningWithAPumpVolume_RecordedAndSegmentClosed()
    {
        var f = RunningFor(30);

        Assert.True(f.Session.StopEarly("vomiting", Build.Nurse, f.Clock, 17.5, f.Settings).IsSuccess);

        Assert.Equal(17.5, f.Session.PumpVolumeMl);
        Assert.Equal(f.Clock.Now, f.Session.Segments[0].End);
    }

    [Fact]
    public void StopEarly_NoReasonOrNotRunningOrBadVolume_Refused()
    {
        var f = RunningFor(30);
        AssertRefused(f.Session.StopEarly("", Build.Nurse, f.Clock), ReasonRequired("reason"));
        AssertRefused(f.Session.StopEarly("why", Build.Nurse, f.Clock, 300, f.Settings), Refused(FindingCodes.PumpVolumeOutOfRange, FindingArg.Of("value", 300, "mL"), FindingArg.Of("max", 250, "mL")));
        Assert.Equal(SessionState.Running, f.Session.State);

        var scheduled = new SessionFixture();
        AssertRefused(scheduled.Session.StopEarly("why", Build.Nurse, scheduled.Clock), StateRefusal(SessionState.Scheduled, SessionState.StoppedEarly));
    }

    [Fact]
    public void BeginRecovery_AfterStoppingEarly_Transition()
    {
        var f = RunningFor(30);
        Assert.True(f.Session.StopEarly("vomiting", Build.Nurse, f.Clock).IsSuccess);

        Assert.True(f.Session.BeginRecovery(Build.Nurse, f.Clock).IsSuccess);

        Assert.Equal(new Transition(SessionState.StoppedEarly, SessionState.Recovery, f.Clock.Now, Build.Nurse, null), Last(f));
    }

    private static SessionFixture InRecovery(int minutesAfterTheEnd, bool vitals = true)
    {
        var f = RunningFor(60);
        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings).IsSuccess);
        Assert.True(f.Session.BeginRecovery(Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(minutesAfterTheEnd));
        if (vitals)
        {
            f.FreshVitals();
        }

        return f;
    }

    private static readonly AldreteScore Ten = AldreteScore.Create(2, 2, 2, 2, 2).Value;

    [Fact]
    public void DischargeFindings_EverythingMissing_EachWithItsParametersAndSeverity()
    {
        var f = InRecovery(20, vitals: false);
        var end = f.Session.DrugEndedAt!.Value;
        var prediction = f.Prediction();
        Assert.False(prediction.IsBelowThreshold);

        var found = f.Session.DischargeFindings(AldreteScore.Create(1, 1, 2, 2, 2).Value, false, prediction, f.Settings, f.Clock.Now);

        List<FindingArg> effectArgs = [FindingArg.Of("value", prediction.NowNgPerMl!.Value, "ng/mL"), FindingArg.Of("limit", 50, "ng/mL"), FindingArg.Of("readyAt", Iso(prediction.ReadyAt!.Value))];
        Assert.Equal(
            [
                Finding.Of(FindingCodes.DischargeObservationTime, FindingSeverity.NeedsOverride, f.Settings.Source, FindingArg.Of("elapsed", 20, "min"), FindingArg.Of("required", 60, "min"), FindingArg.Of("readyAt", Iso(end.AddMinutes(60)))),
                Refused(FindingCodes.DischargeRecoveryVitalsMissing) with { Severity = FindingSeverity.NeedsOverride },
                Finding.Of(FindingCodes.DischargeAldreteLow, FindingSeverity.NeedsOverride, Source.AldreteScale, FindingArg.Of("total", 8), FindingArg.Of("threshold", 9)),
                Refused(FindingCodes.DischargeEscortMissing) with { Severity = FindingSeverity.NeedsOverride },
                new Finding(FindingCodes.DischargeEffectSiteHigh, FindingSeverity.NeedsOverride, effectArgs, f.Settings.Source),
            ],
            found);
    }

    [Fact]
    public void DischargeFindings_ElapsedPartMinute_RoundedDown()
    {
        var f = InRecovery(0, vitals: false);
        f.Clock.Advance(TimeSpan.FromSeconds(59.5 * 60));

        var time = f.Session.DischargeFindings(Ten, true, Below(f, 1000), f.Settings, f.Clock.Now).First();

        Assert.Equal(59, time.Number("elapsed"));
    }

    [Fact]
    public void DischargeFindings_ExactlyTheMinimumObservation_NoTimeFinding()
    {
        var f = InRecovery(60);

        Assert.Empty(f.Session.DischargeFindings(Ten, true, Below(f, 1000), f.Settings, f.Clock.Now));
    }

    [Fact]
    public void DischargeFindings_NoAldreteOrPredictionUnavailable_FindingsSayWhy()
    {
        var f = InRecovery(60);
        var unavailable = RecoveryPrediction.Predict(f.Session, "no-model", f.Patient.Snapshot().CovariatesOn(f.Session.ScheduledFor).Value, 50, f.Clock.Now);

        var found = f.Session.DischargeFindings(null, true, unavailable, f.Settings, f.Clock.Now);

        Assert.Equal(
            [
                Finding.Of(FindingCodes.DischargeAldreteLow, FindingSeverity.NeedsOverride, Source.AldreteScale, FindingArg.Of("total", 0), FindingArg.Of("threshold", 9)),
                Refused(FindingCodes.DischargePredictionUnavailable, FindingArg.Of("detail", unavailable.Unavailable!)) with { Severity = FindingSeverity.NeedsOverride },
            ],
            found);
    }

    [Fact]
    public void DischargeFindings_IntranasalDose_TwoHoursFromTheDose()
    {
        var f = new SessionFixture("clinic-in-example").PreAssessed();
        Assert.True(f.Session.GiveSingleDose(SingleDoseAuthorization(f), null, f.Settings, Build.Nurse, f.Clock).IsSuccess);
        var given = f.Clock.Now;
        f.Clock.Advance(TimeSpan.FromMinutes(90));

        var time = f.Session.DischargeFindings(Ten, true, Below(f, 1e6), f.Settings, f.Clock.Now).First();

        Assert.Equal((FindingCodes.DischargeObservationTime, 90.0, 120.0), (time.Code, time.Number("elapsed"), time.Number("required")));
        Assert.Equal(Iso(given.AddMinutes(120)), time.Arg("readyAt")!.Text);
    }

    private static RecoveryPrediction Below(SessionFixture f, double threshold) =>
        RecoveryPrediction.Predict(f.Session, f.Plan.ModelId, f.Patient.Snapshot().CovariatesOn(f.Session.ScheduledFor).Value, threshold, f.Clock.Now);

    [Fact]
    public void Discharge_Ready_RecordsAldreteConcentrationAndTransition()
    {
        var f = InRecovery(60);
        var prediction = Below(f, 1000);
        var version = f.Session.Version;

        Assert.True(f.Session.Discharge(Ten, true, prediction, null, f.Settings, Build.Nurse, f.Clock).IsSuccess);

        Assert.Equal((Ten, prediction.NowNgPerMl), (f.Session.DischargeAldrete, f.Session.DischargeEffectSiteNgPerMl));
        Assert.Equal(new Transition(SessionState.Recovery, SessionState.Discharged, f.Clock.Now, Build.Nurse, null), Last(f));
        Assert.Equal(version + 1, f.Session.Version);
    }

    [Fact]
    public void Discharge_NotReady_OverrideRecordedForTheDischargeStep()
    {
        var f = InRecovery(30);
        var prediction = Below(f, 1000);

        Assert.True(f.Session.Discharge(Ten, true, prediction, new PhysicianOverride(SessionFixture.PhysicianStaff, "observed in the ward"), f.Settings, Build.Nurse, f.Clock).IsSuccess);

        AssertOverride(Assert.Single(f.Session.Overrides), "discharge", [FindingCodes.DischargeObservationTime], "observed in the ward", f.Clock.Now);
    }

    [Fact]
    public void Discharge_NotInRecovery_RefusedNothingRecorded()
    {
        var f = RunningFor(60);

        AssertRefused(f.Session.Discharge(Ten, true, f.Prediction(), null, f.Settings, Build.Nurse, f.Clock), StateRefusal(SessionState.Running, SessionState.Discharged));
        Assert.Null(f.Session.DischargeAldrete);
    }

    [Fact]
    public void AcknowledgeAlert_Open_RecordedTrimmedAndNoLongerOpen()
    {
        var f = RunningFor(10);
        Assert.True(f.Session.RecordObservation(f.Vitals(spo2: 89), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal([0], f.Session.UnacknowledgedStopAlerts);
        var version = f.Session.Version;

        Assert.True(f.Session.AcknowledgeAlert(0, "  oxygen 2 L/min ", Build.Nurse, f.Clock).IsSuccess);

        Assert.Equal([new AlertAcknowledgement(0, "oxygen 2 L/min", Build.Nurse, f.Clock.Now)], f.Session.Acknowledgements);
        Assert.Empty(f.Session.UnacknowledgedStopAlerts);
        Assert.Equal(version + 1, f.Session.Version);
        AssertRefused(f.Session.AcknowledgeAlert(0, "again", Build.Nurse, f.Clock), Refused(FindingCodes.AlertNotOpen, FindingArg.Of("alert", 0)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void AcknowledgeAlert_NoSuchAlert_Refused(int index)
    {
        var f = RunningFor(10);
        Assert.True(f.Session.RecordObservation(f.Vitals(spo2: 89), f.Settings, Build.Nurse, f.Clock).IsSuccess);

        AssertRefused(f.Session.AcknowledgeAlert(index, "done", Build.Nurse, f.Clock), Refused(FindingCodes.AlertNotOpen, FindingArg.Of("alert", index)));
        AssertRefused(f.Session.AcknowledgeAlert(0, " ", Build.Nurse, f.Clock), ReasonRequired("actionTaken"));
        Assert.Empty(f.Session.Acknowledgements);
    }

    [Fact]
    public void Cancel_FromPreAssessment_TransitionWithTheReason()
    {
        var f = new SessionFixture();
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);

        Assert.True(f.Session.Cancel(" patient unwell ", Build.Physician, f.Clock).IsSuccess);

        Assert.Equal(new Transition(SessionState.PreAssessment, SessionState.Cancelled, f.Clock.Now, Build.Physician, "patient unwell"), Last(f));
        AssertRefused(f.Session.Cancel("again", Build.Nurse, f.Clock), StateRefusal(SessionState.Cancelled, SessionState.Cancelled));
        AssertRefused(f.Session.Cancel(" ", Build.Nurse, f.Clock), ReasonRequired("reason"));
    }

    [Fact]
    public void RecordObservation_TimeOutsideTheSessionDayAndNow_RefusedWithTheWindow()
    {
        var f = new SessionFixture();
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        var earliest = new DateTimeOffset(2026, 5, 31, 0, 0, 0, TimeSpan.Zero);
        var window = new[] { FindingArg.Of("earliest", Iso(earliest)), FindingArg.Of("latest", Iso(f.Clock.Now)) };

        AssertRefused(f.Session.RecordObservation(Observation.Create(f.Clock.Now.AddSeconds(1), painNrs: 3).Value, f.Settings, Build.Nurse, f.Clock), Refused(FindingCodes.ObservationTimeOutOfRange, window));
        AssertRefused(f.Session.RecordObservation(Observation.Create(earliest.AddSeconds(-1), painNrs: 3).Value, f.Settings, Build.Nurse, f.Clock), Refused(FindingCodes.ObservationTimeOutOfRange, window));
        Assert.Empty(f.Session.Observations.All);

        Assert.True(f.Session.RecordObservation(Observation.Create(earliest, painNrs: 3).Value, f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.RecordObservation(Observation.Create(f.Clock.Now, painNrs: 3).Value, f.Settings, Build.Nurse, f.Clock).IsSuccess);
    }

    [Theory]
    [InlineData("scheduled")]
    [InlineData("cancelled")]
    public void RecordObservation_BeforePreAssessmentOrCancelled_RefusedNamingTheState(string state)
    {
        var f = new SessionFixture();
        if (state == "cancelled")
        {
            Assert.True(f.Session.Cancel("no show", Build.Nurse, f.Clock).IsSuccess);
        }

        var s = f.Session.State;
        AssertRefused(f.Session.RecordObservation(f.Vitals(), f.Settings, Build.Nurse, f.Clock), StateRefusal(s, s));
    }

    [Fact]
    public void RecordObservation_Recorded_EntryAlertsWithTheSegmentAndAVersion()
    {
        var f = RunningFor(10);
        var version = f.Session.Version;

        var alerts = f.Session.RecordObservation(f.Vitals(sbp: 185), f.Settings, Build.SecondNurse, f.Clock).Value;

        var entry = Assert.Single(f.Session.Observations.All, e => e.RecordedAt == f.Clock.Now && e.Value.Systolic == 185);
        Assert.Equal(Build.SecondNurse, entry.RecordedBy);
        Assert.Equal("systolic-high", Assert.Single(alerts).Id);
        Assert.Equal(new RaisedAlert(f.Clock.Now, alerts[0], 0, entry.Id, 1), f.Session.Alerts[^1]);
        Assert.Equal(version + 1, f.Session.Version);
    }

    [Fact]
    public void AmendObservation_Amended_AlertsRaisedAgainForTheNewRevisionAndAVersion()
    {
        var f = RunningFor(10);
        var entry = f.Session.Observations.Add(f.Vitals(), f.Clock.Now, Build.Nurse);
        var version = f.Session.Version;

        var alerts = f.Session.AmendObservation(entry.Id, f.Vitals(hr: 135), "misread", f.Settings, Build.Nurse, f.Clock).Value;

        Assert.Equal("heart-rate-high", Assert.Single(alerts).Id);
        Assert.Equal((entry.Id, 2), (f.Session.Alerts[^1].Observation, f.Session.Alerts[^1].Revision));
        Assert.Equal(version + 1, f.Session.Version);
        Assert.False(f.Session.AmendObservation(EntryId.New(), f.Vitals(), "x", f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal(version + 1, f.Session.Version);
    }

    [Fact]
    public void MarkObservationEnteredInError_VersionOnlyWhenMarked()
    {
        var f = RunningFor(10);
        Assert.True(f.Session.RecordObservation(f.Vitals(spo2: 89), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        var id = f.Session.Observations.All[^1].Id;
        var version = f.Session.Version;

        Assert.False(f.Session.MarkObservationEnteredInError(EntryId.New(), "wrong", Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal(version, f.Session.Version);
        Assert.True(f.Session.MarkObservationEnteredInError(id, "wrong patient", Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal(version + 1, f.Session.Version);
        Assert.Empty(f.Session.UnacknowledgedStopAlerts);
        Assert.Single(f.Session.Alerts, a => a.Observation == id); // kept for the record
    }

    [Fact]
    public void AdverseEvents_RecordAmendMark_VersionsAndRefusals()
    {
        var f = RunningFor(10);
        var version = f.Session.Version;

        var entry = f.Session.RecordAdverseEvent(AdverseEventType.Other, 1, false, AdverseEventAction.None, AdverseEventOutcome.Resolving, f.Clock.Now, "tingling", Build.Nurse, f.Clock).Value;
        Assert.Equal((0, version + 1), (entry.Value.SegmentIndex, f.Session.Version));

        var missing = EntryId.New();
        Assert.Equal([Refusal.NotFound("adverse event", missing).Findings[0]], f.Session.AmendAdverseEvent(missing, 1, false, AdverseEventAction.None, AdverseEventOutcome.Resolved, "r", Build.Nurse, f.Clock).Findings);
        Assert.False(f.Session.AmendAdverseEvent(entry.Id, 9, false, AdverseEventAction.None, AdverseEventOutcome.Resolved, "r", Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal(version + 1, f.Session.Version);

        Assert.True(f.Session.AmendAdverseEvent(entry.Id, 1, false, AdverseEventAction.None, AdverseEventOutcome.Resolved, "resolved", Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal(version + 2, f.Session.Version);
        Assert.False(f.Session.MarkAdverseEventEnteredInError(missing, "x", Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal(version + 2, f.Session.Version);
        Assert.True(f.Session.MarkAdverseEventEnteredInError(entry.Id, "other patient", Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal(version + 3, f.Session.Version);
    }

    [Fact]
    public void RecordAdverseEvent_ScheduledOrInvalid_RefusedAndNothingRecorded()
    {
        var f = new SessionFixture();
        AssertRefused(f.Session.RecordAdverseEvent(AdverseEventType.Other, 1, false, AdverseEventAction.None, AdverseEventOutcome.Resolved, f.Clock.Now, "x", Build.Nurse, f.Clock), StateRefusal(SessionState.Scheduled, SessionState.Scheduled));
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        Assert.False(f.Session.RecordAdverseEvent(AdverseEventType.Other, 7, false, AdverseEventAction.None, AdverseEventOutcome.Resolved, f.Clock.Now, "x", Build.Nurse, f.Clock).IsSuccess);
        Assert.Empty(f.Session.AdverseEvents.All);
        Assert.Equal(2, f.Session.Version);
    }

    [Fact]
    public void SegmentAt_BoundariesBelongToTheSegmentThatStartsThere()
    {
        var f = RunningFor(10);
        var start = f.Session.Segments[0].Start;
        Assert.True(f.Session.ChangeRate(20, "slower", Build.Nurse, f.Clock).IsSuccess);
        var change = f.Clock.Now;

        Assert.Null(f.Session.SegmentAt(start.AddTicks(-1)));
        Assert.Equal(0, f.Session.SegmentAt(start));
        Assert.Equal(0, f.Session.SegmentAt(change.AddTicks(-1)));
        Assert.Equal(1, f.Session.SegmentAt(change));
        Assert.Equal(1, f.Session.SegmentAt(change.AddHours(5)));
    }

    [Fact]
    public void Windows_TheProtocolsWhenItHasOne()
    {
        var f = new SessionFixture();
        Assert.Equal(TimeSpan.FromMinutes(f.Settings.VitalsWindowMinutes), f.Session.VitalsWindow(f.Settings));
        Assert.Equal(TimeSpan.FromMinutes(60), f.Session.MinimumObservation(f.Settings));
        Assert.Equal(TimeSpan.FromMinutes(45), f.Session.VitalsWindow(f.Settings with { VitalsWindowMinutes = 45 }));

        var own = f.Protocol with { VitalsWindowMinutes = 5, MinimumObservationMinutes = 90 };
        var plan = TreatmentPlan.Prescribe(f.Patient.Snapshot(), own, "domino1984", f.Plan.Preparation, own.Start, Build.Physician, f.Clock).Value;
        var s = InfusionSession.Schedule(plan, f.Clock.Today, Build.Nurse, f.Clock).Value;
        Assert.Equal(TimeSpan.FromMinutes(5), s.VitalsWindow(f.Settings));
        Assert.Equal(TimeSpan.FromMinutes(90), s.MinimumObservation(f.Settings));
    }

    [Fact]
    public void DeliveredSegments_VtbiReachedInTheFirstSegment_LaterSegmentsDeliverNothing()
    {
        var f = RunningFor(70); // the 35 mL VTBI is reached at 60 min
        Assert.True(f.Session.ChangeRate(20, "slower", Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(10));
        var start = f.Session.Segments[0].Start;

        var delivered = f.Session.DeliveredSegments(f.Clock.Now);

        Assert.Equal(start.AddMinutes(60), Assert.Single(delivered).End);
        Assert.Equal(35, f.Session.DeliveredAmount(f.Session.Segments[0], f.Clock.Now).Milligrams, 9);
        Assert.Equal(0, f.Session.DeliveredAmount(f.Session.Segments[1], f.Clock.Now).Milligrams);
        Assert.Equal(35, f.Session.DoseGiven(f.Clock.Now).Milligrams, 9);
    }

    [Fact]
    public void DeliveredSegments_BeforeTheVtbi_OpenSegmentEndsAsOf()
    {
        var f = RunningFor(10);
        Assert.True(f.Session.ChangeRate(20, "slower", Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(6));

        var delivered = f.Session.DeliveredSegments(f.Clock.Now);

        Assert.Equal([f.Session.Segments[0].End, f.Clock.Now], delivered.Select(d => d.End));
        Assert.Equal(2, f.Session.DeliveredAmount(f.Session.Segments[1], f.Clock.Now).Milligrams, 9); // 20 mL/h × 6 min
        Assert.Throws<ArgumentNullException>(() => f.Session.DeliveredAmount(null!, f.Clock.Now));
    }

    [Fact]
    public void DoseGiven_SingleDose_CountedFromItsTime()
    {
        var f = new SessionFixture("clinic-im-example").PreAssessed();
        Assert.True(f.Session.GiveSingleDose(SingleDoseAuthorization(f), null, f.Settings, Build.Nurse, f.Clock).IsSuccess);

        Assert.Equal(7, f.Session.DoseGiven(f.Clock.Now).Milligrams, 9);
        Assert.Equal(0, f.Session.DoseGiven(f.Clock.Now.AddTicks(-1)).Milligrams);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(250.0)]
    public void Complete_PumpVolumeAtZeroOrTheWholeBag_AcceptedWithAWarning(double volume)
    {
        var f = RunningFor(60);

        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, volume, f.Settings).IsSuccess);

        Assert.Equal(volume, f.Session.PumpVolumeMl);
        Assert.Equal(FindingCodes.PumpVolumeDifference, Assert.Single(f.Session.RecordFindings).Code);
    }

    [Fact]
    public void Resume_OpenStopAlert_RefusedCountingItUntilAcknowledged()
    {
        var f = RunningFor(10);
        Assert.True(f.Session.Pause("desaturation", Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.RecordObservation(f.Vitals(spo2: 89), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.RecordObservation(f.Vitals(spo2: 91, hr: 155), f.Settings, Build.Nurse, f.Clock).IsSuccess);

        AssertRefused(f.Session.Resume(Build.Nurse, f.Clock), Refused(FindingCodes.GateUnacknowledgedAlert, FindingArg.Of("count", 3)));
        Assert.Equal([0, 1, 2], f.Session.UnacknowledgedStopAlerts);
    }

    [Fact]
    public void ActiveAlerts_AfterAnAmendment_OnlyTheNewRevisionsAlerts()
    {
        var f = RunningFor(10);
        Assert.True(f.Session.RecordObservation(f.Vitals(sbp: 185), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        var id = f.Session.Observations.All[^1].Id;

        Assert.True(f.Session.AmendObservation(id, f.Vitals(hr: 135), "misread", f.Settings, Build.Nurse, f.Clock).IsSuccess);

        Assert.Equal(["heart-rate-high"], f.Session.ActiveAlerts.Select(a => a.Alert.Id));
        Assert.Equal(2, f.Session.Alerts.Count);
    }

    [Fact]
    public void UnacknowledgedStopAlerts_PauseLevelAlertsNeverBlock()
    {
        var f = RunningFor(10);
        Assert.True(f.Session.RecordObservation(f.Vitals(sbp: 185), f.Settings, Build.Nurse, f.Clock).IsSuccess);

        Assert.Single(f.Session.Alerts);
        Assert.Empty(f.Session.UnacknowledgedStopAlerts);
    }

    [Fact]
    public void CompletePreAssessment_DosingWeightRuleWithoutAHeight_RefusedWithTheRulesFinding()
    {
        var clock = Build.Clock();
        var (patient, condition) = Build.EligiblePatient(clock);
        Assert.True(patient.MarkEnteredInError<BodyMeasurement>(patient.Measurements.All[0].Id, "height of another patient", Build.Nurse, clock).IsSuccess);
        patient.Record(BodyMeasurement.Create(clock.Today, 70).Value, Build.Nurse, clock); // no height on record
        var protocol = ProtocolLibrary.SeedOutpatient with { DosingWeight = DosingWeightRule.Ideal };
        var plan = TreatmentPlan.Prescribe(patient.Snapshot(), protocol, "domino1984", DrugLibrary.Default.Preparation("bag-1").Value, protocol.Start, Build.Physician, clock).Value;
        var s = InfusionSession.Schedule(plan, clock.Today, Build.Nurse, clock).Value;
        Assert.True(s.BeginPreAssessment(Build.Nurse, clock).IsSuccess);
        Assert.True(s.RecordObservation(Observation.Create(clock.Now, 130, 80, 80, 98, 14, null, null, 6).Value, SessionSettings.Default, Build.Nurse, clock).IsSuccess);
        var assessment = EligibilityAssessment.Run(patient.Snapshot(), condition, Build.Physician, clock);

        var r = s.CompletePreAssessment(new PreAssessmentInput(patient.Snapshot(), assessment, null, Build.Checklist(clock.GetUtcNow())), SessionSettings.Default, Build.Nurse, clock);

        Assert.Equal([FindingCodes.DosingWeightUnavailable], r.Findings.Select(x => x.Code));
        Assert.False(s.PreAssessmentPassed);
    }

    [Fact]
    public void RecordSecondCheck_MismatchThenMatch_BothAttemptsKept()
    {
        var f = new SessionFixture().PreAssessed();
        var program = Computed(f);
        Assert.True(f.Session.RecordPumpProgram(program).IsSuccess);
        Assert.True(f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, SessionFixture.Reading(program) with { RateMlPerHour = 350 }, PumpSettings.Default, f.Clock).IsSuccess);
        Assert.True(f.Session.RecordPumpProgram(program).IsSuccess);

        Assert.True(f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, SessionFixture.Reading(program), PumpSettings.Default, f.Clock).IsSuccess);

        Assert.Equal([1, 0], f.Session.CheckAttempts.Select(a => a.Mismatches.Count));
    }

    [Fact]
    public void AcknowledgeAlert_Two_BothKept()
    {
        var f = RunningFor(10);
        Assert.True(f.Session.RecordObservation(f.Vitals(spo2: 89, hr: 155), f.Settings, Build.Nurse, f.Clock).IsSuccess);

        Assert.True(f.Session.AcknowledgeAlert(0, "oxygen", Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.AcknowledgeAlert(1, "slowed", Build.Nurse, f.Clock).IsSuccess);

        Assert.Equal([0, 1], f.Session.Acknowledgements.Select(a => a.AlertIndex));
    }

    [Fact]
    public void Overrides_AtStartAndAtDischarge_BothKept()
    {
        var f = PreAssessedAtSystolic185();
        var (_, auth) = f.CheckedProgram();
        var doctor = new PhysicianOverride(SessionFixture.PhysicianStaff, "known hypertensive");
        Assert.True(f.Session.StartInfusion(auth, doctor, f.Settings, Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(60));
        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings).IsSuccess);
        Assert.True(f.Session.BeginRecovery(Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(30));
        f.FreshVitals();

        Assert.True(f.Session.Discharge(Ten, true, Below(f, 1000), doctor, f.Settings, Build.Nurse, f.Clock).IsSuccess);

        Assert.Equal(["start", "discharge"], f.Session.Overrides.Select(o => o.Step));
    }

    [Fact]
    public void RateSegment_AmountUntilBeforeItsEnd_OnlyUpToThatTime()
    {
        var start = Build.Start;
        var segment = new RateSegment(0, start, start.AddMinutes(60), 35, 2, "start");

        Assert.Equal(35, segment.AmountUntil(start.AddMinutes(30)).Milligrams, 9);
        Assert.Equal(70, segment.AmountUntil(start.AddMinutes(90)).Milligrams, 9);
        Assert.Equal(0, segment.AmountUntil(start.AddMinutes(-5)).Milligrams);
    }

    [Fact]
    public void DeliveredSegments_VtbiReachedExactlyAtARateChange_TheNewSegmentDeliversNothing()
    {
        var f = RunningFor(60); // 35 mL/h: the 35 mL VTBI is reached now
        Assert.True(f.Session.ChangeRate(20, "slower", Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Single(f.Session.DeliveredSegments(f.Clock.Now));
    }

    [Fact]
    public void DeliveredSegments_VtbiReachedInTheSecondSegment_TheFirstKeepsItsEnd()
    {
        var f = RunningFor(30); // 17.5 mL at 35 mL/h
        var changed = f.Clock.Now;
        Assert.True(f.Session.ChangeRate(20, "slower", Build.Nurse, f.Clock).IsSuccess); // 17.5 mL more takes 52.5 min
        f.Clock.Advance(TimeSpan.FromMinutes(70));

        var delivered = f.Session.DeliveredSegments(f.Clock.Now);

        Assert.Equal([changed, changed.AddMinutes(52.5)], delivered.Select(d => d.End));
    }

    [Fact]
    public void StartInfusion_SingleDoseProtocol_RefusedNamingIt()
    {
        var f = new SessionFixture("clinic-im-example").PreAssessed();

        AssertRefused(f.Session.StartInfusion(SingleDoseAuthorization(f), null, f.Settings, Build.Nurse, f.Clock), Refused(FindingCodes.SingleDoseProtocol, FindingArg.Of("protocol", f.Protocol.Name)));
    }

    [Fact]
    public void StartInfusion_WeightChangedAfterTheProgramWasChecked_RefusedAsAWeightMismatch()
    {
        var f = new SessionFixture().PreAssessed();
        f.CheckedProgram(); // recorded and checked for 70 kg
        f.Patient.Record(BodyMeasurement.Create(f.Clock.Today, 72, 175).Value, Build.Nurse, f.Clock);
        Assert.True(f.Session.CompletePreAssessment(f.Input(), f.Settings, Build.Nurse, f.Clock).IsSuccess); // now 72 kg
        var program = f.Session.Program!;
        var covariates = f.Patient.Snapshot().CovariatesOn(f.Session.ScheduledFor).Value;
        var check = DoseCheck.Evaluate(new PlannedDose(f.Protocol, covariates, program.BackCalculated, f.Plan.Preparation, f.Plan.ModelId) { VtbiMl = program.VtbiMl, DosingWeight = program.Weight }, DrugLibrary.Default);
        var auth = DoseAuthorization.Authorize(check, null, Build.Physician, f.Clock).Value;

        AssertRefused(f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock), Refused(FindingCodes.ProgramWeightMismatch, FindingArg.Of("programmed", 70, "kg"), FindingArg.Of("session", 72, "kg")));
    }

    [Fact]
    public void GiveSingleDose_NotPreAssessed_Refused()
    {
        var f = new SessionFixture("clinic-im-example").PreAssessed();
        var auth = SingleDoseAuthorization(f);
        var other = new SessionFixture("clinic-im-example");
        Assert.True(other.Session.BeginPreAssessment(Build.Nurse, other.Clock).IsSuccess);

        AssertRefused(other.Session.GiveSingleDose(auth, null, other.Settings, Build.Nurse, other.Clock), Refused(FindingCodes.PreAssessmentNotPassed));
    }

    [Fact]
    public void GiveSingleDose_VitalsNeedAnOverride_RecordedForTheStartStep()
    {
        var f = PreAssessedAtSystolic185("clinic-im-example");

        Assert.True(f.Session.GiveSingleDose(SingleDoseAuthorization(f), new PhysicianOverride(SessionFixture.PhysicianStaff, "known hypertensive"), f.Settings, Build.Nurse, f.Clock).IsSuccess);

        Assert.Equal("start", Assert.Single(f.Session.Overrides).Step);
    }

    [Fact]
    public void Resume_ClinicThresholdsGiven_GateUsesThem()
    {
        var f = RunningFor(10);
        Assert.True(f.Session.Pause("headache", Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.RecordObservation(f.Vitals(sbp: 185), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        var lenient = f.Settings with { Alerts = f.Settings.Alerts with { SystolicAbove = 190 } };

        Assert.True(f.Session.Resume(Build.Nurse, f.Clock, settings: lenient).IsSuccess);
    }

    [Fact]
    public void CompleteAndStopEarly_ClinicToleranceGiven_UsedForThePumpVolume()
    {
        var wide = SessionSettings.Default with { PumpVolumeToleranceMl = 5 };
        var completed = RunningFor(60);
        var stopped = RunningFor(60);

        Assert.True(completed.Session.Complete(Build.Nurse, completed.Clock, 38, wide).IsSuccess);
        Assert.True(stopped.Session.StopEarly("vomiting", Build.Nurse, stopped.Clock, 38, wide).IsSuccess);

        Assert.Empty(completed.Session.RecordFindings);
        Assert.Empty(stopped.Session.RecordFindings);
    }

    [Fact]
    public void Complete_DifferenceExactlyTheTolerance_NoFinding()
    {
        var f = RunningFor(60);

        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, 36.75, f.Settings).IsSuccess); // 35 mL + 5 %

        Assert.Empty(f.Session.RecordFindings);
    }

    [Fact]
    public void Complete_FromPaused_RefusedAndThePumpVolumeNotRecorded()
    {
        var f = RunningFor(30);
        Assert.True(f.Session.Pause("nausea", Build.Nurse, f.Clock).IsSuccess);

        AssertRefused(f.Session.Complete(Build.Nurse, f.Clock, 40, f.Settings), StateRefusal(SessionState.Paused, SessionState.Completed));
        Assert.Null(f.Session.PumpVolumeMl);
        Assert.Empty(f.Session.RecordFindings);
    }

    [Fact]
    public void StopEarly_AfterCompletion_RefusedAndThePumpVolumeUnchanged()
    {
        var f = RunningFor(60);
        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, 35, f.Settings).IsSuccess);

        AssertRefused(f.Session.StopEarly("late", Build.Nurse, f.Clock, 20, f.Settings), StateRefusal(SessionState.Completed, SessionState.StoppedEarly));
        Assert.Equal(35, f.Session.PumpVolumeMl);
    }

    [Fact]
    public void CompleteAndStopEarly_SingleDose_NoPumpVolume()
    {
        var completed = new SessionFixture("clinic-im-example").PreAssessed();
        Assert.True(completed.Session.GiveSingleDose(SingleDoseAuthorization(completed), null, completed.Settings, Build.Nurse, completed.Clock).IsSuccess);
        var stopped = new SessionFixture("clinic-im-example").PreAssessed();
        Assert.True(stopped.Session.GiveSingleDose(SingleDoseAuthorization(stopped), null, stopped.Settings, Build.Nurse, stopped.Clock).IsSuccess);

        Assert.True(completed.Session.Complete(Build.Nurse, completed.Clock).IsSuccess);
        Assert.True(stopped.Session.StopEarly("vasovagal", Build.Nurse, stopped.Clock, 5).IsSuccess);

        Assert.Null(completed.Session.PumpVolumeMl);
        Assert.Null(stopped.Session.PumpVolumeMl);
    }

    [Fact]
    public void SegmentAt_TheMomentOfAPause_NoSegmentRunning()
    {
        var f = RunningFor(10);
        Assert.True(f.Session.Pause("nausea", Build.Nurse, f.Clock).IsSuccess);

        Assert.Null(f.Session.SegmentAt(f.Clock.Now));
        Assert.Equal(0, f.Session.SegmentAt(f.Clock.Now.AddTicks(-1)));
    }

    [Fact]
    public void ChangeRate_WithinFloatingNoiseOfTheIncrementOrTheProgram_Allowed()
    {
        var low = RunningFor(10);
        var high = RunningFor(10);

        Assert.True(low.Session.ChangeRate(0.1 * (1 - 1e-9), "lowest", Build.Nurse, low.Clock).IsSuccess);
        Assert.True(high.Session.ChangeRate(35 * (1 + 1e-9), "programmed", Build.Nurse, high.Clock).IsSuccess);
    }

    internal static DoseAuthorization SingleDoseAuthorization(SessionFixture f)
    {
        var covariates = f.Patient.Snapshot().CovariatesOn(f.Clock.Today).Value;
        var check = DoseCheck.Evaluate(new PlannedDose(f.Protocol, covariates, f.Session.PlannedDose, f.Plan.Preparation, "domino1984") { DosingWeight = f.Session.DosingWeight }, DrugLibrary.Default);
        return DoseAuthorization.Authorize(check, null, Build.Physician, f.Clock).Value;
    }
}
