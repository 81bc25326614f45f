using System.Globalization;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace KetaCare.Web.Pages.Admin;

/// <summary>
/// The investigation ranges, thresholds and schedule in force (<see cref="InvestigationSettings"/>), the form to revise
/// them with a reason against the version shown, and their history. The ranges are the service's; this page parses
/// numbers in the user's culture and shows the refusal.
/// </summary>
[Authorize(Policy = Policies.Administer)]
public sealed class InvestigationsModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, IStringLocalizer<Strings> T) : VersionedSettingsModel(db, time)
{
    /// <summary>The labels of the fields, by the settings' field names (which refusals use).</summary>
    public static IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["altUpper"] = "ALT upper limit (U/L)",
        ["astUpper"] = "AST upper limit (U/L)",
        ["bilirubinUpper"] = "Total bilirubin upper limit (mg/dL)",
        ["ggtUpper"] = "GGT upper limit (U/L)",
        ["alpUpper"] = "ALP upper limit (U/L)",
        ["transaminaseReviewMultiple"] = "ALT or AST review above (× upper limit)",
        ["cholestasisReviewMultiple"] = "Bilirubin or ALP review above (× upper limit)",
        ["qtcProlongedMaleMs"] = "QTc prolonged above, men (ms)",
        ["qtcProlongedFemaleMs"] = "QTc prolonged above, women (ms)",
        ["qtcReviewMs"] = "QTc review above (ms)",
        ["urinarySymptomReviewTotal"] = "Urinary-symptom score for review (of 15)",
        ["liverPanelValidDays"] = "Liver panel valid for (days)",
        ["liverPanelEveryCourses"] = "Liver panel before every n-th repeated course",
        ["ecgValidDays"] = "ECG valid for (days)",
        ["urinaryScreenValidDays"] = "Urinary screen valid for (days)",
        ["longCourseSessions"] = "Long course from (sessions)",
    };

    [BindProperty]
    public Dictionary<string, string> Values { get; set; } = new(StringComparer.Ordinal);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var settings = await LoadAsync(cancellationToken);
        ExpectedVersion = Version;
        foreach (var f in InvestigationSettings.Fields)
        {
            Values[f.Field] = WebNumber.Show(f.Get(settings), 6);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var parsed = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var f in InvestigationSettings.Fields)
        {
            // Wide bounds here: the service checks each field's range and names it in its refusal.
            if (!WebNumber.TryParse(Values.GetValueOrDefault(f.Field), FindingText.Field(f.Field, CultureInfo.CurrentUICulture), -1e6, 1e6, out var v, out var error))
            {
                Error = error;
                await LoadAsync(cancellationToken);
                return Page();
            }

            parsed[f.Field] = v;
        }

        var saved = await new SettingsService(Db, request.Clock).ReviseInvestigationSettingsAsync(parsed, ExpectedVersion, Reason, request.RequiredUser, cancellationToken);
        if (!saved.IsSuccess)
        {
            Refused(saved.Refusal);
            await LoadAsync(cancellationToken);
            return Page();
        }

        TempData["Message"] = T["Investigation settings saved as version {0}.", saved.Value.Version].Value;
        return RedirectToPage("/Admin/Investigations");
    }

    private async Task<InvestigationSettings> LoadAsync(CancellationToken cancellationToken)
    {
        var service = new SettingsService(Db, request.Clock);
        var (settings, version) = await service.InvestigationSettingsAsync(cancellationToken);
        await LoadHistoryAsync(service, SettingsService.InvestigationSettingsKey, version, cancellationToken);
        return settings;
    }
}
