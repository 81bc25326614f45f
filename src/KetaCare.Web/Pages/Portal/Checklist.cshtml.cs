using KetaCare.Clinic;
using KetaCare.Clinic.Portal;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using KetaCare.Web.Pages.Patients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace KetaCare.Web.Pages.Portal;

/// <summary>
/// The pre-visit checklist for one of the patient's booked sessions, the day before or the day of it: fasted since,
/// escort home, new medications, and pregnancy where it applies. Another patient's session or one not booked is a 404.
/// </summary>
public sealed class ChecklistModel(PortalService portal, ClinicRequest request, ClinicTime time, IStringLocalizer<Strings> T) : PortalPage(portal, request, time)
{
    /// <summary>The session, from the patient's own booked sessions.</summary>
    public PortalSession Session { get; private set; } = null!;

    /// <summary>True when the clinic's checklist rule asks this patient the pregnancy question.</summary>
    public bool AskPregnancy => View.Questions.Pregnancy;

    [BindProperty]
    public string? Moment { get; set; }

    [BindProperty]
    public string? Fasted { get; set; }

    [BindProperty]
    public string? FastingSince { get; set; }

    [BindProperty]
    public string? Escort { get; set; }

    [BindProperty]
    public string? NewMedications { get; set; }

    [BindProperty]
    public string? Pregnant { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken).ConfigureAwait(false) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken).ConfigureAwait(false) is { } missing)
        {
            return missing;
        }

        DateTimeOffset? since = null;
        var fasted = YesNo.No;
        var escort = YesNo.No;
        var ok = PatientInput.TryChoice(Moment, T["When are you answering?"], out PreVisitMoment moment, out var error)
            && PatientInput.TryChoice(Fasted, T["Have you fasted?"], out fasted, out error)
            && PatientInput.TryChoice(Escort, T["Will an adult take you home?"], out escort, out error);
        if (ok && fasted == YesNo.Yes)
        {
            ok = Time.TryParseLocal(FastingSince, Today, T["Last ate at"], out var at, out error);
            since = at;
        }

        var pregnant = YesNo.No;
        if (ok && AskPregnancy)
        {
            ok = PatientInput.TryChoice(Pregnant, T["Could you be pregnant?"], out pregnant, out error);
        }

        if (!ok)
        {
            Error = error;
            return Page();
        }

        var r = await Portal.AnswerPreVisitAsync(Account, new SessionId(id), moment, since, escort == YesNo.Yes, NewMedications, AskPregnancy ? pregnant == YesNo.Yes : null, cancellationToken).ConfigureAwait(false);
        if (!r.IsSuccess)
        {
            Error = Say(r.Refusal);
            return Page();
        }

        TempData["Message"] = T["Saved. Thank you."].Value;
        return Redirect("/Portal");
    }

    /// <summary>Loads the view and the session; a result (403/404) when either is not the patient's, else null.</summary>
    private async Task<IActionResult?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            return Forbid();
        }

        var session = View.Upcoming.FirstOrDefault(s => s.Id.Value == id);
        if (session is null)
        {
            return NotFound();
        }

        Session = session;
        return null;
    }

    /// <summary>A yes/no answer of the form.</summary>
    public enum YesNo
    {
        /// <summary>No.</summary>
        No,

        /// <summary>Yes.</summary>
        Yes,
    }
}
