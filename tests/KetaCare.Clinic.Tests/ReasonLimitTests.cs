using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;

namespace KetaCare.Clinic.Tests;

/// <summary>A physician's reasons are kept whole but bounded: over 2,000 characters or with control characters they are refused, naming the reason.</summary>
public sealed class ReasonLimitTests
{
    [Fact]
    public void Review_ReasonOverTheLimit_IsRefusedAndAtTheLimitAccepted()
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock);
        p.Record(new ContraindicationFinding(FindingKind.RaisedIntraocularPressure, Severity.Mild, true), Build.Physician, clock);
        var a = EligibilityAssessment.Run(p.Snapshot(), id, Build.Physician, clock);

        Assert.Contains("longer than the allowed 2000", PhysicianReview.Create(a, true, new string('r', 2001), Build.Physician, clock).Error, StringComparison.Ordinal);
        Assert.StartsWith("reason:", PhysicianReview.Create(a, true, "fine\u202Eenif", Build.Physician, clock).Error, StringComparison.Ordinal);
        Assert.True(PhysicianReview.Create(a, true, new string('r', 2000), Build.Physician, clock).IsSuccess);
    }

    [Fact]
    public void PrescriptionOverride_ReasonOverTheLimit_IsRefusedAndNothingRecorded()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var plan = TreatmentPlanTests.Prescribe(p, clock).Value;

        var refused = plan.RecordPrescriptionOverrides([new LimitOverride("dose.soft", new string('r', 2001), Build.Physician, clock.Now)], Build.Physician, clock);

        Assert.Contains("longer than the allowed 2000", refused.Error, StringComparison.Ordinal);
        Assert.Empty(plan.DoseChanges);
        Assert.True(plan.RecordPrescriptionOverrides([new LimitOverride("dose.soft", new string('r', 2000), Build.Physician, clock.Now)], Build.Physician, clock).IsSuccess);
    }
}
