using System.Globalization;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Portal;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace KetaCare.Web.Pages.Admin;

/// <summary>
/// The patient portal's clinic settings: the rules that raise clinician tasks from patient reports, and the
/// instructions patients read in the portal. Each is versioned with a reason, against the version shown.
/// </summary>
[Authorize(Policy = Policies.Administer)]
public sealed class PortalModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, IStringLocalizer<Strings> T) : VersionedSettingsModel(db, time)
{
    [BindProperty]
    public bool SevereSideEffect { get; set; }

    [BindProperty]
    public bool AnyUrinarySymptom { get; set; }

    [BindProperty]
    public string? PainReturnPercent { get; set; }

    [BindProperty]
    public string? ChecklistDueHour { get; set; }

    [BindProperty]
    public bool NotFastedOrNoEscort { get; set; }

    [BindProperty]
    public string? Instructions { get; set; }

    [BindProperty]
    public int InstructionsExpectedVersion { get; set; }

    [BindProperty]
    public string InstructionsReason { get; set; } = string.Empty;

    public int InstructionsVersion { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var rules = await LoadAsync(cancellationToken);
        ExpectedVersion = Version;
        InstructionsExpectedVersion = InstructionsVersion;
        SevereSideEffect = rules.SevereSideEffect;
        AnyUrinarySymptom = rules.AnyUrinarySymptom;
        PainReturnPercent = rules.PainReturnPercent.ToString(CultureInfo.InvariantCulture);
        ChecklistDueHour = rules.ChecklistDueHour.ToString(CultureInfo.InvariantCulture);
        NotFastedOrNoEscort = rules.NotFastedOrNoEscort;
    }

    public async Task<IActionResult> OnPostRulesAsync(CancellationToken cancellationToken)
    {
        if (!WebNumber.TryParse(PainReturnPercent, "painReturnPercent", -1000, 1000, out var percent, out var error)
            || !WebNumber.TryParse(ChecklistDueHour, "checklistDueHour", -1000, 1000, out var hour, out error)
            || percent != Math.Floor(percent) || hour != Math.Floor(hour))
        {
            Error = error ?? T["Whole numbers only."];
            await LoadAsync(cancellationToken);
            return Page();
        }

        var rules = PortalAlertSettings.Default with
        {
            SevereSideEffect = SevereSideEffect,
            AnyUrinarySymptom = AnyUrinarySymptom,
            PainReturnPercent = (int)percent,
            ChecklistDueHour = (int)hour,
            NotFastedOrNoEscort = NotFastedOrNoEscort,
        };
        var saved = await new SettingsService(Db, request.Clock).RevisePortalAlertRulesAsync(rules, ExpectedVersion, Reason, request.RequiredUser, cancellationToken);
        if (!saved.IsSuccess)
        {
            Refused(saved.Refusal);
            await LoadAsync(cancellationToken);
            return Page();
        }

        TempData["Message"] = T["Portal alert rules saved as version {0}.", saved.Value.Version].Value;
        return RedirectToPage("/Admin/Portal");
    }

    public async Task<IActionResult> OnPostInstructionsAsync(CancellationToken cancellationToken)
    {
        var saved = await new SettingsService(Db, request.Clock).RevisePortalInstructionsAsync(Instructions ?? string.Empty, InstructionsExpectedVersion, InstructionsReason, request.RequiredUser, cancellationToken);
        if (!saved.IsSuccess)
        {
            Refused(saved.Refusal);
            await LoadAsync(cancellationToken);
            return Page();
        }

        TempData["Message"] = T["Instructions saved as version {0}.", saved.Value.Version].Value;
        return RedirectToPage("/Admin/Portal");
    }

    private async Task<PortalAlertSettings> LoadAsync(CancellationToken cancellationToken)
    {
        var settings = new SettingsService(Db, request.Clock);
        var (rules, version) = await settings.PortalAlertRulesAsync(cancellationToken);
        var (text, textVersion) = await settings.PortalInstructionsAsync(cancellationToken);
        Instructions ??= text;
        InstructionsVersion = textVersion;
        await LoadHistoryAsync(settings, SettingsService.PortalAlertRulesKey, version, cancellationToken);
        return rules;
    }
}
