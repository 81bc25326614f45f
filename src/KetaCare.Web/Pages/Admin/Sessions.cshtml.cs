using KetaCare.Interop.Text;
using Microsoft.Extensions.Localization;
using System.Globalization;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KetaCare.Web.Pages.Admin;

/// <summary>The sign-in timeouts in force (idle and absolute), the form to revise them with a reason, and their history.</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class SessionsModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, SignInSessions sessions, IStringLocalizer<Strings> T) : VersionedSettingsModel(db, time)
{
    [BindProperty]
    public string IdleMinutes { get; set; } = string.Empty;

    [BindProperty]
    public string AbsoluteHours { get; set; } = string.Empty;

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

        var saved = await SessionTimeouts.ReviseAsync(new SettingsService(Db, request.Clock), idle, absolute, ExpectedVersion, Reason, request.RequiredUser, cancellationToken);
        if (!saved.IsSuccess)
        {
            Refused(saved.Refusal);
            await LoadAsync(cancellationToken);
            return Page();
        }

        sessions.ForgetTimeouts();
        TempData["Message"] = T["Sign-in timeouts saved as version {0}.", saved.Value.Version].Value;
        return RedirectToPage("/Admin/Sessions");
    }

    private async Task<SessionTimeouts> LoadAsync(CancellationToken cancellationToken)
    {
        var settings = new SettingsService(Db, request.Clock);
        var (timeouts, version) = await SessionTimeouts.ReadAsync(settings, cancellationToken);
        await LoadHistoryAsync(settings, SessionTimeouts.Key, version, cancellationToken);
        return timeouts;
    }
}
