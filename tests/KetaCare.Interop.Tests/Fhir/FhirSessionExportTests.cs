// Firely POCOs annotate every element as nullable; the assertions below are what checks their presence.
#nullable disable warnings

using Hl7.Fhir.Model;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using AdverseEvent = Hl7.Fhir.Model.AdverseEvent;
using Observation = Hl7.Fhir.Model.Observation;
using KetaCare.Interop.Fhir;
using Microsoft.EntityFrameworkCore;
using Task = System.Threading.Tasks.Task;

namespace KetaCare.Interop.Tests.Fhir;

/// <summary>What a hospital needs to link the export: drug codes, sessions as Encounters, Practitioners, references that resolve, reads by id, the audit log apart.</summary>
public sealed class FhirSessionExportTests
{
    private const string Base = "https://clinic.example/fhir";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EverythingAsync_Ketamine_CodedWithTheSnomedSubstanceAndTheRxNormDrugOfA100MgPerMlVialOnly()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (bundle, _) = await FhirExportTests.EverythingAsync(t);

        var drugs = FhirExportTests.Resources<MedicationRequest>(bundle).Select(r => (CodeableConcept)r.Medication)
            .Concat(FhirExportTests.Resources<MedicationAdministration>(bundle).Select(DrugOf)).ToList();

        Assert.NotEmpty(drugs);
        Assert.All(drugs, d => Assert.Equal("ketamine hydrochloride", d.Text));
        Assert.All(drugs, d => Assert.Contains(d.Coding, c => (c.System, c.Code) == (FhirCodes.Snomed, "373464007")));
        Assert.All(drugs.SelectMany(d => d.Coding), c => Assert.True((c.System, c.Code) is (FhirCodes.Snomed, "373464007") or (FhirCodes.RxNorm, "238083"), c.System + "|" + c.Code));
        Assert.Equal("238083", FhirCodes.Ketamine(100, isVial: true).Coding.Single(c => c.System == FhirCodes.RxNorm).Code);
        Assert.DoesNotContain(FhirCodes.Ketamine(100, isVial: false).Coding, c => c.System == FhirCodes.RxNorm);
        Assert.DoesNotContain(FhirCodes.Ketamine(50, isVial: true).Coding, c => c.System == FhirCodes.RxNorm);
    }

    [Fact]
    public async Task EverythingAsync_SessionsWithCustody_AdministrationsCarryTheBatchLotAndExpiryOfTheirPreparation()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (bundle, id) = await FhirExportTests.EverythingAsync(t);
        await using var db = t.Database.Open(SeededDatabase.Reader, SeededDatabase.Clock);
        var sessions = await new SessionService(db, SeededDatabase.Clock).ForPatientAsync(id, SeededDatabase.Reader, Ct);
        var stock = new StockService(db, SeededDatabase.Clock, DemoSeed.Staff);

        var administrations = FhirExportTests.Resources<MedicationAdministration>(bundle).ToList();
        Assert.NotEmpty(administrations);
        foreach (var a in administrations)
        {
            var session = sessions.Single(s => "Encounter/" + s.Id == a.Context.Reference);
            var lot = (await stock.LabelsAsync(session.Id, Ct)).Single().Lots.Single();
            var reference = Assert.IsType<ResourceReference>(a.Medication);
            var medication = Assert.IsType<Medication>(Assert.Single(a.Contained));
            Assert.Equal("#" + medication.Id, reference.Reference);
            Assert.Equal(DemoSeed.DemoLotNumber, lot.LotNumber);
            Assert.Equal(lot.LotNumber, medication.Batch.LotNumber);
            Assert.Equal(lot.Expiry.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), medication.Batch.ExpirationDate);
        }
    }

    [Fact]
    public async Task Administrations_WithoutCustody_NameTheDrugByCodeAlone()
    {
        await using var t = await SeededDatabase.DemoAsync();
        await using var db = t.Database.Open(SeededDatabase.Reader, SeededDatabase.Clock);
        var session = (await new SessionService(db, SeededDatabase.Clock).ForPatientAsync(await SeededDatabase.CrpsPatientAsync(db), SeededDatabase.Reader, Ct)).First(s => s.Segments.Count > 0);
        var a = FhirMapper.Administrations(session, SeededDatabase.Clock.GetUtcNow()).First();
        Assert.Empty(a.Contained);
        Assert.Equal("ketamine hydrochloride", Assert.IsType<CodeableConcept>(a.Medication).Text);
    }

    // The drug of an administration: its code, or the code of the contained Medication it refers to.
    private static CodeableConcept DrugOf(MedicationAdministration a) => a.Medication is CodeableConcept code
        ? code
        : a.Contained.OfType<Medication>().Single(m => "#" + m.Id == ((ResourceReference)a.Medication).Reference).Code;

    [Fact]
    public async Task EverythingAsync_Sessions_AmbulatoryEncountersThatTheirRecordsReferTo()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (bundle, id) = await FhirExportTests.EverythingAsync(t);
        await using var db = t.Database.Open(SeededDatabase.Reader, SeededDatabase.Clock);
        var sessions = await new SessionService(db, SeededDatabase.Clock).ForPatientAsync(id, SeededDatabase.Reader, Ct);

        var encounters = FhirExportTests.Resources<Encounter>(bundle).ToDictionary(e => e.Id);
        Assert.Equal(sessions.Select(s => s.Id.ToString()).Order(), encounters.Keys.Order());
        foreach (var s in sessions)
        {
            var e = encounters[s.Id.ToString()];
            Assert.Equal(("AMB", FhirCodes.ActCode), (e.Class.Code, e.Class.System));
            Assert.Equal(s.State == SessionState.Discharged ? Encounter.EncounterStatus.Finished : Encounter.EncounterStatus.InProgress, e.Status);
            Assert.Equal("Patient/" + id, e.Subject.Reference);
            Assert.Contains(e.Participant, p => p.Individual.Identifier.Value == s.Transitions[^1].By.ToString());
            Assert.Equal(s.Transitions.First(x => x.From == SessionState.Scheduled).At, e.Period.StartElement.ToDateTimeOffset(TimeSpan.Zero));
        }

        var discharged = sessions.First(s => s.State == SessionState.Discharged);
        Assert.Equal(discharged.Transitions.Last(x => x.To == SessionState.Discharged).At, encounters[discharged.Id.ToString()].Period.EndElement.ToDateTimeOffset(TimeSpan.Zero));
        Assert.All(FhirExportTests.Resources<MedicationAdministration>(bundle), a => Assert.Contains(a.Context.Reference["Encounter/".Length..], encounters.Keys));
        Assert.All(FhirExportTests.Resources<AdverseEvent>(bundle), a => Assert.Contains(a.Encounter.Reference["Encounter/".Length..], encounters.Keys));
        var observations = FhirExportTests.Resources<Observation>(bundle).ToList();
        Assert.Contains(observations, o => o.Encounter is not null);
        Assert.All(observations.Where(o => o.Encounter is not null), o => Assert.Contains(o.Encounter.Reference["Encounter/".Length..], encounters.Keys));
        Assert.All(observations.Where(o => o.Code.Coding[0].Code is FhirCodes.BodyWeight or "pgic"), o => Assert.Null(o.Encounter));
    }

    [Fact]
    public async Task EverythingAsync_EveryLiteralReference_ResolvesInsideTheBundleAndPractitionersCarryNoAccountData()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (bundle, _) = await FhirExportTests.EverythingAsync(t);
        var present = bundle.Entry.Select(e => e.Resource.TypeName + "/" + e.Resource.Id).ToHashSet();
        var json = FhirJson.Serialize(bundle);

        var references = System.Text.RegularExpressions.Regex.Matches(json, "\"reference\":\"([^\"]+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.Contains(references, r => r.StartsWith("Practitioner/", StringComparison.Ordinal));
        Assert.Contains(references, r => r.StartsWith("Encounter/", StringComparison.Ordinal));
        // A reference to a contained resource ("#medication") resolves inside the resource that holds it.
        Assert.All(references.Where(r => !r.StartsWith('#')), r => Assert.Contains(r, present));
        Assert.All(
            FhirExportTests.Resources<MedicationAdministration>(bundle).Where(a => a.Medication is ResourceReference),
            a => Assert.Contains(a.Contained, c => "#" + c.Id == ((ResourceReference)a.Medication).Reference));
        var practitioners = FhirExportTests.Resources<Practitioner>(bundle).ToList();
        Assert.Contains(practitioners, p => p.Id == DemoSeed.DemoNurse.ToString() && p.Name.Single().Text == "Demo Nurse");
        Assert.DoesNotContain("not-exported", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Demo.Nurse", json, StringComparison.Ordinal);
        // The reader has no account: its id stays a logical reference, never one that would not resolve.
        Assert.DoesNotContain("Practitioner/" + SeededDatabase.Reader, references);
    }

    [Fact]
    public async Task ReadAsync_EveryResourceOfEverything_TheSameResourceAndUnknownIdsNotFound()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (bundle, _) = await FhirExportTests.EverythingAsync(t);
        await using var db = t.Database.Open(SeededDatabase.Reader, SeededDatabase.Clock);
        var exporter = new FhirExporter(db, SeededDatabase.Clock);

        foreach (var r in bundle.Entry.Select(e => e.Resource))
        {
            var read = await exporter.ReadAsync(r.TypeName, r.Id, SeededDatabase.Reader, Ct);
            Assert.True(read.IsSuccess, $"{r.TypeName}/{r.Id}: {(read.IsSuccess ? null : read.Error)}");
            Assert.Equal(FhirJson.Serialize(r), FhirJson.Serialize(read.Value));
        }

        Assert.False((await exporter.ReadAsync("Encounter", Guid.NewGuid().ToString(), SeededDatabase.Reader, Ct)).IsSuccess);
        Assert.False((await exporter.ReadAsync("Condition", "not-an-id", SeededDatabase.Reader, Ct)).IsSuccess);
        Assert.False((await exporter.ReadAsync("AuditEvent", "audit-1", SeededDatabase.Reader, Ct)).IsSuccess);
        Assert.False((await exporter.ReadAsync("Observation", FhirExportTests.Resources<Encounter>(bundle).First().Id, SeededDatabase.Reader, Ct)).IsSuccess);
        Assert.False((await exporter.ReadAsync("Practitioner", SeededDatabase.Reader.ToString(), SeededDatabase.Reader, Ct)).IsSuccess);
    }

    [Fact]
    public async Task SearchAsync_AuditEvent_TheWholeChainOfThePatientWithHashes()
    {
        await using var t = await SeededDatabase.DemoAsync();
        await using var db = t.Database.Open(SeededDatabase.Reader, SeededDatabase.Clock);
        var id = await SeededDatabase.CrpsPatientAsync(db);

        var audit = (await new FhirExporter(db, SeededDatabase.Clock).SearchAsync(FhirExportTests.Search("AuditEvent", id, ("_count", "500")), SeededDatabase.Reader, Base, Ct)).Value;

        var events = audit.Entry.Select(e => Assert.IsType<Hl7.Fhir.Model.AuditEvent>(e.Resource)).ToList();
        Assert.Equal(await db.AuditEvents.CountAsync(a => a.PatientId == id, Ct), events.Count);
        var last = await db.AuditEvents.AsNoTracking().Where(a => a.PatientId == id).OrderBy(a => a.Sequence).LastAsync(Ct);
        Assert.Equal(last.Hash, events[^1].Entity[1].Detail.Single(d => d.Type == "hash").Value.ToString());
    }
}
