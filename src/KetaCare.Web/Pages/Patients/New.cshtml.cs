using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;
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
public sealed class NewModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, Texts T) : PageModel
{
    [BindProperty]
    public string RecordNumber { get; set; } = string.Empty;

    [BindProperty]
    public string GivenName { get; set; } = string.Empty;

    [BindProperty]
    public string FamilyName { get; set; } = string.Empty;

    [BindProperty]
    public string? BirthDate { get; set; }

    [BindProperty]
    public string? PatientSex { get; set; }

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
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(RecordNumber))
        {
            errors.Add(T["Record number"] + ": " + T["required."]);
        }

        if (string.IsNullOrWhiteSpace(GivenName) || string.IsNullOrWhiteSpace(FamilyName))
        {
            errors.Add(T["Given and family name"] + ": " + T["required."]);
        }

        PatientInput.TryDate(BirthDate, T["Date of birth"], out var born, out var bornError);
        Sex? sex = null;
        string? sexError = null;
        if (!string.IsNullOrEmpty(PatientSex) && PatientInput.TryChoice<Sex>(PatientSex, T["Sex"], out var s, out sexError))
        {
            sex = s;
        }

        WebNumber.TryParse(WeightKg, T["Weight (kg)"], BodyWeight.MinKilograms, BodyWeight.MaxKilograms, out var kg, out var weightError);
        double? height = null;
        string? heightError = null;
        if (!string.IsNullOrWhiteSpace(HeightCm) && WebNumber.TryParse(HeightCm, T["Height (cm)"], BodyMeasurement.MinHeightCm, BodyMeasurement.MaxHeightCm, out var h, out heightError))
        {
            height = h;
        }

        errors.AddRange(new[] { bornError, sexError, weightError, heightError }.OfType<string>());
        if (errors.Count > 0)
        {
            Errors = errors;
            return Page();
        }

        var measurement = BodyMeasurement.Create(time.Today(request.Clock), kg, height);
        if (!measurement.IsSuccess)
        {
            Errors = [measurement.Error];
            return Page();
        }

        var service = new PatientService(db, request.Clock);
        var by = request.RequiredUser;
        var registered = await service.RegisterAsync(new Demographics(RecordNumber.Trim(), GivenName.Trim(), FamilyName.Trim(), born, sex), by, cancellationToken).ConfigureAwait(false);
        if (!registered.IsSuccess)
        {
            Errors = [registered.Error];
            return Page();
        }

        var p = registered.Value;
        var weighed = await service.RecordAsync(p.Id, p.Version, measurement.Value, by, cancellationToken).ConfigureAwait(false);
        if (weighed.IsSuccess)
        {
            TempData["Message"] = T.Format("Registered {0}, {1} ({2}).", p.Demographics.FamilyName, p.Demographics.GivenName, p.Demographics.MedicalRecordNumber);
        }
        else
        {
            TempData["Error"] = T["Registered, but the weight was not recorded:"] + " " + weighed.Error;
        }

        return Redirect("/Patients/" + p.Id.Value);
    }
}
