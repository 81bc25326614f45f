using System.Globalization;
using KetaCare.Interop.Text;
using Microsoft.Extensions.Localization;
using KetaCare.Clinic.Clinics;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Admin;

/// <summary>
/// The clinic's identity on its reports and patient documents: name, address, telephone, emergency contact and the
/// medicines regulator of its country (<see cref="SettingsService.ReviseClinicIdentityAsync"/>: versioned, with a
/// reason, audited).
/// </summary>
[Authorize(Policy = Policies.Administer)]
public sealed class ClinicModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, IStringLocalizer<Strings> T) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public string? EmergencyContact { get; set; }

    [BindProperty]
    public string? Regulator { get; set; }

    [BindProperty]
    public int ExpectedVersion { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public string? Error { get; private set; }

    public int Version { get; private set; }

    public IReadOnlyList<SettingVersion> History { get; private set; } = [];

    public ClinicTime Time => time;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var settings = new SettingsService(db, request.Clock);
        var (identity, version) = await settings.ClinicIdentityAsync(cancellationToken);
        Version = version;
        History = await settings.HistoryAsync(SettingsService.ClinicIdentityKey, cancellationToken);
        if (Error is null)
        {
            ExpectedVersion = version;
            (Name, Address, Phone, EmergencyContact, Regulator) = identity.IsSet
                ? (identity.Name, identity.Address, identity.Phone, identity.EmergencyContact, identity.Regulator)
                : (string.Empty, string.Empty, string.Empty, string.Empty, string.Empty);
        }
    }

    /// <summary>Stores the identity as a new version against the version the form showed.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var identity = new ClinicIdentity(Name ?? string.Empty, Address ?? string.Empty, Phone ?? string.Empty, EmergencyContact ?? string.Empty, Regulator ?? string.Empty);
        var revised = await new SettingsService(db, request.Clock).ReviseClinicIdentityAsync(identity, ExpectedVersion, Reason ?? string.Empty, request.RequiredUser, cancellationToken);
        if (!revised.IsSuccess)
        {
            Error = FindingText.Render(revised.Findings, revised.Error, CultureInfo.CurrentCulture);
            await OnGetAsync(cancellationToken);
            return Page();
        }

        TempData["Message"] = T["Clinic details saved as version {0}.", revised.Value.Version].Value;
        return Redirect("/Admin/Clinic");
    }
}
