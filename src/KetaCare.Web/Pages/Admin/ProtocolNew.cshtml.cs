using System.Globalization;
using KetaCare.Interop.Text;
using Microsoft.Extensions.Localization;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Admin;

/// <summary>Adds a protocol to the library as version 1 (checked against the drug library's hard limits).</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class ProtocolNewModel(KetaCareDbContext db, ClinicRequest request, IStringLocalizer<Strings> T) : PageModel
{
    [BindProperty]
    public ProtocolForm Form { get; set; } = new() { IntervalDays = "7", Sessions = "6", DurationMinutes = "60", Orders = [.. ProtocolForm.BlankOrders()] };

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var protocol = Form.ToProtocol(1, null);
        var added = protocol.IsSuccess
            ? await new ProtocolService(db, request.Clock).AddAsync(protocol.Value, Form.Reason, request.RequiredUser, cancellationToken)
            : protocol;
        if (!added.IsSuccess)
        {
            Error = FindingText.Render(added.Findings, added.Error, CultureInfo.CurrentCulture);
            return Page();
        }

        TempData["Message"] = T["Protocol {0} added as version {1}.", added.Value.Id, added.Value.Version].Value;
        return Redirect("/Admin/Protocols/" + Uri.EscapeDataString(added.Value.Id));
    }
}
