using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;

namespace KetaCare.Clinic.Tests;

internal sealed class SessionFixture
{
    public SessionFixture(string protocolId = "outpatient-seed", double kg = 70, Func<Protocol, Protocol>? revise = null)
    {
        Clock = Build.Clock();
        (Patient, Condition) = Build.EligiblePatient(Clock, kg);
        Protocol = ProtocolLibrary.Default.Find(protocolId).Value;
        Protocol = revise is null ? Protocol : revise(Protocol);
        var prep = DrugLibrary.Default.Preparation(Protocol.IsInfusion ? "bag-1" : "vial-50").Value;
        Plan = TreatmentPlan.Prescribe(Patient.Snapshot(), Protocol, "domino1984", prep, Protocol.Start, Build.Physician, Clock).Value;
        Assessment = EligibilityAssessment.Run(Patient.Snapshot(), Condition, Build.Physician, Clock);
        Session = InfusionSession.Schedule(Plan, Clock.Today, Build.Nurse, Clock).Value;
    }

    public TestClock Clock { get; }

    public Patient Patient { get; }

    public EntryId Condition { get; }

    public Protocol Protocol { get; }

    public TreatmentPlan Plan { get; }

    public EligibilityAssessment Assessment { get; }

    public InfusionSession Session { get; }

    public SessionSettings Settings { get; } = SessionSettings.Default;

    public Observation Vitals(int sbp = 130, int dbp = 80, int hr = 80, int spo2 = 98, int? nrs = 7) =>
        Observation.Create(Clock.Now, sbp, dbp, hr, spo2, 14, new SedationScore(SedationScale.Rass, 0), 0, nrs).Value;

    /// <summary>Records a normal vitals set now (what a start or resume needs within the window).</summary>
    public void FreshVitals() => Assert.True(Session.RecordObservation(Vitals(), Settings, Build.Nurse, Clock).IsSuccess);

    public PreAssessmentInput Input(PreSessionChecklist? checklist = null) => new(Patient.Snapshot(), Assessment, null, checklist ?? Build.Checklist(Clock.Now));

    /// <summary>Scheduled → pre-assessment with vitals and NRS recorded and checks passed.</summary>
    public SessionFixture PreAssessed(PreSessionChecklist? checklist = null)
    {
        Assert.True(Session.BeginPreAssessment(Build.Nurse, Clock).IsSuccess);
        Assert.True(Session.RecordObservation(Vitals(), Settings, Build.Nurse, Clock).IsSuccess);
        var r = Session.CompletePreAssessment(Input(checklist), Settings, Build.Nurse, Clock);
        Assert.True(r.IsSuccess, r.Error);
        return this;
    }

    /// <summary>The demo's second nurse as the staff directory knows her: active, Nurse role.</summary>
    public static StaffMember SecondNurseStaff { get; } = new(Build.SecondNurse, true, [KetaCare.Clinic.Users.ClinicRoles.Nurse]);

    /// <summary>The physician as the staff directory knows him: active, Physician role.</summary>
    public static StaffMember PhysicianStaff { get; } = new(Build.Physician, true, [KetaCare.Clinic.Users.ClinicRoles.Physician]);

    /// <summary>
    /// The pump program for the session's dose and its dose authorisation. In a passed pre-assessment the program is
    /// recorded in the session and blind-checked by the second nurse (reading exactly the programmed values);
    /// otherwise it is only computed.
    /// </summary>
    public (PumpProgram Program, DoseAuthorization Auth) CheckedProgram()
    {
        var weight = Patient.Snapshot().MeasurementOn(Session.ScheduledFor).Value.Weight;
        var program = PumpProgram.Compute(Session.PlannedDose, weight, Plan.Preparation, Protocol.InfusionDuration!.Value, PumpSettings.Default, Build.Nurse, Clock).Value;
        if (Session.State == SessionState.PreAssessment && Session.PreAssessmentPassed)
        {
            Assert.True(Session.RecordPumpProgram(program).IsSuccess);
            var check = Session.RecordSecondCheck(SecondNurseStaff, Reading(program), PumpSettings.Default, Clock);
            Assert.True(check.IsSuccess && check.Value.Matched, check.Error);
            program = Session.Program!;
        }

        var covariates = Patient.Snapshot().CovariatesOn(Session.ScheduledFor).Value;
        var result = DoseCheck.Evaluate(new PlannedDose(Protocol, covariates, program.BackCalculated, Plan.Preparation, Plan.ModelId) { VtbiMl = program.VtbiMl }, DrugLibrary.Default);
        var auth = DoseAuthorization.Authorize(result, null, Build.Physician, Clock).Value;
        return (program, auth);
    }

    /// <summary>What a careful checker reads on the pump and label of <paramref name="program"/>.</summary>
    public static PumpReading Reading(PumpProgram program) =>
        new(program.RateMlPerHour, program.VtbiMl, program.Preparation.Concentration.MilligramsPerMilliliter, program.Weight.Kilograms);

    /// <summary>The volume a pump shows for this session now (the computed volume, to 0.1 mL).</summary>
    public double PumpShows() => Math.Round(Session.Account(Clock.Now).VolumeMl, 1);

    /// <summary>The recovery prediction for this session now.</summary>
    public RecoveryPrediction Prediction() =>
        RecoveryPrediction.Predict(Session, Plan.ModelId, Patient.Snapshot().CovariatesOn(Session.ScheduledFor).Value, Settings.DischargeEffectSiteNgPerMl, Clock.Now);

    /// <summary>Pre-assessed and running.</summary>
    public SessionFixture Running()
    {
        PreAssessed();
        var (_, auth) = CheckedProgram();
        var r = Session.StartInfusion(auth, null, Settings, Build.Nurse, Clock);
        Assert.True(r.IsSuccess, r.Error);
        return this;
    }

    /// <summary>Running → completed with the pump's volume, → recovery, then observed until ready and discharged.</summary>
    public SessionFixture Discharged()
    {
        Assert.True(Session.Complete(Build.Nurse, Clock, PumpShows(), Settings).IsSuccess);
        Assert.True(Session.BeginRecovery(Build.Nurse, Clock).IsSuccess);
        Clock.Advance(TimeSpan.FromMinutes(Settings.MinimumObservationMinutes));
        Assert.True(Session.RecordObservation(Vitals(nrs: 3), Settings, Build.Nurse, Clock).IsSuccess);
        var r = Session.Discharge(AldreteScore.Create(2, 2, 2, 2, 2).Value, true, Prediction(), null, Settings, Build.Nurse, Clock);
        Assert.True(r.IsSuccess, r.Error);
        return this;
    }
}
