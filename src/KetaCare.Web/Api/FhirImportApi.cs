using KetaCare.Clinic.Persistence;
using KetaCare.Interop.Fhir;
using KetaCare.Pharmacology.Models;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Api;

/// <summary>
/// Registering a patient from a FHIR R4 Bundle: the plan first (<c>POST /imports/fhir/preview</c>, stores nothing),
/// then the import (<c>POST /imports/fhir</c>), which computes the plan again and applies it in one transaction.
/// The body is the bundle itself (FHIR JSON, at most 10 MB).
/// </summary>
internal static class FhirImportApi
{
    /// <summary>The path both endpoints share; the request limits let its bodies be as large as a bundle may be.</summary>
    public const string Path = "/api/v1/imports/fhir";

    public static void Map(RouteGroupBuilder api)
    {
        var imports = api.MapGroup("/imports/fhir").WithTags("FHIR import");

        imports.MapPost("/preview", PreviewAsync)
            .RequireAuthorization(Policies.RecordPatient)
            .WithName("PreviewFhirImport")
            .WithSummary("The import plan of a FHIR R4 Bundle (body: the bundle, FHIR JSON, at most 10 MB): the patient it registers (or, when its record-number identifier names a chart imported from the same system, the chart it updates: 'match'), per entry Import, Update, Skip or Refuse with a reason code (FhirImportReason) and an English detail, bundle-level errors, and registered patients who may be the same person. Stores nothing.")
            .Accepts<object>("application/fhir+json", "application/json")
            .Produces<FhirImportPlan>()
            .ProducesValidationProblem();

        imports.MapPost("/", ImportAsync)
            .RequireAuthorization(Policies.RecordPatient)
            .WithName("ImportFhir")
            .WithSummary("Registers the bundle's patient with every entry the plan imports, in one transaction (201); when the plan is an update, adds the new entries to the matched chart (200). 400 when any entry or the bundle is refused (the plan is in the 'plan' extension); 409 when the plan flags possible duplicates and confirmDifferentPerson is not true. Nothing is stored on either.")
            .Accepts<object>("application/fhir+json", "application/json")
            .Produces<FhirImported>(StatusCodes.Status201Created)
            .Produces<FhirImported>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> PreviewAsync(HttpContext http, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var preview = await new FhirImporter(db, request.Clock).PreviewAsync(http.Request.Body, ct).ConfigureAwait(false);
        return TypedResults.Ok(FhirImportPlan.From(preview));
    }

    private static async Task<IResult> ImportAsync(bool? confirmDifferentPerson, HttpContext http, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var result = await new FhirImporter(db, request.Clock).ImportAsync(http.Request.Body, request.RequiredUser, confirmDifferentPerson == true, ct).ConfigureAwait(false);
        var plan = new Dictionary<string, object?>(StringComparer.Ordinal) { ["plan"] = result.Preview is { } p ? FhirImportPlan.From(p) : null };
        if (result.NeedsDuplicateConfirmation)
        {
            return TypedResults.Problem(
                detail: "The bundle's patient may already be registered (see plan.duplicates); check the charts, then send confirmDifferentPerson=true if this is another person.",
                statusCode: StatusCodes.Status409Conflict,
                title: "Possible duplicate patient; nothing was saved",
                extensions: plan);
        }

        if (!result.IsSuccess)
        {
            return ApiProblems.Invalid([.. result.Errors.Select(e => e.Expression + ": " + e.Message)], plan);
        }

        var imported = new FhirImported(result.PatientId!.Value.Value, result.MedicalRecordNumber!, FhirImportPlan.From(result.Preview!)) { Updated = result.Updated };
        return result.Updated ? TypedResults.Ok(imported) : TypedResults.Created("/api/v1/patients/" + imported.PatientId.ToString("D"), imported);
    }
}

/// <summary>The import plan of a bundle.</summary>
/// <param name="MedicalRecordNumber">The record number the patient is registered under, when the Patient entry is complete.</param>
/// <param name="FamilyName">Family name (the current official name).</param>
/// <param name="GivenName">Given name.</param>
/// <param name="BirthDate">Date of birth.</param>
/// <param name="Sex">Administrative sex, when stated.</param>
/// <param name="CanApply">True when nothing is refused.</param>
/// <param name="NeedsDuplicateConfirmation">True when applying needs confirmDifferentPerson=true.</param>
/// <param name="Entries">Per entry: index, resource type, action (Import, Update, Skip, Refuse), reason code, English detail.</param>
/// <param name="Errors">Every problem, as "FHIRPath: message".</param>
/// <param name="Duplicates">Registered patients who may be the same person.</param>
public sealed record FhirImportPlan(
    string? MedicalRecordNumber,
    string? FamilyName,
    string? GivenName,
    DateOnly? BirthDate,
    Sex? Sex,
    bool CanApply,
    bool NeedsDuplicateConfirmation,
    IReadOnlyList<FhirImportEntry> Entries,
    IReadOnlyList<string> Errors,
    IReadOnlyList<FhirImportDuplicate> Duplicates)
{
    /// <summary>The registered patient the bundle updates (its record-number identifier names the chart), or null for a new registration.</summary>
    public FhirImportMatched? Match { get; init; }

    internal static FhirImportPlan From(FhirImportPreview p) => new(
        p.Patient?.MedicalRecordNumber,
        p.Patient?.FamilyName,
        p.Patient?.GivenName,
        p.Patient?.BirthDate,
        p.Patient?.Sex,
        p.CanApply,
        p.NeedsDuplicateConfirmation,
        p.Entries,
        [.. p.Errors.Select(e => e.Expression + ": " + e.Message)],
        [.. p.Duplicates.Select(d => new FhirImportDuplicate(d.PatientId.Value, d.MedicalRecordNumber, d.FamilyName, d.GivenName, d.BirthDate) { Sex = d.Sex, SexDiffers = d.SexDiffers })])
    {
        Match = p.Match is { } m ? new FhirImportMatched(m.PatientId.Value, m.MedicalRecordNumber, m.FamilyName, m.GivenName, m.BirthDate, m.Sex, m.SexDiffers, m.BirthDateDiffers, m.NameDiffers, m.Detail) : null,
    };
}

/// <summary>A registered patient who may be the bundle's patient.</summary>
/// <param name="PatientId">Their id.</param>
/// <param name="MedicalRecordNumber">Their record number.</param>
/// <param name="FamilyName">Family name.</param>
/// <param name="GivenName">Given name.</param>
/// <param name="BirthDate">Date of birth.</param>
public sealed record FhirImportDuplicate(Guid PatientId, string MedicalRecordNumber, string FamilyName, string GivenName, DateOnly BirthDate)
{
    /// <summary>Their administrative sex, when recorded.</summary>
    public Sex? Sex { get; init; }

    /// <summary>True when the chart and the bundle both record a sex and they differ.</summary>
    public bool SexDiffers { get; init; }
}

/// <summary>The registered patient a bundle updates: its record-number identifier names the chart imported from the same system.</summary>
/// <param name="PatientId">Their id.</param>
/// <param name="MedicalRecordNumber">Their record number.</param>
/// <param name="FamilyName">Family name on the chart.</param>
/// <param name="GivenName">Given name on the chart.</param>
/// <param name="BirthDate">Date of birth on the chart.</param>
/// <param name="Sex">Administrative sex on the chart.</param>
/// <param name="SexDiffers">The bundle states another administrative sex (noted; the chart is not changed).</param>
/// <param name="BirthDateDiffers">The bundle states another birth date (noted).</param>
/// <param name="NameDiffers">The bundle's current name is not the chart's (noted).</param>
/// <param name="Detail">English sentence naming the chart and each difference.</param>
public sealed record FhirImportMatched(Guid PatientId, string MedicalRecordNumber, string FamilyName, string GivenName, DateOnly BirthDate, Sex? Sex, bool SexDiffers, bool BirthDateDiffers, bool NameDiffers, string Detail);

/// <summary>A completed import.</summary>
/// <param name="PatientId">The registered patient.</param>
/// <param name="MedicalRecordNumber">Their record number.</param>
/// <param name="Plan">The plan that was applied.</param>
public sealed record FhirImported(Guid PatientId, string MedicalRecordNumber, FhirImportPlan Plan)
{
    /// <summary>True when the records were added to an already registered patient's chart (the plan's match).</summary>
    public bool Updated { get; init; }
}
