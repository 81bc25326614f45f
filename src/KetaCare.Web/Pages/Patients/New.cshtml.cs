using System.Globalization;
using KetaCare.Interop.Text;
using Microsoft.Extensions.Localization;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Patients;

/// <summary>
/// Registers a patient with today's weight (the dose of every session uses a dated weight, so a patient is never
/// registered without one). Everything is checked before anything is stored.
/// </summary>
[Authorize(Policy = Policies.RecordPatient)]
public sealed class NewModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, IStringLocalizer<Strings> T) : PageModel
{
    [BindProperty]
    public DemographicsInput Demographics { get; set; } = new();

    [BindProperty]
    public string? WeightKg { get; set; }

    [BindProperty]
    public string? HeightCm { get; set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var demographics = Demographics.Parse(T);
        var measurement = PatientInput.Measurement(time.Today(request.Clock), WeightKg, HeightCm, T);
        var errors = new[] { demographics.Error, measurement.Error }.OfType<string>().ToList();
        if (errors.Count > 0)
        {
            Errors = errors;
            return Page();
        }

        var service = new PatientService(db, request.Clock);
        var by = request.RequiredUser;
        var registered = await service.RegisterAsync(demographics.Value, by, cancellationToken).ConfigureAwait(false);
        if (!registered.IsSuccess)
        {
            Errors = [FindingText.Render(registered.Findings, registered.Error, CultureInfo.CurrentCulture)];
            return Page();
        }

        var p = registered.Value;
        var similar = await service.ResemblingAsync(p.Demographics, cancellationToken).ConfigureAwait(false);
        if (similar.Count > 0)
        {
            // A warning, not a refusal: two people may share a name and birth date; the user checks the charts.
            TempData["Warning"] = T[
                "Possible duplicate: this patient resembles {0}. Check that it is not the same person registered twice.",
                string.Join("; ", similar.Take(5).Select(s => $"{s.MedicalRecordNumber} {s.FamilyName}, {s.GivenName} ({ClinicTime.ShowDate(s.BirthDate)})"))].Value;
        }

        var weighed = await service.RecordAsync(p.Id, p.Version, measurement.Value, by, cancellationToken).ConfigureAwait(false);
        if (weighed.IsSuccess)
        {
            TempData["Message"] = T["Registered {0}, {1} ({2}).", p.Demographics.FamilyName, p.Demographics.GivenName, p.Demographics.MedicalRecordNumber].Value;
        }
        else
        {
            TempData["Error"] = T["Registered, but the weight was not recorded:"] + " " + FindingText.Render(weighed.Findings, weighed.Error, CultureInfo.CurrentCulture);
        }

        return Redirect("/Patients/" + p.Id.Value);
    }
}
