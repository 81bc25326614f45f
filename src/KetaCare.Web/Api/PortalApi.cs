using KetaCare.Clinic;
using KetaCare.Clinic.Outcomes;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Portal;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Api;

/// <summary>
/// The patient portal over the API. Under <c>/api/v1/portal</c> a patient's own account records its reports: the
/// patient is the one linked to the signed-in account, so no request names a patient id. Staff read a patient's
/// reports and tasks, and acknowledge or close tasks, under the clinic's policies.
/// </summary>
internal static class PortalApi
{
    /// <summary>Maps the patient's endpoints on <paramref name="portal"/> (Portal policy) and the staff's on <paramref name="api"/>.</summary>
    public static void Map(RouteGroupBuilder portal, RouteGroupBuilder api)
    {
        portal.WithTags("Patient portal");
        portal.MapGet("/antiforgery", (HttpContext context, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery) =>
            {
                var tokens = antiforgery.GetAndStoreTokens(context);
                return TypedResults.Ok(new AntiforgeryToken(ApiEndpoints.AntiforgeryHeader, tokens.RequestToken!));
            })
            .WithName("GetPortalAntiforgeryToken")
            .WithSummary("The antiforgery request token for the portal's POSTs (Patient role; the clinic's /api/v1/antiforgery needs a clinic role).");
        portal.MapGet("/", ViewAsync)
            .WithName("GetMyPortal")
            .WithSummary("The signed-in patient's own reports and booked sessions (Patient role; an audited read).")
            .Produces<PortalSummary>();
        portal.MapPost("/pain", PainAsync)
            .WithName("RecordMyPain")
            .WithSummary("Records a pain diary score (NRS 0–10) at a time; may raise a clinician task (pain back near the baseline).")
            .Accepts<NewDiaryPain>("application/json")
            .Produces<ChartChange>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        portal.MapPost("/pain/{entry:guid}/amendments", AmendPainAsync)
            .WithName("AmendMyPain")
            .WithSummary("Corrects one of the patient's own diary scores with a reason, against the chart version read; the old value stays in the history.")
            .Accepts<DiaryPainAmendment>("application/json")
            .Produces<ChartChange>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        portal.MapPost("/pgic", PgicAsync)
            .WithName("RecordMyPgic")
            .WithSummary("Records the patient's global impression of change (1–7).")
            .Accepts<NewDiaryPgic>("application/json")
            .Produces<ChartChange>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        portal.MapPost("/bpi", BpiAsync)
            .WithName("RecordMyBpi")
            .WithSummary("Records the patient's BPI short form: worst, least, average, now and seven interference items, each 0–10.")
            .Accepts<NewDiaryBpi>("application/json")
            .Produces<ChartChange>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        portal.MapPost("/side-effects", SideEffectAsync)
            .WithName("RecordMySideEffect")
            .WithSummary("Records a side effect (kind: Dissociation, Nausea, UrinarySymptoms, Mood; severity: Mild, Moderate, Severe); may raise a clinician task.")
            .Accepts<NewSideEffect>("application/json")
            .Produces<ChartChange>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        portal.MapPost("/side-effects/{entry:guid}/amendments", AmendSideEffectAsync)
            .WithName("AmendMySideEffect")
            .WithSummary("Corrects one of the patient's own side-effect reports with a reason, against the chart version read; the old report stays in the history and a correction that meets a clinic rule raises its task.")
            .Accepts<SideEffectAmendment>("application/json")
            .Produces<ChartChange>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        portal.MapPost("/checklists/{entry:guid}/amendments", AmendChecklistAsync)
            .WithName("AmendMyPreVisitChecklist")
            .WithSummary("Corrects the patient's own pre-visit checklist answers with a reason, against the chart version read; the session and moment stay, the old answers stay in the history.")
            .Accepts<PreVisitAmendment>("application/json")
            .Produces<ChartChange>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        portal.MapPost("/checklists", ChecklistAsync)
            .WithName("AnswerMyPreVisitChecklist")
            .WithSummary("Answers the pre-visit checklist for one of the patient's booked sessions (moment: DayBefore or DayOf); another patient's session is a 404.")
            .Accepts<NewPreVisitAnswers>("application/json")
            .Produces<ChartChange>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/patients/{id:guid}/patient-reports", ReportsAsync)
            .RequireAuthorization(Policies.ReadClinical)
            .WithTags("Patient portal")
            .WithName("GetPatientReports")
            .WithSummary("A patient's own reports from the portal (pain diary, PGIC, side effects, pre-visit checklists) and the tasks raised from them, every version; an audited read.")
            .Produces<PatientReports>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/tasks", TasksAsync)
            .RequireAuthorization(Policies.ReadClinical)
            .WithTags("Patient portal")
            .WithName("GetOpenTasks")
            .WithSummary("Tasks from patient reports not yet closed, newest first.")
            .Produces<IReadOnlyList<TaskView>>();
        api.MapPost("/patients/{id:guid}/tasks/{task:guid}", StepTaskAsync)
            .RequireAuthorization(Policies.RecordPatient)
            .WithTags("Patient portal")
            .WithName("StepTask")
            .WithSummary("Acknowledges or closes a task (state: Acknowledged or Closed) with a note, against the chart version read.")
            .Accepts<TaskStep>("application/json")
            .Produces<TaskView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ViewAsync(PortalService portal, ClinicTime time, ClinicRequest request, CancellationToken ct)
    {
        var view = await portal.ViewAsync(request.RequiredUser, time.Today(request.Clock), ct).ConfigureAwait(false);
        if (!view.IsSuccess)
        {
            return ApiProblems.Refused(view.Refusal);
        }

        var v = view.Value;
        return TypedResults.Ok(new PortalSummary(
            v.Patient.Value,
            v.Version,
            v.DisplayName,
            [.. v.Pain.Select(PainView.Of)],
            [.. v.SideEffects.Select(SideEffectView.Of)],
            [.. v.Upcoming.Select(s => new UpcomingSession(s.Id.Value, s.Date, s.Answered))],
            v.Questions.Pregnancy));
    }

    private static async Task<IResult> PainAsync(JsonBody<NewDiaryPain> body, PortalService portal, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var m);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var at = input.UtcTime(input.Required(m.At, "at", "ISO 8601 UTC time"), "at");
        var nrs = input.InRange(input.Required(m.Nrs, "nrs", "0–10"), "nrs", 0, 10, string.Empty);
        if (input.Problem is not null || nrs != Math.Floor(nrs!.Value))
        {
            return input.Problem ?? ApiProblems.Invalid(["nrs: a whole number 0–10."]);
        }

        return Created(await portal.RecordPainAsync(request.RequiredUser, at!.Value, (int)nrs.Value, m.Note, ct).ConfigureAwait(false));
    }

    private static async Task<IResult> AmendPainAsync(Guid entry, JsonBody<DiaryPainAmendment> body, PortalService portal, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var m);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var version = input.Required(m.ExpectedVersion, "expectedVersion", "the chart version from GET /api/v1/portal");
        var at = input.UtcTime(input.Required(m.At, "at", "ISO 8601 UTC time"), "at");
        var nrs = input.InRange(input.Required(m.Nrs, "nrs", "0–10"), "nrs", 0, 10, string.Empty);
        input.Required(m.Reason, "reason", "why the score is corrected");
        if (input.Problem is not null || nrs != Math.Floor(nrs!.Value))
        {
            return input.Problem ?? ApiProblems.Invalid(["nrs: a whole number 0–10."]);
        }

        return Created(await portal.AmendPainAsync(request.RequiredUser, version!.Value, new EntryId(entry), at!.Value, (int)nrs.Value, m.Note, m.Reason!, ct).ConfigureAwait(false));
    }

    private static async Task<IResult> PgicAsync(JsonBody<NewDiaryPgic> body, PortalService portal, ClinicTime time, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var m);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var score = input.InRange(input.Required(m.Score, "score", "1–7"), "score", 1, 7, string.Empty);
        if (input.Problem is not null || score != Math.Floor(score!.Value))
        {
            return input.Problem ?? ApiProblems.Invalid(["score: a whole number 1–7."]);
        }

        return Created(await portal.RecordPgicAsync(request.RequiredUser, m.CompletedOn ?? time.Today(request.Clock), (int)score.Value, ct).ConfigureAwait(false));
    }

    private static async Task<IResult> BpiAsync(JsonBody<NewDiaryBpi> body, PortalService portal, ClinicTime time, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var m);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var items = new[] { ("worst", m.Worst), ("least", m.Least), ("average", m.Average), ("now", m.Now) }
            .Select(x => input.InRange(input.Required(x.Item2, x.Item1, "0–10"), x.Item1, 0, 10, string.Empty)).ToList();
        var interference = input.Required(m.Interference, "interference", "seven whole numbers 0–10");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        // Whole numbers only; the form's own rules check the ranges and the seven interference items.
        if (items.Any(x => x != Math.Floor(x!.Value)))
        {
            return ApiProblems.Invalid(["worst, least, average, now: whole numbers 0–10."]);
        }

        var r = await portal.RecordBpiAsync(request.RequiredUser, m.CompletedOn ?? time.Today(request.Clock), (int)items[0]!, (int)items[1]!, (int)items[2]!, (int)items[3]!, interference!, ct).ConfigureAwait(false);
        return Created(r);
    }

    private static async Task<IResult> SideEffectAsync(JsonBody<NewSideEffect> body, PortalService portal, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var m);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var at = input.UtcTime(input.Required(m.At, "at", "ISO 8601 UTC time"), "at");
        var kind = input.Required(m.Kind, "kind", "Dissociation, Nausea, UrinarySymptoms or Mood");
        var severity = input.Required(m.Severity, "severity", "Mild, Moderate or Severe");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        return Created(await portal.RecordSideEffectAsync(request.RequiredUser, new SideEffectReport(at!.Value, kind!.Value, severity!.Value, m.Note), ct).ConfigureAwait(false));
    }

    private static async Task<IResult> AmendSideEffectAsync(Guid entry, JsonBody<SideEffectAmendment> body, PortalService portal, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var m);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var version = input.Required(m.ExpectedVersion, "expectedVersion", "the chart version from GET /api/v1/portal");
        var at = input.UtcTime(input.Required(m.At, "at", "ISO 8601 UTC time"), "at");
        var kind = input.Required(m.Kind, "kind", "Dissociation, Nausea, UrinarySymptoms or Mood");
        var severity = input.Required(m.Severity, "severity", "Mild, Moderate or Severe");
        input.Required(m.Reason, "reason", "why the report is corrected");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var r = await portal.AmendSideEffectAsync(request.RequiredUser, version!.Value, new EntryId(entry), new SideEffectReport(at!.Value, kind!.Value, severity!.Value, m.Note), m.Reason!, ct).ConfigureAwait(false);
        return Created(r);
    }

    private static async Task<IResult> AmendChecklistAsync(Guid entry, JsonBody<PreVisitAmendment> body, PortalService portal, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var m);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var version = input.Required(m.ExpectedVersion, "expectedVersion", "the chart version from GET /api/v1/portal");
        var escort = input.Required(m.EscortArranged, "escortArranged", "true or false");
        var since = m.FastingSince is null ? null : input.UtcTime(m.FastingSince, "fastingSince");
        input.Required(m.Reason, "reason", "why the answers are corrected");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var r = await portal.AmendPreVisitAsync(request.RequiredUser, version!.Value, new EntryId(entry), since, escort!.Value, m.NewMedications, m.PossiblyPregnant, m.Reason!, ct).ConfigureAwait(false);
        return Created(r);
    }

    private static async Task<IResult> ChecklistAsync(JsonBody<NewPreVisitAnswers> body, PortalService portal, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var m);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var session = input.Required(m.Session, "session", "the id of one of your booked sessions, from GET /api/v1/portal");
        var moment = input.Required(m.Moment, "moment", "DayBefore or DayOf");
        var escort = input.Required(m.EscortArranged, "escortArranged", "true or false");
        var since = m.FastingSince is null ? null : input.UtcTime(m.FastingSince, "fastingSince");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        return Created(await portal.AnswerPreVisitAsync(request.RequiredUser, new SessionId(session!.Value), moment!.Value, since, escort!.Value, m.NewMedications, m.PossiblyPregnant, ct).ConfigureAwait(false));
    }

    private static async Task<IResult> ReportsAsync(Guid id, PatientService patients, ClinicRequest request, CancellationToken ct)
    {
        var chart = await patients.OpenChartAsync(new PatientId(id), request.RequiredUser, ct).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return ApiProblems.Refused(chart.Refusal);
        }

        var p = chart.Value;
        return TypedResults.Ok(new PatientReports(
            p.Id.Value,
            p.Version,
            [.. p.FollowUpPains.All.Where(e => e.Value.Source == ReportSource.Patient).Select(PainView.Of)],
            [.. p.PgicAssessments.All.Where(e => e.Value.Source == ReportSource.Patient).Select(e => new PgicView(e.Id.Value, e.Revision, e.Status, e.Value.CompletedOn, e.Value.Score.Value, e.RecordedAt, e.RecordedBy.Value))],
            [.. p.SideEffects.All.Select(SideEffectView.Of)],
            [.. p.PreVisitAnswers.All.Select(e => new PreVisitView(e.Id.Value, e.Revision, e.Status, e.Value.Session.Value, e.Value.SessionDate, e.Value.Moment, e.Value.FastingSince, e.Value.EscortArranged, e.Value.NewMedications, e.Value.PossiblyPregnant, e.RecordedAt, e.RecordedBy.Value))],
            [.. p.Tasks.All.Select(e => TaskView.Of(p.Id, p.Version, e))]));
    }

    private static async Task<IResult> TasksAsync(PortalService portal, ClinicTime time, CancellationToken ct) =>
        TypedResults.Ok((await portal.OpenTasksAsync(time.Zone, raiseAs: null, ct).ConfigureAwait(false)).Select(t => TaskView.Of(t.Patient, t.PatientVersion, t.Task)).ToList());

    private static async Task<IResult> StepTaskAsync(Guid id, Guid task, JsonBody<TaskStep> body, PortalService portal, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var m);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var version = input.Required(m.ExpectedVersion, "expectedVersion", "the chart version read");
        var state = input.Required(m.State, "state", "Acknowledged or Closed");
        input.Required(m.Note, "note", "what was done");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var r = await portal.StepTaskAsync(new PatientId(id), version!.Value, new EntryId(task), state!.Value, m.Note!, request.RequiredUser, ct).ConfigureAwait(false);
        return r.IsSuccess ? TypedResults.Ok(TaskView.Of(new PatientId(id), version.Value + 1, r.Value)) : ApiProblems.Refused(r.Refusal);
    }

    private static IResult Created<T>(Outcome<ChartEntry<T>> r)
        where T : notnull =>
        r.IsSuccess ? TypedResults.Created((string?)null, new ChartChange(r.Value.Id.Value, 0)) : ApiProblems.Refused(r.Refusal);
}

/// <summary>The signed-in patient's portal.</summary>
/// <param name="Patient">The patient's id.</param>
/// <param name="Version">The chart version (an amendment is made against it).</param>
/// <param name="DisplayName">Name.</param>
/// <param name="Pain">Diary scores, every version.</param>
/// <param name="SideEffects">Side effects, every version.</param>
/// <param name="Upcoming">Booked sessions from today on.</param>
/// <param name="AsksPregnancy">True when the pre-visit checklist asks this patient "could you be pregnant?" (possiblyPregnant then required); false when it must be left out.</param>
public sealed record PortalSummary(Guid Patient, long Version, string DisplayName, IReadOnlyList<PainView> Pain, IReadOnlyList<SideEffectView> SideEffects, IReadOnlyList<UpcomingSession> Upcoming, bool AsksPregnancy);

/// <summary>A booked session.</summary>
/// <param name="Session">Session id.</param>
/// <param name="Date">Date.</param>
/// <param name="Answered">The moments already answered.</param>
public sealed record UpcomingSession(Guid Session, DateOnly Date, IReadOnlyList<PreVisitMoment> Answered);

/// <summary>A diary pain score (patient-reported).</summary>
/// <param name="Entry">Entry id (shared by its versions).</param>
/// <param name="Revision">1 for the first version.</param>
/// <param name="Status">Active, Amended or EnteredInError.</param>
/// <param name="At">When the score applies (UTC).</param>
/// <param name="Nrs">NRS 0–10.</param>
/// <param name="Note">The patient's note.</param>
/// <param name="Source">Always Patient here.</param>
/// <param name="RecordedAt">When it was recorded.</param>
/// <param name="RecordedBy">The recording account (the patient's).</param>
public sealed record PainView(Guid Entry, int Revision, EntryStatus Status, DateTimeOffset At, int Nrs, string? Note, ReportSource Source, DateTimeOffset RecordedAt, Guid RecordedBy)
{
    internal static PainView Of(ChartEntry<FollowUpPain> e) => new(e.Id.Value, e.Revision, e.Status, e.Value.At, e.Value.Nrs, e.Value.Note, e.Value.Source, e.RecordedAt, e.RecordedBy.Value);
}

/// <summary>A PGIC answer given in the portal.</summary>
/// <param name="Entry">Entry id.</param>
/// <param name="Revision">Revision.</param>
/// <param name="Status">Status.</param>
/// <param name="CompletedOn">Date.</param>
/// <param name="Score">1–7.</param>
/// <param name="RecordedAt">When recorded.</param>
/// <param name="RecordedBy">The patient's account.</param>
public sealed record PgicView(Guid Entry, int Revision, EntryStatus Status, DateOnly CompletedOn, int Score, DateTimeOffset RecordedAt, Guid RecordedBy);

/// <summary>A side effect reported in the portal.</summary>
/// <param name="Entry">Entry id.</param>
/// <param name="Revision">Revision.</param>
/// <param name="Status">Status.</param>
/// <param name="At">When noticed (UTC).</param>
/// <param name="Kind">What.</param>
/// <param name="Severity">Mild, Moderate, Severe.</param>
/// <param name="Note">The patient's note.</param>
/// <param name="RecordedAt">When recorded.</param>
/// <param name="RecordedBy">The patient's account.</param>
public sealed record SideEffectView(Guid Entry, int Revision, EntryStatus Status, DateTimeOffset At, SideEffectKind Kind, Severity Severity, string? Note, DateTimeOffset RecordedAt, Guid RecordedBy)
{
    internal static SideEffectView Of(ChartEntry<SideEffectReport> e) => new(e.Id.Value, e.Revision, e.Status, e.Value.At, e.Value.Kind, e.Value.Severity, e.Value.Note, e.RecordedAt, e.RecordedBy.Value);
}

/// <summary>A pre-visit checklist answered in the portal.</summary>
/// <param name="Entry">Entry id.</param>
/// <param name="Revision">Revision.</param>
/// <param name="Status">Status.</param>
/// <param name="Session">The session.</param>
/// <param name="SessionDate">Its date.</param>
/// <param name="Moment">DayBefore or DayOf.</param>
/// <param name="FastingSince">Last ate (UTC); null: not fasted.</param>
/// <param name="EscortArranged">Escort home.</param>
/// <param name="NewMedications">New medicines, in the patient's words.</param>
/// <param name="PossiblyPregnant">Null when not asked.</param>
/// <param name="RecordedAt">When recorded.</param>
/// <param name="RecordedBy">The patient's account.</param>
public sealed record PreVisitView(Guid Entry, int Revision, EntryStatus Status, Guid Session, DateOnly SessionDate, PreVisitMoment Moment, DateTimeOffset? FastingSince, bool EscortArranged, string? NewMedications, bool? PossiblyPregnant, DateTimeOffset RecordedAt, Guid RecordedBy);

/// <summary>A patient's reports and tasks, for staff.</summary>
/// <param name="Patient">Patient id.</param>
/// <param name="Version">Chart version (a task step is made against it).</param>
/// <param name="Pain">Diary scores.</param>
/// <param name="Pgic">PGIC answers.</param>
/// <param name="SideEffects">Side effects.</param>
/// <param name="PreVisit">Pre-visit checklists.</param>
/// <param name="Tasks">Tasks, every version.</param>
public sealed record PatientReports(Guid Patient, long Version, IReadOnlyList<PainView> Pain, IReadOnlyList<PgicView> Pgic, IReadOnlyList<SideEffectView> SideEffects, IReadOnlyList<PreVisitView> PreVisit, IReadOnlyList<TaskView> Tasks);

/// <summary>A clinician task raised from a patient report.</summary>
/// <param name="Patient">Patient id.</param>
/// <param name="PatientVersion">The chart version to step the task against.</param>
/// <param name="Task">Task (entry) id.</param>
/// <param name="Revision">Revision (each step adds one).</param>
/// <param name="Status">Active or Amended (an earlier step).</param>
/// <param name="Code">The rule's finding code (portal.*).</param>
/// <param name="Text">The finding in English.</param>
/// <param name="RaisedAt">When raised.</param>
/// <param name="Responsible">The responsible clinician (the plan's prescriber), or null.</param>
/// <param name="State">Open, Acknowledged or Closed.</param>
/// <param name="Note">The note of the last step.</param>
public sealed record TaskView(Guid Patient, long PatientVersion, Guid Task, int Revision, EntryStatus Status, string Code, string Text, DateTimeOffset RaisedAt, Guid? Responsible, TaskState State, string? Note)
{
    internal static TaskView Of(PatientId patient, long version, ChartEntry<ClinicianTask> e) => new(
        patient.Value, version, e.Id.Value, e.Revision, e.Status, e.Value.Finding.Code, FindingText.Render(e.Value.Finding, System.Globalization.CultureInfo.InvariantCulture), e.Value.RaisedAt, e.Value.Responsible?.Value, e.Value.State, e.Value.Note);
}

/// <summary>A diary score to record.</summary>
/// <param name="At">When, ISO 8601 UTC.</param>
/// <param name="Nrs">NRS 0–10.</param>
/// <param name="Note">Optional note.</param>
public sealed record NewDiaryPain(string? At, double? Nrs, string? Note);

/// <summary>A correction of a diary score.</summary>
/// <param name="ExpectedVersion">The chart version read.</param>
/// <param name="At">When, ISO 8601 UTC.</param>
/// <param name="Nrs">NRS 0–10.</param>
/// <param name="Note">Optional note.</param>
/// <param name="Reason">Why it is corrected.</param>
public sealed record DiaryPainAmendment(long? ExpectedVersion, string? At, double? Nrs, string? Note, string? Reason);

/// <summary>A PGIC answer to record.</summary>
/// <param name="CompletedOn">Date (default: today in the clinic's zone).</param>
/// <param name="Score">1–7.</param>
public sealed record NewDiaryPgic(DateOnly? CompletedOn, double? Score);

/// <summary>A BPI short form to record.</summary>
/// <param name="CompletedOn">Date (default: today in the clinic's zone).</param>
/// <param name="Worst">Worst pain 0–10.</param>
/// <param name="Least">Least pain 0–10.</param>
/// <param name="Average">Average pain 0–10.</param>
/// <param name="Now">Pain now 0–10.</param>
/// <param name="Interference">The seven interference items, each 0–10.</param>
public sealed record NewDiaryBpi(DateOnly? CompletedOn, double? Worst, double? Least, double? Average, double? Now, IReadOnlyList<int>? Interference);

/// <summary>A side effect to record.</summary>
/// <param name="At">When noticed, ISO 8601 UTC.</param>
/// <param name="Kind">Dissociation, Nausea, UrinarySymptoms or Mood.</param>
/// <param name="Severity">Mild, Moderate or Severe.</param>
/// <param name="Note">Optional note.</param>
public sealed record NewSideEffect(string? At, SideEffectKind? Kind, Severity? Severity, string? Note);

/// <summary>A correction of a side-effect report.</summary>
/// <param name="ExpectedVersion">The chart version read.</param>
/// <param name="At">When noticed, ISO 8601 UTC.</param>
/// <param name="Kind">Dissociation, Nausea, UrinarySymptoms or Mood.</param>
/// <param name="Severity">Mild, Moderate or Severe.</param>
/// <param name="Note">Optional note.</param>
/// <param name="Reason">Why it is corrected.</param>
public sealed record SideEffectAmendment(long? ExpectedVersion, string? At, SideEffectKind? Kind, Severity? Severity, string? Note, string? Reason);

/// <summary>A correction of pre-visit checklist answers (the session and moment stay those of the answers corrected).</summary>
/// <param name="ExpectedVersion">The chart version read.</param>
/// <param name="FastingSince">Last ate, ISO 8601 UTC; null when not fasted.</param>
/// <param name="EscortArranged">An adult takes the patient home.</param>
/// <param name="NewMedications">New medicines since the last session; null for none.</param>
/// <param name="PossiblyPregnant">Null when the question does not apply.</param>
/// <param name="Reason">Why they are corrected.</param>
public sealed record PreVisitAmendment(long? ExpectedVersion, string? FastingSince, bool? EscortArranged, string? NewMedications, bool? PossiblyPregnant, string? Reason);

/// <summary>Pre-visit checklist answers to record.</summary>
/// <param name="Session">One of the patient's booked sessions.</param>
/// <param name="Moment">DayBefore or DayOf.</param>
/// <param name="FastingSince">Last ate, ISO 8601 UTC; null when not fasted.</param>
/// <param name="EscortArranged">An adult takes the patient home.</param>
/// <param name="NewMedications">New medicines since the last session; null for none.</param>
/// <param name="PossiblyPregnant">Null when the question does not apply.</param>
public sealed record NewPreVisitAnswers(Guid? Session, PreVisitMoment? Moment, string? FastingSince, bool? EscortArranged, string? NewMedications, bool? PossiblyPregnant);

/// <summary>A task step.</summary>
/// <param name="ExpectedVersion">The chart version read.</param>
/// <param name="State">Acknowledged or Closed.</param>
/// <param name="Note">What was done.</param>
public sealed record TaskStep(long? ExpectedVersion, TaskState? State, string? Note);
