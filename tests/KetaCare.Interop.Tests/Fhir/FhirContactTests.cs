// Firely POCOs annotate every element as nullable; the assertions below are what checks their presence.
#nullable disable warnings

using Hl7.Fhir.Model;
using KetaCare.Clinic;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Fhir;
using Task = System.Threading.Tasks.Task;

namespace KetaCare.Interop.Tests.Fhir;

/// <summary>The chart's contact details in FHIR: Patient.telecom and Patient.communication out, and read back in when a bundle carries them.</summary>
public sealed class FhirContactTests
{
    private static readonly UserId Importer = new(Guid.Parse("00000000-0000-0000-0000-0000000000f3"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void ToPatient_ChartWithContact_TelecomEmailHomeAndPhoneMobileAndPreferredLanguageInBcp47()
    {
        var patient = Clinic.Patients.Patient.Register(new Demographics("MRN-C1", "Ayşe", "Yılmaz", new DateOnly(1980, 4, 2), null), Importer, SeededDatabase.Clock);
        Assert.True(patient.ChangeContact(new ContactInput("ayse@example.org", "+90 532 123 45 67", "tr", true, false), null, Importer, SeededDatabase.Clock).IsSuccess);

        var fhir = FhirMapper.ToPatient(patient);

        Assert.Equal(
            [(ContactPoint.ContactPointSystem.Email, ContactPoint.ContactPointUse.Home, "ayse@example.org"), (ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, "+905321234567")],
            fhir.Telecom.Select(t => (t.System, t.Use, t.Value)));
        var language = Assert.Single(fhir.Communication);
        Assert.True(language.Preferred);
        Assert.Equal(("urn:ietf:bcp:47", "tr"), (language.Language.Coding.Single().System, language.Language.Coding.Single().Code));
    }

    [Fact]
    public void ToPatient_ChartWithoutContact_NoTelecomNorCommunication()
    {
        var patient = Clinic.Patients.Patient.Register(new Demographics("MRN-C2", "Ali", "Kaya", new DateOnly(1975, 1, 9), null), Importer, SeededDatabase.Clock);

        var fhir = FhirMapper.ToPatient(patient);

        Assert.Empty(fhir.Telecom);
        Assert.Empty(fhir.Communication);
    }

    [Fact]
    public async Task ImportAsync_PatientWithTelecomAndCommunication_ChartGetsAddressesAndLanguageButNoConsent()
    {
        var bundle = Fixture();
        var p = bundle.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Patient>().Single();
        p.Telecom.AddRange(
        [
            new ContactPoint(ContactPoint.ContactPointSystem.Email, ContactPoint.ContactPointUse.Home, "old@example.org") { Period = new Period { Start = "2010-01-01", End = "2015-01-01" } },
            new ContactPoint(ContactPoint.ContactPointSystem.Email, ContactPoint.ContactPointUse.Home, "amy@example.org"),
            new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, "+1 555 555 0100"),
        ]);
        p.Communication = [new Hl7.Fhir.Model.Patient.CommunicationComponent { Language = new CodeableConcept("urn:ietf:bcp:47", "en"), Preferred = false }, new Hl7.Fhir.Model.Patient.CommunicationComponent { Language = new CodeableConcept("urn:ietf:bcp:47", "tr-TR"), Preferred = true }];

        var chart = await ImportAsync(bundle);

        Assert.Equal(("amy@example.org", "+15555550100", "tr"), (chart.Contact.Email, chart.Contact.MobilePhone, chart.Contact.Language));
        Assert.Null(chart.Contact.EmailConsent); // another system's record says nothing of consent to our reminders
        Assert.Null(chart.Contact.TextConsent);
        Assert.False(chart.Contact.CanEmail);
    }

    [Fact]
    public async Task ImportAsync_MobileNotInternational_LeftOutWithANoteAndTheRestImported()
    {
        var bundle = Fixture();
        var p = bundle.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Patient>().Single();
        p.Telecom.AddRange([new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, "0532 123 45 67"), new ContactPoint(ContactPoint.ContactPointSystem.Email, null, "amy@example.org")]);
        await using var target = await SeededDatabase.EmptyAsync();
        await using var db = target.Database.Open(Importer, SeededDatabase.Clock);

        var preview = await new FhirImporter(db, SeededDatabase.Clock).PreviewAsync(FhirJson.Serialize(bundle), Ct);
        var chart = await ImportAsync(bundle);

        Assert.Contains("0532 123 45 67", preview.Entries.Single(e => e.ResourceType == "Patient").Detail, StringComparison.Ordinal);
        Assert.Equal(("amy@example.org", (string)null, "en"), (chart.Contact.Email, chart.Contact.MobilePhone, chart.Contact.Language));
    }

    [Fact]
    public async Task ImportAsync_RoundTrip_ExportedContactComesBack()
    {
        var bundle = Fixture();
        var p = bundle.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Patient>().Single();
        var source = Clinic.Patients.Patient.Register(new Demographics("MRN-C3", "Amy", "Shaw", new DateOnly(1987, 2, 20), null), Importer, SeededDatabase.Clock);
        Assert.True(source.ChangeContact(new ContactInput("amy@example.org", "+447700900123", "en", true, true), null, Importer, SeededDatabase.Clock).IsSuccess);
        var exported = FhirMapper.ToPatient(source);
        (p.Telecom, p.Communication) = (exported.Telecom, exported.Communication);

        var chart = await ImportAsync(bundle);

        Assert.Equal((source.Contact.Email, source.Contact.MobilePhone, source.Contact.Language), (chart.Contact.Email, chart.Contact.MobilePhone, chart.Contact.Language));
    }

    private static Bundle Fixture() =>
        (Bundle)FhirJson.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fhir", "Fixtures", "us-core-collection.json")), out _).Value;

    private static async Task<Clinic.Patients.Patient> ImportAsync(Bundle bundle)
    {
        await using var target = await SeededDatabase.EmptyAsync();
        await using var db = target.Database.Open(Importer, SeededDatabase.Clock);
        var result = await new FhirImporter(db, SeededDatabase.Clock).ImportAsync(FhirJson.Serialize(bundle), Importer, Ct);
        Assert.True(result.IsSuccess, string.Join(Environment.NewLine, result.Errors));
        return (await new PatientService(db, SeededDatabase.Clock).OpenChartAsync(result.PatientId!.Value, Importer, Ct)).Value;
    }
}
