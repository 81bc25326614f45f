using System.Globalization;
using KetaCare.Clinic.Scheduling;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace KetaCare.Web.Pages.Admin;

/// <summary>The infusion chairs and rooms the calendar books: add one, rename it, take it out of use or back (audited, never deleted).</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class ChairsModel(SchedulingService scheduling, ClinicRequest request, IStringLocalizer<Strings> T) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public Guid? ChairId { get; set; }

    [BindProperty]
    public long ExpectedVersion { get; set; }

    [BindProperty]
    public bool Active { get; set; }

    public IReadOnlyList<ChairView> Chairs { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Chairs = await scheduling.ChairsAsync(true, cancellationToken);

    /// <summary>Adds a chair.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var r = await scheduling.AddChairAsync(Name ?? string.Empty, request.RequiredUser, cancellationToken);
        return await DoneAsync(r.IsSuccess ? null : FindingText.Render(r.Findings, r.Error, CultureInfo.CurrentCulture), cancellationToken);
    }

    /// <summary>Renames a chair or takes it out of (or back into) use.</summary>
    public async Task<IActionResult> OnPostChangeAsync(CancellationToken cancellationToken)
    {
        var r = await scheduling.ChangeChairAsync(new ChairId(ChairId ?? Guid.Empty), ExpectedVersion, Name ?? string.Empty, Active, request.RequiredUser, cancellationToken);
        return await DoneAsync(r.IsSuccess ? null : FindingText.Render(r.Findings, r.Error, CultureInfo.CurrentCulture), cancellationToken);
    }

    private async Task<IActionResult> DoneAsync(string? error, CancellationToken cancellationToken)
    {
        if (error is null)
        {
            TempData["Message"] = T["Chairs saved."].Value;
            return Redirect("/Admin/Chairs");
        }

        Error = error;
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
