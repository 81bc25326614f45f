using KetaCare.Interop.Text;
using Microsoft.Extensions.Localization;
using System.Globalization;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KetaCare.Web.Pages.Admin;

/// <summary>The vital-sign alert thresholds in force, the form to revise them (with a reason, against the version shown) and their history.</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class AlertsModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, IStringLocalizer<Strings> T) : VersionedSettingsModel(db, time)
{
    /// <summary>The fields by the service's names (which its errors use), with their labels.</summary>
    public static IReadOnlyList<(string Key, string Label)> Fields { get; } =
    [
        ("systolicAbove", "Systolic above (mmHg)"),
        ("diastolicAbove", "Diastolic above (mmHg)"),
        ("spo2Below", "SpO₂ below (%)"),
        ("heartRateAbove", "Heart rate above (/min)"),
        ("rassAtOrBelow", "RASS at or below"),
        ("moaasAtOrBelow", "MOAA/S at or below"),
    ];

    [BindProperty]
    public Dictionary<string, string> Values { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The allowed range of a field (the service's).</summary>
    public (int Min, int Max) Range(string key)
    {
        var r = SettingsService.ThresholdRanges(AlertThresholds.Default).First(x => x.Field == key);
        return (r.Min, r.Max);
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var thresholds = await LoadAsync(cancellationToken);
        ExpectedVersion = Version;
        foreach (var (field, value, _, _) in SettingsService.ThresholdRanges(thresholds))
        {
            Values[field] = value.ToString(CultureInfo.InvariantCulture);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var parsed = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, _) in Fields)
        {
            // Wide bounds here: the service checks the clinical range and names the field in its own words.
            if (!WebNumber.TryParse(Values.GetValueOrDefault(key), key, -1000, 1000, out var v, out var error) || v != Math.Floor(v))
            {
                Error = error ?? string.Create(CultureInfo.InvariantCulture, $"{key}: \"{Values.GetValueOrDefault(key)}\" is not a whole number.");
                await LoadAsync(cancellationToken);
                return Page();
            }

            parsed[key] = (int)v;
        }

        var thresholds = AlertThresholds.Default with
        {
            SystolicAbove = parsed["systolicAbove"],
            DiastolicAbove = parsed["diastolicAbove"],
            SpO2Below = parsed["spo2Below"],
            HeartRateAbove = parsed["heartRateAbove"],
            RassAtOrBelow = parsed["rassAtOrBelow"],
            MoaasAtOrBelow = parsed["moaasAtOrBelow"],
        };
        var saved = await new SettingsService(Db, request.Clock).ReviseAlertThresholdsAsync(thresholds, ExpectedVersion, Reason, request.RequiredUser, cancellationToken);
        if (!saved.IsSuccess)
        {
            Refused(saved.Refusal);
            await LoadAsync(cancellationToken);
            return Page();
        }

        TempData["Message"] = T["Alert thresholds saved as version {0}.", saved.Value.Version].Value;
        return RedirectToPage("/Admin/Alerts");
    }

    private async Task<AlertThresholds> LoadAsync(CancellationToken cancellationToken)
    {
        var settings = new SettingsService(Db, request.Clock);
        var (thresholds, version) = await settings.AlertThresholdsAsync(cancellationToken);
        await LoadHistoryAsync(settings, SettingsService.AlertThresholdsKey, version, cancellationToken);
        return thresholds;
    }
}
