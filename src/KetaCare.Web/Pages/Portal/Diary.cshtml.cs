using KetaCare.Clinic;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using KetaCare.Web.Pages.Patients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace KetaCare.Web.Pages.Portal;

/// <summary>The pain diary: pain NRS 0–10 at a time, the patient's global impression of change, and a correction of an earlier score with a reason (kept with the old value).</summary>
public sealed class DiaryModel(PortalService portal, ClinicRequest request, ClinicTime time, IStringLocalizer<Strings> T) : PortalPage(portal, request, time)
{
    [BindProperty]
    public string? At { get; set; }

    [BindProperty]
    public string? Nrs { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public string? Pgic { get; set; }

    [BindProperty]
    public string? Worst { get; set; }

    [BindProperty]
    public string? Least { get; set; }

    [BindProperty]
    public string? Average { get; set; }

    [BindProperty]
    public string? Now { get; set; }

    [BindProperty]
    public List<string?> Interference { get; set; } = [];

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostPainAsync(CancellationToken cancellationToken)
    {
        if (!Time.TryParseLocal(At, Today, T["When"], out var at, out var error) || !PatientInput.TryWhole(Nrs, T["Pain (0–10)"], 0, 10, out var nrs, out error))
        {
            return await FailAsync(error!, cancellationToken).ConfigureAwait(false);
        }

        var r = await Portal.RecordPainAsync(Account, at, nrs, Note, cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Saved() : await FailAsync(Say(r.Refusal), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostAmendAsync(CancellationToken cancellationToken)
    {
        if (!Time.TryParseLocal(At, Today, T["When"], out var at, out var error) || !PatientInput.TryWhole(Nrs, T["Pain (0–10)"], 0, 10, out var nrs, out error))
        {
            return await FailAsync(error!, cancellationToken).ConfigureAwait(false);
        }

        var r = await Portal.AmendPainAsync(Account, Version, new EntryId(Entry), at, nrs, Note, Reason ?? string.Empty, cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Saved() : await FailAsync(Say(r.Refusal), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostPgicAsync(CancellationToken cancellationToken)
    {
        if (!PatientInput.TryWhole(Pgic, "PGIC", 1, 7, out var score, out var error))
        {
            return await FailAsync(error!, cancellationToken).ConfigureAwait(false);
        }

        var r = await Portal.RecordPgicAsync(Account, Today, score, cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Saved() : await FailAsync(Say(r.Refusal), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostBpiAsync(CancellationToken cancellationToken)
    {
        if (!PatientInput.TryBpi(Worst, Least, Average, Now, Interference, T, out var severity, out var items, out var error))
        {
            return await FailAsync(error!, cancellationToken).ConfigureAwait(false);
        }

        var r = await Portal.RecordBpiAsync(Account, Today, severity[0], severity[1], severity[2], severity[3], items, cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Saved() : await FailAsync(Say(r.Refusal), cancellationToken).ConfigureAwait(false);
    }

    private RedirectResult Saved()
    {
        TempData["Message"] = T["Saved. Thank you."].Value;
        return Redirect("/Portal/Diary");
    }
}
