using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;

namespace KetaCare.Clinic.Tests;

internal sealed class SessionFixture
{
    public SessionFixture(string protocolId = "outpatient-seed", double kg = 70)
    {
        Clock = Build.Clock();
        (Patient, Condition) = Build.EligiblePatient(Clock, kg);
        Protocol = ProtocolLibrary.Default.Find(protocolId).Value;
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

    public PreAssessmentInput Input(DateOnly? pregnancyTest = null) => new(Patient.Snapshot(), Assessment, null, pregnancyTest);

    /// <summary>Scheduled → pre-assessment with vitals and NRS recorded and checks passed.</summary>
    public SessionFixture PreAssessed()
    {
        Assert.True(Session.BeginPreAssessment(Build.Nurse, Clock).IsSuccess);
        Assert.True(Session.RecordObservation(Vitals(), Settings, Build.Nurse, Clock).IsSuccess);
        var r = Session.CompletePreAssessment(Input(), Settings, Build.Nurse, Clock);
        Assert.True(r.IsSuccess, r.Error);
        return this;
    }

    public (PumpProgram Program, DoseAuthorization Auth) CheckedProgram()
    {
        var weight = Patient.Snapshot().MeasurementOn(Session.ScheduledFor).Value.Weight;
        var program = PumpProgram.Compute(Session.PlannedDose, weight, Plan.Preparation, Protocol.InfusionDuration!.Value, PumpSettings.Default, Build.Nurse, Clock).Value;
        var check = program.WithSecondCheck(Build.SecondNurse, program.RateMlPerHour, program.VtbiMl, PumpSettings.Default, Clock).Value;
        var covariates = Patient.Snapshot().CovariatesOn(Session.ScheduledFor).Value;
        var result = DoseCheck.Evaluate(new PlannedDose(Protocol, covariates, check.BackCalculated, Plan.Preparation, Plan.ModelId) { VtbiMl = check.VtbiMl }, DrugLibrary.Default);
        var auth = DoseAuthorization.Authorize(result, null, Build.Physician, Clock).Value;
        return (check, auth);
    }

    /// <summary>Pre-assessed and running.</summary>
    public SessionFixture Running()
    {
        PreAssessed();
        var (program, auth) = CheckedProgram();
        var r = Session.StartInfusion(program, auth, Build.Nurse, Clock);
        Assert.True(r.IsSuccess, r.Error);
        return this;
    }
}
