using KetaCare.Clinic;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Titration;
using KetaCare.Interop.Text;
using KetaCare.Web.Pages.Patients;

namespace KetaCare.Web.Tests.Patients;

/// <summary>The words the patient pages build from enum values and band keys (not literal T["…"] uses) are translated too.</summary>
public sealed class PatientTextsTests
{
    [Fact]
    public void EnumWordsAndBandNames_ShownOnThePatientPages_HaveATurkishTranslation()
    {
        var shown = new[]
        {
            typeof(EntryStatus), typeof(KetaCare.Pharmacology.Models.Sex), typeof(TreatmentClass), typeof(TreatmentOutcome), typeof(InteractionClass),
            typeof(FindingKind), typeof(Severity), typeof(AllergyCategory), typeof(AllergyType), typeof(AllergyCriticality), typeof(AllergyClinicalStatus), typeof(AllergyVerification), typeof(ReactionSeverity), typeof(PregnancyState), typeof(ConsentKind), typeof(EligibilityResult), typeof(FindingLevel),
            typeof(RequiredTest), typeof(PlanStatus), typeof(SessionState), typeof(TitrationAction),
        };
        var translated = TurkishTexts.Keys;
        var words = shown.SelectMany(t => Enum.GetValues(t).Cast<Enum>()).Where(e => !(e is InteractionClass i && i == InteractionClass.None)).Select(SessionLabels.Words)
            .Concat(ConcentrationBands.All.Select(b => b.Key))
            .Concat(OutcomesModel.InterferenceItems);
        var missing = words.Where(w => !translated.Contains(w)).Distinct().ToList();
        Assert.True(missing.Count == 0, "no Turkish text for: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData(TreatmentOutcome.NotTolerated, "Not tolerated")]
    [InlineData(EligibilityResult.NeedsPhysicianReview, "Needs physician review")]
    [InlineData(InteractionClass.Cyp3A4Inhibitor, "CYP3A4 inhibitor")]
    [InlineData(PregnancyState.NotOfChildbearingPotential, "Not of childbearing potential")]
    public void Words_EnumValue_ReadsAsWords(object value, string expected) => Assert.Equal(expected, SessionLabels.Words((Enum)value));
}
