using System.Globalization;
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

/// <summary>Moves stock between locations, wastes it at a location (a broken, contaminated or expired vial) or returns it to the supplier; each witnessed.</summary>
[Authorize(Policy = Policies.KeepStock)]
public sealed class MoveModel(StockService stock, KetaCareDbContext db, UserManager<ClinicUser> users, ClinicRequest request) : StockPage(stock, db, users, request)
{
    [BindProperty]
    public string? Lot { get; set; }

    [BindProperty]
    public string? Location { get; set; }

    [BindProperty]
    public string? To { get; set; }

    [BindProperty]
    public string? Volume { get; set; }

    /// <summary>Waste method, or the supplier of a return.</summary>
    [BindProperty]
    public string? Party { get; set; }

    /// <summary>Why wasted, or the return's reference.</summary>
    [BindProperty]
    public string? Why { get; set; }

    [BindProperty]
    public string? Witness { get; set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => OnLoadAsync(cancellationToken);

    public Task<IActionResult> OnPostTransferAsync(CancellationToken cancellationToken) => StepAsync(
        (lot, location, volume, witness) => To is not null && Guid.TryParse(To, out var to)
            ? Many(Stock.TransferAsync(new StockTransfer(lot, location, new LocationId(to), volume, witness), By, cancellationToken))
            : null,
        "Transferred: {0}.",
        cancellationToken);

    public Task<IActionResult> OnPostWasteAsync(CancellationToken cancellationToken) => StepAsync(
        (lot, location, volume, witness) => Stock.WasteAsync(new LocationWaste(lot, location, volume, Party ?? string.Empty, Why ?? string.Empty, witness), By, cancellationToken),
        "Wasted: {0}.",
        cancellationToken);

    public Task<IActionResult> OnPostReturnAsync(CancellationToken cancellationToken) => StepAsync(
        (lot, location, volume, witness) => Stock.ReturnAsync(new SupplierReturn(lot, location, volume, Party ?? string.Empty, Why ?? string.Empty, witness), By, cancellationToken),
        "Returned: {0}.",
        cancellationToken);

    protected override Task OnLoadAsync(CancellationToken cancellationToken) => LoadPickersAsync(cancellationToken);

    private static async Task<Outcome<StockMovement>> Many(Task<Outcome<IReadOnlyList<StockMovement>>> pending)
    {
        var r = await pending;
        return r.IsSuccess ? Outcome<StockMovement>.Ok(r.Value[0]) : r.Refusal;
    }

    private async Task<IActionResult> StepAsync(Func<LotId, LocationId, StockVolume, UserId, Task<Outcome<StockMovement>>?> call, string done, CancellationToken cancellationToken)
    {
        string? error;
        if (!TryId(Lot, "lot", out var lot, out error) || !TryId(Location, "location", out var location, out error)
            || !TryId(Witness, "witness", out var witness, out error) || !TryVolume(Volume, "volume", 0.001, out var volume, out error))
        {
            return await RefusedAsync(error, null, cancellationToken);
        }

        var pending = call(new LotId(lot), new LocationId(location), volume, new UserId(witness));
        if (pending is null)
        {
            return await RefusedAsync(Interop.Text.Strings.For(CultureInfo.CurrentCulture)["{0}: pick one.", "to"].Value, null, cancellationToken);
        }

        var r = await pending;
        if (!r.IsSuccess)
        {
            return await RefusedAsync(r, cancellationToken);
        }

        TempData["Message"] = Interop.Text.Strings.For(CultureInfo.CurrentCulture)[done, WebNumber.Show(volume.Milliliters, "mL")].Value;
        return Redirect("/Stock");
    }
}
