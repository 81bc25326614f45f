using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Stock;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace KetaCare.Web.Pages.Stock;

/// <summary>The register at a glance: on hand per product, lot and location (from the ledger), the lots with expiry and hold, the discrepancies not yet resolved, and the downloads.</summary>
[Authorize(Policy = Policies.ReadStock)]
public sealed class IndexModel(StockService stock, KetaCareDbContext db, UserManager<ClinicUser> users, ClinicRequest request) : StockPage(stock, db, users, request)
{
    public IReadOnlyList<StockBalance> Balances { get; private set; } = [];

    public IReadOnlyList<Discrepancy> Open { get; private set; } = [];

    public DateOnly Today { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => OnLoadAsync(cancellationToken);

    protected override async Task OnLoadAsync(CancellationToken cancellationToken)
    {
        await LoadPickersAsync(cancellationToken);
        Balances = await Stock.BalancesAsync(cancellationToken: cancellationToken);
        Open = await Stock.DiscrepanciesAsync(openOnly: true, cancellationToken);
        Today = DateOnly.FromDateTime(Clinic.Clock.GetUtcNow().UtcDateTime);
    }
}
