using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Stock;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace KetaCare.Web.Pages.Admin;

/// <summary>
/// The controlled-substance register's settings (<see cref="SettingsService.ReviseStockSettingsAsync"/>: versioned,
/// with a reason, audited): whether an infusion starts only with a recorded preparation, and the jurisdiction's register
/// template.
/// </summary>
[Authorize(Policy = Policies.Administer)]
public sealed class StockModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, IStringLocalizer<Strings> T) : VersionedSettingsModel(db, time)
{
    /// <summary>"default", "required" or "not-required".</summary>
    [BindProperty]
    public string? Preparation { get; set; }

    [BindProperty]
    public string? Template { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var settings = new SettingsService(Db, request.Clock);
        var (stock, version) = await settings.StockSettingsAsync(cancellationToken);
        await LoadHistoryAsync(settings, SettingsService.StockSettingsKey, version, cancellationToken);
        if (Error is null)
        {
            ExpectedVersion = version;
            Preparation = stock.RequirePreparation switch { true => "required", false => "not-required", null => "default" };
            Template = stock.RegisterTemplate.Id;
        }
    }

    /// <summary>Stores the settings as a new version against the version the form showed.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        bool? required = Preparation switch { "required" => true, "not-required" => false, _ => null };
        var revised = await new SettingsService(Db, request.Clock).ReviseStockSettingsAsync(new StockSettings(required, Template), ExpectedVersion, Reason, request.RequiredUser, cancellationToken);
        if (!revised.IsSuccess)
        {
            Refused(revised.Refusal);
            await OnGetAsync(cancellationToken);
            return Page();
        }

        TempData["Message"] = T["Register settings saved as version {0}.", revised.Value.Version].Value;
        return Redirect("/Admin/Stock");
    }
}
