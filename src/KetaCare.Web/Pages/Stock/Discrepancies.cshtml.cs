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

/// <summary>The discrepancies counts opened: investigated with dated notes, resolved with a witness, and when the stock really differs adjusted by an amendment that names them.</summary>
[Authorize(Policy = Policies.ReadStock)]
public sealed class DiscrepanciesModel(StockService stock, KetaCareDbContext db, UserManager<ClinicUser> users, ClinicRequest request, IAuthorizationService auth) : StockPage(stock, db, users, request)
{
    public IReadOnlyList<Discrepancy> All { get; private set; } = [];

    /// <summary>True when the user may record (investigate, resolve).</summary>
    public bool CanRecord { get; private set; }

    [BindProperty]
    public Guid Id { get; set; }

    [BindProperty]
    public long Version { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public bool Adjust { get; set; }

    [BindProperty]
    public string? Witness { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await OnLoadAsync(cancellationToken);
        await Stock.RecordReadAsync("discrepancies", By, cancellationToken: cancellationToken);
    }

    public Task<IActionResult> OnPostInvestigateAsync(CancellationToken cancellationToken) =>
        RecordAsync(() => Stock.InvestigateAsync(new DiscrepancyId(Id), Version, Note ?? string.Empty, By, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostResolveAsync(CancellationToken cancellationToken) =>
        RecordAsync(
            async () => TryId(Witness, "witness", out var witness, out var error)
                ? await Stock.ResolveAsync(new DiscrepancyResolution(new DiscrepancyId(Id), Version, Note ?? string.Empty, Adjust, new UserId(witness)), By, cancellationToken)
                : Outcome<Discrepancy>.Fail(error!),
            cancellationToken);

    protected override async Task OnLoadAsync(CancellationToken cancellationToken)
    {
        await LoadPickersAsync(cancellationToken);
        All = await Stock.DiscrepanciesAsync(cancellationToken: cancellationToken);
        CanRecord = (await auth.AuthorizeAsync(User, Policies.KeepStock)).Succeeded;
    }

    // The page is readable by auditors; recording needs KeepStock, checked before the form is read.
    private async Task<IActionResult> RecordAsync(Func<Task<Outcome<Discrepancy>>> step, CancellationToken cancellationToken)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.KeepStock)).Succeeded)
        {
            return Forbid();
        }

        var r = await step();
        return r.IsSuccess ? Redirect("/Stock/Discrepancies#d-" + Id) : await RefusedAsync(r, cancellationToken);
    }
}
