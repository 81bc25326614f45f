using System.Globalization;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Admin;

/// <summary>One limit of one protocol, as a row.</summary>
/// <param name="Protocol">Protocol id.</param>
/// <param name="What">What is limited (English text key).</param>
/// <param name="Unit">Unit of the value.</param>
/// <param name="Hard">True for a hard limit.</param>
/// <param name="Limit">The value and its source.</param>
public sealed record LimitRow(string Protocol, string What, string Unit, bool Hard, Limit Limit);

/// <summary>
/// The drug library: preparations and the dose limits of every stored protocol with their sources (read-only: the
/// hard limits come from Cohen 2018), and the thresholds on the predicted peak concentration, which the clinic sets
/// within the ranges of <see cref="SettingsService.RevisePkThresholdsAsync"/> (versioned, with a reason, audited).
/// </summary>
[Authorize(Policy = Policies.Administer)]
public sealed class DrugsModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time) : PageModel
{
    public DrugLibrary Library { get; private set; } = DrugLibrary.Default;

    public IReadOnlyList<LimitRow> LimitRows { get; private set; } = [];

    /// <summary>The stored version of the PK thresholds (0 = built-in).</summary>
    public int PkVersion { get; private set; }

    public IReadOnlyList<SettingVersion> PkHistory { get; private set; } = [];

    public ClinicTime Time => time;

    [BindProperty]
    public string? SoftPeak { get; set; }

    [BindProperty]
    public string? HardPeak { get; set; }

    [BindProperty]
    public int ExpectedVersion { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public string? Error { get; private set; }

    /// <summary>Stores new PK thresholds against the version the form showed.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var ceiling = PkThresholds.Default.HardPeakNgPerMl;
        if (!WebNumber.TryParse(HardPeak, "hardPeak", SettingsService.MinSoftPeakNgPerMl, ceiling, out var hard, out var error)
            || !WebNumber.TryParse(SoftPeak, "softPeak", SettingsService.MinSoftPeakNgPerMl, hard, out var soft, out error))
        {
            Error = error;
            await OnGetAsync(cancellationToken);
            return Page();
        }

        var revised = await new SettingsService(db, request.Clock).RevisePkThresholdsAsync(soft, hard, ExpectedVersion, Reason ?? string.Empty, request.RequiredUser, cancellationToken);
        if (!revised.IsSuccess)
        {
            Error = FindingText.Render(revised.Findings, revised.Error, CultureInfo.CurrentCulture);
            await OnGetAsync(cancellationToken);
            return Page();
        }

        TempData["Message"] = "Peak thresholds saved as version " + revised.Value.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".";
        return Redirect("/Admin/Drugs");
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var settings = new SettingsService(db, request.Clock);
        Library = await settings.DrugLibraryAsync(cancellationToken);
        PkVersion = (await settings.PkThresholdsAsync(cancellationToken)).Version;
        PkHistory = await settings.HistoryAsync(SettingsService.PkThresholdsKey, cancellationToken);
        if (Error is null)
        {
            ExpectedVersion = PkVersion;
            SoftPeak = WebNumber.Show(Library.Pk.SoftPeakNgPerMl);
            HardPeak = WebNumber.Show(Library.Pk.HardPeakNgPerMl);
        }

        var rows = new List<LimitRow>();
        foreach (var p in await new ProtocolService(db, request.Clock).ListAsync(cancellationToken))
        {
            var l = Library.LimitsFor(p.Protocol);
            var id = p.Protocol.Id;
            void Add(string what, string unit, bool hard, Limit? limit)
            {
                if (limit is not null)
                {
                    rows.Add(new LimitRow(id, what, unit, hard, limit));
                }
            }

            Add("Infusion rate per kg", "mg/kg/h", true, l.HardMgPerKgPerHour);
            Add("Infusion rate per kg", "mg/kg/h", false, l.SoftMgPerKgPerHour);
            Add("Infusion rate", "mg/h", true, l.HardMgPerHour);
            Add("Infusion rate", "mg/h", false, l.SoftMgPerHour);
            Add("Bolus per kg", "mg/kg", true, l.HardBolusMgPerKg);
            Add("Single dose", "mg", true, l.HardSingleDoseMg);
        }

        LimitRows = rows;
    }
}
