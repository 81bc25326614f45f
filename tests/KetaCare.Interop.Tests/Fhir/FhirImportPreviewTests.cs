using System.Text;
using KetaCare.Clinic;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Fhir;
using KetaCare.Pharmacology.Models;
using static KetaCare.Interop.Fhir.FhirImportAction;
using static KetaCare.Interop.Fhir.FhirImportReason;

namespace KetaCare.Interop.Tests.Fhir;

/// <summary>
/// The import plan of bundles in the shapes other systems send: a Synthea transaction bundle (urn:uuid fullUrls, an old
/// and a maiden name beside the official one, encounters, vital panels, RxNorm medication requests, a claim). The
/// preview states every entry's action, stores nothing, and applying stores exactly what it stated.
/// </summary>
public sealed class FhirImportPreviewTests
{
    private static readonly UserId Importer = new(Guid.Parse("00000000-0000-0000-0000-0000000000f3"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Synthea => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fhir", "Fixtures", "synthea-transaction.json"));

    /// <summary>Index, type, action and reason of every entry of the Synthea fixture, read off the fixture by hand.</summary>
    private static readonly (int, string, FhirImportAction, FhirImportReason)[] SyntheaPlan =
    [
        (0, "Patient", Import, None),
        (1, "Encounter", Skip, EncounterContext),
        (2, "Condition", Import, None),
        (3, "Condition", Skip, NotActive),
        (4, "Condition", Skip, NoIcd10Coding),
        (5, "Observation", Import, None),
        (6, "Observation", Import, None),
        (7, "Observation", Import, None),
        (8, "Observation", Import, None),
        (9, "Observation", Import, None),
        (10, "MedicationRequest", Skip, MedicationNeedsReview),
        (11, "AllergyIntolerance", Import, None),
        (12, "Claim", Skip, TypeNotImported),
        (13, "Condition", Import, None),
    ];

    [Fact]
    public async Task PreviewAsync_SyntheaTransaction_EveryEntryStatedAndNothingStored()
    {
        await using var t = await SeededDatabase.EmptyAsync();
        var before = await t.StateAsync();
        await using var db = t.Database.Open(Importer, SeededDatabase.Clock);

        var preview = await new FhirImporter(db, SeededDatabase.Clock).PreviewAsync(Synthea, Ct);

        Assert.Empty(preview.Errors);
        Assert.True(preview.CanApply);
        Assert.Equal(SyntheaPlan, preview.Entries.Select(e => (e.EntryIndex, e.ResourceType, e.Action, e.Reason)));
        Assert.All(preview.Entries.Where(e => e.Action == Skip), e => Assert.NotEmpty(e.Detail));
        Assert.Equal("SNOMED CT 734947007 recorded as ICD-10-CM G90.50, the SNOMED CT code kept.", preview.Entries[13].Detail);
        Assert.Contains("gabapentin 300 MG Oral Capsule (http://www.nlm.nih.gov/research/umls/rxnorm 310431)", preview.Entries[10].Detail, StringComparison.Ordinal);
        // The current official name, not the old one (period ended 2020) nor the maiden name; sex recorded.
        Assert.Equal(new Demographics("SYN-4417", "Marta", "Brandt", new DateOnly(1975, 9, 14), Sex.Female), preview.Patient);
        Assert.Equal(before, await t.StateAsync());
    }

    [Fact]
    public async Task ImportAsync_SyntheaTransaction_StoresExactlyWhatThePreviewStated()
    {
        await using var t = await SeededDatabase.EmptyAsync();
        await using var db = t.Database.Open(Importer, SeededDatabase.Clock);

        var result = await new FhirImporter(db, SeededDatabase.Clock).ImportAsync(Synthea, Importer, duplicatesConfirmed: false, Ct);

        Assert.True(result.IsSuccess, string.Join(Environment.NewLine, result.Errors));
        var chart = (await new PatientService(db, SeededDatabase.Clock).OpenChartAsync(result.PatientId!.Value, Importer, Ct)).Value;
        Assert.Equal("Brandt", chart.Demographics.FamilyName);
        // The SNOMED CT-only CRPS type I is recorded under its ICD-10-CM equivalent with the SNOMED CT code kept, so
        // screening finds its indication.
        Assert.Equal(
            [("G90.511", "CRPS type I, right arm", new DateOnly(2024, 3, 2), (string?)null), ("G90.50", "Complex regional pain syndrome type I (disorder)", new DateOnly(2025, 1, 15), "734947007")],
            chart.Conditions.ActiveValues.Select(c => (c.Code.Code, c.Description, c.Onset, c.SnomedCode)));
        Assert.All(chart.Conditions.ActiveValues, c => Assert.Equal(KetaCare.Clinic.Eligibility.Indication.ComplexRegionalPainSyndrome, KetaCare.Clinic.Eligibility.IndicationCatalogue.IndicationOf(c)));
        Assert.Equal(
            [(new DateOnly(1999, 11, 3), 59.1, (double?)null), (new DateOnly(2026, 2, 20), 68.4, 166.5)],
            chart.Measurements.ActiveValues.OrderBy(m => m.MeasuredOn).Select(m => (m.MeasuredOn, Math.Round(m.Weight.Kilograms, 6), m.HeightCm)));
        // Both weights are another system's history: neither doses a session, not even the recent one.
        Assert.All(chart.Measurements.ActiveValues, m => Assert.True(m.Imported));
        Assert.False(chart.Snapshot().MeasurementOn(new DateOnly(2026, 3, 1)).IsSuccess);
        var allergy = Assert.Single(chart.Allergies.ActiveValues);
        Assert.Equal(("Allergy to peanuts", AllergyCategory.Food), (allergy.Substance.Display, allergy.Category));
        Assert.Empty(chart.Medications.ActiveValues);
        Assert.Empty(chart.PriorTreatments.ActiveValues);
        Assert.Equal(SyntheaPlan.Count(p => p.Item3 == Skip), result.Skipped.Count);
    }

    [Fact]
    public async Task ImportAsync_OwnExportOfAnImportedChart_SnomedCodesAndHistoryWeightsSurviveTheRoundTrip()
    {
        await using var first = await SeededDatabase.EmptyAsync();
        await using var second = await SeededDatabase.EmptyAsync();
        await using var db1 = first.Database.Open(Importer, SeededDatabase.Clock);
        var imported = await new FhirImporter(db1, SeededDatabase.Clock).ImportAsync(Synthea, Importer, duplicatesConfirmed: false, Ct);
        var bundle = (await new FhirExporter(db1, SeededDatabase.Clock).EverythingAsync(imported.PatientId!.Value, Importer, "https://clinic.example/fhir", Ct)).Value;
        var original = (await new PatientService(db1, SeededDatabase.Clock).OpenChartAsync(imported.PatientId!.Value, Importer, Ct)).Value;

        await using var db2 = second.Database.Open(Importer, SeededDatabase.Clock);
        var again = await new FhirImporter(db2, SeededDatabase.Clock).ImportAsync(FhirJson.Serialize(bundle), Importer, duplicatesConfirmed: false, Ct);

        Assert.True(again.IsSuccess, string.Join(Environment.NewLine, again.Errors));
        Assert.DoesNotContain(again.Preview!.Entries, e => e.Action == Refuse);
        var copy = (await new PatientService(db2, SeededDatabase.Clock).OpenChartAsync(again.PatientId!.Value, Importer, Ct)).Value;
        Assert.Equal(original.Demographics, copy.Demographics);
        Assert.Equal(original.Conditions.ActiveValues, copy.Conditions.ActiveValues);
        Assert.Equal(
            original.Measurements.ActiveValues.Select(m => (m.MeasuredOn, Math.Round(m.Weight.Kilograms, 9), m.HeightCm, m.Imported)),
            copy.Measurements.ActiveValues.Select(m => (m.MeasuredOn, Math.Round(m.Weight.Kilograms, 9), m.HeightCm, m.Imported)));
        Assert.Equal(original.Allergies.ActiveValues.Select(a => (a.Substance.Display, a.Category)), copy.Allergies.ActiveValues.Select(a => (a.Substance.Display, a.Category)));
        // The hospital's blood pressure and heart rate stay imported history with their moment, code and source.
        Assert.Equal(2, copy.ImportedVitalSigns.ActiveValues.Count());
        Assert.Equal(original.ImportedVitalSigns.ActiveValues, copy.ImportedVitalSigns.ActiveValues);
    }

    [Fact]
    public async Task ImportAsync_UsCoreCollection_CurrentNameBothCodingsKeptWeightAsHistoryVitalsAndMedicationForReview()
    {
        await using var t = await SeededDatabase.EmptyAsync();
        await using var db = t.Database.Open(Importer, SeededDatabase.Clock);
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fhir", "Fixtures", "us-core-collection.json"));

        var result = await new FhirImporter(db, SeededDatabase.Clock).ImportAsync(json, Importer, duplicatesConfirmed: false, Ct);

        Assert.True(result.IsSuccess, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(
            [(0, Import, None), (1, Import, None), (2, Import, None), (3, Import, None), (4, Import, None), (5, Import, None), (6, Import, None), (7, Skip, EnteredInError), (8, Skip, MedicationNeedsReview)],
            result.Preview!.Entries.Select(e => (e.EntryIndex, e.Action, e.Reason)));
        // A current medication without KetaCare's interaction classes is named for the clinician, not guessed nor refused.
        Assert.Contains("gabapentin 300 MG Oral Capsule (http://www.nlm.nih.gov/research/umls/rxnorm 310431)", result.Preview.Entries[8].Detail, StringComparison.Ordinal);
        var chart = (await new PatientService(db, SeededDatabase.Clock).OpenChartAsync(result.PatientId!.Value, Importer, Ct)).Value;
        Assert.Empty(chart.Medications.ActiveValues);
        // The name without a use whose period is open, not the old one that ended in 2020.
        Assert.Equal(new Demographics("USC-1032702", "Amy", "Baxter", new DateOnly(1987, 2, 20), Sex.Female), chart.Demographics);
        var condition = Assert.Single(chart.Conditions.ActiveValues);
        Assert.Equal(("M79.7", "203082005", "Fibromyalgia"), (condition.Code.Code, condition.SnomedCode, condition.Description));
        // 185 lb on 1999-07-02 (the pound is exactly 0.45359237 kg): history, never today's dosing weight.
        var weight = Assert.Single(chart.Measurements.ActiveValues);
        Assert.Equal((new DateOnly(1999, 7, 2), true), (weight.MeasuredOn, weight.Imported));
        Assert.Equal(185 * 0.45359237, weight.Weight.Kilograms, 9);
        Assert.False(chart.Snapshot().MeasurementOn(new DateOnly(2026, 3, 1)).IsSuccess);
    }

    [Fact]
    public async Task ImportAsync_SamePersonUnderAnotherRecordNumber_FlaggedAndStoredOnlyWhenConfirmed()
    {
        await using var t = await SeededDatabase.EmptyAsync();
        await using (var setup = t.Database.Open(Importer, SeededDatabase.Clock))
        {
            Assert.True((await new PatientService(setup, SeededDatabase.Clock).RegisterAsync(new Demographics("LOCAL-9", "Marta", "Brandt", new DateOnly(1975, 9, 14), Sex.Female), Importer, Ct)).IsSuccess);
        }

        var before = await t.StateAsync();
        await using var db = t.Database.Open(Importer, SeededDatabase.Clock);
        var importer = new FhirImporter(db, SeededDatabase.Clock);

        var preview = await importer.PreviewAsync(Synthea, Ct);
        var unconfirmed = await importer.ImportAsync(Synthea, Importer, duplicatesConfirmed: false, Ct);
        var afterUnconfirmed = await t.StateAsync();
        var confirmed = await importer.ImportAsync(Synthea, Importer, duplicatesConfirmed: true, Ct);

        Assert.True(preview.NeedsDuplicateConfirmation);
        Assert.Equal("LOCAL-9", Assert.Single(preview.Duplicates).MedicalRecordNumber);
        Assert.False(unconfirmed.IsSuccess);
        Assert.True(unconfirmed.NeedsDuplicateConfirmation);
        Assert.Equal(before, afterUnconfirmed);
        Assert.True(confirmed.IsSuccess, string.Join(Environment.NewLine, confirmed.Errors));
        Assert.Equal(before.Patients + 1, (await t.StateAsync()).Patients);
    }

    [Fact]
    public async Task PreviewAsync_RecordNumberAlreadyRegistered_PatientEntryRefusedAndApplyStoresNothing()
    {
        await using var t = await SeededDatabase.EmptyAsync();
        await using (var setup = t.Database.Open(Importer, SeededDatabase.Clock))
        {
            Assert.True((await new PatientService(setup, SeededDatabase.Clock).RegisterAsync(new Demographics("SYN-4417", "Jon", "Other", new DateOnly(1960, 1, 1), Sex.Male), Importer, Ct)).IsSuccess);
        }

        var before = await t.StateAsync();
        await using var db = t.Database.Open(Importer, SeededDatabase.Clock);
        var importer = new FhirImporter(db, SeededDatabase.Clock);

        var preview = await importer.PreviewAsync(Synthea, Ct);
        var applied = await importer.ImportAsync(Synthea, Importer, duplicatesConfirmed: true, Ct);

        Assert.False(preview.CanApply);
        Assert.Equal((0, Refuse, RecordNumberTaken), preview.Entries.Select(e => (e.EntryIndex, e.Action, e.Reason)).Single(e => e.Action == Refuse));
        Assert.False(applied.IsSuccess);
        Assert.Equal(before, await t.StateAsync());
    }

    [Theory]
    [InlineData("{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [ {\"resource\": {\"resourceType\": \"Patient\", \"birthDate\": \"not a date\"}} ]}", Malformed)]
    [InlineData("{\"resourceType\": \"Patient\", \"birthDate\": \"1980-01-01\"}", NotImportableBundle)]
    [InlineData("{\"resourceType\": \"Bundle\", \"type\": \"document\"}", NotImportableBundle)]
    [InlineData("{\"resourceType\": \"Bundle\", \"type\": \"collection\"}", PatientCount)]
    [InlineData("{ this is not json", Malformed)]
    public async Task PreviewAsync_UnusableBundle_RefusedWithItsReasonAndApplyStoresNothing(string json, FhirImportReason reason)
    {
        await using var t = await SeededDatabase.EmptyAsync();
        var before = await t.StateAsync();
        await using var db = t.Database.Open(Importer, SeededDatabase.Clock);
        var importer = new FhirImporter(db, SeededDatabase.Clock);

        var preview = await importer.PreviewAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), Ct);
        var applied = await importer.ImportAsync(json, Importer, duplicatesConfirmed: true, Ct);

        Assert.False(preview.CanApply);
        Assert.Contains(preview.Errors, e => e.Reason == reason);
        Assert.False(applied.IsSuccess);
        Assert.Equal(before, await t.StateAsync());
    }
}
