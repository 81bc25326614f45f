using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Stock;
using KetaCare.Clinic.Users;
using KetaCare.Pharmacology.Units;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KetaCare.Web.Pages.Stock;

/// <summary>Receives sealed vials of a lot from a supplier into a location, counted by the receiver and a witness.</summary>
[Authorize(Policy = Policies.KeepStock)]
public sealed class ReceiveModel(StockService stock, KetaCareDbContext db, UserManager<ClinicUser> users, ClinicRequest request) : StockPage(stock, db, users, request)
{
    [BindProperty]
    public string? Product { get; set; }

    [BindProperty]
    public string? Location { get; set; }

    [BindProperty]
    public string? LotNumber { get; set; }

    [BindProperty]
    public string? Expiry { get; set; }

    [BindProperty]
    public string? Vials { get; set; }

    [BindProperty]
    public string? Supplier { get; set; }

    [BindProperty]
    public string? Reference { get; set; }

    [BindProperty]
    public string? Witness { get; set; }

    [BindProperty]
    public string? NewName { get; set; }

    [BindProperty]
    public string? NewStrength { get; set; }

    [BindProperty]
    public string? NewVialVolume { get; set; }

    [BindProperty]
    public string? NewCode { get; set; }

    [BindProperty]
    public LocationKind NewKind { get; set; }

    /// <summary>Adds a product (the service accepts 10, 50 or 100 mg/mL).</summary>
    public async Task<IActionResult> OnPostProductAsync(CancellationToken cancellationToken)
    {
        if (!WebNumber.TryParse(NewStrength, "concentration", 0.001, 1000, out var strength, out var error)
            || !WebNumber.TryParse(NewVialVolume, "vialVolume", 0.001, 1000, out var vial, out error))
        {
            return await RefusedAsync(error, null, cancellationToken);
        }

        var r = await Stock.AddProductAsync(new NewProduct(NewName ?? string.Empty, Concentration.FromMilligramsPerMilliliter(strength), Volume.FromMilliliters(vial), string.IsNullOrWhiteSpace(NewCode) ? null : NewCode), By, cancellationToken);
        return r.IsSuccess ? Redirect("/Stock/Receive") : await RefusedAsync(r, cancellationToken);
    }

    /// <summary>Adds a location (a unique name).</summary>
    public async Task<IActionResult> OnPostLocationAsync(CancellationToken cancellationToken)
    {
        var r = await Stock.AddLocationAsync(NewName ?? string.Empty, NewKind, By, cancellationToken);
        return r.IsSuccess ? Redirect("/Stock/Receive") : await RefusedAsync(r, cancellationToken);
    }

    public Task OnGetAsync(CancellationToken cancellationToken) => OnLoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        string? error;
        if (!TryId(Product, "product", out var product, out error) || !TryId(Location, "location", out var location, out error)
            || !TryId(Witness, "witness", out var witness, out error)
            || !WebNumber.TryParseWhole(Vials, "vials", 1, StockService.MaxVials, out var vials, out error))
        {
            return await RefusedAsync(error, null, cancellationToken);
        }

        if (!DateOnly.TryParseExact(Expiry, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expiry))
        {
            return await RefusedAsync(Interop.Text.Strings.For(CultureInfo.CurrentCulture)["{0}: a date is required.", "expiry"].Value, null, cancellationToken);
        }

        var r = await Stock.ReceiveAsync(new StockReceipt(new ProductId(product), new LocationId(location), LotNumber ?? string.Empty, expiry, vials, Supplier ?? string.Empty, Reference ?? string.Empty, new UserId(witness)), By, cancellationToken);
        if (!r.IsSuccess)
        {
            return await RefusedAsync(r, cancellationToken);
        }

        TempData["Message"] = Interop.Text.Strings.For(CultureInfo.CurrentCulture)["Received: {0}.", WebNumber.Show(r.Value.Change.Milliliters, "mL")].Value;
        return Redirect("/Stock");
    }

    protected override Task OnLoadAsync(CancellationToken cancellationToken) => LoadPickersAsync(cancellationToken);
}
