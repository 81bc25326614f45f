using System.Globalization;
using KetaCare.Clinic.Scheduling;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace KetaCare.Web.Pages.Admin;

/// <summary>The infusion chairs and rooms the calendar books: add one, rename it, take it out of use or back (audited, never deleted).</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class ChairsModel(SchedulingService scheduling, ClinicRequest request, IStringLocalizer<Strings> T) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public Guid? ChairId { get; set; }

    [BindProperty]
    public long ExpectedVersion { get; set; }

    [BindProperty]
    public bool Active { get; set; }

    [BindProperty]
    public string? Opens { get; set; }

    [BindProperty]
    public string? Closes { get; set; }

    [BindProperty]
    public List<DayOfWeek> OpenDays { get; set; } = [];

    [BindProperty]
    public int PatientsPerNurse { get; set; }

    [BindProperty]
    public int DefaultNursesOnDuty { get; set; }

    [BindProperty]
    public string? ReminderHours { get; set; }

    [BindProperty]
    public int ChecklistHours { get; set; }

    [BindProperty]
    public int SlotMinutes { get; set; }

    [BindProperty]
    public int SettingsVersion { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public IReadOnlyList<ChairView> Chairs { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Chairs = await scheduling.ChairsAsync(true, cancellationToken);
        var (settings, version) = await scheduling.SettingsAsync(cancellationToken);
        if (Error is null)
        {
            SettingsVersion = version;
            Opens = settings.Opens.ToString("HH:mm", CultureInfo.InvariantCulture);
            Closes = settings.Closes.ToString("HH:mm", CultureInfo.InvariantCulture);
            OpenDays = [.. settings.OpenDays];
            PatientsPerNurse = settings.PatientsPerNurse;
            DefaultNursesOnDuty = settings.DefaultNursesOnDuty;
            ReminderHours = string.Join(", ", settings.ReminderHoursBefore.Select(h => h.ToString(CultureInfo.InvariantCulture)));
            ChecklistHours = settings.ChecklistReminderHoursBefore;
            SlotMinutes = settings.SlotMinutes;
        }
    }

    /// <summary>Stores the scheduling settings as a new version, with a reason, against the version shown.</summary>
    public async Task<IActionResult> OnPostSettingsAsync(CancellationToken cancellationToken)
    {
        if (!TimeOnly.TryParseExact(Opens, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var opens)
            || !TimeOnly.TryParseExact(Closes, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var closes))
        {
            return await DoneAsync(T["Opening hours: write HH:mm (24-hour)."], cancellationToken);
        }

        var hours = new List<int>();
        foreach (var part in (ReminderHours ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var h))
            {
                return await DoneAsync(T["Reminder hours: whole numbers separated by commas, e.g. 48, 24."], cancellationToken);
            }

            hours.Add(h);
        }

        var settings = new SchedulingSettings
        {
            Opens = opens,
            Closes = closes,
            OpenDays = [.. OpenDays.Distinct().Order()],
            PatientsPerNurse = PatientsPerNurse,
            DefaultNursesOnDuty = DefaultNursesOnDuty,
            ReminderHoursBefore = hours,
            ChecklistReminderHoursBefore = ChecklistHours,
            SlotMinutes = SlotMinutes,
        };
        var r = await scheduling.ReviseSettingsAsync(settings, SettingsVersion, Reason ?? string.Empty, request.RequiredUser, cancellationToken);
        return await DoneAsync(r.IsSuccess ? null : FindingText.Render(r.Findings, r.Error, CultureInfo.CurrentCulture), cancellationToken);
    }

    /// <summary>Adds a chair.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var r = await scheduling.AddChairAsync(Name ?? string.Empty, request.RequiredUser, cancellationToken);
        return await DoneAsync(r.IsSuccess ? null : FindingText.Render(r.Findings, r.Error, CultureInfo.CurrentCulture), cancellationToken);
    }

    /// <summary>Renames a chair or takes it out of (or back into) use.</summary>
    public async Task<IActionResult> OnPostChangeAsync(CancellationToken cancellationToken)
    {
        var r = await scheduling.ChangeChairAsync(new ChairId(ChairId ?? Guid.Empty), ExpectedVersion, Name ?? string.Empty, Active, request.RequiredUser, cancellationToken);
        return await DoneAsync(r.IsSuccess ? null : FindingText.Render(r.Findings, r.Error, CultureInfo.CurrentCulture), cancellationToken);
    }

    private async Task<IActionResult> DoneAsync(string? error, CancellationToken cancellationToken)
    {
        if (error is null)
        {
            TempData["Message"] = T["Saved."].Value;
            return Redirect("/Admin/Chairs");
        }

        Error = error;
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
