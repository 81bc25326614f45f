using System.Text.Json;
using KetaCare.Clinic.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Cli.Tests;

/// <summary><c>ketacare export fhir</c> and <c>ketacare import fhir</c> on temporary SQLite files.</summary>
public sealed class FhirCommandTests : IDisposable
{
    private const string User = "00000000-0000-0000-0000-0000000000ab";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ketacare-cli-fhir-" + Guid.NewGuid().ToString("N"));

    public FhirCommandTests()
    {
        Assert.Equal(0, Cli.Run("db", "migrate", "--database", Demo).ExitCode);
        Assert.Equal(0, Cli.Run("db", "seed", "--database", Demo).ExitCode);
        Assert.Equal(0, Cli.Run("db", "migrate", "--database", Empty).ExitCode);
    }

    private string Demo => Path.Combine(_folder, "demo.db");

    private string Empty => Path.Combine(_folder, "empty.db");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void ExportFhir_RecordNumber_WritesTheBundleAndAuditsTheReadByTheUser()
    {
        var before = Audit(Demo);

        var run = Cli.Run("export", "fhir", "--patient", "DEMO-0001", "--by", User, "--database", Demo);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("Bundle", json.RootElement.GetProperty("resourceType").GetString());
        Assert.Equal("searchset", json.RootElement.GetProperty("type").GetString());
        var types = json.RootElement.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource").GetProperty("resourceType").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "Patient", "Condition", "Observation", "MedicationAdministration", "MedicationRequest", "Encounter" }, types);
        Assert.DoesNotContain("AuditEvent", types);
        // bdl-15 style: every entry has a fullUrl, the default base joined to its type and id.
        Assert.All(json.RootElement.GetProperty("entry").EnumerateArray(), e => Assert.Equal(
            $"http://localhost:5080/fhir/{e.GetProperty("resource").GetProperty("resourceType").GetString()}/{e.GetProperty("resource").GetProperty("id").GetString()}",
            e.GetProperty("fullUrl").GetString()));
        var after = Audit(Demo);
        Assert.True(after.Count > before.Count);
        Assert.All(after.Skip(before.Count), a => Assert.Equal(("read", User), (a.Action, a.UserId.ToString())));
    }

    [Fact]
    public void ExportThenImport_OwnExport_ImportsAndReportsWhatWasSkipped()
    {
        var export = Cli.Run("export", "fhir", "--patient", "DEMO-0001", "--by", User, "--database", Demo, "--base-url", "https://clinic.example/fhir");
        using var file = Cli.TempFile(".json");
        File.WriteAllText(file.Path, export.Out);

        var run = Cli.Run("import", "fhir", file.Path, "--by", User, "--database", Empty);

        Assert.Equal(0, export.ExitCode);
        Assert.Contains("\"fullUrl\": \"https://clinic.example/fhir/Patient/", export.Out, StringComparison.Ordinal);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("imported DEMO-0001", run.Out, StringComparison.Ordinal);
        Assert.Contains(" Encounter: skip (EncounterContext)", run.Out, StringComparison.Ordinal);
        Assert.Contains(" Patient: import", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportFhir_DryRun_PrintsThePlanEntryByEntryAndStoresNothing()
    {
        using var file = Cli.TempFile(".json");
        File.WriteAllText(file.Path, """
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Patient","id":"p","identifier":[{"system":"https://ketacare.org/fhir/sid/mrn","value":"EXT-9"}],"name":[{"family":"Test","given":["Ada"]}],"birthDate":"1970-01-01"}},
              {"resource":{"resourceType":"Encounter","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"subject":{"reference":"Patient/p"}}},
              {"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"subject":{"reference":"Patient/p"},"effectiveDateTime":"2026-01-02","valueQuantity":{"value":70,"unit":"g","system":"http://unitsofmeasure.org","code":"g"}}}
            ]}
            """);
        var before = Audit(Empty).Count;

        var run = Cli.Run("import", "fhir", file.Path, "--dry-run", "--database", Empty);

        Assert.Equal(2, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Equal("entry 0 Patient: import", lines[0]);
        Assert.StartsWith("entry 1 Encounter: skip (EncounterContext) ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("entry 2 Observation: refuse (Unit) valueQuantity.code: ", lines[2], StringComparison.Ordinal);
        Assert.Equal("plan: 1 to import, 1 skipped, 1 refused.", lines[3]);
        Assert.StartsWith("dry run: nothing stored", lines[4], StringComparison.Ordinal);
        Assert.Equal(before, Audit(Empty).Count);
    }

    [Fact]
    public void ImportFhir_SamePersonUnderAnotherRecordNumber_RefusedUntilConfirmed()
    {
        var export = Cli.Run("export", "fhir", "--patient", "DEMO-0001", "--by", User, "--database", Demo);
        using var file = Cli.TempFile(".json");
        File.WriteAllText(file.Path, export.Out.Replace("\"DEMO-0001\"", "\"HOSP-77\"", StringComparison.Ordinal));
        var before = Audit(Demo).Count(a => a.Action != "read");

        var unconfirmed = Cli.Run("import", "fhir", file.Path, "--by", User, "--database", Demo);
        var stored = Audit(Demo).Count(a => a.Action != "read");
        var confirmed = Cli.Run("import", "fhir", file.Path, "--by", User, "--database", Demo, "--confirm-different-person");

        Assert.Equal(1, unconfirmed.ExitCode);
        Assert.Contains("possible duplicate: DEMO-0001", unconfirmed.Out, StringComparison.Ordinal);
        Assert.Contains("--confirm-different-person", unconfirmed.Error, StringComparison.Ordinal);
        Assert.Equal(before, stored);
        Assert.Equal(0, confirmed.ExitCode);
        Assert.Contains("imported HOSP-77", confirmed.Out, StringComparison.Ordinal);
        var show = Cli.Run("patients", "show", "HOSP-77", "--by", User, "--database", Demo);
        Assert.Contains("(imported history, not for dosing)", show.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ExportFhir_UnknownPatientOrNoUser_UsageErrorNamingTheOption()
    {
        var unknown = Cli.Run("export", "fhir", "--patient", "NOPE-1", "--by", User, "--database", Demo);
        var noUser = Cli.Run("export", "fhir", "--patient", "DEMO-0001", "--database", Demo);

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--patient", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(2, noUser.ExitCode);
        Assert.Contains("--by", noUser.Error, StringComparison.Ordinal);
        var badBase = Cli.Run("export", "fhir", "--patient", "DEMO-0001", "--by", User, "--database", Demo, "--base-url", "clinic/fhir");
        Assert.Equal(2, badBase.ExitCode);
        Assert.Contains("--base-url", badBase.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportFhir_BadBundle_ListsEveryProblemImportsNothing()
    {
        using var file = Cli.TempFile(".json");
        File.WriteAllText(file.Path, """
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Patient","id":"p","identifier":[{"system":"https://ketacare.org/fhir/sid/mrn","value":"EXT-9"}],"name":[{"family":"Test","given":["Ada"]}],"birthDate":"1970-01-01"}},
              {"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"subject":{"reference":"Patient/p"},"effectiveDateTime":"2026-01-02","valueQuantity":{"value":70,"unit":"g","system":"http://unitsofmeasure.org","code":"g"}}}
            ]}
            """);
        var before = Audit(Empty).Count;

        var run = Cli.Run("import", "fhir", file.Path, "--by", User, "--database", Empty);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("entry 1 (Observation) valueQuantity.code", run.Error, StringComparison.Ordinal);
        Assert.Contains("nothing imported", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, Audit(Empty).Count);
    }

    [Fact]
    public void ImportFhir_GoodBundle_RegistersThePatientUnderTheUser()
    {
        using var file = Cli.TempFile(".json");
        File.WriteAllText(file.Path, """
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Patient","id":"p","identifier":[{"system":"https://ketacare.org/fhir/sid/mrn","value":"EXT-9"}],"name":[{"family":"Test","given":["Ada"]}],"birthDate":"1970-01-01","gender":"female"}},
              {"resource":{"resourceType":"Condition","subject":{"reference":"Patient/p"},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"G90.511"}],"text":"CRPS I right arm"},"onsetDateTime":"2024-03-01"}},
              {"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"subject":{"reference":"Patient/p"},"effectiveDateTime":"2026-01-02","valueQuantity":{"value":68.5,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}}}
            ]}
            """);

        var run = Cli.Run("import", "fhir", file.Path, "--by", User, "--database", Empty);
        var show = Cli.Run("patients", "show", "EXT-9", "--by", User, "--database", Empty);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("imported EXT-9", run.Out, StringComparison.Ordinal);
        Assert.Contains("1 condition(s), 1 weight(s)", run.Out, StringComparison.Ordinal);
        Assert.Contains("G90.511 CRPS I right arm, onset 2024-03-01", show.Out, StringComparison.Ordinal);
        Assert.Contains("68.5 kg", show.Out, StringComparison.Ordinal);
        Assert.Equal(["create", "update"], Audit(Empty).Where(a => a.EntityType == "patient" && a.Action != "read").Select(a => a.Action));
        Assert.All(Audit(Empty).Where(a => a.EntityType == "patient"), a => Assert.Equal(User, a.UserId.ToString()));
    }

    [Fact]
    public void ImportFhir_SameHospitalBundleTwice_SecondIsAnUpdateThatAddsNothing()
    {
        using var file = Cli.TempFile(".json");
        File.WriteAllText(file.Path, """
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Patient","id":"p","identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},"system":"http://hospital.example/mrn","value":"HX-1"}],"name":[{"family":"Test","given":["Ada"]}],"birthDate":"1970-01-01","gender":"female"}},
              {"resource":{"resourceType":"Observation","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"subject":{"reference":"Patient/p"},"effectiveDateTime":"2025-06-02T10:15:00Z","valueQuantity":{"value":72,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}}}
            ]}
            """);

        var first = Cli.Run("import", "fhir", file.Path, "--by", User, "--database", Empty);
        var dryRun = Cli.Run("import", "fhir", file.Path, "--dry-run", "--database", Empty);
        var second = Cli.Run("import", "fhir", file.Path, "--by", User, "--database", Empty);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("imported HX-1", first.Out, StringComparison.Ordinal);
        Assert.Contains("1 vital sign(s) as history", first.Out, StringComparison.Ordinal);
        var lines = dryRun.Out.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("entry 0 Patient: update", lines[0]);
        Assert.StartsWith("entry 1 Observation: skip (AlreadyOnChart) ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("update: identifier http://hospital.example/mrn HX-1 is registered to Ada Test (HX-1)", lines[2], StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("updated HX-1", second.Out, StringComparison.Ordinal);
        Assert.Contains("0 vital sign(s) as history", second.Out, StringComparison.Ordinal);
    }

    private static List<AuditEvent> Audit(string path)
    {
        using var db = ClinicDatabase.Sqlite(path).Open();
        return [.. db.AuditEvents.AsNoTracking().OrderBy(a => a.Sequence)];
    }
}
