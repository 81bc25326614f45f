using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Portal;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using KetaCare.Web.Pages.Patients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace KetaCare.Web.Pages.Portal;

/// <summary>
/// The pre-visit checklist for one of the patient's booked sessions, the day before or the day of it: fasted since,
/// escort home, new medications, and pregnancy where the clinic's checklist rule asks it (<see cref="PreVisitChecklist"/>).
/// The patient's earlier answers for the session are listed and can be corrected with a reason; the earlier version
/// stays, shown as corrected. Another patient's session or one not booked is a 404.
/// </summary>
public sealed class ChecklistModel(PortalService portal, ClinicRequest request, ClinicTime time, IStringLocalizer<Strings> T) : PortalPage(portal, request, time)
{
    /// <summary>The session, from the patient's own booked sessions.</summary>
    public PortalSession Session { get; private set; } = null!;

    /// <summary>True when the clinic's checklist rule asks this patient the pregnancy question.</summary>
    public bool AskPregnancy => View.Questions.Pregnancy;

    /// <summary>The patient's answers for this session, every version, newest first.</summary>
    public IReadOnlyList<ChartEntry<PreVisitAnswers>> Answers => [.. View.PreVisit.Where(a => a.Value.Session == Session.Id)];

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

    /// <summary>A stored time as a datetime-local value in the clinic's zone.</summary>
    public string LocalInput(DateTimeOffset utc) => Time.Local(utc).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken).ConfigureAwait(false) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken).ConfigureAwait(false) is { } missing)
        {
            return missing;
        }

        if (!PatientInput.TryChoice(Moment, T["When are you answering?"], out PreVisitMoment moment, out var error) || !TryAnswers(out var a, out error))
        {
            Error = error;
            return Page();
        }

        var r = await Portal.AnswerPreVisitAsync(Account, Session.Id, moment, a.Since, a.Escort, NewMedications, a.Pregnant, cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Done("/Portal") : Refused(r.Refusal);
    }

    /// <summary>
    /// Corrects earlier answers with a reason, through the same service call as the API's amendment: the session and the
    /// moment stay, and a correction that now meets a clinic rule raises its task.
    /// </summary>
    public async Task<IActionResult> OnPostAmendAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken).ConfigureAwait(false) is { } missing)
        {
            return missing;
        }

        if (!TryAnswers(out var a, out var error))
        {
            Error = error;
            return Page();
        }

        var r = await Portal.AmendPreVisitAsync(Account, Version, new EntryId(Entry), a.Since, a.Escort, NewMedications, a.Pregnant, Reason ?? string.Empty, cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Done($"/Portal/Checklist/{id}") : Refused(r.Refusal);
    }

    /// <summary>
    /// Reads the form's answers. "Last ate at" is read only with "fasted: yes" and the pregnancy choice only where the
    /// rule asks it (the form shows nothing else); whether the answers fit the questions is the service's to decide.
    /// </summary>
    private bool TryAnswers(out (DateTimeOffset? Since, bool Escort, bool? Pregnant) answers, out string? error)
    {
        answers = default;
        if (!PatientInput.TryChoice(Fasted, T["Have you fasted?"], out YesNo fasted, out error)
            || !PatientInput.TryChoice(Escort, T["Will an adult take you home?"], out YesNo escort, out error))
        {
            return false;
        }

        DateTimeOffset? since = null;
        if (fasted == YesNo.Yes)
        {
            if (!Time.TryParseLocal(FastingSince, Today, T["Last ate at"], out var at, out error))
            {
                return false;
            }

            since = at;
        }

        bool? pregnant = null;
        if (AskPregnancy)
        {
            if (!PatientInput.TryChoice(Pregnant, T["Could you be pregnant?"], out YesNo p, out error))
            {
                return false;
            }

            pregnant = p == YesNo.Yes;
        }

        answers = (since, escort == YesNo.Yes, pregnant);
        return true;
    }

    private RedirectResult Done(string next)
    {
        TempData["Message"] = T["Saved. Thank you."].Value;
        return Redirect(next);
    }

    private PageResult Refused(Refusal refusal)
    {
        Error = Say(refusal);
        return Page();
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

    /// <summary>The questions as one form shows them: new answers (no prefix) or a correction of <paramref name="Current"/>.</summary>
    /// <param name="Prefix">Prefix of the inputs' test ids ("" or "amend-").</param>
    /// <param name="AskPregnancy">True when the pregnancy question is shown.</param>
    /// <param name="Current">The answers corrected, to fill the form with; null for new answers.</param>
    /// <param name="FastingSince">The "last ate at" value (datetime-local, clinic time).</param>
    /// <param name="NewMedications">The new medicines text.</param>
    public sealed record Questions(string Prefix, bool AskPregnancy, PreVisitAnswers? Current, string? FastingSince, string? NewMedications);

    /// <summary>A yes/no answer of the form.</summary>
    public enum YesNo
    {
        /// <summary>No.</summary>
        No,

        /// <summary>Yes.</summary>
        Yes,
    }
}
