using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Stock;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KetaCare.Web.Pages.Stock;

/// <summary>A count of one lot at one location by two people; a difference from the ledger opens a discrepancy, it never corrects the balance.</summary>
[Authorize(Policy = Policies.KeepStock)]
public sealed class CountModel(StockService stock, KetaCareDbContext db, UserManager<ClinicUser> users, ClinicRequest request) : StockPage(stock, db, users, request)
{
    [BindProperty]
    public string? Lot { get; set; }

    [BindProperty]
    public string? Location { get; set; }

    [BindProperty]
    public string? Counted { get; set; }

    [BindProperty]
    public string? Witness { get; set; }

    /// <summary>What the last count found.</summary>
    public CountResult? Result { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => OnLoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        string? error;
        if (!TryId(Lot, "lot", out var lot, out error) || !TryId(Location, "location", out var location, out error)
            || !TryId(Witness, "witness", out var witness, out error) || !TryVolume(Counted, "counted", 0, out var counted, out error))
        {
            return await RefusedAsync(error, null, cancellationToken);
        }

        var r = await Stock.CountAsync(new StockCount(new LotId(lot), new LocationId(location), counted, new UserId(witness)), By, cancellationToken);
        if (!r.IsSuccess)
        {
            return await RefusedAsync(r, cancellationToken);
        }

        Result = r.Value;
        await OnLoadAsync(cancellationToken);
        return Page();
    }

    protected override Task OnLoadAsync(CancellationToken cancellationToken) => LoadPickersAsync(cancellationToken);
}
