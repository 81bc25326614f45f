using KetaCare.Interop.Text;
using Microsoft.Extensions.Localization;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Admin;

/// <summary>The sign-in timeouts in force (idle and absolute), the form to revise them with a reason, and their history.</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class SessionsModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, SignInSessions sessions, IStringLocalizer<Strings> T) : PageModel
{
    [BindProperty]
    public string IdleMinutes { get; set; } = string.Empty;

    [BindProperty]
    public string AbsoluteHours { get; set; } = string.Empty;

    [BindProperty]
    public int ExpectedVersion { get; set; }

    [BindProperty]
    public string Reason { get; set; } = string.Empty;

    public int Version { get; private set; }

    public IReadOnlyList<SettingVersion> History { get; private set; } = [];

    public IReadOnlyDictionary<UserId, string> Names { get; private set; } = new Dictionary<UserId, string>();

    public string? Error { get; private set; }

    public ClinicTime Time => time;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var timeouts = await LoadAsync(cancellationToken);
        ExpectedVersion = Version;
        IdleMinutes = ((int)timeouts.Idle.TotalMinutes).ToString(CultureInfo.InvariantCulture);
        AbsoluteHours = ((int)timeouts.Absolute.TotalHours).ToString(CultureInfo.InvariantCulture);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!WebNumber.TryParseWhole(IdleMinutes, "idleMinutes", SessionTimeouts.MinIdleMinutes, SessionTimeouts.MaxIdleMinutes, out var idle, out var error)
            || !WebNumber.TryParseWhole(AbsoluteHours, "absoluteHours", SessionTimeouts.MinAbsoluteHours, SessionTimeouts.MaxAbsoluteHours, out var absolute, out error))
        {
            Error = error;
            await LoadAsync(cancellationToken);
            return Page();
        }

        var saved = await SessionTimeouts.ReviseAsync(new SettingsService(db, request.Clock), idle, absolute, ExpectedVersion, Reason, request.RequiredUser, cancellationToken);
        if (!saved.IsSuccess)
        {
            Error = FindingText.Render(saved.Findings, saved.Error, CultureInfo.CurrentCulture);
            await LoadAsync(cancellationToken);
            return Page();
        }

        sessions.ForgetTimeouts();
        TempData["Message"] = T["Sign-in timeouts saved as version {0}.", saved.Value.Version].Value;
        return RedirectToPage("/Admin/Sessions");
    }

    private async Task<SessionTimeouts> LoadAsync(CancellationToken cancellationToken)
    {
        var settings = new SettingsService(db, request.Clock);
        var (timeouts, version) = await SessionTimeouts.ReadAsync(settings, cancellationToken);
        Version = version;
        History = await settings.HistoryAsync(SessionTimeouts.Key, cancellationToken);
        Names = await new AuditLogService(db).DisplayNamesAsync(History.Where(h => h.CreatedBy is not null).Select(h => h.CreatedBy!.Value), cancellationToken);
        return timeouts;
    }
}
