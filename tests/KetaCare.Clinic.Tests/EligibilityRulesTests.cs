using System.Globalization;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests;

public class EligibilityRulesTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s, CultureInfo.InvariantCulture);

    private static (Patient, EntryId) WithOnset(TestClock clock, DateOnly onset, string code = "G90.511", Indication? indication = null)
    {
        var (p, _) = Build.EligiblePatient(clock);
        var old = p.Conditions.All[0];
        Assert.True(p.MarkEnteredInError<Condition>(old.Id, "replaced in test", Build.Nurse, clock).IsSuccess);
        var c = p.Record(new Condition(Icd10Code.Parse(code).Value, "test", onset, indication), Build.Physician, clock);
        return (p, c.Id);
    }

    [Theory]
    [InlineData("2026-03-01", "2026-06-01", FindingLevel.Pass)]    // exactly 3 months
    [InlineData("2026-03-02", "2026-06-01", FindingLevel.Exclude)] // one day short
    [InlineData("2026-02-28", "2026-06-01", FindingLevel.Pass)]
    [InlineData("2025-11-30", "2026-02-28", FindingLevel.Pass)]    // month end: Nov 30 + 3 months = Feb 28
    [InlineData("2025-11-30", "2026-02-27", FindingLevel.Exclude)]
    [InlineData("2026-06-01", "2026-06-01", FindingLevel.Exclude)]
    public void PainDuration_AroundThreeMonths_Boundary(string onset, string asOf, FindingLevel expected)
    {
        var clock = Build.Clock();
        var (p, id) = WithOnset(clock, D(onset));
        var f = Build.Screen(p, id, D(asOf)).Findings.Single(x => x.RuleId == "pain-duration");
        Assert.Equal(expected, f.Level);
    }

    [Theory]
    [InlineData("G90.511", null, FindingLevel.Pass, EvidenceGrade.B)]
    [InlineData("G90.59", null, FindingLevel.Pass, EvidenceGrade.B)]
    [InlineData("G56.41", null, FindingLevel.Pass, EvidenceGrade.B)]
    [InlineData("G57.71", null, FindingLevel.Pass, EvidenceGrade.B)]
    [InlineData("G89.0", Indication.SpinalCordInjuryPain, FindingLevel.Warning, EvidenceGrade.C)]
    [InlineData("G54.6", null, FindingLevel.Warning, EvidenceGrade.D)]
    [InlineData("B02.23", null, FindingLevel.Warning, EvidenceGrade.D)]
    [InlineData("E11.42", null, FindingLevel.Warning, EvidenceGrade.D)]
    [InlineData("M79.7", null, FindingLevel.Warning, EvidenceGrade.D)]
    [InlineData("G89.29", null, FindingLevel.Warning, EvidenceGrade.D)]
    [InlineData("G89.3", null, FindingLevel.Warning, EvidenceGrade.D)]
    public void Indication_ByCode_GradeAndLevel(string code, Indication? explicitIndication, FindingLevel level, EvidenceGrade grade)
    {
        var clock = Build.Clock();
        var (p, id) = WithOnset(clock, clock.Today.AddYears(-1), code, explicitIndication);
        var snapshot = p.Snapshot();
        var condition = snapshot.Conditions.Single(c => c.Id == id).Condition;
        Assert.Equal(grade, IndicationCatalogue.GradeOf(IndicationCatalogue.IndicationOf(condition)!.Value));
        var f = EligibilityRules.Evaluate(snapshot, id, clock.Today).Findings.Single(x => x.RuleId == "indication");
        Assert.Equal(level, f.Level);
        Assert.Contains("Cohen", f.Source.Reference, StringComparison.Ordinal);
    }

    [Fact]
    public void Indication_GradeD_EligibleWithWarningNotSilent()
    {
        var clock = Build.Clock();
        var (p, id) = WithOnset(clock, clock.Today.AddYears(-1), "M79.7");
        var e = Build.Screen(p, id, clock.Today);
        Assert.Equal(EligibilityResult.Eligible, e.Result);
        Assert.Contains(e.Findings, f => f.RuleId == "indication" && f.Level == FindingLevel.Warning && f.Message.Contains("Grade D", StringComparison.Ordinal));
    }

    [Fact]
    public void Indication_UnknownCode_NeedsReview()
    {
        var clock = Build.Clock();
        var (p, id) = WithOnset(clock, clock.Today.AddYears(-1), "M54.5");
        Assert.Equal(EligibilityResult.NeedsPhysicianReview, Build.Screen(p, id, clock.Today).Result);
    }

    [Fact]
    public void Evaluate_BaselinePatient_Eligible()
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock);
        var e = Build.Screen(p, id, clock.Today);
        Assert.Equal(EligibilityResult.Eligible, e.Result);
        Assert.Equal(EligibilitySettings.Default.Version, e.RuleSetVersion);
        Assert.Empty(e.RequiredTests);
    }

    [Fact]
    public void FailedTreatments_NoneRecorded_NeedsReview()
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock);
        p.MarkEnteredInError<PriorTreatment>(p.PriorTreatments.All[0].Id, "test", Build.Nurse, clock);
        var e = Build.Screen(p, id, clock.Today);
        Assert.Equal(EligibilityResult.NeedsPhysicianReview, e.Result);
        Assert.Equal(FindingLevel.Review, e.Findings.Single(f => f.RuleId == "first-line-failed").Level);
    }

    [Theory]
    [InlineData(FindingKind.CardiovascularDisease, Severity.Moderate, true, EligibilityResult.NotEligible, null)]
    [InlineData(FindingKind.CardiovascularDisease, Severity.Moderate, false, EligibilityResult.Eligible, RequiredTest.Ecg)]
    [InlineData(FindingKind.Hypertension, Severity.Moderate, true, EligibilityResult.NotEligible, null)]
    [InlineData(FindingKind.Hypertension, Severity.Mild, false, EligibilityResult.Eligible, RequiredTest.Ecg)]
    [InlineData(FindingKind.CardiovascularRisk, Severity.Mild, false, EligibilityResult.Eligible, RequiredTest.Ecg)]
    [InlineData(FindingKind.Psychosis, Severity.Severe, true, EligibilityResult.NotEligible, null)]
    [InlineData(FindingKind.Psychosis, Severity.Mild, false, EligibilityResult.NeedsPhysicianReview, null)]
    [InlineData(FindingKind.HepaticDisease, Severity.Severe, true, EligibilityResult.NotEligible, null)]
    [InlineData(FindingKind.HepaticDisease, Severity.Moderate, true, EligibilityResult.Eligible, RequiredTest.LiverFunctionTests)]
    [InlineData(FindingKind.HepaticDisease, Severity.Mild, true, EligibilityResult.Eligible, RequiredTest.LiverFunctionTests)]
    [InlineData(FindingKind.RaisedIntracranialPressure, Severity.Moderate, true, EligibilityResult.NeedsPhysicianReview, null)]
    [InlineData(FindingKind.RaisedIntraocularPressure, Severity.Moderate, true, EligibilityResult.NeedsPhysicianReview, null)]
    [InlineData(FindingKind.SubstanceAbuse, Severity.Moderate, true, EligibilityResult.NotEligible, null)]
    [InlineData(FindingKind.SubstanceAbuse, Severity.Moderate, false, EligibilityResult.Eligible, null)]
    [InlineData(FindingKind.KetamineHypersensitivity, Severity.Mild, true, EligibilityResult.NotEligible, null)]
    public void Contraindication_Finding_ResultAndTests(FindingKind kind, Severity severity, bool active, EligibilityResult expected, RequiredTest? test)
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock);
        p.Record(new ContraindicationFinding(kind, severity, active), Build.Physician, clock);
        var e = Build.Screen(p, id, clock.Today);
        Assert.Equal(expected, e.Result);
        if (test is { } t)
        {
            Assert.Contains(t, e.RequiredTests);
        }

        Assert.All(e.Findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Source.Reference)));
    }

    [Fact]
    public void HepaticDisease_Moderate_WarningMentionsCautionAndLiverTests()
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock);
        p.Record(new ContraindicationFinding(FindingKind.HepaticDisease, Severity.Moderate, true), Build.Physician, clock);
        var f = Build.Screen(p, id, clock.Today).Findings.Single(x => x.RuleId == "hepatic");
        Assert.Equal(FindingLevel.Warning, f.Level);
        Assert.Contains("caution", f.Message, StringComparison.Ordinal);
        Assert.Contains("liver tests", f.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PregnancyState.Pregnant, EligibilityResult.NotEligible, false)]
    [InlineData(PregnancyState.NotPregnant, EligibilityResult.Eligible, true)]
    [InlineData(PregnancyState.Unknown, EligibilityResult.Eligible, true)]
    [InlineData(PregnancyState.NotOfChildbearingPotential, EligibilityResult.Eligible, false)]
    public void Pregnancy_State_ResultAndTest(PregnancyState state, EligibilityResult expected, bool testRequired)
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock, sex: Sex.Female);
        p.Record(new PregnancyStatus(state, clock.Today), Build.Nurse, clock);
        var e = Build.Screen(p, id, clock.Today);
        Assert.Equal(expected, e.Result);
        Assert.Equal(testRequired, e.RequiredTests.Contains(RequiredTest.PregnancyTest));
    }

    [Theory]
    [InlineData(InteractionClass.TheophyllineOrAminophylline, "interaction-theophylline", FindingLevel.Review)]
    [InlineData(InteractionClass.Sympathomimetic, "interaction-sympathomimetic", FindingLevel.Review)]
    [InlineData(InteractionClass.MonoamineOxidaseInhibitor, "interaction-maoi", FindingLevel.Review)]
    [InlineData(InteractionClass.Cyp3A4Inhibitor, "interaction-cyp3a4-inhibitor", FindingLevel.Warning)]
    [InlineData(InteractionClass.Cyp2B6Inhibitor, "interaction-cyp2b6-inhibitor", FindingLevel.Warning)]
    [InlineData(InteractionClass.CypInducer, "interaction-cyp-inducer", FindingLevel.Warning)]
    [InlineData(InteractionClass.Benzodiazepine, "interaction-benzodiazepine", FindingLevel.Warning)]
    [InlineData(InteractionClass.Lamotrigine, "interaction-lamotrigine", FindingLevel.Warning)]
    [InlineData(InteractionClass.CnsDepressant, "interaction-cns-depressant", FindingLevel.Warning)]
    public void Interaction_Class_Finding(InteractionClass cls, string ruleId, FindingLevel level)
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock);
        p.Record(new Medication("drug", null, cls), Build.Nurse, clock);
        var f = Build.Screen(p, id, clock.Today).Findings.Single(x => x.RuleId.StartsWith("interaction", StringComparison.Ordinal));
        Assert.Equal(ruleId, f.RuleId);
        Assert.Equal(level, f.Level);
    }

    [Fact]
    public void Interaction_NoInteractingDrug_NoFinding()
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock);
        p.Record(new Medication("paracetamol", "1 g", InteractionClass.None), Build.Nurse, clock);
        Assert.DoesNotContain(Build.Screen(p, id, clock.Today).Findings, f => f.RuleId.StartsWith("interaction", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("schwartzman2009", true)] // daily
    [InlineData("rema2012", true)]        // daily
    [InlineData("outpatient-seed", true)] // ceiling 2 mg/kg/h = high-dose
    [InlineData("clinic-im-example", false)]
    public void IntendedProtocol_FrequentOrHighDose_RequiresLiverTests(string protocolId, bool required)
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock);
        var protocol = ProtocolLibrary.Default.Find(protocolId).Value;
        var e = EligibilityRules.Evaluate(p.Snapshot(), id, clock.Today, protocol);
        Assert.Equal(required, e.RequiredTests.Contains(RequiredTest.LiverFunctionTests));
    }

    [Fact]
    public void Consent_Missing_WarningOnly()
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock);
        p.MarkEnteredInError<Consent>(p.Consents.All[0].Id, "unsigned", Build.Nurse, clock);
        var e = Build.Screen(p, id, clock.Today);
        Assert.Equal(EligibilityResult.Eligible, e.Result);
        Assert.Contains(e.Findings, f => f.RuleId == "consent" && f.Level == FindingLevel.Warning);
    }

    [Fact]
    public void Evaluate_ExcludeAndReview_NotEligibleWins()
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock);
        p.Record(new ContraindicationFinding(FindingKind.RaisedIntracranialPressure, Severity.Moderate, true), Build.Physician, clock);
        p.Record(new ContraindicationFinding(FindingKind.KetamineHypersensitivity, Severity.Mild, true), Build.Physician, clock);
        Assert.Equal(EligibilityResult.NotEligible, Build.Screen(p, id, clock.Today).Result);
    }

    [Fact]
    public void Evaluate_SameInput_SameFindings()
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock);
        p.Record(new Medication("clarithromycin", null, InteractionClass.Cyp3A4Inhibitor), Build.Nurse, clock);
        var s = p.Snapshot();
        Assert.Equal(EligibilityRules.Evaluate(s, id, clock.Today).Findings, EligibilityRules.Evaluate(s, id, clock.Today).Findings);
    }

    [Fact]
    public void Run_Screening_RecordsRuleSetVersionPatientVersionAndClockDate()
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock);
        var settings = EligibilitySettings.Default with { Version = "eligibility-test-9" };
        var a = EligibilityAssessment.Run(p.Snapshot(), id, Build.Physician, clock, settings: settings);
        Assert.Equal("eligibility-test-9", a.Evaluation.RuleSetVersion);
        Assert.Equal(p.Version, a.PatientVersion);
        Assert.Equal(clock.Today, a.AssessedOn);
        Assert.Equal(clock.Now, a.RecordedAt);
    }

    [Fact]
    public void Assessment_LaterChartChange_DoesNotChangeIt()
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock);
        var a = EligibilityAssessment.Run(p.Snapshot(), id, Build.Physician, clock);
        p.Record(new ContraindicationFinding(FindingKind.KetamineHypersensitivity, Severity.Mild, true), Build.Physician, clock);
        Assert.Equal(EligibilityResult.Eligible, a.Evaluation.Result);
        Assert.Equal(EligibilityResult.NotEligible, EligibilityAssessment.Run(p.Snapshot(), id, Build.Physician, clock).Evaluation.Result);
    }

    [Theory]
    [InlineData(0, "eligibility-2026.1", true)]
    [InlineData(90, "eligibility-2026.1", true)]
    [InlineData(91, "eligibility-2026.1", false)]
    [InlineData(0, "eligibility-2027.1", false)]
    public void IsCurrent_AgeAndVersion_AsExpected(int daysLater, string version, bool current)
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock);
        var a = EligibilityAssessment.Run(p.Snapshot(), id, Build.Physician, clock);
        Assert.Equal(current, a.IsCurrent(clock.Today.AddDays(daysLater), version, 90).IsSuccess);
    }

    [Fact]
    public void IsCurrent_NeedsReview_OnlyWithApprovingReview()
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock);
        p.Record(new ContraindicationFinding(FindingKind.RaisedIntraocularPressure, Severity.Mild, true), Build.Physician, clock);
        var a = EligibilityAssessment.Run(p.Snapshot(), id, Build.Physician, clock);
        var version = EligibilitySettings.Default.Version;
        Assert.False(a.IsCurrent(clock.Today, version, 90).IsSuccess);
        Assert.False(PhysicianReview.Create(a, true, " ", Build.Physician, clock).IsSuccess);
        var approve = PhysicianReview.Create(a, true, "low dose, IOP controlled by ophthalmology", Build.Physician, clock).Value;
        Assert.True(a.IsCurrent(clock.Today, version, 90, approve).IsSuccess);
        var reject = PhysicianReview.Create(a, false, "no", Build.Physician, clock).Value;
        Assert.False(a.IsCurrent(clock.Today, version, 90, reject).IsSuccess);
    }

    [Fact]
    public void IsCurrent_NotEligible_Refused()
    {
        var clock = Build.Clock();
        var (p, id) = Build.EligiblePatient(clock);
        p.Record(new ContraindicationFinding(FindingKind.KetamineHypersensitivity, Severity.Mild, true), Build.Physician, clock);
        var a = EligibilityAssessment.Run(p.Snapshot(), id, Build.Physician, clock);
        Assert.False(a.IsCurrent(clock.Today, EligibilitySettings.Default.Version, 90).IsSuccess);
        Assert.False(PhysicianReview.Create(a, true, "override", Build.Physician, clock).IsSuccess);
    }

    [Fact]
    public void Evaluate_UnknownCondition_Excluded()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        Assert.Equal(EligibilityResult.NotEligible, Build.Screen(p, EntryId.New(), clock.Today).Result);
    }
}
