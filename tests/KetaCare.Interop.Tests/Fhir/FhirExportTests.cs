// Firely POCOs annotate every element as nullable; the assertions below are what checks their presence.
#nullable disable warnings

using Hl7.Fhir.Model;
using KetaCare.Clinic;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Fhir;
using Microsoft.EntityFrameworkCore;
using Task = System.Threading.Tasks.Task;

namespace KetaCare.Interop.Tests.Fhir;

/// <summary>The content of the FHIR export of the demo data (what is not importable is checked here, field by field).</summary>
public sealed class FhirExportTests
{
    private const string Base = "https://clinic.example/fhir";

    private static readonly HashSet<string> AllowedLoinc =
    [
        FhirCodes.HeartRate, FhirCodes.RespiratoryRate, FhirCodes.OxygenSaturation, FhirCodes.PulseOximetry, FhirCodes.BloodPressurePanel,
        FhirCodes.Systolic, FhirCodes.Diastolic, FhirCodes.BodyTemperature, FhirCodes.BodyWeight, FhirCodes.BodyHeight, FhirCodes.PainNrs, FhirCodes.BpiInterference,
        "1742-6", "1920-8", "1975-2", "2324-2", "6768-6", "8636-3", "5794-3", "5799-2", "5802-4",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EverythingAsync_SessionWithRateChangePauseAndResume_OneAdministrationPerSegment()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (bundle, id) = await EverythingAsync(t);
        await using var db = t.Database.Open(SeededDatabase.Reader, SeededDatabase.Clock);
        var session = (await new SessionService(db, SeededDatabase.Clock).ForPatientAsync(id, SeededDatabase.Reader, Ct)).Single(s => s.Segments.Count == 3);
        var administrations = Resources<MedicationAdministration>(bundle).Where(a => a.Id.StartsWith(session.Id.ToString(), StringComparison.Ordinal)).ToList();

        Assert.Equal(3, administrations.Count);
        foreach (var seg in session.Segments)
        {
            var a = administrations.Single(x => x.Id == $"{session.Id}-seg{seg.Index}");
            var period = Assert.IsType<Period>(a.Effective);
            Assert.Equal(seg.Start, period.StartElement.ToDateTimeOffset(TimeSpan.Zero));
            Assert.Equal(seg.End, period.EndElement.ToDateTimeOffset(TimeSpan.Zero));
            Assert.Equal(MedicationAdministration.MedicationAdministrationStatusCodes.Completed, a.Status);
            var rate = Assert.IsType<Quantity>(a.Dosage.Rate);
            Assert.Equal("mg/h", rate.Code);
            Assert.Equal(seg.RateMlPerHour * seg.ConcentrationMgPerMl, (double)rate.Value!.Value, 6);
            Assert.Equal("mg", a.Dosage.Dose.Code);
            Assert.Equal(session.DeliveredAmount(seg, seg.End!.Value).Milligrams, (double)a.Dosage.Dose.Value!.Value, 6);
            Assert.Equal("47625008", a.Dosage.Route.Coding.Single().Code);
            Assert.Equal("MedicationRequest/" + session.PlanId, a.Request.Reference);
            // The clinician who started or resumed the infusion this segment belongs to (a physician when the start needed an override).
            var by = session.Transitions.Last(x => x.To == KetaCare.Clinic.Sessions.SessionState.Running && x.At <= seg.Start).By;
            Assert.Contains(by, new[] { DemoSeed.DemoNurse, DemoSeed.DemoPhysician });
            Assert.Equal(by.ToString(), a.Performer.Single().Actor.Identifier.Value);
            var device = Assert.Single(a.Device);
            Assert.Contains(Resources<Device>(bundle), d => "Device/" + d.Id == device.Reference);
        }

        Assert.Contains(Resources<MedicationRequest>(bundle), r => r.Id == session.PlanId.ToString());
        var given = administrations.Sum(a => (double)a.Dosage.Dose.Value!.Value);
        Assert.Equal(session.DoseGiven(SeededDatabase.Clock.GetUtcNow()).Milligrams, given, 4);
    }

    [Fact]
    public async Task EverythingAsync_AdverseEvent_SuspectIsTheAdministrationOfTheSegmentAtOnset()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (bundle, _) = await EverythingAsync(t);

        var ae = Assert.Single(Resources<AdverseEvent>(bundle));
        var suspect = Assert.Single(ae.SuspectEntity).Instance.Reference;
        Assert.EndsWith("-seg1", suspect, StringComparison.Ordinal);
        Assert.Contains(Resources<MedicationAdministration>(bundle), a => "MedicationAdministration/" + a.Id == suspect);
        Assert.Equal("NauseaVomiting", ae.Event.Coding.Single().Code);
        Assert.Equal(["moderate", "2"], ae.Severity.Coding.Select(c => c.Code));
        Assert.Equal("resolved", ae.Outcome.Coding.Single().Code);
        Assert.Equal("Non-serious", ae.Seriousness.Coding.Single().Code);
    }

    [Fact]
    public async Task EverythingAsync_VitalSigns_StandardLoincCodesUcumUnitsAndTheVitalSignsCategory()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (bundle, _) = await EverythingAsync(t);
        var vitals = Resources<Observation>(bundle).Where(o => o.Category.Any(c => c.Coding.Any(x => x.Code == "vital-signs"))).ToList();

        var units = new Dictionary<string, string> { [FhirCodes.HeartRate] = "/min", [FhirCodes.RespiratoryRate] = "/min", [FhirCodes.OxygenSaturation] = "%", [FhirCodes.BodyWeight] = "kg", [FhirCodes.BodyHeight] = "cm" };
        Assert.NotEmpty(vitals);
        foreach (var o in vitals)
        {
            var code = o.Code.Coding[0];
            Assert.Equal(FhirCodes.Loinc, code.System);
            if (code.Code == FhirCodes.BloodPressurePanel)
            {
                Assert.Null(o.Value);
                Assert.Equal([FhirCodes.Systolic, FhirCodes.Diastolic], o.Component.Select(c => c.Code.Coding.Single().Code));
                Assert.All(o.Component, c => Assert.Equal("mm[Hg]", ((Quantity)c.Value).Code));
                continue;
            }

            var q = Assert.IsType<Quantity>(o.Value);
            Assert.Equal(FhirCodes.Ucum, q.System);
            Assert.Equal(units[code.Code], q.Code);
        }

        Assert.All(vitals.Where(o => o.Code.Coding[0].Code == FhirCodes.OxygenSaturation), o => Assert.Equal([FhirCodes.OxygenSaturation, FhirCodes.PulseOximetry], o.Code.Coding.Select(c => c.Code)));
        foreach (var loinc in new[] { FhirCodes.HeartRate, FhirCodes.RespiratoryRate, FhirCodes.OxygenSaturation, FhirCodes.BloodPressurePanel, FhirCodes.BodyWeight, FhirCodes.BodyHeight })
        {
            Assert.Contains(vitals, o => o.Code.Coding[0].Code == loinc);
        }
    }

    [Fact]
    public async Task EverythingAsync_Scales_LocalCodesForScalesWithoutLoincAndOnlyKnownLoincCodes()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (bundle, _) = await EverythingAsync(t);
        var observations = Resources<Observation>(bundle).ToList();
        var codings = observations.SelectMany(o => o.Code.Coding.Concat(o.Component.SelectMany(c => c.Code.Coding))).ToList();

        Assert.All(codings.Where(c => c.System == FhirCodes.Loinc), c => Assert.Contains(c.Code, AllowedLoinc));
        Assert.All(codings, c => Assert.True(c.System is FhirCodes.Loinc or FhirCodes.ScaleSystem, c.System));
        foreach (var local in new[] { "rass", "moaas", "cadss", "aldrete", "pgic", "bpi-severity" })
        {
            Assert.Contains(codings, c => c.System == FhirCodes.ScaleSystem && c.Code == local);
        }

        var pain = observations.Where(o => o.Code.Coding[0].Code == FhirCodes.PainNrs).ToList();
        Assert.Contains(pain, o => o.Value is Integer { Value: 7 });
        Assert.All(pain, o => Assert.Equal("survey", o.Category.Single().Coding.Single().Code));
        var interference = Assert.Single(observations, o => o.Code.Coding[0].Code == FhirCodes.BpiInterference);
        Assert.Equal(4m, Assert.IsType<Quantity>(interference.Value).Value);
        var pgic = Assert.Single(observations, o => o.Code.Coding[0].Code == "pgic");
        Assert.Equal(2, Assert.IsType<Integer>(pgic.Value).Value);
    }

    [Fact]
    public async Task EverythingAsync_LiverPanel_LaboratoryObservationsWithUcumUnitsRangesAndADiagnosticReport()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (bundle, _) = await EverythingAsync(t);
        var labs = Resources<Observation>(bundle).Where(o => o.Category.Any(c => c.Coding.Any(x => x.Code == "laboratory"))).ToList();

        var alt = Assert.Single(labs, o => o.Code.Coding.Single().Code == "1742-6");
        var value = Assert.IsType<Quantity>(alt.Value);
        Assert.Equal((24m, "U/L", FhirCodes.Ucum), (value.Value!.Value, value.Code, value.System));
        Assert.Equal((7m, 40m), (alt.ReferenceRange.Single().Low.Value!.Value, alt.ReferenceRange.Single().High.Value!.Value));
        Assert.Equal("mg/dL", Assert.IsType<Quantity>(Assert.Single(labs, o => o.Code.Coding.Single().Code == "1975-2").Value).Code);
        var report = Assert.Single(Resources<DiagnosticReport>(bundle));
        Assert.Equal(5, report.Result.Count);
        Assert.All(report.Result, r => Assert.Contains(labs, o => "Observation/" + o.Id == r.Reference));
    }

    [Fact]
    public async Task EverythingAsync_Plan_MedicationRequestRateRatioRouteTimingCeilingAndCarePlan()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (bundle, id) = await EverythingAsync(t);
        await using var db = t.Database.Open(SeededDatabase.Reader, SeededDatabase.Clock);
        var plan = (await new TreatmentService(db, SeededDatabase.Clock).PlansAsync(id, SeededDatabase.Reader, Ct)).Single();

        var request = Assert.Single(Resources<MedicationRequest>(bundle));
        var dosage = Assert.Single(request.DosageInstruction);
        var rate = Assert.IsType<Ratio>(Assert.Single(dosage.DoseAndRate).Rate);
        Assert.Equal((decimal)plan.CurrentDose.Value, rate.Numerator.Value);
        Assert.Equal("mg/kg", rate.Numerator.Code);
        Assert.Equal((1m, "h"), (rate.Denominator.Value!.Value, rate.Denominator.Code));
        Assert.Equal((decimal)plan.Protocol.Ceiling.Value, dosage.MaxDosePerPeriod.Numerator.Value);
        Assert.Equal("47625008", dosage.Route.Coding.Single().Code);
        Assert.Equal(plan.Protocol.NumberOfSessions, dosage.Timing.Repeat.Count);
        Assert.Equal(plan.Protocol.IntervalDays, (int)dosage.Timing.Repeat.Period!.Value);
        Assert.Equal(MedicationRequest.MedicationrequestStatus.Active, request.Status);
        Assert.Equal(DemoSeed.DemoPhysician.ToString(), request.Requester.Identifier.Value);

        var care = Assert.Single(Resources<CarePlan>(bundle));
        Assert.Equal("MedicationRequest/" + request.Id, care.Activity.Single().Reference.Reference);
        Assert.Equal(RequestStatus.Active, care.Status);

        var consent = Assert.Single(Resources<Hl7.Fhir.Model.Consent>(bundle));
        Assert.Equal(Hl7.Fhir.Model.Consent.ConsentState.Active, consent.Status);
        Assert.Equal("consent-DEMO-0001.pdf", ((Attachment)consent.Source).Title);
        Assert.Equal("G90.512", Assert.Single(Resources<Hl7.Fhir.Model.Condition>(bundle)).Code.Coding.Single(c => c.System == FhirCodes.Icd10Cm).Code);
    }

    [Fact]
    public async Task EverythingAsync_Export_AuditedReadsByTheUserWithoutTheAuditLog()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var before = await t.StateAsync();

        var (bundle, id) = await EverythingAsync(t);

        var after = await t.StateAsync();
        Assert.True(after.Intact);
        Assert.Equal(before.Audit + 3, after.Audit);
        await using var db = t.Database.Open();
        var reads = await db.AuditEvents.AsNoTracking().Where(a => a.Sequence > before.Audit).ToListAsync(Ct);
        Assert.All(reads, a => Assert.Equal(("read", SeededDatabase.Reader, id), (a.Action, a.UserId, a.PatientId)));
        Assert.Empty(Resources<Hl7.Fhir.Model.AuditEvent>(bundle));
        Assert.Equal(Base + "/Patient/" + id, bundle.Entry[0].FullUrl);
        Assert.All(bundle.Entry, e => Assert.Equal($"{Base}/{e.Resource.TypeName}/{e.Resource.Id}", e.FullUrl));
        Assert.Equal(Bundle.BundleType.Searchset, bundle.Type);
        Assert.Equal(1, bundle.Total);
    }

    [Fact]
    public async Task EverythingAsync_UnknownPatient_RefusedAndNothingAudited()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var before = await t.StateAsync();
        await using var db = t.Database.Open(SeededDatabase.Reader, SeededDatabase.Clock);
        var exporter = new FhirExporter(db, SeededDatabase.Clock);
        var unknown = PatientId.New();

        var everything = await exporter.EverythingAsync(unknown, SeededDatabase.Reader, null, Ct);
        var patient = await exporter.ReadPatientAsync(unknown, SeededDatabase.Reader, Ct);
        var administrations = await exporter.SearchAsync(Search("MedicationAdministration", unknown), SeededDatabase.Reader, null, Ct);
        var audit = await exporter.SearchAsync(Search("AuditEvent", unknown), SeededDatabase.Reader, null, Ct);

        Assert.Equal(KetaCare.Clinic.Findings.FindingCodes.NotFound, Assert.Single(everything.Findings).Code);
        Assert.False(patient.IsSuccess);
        Assert.False(administrations.IsSuccess);
        Assert.False(audit.IsSuccess);
        Assert.Equal(before, await t.StateAsync());
    }

    [Fact]
    public async Task Searches_ObservationAndMedicationAdministration_OnlyThatTypeAllMatches()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (everything, id) = await EverythingAsync(t);
        await using var db = t.Database.Open(SeededDatabase.Reader, SeededDatabase.Clock);
        var exporter = new FhirExporter(db, SeededDatabase.Clock);

        var observations = (await exporter.SearchAsync(Search("Observation", id, ("_count", "500")), SeededDatabase.Reader, Base, Ct)).Value;
        var administrations = (await exporter.SearchAsync(Search("MedicationAdministration", id), SeededDatabase.Reader, Base, Ct)).Value;
        var patient = (await exporter.ReadPatientAsync(id, SeededDatabase.Reader, Ct)).Value;

        Assert.All(observations.Entry, e => Assert.IsType<Observation>(e.Resource));
        Assert.Equal(Resources<Observation>(everything).Select(o => o.Id).Order(), observations.Entry.Select(e => e.Resource!.Id).Order());
        Assert.Equal(observations.Entry.Count, observations.Total);
        Assert.Equal(5, administrations.Total);
        Assert.All(administrations.Entry, e => Assert.Equal(Bundle.SearchEntryMode.Match, e.Search!.Mode));
        Assert.Equal("DEMO-0001", patient.Identifier.Single().Value);
        Assert.Equal(("Yılmaz", "Elif", "1979-04-12", AdministrativeGender.Female), (patient.Name[0].Family, patient.Name[0].Given.Single(), patient.BirthDate, patient.Gender!.Value));
    }

    [Fact]
    public void Capabilities_BaseUrl_DescribesExactlyTheServedInteractionsAndParameters()
    {
        var statement = FhirExporter.Capabilities(Base, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(FHIRVersion.N4_0_1, statement.FhirVersion);
        Assert.Equal(Base + "/metadata", statement.Url);
        Assert.Equal(["json", "xml"], statement.Format);
        var resources = statement.Rest.Single().Resource.ToDictionary(r => r.Type);
        Assert.Equal(FhirExporter.ExportedTypes.Append("AuditEvent").Order(), resources.Keys.Order());
        Assert.Equal("everything", resources["Patient"].Operation.Single().Name);
        foreach (var (type, r) in resources)
        {
            var searchable = FhirSearch.Parameters.TryGetValue(type, out var own);
            Assert.Equal(type != "AuditEvent", r.Interaction.Any(i => i.Code == CapabilityStatement.TypeRestfulInteraction.Read));
            Assert.Equal(searchable, r.Interaction.Any(i => i.Code == CapabilityStatement.TypeRestfulInteraction.SearchType));
            var declared = r.SearchParam.Select(p => p.Name).Order().ToList();
            Assert.Equal(searchable ? own!.Select(p => p.Name).Concat(["patient", "_lastUpdated", "_count", "_offset"]).Order().ToList() : [], declared);
            foreach (var name in declared.Where(n => n != "patient"))
            {
                // Every declared parameter is one the parser accepts: a declared but refused parameter would be a lie.
                var value = name switch { "code" => "x|y", "_count" => "5", "_offset" => "0", _ => "ge2026-01-01" };
                Assert.True(FhirSearch.Parse(type, [KeyValuePair.Create(name, value), KeyValuePair.Create("patient", PatientId.New().ToString())]).IsSuccess, $"{type}?{name}={value}");
            }
        }

        Assert.Contains("\"fhirVersion\":\"4.0.1\"", FhirJson.Serialize(statement), StringComparison.Ordinal);
    }

    internal static FhirSearch Search(string type, PatientId id, params (string Name, string Value)[] query)
    {
        var parsed = FhirSearch.Parse(type, query.Select(q => KeyValuePair.Create(q.Name, q.Value)).Append(KeyValuePair.Create("patient", id.ToString())));
        Assert.True(parsed.IsSuccess, parsed.IsSuccess ? null : parsed.Error);
        return parsed.Value;
    }

    internal static async System.Threading.Tasks.Task<(Bundle Bundle, PatientId Id)> EverythingAsync(SeededDatabase t)
    {
        await using var db = t.Database.Open(SeededDatabase.Reader, SeededDatabase.Clock);
        var id = await SeededDatabase.CrpsPatientAsync(db);
        var r = await new FhirExporter(db, SeededDatabase.Clock).EverythingAsync(id, SeededDatabase.Reader, Base, Ct);
        Assert.True(r.IsSuccess, r.Error);
        return (r.Value, id);
    }

    internal static IEnumerable<T> Resources<T>(Bundle bundle)
        where T : Resource => bundle.Entry.Select(e => e.Resource).OfType<T>();
}
