using KetaCare.Clinic.Persistence;
using KetaCare.Interop.Fhir;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace KetaCare.Web.Pages.Patients;

/// <summary>
/// Registers a patient from a FHIR R4 Bundle in two steps: the uploaded file's import plan (per entry imported,
/// skipped or refused, with the reason, and possible duplicates), then — on the user's confirmation, with the bundle
/// posted back — the import itself, which the importer plans again and applies in one transaction.
/// </summary>
[Authorize(Policy = Policies.RecordPatient)]
[RequestFormLimits(MultipartBodyLengthLimit = RequestLimits.MaxImportBodyBytes, ValueLengthLimit = (int)RequestLimits.MaxImportBodyBytes)]
[RequestSizeLimit(RequestLimits.MaxImportBodyBytes)]
public sealed class ImportModel(KetaCareDbContext db, ClinicRequest request, IStringLocalizer<Strings> T) : PageModel
{
    /// <summary>The uploaded bundle file (first step).</summary>
    [BindProperty]
    public IFormFile? Upload { get; set; }

    /// <summary>The bundle's text, posted back with the confirmation (second step).</summary>
    [BindProperty]
    public string? Bundle { get; set; }

    /// <summary>The user confirmed the bundle's patient is none of the flagged registered patients.</summary>
    [BindProperty]
    public bool ConfirmDifferentPerson { get; set; }

    public FhirImportPreview? Preview { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken cancellationToken)
    {
        if (Upload is null || Upload.Length == 0)
        {
            Errors = [T["Choose a FHIR bundle file (JSON)."]];
            return Page();
        }

        await using var stream = Upload.OpenReadStream();
        var (text, error) = await FhirImporter.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
        if (text is null)
        {
            Preview = FhirImportPreviewOf(error!);
            return Page();
        }

        Bundle = text;
        Preview = await new FhirImporter(db, request.Clock).PreviewAsync(text, cancellationToken).ConfigureAwait(false);
        return Page();
    }

    public async Task<IActionResult> OnPostApplyAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(Bundle))
        {
            Errors = [T["Choose a FHIR bundle file (JSON)."]];
            return Page();
        }

        var result = await new FhirImporter(db, request.Clock).ImportAsync(Bundle, request.RequiredUser, ConfirmDifferentPerson, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            TempData["Message"] = result.Updated
                ? T["Updated {0}: {1} entries added, {2} skipped.", result.MedicalRecordNumber!, result.Preview!.Count(FhirImportAction.Import), result.Preview.Count(FhirImportAction.Skip)].Value
                : T["Imported {0}: {1} entries recorded, {2} skipped.", result.MedicalRecordNumber!, result.Preview!.Count(FhirImportAction.Import), result.Preview.Count(FhirImportAction.Skip)].Value;
            return Redirect("/Patients/" + result.PatientId!.Value.Value);
        }

        Preview = result.Preview;
        Errors = result.NeedsDuplicateConfirmation
            ? [T["Nothing was imported: confirm that this is a different person, or open the registered chart."]]
            : [T["Nothing was imported: the bundle has refused entries."]];
        return Page();
    }

    /// <summary>The English key of an action; the page translates it.</summary>
    public static string ActionText(FhirImportAction action) => action switch
    {
        FhirImportAction.Import => "Import",
        FhirImportAction.Skip => "Skip",
        FhirImportAction.Update => "Update",
        _ => "Refuse",
    };

    /// <summary>The English key of a reason; the page translates it.</summary>
    public static string ReasonText(FhirImportReason reason) => reason switch
    {
        FhirImportReason.None => string.Empty,
        FhirImportReason.Malformed => "Not readable as FHIR R4 JSON",
        FhirImportReason.TooLarge => "Larger than 10 MB",
        FhirImportReason.NotImportableBundle => "Not an importable bundle",
        FhirImportReason.PatientCount => "Not exactly one patient",
        FhirImportReason.Required => "A required field is missing",
        FhirImportReason.Invalid => "A value is not allowed",
        FhirImportReason.Unit => "Unit not accepted",
        FhirImportReason.OtherPatient => "Refers to another patient",
        FhirImportReason.Conflict => "Contradicts another entry",
        FhirImportReason.RecordNumberTaken => "Record number already registered",
        FhirImportReason.TypeNotImported => "Resource type not imported",
        FhirImportReason.EncounterContext => "Encounter: context only",
        FhirImportReason.ObservationNotImported => "Observation not imported",
        FhirImportReason.VitalSignNotStored => "Systolic or diastolic alone: not stored",
        FhirImportReason.MedicationNeedsReview => "Current medication: record it on the chart",
        FhirImportReason.EnteredInError => "Entered in error or refuted",
        FhirImportReason.NotActive => "No longer active",
        FhirImportReason.NoIcd10Coding => "No ICD-10-CM code",
        FhirImportReason.Superseded => "Superseded by a recorded allergy",
        FhirImportReason.AlreadyOnChart => "Already on the chart",
        _ => reason.ToString(),
    };

    private static FhirImportPreview FhirImportPreviewOf(FhirImportError error) => new(null, [], [error], []);
}
