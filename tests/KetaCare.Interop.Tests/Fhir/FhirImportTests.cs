// Firely POCOs annotate every element as nullable; the assertions below are what checks their presence.
#nullable disable warnings

using System.Text;
using Hl7.Fhir.Model;
using KetaCare.Clinic;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Fhir;
using AllergyIntolerance = Hl7.Fhir.Model.AllergyIntolerance;
using Task = System.Threading.Tasks.Task;

namespace KetaCare.Interop.Tests.Fhir;

/// <summary>Importing a patient from a FHIR bundle: the round trip of what is importable, and bad bundles that store nothing.</summary>
public sealed class FhirImportTests
{
    private static readonly UserId Importer = new(Guid.Parse("00000000-0000-0000-0000-0000000000f2"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ImportAsync_LaterBundle_MedicationsEnteredOnTheImportedChartMeanwhile_AreNotAddedAgain()
    {
        // The fixture's one medication is a pain drug without KetaCare's interaction classes; here it is a current medication with them.
        var bundle = (Bundle)FhirJson.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fhir", "Fixtures", "us-core-collection.json")), out _).Value;
        var statement = bundle.Entry.Select(e => e.Resource).OfType<MedicationStatement>().Single();
        (statement.Medication, statement.Category) = (new CodeableConcept { Text = "metformin 500 mg tablet" }, new CodeableConcept(FhirCodes.InteractionClassSystem, "None"));
        var json = FhirJson.Serialize(bundle);
        Assert.Equal(1, bundle.Entry.RemoveAll(e => e.Resource is MedicationStatement));
        async Task<(KetaCare.Clinic.Patients.Patient Chart, PatientService Patients)> ImportAsync(KetaCare.Clinic.Persistence.KetaCareDbContext db, string bundleJson)
        {
            var result = await new FhirImporter(db, SeededDatabase.Clock).ImportAsync(bundleJson, Importer, Ct);
            Assert.True(result.IsSuccess, string.Join(Environment.NewLine, result.Errors));
            var patients = new PatientService(db, SeededDatabase.Clock);
            return ((await patients.OpenChartAsync(result.PatientId!.Value, Importer, Ct)).Value, patients);
        }

        // What the medications become when imported (said so), read off a chart imported in full elsewhere.
        await using var elsewhere = await SeededDatabase.EmptyAsync();
        await using var other = elsewhere.Database.Open(Importer, SeededDatabase.Clock);
        var imported = (await ImportAsync(other, json)).Chart.Medications.ActiveValues.ToList();
        Assert.NotEmpty(imported);
        Assert.All(imported, m => Assert.Equal(MedicationSource.Imported, m.Source));

        // Here the first bundle had none; the clinic enters the same medications on the chart, then the full bundle comes.
        await using var target = await SeededDatabase.EmptyAsync();
        await using var db = target.Database.Open(Importer, SeededDatabase.Clock);
        var (chart, patients) = await ImportAsync(db, FhirJson.Serialize(bundle));
        var version = chart.Version;
        foreach (var m in imported)
        {
            Assert.True((await patients.RecordAsync(chart.Id, version++, m with { Source = MedicationSource.Chart }, Importer, Ct)).IsSuccess);
        }

        var later = await new FhirImporter(db, SeededDatabase.Clock).ImportAsync(json, Importer, Ct);

        Assert.True(later.IsSuccess, string.Join(Environment.NewLine, later.Errors));
        Assert.Equal((chart.Id, 0), (later.PatientId!.Value, later.Medications));
        Assert.Equal(imported.Count, later.Skipped.Count(k => k.ResourceType == "MedicationStatement" && k.Code == FhirImportReason.AlreadyOnChart));
        Assert.Equal(imported.Select(m => m with { Source = MedicationSource.Chart }), (await patients.OpenChartAsync(chart.Id, Importer, Ct)).Value.Medications.ActiveValues);
    }

    [Fact]
    public async Task ImportAsync_ExportedChart_RoundTripsDemographicsConditionsMeasurementsTreatmentsAndMedications()
    {
        await using var source = await SeededDatabase.DemoAsync();
        await using var target = await SeededDatabase.EmptyAsync();
        var (bundle, id) = await FhirExportTests.EverythingAsync(source);
        await using var sourceDb = source.Database.Open(SeededDatabase.Reader, SeededDatabase.Clock);
        var original = (await new PatientService(sourceDb, SeededDatabase.Clock).OpenChartAsync(id, SeededDatabase.Reader, Ct)).Value;

        var json = FhirJson.Serialize(bundle);
        await using var db = target.Database.Open(Importer, SeededDatabase.Clock);
        var result = await new FhirImporter(db, SeededDatabase.Clock).ImportAsync(json, Importer, Ct);

        Assert.True(result.IsSuccess, string.Join(Environment.NewLine, result.Errors));
        // Everything else of the export is reported as skipped, entry by entry, and nothing is refused.
        var importable = bundle.Entry.Count(e => Importable(e.Resource));
        Assert.Equal(bundle.Entry.Count - importable, result.Skipped.Count);
        Assert.All(result.Skipped, k => Assert.False(Importable(bundle.Entry[k.EntryIndex].Resource)));
        Assert.Superset(new HashSet<string> { "Encounter", "Practitioner", "MedicationAdministration", "MedicationRequest", "AdverseEvent", "Observation", "DiagnosticReport" }, result.Skipped.Select(k => k.ResourceType).ToHashSet());
        var imported = (await new PatientService(db, SeededDatabase.Clock).OpenChartAsync(result.PatientId!.Value, Importer, Ct)).Value;
        Assert.Equal(original.Demographics, imported.Demographics);
        Assert.Equal(original.Conditions.ActiveValues, imported.Conditions.ActiveValues);
        Assert.Equal(
            original.Measurements.ActiveValues.Select(m => (m.MeasuredOn, m.Weight.Kilograms, m.HeightCm)),
            imported.Measurements.ActiveValues.Select(m => (m.MeasuredOn, m.Weight.Kilograms, m.HeightCm)));
        Assert.Equal(
            original.PriorTreatments.ActiveValues.Select(t => (t.Class, t.Drug, t.DoseText, t.Duration.Minutes, t.Outcome)),
            imported.PriorTreatments.ActiveValues.Select(t => (t.Class, t.Drug, t.DoseText, t.Duration.Minutes, t.Outcome)));
        Assert.Equal(original.Medications.ActiveValues.Select(m => m with { Source = MedicationSource.Imported }), imported.Medications.ActiveValues); // each says it was imported
        Assert.Equal(original.Snapshot().AllergyState, imported.Snapshot().AllergyState);
        Assert.Equal(original.Allergies.ActiveValues.Select(a => a with { VerifiedBy = null }), imported.Allergies.ActiveValues); // the verifier is a user of the other system
        Assert.Equal(original.AllergyStatements.ActiveValues.Select(s => s.StatedOn).TakeLast(1), imported.AllergyStatements.ActiveValues.Select(s => s.StatedOn));
        // The sessions' vital signs and the follow-up pain scores come back as imported history, never as session observations.
        Assert.NotEmpty(imported.ImportedVitalSigns.ActiveValues);
        Assert.Equal(
            bundle.Entry.Count(e => e.Resource is Observation o && o.Code.Coding.Any(c => c.Code is FhirCodes.BloodPressurePanel or FhirCodes.HeartRate or FhirCodes.RespiratoryRate or FhirCodes.OxygenSaturation or FhirCodes.PainNrs)),
            imported.ImportedVitalSigns.ActiveValues.Count());
        Assert.NotEmpty(imported.LiverPanels.ActiveValues);
        Assert.Equal(original.LiverPanels.ActiveValues, imported.LiverPanels.ActiveValues); // one panel per collection date, every value back in its unit
        Assert.All(imported.Conditions.Active, e => Assert.Equal(Importer, e.RecordedBy));
        Assert.True((await target.StateAsync()).Intact);
    }

    [Fact]
    public async Task ImportAsync_WeightInPounds_ConvertedToKilograms()
    {
        await using var target = await SeededDatabase.EmptyAsync();
        var bundle = Minimal();
        bundle.Entry.Add(Entry(Weight(154.32, "[lb_av]", "2026-01-02")));
        bundle.Entry.Add(Entry(Height(170, "cm", "2026-01-02")));

        var result = await ImportAsync(target, bundle);

        Assert.True(result.IsSuccess, string.Join(Environment.NewLine, result.Errors));
        await using var db = target.Database.Open(Importer, SeededDatabase.Clock);
        var m = Assert.Single((await new PatientService(db, SeededDatabase.Clock).OpenChartAsync(result.PatientId!.Value, Importer, Ct)).Value.Measurements.ActiveValues);
        Assert.Equal(154.32 * 0.45359237, m.Weight.Kilograms, 9);
        Assert.Equal(170, m.HeightCm);
        Assert.Equal(new DateOnly(2026, 1, 2), m.MeasuredOn);
    }

    [Fact]
    public async Task ImportAsync_LabResultsOfTwoDates_TwoLiverPanels_AndAWrongUnitImportsNothing()
    {
        await using var target = await SeededDatabase.EmptyAsync();
        var bundle = Minimal();
        bundle.Entry.Add(Entry(Measurement("1742-6", 130, "U/L", "2026-01-02")));
        bundle.Entry.Add(Entry(Measurement("1975-2", 0.9, "mg/dL", "2026-01-02")));
        bundle.Entry.Add(Entry(Measurement("1742-6", 35, "U/L", "2025-10-01")));

        var result = await ImportAsync(target, bundle);

        Assert.True(result.IsSuccess, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(2, result.LiverPanels);
        await using (var db = target.Database.Open(Importer, SeededDatabase.Clock))
        {
            var chart = (await new PatientService(db, SeededDatabase.Clock).OpenChartAsync(result.PatientId!.Value, Importer, Ct)).Value.Snapshot();
            Assert.Equal(new LiverPanel(new DateOnly(2026, 1, 2), 130, null, 0.9, null, null), chart.LatestLiverPanel);
            Assert.Equal("liver-injury", Assert.Single(KetaCare.Clinic.Eligibility.InvestigationRules.Evaluate(chart)).RuleId); // ALT above 3× the upper limit
        }

        await using var other = await SeededDatabase.EmptyAsync();
        var millimolar = Minimal("EXT-2");
        millimolar.Entry.Add(Entry(Measurement("1975-2", 0.015, "mmol/L", "2026-01-02")));
        var refused = await ImportAsync(other, millimolar);
        Assert.False(refused.IsSuccess);
        Assert.Contains("mg/dL or umol/L", Assert.Single(refused.Errors).Message, StringComparison.Ordinal);
        Assert.Null(refused.PatientId);
    }

    [Fact]
    public async Task ImportAsync_BilirubinInMicromolesPerLitre_ConvertedToMgPerDlThroughItsMolarMass()
    {
        await using var target = await SeededDatabase.EmptyAsync();
        var bundle = Minimal();
        bundle.Entry.Add(Entry(Measurement("1975-2", 34.2, "umol/L", "2026-01-02")));
        bundle.Entry.Add(Entry(Measurement("1742-6", 30, "U/L", "2026-01-02")));

        var result = await ImportAsync(target, bundle);

        Assert.True(result.IsSuccess, string.Join(Environment.NewLine, result.Errors));
        await using var db = target.Database.Open(Importer, SeededDatabase.Clock);
        var panel = (await new PatientService(db, SeededDatabase.Clock).OpenChartAsync(result.PatientId!.Value, Importer, Ct)).Value.Snapshot().LatestLiverPanel!;
        // 34.2 µmol/L × 584.67 g/mol = 20.0 mg/L = 2.00 mg/dL (1 mg/dL = 17.10 µmol/L).
        Assert.Equal(34.2 * 584.673 / 10_000, panel.TotalBilirubin!.Value, 4);
        Assert.Equal(2.0, panel.TotalBilirubin!.Value, 2);
        Assert.Equal(30, panel.Alt);
    }

    [Fact]
    public async Task ImportAsync_AllergiesInTheShapeHospitalsSend_RecordedAndAKetamineAllergyExcludes()
    {
        await using var target = await SeededDatabase.EmptyAsync();
        var bundle = Minimal();
        // US Core shape: SNOMED-coded substance, HL7 statuses, a reaction with a manifestation and severity.
        bundle.Entry.Add(Entry(new AllergyIntolerance
        {
            ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active"),
            VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed"),
            Category = [AllergyIntolerance.AllergyIntoleranceCategory.Medication],
            Criticality = AllergyIntolerance.AllergyIntoleranceCriticality.High,
            Code = new CodeableConcept(FhirCodes.Snomed, FhirCodes.KetamineSubstance, "Ketamine (substance)"),
            Patient = new ResourceReference("Patient/new-1"),
            Reaction = [new AllergyIntolerance.ReactionComponent { Manifestation = [new CodeableConcept { Text = "anaphylaxis" }], Severity = AllergyIntolerance.AllergyIntoleranceSeverity.Severe }],
        }));
        bundle.Entry.Add(Entry(new AllergyIntolerance
        {
            Code = new CodeableConcept { Text = "Penicillin" },
            Patient = new ResourceReference("Patient/new-1"),
            VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "entered-in-error"),
        }));
        // A "no known allergies" beside an allergy is ignored: the allergy takes precedence.
        bundle.Entry.Add(Entry(new AllergyIntolerance
        {
            Code = new CodeableConcept(FhirCodes.Snomed, FhirCodes.NoKnownAllergy),
            Patient = new ResourceReference("Patient/new-1"),
            RecordedDateElement = new FhirDateTime("2026-01-02"),
        }));

        var result = await ImportAsync(target, bundle);

        Assert.True(result.IsSuccess, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(1, result.Allergies);
        Assert.Equal([(2, FhirImportReason.EnteredInError), (3, FhirImportReason.Superseded)], result.Skipped.Select(k => (k.EntryIndex, k.Code)));
        await using var db = target.Database.Open(Importer, SeededDatabase.Clock);
        var chart = (await new PatientService(db, SeededDatabase.Clock).OpenChartAsync(result.PatientId!.Value, Importer, Ct)).Value;
        var allergy = Assert.Single(chart.Allergies.ActiveValues);
        Assert.Equal((AllergySubstance.Ketamine, AllergyCriticality.High, AllergyVerification.Confirmed, "anaphylaxis", ReactionSeverity.Severe), (allergy.Substance, allergy.Criticality, allergy.Verification, allergy.Reaction, allergy.Severity));
        Assert.Empty(chart.AllergyStatements.ActiveValues);
        Assert.Equal(allergy, chart.Snapshot().KetamineAllergy);
    }

    [Fact]
    public async Task ImportAsync_NoKnownAllergiesWithoutItsDate_RefusedNothingStored()
    {
        await using var target = await SeededDatabase.EmptyAsync();
        var bundle = Minimal();
        bundle.Entry.Add(Entry(new AllergyIntolerance { Code = new CodeableConcept(FhirCodes.Snomed, FhirCodes.NoKnownAllergy), Patient = new ResourceReference("Patient/new-1") }));

        var result = await ImportAsync(target, bundle);

        var error = Assert.Single(result.Errors);
        Assert.Equal((1, "AllergyIntolerance", "recordedDate"), (error.EntryIndex, error.ResourceType, error.Field));
        Assert.Null(result.PatientId);
    }

    [Fact]
    public async Task ImportAsync_BadUnitsAndOutOfRange_RefusedNamingEntryFieldAndAllowedValuesNothingStored()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var before = await t.StateAsync();
        var bundle = Minimal();
        bundle.Entry.Add(Entry(Weight(70000, "g", "2026-01-02")));
        bundle.Entry.Add(Entry(Height(67, "[in_i]", "2026-01-02")));
        bundle.Entry.Add(Entry(Weight(900, "kg", "2026-01-03")));
        bundle.Entry.Add(Entry(Height(170, "cm", "2026-01-04")));

        var result = await ImportAsync(t, bundle);

        Assert.False(result.IsSuccess);
        Assert.Null(result.PatientId);
        var messages = result.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(messages, m => m.StartsWith("entry 1 (Observation) valueQuantity.code: \"g\"", StringComparison.Ordinal) && m.Contains("kg or [lb_av]", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("entry 2 (Observation) valueQuantity.code: \"[in_i]\"", StringComparison.Ordinal) && m.Contains("allowed: cm", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("entry 3 (Observation) valueQuantity.value: weight: 900 kg", StringComparison.Ordinal) && m.Contains("0.3–500 kg", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("entry 4 (Observation) effectiveDateTime", StringComparison.Ordinal));
        Assert.Equal("Bundle.entry[1].resource.valueQuantity.code", result.Errors[0].Expression);
        Assert.Equal(4, result.ToOperationOutcome().Issue.Count);
        Assert.Equal(before, await t.StateAsync());
    }

    [Fact]
    public async Task ImportAsync_MissingRequiredFields_RefusedPerEntryNothingStored()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var before = await t.StateAsync();
        var bundle = Minimal();
        var patient = (Hl7.Fhir.Model.Patient)bundle.Entry[0].Resource;
        patient.BirthDate = null;
        patient.Name[0].Family = null;
        bundle.Entry.Add(Entry(new Hl7.Fhir.Model.Condition { Subject = new ResourceReference("Patient/new-1"), Code = new CodeableConcept(FhirCodes.Icd10Cm, "G90.511") }));
        bundle.Entry.Add(Entry(new MedicationStatement { Status = MedicationStatement.MedicationStatusCodes.Stopped, Subject = new ResourceReference("Patient/new-1"), Medication = new CodeableConcept { Text = "pregabalin" } }));
        bundle.Entry.Add(Entry(new Hl7.Fhir.Model.Condition { Subject = new ResourceReference("Patient/someone-else"), Code = new CodeableConcept(FhirCodes.Icd10Cm, "not-a-code"), Onset = new FhirDateTime(2024, 1, 1) }));

        var result = await ImportAsync(t, bundle);

        var fields = result.Errors.Select(e => (e.EntryIndex, e.ResourceType, e.Field)).ToList();
        Assert.Contains((0, "Patient", "birthDate"), fields);
        Assert.Contains((0, "Patient", "name.family"), fields);
        Assert.Contains((1, "Condition", "onsetDateTime"), fields);
        Assert.Contains((2, "MedicationStatement", "statusReason"), fields);
        Assert.Contains((2, "MedicationStatement", "dosage.timing.repeat.boundsDuration"), fields);
        Assert.Contains((3, "Condition", "subject.reference"), fields);
        Assert.Contains((3, "Condition", "code.coding.code"), fields);
        Assert.Equal(before, await t.StateAsync());
    }

    [Fact]
    public async Task ImportAsync_WrongTypes_RefusedNamingTheEntryNothingStored()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var before = await t.StateAsync();
        var notABundle = FhirJson.Serialize(new Hl7.Fhir.Model.Patient { Id = "p" });
        var wrongPrimitive = FhirJson.Serialize(Minimal()).Replace("\"birthDate\":\"1980-05-06\"", "\"birthDate\":19800506", StringComparison.Ordinal);
        var notJson = "{ this is not json";

        var results = new List<FhirImportResult>();
        foreach (var json in new[] { notABundle, wrongPrimitive, notJson })
        {
            await using var db = t.Database.Open(Importer, SeededDatabase.Clock);
            results.Add(await new FhirImporter(db, SeededDatabase.Clock).ImportAsync(json, Importer, Ct));
        }

        Assert.All(results, r => Assert.False(r.IsSuccess));
        Assert.Equal(("Patient", "resourceType"), (results[0].Errors.Single().ResourceType, results[0].Errors.Single().Field));
        Assert.Contains(results[1].Errors, e => e.EntryIndex == 0 && e.Field.Contains("birthDate", StringComparison.Ordinal));
        Assert.NotEmpty(results[2].Errors);
        Assert.Equal(before, await t.StateAsync());
    }

    [Fact]
    public async Task ImportAsync_Over10Megabytes_RefusedBeforeParsingNothingStored()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var before = await t.StateAsync();
        var huge = new byte[FhirImporter.MaxBundleBytes + 1];
        Array.Fill(huge, (byte)' ');
        await using var db = t.Database.Open(Importer, SeededDatabase.Clock);
        var importer = new FhirImporter(db, SeededDatabase.Clock);

        var seekable = await importer.ImportAsync(new MemoryStream(huge), Importer, Ct);
        var streamed = await importer.ImportAsync(new NonSeekable(new MemoryStream(huge)), Importer, Ct);

        foreach (var r in new[] { seekable, streamed })
        {
            var error = Assert.Single(r.Errors);
            Assert.Contains("10 MB", error.Message, StringComparison.Ordinal);
            Assert.Null(error.EntryIndex);
        }

        Assert.Equal(before, await t.StateAsync());
    }

    [Fact]
    public async Task ImportAsync_RecordNumberAlreadyRegistered_RefusedNothingStored()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var before = await t.StateAsync();
        var bundle = Minimal("DEMO-0001");
        bundle.Entry.Add(Entry(Weight(70, "kg", "2026-01-02")));

        var result = await ImportAsync(t, bundle);

        var error = Assert.Single(result.Errors);
        Assert.Equal((0, "identifier"), (error.EntryIndex, error.Field));
        Assert.Contains("already registered", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await t.StateAsync());
    }

    /// <summary>What KetaCare imports from its own export: the patient, conditions, weights, heights, liver tests, vital signs and pain scores (as history), medication statements and allergies.</summary>
    private static bool Importable(Resource r) => r is Hl7.Fhir.Model.Patient or Hl7.Fhir.Model.Condition or MedicationStatement or AllergyIntolerance
        || (r is Observation o && o.Code.Coding.Any(c => c.Code is FhirCodes.BodyWeight or FhirCodes.BodyHeight or FhirCodes.BloodPressurePanel or FhirCodes.HeartRate or FhirCodes.RespiratoryRate or FhirCodes.OxygenSaturation or FhirCodes.PulseOximetry or FhirCodes.BodyTemperature or FhirCodes.PainNrs || (c.System == FhirCodes.Loinc && LabTestInfo.ByLoinc(c.Code) is not null)));

    [Fact]
    public async Task ImportAsync_ExportWithAuditEventsAndABadWeight_RefusedNothingStoredAuditEventsOnlySkipped()
    {
        await using var source = await SeededDatabase.DemoAsync();
        await using var target = await SeededDatabase.EmptyAsync();
        var (bundle, id) = await FhirExportTests.EverythingAsync(source);
        await using (var db = source.Database.Open(SeededDatabase.Reader, SeededDatabase.Clock))
        {
            var audit = (await new FhirExporter(db, SeededDatabase.Clock).SearchAsync(FhirExportTests.Search("AuditEvent", id), SeededDatabase.Reader, null, Ct)).Value;
            bundle.Entry.AddRange(audit.Entry);
        }

        var withAudit = await ImportAsync(target, bundle);
        var weight = bundle.Entry.Select(e => e.Resource).OfType<Observation>().First(o => o.Code.Coding[0].Code == FhirCodes.BodyWeight);
        ((Quantity)weight.Value).Code = "g";
        var before = await target.StateAsync();
        var broken = await ImportAsync(target, bundle);

        Assert.True(withAudit.IsSuccess, string.Join(Environment.NewLine, withAudit.Errors));
        Assert.Contains(withAudit.Skipped, k => k.ResourceType == "AuditEvent");
        Assert.False(broken.IsSuccess);
        Assert.Contains(broken.Errors, e => (e.ResourceType, e.Field) == ("Observation", "valueQuantity.code"));
        Assert.Equal(before, await target.StateAsync());
    }

    private static Bundle Minimal(string mrn = "EXT-1") => new()
    {
        Type = Bundle.BundleType.Collection,
        Entry =
        [
            Entry(new Hl7.Fhir.Model.Patient
            {
                Id = "new-1",
                Identifier = [new Identifier(FhirCodes.MrnSystem, mrn)],
                Name = [new HumanName { Family = "Öztürk", Given = ["İpek"] }],
                BirthDate = "1980-05-06",
                Gender = AdministrativeGender.Female,
            }),
        ],
    };

    private static Bundle.EntryComponent Entry(Resource r) => new() { Resource = r };

    private static Observation Weight(double value, string unit, string date) => Measurement(FhirCodes.BodyWeight, value, unit, date);

    private static Observation Height(double value, string unit, string date) => Measurement(FhirCodes.BodyHeight, value, unit, date);

    private static Observation Measurement(string loinc, double value, string unit, string date) => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept(FhirCodes.Loinc, loinc),
        Subject = new ResourceReference("Patient/new-1"),
        Effective = new FhirDateTime(date),
        Value = new Quantity { Value = (decimal)value, Unit = unit, System = FhirCodes.Ucum, Code = unit },
    };

    private static async Task<FhirImportResult> ImportAsync(SeededDatabase t, Bundle bundle)
    {
        await using var db = t.Database.Open(Importer, SeededDatabase.Clock);
        return await new FhirImporter(db, SeededDatabase.Clock).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(FhirJson.Serialize(bundle))), Importer, Ct);
    }

    /// <summary>A stream whose length is unknown (a network upload), so the limit is enforced while reading.</summary>
    private sealed class NonSeekable(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
