using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Stock;
using KetaCare.Clinic.Users;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Stock;

/// <summary>
/// What every page of the register shares: the products, locations, lots and staff its pickers list, and a refusal
/// rendered from its coded findings. Each POST parses its form and calls one <see cref="StockService"/> step, which
/// holds every rule (the two people, the lot's expiry and hold, the balance never below zero).
/// </summary>
public abstract class StockPage(StockService stock, KetaCareDbContext db, UserManager<ClinicUser> users, ClinicRequest request) : PageModel
{
    protected StockService Stock => stock;

    protected UserId By => request.RequiredUser;

    protected ClinicRequest Clinic => request;

    protected KetaCareDbContext Db => db;

    public IReadOnlyList<StockProduct> Products { get; private set; } = [];

    public IReadOnlyList<StockLocation> Locations { get; private set; } = [];

    public IReadOnlyList<StockLot> Lots { get; private set; } = [];

    /// <summary>Accounts offered as witness (the service refuses one that is not an active nurse or physician).</summary>
    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    /// <summary>The refusal of the last step, in the user's language.</summary>
    public string? Error { get; protected set; }

    /// <summary>The finding codes of the refusal, space-separated (empty for a form error).</summary>
    public string ErrorCodes { get; private set; } = string.Empty;

    /// <summary>Loads the pickers.</summary>
    protected async Task LoadPickersAsync(CancellationToken cancellationToken)
    {
        Products = await stock.ProductsAsync(cancellationToken);
        Locations = await stock.LocationsAsync(cancellationToken);
        Lots = await stock.LotsAsync(cancellationToken);
        Staff = [.. (await new UserDirectory(users, db, request.Clock).ListAsync(cancellationToken)).Where(u => !u.IsLocked && u.Id != By)];
    }

    /// <summary>The lot's label: product, lot number and expiry.</summary>
    public string LotLabel(LotId id)
    {
        var lot = Lots.FirstOrDefault(l => l.Id == id);
        if (lot is null)
        {
            return id.ToString();
        }

        var product = Products.FirstOrDefault(p => p.Id == lot.Product);
        return (product?.Name ?? string.Empty) + " · " + lot.LotNumber + " · " + TextFormat.Date(lot.Expiry, CultureInfo.CurrentCulture);
    }

    /// <summary>The location's name.</summary>
    public string LocationName(LocationId id) => Locations.FirstOrDefault(l => l.Id == id)?.Name ?? id.ToString();

    /// <summary>The account's shown name.</summary>
    public string StaffName(UserId? id) => id is null ? string.Empty : Staff.FirstOrDefault(u => u.Id == id)?.DisplayName ?? (id == By ? User.Identity?.Name ?? string.Empty : id.Value.ToString());

    /// <summary>Parses a volume in mL typed in the user's culture, naming the field when it is not a number in range.</summary>
    protected static bool TryVolume(string? text, string field, double min, out StockVolume volume, out string? error)
    {
        volume = StockVolume.Zero;
        if (!WebNumber.TryParse(text, field, min, StockService.MaxMovementMl, out var ml, out error))
        {
            return false;
        }

        volume = StockVolume.FromMilliliters(ml);
        return true;
    }

    /// <summary>Parses a picked id, naming the field when none or a malformed one was sent.</summary>
    protected static bool TryId(string? text, string field, out Guid id, out string? error)
    {
        error = Guid.TryParse(text, out id) ? null : Strings.For(CultureInfo.CurrentCulture)["{0}: pick one.", field].Value;
        return error is null;
    }

    /// <summary>Shows the page again with the refusal (or the parse error) and the pickers.</summary>
    protected async Task<IActionResult> RefusedAsync(string? error, IReadOnlyList<Clinic.Findings.Finding>? findings, CancellationToken cancellationToken)
    {
        ErrorCodes = string.Join(' ', findings?.Select(f => f.Code) ?? []);
        Error = findings is { Count: > 0 } ? FindingText.Render(findings, error ?? string.Empty, CultureInfo.CurrentCulture) : error;
        await OnLoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Shows the page again with an outcome's refusal.</summary>
    protected Task<IActionResult> RefusedAsync<T>(Outcome<T> outcome, CancellationToken cancellationToken) => RefusedAsync(outcome.Error, outcome.Findings, cancellationToken);

    /// <summary>Loads what the page shows.</summary>
    protected abstract Task OnLoadAsync(CancellationToken cancellationToken);
}
