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
        var by = ByOption(required: true);
        var file = new Argument<string>("FILE") { Description = "A FHIR R4 Bundle in JSON (at most 10 MB): one Patient, Conditions (ICD-10-CM), body weight and height Observations, MedicationStatements." };
        var fhir = new Command("fhir", "Register a new patient from a FHIR R4 Bundle. Every entry is checked first; any problem (listed on stderr with its entry, field and allowed values) imports nothing (exit 2).") { file };
        fhir.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user =>
        {
            var path = parse.GetValue(file)!;
            return File.Exists(path)
                ? DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => ImportFhirAsync(context, db, path, user, c), ct)
                : Task.FromResult(context.UsageError($"FILE: \"{path}\" does not exist."));
        }));
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

    private static async Task<int> ImportFhirAsync(CliContext context, ClinicDatabase database, string path, UserId by, CancellationToken ct)
    {
        await using var db = database.Open(by, context.Clock);
        await using var stream = File.OpenRead(path);
        var result = await new FhirImporter(db, context.Clock).ImportAsync(stream, by, ct).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            foreach (var e in result.Errors)
            {
                context.Error.WriteLine("error: " + e);
            }

            context.Error.WriteLine($"nothing imported from {path}: {Int(result.Errors.Count)} problem(s).");
            return ExitCodes.Usage;
        }

        context.Out.WriteLine($"imported {result.MedicalRecordNumber} as patient {result.PatientId}: {Int(result.Conditions)} condition(s), {Int(result.Measurements)} weight(s), {Int(result.PriorTreatments)} prior treatment(s), {Int(result.Medications)} medication(s).");
        foreach (var g in result.Skipped.GroupBy(k => k.ResourceType, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            context.Out.WriteLine($"skipped {Int(g.Count())} {g.Key}: {g.First().Reason}");
        }
        return ExitCodes.Success;
    }
}
