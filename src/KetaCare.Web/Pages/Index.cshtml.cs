using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Sessions;
using KetaCare.Web.Infrastructure;
using KetaCare.Web.Pages.Sessions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages;

/// <summary>
/// The dashboard (any signed-in user with a role): for clinical roles today's sessions, sessions in progress with
/// alerts or a pause, and patients awaiting a physician review; for others the links their role allows.
/// </summary>
public sealed class IndexModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, IAuthorizationService authorization, KetaCare.Clinic.Services.PortalService portal) : PageModel
{
    /// <summary>Open and acknowledged tasks raised from patient reports, newest first.</summary>
    public IReadOnlyList<KetaCare.Clinic.Services.TaskItem> Tasks { get; private set; } = [];

    /// <summary>Names of the accounts, for the clinician responsible for each task.</summary>
    public IReadOnlyDictionary<KetaCare.Clinic.UserId, string> Names { get; private set; } = new Dictionary<KetaCare.Clinic.UserId, string>();

    /// <summary>The signed-in user, to mark the tasks they are responsible for.</summary>
    public KetaCare.Clinic.UserId? Me => request.User;

    /// <summary>The user may acknowledge and close tasks (physician, nurse).</summary>
    public bool WorksTasks { get; private set; }

    /// <summary>A refused task step, in the reader's language.</summary>
    public string? TaskError { get; private set; }

    [BindProperty]
    public Guid TaskPatient { get; set; }

    [BindProperty]
    public long TaskVersion { get; set; }

    [BindProperty]
    public Guid TaskEntry { get; set; }

    [BindProperty]
    public string? TaskStep { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    /// <summary>How long one audited list read (the dashboard's sessions, a chart's plans and sessions) stands for the same user's later views.</summary>
    public static readonly TimeSpan DashboardReadWindow = TimeSpan.FromMinutes(15);

    /// <summary>The user may read patient data.</summary>
    public bool Clinical { get; private set; }

    /// <summary>The user administers the clinic.</summary>
    public bool Administers { get; private set; }

    /// <summary>The user reads the audit log.</summary>
    public bool Audits { get; private set; }

    /// <summary>The user keeps the controlled-substance register (for a stock keeper, the only way in besides the menu).</summary>
    public bool KeepsStock { get; private set; }

    /// <summary>Today in the clinic's time zone.</summary>
    public DateOnly Today { get; private set; }

    /// <summary>Sessions booked for today.</summary>
    public IReadOnlyList<DashboardSession> TodaySessions { get; private set; } = [];

    /// <summary>Sessions in progress (any day) that are paused or whose latest observation raised alerts.</summary>
    public IReadOnlyList<DashboardSession> NeedAttention { get; private set; } = [];

    /// <summary>Patients whose eligibility assessment waits for a physician.</summary>
    public IReadOnlyList<AwaitingReview> Reviews { get; private set; } = [];

    public IReadOnlyList<TitrationWaiting> Titrations { get; private set; } = [];

    /// <summary>Patients on an active plan with an investigation due or overdue.</summary>
    public IReadOnlyList<KetaCare.Clinic.Services.MonitoringDue> Monitoring { get; private set; } = [];

    /// <summary>The clinic time zone.</summary>
    public ClinicTime Time => time;

    public async Task OnGetAsync()
    {
        Today = time.Today(request.Clock);
        Clinical = (await authorization.AuthorizeAsync(User, Policies.ReadClinical)).Succeeded;
        Administers = (await authorization.AuthorizeAsync(User, Policies.Administer)).Succeeded;
        Audits = (await authorization.AuthorizeAsync(User, Policies.Audit)).Succeeded;
        KeepsStock = (await authorization.AuthorizeAsync(User, Policies.KeepStock)).Succeeded;
        if (!Clinical)
        {
            return;
        }

        // The dashboard lists sessions (an audited read per patient) and refreshes often: one audit event per user
        // and patient per viewing session keeps the log meaningful and the page from writing at every view.
        db.ReadCoalescing = DashboardReadWindow;
        var sessions = await Dashboard.SessionsAsync(db, request.Clock, Today, request.RequiredUser);
        TodaySessions = [.. sessions.Where(s => s.Session.ScheduledFor == Today)];
        // A stop-level alert stays on the dashboard until a named user acknowledges it with the action taken.
        NeedAttention = [.. sessions.Where(s => s.Session.State == SessionState.Paused || s.Session.UnacknowledgedStopAlerts.Count > 0 || (s.Session.State == SessionState.Running && LatestAlerts.Of(s.Session).Count > 0))];
        Reviews = await Dashboard.AwaitingReviewAsync(db);
        Titrations = await Dashboard.TitrationWaitingAsync(db, request.Clock);
        Monitoring = await new KetaCare.Clinic.Services.MonitoringService(db).DueAsync(Today, request.RequiredUser);
        WorksTasks = (await authorization.AuthorizeAsync(User, Policies.RecordPatient)).Succeeded;
        // The signed-in clinician's own tasks first, each group newest first.
        Tasks = [.. (await portal.OpenTasksAsync(time.Zone, WorksTasks ? request.RequiredUser : null)).OrderByDescending(t => t.Task.Value.Responsible == request.User)];
        Names = Tasks.Count > 0 ? await KetaCare.Web.Pages.Patients.PatientInput.UserNamesAsync(db) : Names;
    }

    /// <summary>Acknowledges or closes a task with a note (physician or nurse).</summary>
    public async Task<IActionResult> OnPostTaskAsync(CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.RecordPatient)).Succeeded)
        {
            return Forbid();
        }

        if (!KetaCare.Web.Pages.Patients.PatientInput.TryChoice<KetaCare.Clinic.Portal.TaskState>(TaskStep, "step", out var step, out var error))
        {
            TaskError = error;
            await OnGetAsync();
            return Page();
        }

        var r = await portal.StepTaskAsync(new KetaCare.Clinic.PatientId(TaskPatient), TaskVersion, new KetaCare.Clinic.EntryId(TaskEntry), step, Note ?? string.Empty, request.RequiredUser, cancellationToken);
        if (!r.IsSuccess)
        {
            TaskError = KetaCare.Interop.Text.FindingText.Render(r.Findings, r.Error, System.Globalization.CultureInfo.CurrentCulture);
            await OnGetAsync();
            return Page();
        }

        return Redirect("/#patient-tasks");
    }
}
