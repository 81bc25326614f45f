using KetaCare.Clinic.Services;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace KetaCare.Web.Pages.Portal;

/// <summary>The portal's start page: booked sessions with their pre-visit checklists, the clinic's instructions, links to the diary and side effects, and the downloads of the patient's own record.</summary>
public sealed class IndexModel(PortalService portal, SettingsService settings, ClinicRequest request, ClinicTime time) : PortalPage(portal, request, time)
{
    /// <summary>The clinic's instructions for patients (plain text; empty when none were written).</summary>
    public string Instructions { get; private set; } = string.Empty;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Instructions = (await settings.PortalInstructionsAsync(cancellationToken).ConfigureAwait(false)).Text;
        return await ShowAsync(cancellationToken).ConfigureAwait(false);
    }
}
