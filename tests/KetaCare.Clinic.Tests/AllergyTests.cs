using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Sessions;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// Allergies on the chart: a ketamine or excipient allergy excludes at screening and stops the pre-assessment even
/// after an eligible screening; "no known allergies" is a dated statement that cannot stand beside an allergy; what
/// the chart says (not recorded, none known, allergies) follows the entries' status.
/// </summary>
public class AllergyTests
{
    private static AllergyIntolerance Allergy(AllergySubstance substance, AllergyClinicalStatus status = AllergyClinicalStatus.Active, AllergyVerification verification = AllergyVerification.Confirmed) =>
        new(substance, AllergyCategory.Medication, AllergyType.Allergy, AllergyCriticality.High, status, verification, "urticaria", ReactionSeverity.Moderate, new DateOnly(2020, 3, 1), Build.Physician);

    private static (Patient Patient, EntryId Condition, TestClock Clock) Eligible()
    {
        var clock = Build.Clock();
        var (p, c) = Build.EligiblePatient(clock);
        return (p, c, clock);
    }

    private static EligibilityEvaluation Screen((Patient Patient, EntryId Condition, TestClock Clock) x) =>
        EligibilityRules.Evaluate(x.Patient.Snapshot(), x.Condition, x.Clock.Today);

    public static TheoryData<string, string?> KetamineProducts => new()
    {
        { "ketamine", "ketamine" },
        { "esketamine", "esketamine" },
        { "benzethonium chloride", "benzethonium-chloride" },
        { "Ketamin (Turkish, typed)", null },
        { "KETALAR vial", null },
        { "Benzethonium", null },
    };

    [Theory]
    [MemberData(nameof(KetamineProducts))]
    public void Screening_AllergyToKetamineOrAnExcipient_ExcludesCitingTheLabel(string display, string? catalogueId)
    {
        var x = Eligible();
        x.Patient.Record(Allergy(new AllergySubstance(display, catalogueId)), Build.Nurse, x.Clock);

        var e = Screen(x);

        var f = Assert.Single(e.Findings, f => f.RuleId == "allergy-ketamine");
        Assert.Equal((FindingLevel.Exclude, Source.KetaminePreparationAllergy), (f.Level, f.Source));
        Assert.Equal(EligibilityResult.NotEligible, e.Result);
    }

    [Theory]
    [InlineData(AllergyClinicalStatus.Active, AllergyVerification.Unconfirmed, true)] // a report counts until refuted
    [InlineData(AllergyClinicalStatus.Active, AllergyVerification.Refuted, false)]
    [InlineData(AllergyClinicalStatus.Inactive, AllergyVerification.Confirmed, false)]
    [InlineData(AllergyClinicalStatus.Resolved, AllergyVerification.Confirmed, false)]
    public void Screening_KetamineAllergy_CountsWhileActiveAndNotRefuted(AllergyClinicalStatus status, AllergyVerification verification, bool excludes)
    {
        var x = Eligible();
        x.Patient.Record(Allergy(AllergySubstance.Ketamine, status, verification), Build.Nurse, x.Clock);

        var e = Screen(x);

        Assert.Equal(excludes, e.Findings.Any(f => f.RuleId == "allergy-ketamine"));
        Assert.Equal(excludes ? EligibilityResult.NotEligible : EligibilityResult.Eligible, e.Result);
    }

    [Fact]
    public void Screening_AllergyToAnotherDrug_NoExclusionButTheChartSaysAllergies()
    {
        var x = Eligible();
        x.Patient.Record(Allergy(AllergySubstance.Midazolam), Build.Nurse, x.Clock);

        var e = Screen(x);

        Assert.DoesNotContain(e.Findings, f => f.RuleId is "allergy-ketamine" or "allergy-status");
        Assert.Equal(EligibilityResult.Eligible, e.Result);
        Assert.Equal(AllergyState.Allergies, x.Patient.Snapshot().AllergyState);
        Assert.Null(x.Patient.Snapshot().KetamineAllergy);
    }

    [Fact]
    public void Screening_NothingRecorded_WarnsUntilAllergiesOrNoneKnownAreRecorded()
    {
        var clock = Build.Clock();
        var (p, c) = Build.EligiblePatient(clock);
        var statement = Assert.Single(p.AllergyStatements.Active);
        Assert.True(p.MarkEnteredInError<NoKnownAllergies>(statement.Id, "asked the wrong patient", Build.Nurse, clock).IsSuccess);

        var e = EligibilityRules.Evaluate(p.Snapshot(), c, clock.Today);

        var f = Assert.Single(e.Findings, f => f.RuleId == "allergy-status");
        Assert.Equal((FindingLevel.Warning, EligibilitySettings.AllergyStatusSource), (f.Level, f.Source));
        Assert.Equal(EligibilityResult.Eligible, e.Result); // a warning, not a block
        Assert.Equal(AllergyState.NotRecorded, p.Snapshot().AllergyState);
    }

    [Fact]
    public void NoKnownAllergies_BesideAnAllergyThatApplies_Refused_AfterItIsRefuted_Accepted()
    {
        var clock = Build.Clock();
        var p = Patient.Register(new Demographics("MRN-A", "Ece", "Kaya", new DateOnly(1980, 5, 1), Pharmacology.Models.Sex.Female), Build.Nurse, clock);
        var allergy = p.Record(Allergy(AllergySubstance.Latex), Build.Nurse, clock);
        var none = new NoKnownAllergies(clock.Today);

        var refused = p.Check(none, clock);

        Assert.False(refused.IsSuccess);
        Assert.StartsWith("noKnownAllergies: the chart has an allergy to latex", refused.Error, StringComparison.Ordinal);
        Assert.True(p.Amend(allergy.Id, Allergy(AllergySubstance.Latex, verification: AllergyVerification.Refuted), "skin test negative", Build.Physician, clock).IsSuccess);
        Assert.True(p.Check(none, clock).IsSuccess);
        p.Record(none, Build.Nurse, clock);
        Assert.Equal(AllergyState.NoKnownAllergies, p.Snapshot().AllergyState);
        Assert.Equal(none, p.Snapshot().NoKnownAllergies);
    }

    [Theory]
    [InlineData(AllergyVerification.Unconfirmed, false)]
    [InlineData(AllergyVerification.Confirmed, true)]
    [InlineData(AllergyVerification.Refuted, true)]
    public void Recorded_ConfirmedOrRefuted_NamesWhoRecordedItAsVerifier(AllergyVerification verification, bool verified)
    {
        var a = AllergyIntolerance.Recorded(AllergySubstance.Latex, AllergySubstance.Latex.DefaultCategory, AllergyType.Allergy, AllergyCriticality.Low, AllergyClinicalStatus.Active, verification, null, null, null, Build.Nurse);

        Assert.Equal(verified ? Build.Nurse : null, a.VerifiedBy);
        Assert.Equal(AllergyCategory.Environment, a.Category);
        Assert.Equal(AllergyCategory.Medication, AllergySubstance.Midazolam.DefaultCategory);
        Assert.Equal(AllergyCategory.Medication, new AllergySubstance("penicillin").DefaultCategory);
    }

    [Fact]
    public void AllergyEntry_TextAndDates_CheckedLikeEveryChartEntry()
    {
        var clock = Build.Clock();
        var p = Patient.Register(new Demographics("MRN-B", "Can", "Ay", new DateOnly(1980, 5, 1), Pharmacology.Models.Sex.Male), Build.Nurse, clock);

        Assert.StartsWith("substance: required", p.Check(Allergy(new AllergySubstance("  ")), clock).Error, StringComparison.Ordinal);
        Assert.StartsWith("reaction: 201 characters", p.Check(Allergy(AllergySubstance.Latex) with { Reaction = new string('x', 201) }, clock).Error, StringComparison.Ordinal);
        Assert.StartsWith("onset:", p.Check(Allergy(AllergySubstance.Latex) with { Onset = new DateOnly(1979, 1, 1) }, clock).Error, StringComparison.Ordinal);
        Assert.StartsWith("statedOn:", p.Check(new NoKnownAllergies(clock.Today.AddDays(5)), clock).Error, StringComparison.Ordinal);
        Assert.True(p.Check(Allergy(AllergySubstance.Latex), clock).IsSuccess);
    }

    [Fact]
    public void PreAssessment_KetamineAllergyRecordedAfterAnEligibleScreening_HardStop()
    {
        var f = new SessionFixture();
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        f.FreshVitals();
        f.Patient.Record(Allergy(AllergySubstance.BenzethoniumChloride, verification: AllergyVerification.Unconfirmed), Build.Nurse, f.Clock);

        var r = f.Session.CompletePreAssessment(new PreAssessmentInput(f.Patient.Snapshot(), f.Assessment, null, Build.Checklist(f.Clock.Now, PregnancyCheck.NegativeTestToday)), f.Settings, Build.Nurse, f.Clock);

        Assert.Equal([Finding.Of(FindingCodes.PreKetamineAllergy, FindingSeverity.HardStop, Source.KetaminePreparationAllergy, FindingArg.Of("substance", "benzethonium chloride"))], r.Findings);
        Assert.Equal(SessionState.PreAssessment, f.Session.State);
    }

    [Fact]
    public void PreAssessment_AllergyToAnotherDrug_Passes()
    {
        var f = new SessionFixture();
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        f.FreshVitals();
        f.Patient.Record(Allergy(AllergySubstance.Ondansetron), Build.Nurse, f.Clock);

        var r = f.Session.CompletePreAssessment(new PreAssessmentInput(f.Patient.Snapshot(), f.Assessment, null, Build.Checklist(f.Clock.Now, PregnancyCheck.NegativeTestToday)), f.Settings, Build.Nurse, f.Clock);

        Assert.True(r.IsSuccess, r.Error);
    }

    [Fact]
    public void StoredChart_AllergiesAndStatement_RoundTripWithEveryField()
    {
        var clock = Build.Clock();
        var p = Patient.Register(new Demographics("MRN-C", "Deniz", "Su", new DateOnly(1975, 2, 2), Pharmacology.Models.Sex.Male), Build.Nurse, clock);
        var allergy = Allergy(AllergySubstance.Ketamine, verification: AllergyVerification.Unconfirmed) with { Type = AllergyType.Intolerance, Criticality = AllergyCriticality.UnableToAssess };
        p.Record(allergy, Build.Nurse, clock);
        p.Record(new NoKnownAllergies(clock.Today.AddDays(-400)), Build.Nurse, clock); // an older statement stays history

        var loaded = StateJson.Deserialize<Patient>(StateJson.Serialize(p));

        Assert.Equal(allergy, Assert.Single(loaded.Allergies.ActiveValues));
        Assert.Equal(AllergyState.Allergies, loaded.Snapshot().AllergyState);
        Assert.Equal(allergy, loaded.Snapshot().KetamineAllergy);
    }

    [Fact]
    public void ChartRefusals_AreCoded_WithTheirFieldAndArgumentsTyped_TheEnglishTextUnchanged()
    {
        var clock = Build.Clock();
        var p = Patient.Register(new Demographics("MRN-C", "Ece", "Kaya", new DateOnly(1980, 5, 1), Pharmacology.Models.Sex.Female), Build.Nurse, clock);
        var allergy = p.Record(Allergy(AllergySubstance.Latex), Build.Nurse, clock);
        var unknown = EntryId.New();

        var contradicts = p.Check(new NoKnownAllergies(clock.Today), clock).Refusal.Findings.Single();
        Assert.Equal(FindingCodes.PatientAllergyContradictsNoKnownAllergies, contradicts.Code);
        Assert.Equal(["field=noKnownAllergies", "substance=latex"], contradicts.Args.Select(a => a.Name + "=" + a.Invariant()));

        var amend = p.Amend(allergy.Id, Allergy(AllergySubstance.Latex), " ", Build.Physician, clock).Refusal;
        Assert.Equal("reason: an amendment needs a reason.", amend.Error);
        Assert.Equal(FindingCodes.ChartAmendReasonMissing, amend.Findings.Single().Code);

        var error = p.MarkEnteredInError<AllergyIntolerance>(allergy.Id, "", Build.Physician, clock).Refusal;
        Assert.Equal("reason: marking an entry entered-in-error needs a reason.", error.Error);
        Assert.Equal(FindingCodes.ChartEnteredInErrorReasonMissing, error.Findings.Single().Code);

        var missing = p.MarkEnteredInError<AllergyIntolerance>(unknown, "duplicate", Build.Physician, clock).Refusal;
        Assert.Equal($"entry {unknown}: no active entry with this id.", missing.Error);
        Assert.Equal(FindingCodes.ChartEntryNotActive, missing.Findings.Single().Code);
        Assert.Equal(["field=entry", "id=" + unknown], missing.Findings.Single().Args.Select(a => a.Name + "=" + a.Invariant()));

        var correction = p.CorrectDemographics(new Demographics("MRN-C", "Ece", "Kara", new DateOnly(1980, 5, 1), Pharmacology.Models.Sex.Female), " ", Build.Physician, clock).Refusal;
        Assert.Equal("reason: a correction needs a reason.", correction.Error);
        Assert.Equal(["field=reason"], correction.Findings.Single().Args.Select(a => a.Name + "=" + a.Invariant()));
        Assert.Equal(FindingCodes.PatientCorrectionReasonMissing, correction.Findings.Single().Code);
    }
}
