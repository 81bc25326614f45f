using KetaCare.Clinic;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Fhir;
using KetaCare.Pharmacology.Models;
using static KetaCare.Interop.Fhir.FhirImportAction;
using static KetaCare.Interop.Fhir.FhirImportReason;

namespace KetaCare.Interop.Tests.Fhir;

/// <summary>
/// A hospital sends the same patient again: the bundle's record-number identifier (system and value) names the chart
/// imported from it before, so the plan is an update of that chart, adds only what it does not hold, and keeps vital
/// signs as history. The second fixture is a Synthea-shaped transaction of a later visit of the first fixture's patient.
/// </summary>
public sealed class FhirImportUpdateTests
{
    private static readonly UserId Importer = new(Guid.Parse("00000000-0000-0000-0000-0000000000f4"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fhir", "Fixtures", name));

    private static string Synthea => Fixture("synthea-transaction.json");

    private static string LaterVisit => Fixture("synthea-update.json");

    /// <summary>Index, action and reason of every entry of the update fixture once the first bundle is on the chart, read off the fixture by hand.</summary>
    private static readonly (int, FhirImportAction, FhirImportReason)[] UpdatePlan =
    [
        (0, Update, None),
        (1, Skip, EncounterContext),
        (2, Skip, AlreadyOnChart),       // CRPS I right arm, sent again
        (3, Import, None),               // central pain, SNOMED CT only → G89.0
        (4, Import, None),               // CRPS I right lower limb, SNOMED CT only → G90.521
        (5, Skip, NoIcd10Coding),        // post-herpetic neuralgia: SNOMED CT code not mapped
        (6, Import, None),               // blood pressure 142/91
        (7, Skip, AlreadyOnChart),       // the first bundle's blood pressure
        (8, Import, None),               // heart rate
        (9, Import, None),               // respiratory rate
        (10, Import, None),              // SpO2
        (11, Import, None),              // temperature
        (12, Import, None),              // pain score
        (13, Skip, VitalSignNotStored),  // a systolic alone
        (14, Import, None),              // bilirubin in µmol/L
        (15, Import, None),              // ALT
        (16, Skip, AlreadyOnChart),      // the first bundle's weight …
        (17, Skip, AlreadyOnChart),      // … and height
        (18, Import, None),              // a new weight
        (19, Skip, AlreadyOnChart),      // the peanut allergy again
    ];

    [Fact]
    public async Task PreviewAsync_LaterVisitOfAnImportedPatient_UpdateOfThatChartEveryEntryStatedNothingStored()
    {
        await using var t = await SeededDatabase.EmptyAsync();
        var first = await ImportAsync(t, Synthea);
        var before = await t.StateAsync();
        await using var db = t.Database.Open(Importer, SeededDatabase.Clock);

        var preview = await new FhirImporter(db, SeededDatabase.Clock).PreviewAsync(LaterVisit, Ct);

        Assert.Empty(preview.Errors);
        Assert.Empty(preview.Duplicates);
        Assert.True(preview.IsUpdate);
        Assert.Equal((first.PatientId!.Value, "SYN-4417", false), (preview.Match!.PatientId, preview.Match.MedicalRecordNumber, preview.Match.Differs));
        Assert.Contains("identifier http://hospital.smarthealthit.org SYN-4417 is registered to Marta Brandt (SYN-4417)", preview.Entries[0].Detail, StringComparison.Ordinal);
        Assert.Equal(UpdatePlan, preview.Entries.Select(e => (e.EntryIndex, e.Action, e.Reason)));
        Assert.Equal(0, preview.Count(Refuse));
        Assert.Contains("already on the chart of SYN-4417", preview.Entries[2].Detail, StringComparison.Ordinal);
        Assert.Equal("SNOMED CT 426566004 recorded as ICD-10-CM G89.0, the SNOMED CT code kept.", preview.Entries[3].Detail);
        Assert.Equal(before, await t.StateAsync());
    }

    [Fact]
    public async Task ImportAsync_LaterVisit_AddsOnlyTheNewRecordsToTheSameChart()
    {
        await using var t = await SeededDatabase.EmptyAsync();
        var first = await ImportAsync(t, Synthea);
        var patientsBefore = (await t.StateAsync()).Patients;

        var update = await ImportAsync(t, LaterVisit);

        Assert.True(update.Updated);
        Assert.Equal(first.PatientId, update.PatientId);
        Assert.Equal(patientsBefore, (await t.StateAsync()).Patients);
        await using var db = t.Database.Open(Importer, SeededDatabase.Clock);
        var chart = (await new PatientService(db, SeededDatabase.Clock).OpenChartAsync(first.PatientId!.Value, Importer, Ct)).Value;
        Assert.Equal(
            [("G90.511", (string?)null), ("G90.50", "734947007"), ("G89.0", "426566004"), ("G90.521", "293961000119109")],
            chart.Conditions.ActiveValues.Select(c => (c.Code.Code, c.SnomedCode)));
        Assert.Equal(
            [Indication.ComplexRegionalPainSyndrome, Indication.ComplexRegionalPainSyndrome, Indication.MixedNeuropathicPain, Indication.ComplexRegionalPainSyndrome],
            chart.Conditions.ActiveValues.Select(c => IndicationCatalogue.IndicationOf(c)));
        Assert.Equal([new DateOnly(1999, 11, 3), new DateOnly(2026, 2, 20), new DateOnly(2026, 5, 11)], chart.Measurements.ActiveValues.Select(m => m.MeasuredOn).Order());
        Assert.Single(chart.Allergies.ActiveValues);
        // Two blood pressures (February, May), not three; every value as sent, at the moment it was taken, from the hospital.
        Assert.Equal(
            [
                (VitalSignKind.BloodPressure, 128.0, (double?)82.0, new DateTimeOffset(2026, 2, 20, 9, 10, 0, TimeSpan.Zero), "85354-9"),
                (VitalSignKind.HeartRate, 74, null, new DateTimeOffset(2026, 2, 20, 9, 10, 0, TimeSpan.Zero), "8867-4"),
                (VitalSignKind.BloodPressure, 142, 91, new DateTimeOffset(2026, 5, 11, 12, 5, 0, TimeSpan.Zero), "85354-9"),
                (VitalSignKind.HeartRate, 88, null, new DateTimeOffset(2026, 5, 11, 12, 5, 0, TimeSpan.Zero), "8867-4"),
                (VitalSignKind.RespiratoryRate, 16, null, new DateTimeOffset(2026, 5, 11, 12, 5, 0, TimeSpan.Zero), "9279-1"),
                (VitalSignKind.OxygenSaturation, 97, null, new DateTimeOffset(2026, 5, 11, 12, 5, 0, TimeSpan.Zero), "59408-5"),
                (VitalSignKind.BodyTemperature, 37.4, null, new DateTimeOffset(2026, 5, 11, 12, 5, 0, TimeSpan.Zero), "8310-5"),
                (VitalSignKind.PainScore, 6, null, new DateTimeOffset(2026, 5, 11, 12, 10, 0, TimeSpan.Zero), "72514-3"),
            ],
            chart.ImportedVitalSigns.ActiveValues.Select(v => (v.Kind, v.Value, v.Diastolic, v.MeasuredAt, v.Loinc)));
        Assert.All(chart.ImportedVitalSigns.ActiveValues, v => Assert.Equal("http://hospital.smarthealthit.org", v.SourceSystem));
        // 20.5 µmol/L of bilirubin is 1.20 mg/dL (584.67 g/mol).
        var panel = Assert.Single(chart.LiverPanels.ActiveValues);
        Assert.Equal((41.0, 1.1986), (panel.Alt!.Value, Math.Round(panel.TotalBilirubin!.Value, 4)));
        Assert.Equal([new PatientIdentifier("http://hospital.smarthealthit.org", "SYN-4417")], chart.Identifiers);
    }

    [Fact]
    public async Task ImportAsync_SameBundleTwice_SecondAddsNothing()
    {
        await using var t = await SeededDatabase.EmptyAsync();
        var first = await ImportAsync(t, Synthea);
        var chartBefore = await ChartAsync(t, first.PatientId!.Value);
        var patientsBefore = (await t.StateAsync()).Patients;

        var again = await ImportAsync(t, Synthea);

        Assert.True(again.Updated);
        Assert.Equal(first.PatientId, again.PatientId);
        Assert.Equal(Update, again.Preview!.Entries[0].Action);
        // Everything the first import recorded is skipped as already on the chart; the rest keeps its reason.
        Assert.Equal(
            first.Preview!.Entries.Select(e => e.Action == Import ? (Skip, AlreadyOnChart) : e.Action == Update ? (Update, None) : (e.Action, e.Reason)).Skip(1),
            again.Preview.Entries.Skip(1).Select(e => (e.Action, e.Reason)));
        Assert.Equal((0, 0, 0, 0, 0, 0), (again.Conditions, again.Measurements, again.VitalSigns, again.Allergies, again.LiverPanels, again.Medications));
        var chartAfter = await ChartAsync(t, first.PatientId!.Value);
        Assert.Equal(patientsBefore, (await t.StateAsync()).Patients);
        Assert.Equal(chartBefore.Conditions.ActiveValues, chartAfter.Conditions.ActiveValues);
        Assert.Equal(chartBefore.Measurements.ActiveValues, chartAfter.Measurements.ActiveValues);
        Assert.Equal(chartBefore.ImportedVitalSigns.ActiveValues, chartAfter.ImportedVitalSigns.ActiveValues);
        Assert.Equal(chartBefore.Allergies.ActiveValues, chartAfter.Allergies.ActiveValues);
        Assert.Equal(2, chartAfter.ImportedVitalSigns.ActiveValues.Count());
    }

    [Fact]
    public async Task PreviewAsync_IdentifierMatchesButSexDiffers_UpdateWithTheDifferenceNoted()
    {
        await using var t = await SeededDatabase.EmptyAsync();
        await ImportAsync(t, Synthea);
        await using var db = t.Database.Open(Importer, SeededDatabase.Clock);

        var preview = await new FhirImporter(db, SeededDatabase.Clock).PreviewAsync(LaterVisit.Replace("\"gender\": \"female\"", "\"gender\": \"male\"", StringComparison.Ordinal), Ct);

        Assert.True(preview.IsUpdate);
        Assert.Equal((true, false, false), (preview.Match!.SexDiffers, preview.Match.BirthDateDiffers, preview.Match.NameDiffers));
        Assert.Contains("administrative sex: the chart says Female, the bundle Male", preview.Entries[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreviewAsync_SameRecordNumberTypedAtRegistration_NotAnUpdateButRefused()
    {
        // A chart registered here under "SYN-4417" does not carry the hospital's identifier: the same number alone is not
        // the same person, so the bundle neither registers nor updates.
        await using var t = await SeededDatabase.EmptyAsync();
        await using (var setup = t.Database.Open(Importer, SeededDatabase.Clock))
        {
            Assert.True((await new PatientService(setup, SeededDatabase.Clock).RegisterAsync(new Demographics("SYN-4417", "Other", "Person", new DateOnly(1960, 1, 1), Sex.Male), Importer, Ct)).IsSuccess);
        }

        await using var db = t.Database.Open(Importer, SeededDatabase.Clock);
        var preview = await new FhirImporter(db, SeededDatabase.Clock).PreviewAsync(Synthea, Ct);

        Assert.False(preview.IsUpdate);
        Assert.Equal((Refuse, RecordNumberTaken), (preview.Entries[0].Action, preview.Entries[0].Reason));
        Assert.False(preview.CanApply);
    }

    [Fact]
    public async Task PreviewAsync_ResemblingPatientOfTheOtherSex_FlaggedWithTheSexDifferenceNoted()
    {
        await using var t = await SeededDatabase.EmptyAsync();
        await using (var setup = t.Database.Open(Importer, SeededDatabase.Clock))
        {
            Assert.True((await new PatientService(setup, SeededDatabase.Clock).RegisterAsync(new Demographics("LOCAL-7", "Marta", "Brandt", new DateOnly(1975, 9, 14), Sex.Male), Importer, Ct)).IsSuccess);
            Assert.True((await new PatientService(setup, SeededDatabase.Clock).RegisterAsync(new Demographics("LOCAL-8", "Marta", "Brandt", new DateOnly(1975, 9, 14), Sex.Female), Importer, Ct)).IsSuccess);
        }

        await using var db = t.Database.Open(Importer, SeededDatabase.Clock);
        var preview = await new FhirImporter(db, SeededDatabase.Clock).PreviewAsync(Synthea, Ct);

        Assert.True(preview.NeedsDuplicateConfirmation);
        Assert.Equal(
            [("LOCAL-7", (Sex?)Sex.Male, true), ("LOCAL-8", Sex.Female, false)],
            preview.Duplicates.OrderBy(d => d.MedicalRecordNumber).Select(d => (d.MedicalRecordNumber, d.Sex, d.SexDiffers)));
    }

    private static async Task<FhirImportResult> ImportAsync(SeededDatabase t, string json)
    {
        await using var db = t.Database.Open(Importer, SeededDatabase.Clock);
        var result = await new FhirImporter(db, SeededDatabase.Clock).ImportAsync(json, Importer, duplicatesConfirmed: false, Ct);
        Assert.True(result.IsSuccess, string.Join(Environment.NewLine, result.Errors));
        return result;
    }

    private static async Task<Patient> ChartAsync(SeededDatabase t, PatientId id)
    {
        await using var db = t.Database.Open(Importer, SeededDatabase.Clock);
        return (await new PatientService(db, SeededDatabase.Clock).OpenChartAsync(id, Importer, Ct)).Value;
    }
}
