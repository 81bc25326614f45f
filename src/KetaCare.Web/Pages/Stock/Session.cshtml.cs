using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Stock;
using KetaCare.Clinic.Users;
using KetaCare.Pharmacology.Units;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KetaCare.Web.Pages.Stock;

/// <summary>
/// A session's chain of custody: the draw from a lot, the preparation checked by a second person, the drug given (the
/// session's dose account) and the witnessed waste of the remainder, which the service computes as prepared − given.
/// </summary>
[Authorize(Policy = Policies.ReadStock)]
public sealed class SessionModel(StockService stock, KetaCareDbContext db, UserManager<ClinicUser> users, ClinicRequest request, IAuthorizationService auth) : StockPage(stock, db, users, request)
{
    [FromRoute]
    public Guid Id { get; set; }

    public InfusionSession? Infusion { get; private set; }

    public SessionCustody? Custody { get; private set; }

    /// <summary>The session's lines of the register, in the order written.</summary>
    public IReadOnlyList<StockMovement> Lines { get; private set; } = [];

    /// <summary>The remainder to waste once the drug has ended (null before the preparation).</summary>
    public (Mass Amount, StockVolume Volume)? Remainder { get; private set; }

    public bool CanRecord { get; private set; }

    [BindProperty]
    public string? Lot { get; set; }

    [BindProperty]
    public string? Location { get; set; }

    [BindProperty]
    public string? Volume { get; set; }

    [BindProperty]
    public string? Diluent { get; set; }

    [BindProperty]
    public string? FinalConcentration { get; set; }

    [BindProperty]
    public string? Method { get; set; }

    [BindProperty]
    public string? Witness { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await OnLoadAsync(cancellationToken);
        if (Infusion is null)
        {
            return NotFound();
        }

        await Stock.RecordReadAsync("custody " + Infusion.Id, By, Infusion.PatientId, cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostDrawAsync(CancellationToken cancellationToken) => StepAsync(
        async witness =>
        {
            string? error;
            return !TryId(Lot, "lot", out var lot, out error) || !TryId(Location, "location", out var location, out error) || !TryVolume(Volume, "volume", 0.001, out var volume, out error)
                ? Outcome<StockMovement>.Fail(error!)
                : await Stock.DrawAsync(new StockDraw(new SessionId(Id), new LotId(lot), new LocationId(location), volume, witness), By, cancellationToken);
        },
        cancellationToken);

    public Task<IActionResult> OnPostPrepareAsync(CancellationToken cancellationToken) => StepAsync(
        async witness =>
        {
            string? error;
            return !TryVolume(Volume, "finalVolume", 0.001, out var volume, out error) || !WebNumber.TryParse(FinalConcentration, "finalConcentration", 0.001, 100, out var c, out error)
                ? Outcome<StockMovement>.Fail(error!)
                : await Stock.PrepareAsync(new SessionPreparation(new SessionId(Id), Diluent ?? string.Empty, volume, Concentration.FromMilligramsPerMilliliter(c), witness), By, cancellationToken);
        },
        cancellationToken);

    public Task<IActionResult> OnPostWasteAsync(CancellationToken cancellationToken) => StepAsync(
        async witness =>
        {
            string? error;
            return !TryVolume(Volume, "volume", 0, out var volume, out error)
                ? Outcome<StockMovement>.Fail(error!)
                : await Stock.WasteRemainderAsync(new SessionWaste(new SessionId(Id), volume, Method ?? string.Empty, witness), By, cancellationToken);
        },
        cancellationToken);

    protected override async Task OnLoadAsync(CancellationToken cancellationToken)
    {
        await LoadPickersAsync(cancellationToken);
        CanRecord = (await auth.AuthorizeAsync(User, Policies.RecordStock)).Succeeded;
        var session = await new SessionService(Db, Clinic.Clock).GetAsync(new SessionId(Id), By, cancellationToken);
        if (!session.IsSuccess)
        {
            return;
        }

        Infusion = session.Value;
        var custody = await Stock.CustodyAsync(new SessionId(Id), cancellationToken);
        Custody = custody.IsSuccess ? custody.Value : null;
        Lines = await Stock.SessionRegisterAsync(new SessionId(Id), cancellationToken);
        if (Custody?.Prepared is { } prepared && Lines.LastOrDefault(m => m.Kind == MovementKind.Preparation)?.PreparedConcentration is { } c)
        {
            Remainder = SessionRemainder.Of(prepared, Custody.Given, Custody.Wasted, c);
        }

        FinalConcentration ??= Infusion.Program is { } p ? WebNumber.Show(p.Preparation.Concentration.MilligramsPerMilliliter) : null;
    }

    // Recording needs RecordStock (auditors read the page), checked before the form is read.
    private async Task<IActionResult> StepAsync(Func<UserId, Task<Outcome<StockMovement>>> step, CancellationToken cancellationToken)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.RecordStock)).Succeeded)
        {
            return Forbid();
        }

        if (!TryId(Witness, "witness", out var witness, out var error))
        {
            return await RefusedAsync(error, null, cancellationToken);
        }

        var r = await step(new UserId(witness));
        if (!r.IsSuccess)
        {
            return await RefusedAsync(r, cancellationToken);
        }

        TempData["Message"] = Interop.Text.Strings.For(CultureInfo.CurrentCulture)["Recorded."].Value;
        return Redirect("/Stock/Session/" + Id);
    }
}
