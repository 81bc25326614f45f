using KetaCare.Clinic;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Patients;

/// <summary>One version of a chart entry without its value: what every history table shows beside the value.</summary>
public sealed record EntryMeta(EntryId Id, int Revision, DateTimeOffset At, UserId By, EntryStatus Status, string? Reason)
{
    public bool IsActive => Status == EntryStatus.Active;

    public static EntryMeta Of<T>(ChartEntry<T> e)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Id, e.Revision, e.RecordedAt, e.RecordedBy, e.Status, e.Reason);
    }
}

/// <summary>
/// The patient's chart: every history with its amendments and entries in error, assessments, plans, sessions and
/// outcome measures. Opening it is an audited read (<see cref="PatientService.OpenChartAsync"/>).
/// </summary>
[Authorize(Policy = Policies.ReadClinical)]
public sealed class ChartModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, IAuthorizationService auth, KetaCare.Clinic.Portal.PortalAccounts portal) : PageModel
{
    /// <summary>The patient's portal account, or null when never invited.</summary>
    public KetaCare.Clinic.Portal.PortalAccountStatus? Portal { get; private set; }

    /// <summary>The invitation just made (its link is shown once, to copy and hand over), or null.</summary>
    public KetaCare.Clinic.Portal.PortalInvitation? Invitation { get; private set; }

    /// <summary>A refused invitation, in the reader's language.</summary>
    public string? InvitationError { get; private set; }

    /// <summary>Refused contact details, in the reader's language.</summary>
    public string? ContactError { get; private set; }

    public Patient Patient { get; private set; } = null!;

    public IReadOnlyList<(EligibilityAssessment Assessment, PhysicianReview? Review)> Assessments { get; private set; } = [];

    public IReadOnlyList<TreatmentPlan> Plans { get; private set; } = [];

    public IReadOnlyList<InfusionSession> Sessions { get; private set; } = [];

    public IReadOnlyDictionary<UserId, string> Users { get; private set; } = new Dictionary<UserId, string>();

    /// <summary>The clinic's investigation settings in force, by which the lab values are flagged.</summary>
    public InvestigationSettings Investigations { get; private set; } = InvestigationSettings.Default;

    /// <summary>The monitoring schedule of the current course, as of today in the clinic.</summary>
    public IReadOnlyList<MonitoringItem> Monitoring { get; private set; } = [];

    /// <summary>Blood pressure before each session (the first pre-infusion reading with both pressures), oldest first.</summary>
    public IReadOnlyList<(DateOnly On, int Systolic, int Diastolic)> BloodPressures =>
        [.. Sessions.Select(s => (s.ScheduledFor, Reading: s.Observations.ActiveValues.OrderBy(o => o.At).FirstOrDefault(o => o.Systolic is not null && o.Diastolic is not null)))
            .Where(x => x.Reading is not null)
            .Select(x => (x.ScheduledFor, x.Reading!.Systolic!.Value, x.Reading.Diastolic!.Value))];

    public bool CanRecord { get; private set; }

    public bool CanScreen { get; private set; }

    public bool CanPrescribe { get; private set; }

    public DateTimeOffset Now => request.Clock.GetUtcNow();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var by = request.RequiredUser;
        var chart = await new PatientService(db, request.Clock).OpenChartAsync(new PatientId(id), by, cancellationToken).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return NotFound();
        }

        Patient = chart.Value;

        // Every opening is audited above ("chart opened"); the lists shown on the same page are part of that view,
        // so they are audited once per user per viewing session rather than three more writes at every reload.
        db.ReadCoalescing = KetaCare.Web.Pages.IndexModel.DashboardReadWindow;
        var treatments = new TreatmentService(db, request.Clock);
        Assessments = await treatments.AssessmentsAsync(Patient.Id, by, cancellationToken).ConfigureAwait(false);
        Plans = await treatments.PlansAsync(Patient.Id, by, cancellationToken).ConfigureAwait(false);
        Sessions = await new SessionService(db, request.Clock).ForPatientAsync(Patient.Id, by, cancellationToken).ConfigureAwait(false);
        Monitoring = await new MonitoringService(db).ScheduleAsync(Patient, time.Today(request.Clock), cancellationToken).ConfigureAwait(false);
        (Investigations, _) = await new SettingsService(db, request.Clock).InvestigationSettingsAsync(cancellationToken).ConfigureAwait(false);
        Users = await PatientInput.UserNamesAsync(db, cancellationToken).ConfigureAwait(false);
        CanRecord = (await auth.AuthorizeAsync(User, Policies.RecordPatient).ConfigureAwait(false)).Succeeded;
        CanScreen = (await auth.AuthorizeAsync(User, Policies.Screen).ConfigureAwait(false)).Succeeded;
        CanPrescribe = (await auth.AuthorizeAsync(User, Policies.Prescribe).ConfigureAwait(false)).Succeeded;
        Portal = await portal.StatusAsync(Patient.Id, cancellationToken).ConfigureAwait(false);
        return Page();
    }

    /// <summary>
    /// Invites the patient to the portal (physician or nurse), shows the one-time link on the chart and, when an e-mail
    /// address is given, has it e-mailed; with <paramref name="resetSecondFactor"/> (a patient who lost their second
    /// factor) the link also resets two-factor sign-in when used, with the reason given.
    /// </summary>
    public async Task<IActionResult> OnPostInviteAsync(Guid id, string? inviteEmail, string? inviteLanguage, bool resetSecondFactor, string? inviteReason, CancellationToken cancellationToken)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.RecordPatient).ConfigureAwait(false)).Succeeded)
        {
            return Forbid();
        }

        var accept = new Uri($"{Request.Scheme}://{Request.Host}{Request.PathBase}/Account/Invitation");
        var invited = resetSecondFactor
            ? await portal.ReinviteWithoutSecondFactorAsync(new PatientId(id), accept, request.RequiredUser, inviteEmail, inviteLanguage is "en" or "tr" ? inviteLanguage : null, inviteReason, cancellationToken).ConfigureAwait(false)
            : await portal.InviteAsync(new PatientId(id), accept, request.RequiredUser, inviteEmail, inviteLanguage is "en" or "tr" ? inviteLanguage : null, cancellationToken).ConfigureAwait(false);
        var page = await OnGetAsync(id, cancellationToken).ConfigureAwait(false);
        if (invited.IsSuccess)
        {
            Invitation = invited.Value;
        }
        else
        {
            InvitationError = KetaCare.Interop.Text.FindingText.Render(invited.Findings, invited.Error, System.Globalization.CultureInfo.CurrentCulture);
        }

        return page;
    }

    /// <summary>Records the patient's contact details and reminder consents (physician or nurse); pending reminders follow them.</summary>
    public async Task<IActionResult> OnPostContactAsync(Guid id, long version, string? contactEmail, string? contactPhone, string? contactLanguage, bool emailConsent, bool textConsent, string? contactReason, CancellationToken cancellationToken)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.RecordPatient).ConfigureAwait(false)).Succeeded)
        {
            return Forbid();
        }

        var input = new ContactInput(contactEmail, contactPhone, contactLanguage ?? "en", emailConsent, textConsent);
        var changed = await new PatientService(db, request.Clock).ChangeContactAsync(new PatientId(id), version, input, contactReason, request.RequiredUser, cancellationToken).ConfigureAwait(false);
        if (changed.IsSuccess)
        {
            return Redirect($"/Patients/{id}#contact");
        }

        db.ChangeTracker.Clear();
        var page = await OnGetAsync(id, cancellationToken).ConfigureAwait(false);
        ContactError = KetaCare.Interop.Text.FindingText.Render(changed.Findings, changed.Error, System.Globalization.CultureInfo.CurrentCulture);
        return page;
    }
}
