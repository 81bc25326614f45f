using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Tests;

/// <summary>The protocol's dosing-weight rule: actual, ideal (Devine 1974) or adjusted (Bauer 1983) body weight.</summary>
public class DosingWeightTests
{
    [Theory]
    // sex, height cm, weight kg, rule, expected kg — IBW = 50 / 45.5 kg + 2.3 kg per inch above 152.4 cm (hand-computed)
    [InlineData(Sex.Male, 180.0, 150.0, DosingWeightRule.Ideal, 74.99)]
    [InlineData(Sex.Female, 165.0, 120.0, DosingWeightRule.Ideal, 56.91)]
    [InlineData(Sex.Male, 180.0, 150.0, DosingWeightRule.Adjusted, 105.00)] // 74.992 + 0.4 × (150 − 74.992) = 104.995
    [InlineData(Sex.Male, 180.0, 60.0, DosingWeightRule.Ideal, 60.0)]       // never above the actual weight
    [InlineData(Sex.Male, 180.0, 60.0, DosingWeightRule.Adjusted, 60.0)]
    [InlineData(Sex.Female, 165.0, 120.0, DosingWeightRule.Actual, 120.0)]
    public void For_Rule_IdealAdjustedOrActual(Sex sex, double cm, double kg, DosingWeightRule rule, double expected)
    {
        var w = DosingWeights.For(rule, new Covariates(BodyWeight.FromKilograms(kg), 50, sex, cm));
        Assert.Equal(expected, w.Value.Kilograms, 2);
    }

    [Theory]
    [InlineData(DosingWeightRule.Ideal)]
    [InlineData(DosingWeightRule.Adjusted)]
    public void For_NoHeightOrSex_RefusedNamingTheRule(DosingWeightRule rule)
    {
        Codes.Has(FindingCodes.DosingWeightUnavailable, DosingWeights.For(rule, new Covariates(BodyWeight.FromKilograms(150), 50, Sex.Male)));
        Codes.Has(FindingCodes.DosingWeightUnavailable, DosingWeights.For(rule, new Covariates(BodyWeight.FromKilograms(150), 50, null, 180)));
    }

    [Fact]
    public void Session_ProtocolDosesOnAdjustedWeight_ProgramAndDoseUseIt()
    {
        // A 150-kg, 180-cm man on 0.5 mg/kg/h: 75 mg/h on actual weight, 52.5 mg/h on the adjusted 105 kg.
        var clock = Build.Clock();
        var (patient, condition) = Build.EligiblePatient(clock, 150);
        Assert.True(patient.Record(BodyMeasurement.Create(clock.Today.AddDays(-1), 150, 180).Value, Build.Nurse, clock) is not null);
        var protocol = ProtocolLibrary.Default.Find("outpatient-seed").Value with { DosingWeight = DosingWeightRule.Adjusted };
        var plan = Plans.TreatmentPlan.Prescribe(patient.Snapshot(), protocol, "domino1984", DrugLibrary.Default.Preparation("bag-1").Value, protocol.Start, Build.Physician, clock).Value;
        var assessment = Eligibility.EligibilityAssessment.Run(patient.Snapshot(), condition, Build.Physician, clock);
        var s = InfusionSession.Schedule(plan, clock.Today, Build.Nurse, clock).Value;
        Assert.True(s.BeginPreAssessment(Build.Nurse, clock).IsSuccess);
        Assert.True(s.RecordObservation(Observation.Create(clock.Now, 130, 80, 80, 98, 14, null, null, 6).Value, SessionSettings.Default, Build.Nurse, clock).IsSuccess);
        var r = s.CompletePreAssessment(new PreAssessmentInput(patient.Snapshot(), assessment, null, Build.Checklist(clock.GetUtcNow())), SessionSettings.Default, Build.Nurse, clock);
        Assert.True(r.IsSuccess, r.Error);

        Assert.Equal(150, s.Weight!.Weight.Kilograms);
        Assert.Equal(104.995, s.DosingWeight!.Value.Kilograms, 3);
        var onActual = PumpProgram.Compute(s.PlannedDose, s.Weight.Weight, plan.Preparation, protocol.InfusionDuration!.Value, PumpSettings.Default, Build.Nurse, clock).Value;
        Codes.Has(FindingCodes.ProgramWeightMismatch, s.RecordPumpProgram(onActual));
        var program = PumpProgram.Compute(s.PlannedDose, s.DosingWeight.Value, plan.Preparation, protocol.InfusionDuration!.Value, PumpSettings.Default, Build.Nurse, clock).Value;
        Assert.True(s.RecordPumpProgram(program).IsSuccess);
        Assert.Equal(52.4, program.RateMlPerHour, 9);

        // The dose check's per-kg limits and its simulated regimen use the dosing weight; the PK covariate stays 150 kg.
        var covariates = patient.Snapshot().CovariatesOn(s.ScheduledFor).Value;
        var planned = new PlannedDose(protocol, covariates, program.BackCalculated, program.Preparation, "domino1984") { VtbiMl = program.VtbiMl, DosingWeight = s.DosingWeight };
        var regimen = DoseCheck.RegimenFor(planned).Value;
        Assert.Equal(52.4, regimen.Administrations.Single().Dose.Resolve(covariates.Weight, null).Value.Total.Milligrams, 6);
    }

    [Fact]
    public void Sources_NameTheFormulasAndTheirReferenceEntries()
    {
        Assert.Equal(("clinical-reference: Dosing weight (devine1974)", Certainty.Primary), (DosingWeights.Devine1974.Section, DosingWeights.Devine1974.Certainty));
        Assert.Contains("Drug Intell Clin Pharm 1974;8:650", DosingWeights.Devine1974.Reference, StringComparison.Ordinal);
        Assert.Equal("clinical-reference: Dosing weight (bauer1983)", DosingWeights.Bauer1983.Section);
        Assert.Contains("Eur J Clin Pharmacol 1983;24:643", DosingWeights.Bauer1983.Reference, StringComparison.Ordinal);
        var refused = DosingWeights.For(DosingWeightRule.Adjusted, new Covariates(BodyWeight.FromKilograms(150)));
        var finding = Assert.Single(refused.Findings);
        Assert.Equal(("Adjusted", DosingWeights.Devine1974), (finding.Arg("rule")!.Text, finding.Source));
        Assert.Throws<ArgumentNullException>(() => DosingWeights.For(DosingWeightRule.Actual, null!));
    }

    [Fact]
    public void PureRules_NullInput_ArgumentNullExceptionNamingTheParameter()
    {
        Assert.Equal("segments", Assert.Throws<ArgumentNullException>(() => DoseAccount.Of(null!, null, Build.Start)).ParamName);
        Assert.Equal("observations", Assert.Throws<ArgumentNullException>(() => VitalGate.Evaluate(null!, AlertThresholds.Default, TimeSpan.FromMinutes(15), Build.Start)).ParamName);
        Assert.Equal("thresholds", Assert.Throws<ArgumentNullException>(() => VitalGate.Evaluate([], null!, TimeSpan.FromMinutes(15), Build.Start)).ParamName);
        Assert.Equal("observation", Assert.Throws<ArgumentNullException>(() => VitalGate.IsCompleteSet(null!)).ParamName);
    }
}
