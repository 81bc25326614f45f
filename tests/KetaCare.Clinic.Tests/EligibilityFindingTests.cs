using System.Globalization;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// What each eligibility rule records: rule id, level, source and the facts its message names; the required tests;
/// whole months; whether an assessment is current and the physician review, with their refusal reasons.
/// </summary>
public class EligibilityFindingTests
{
    private static readonly Source Label = Source.KetalarLabel;

    private static readonly Source Cohen = Source.Cohen2018;

    private static DateOnly D(string s) => DateOnly.Parse(s, CultureInfo.InvariantCulture);

    private static (Patient Patient, EntryId Condition, TestClock Clock) Eligible(Sex sex = Sex.Male)
    {
        var clock = Build.Clock();
        var (p, c) = Build.EligiblePatient(clock, sex: sex);
        return (p, c, clock);
    }

    private static EligibilityEvaluation Screen((Patient Patient, EntryId Condition, TestClock Clock) x, Protocol? protocol = null, EligibilitySettings? settings = null) =>
        EligibilityRules.Evaluate(x.Patient.Snapshot(), x.Condition, x.Clock.Today, protocol, settings);

    private static RuleFinding Rule(EligibilityEvaluation e, string ruleId) => Assert.Single(e.Findings, f => f.RuleId == ruleId);

    private static void AssertRule(RuleFinding f, FindingLevel level, Source source, params string[] says)
    {
        Assert.Equal((level, source), (f.Level, f.Source));
        Assert.All(says, s => Assert.Contains(s, f.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_EligiblePatient_PainDurationIndicationAndFirstLineFindingsWithTheirWords()
    {
        var x = Eligible();

        var e = Screen(x);

        Assert.Equal(["pain-duration", "indication", "first-line-failed"], e.Findings.Select(f => f.RuleId));
        Assert.Equal(new RuleFinding("pain-duration", FindingLevel.Pass, "Pain since 2025-06-01: 12 whole month(s) on 2026-06-01; at least 3 required.", EligibilitySettings.PainDurationSource) with { Template = e.Findings[0].Template, Args = e.Findings[0].Args }, e.Findings[0]);
        // The typed template a face translates: placeholders, dates as ISO text, numbers as numbers.
        Assert.Equal("Pain since {onset}: {months} whole month(s) on {date}; at least {minimum} required.", e.Findings[0].Template);
        Assert.Equal([FindingArg.Of("onset", "2025-06-01"), FindingArg.Of("months", 12), FindingArg.Of("date", "2026-06-01"), FindingArg.Of("minimum", 3)], e.Findings[0].Args);
        AssertRule(e.Findings[1], FindingLevel.Pass, Cohen, "G90.511", "Grade B");
        Assert.Equal(("first-line-failed", FindingLevel.Pass, "1 first-line treatment(s) tried and failed (pregabalin: Ineffective); at least 1 required.", EligibilitySettings.PainDurationSource), (e.Findings[2].RuleId, e.Findings[2].Level, e.Findings[2].Message, e.Findings[2].Source));
        Assert.Equal((EligibilityResult.Eligible, "eligibility-2026.1"), (e.Result, e.RuleSetVersion));
    }

    [Fact]
    public void Evaluate_UnknownCondition_ExcludedNamingTheIdAndNoConditionRules()
    {
        var x = Eligible();
        var missing = EntryId.New();

        var e = EligibilityRules.Evaluate(x.Patient.Snapshot(), missing, x.Clock.Today);

        AssertRule(Rule(e, "condition"), FindingLevel.Exclude, IndicationCatalogue.CodeSource, $"condition {missing}: no active condition");
        Assert.DoesNotContain(e.Findings, f => f.RuleId is "pain-duration" or "indication");
        Assert.Equal(EligibilityResult.NotEligible, e.Result);
    }

    [Fact]
    public void Evaluate_Null_Throws() => Assert.Throws<ArgumentNullException>(() => EligibilityRules.Evaluate(null!, EntryId.New(), D("2026-06-01")));

    [Theory]
    [InlineData("G89.0", Indication.SpinalCordInjuryPain, FindingLevel.Warning, "Grade C")]
    [InlineData("M79.7", null, FindingLevel.Warning, "Grade D")]
    public void Indication_WeakEvidence_WarningNamingCodeAndGrade(string code, Indication? indication, FindingLevel level, string grade)
    {
        var x = Eligible();
        var c = x.Patient.Record(new Condition(Icd10Code.Parse(code).Value, "test", x.Clock.Today.AddYears(-1), indication), Build.Physician, x.Clock);

        var f = Rule(EligibilityRules.Evaluate(x.Patient.Snapshot(), c.Id, x.Clock.Today), "indication");

        AssertRule(f, level, Cohen, code, grade);
    }

    [Fact]
    public void Indication_UnknownCode_ReviewCitingTheCodeList()
    {
        var x = Eligible();
        var c = x.Patient.Record(new Condition(Icd10Code.Parse("M54.5").Value, "low back pain", x.Clock.Today.AddYears(-1)), Build.Physician, x.Clock);

        var f = Rule(EligibilityRules.Evaluate(x.Patient.Snapshot(), c.Id, x.Clock.Today), "indication");

        AssertRule(f, FindingLevel.Review, IndicationCatalogue.CodeSource, "M54.5", "no evidence grade is known");
    }

    [Fact]
    public void FailedTreatments_FewerThanRequired_ReviewAskingAPhysicianToConfirm()
    {
        var x = Eligible();

        var f = Rule(Screen(x, settings: EligibilitySettings.Default with { MinimumFailedTreatments = 2 }), "first-line-failed");

        AssertRule(f, FindingLevel.Review, EligibilitySettings.PainDurationSource, "1 first-line treatment(s)", "at least 2 required.", " A physician must confirm that first-line options were tried.");
    }

    [Fact]
    public void FailedTreatments_ClassNotFirstLine_NotCounted()
    {
        var x = Eligible();
        var settings = EligibilitySettings.Default with { FirstLineClasses = new HashSet<TreatmentClass> { TreatmentClass.Opioid } };

        var f = Rule(Screen(x, settings: settings), "first-line-failed");

        AssertRule(f, FindingLevel.Review, EligibilitySettings.PainDurationSource, "0 first-line treatment(s) tried and failed ()");
    }

    [Theory]
    [InlineData(FindingKind.CardiovascularDisease, Severity.Moderate, true, "cardiovascular", FindingLevel.Exclude, "cohen", "cardiovascular disease")]
    [InlineData(FindingKind.CardiovascularDisease, Severity.Moderate, false, "cardiovascular-risk", FindingLevel.Warning, "cohen", "Cardiovascular disease (controlled): ECG")]
    [InlineData(FindingKind.Hypertension, Severity.Moderate, true, "hypertension", FindingLevel.Exclude, "label", "Uncontrolled hypertension")]
    [InlineData(FindingKind.Hypertension, Severity.Mild, false, "cardiovascular-risk", FindingLevel.Warning, "cohen", "Hypertension (controlled): ECG")]
    [InlineData(FindingKind.CardiovascularRisk, Severity.Mild, true, "cardiovascular-risk", FindingLevel.Warning, "cohen", "Cardiovascular risk (controlled): ECG")]
    [InlineData(FindingKind.Psychosis, Severity.Severe, true, "psychosis", FindingLevel.Exclude, "cohen", "Active psychosis")]
    [InlineData(FindingKind.Psychosis, Severity.Mild, false, "psychosis", FindingLevel.Review, "cohen", "History of psychosis")]
    [InlineData(FindingKind.HepaticDisease, Severity.Severe, true, "hepatic", FindingLevel.Exclude, "cohen", "Severe hepatic disease")]
    [InlineData(FindingKind.HepaticDisease, Severity.Moderate, true, "hepatic", FindingLevel.Warning, "cohen", "Moderate hepatic disease")]
    [InlineData(FindingKind.HepaticDisease, Severity.Mild, true, "hepatic", FindingLevel.Warning, "cohen", "Mild hepatic disease")]
    [InlineData(FindingKind.RaisedIntracranialPressure, Severity.Moderate, true, "raised-pressure", FindingLevel.Review, "cohen", "Raised intracranial pressure: do not use")]
    [InlineData(FindingKind.RaisedIntraocularPressure, Severity.Moderate, true, "raised-pressure", FindingLevel.Review, "cohen", "Raised intraocular pressure: do not use")]
    [InlineData(FindingKind.SubstanceAbuse, Severity.Moderate, true, "substance-abuse", FindingLevel.Exclude, "cohen", "Active substance abuse")]
    [InlineData(FindingKind.SubstanceAbuse, Severity.Moderate, false, "substance-abuse", FindingLevel.Warning, "asa", "History of substance abuse")]
    [InlineData(FindingKind.KetamineHypersensitivity, Severity.Mild, true, "hypersensitivity", FindingLevel.Exclude, "label", "Hypersensitivity to ketamine")]
    public void Contraindication_Finding_RuleLevelSourceAndWords(FindingKind kind, Severity severity, bool active, string ruleId, FindingLevel level, string source, string says)
    {
        var x = Eligible();
        x.Patient.Record(new ContraindicationFinding(kind, severity, active), Build.Physician, x.Clock);

        var f = Rule(Screen(x), ruleId);

        var expected = source switch
        {
            "cohen" => Cohen,
            "label" => Label,
            _ => new Source("clinical-reference: ASA statement (asa2023-statement)", "ASA statement on ketamine for chronic pain, 2023", Certainty.Primary),
        };
        AssertRule(f, level, expected, says);
    }

    [Fact]
    public void Contraindication_HepaticAndCardiovascularRiskInAWoman_TestsOnceEachInOrder()
    {
        var x = Eligible(Sex.Female);
        x.Patient.Record(new ContraindicationFinding(FindingKind.HepaticDisease, Severity.Mild, true), Build.Physician, x.Clock);
        x.Patient.Record(new ContraindicationFinding(FindingKind.CardiovascularRisk, Severity.Mild, true), Build.Physician, x.Clock);

        var e = Screen(x, ProtocolLibrary.Rema2012); // a daily course adds liver tests again

        Assert.Equal([RequiredTest.Ecg, RequiredTest.LiverFunctionTests, RequiredTest.PregnancyTest], e.RequiredTests);
        Assert.Equal(EligibilityResult.Eligible, e.Result);
    }

    [Theory]
    [InlineData(PregnancyState.NotPregnant, "Of childbearing potential: pregnancy test before each session")]
    [InlineData(PregnancyState.Unknown, "Pregnancy status unknown: pregnancy test before each session")]
    public void Pregnancy_TestRequired_WarningSayingWhy(PregnancyState state, string says)
    {
        var x = Eligible(Sex.Female);
        x.Patient.Record(new PregnancyStatus(state, x.Clock.Today), Build.Nurse, x.Clock);

        AssertRule(Rule(Screen(x), "pregnancy"), FindingLevel.Warning, Cohen, says);
    }

    [Fact]
    public void Pregnancy_NeverRecordedForAWoman_StatusUnknownAndTestRequired()
    {
        var x = Eligible(Sex.Female);
        Assert.True(x.Patient.MarkEnteredInError<PregnancyStatus>(x.Patient.PregnancyStatuses.All[0].Id, "wrong patient", Build.Nurse, x.Clock).IsSuccess);

        var e = Screen(x);

        AssertRule(Rule(e, "pregnancy"), FindingLevel.Warning, Cohen, "Pregnancy status unknown");
        Assert.Equal([RequiredTest.PregnancyTest], e.RequiredTests);
    }

    [Fact]
    public void Pregnancy_Pregnant_ExcludedWithoutATest()
    {
        var x = Eligible(Sex.Female);
        x.Patient.Record(new PregnancyStatus(PregnancyState.Pregnant, x.Clock.Today), Build.Nurse, x.Clock);

        var e = Screen(x);

        AssertRule(Rule(e, "pregnancy"), FindingLevel.Exclude, Cohen, "Pregnancy: avoid");
        Assert.Empty(e.RequiredTests);
    }

    [Fact]
    public void Interactions_DrugWithTwoClasses_TwoFindingsNamingTheDrug()
    {
        var x = Eligible();
        x.Patient.Record(new Medication("theoclarin", null, InteractionClass.TheophyllineOrAminophylline | InteractionClass.Cyp3A4Inhibitor), Build.Nurse, x.Clock);

        var e = Screen(x);

        var studies = new Source("clinical-reference: Interactions (interaction-studies)", "Interaction studies: clarithromycin 2.6×, ticlopidine 2.4×, rifampicin −86 % oral / −14 % IV, lamotrigine", Certainty.Primary);
        AssertRule(Rule(e, "interaction-theophylline"), FindingLevel.Review, Label, "theoclarin: theophylline/aminophylline");
        AssertRule(Rule(e, "interaction-cyp3a4-inhibitor"), FindingLevel.Warning, studies, "theoclarin: CYP3A4 inhibitor");
        Assert.Equal(EligibilityResult.NeedsPhysicianReview, e.Result);
    }

    [Theory]
    [InlineData(InteractionClass.Sympathomimetic, "interaction-sympathomimetic", "sympathomimetics/vasopressin")]
    [InlineData(InteractionClass.MonoamineOxidaseInhibitor, "interaction-maoi", "MAO inhibitor")]
    [InlineData(InteractionClass.Cyp2B6Inhibitor, "interaction-cyp2b6-inhibitor", "CYP2B6 inhibitor")]
    [InlineData(InteractionClass.CypInducer, "interaction-cyp-inducer", "CYP inducer")]
    [InlineData(InteractionClass.Benzodiazepine, "interaction-benzodiazepine", "benzodiazepines")]
    [InlineData(InteractionClass.Lamotrigine, "interaction-lamotrigine", "lamotrigine reduces")]
    [InlineData(InteractionClass.CnsDepressant, "interaction-cns-depressant", "CNS depressants")]
    public void Interaction_Class_MessageNamesTheDrugAndTheEffect(InteractionClass cls, string ruleId, string says)
    {
        var x = Eligible();
        x.Patient.Record(new Medication("drug-x", null, cls), Build.Nurse, x.Clock);

        var f = Rule(Screen(x), ruleId);

        Assert.StartsWith("drug-x: ", f.Message, StringComparison.Ordinal);
        Assert.Contains(says, f.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(f.Source.Reference));
    }

    [Fact]
    public void Interaction_Maoi_CitesTheClinicRequirements()
    {
        var x = Eligible();
        x.Patient.Record(new Medication("phenelzine", null, InteractionClass.MonoamineOxidaseInhibitor), Build.Nurse, x.Clock);

        Assert.Same(EligibilitySettings.MaoiSource, Rule(Screen(x), "interaction-maoi").Source);
        Assert.Equal(Certainty.Unverified, EligibilitySettings.MaoiSource.Certainty);
        Assert.Contains("no source checked", EligibilitySettings.MaoiSource.Reference, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("outpatient-seed", 1, 2.0, "high-dose")]  // weekly, ceiling 2 mg/kg/h at the high-dose mark
    [InlineData("outpatient-seed", 7, 2.0, "frequent")]   // weekly counts as frequent when the setting says 7 days
    [InlineData("outpatient-seed", 6, 2.01, null)]
    [InlineData("schwartzman2009", 1, 2.0, "frequent")]   // daily at the 1-day mark
    [InlineData("clinic-im-example", 7, 0.1, "frequent")] // weekly IM with the setting at 7 days
    [InlineData("clinic-im-example", 6, 0.1, null)]       // its ceiling is in mg/kg, never a high-dose rate
    public void DoseIntensity_FrequentOrHighDose_LiverTestsNamingTheProtocolAndWhy(string protocolId, int frequentDays, double highDose, string? why)
    {
        var x = Eligible();
        var protocol = ProtocolLibrary.Default.Find(protocolId).Value;

        var e = Screen(x, protocol, EligibilitySettings.Default with { FrequentIntervalDays = frequentDays, HighDoseMgPerKgPerHour = highDose });

        if (why is null)
        {
            Assert.DoesNotContain(e.Findings, f => f.RuleId == "liver-tests-intensity");
            Assert.Empty(e.RequiredTests);
        }
        else
        {
            AssertRule(Rule(e, "liver-tests-intensity"), FindingLevel.Warning, Cohen, $"{protocol.Name}: {why} infusions; baseline and follow-up liver tests");
            Assert.Equal([RequiredTest.LiverFunctionTests], e.RequiredTests);
        }
    }

    [Fact]
    public void Consent_Missing_WarningCitingTheRegulatoryStatus()
    {
        var x = Eligible();
        x.Patient.MarkEnteredInError<Consent>(x.Patient.Consents.All[0].Id, "unsigned", Build.Nurse, x.Clock);

        var f = Rule(Screen(x), "consent");

        AssertRule(f, FindingLevel.Warning, new Source("clinical-reference: Regulatory status (ketalar-label)", "Ketalar FDA approval 1970, anaesthetic only", Certainty.Primary), "No valid informed consent for off-label use");
    }

    [Theory]
    [InlineData("2025-06-15", "2026-06-14", 11)]
    [InlineData("2025-06-15", "2026-06-15", 12)]
    [InlineData("2026-01-31", "2026-02-28", 1)] // the month's last day completes it
    [InlineData("2026-01-31", "2026-02-27", 0)]
    [InlineData("2026-06-01", "2026-06-01", 0)]
    [InlineData("2026-06-20", "2026-06-01", 0)]
    [InlineData("2026-08-01", "2026-06-01", 0)] // onset after the date: never negative
    [InlineData("2024-12-31", "2025-01-30", 0)] // across a year end
    [InlineData("2024-12-31", "2025-01-31", 1)]
    public void WholeMonths_Boundaries(string onset, string asOf, int months) => Assert.Equal(months, EligibilityRules.WholeMonths(D(onset), D(asOf)));

    [Fact]
    public void Run_RecordsWhoWhatAndPassesProtocolAndSettings()
    {
        var x = Eligible();
        var settings = EligibilitySettings.Default with { FrequentIntervalDays = 7 };

        var a = EligibilityAssessment.Run(x.Patient.Snapshot(), x.Condition, Build.Physician, x.Clock, ProtocolLibrary.ClinicIntramuscular, settings);

        Assert.Equal((x.Patient.Id, x.Condition, Build.Physician), (a.PatientId, a.ConditionId, a.RecordedBy));
        Assert.Equal([RequiredTest.LiverFunctionTests], a.Evaluation.RequiredTests);
        Assert.Throws<ArgumentNullException>(() => EligibilityAssessment.Run(null!, x.Condition, Build.Physician, x.Clock));
        Assert.Throws<ArgumentNullException>(() => EligibilityAssessment.Run(x.Patient.Snapshot(), x.Condition, Build.Physician, null!));
    }

    private static EligibilityAssessment NeedsReview((Patient Patient, EntryId Condition, TestClock Clock) x)
    {
        x.Patient.Record(new ContraindicationFinding(FindingKind.RaisedIntraocularPressure, Severity.Mild, true), Build.Physician, x.Clock);
        return EligibilityAssessment.Run(x.Patient.Snapshot(), x.Condition, Build.Physician, x.Clock);
    }

    [Fact]
    public void IsCurrent_OtherRuleSet_RefusedNamingBoth()
    {
        var x = Eligible();
        var a = EligibilityAssessment.Run(x.Patient.Snapshot(), x.Condition, Build.Physician, x.Clock);

        var r = a.IsCurrent(x.Clock.Today, "eligibility-2027.1", 90);
        Assert.Equal("eligibility: assessed with rule set eligibility-2026.1; eligibility-2027.1 is in force; screen again.", r.Error);
        Assert.Equal("eligibility.rule-set-changed(assessed=eligibility-2026.1, current=eligibility-2027.1)", r.Findings.Single().ToString());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(31)]
    public void IsCurrent_BeforeTheAssessmentOrTooOld_RefusedNamingDateAndValidity(int daysLater)
    {
        var x = Eligible();
        var a = EligibilityAssessment.Run(x.Patient.Snapshot(), x.Condition, Build.Physician, x.Clock);

        var r = a.IsCurrent(x.Clock.Today.AddDays(daysLater), "eligibility-2026.1", 30);
        Assert.Equal("eligibility: assessed on 2026-06-01; valid for 30 days; screen again.", r.Error);
        Assert.Equal("eligibility.expired(assessed=2026-06-01, days=30)", r.Findings.Single().ToString());
    }

    [Fact]
    public void IsCurrent_NeedsReview_RefusedUntilAnApprovingReviewOfThisAssessment()
    {
        var x = Eligible();
        var a = NeedsReview(x);
        var other = NeedsReview(x);
        var version = EligibilitySettings.Default.Version;

        Assert.Equal("eligibility: needs a physician review that approves treatment.", a.IsCurrent(x.Clock.Today, version, 90).Error);
        Assert.Equal(FindingCodes.EligibilityReviewNeeded, a.IsCurrent(x.Clock.Today, version, 90).Findings.Single().Code);
        var approvesOther = PhysicianReview.Create(other, true, "reviewed", Build.Physician, x.Clock).Value;
        Assert.False(a.IsCurrent(x.Clock.Today, version, 90, approvesOther).IsSuccess);
        Assert.True(other.IsCurrent(x.Clock.Today, version, 90, approvesOther).IsSuccess);
    }

    [Fact]
    public void IsCurrent_NotEligible_RefusedSayingSo()
    {
        var x = Eligible();
        x.Patient.Record(new ContraindicationFinding(FindingKind.KetamineHypersensitivity, Severity.Mild, true), Build.Physician, x.Clock);
        var a = EligibilityAssessment.Run(x.Patient.Snapshot(), x.Condition, Build.Physician, x.Clock);

        Assert.Equal("eligibility: the patient is not eligible.", a.IsCurrent(x.Clock.Today, EligibilitySettings.Default.Version, 90).Error);
        Assert.Equal(FindingCodes.EligibilityNotEligible, a.IsCurrent(x.Clock.Today, EligibilitySettings.Default.Version, 90).Findings.Single().Code);
    }

    [Fact]
    public void Review_Approved_RecordsTrimmedReasonPhysicianAndTime()
    {
        var x = Eligible();
        var a = NeedsReview(x);
        x.Clock.Advance(TimeSpan.FromMinutes(5));

        var r = PhysicianReview.Create(a, false, "  IOP not controlled  ", Build.Physician, x.Clock).Value;

        Assert.Equal(new PhysicianReview(a.Id, false, "IOP not controlled", Build.Physician, x.Clock.Now), r);
    }

    [Fact]
    public void Review_OfAnEligibleAssessment_RefusedNamingItsResult()
    {
        var x = Eligible();
        var a = EligibilityAssessment.Run(x.Patient.Snapshot(), x.Condition, Build.Physician, x.Clock);

        var r = PhysicianReview.Create(a, true, "fine", Build.Physician, x.Clock);
        Assert.Equal("review: the assessment's result is Eligible; only NeedsPhysicianReview is reviewed.", r.Error);
        Assert.Equal("review.not-needed(field=review, result=Eligible)", r.Findings.Single().ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Review_WithoutReason_Refused(string reason)
    {
        var x = Eligible();

        var r = PhysicianReview.Create(NeedsReview(x), true, reason, Build.Physician, x.Clock);
        Assert.Equal("reason: a review needs the physician's reasoning.", r.Error);
        Assert.Equal("review.reason-missing(field=reason)", r.Findings.Single().ToString());
    }

    [Fact]
    public void Review_Null_Throws()
    {
        var x = Eligible();
        var a = NeedsReview(x);

        Assert.Throws<ArgumentNullException>(() => PhysicianReview.Create(null!, true, "r", Build.Physician, x.Clock));
        Assert.Throws<ArgumentNullException>(() => PhysicianReview.Create(a, true, "r", Build.Physician, null!));
    }

    [Fact]
    public void Settings_PainDurationSource_IsTheClinicRequirementsUnverified()
    {
        var s = EligibilitySettings.PainDurationSource;

        Assert.Equal(("clinical-reference: Clinic requirements (clinic-requirements)", Certainty.Unverified), (s.Section, s.Certainty));
        Assert.Contains("over 3 months", s.Reference, StringComparison.Ordinal);
    }
}
