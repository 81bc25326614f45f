using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Stock;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KetaCare.Web.Pages.Stock;

/// <summary>
/// The register at a glance: on hand per product, lot and location (from the ledger), the lots with expiry and hold,
/// the discrepancies not yet resolved, and the downloads. Those who record stock put a lot on hold (quarantine, recall)
/// or release it here, with a reason.
/// </summary>
[Authorize(Policy = Policies.ReadStock)]
public sealed class IndexModel(StockService stock, KetaCareDbContext db, UserManager<ClinicUser> users, ClinicRequest request, IAuthorizationService auth) : StockPage(stock, db, users, request)
{
    /// <summary>True when the user may record (set a lot's hold).</summary>
    public bool CanRecord { get; private set; }

    [BindProperty]
    public string? Lot { get; set; }

    [BindProperty]
    public LotHold Hold { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public IReadOnlyList<StockBalance> Balances { get; private set; } = [];

    public IReadOnlyList<Discrepancy> Open { get; private set; } = [];

    public DateOnly Today { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await OnLoadAsync(cancellationToken);
        await Stock.RecordReadAsync("overview", By, cancellationToken: cancellationToken);
    }

    public async Task<IActionResult> OnPostHoldAsync(CancellationToken cancellationToken)
    {
        // The overview is readable by auditors; setting a hold needs KeepStock, checked before the form is read.
        if (!(await auth.AuthorizeAsync(User, Policies.KeepStock)).Succeeded)
        {
            return Forbid();
        }

        if (!TryId(Lot, "lot", out var lot, out var error))
        {
            return await RefusedAsync(error, null, cancellationToken);
        }

        var r = await Stock.SetHoldAsync(new LotId(lot), Hold, Reason ?? string.Empty, By, cancellationToken);
        return r.IsSuccess ? Redirect("/Stock#lots") : await RefusedAsync(r, cancellationToken);
    }

    protected override async Task OnLoadAsync(CancellationToken cancellationToken)
    {
        await LoadPickersAsync(cancellationToken);
        Balances = await Stock.BalancesAsync(cancellationToken: cancellationToken);
        Open = await Stock.DiscrepanciesAsync(openOnly: true, cancellationToken);
        Today = DateOnly.FromDateTime(Clinic.Clock.GetUtcNow().UtcDateTime);
        CanRecord = (await auth.AuthorizeAsync(User, Policies.KeepStock)).Succeeded;
    }
}
