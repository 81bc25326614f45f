using System.CommandLine;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Interop.Fhir;

namespace KetaCare.Cli.Commands;

/// <summary>
/// <c>ketacare export fhir</c> and <c>ketacare import fhir</c>: a patient's record as a FHIR R4 Bundle through
/// <see cref="FhirExporter"/> (an audited chart read), and a new patient from a Bundle through <see cref="FhirImporter"/>
/// (audited changes, one transaction). Same database options and user identity as the other clinic commands.
/// </summary>
internal static partial class ClinicCommands
{
    internal static Command Export(CliContext context)
    {
        var (database, connection) = DatabaseOptions();
        var by = ByOption(required: false);
        var patient = new Option<string>("--patient") { Description = "The patient: medical record number or patient id (GUID).", Required = true };
        var baseUrl = new Option<string>("--base-url")
        {
            Description = "The clinic's FHIR base URL, for each entry's fullUrl ({base}/{type}/{id}), e.g. https://clinic.example/fhir.",
            DefaultValueFactory = _ => DefaultBaseUrl,
        };
        var fhir = new Command("fhir", "Everything clinical about one patient as a FHIR R4 searchset Bundle (Patient/$everything) in JSON on stdout; the chart read is audited.") { patient, baseUrl };
        fhir.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user =>
        {
            var root = parse.GetValue(baseUrl)!;
            return Uri.TryCreate(root, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
                ? DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => ExportFhirAsync(context, db, parse.GetValue(patient)!, root, user, c), ct)
                : Task.FromResult(context.UsageError($"--base-url: \"{root}\" is not an absolute http or https URL."));
        }));
        return new Command("export", "Export clinical records in a standard format.") { database, connection, by, fhir };
    }

    // Where `dotnet run --project src/KetaCare.Web` serves FHIR; a clinic passes its own address.
    private const string DefaultBaseUrl = "http://localhost:5080/fhir";

    internal static Command Import(CliContext context)
    {
        var (database, connection) = DatabaseOptions();
        var by = ByOption(required: false);
        var file = new Argument<string>("FILE") { Description = "A FHIR R4 Bundle in JSON (at most 10 MB): one Patient, Conditions (ICD-10-CM), body weight and height Observations, MedicationStatements, AllergyIntolerances; other entries are skipped and listed." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the import plan (per entry: import, skip or refuse, with the reason) and store nothing." };
        var different = new Option<bool>("--confirm-different-person") { Description = "Confirm that the bundle's patient is none of the registered patients the plan flags as possible duplicates." };
        var fhir = new Command("fhir", "Register a new patient from a FHIR R4 Bundle. The plan is printed entry by entry; any refused entry (listed on stderr with its field and allowed values) imports nothing (exit 2), and possible duplicates import nothing without --confirm-different-person (exit 1).") { file, dryRun, different };
        fhir.SetAction((parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                return Task.FromResult(context.UsageError($"FILE: \"{path}\" does not exist."));
            }

            if (parse.GetValue(dryRun))
            {
                return DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => PreviewFhirAsync(context, db, path, c), ct);
            }

            return WithUser(context, parse.GetValue(by), user =>
                DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => ImportFhirAsync(context, db, path, user, parse.GetValue(different), c), ct));
        });
        return new Command("import", "Import clinical records from a standard format.") { database, connection, by, fhir };
    }

    private static async Task<int> ExportFhirAsync(CliContext context, ClinicDatabase database, string patient, string baseUrl, UserId by, CancellationToken ct)
    {
        await using var db = database.Open(by, context.Clock);
        PatientId id;
        if (!FhirExporter.TryParseId(patient, out id))
        {
            var summary = await FindAsync(db, patient, ct).ConfigureAwait(false);
            if (summary is null)
            {
                return context.UsageError($"--patient: no patient with record number or id \"{patient}\"; see 'ketacare patients list'.");
            }

            id = summary.Id;
        }

        var bundle = await new FhirExporter(db, context.Clock).EverythingAsync(id, by, baseUrl, ct).ConfigureAwait(false);
        if (!bundle.IsSuccess)
        {
            return context.UsageError("--patient: " + bundle.Error);
        }

        context.Out.WriteLine(FhirJson.Serialize(bundle.Value, pretty: true));
        return ExitCodes.Success;
    }

    private static async Task<int> PreviewFhirAsync(CliContext context, ClinicDatabase database, string path, CancellationToken ct)
    {
        await using var db = database.Open();
        await using var stream = File.OpenRead(path);
        var preview = await new FhirImporter(db, context.Clock).PreviewAsync(stream, ct).ConfigureAwait(false);
        WritePlan(context, preview);
        context.Out.WriteLine($"dry run: nothing stored from {path}.");
        return preview.CanApply ? ExitCodes.Success : ExitCodes.Usage;
    }

    private static async Task<int> ImportFhirAsync(CliContext context, ClinicDatabase database, string path, UserId by, bool differentPerson, CancellationToken ct)
    {
        await using var db = database.Open(by, context.Clock);
        await using var stream = File.OpenRead(path);
        var result = await new FhirImporter(db, context.Clock).ImportAsync(stream, by, differentPerson, ct).ConfigureAwait(false);
        if (result.Preview is { } plan)
        {
            WritePlan(context, plan);
        }

        if (result.NeedsDuplicateConfirmation)
        {
            context.Error.WriteLine($"nothing imported from {path}: the patient may already be registered (above); check the charts, then repeat with --confirm-different-person if this is another person.");
            return ExitCodes.Refused;
        }

        if (!result.IsSuccess)
        {
            foreach (var e in result.Errors)
            {
                context.Error.WriteLine("error: " + e);
            }

            context.Error.WriteLine($"nothing imported from {path}: {Int(result.Errors.Count)} problem(s).");
            return ExitCodes.Usage;
        }

        context.Out.WriteLine($"{(result.Updated ? "updated" : "imported")} {result.MedicalRecordNumber} as patient {result.PatientId}: {Int(result.Conditions)} condition(s), {Int(result.Measurements)} weight(s), {Int(result.VitalSigns)} vital sign(s) as history, {Int(result.LiverPanels)} liver panel(s), {Int(result.PriorTreatments)} prior treatment(s), {Int(result.Medications)} medication(s), {Int(result.Allergies)} allerg(y/ies); {Int(result.Skipped.Count)} entr(y/ies) skipped.");
        return ExitCodes.Success;
    }

    /// <summary>One line per entry ("entry 3 Observation: skip (ObservationNotImported) …"), then the flagged possible duplicates.</summary>
    private static void WritePlan(CliContext context, FhirImportPreview plan)
    {
        foreach (var e in plan.Entries)
        {
            var action = e.Action.ToString().ToLowerInvariant();
            context.Out.WriteLine(e.Action is FhirImportAction.Import or FhirImportAction.Update
                ? $"entry {Int(e.EntryIndex)} {e.ResourceType}: {action}"
                : $"entry {Int(e.EntryIndex)} {e.ResourceType}: {action} ({e.Reason}) {e.Detail}");
        }

        foreach (var e in plan.Errors.Where(e => e.EntryIndex is null))
        {
            context.Out.WriteLine($"bundle: refuse ({e.Reason}) {e.Message}");
        }

        if (plan.Match is { } match)
        {
            context.Out.WriteLine($"update: {match.Detail}");
        }

        foreach (var d in plan.Duplicates)
        {
            context.Out.WriteLine($"possible duplicate: {d.MedicalRecordNumber} {d.FamilyName}, {d.GivenName} (born {Date(d.BirthDate)}){(d.SexDiffers ? $", administrative sex {d.Sex} differs" : string.Empty)}, patient {d.PatientId}");
        }

        context.Out.WriteLine($"plan: {Int(plan.Count(FhirImportAction.Import))} to import, {Int(plan.Count(FhirImportAction.Skip))} skipped, {Int(plan.Count(FhirImportAction.Refuse))} refused.");
    }
}
