// Firely POCOs annotate every element as nullable; the assertions below are what checks their presence.
#nullable disable warnings

using Hl7.Fhir.Model;
using KetaCare.Interop.Fhir;
using Task = System.Threading.Tasks.Task;

namespace KetaCare.Interop.Tests.Fhir;

/// <summary>
/// Every resource KetaCare writes, validated offline by the Firely validator against the R4 base profiles, and the
/// vital-sign observations also against the R4 vital-signs profile and their own (heart rate, blood pressure…).
/// Codes of LOINC, SNOMED CT, UCUM and ICD-10-CM cannot be checked without a terminology server: those binding issues
/// (and only those) are left out by <see cref="FhirValidation.Errors"/>; every other issue of severity error fails.
/// </summary>
public sealed class FhirValidationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EverythingAsync_EveryResource_ValidAgainstItsR4BaseProfile()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (bundle, _) = await FhirExportTests.EverythingAsync(t);

        var errors = bundle.Entry.SelectMany(e => FhirValidation.Errors(e.Resource)).ToList();

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        Assert.Equal(FhirExporter.ExportedTypes.Order(), bundle.Entry.Select(e => e.Resource.TypeName).Distinct().Order());
    }

    [Fact]
    public async Task EverythingAsync_VitalSignObservations_ValidAgainstTheVitalSignsProfileAndTheirOwn()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (bundle, _) = await FhirExportTests.EverythingAsync(t);
        var vitals = FhirExportTests.Resources<Observation>(bundle).Where(o => o.Category.Any(c => c.Coding.Any(x => x.Code == "vital-signs"))).ToList();

        var errors = vitals.SelectMany(o => FhirValidation.Errors(o, FhirCodes.VitalSignsProfile).Concat(FhirValidation.Errors(o, o.Meta.Profile.Single()))).ToList();

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        Assert.Equal(
            ["bodyheight", "bodyweight", "bp", "heartrate", "oxygensat", "resprate"],
            vitals.Select(o => o.Meta.Profile.Single().Split('/')[^1]).Distinct().Order());
    }

    [Fact]
    public async Task EverythingAsync_ImportedVitalSignHistory_ValidAgainstTheVitalSignsProfileAndTheirOwn()
    {
        await using var t = await SeededDatabase.EmptyAsync();
        await using var db = t.Database.Open(SeededDatabase.Reader, SeededDatabase.Clock);
        var importer = new FhirImporter(db, SeededDatabase.Clock);
        var fixtures = Path.Combine(AppContext.BaseDirectory, "Fhir", "Fixtures");
        var first = await importer.ImportAsync(File.ReadAllText(Path.Combine(fixtures, "synthea-transaction.json")), SeededDatabase.Reader, duplicatesConfirmed: false, Ct);
        Assert.True((await importer.ImportAsync(File.ReadAllText(Path.Combine(fixtures, "synthea-update.json")), SeededDatabase.Reader, duplicatesConfirmed: false, Ct)).Updated);
        var bundle = (await new FhirExporter(db, SeededDatabase.Clock).EverythingAsync(first.PatientId!.Value, SeededDatabase.Reader, "https://clinic.example/fhir", Ct)).Value;
        var imported = FhirExportTests.Resources<Observation>(bundle).Where(o => o.Id.EndsWith("-imported", StringComparison.Ordinal)).ToList();
        var vitals = imported.Where(o => o.Category.Any(c => c.Coding.Any(x => x.Code == "vital-signs"))).ToList();

        var errors = imported.SelectMany(o => FhirValidation.Errors(o))
            .Concat(vitals.SelectMany(o => FhirValidation.Errors(o, FhirCodes.VitalSignsProfile).Concat(FhirValidation.Errors(o, o.Meta.Profile.Single())))).ToList();

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        Assert.Equal(8, imported.Count);
        Assert.Equal(["bodytemp", "bp", "heartrate", "oxygensat", "resprate"], vitals.Select(o => o.Meta.Profile.Single().Split('/')[^1]).Distinct().Order());
        Assert.All(imported, o => Assert.Equal("http://hospital.smarthealthit.org", o.Meta.Source));
        Assert.All(imported, o => Assert.Empty(o.Performer));
    }

    [Fact]
    public async Task BundlesAuditEventsAndCapabilityStatement_ValidAgainstTheirR4BaseProfiles()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (everything, id) = await FhirExportTests.EverythingAsync(t);
        await using var db = t.Database.Open(SeededDatabase.Reader, SeededDatabase.Clock);
        var exporter = new FhirExporter(db, SeededDatabase.Clock);
        var observations = (await exporter.SearchAsync(FhirExportTests.Search("Observation", id, ("_count", "3")), SeededDatabase.Reader, "https://clinic.example/fhir", Ct)).Value;
        var administrations = (await exporter.SearchAsync(FhirExportTests.Search("MedicationAdministration", id), SeededDatabase.Reader, "https://clinic.example/fhir", Ct)).Value;
        var audit = (await exporter.SearchAsync(FhirExportTests.Search("AuditEvent", id), SeededDatabase.Reader, "https://clinic.example/fhir", Ct)).Value;
        var statement = FhirExporter.Capabilities("https://clinic.example/fhir", SeededDatabase.Clock.GetUtcNow());

        var errors = FhirValidation.Errors(everything).Concat(FhirValidation.Errors(observations)).Concat(FhirValidation.Errors(administrations)).Concat(FhirValidation.Errors(statement))
            .Concat(FhirValidation.Errors(audit)).Concat(audit.Entry.SelectMany(e => FhirValidation.Errors(e.Resource))).ToList();

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    /// <summary>The validator itself finds what it is trusted to find: a heart rate in kg, a vital sign without its category.</summary>
    [Fact]
    public void Errors_BrokenVitalSigns_Reported()
    {
        var subject = new ResourceReference("Patient/p1");
        var heartRateInKg = new Observation
        {
            Id = "hr",
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept(FhirCodes.ObservationCategory, "vital-signs")],
            Code = new CodeableConcept { Coding = [new Coding(FhirCodes.Loinc, FhirCodes.HeartRate)] },
            Subject = subject,
            Effective = new FhirDateTime(2026, 1, 6),
            Value = new Quantity { Value = 80, Unit = "kg", System = FhirCodes.Ucum, Code = "kg" },
        };
        var noCategory = new Observation
        {
            Id = "w",
            Status = ObservationStatus.Final,
            Code = new CodeableConcept { Coding = [new Coding(FhirCodes.Loinc, FhirCodes.BodyWeight)] },
            Subject = subject,
            Effective = new FhirDateTime(2026, 1, 6),
            Value = new Quantity { Value = 70, Unit = "kg", System = FhirCodes.Ucum, Code = "kg" },
        };

        Assert.NotEmpty(FhirValidation.Errors(heartRateInKg, "http://hl7.org/fhir/StructureDefinition/heartrate"));
        Assert.NotEmpty(FhirValidation.Errors(noCategory, FhirCodes.VitalSignsProfile));
        Assert.NotEmpty(FhirValidation.Errors(new Hl7.Fhir.Model.Condition { Id = "c" }));
    }
}
