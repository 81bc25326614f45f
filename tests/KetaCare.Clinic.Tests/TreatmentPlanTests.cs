using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Titration;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests;

public class TreatmentPlanTests
{
    internal static Outcome<TreatmentPlan> Prescribe(Patient p, TestClock clock, Protocol? protocol = null, string model = "domino1984", string prep = "bag-1", DoseLevel? start = null)
    {
        protocol ??= ProtocolLibrary.SeedOutpatient;
        return TreatmentPlan.Prescribe(p.Snapshot(), protocol, model, DrugLibrary.Default.Preparation(prep).Value, start ?? protocol.Start, Build.Physician, clock);
    }

    // The advisor's proposal after one tolerated session without relief: one step up.
    internal static TitrationProposal Tolerated(TreatmentPlan plan) =>
        TitrationAdvisor.Propose(plan.Protocol, DrugLibrary.Default.LimitsFor(plan.Protocol), Pharmacology.Units.BodyWeight.FromKilograms(70), plan.CurrentDose,
            [new SessionSummary(SessionId.New(), plan.CurrentDose, 7, 7, 0, false, 0, 0, false)]);

    [Fact]
    public void Prescribe_Valid_RecordsPhysicianTimeAndRoute()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var plan = Prescribe(p, clock).Value;
        Assert.Equal((Build.Physician, clock.Now, Route.Intravenous, "domino1984"), (plan.PrescribedBy, plan.PrescribedAt, plan.Route, plan.ModelId));
        Assert.Equal(p.Id, plan.PatientId);
        Assert.Equal(0.5, plan.CurrentDose.Value);
    }

    [Fact]
    public void Prescribe_NoConsent_Refused()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        p.MarkEnteredInError<Consent>(p.Consents.All[0].Id, "not signed", Build.Nurse, clock);
        var r = Prescribe(p, clock);
        Assert.False(r.IsSuccess);
        Assert.StartsWith("consent:", r.Error, StringComparison.Ordinal);
        Assert.Equal(FindingCodes.PlanConsentMissing, r.Refusal.Findings.Single().Code);
        Assert.Equal(["field=consent"], r.Refusal.Findings.Single().Args.Select(a => a.Name + "=" + a.Invariant()));
    }

    [Fact]
    public void Prescribe_ConsentSignedTomorrow_Refused()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var c = p.Consents.All[0];
        p.Amend(c.Id, c.Value with { SignedOn = clock.Today.AddDays(1) }, "date typo", Build.Nurse, clock);
        Assert.False(Prescribe(p, clock).IsSuccess);
    }

    [Theory]
    [InlineData("nosuchmodel", "bag-1", 0.5, "model")]
    [InlineData("domino1984", "vial-100", 0.5, "preparation")]
    [InlineData("domino1984", "bag-1", 2.5, "plan.start-above-ceiling")]
    [InlineData("domino1984", "bag-1", 0, "dose.not-positive")]
    public void Prescribe_Invalid_RefusedNamingField(string model, string prep, double start, string field)
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var r = Prescribe(p, clock, model: model, prep: prep, start: DoseLevel.MgPerKgPerHour(start));
        Assert.False(r.IsSuccess);
        Assert.StartsWith(field, r.Findings.Count > 0 ? r.Findings[0].Code : r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Prescribe_StartInOtherUnit_Refused()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        Assert.False(Prescribe(p, clock, start: DoseLevel.MgPerKg(0.5)).IsSuccess);
    }

    [Fact]
    public void Apply_AcceptedIncrease_SetsNextDoseAndBumpsVersion()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var plan = Prescribe(p, clock).Value;
        var proposal = Tolerated(plan);
        var v = plan.Version;
        Assert.True(plan.Apply(TitrationDecision.Accept(proposal, Build.Physician, clock), clock).IsSuccess);
        Assert.Equal(0.75, plan.CurrentDose.Value);
        Assert.Equal(v + 1, plan.Version);
        var change = plan.DoseChanges.Single();
        Assert.StartsWith("titration accepted", change.Reason, StringComparison.Ordinal);
        Assert.Equal([FindingCodes.PlanTitrationAccepted, FindingCodes.TitrationStepUp], change.Findings!.Select(f => f.Code));
        Assert.Equal(proposal.Findings[0], change.Findings![1]);
    }

    [Fact]
    public void Apply_StopCourse_DiscontinuesPlan()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var plan = Prescribe(p, clock).Value;
        var proposal = TitrationAdvisor.Propose(plan.Protocol, DrugLibrary.Default.LimitsFor(plan.Protocol), Pharmacology.Units.BodyWeight.FromKilograms(70), plan.CurrentDose,
            [new SessionSummary(SessionId.New(), plan.CurrentDose, 7, 7, 4, true, 0, 0, false)]);
        Assert.True(plan.Apply(TitrationDecision.Accept(proposal, Build.Physician, clock), clock).IsSuccess);
        Assert.Equal(PlanStatus.Discontinued, plan.Status);
        Assert.Equal([FindingCodes.PlanTitrationAccepted, FindingCodes.TitrationSeriousAdverseEvent, FindingCodes.TitrationStopCourse], plan.StatusFindings.Select(f => f.Code));
        var restart = plan.SetNextDose(DoseLevel.MgPerKgPerHour(0.5), "restart", Build.Physician, clock);
        Assert.Equal("plan: status is Discontinued; only an active plan's dose can change.", restart.Error);
        Assert.Equal("plan.not-active(field=plan, status=Discontinued)", restart.Findings.Single().ToString());
        var reopen = plan.Close(PlanStatus.Completed, "done");
        Assert.Equal("plan: cannot change status from Discontinued to Completed.", reopen.Error);
        Assert.Equal("plan.status-change(field=plan, from=Discontinued, to=Completed)", reopen.Findings.Single().ToString());
    }

    [Fact]
    public void SetNextDoseAndClose_ReasonOverTheLimitOrWithControlCharacters_RefusedNamingTheReason()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var plan = Prescribe(p, clock).Value;

        Assert.Contains("longer than the allowed 2000", plan.SetNextDose(DoseLevel.MgPerKgPerHour(0.5), new string('x', 2001), Build.Physician, clock).Error, StringComparison.Ordinal);
        Assert.StartsWith("reason:", plan.Close(PlanStatus.Discontinued, "stopped\0").Error, StringComparison.Ordinal);
        Assert.Equal(PlanStatus.Active, plan.Status);
        var noReason = plan.SetNextDose(DoseLevel.MgPerKgPerHour(0.5), " ", Build.Physician, clock).Refusal;
        Assert.Equal("reason: a dose change needs a reason.", noReason.Error);
        Assert.Equal(["field=reason"], noReason.Findings.Single().Args.Select(a => a.Name + "=" + a.Invariant()));
        Assert.Equal(FindingCodes.PlanDoseChangeReasonMissing, noReason.Findings.Single().Code);
        Assert.True(plan.SetNextDose(DoseLevel.MgPerKgPerHour(0.5), new string('x', 2000), Build.Physician, clock).IsSuccess);
    }

    [Fact]
    public void Apply_Override_RecordsThePhysiciansWordsAsTheCodedReasonsArgument()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var plan = Prescribe(p, clock).Value;
        var proposal = Tolerated(plan);
        var decision = TitrationDecision.Override(proposal, plan.CurrentDose, "nausea at home", Build.Physician, clock).Value;

        Assert.True(plan.Apply(decision, clock).IsSuccess);

        var finding = Assert.Single(plan.DoseChanges.Single().Findings!);
        Assert.Equal((FindingCodes.PlanTitrationOverridden, "nausea at home"), (finding.Code, finding.Arg("reason")!.Text));
    }

    [Fact]
    public void SetNextDose_WithoutFindings_KeepsOnlyItsText()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var plan = Prescribe(p, clock).Value;
        Assert.True(plan.SetNextDose(DoseLevel.MgPerKgPerHour(0.5), "x", Build.Physician, clock).IsSuccess);
        Assert.Null(plan.DoseChanges.Single().Findings);
    }

    [Fact]
    public void SetNextDose_AboveCeiling_Refused()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var plan = Prescribe(p, clock).Value;
        var above = plan.SetNextDose(DoseLevel.MgPerKgPerHour(2.01), "x", Build.Physician, clock);
        Assert.Equal("dose: 2.01 mg/kg/h is above the protocol's ceiling 2 mg/kg/h or in another unit.", above.Error);
        Assert.Equal("plan.dose-above-ceiling(field=dose, value=2.01 mg/kg/h, limit=2 mg/kg/h)", above.Findings.Single().ToString());
        Assert.True(plan.SetNextDose(DoseLevel.MgPerKgPerHour(2.0), "x", Build.Physician, clock).IsSuccess);
    }

    [Fact]
    public void Close_EnteredInError_KeptWithReason()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var plan = Prescribe(p, clock).Value;
        var noReason = plan.Close(PlanStatus.EnteredInError, "");
        Assert.Equal("reason: closing a plan needs a reason.", noReason.Error);
        Assert.Equal(FindingCodes.PlanCloseReasonMissing, noReason.Refusal.Findings.Single().Code);
        Assert.True(plan.Close(PlanStatus.EnteredInError, "wrong patient").IsSuccess);
        Assert.Equal(("wrong patient", PlanStatus.EnteredInError), (plan.StatusReason, plan.Status));
    }
}
