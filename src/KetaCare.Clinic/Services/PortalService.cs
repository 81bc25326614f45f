using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Outcomes;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Portal;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>A booked session as the patient sees it.</summary>
/// <param name="Id">Session id.</param>
/// <param name="Date">Date.</param>
/// <param name="State">State.</param>
/// <param name="Answered">The moments for which the patient answered the pre-visit checklist.</param>
/// <param name="Start">The start of the chair booked for it (UTC), or null when it was planned by date only.</param>
/// <param name="Chair">The booked chair's name, or null.</param>
public sealed record PortalSession(SessionId Id, DateOnly Date, SessionState State, IReadOnlyList<PreVisitMoment> Answered, DateTimeOffset? Start = null, string? Chair = null);

/// <summary>What the portal shows a patient: their own reports and their booked sessions.</summary>
/// <param name="Patient">The patient's id.</param>
/// <param name="Version">The chart's version (an amendment is made against it).</param>
/// <param name="DisplayName">Given and family name.</param>
/// <param name="Questions">The optional checklist questions that apply to the patient (<see cref="PreVisitChecklist"/>).</param>
/// <param name="Pain">Pain diary entries (every version, newest first).</param>
/// <param name="Pgic">PGIC answers the patient gave.</param>
/// <param name="SideEffects">Side effects the patient reported.</param>
/// <param name="PreVisit">Pre-visit checklists the patient answered.</param>
/// <param name="Upcoming">Booked sessions from today on.</param>
/// <param name="BpiDue">True when the BPI short form is due (<see cref="PortalQuestionnaires"/>).</param>
/// <param name="PgicDue">True when the PGIC is due.</param>
public sealed record PortalView(
    PatientId Patient,
    long Version,
    string DisplayName,
    PreVisitQuestions Questions,
    IReadOnlyList<ChartEntry<FollowUpPain>> Pain,
    IReadOnlyList<ChartEntry<PgicAssessment>> Pgic,
    IReadOnlyList<ChartEntry<SideEffectReport>> SideEffects,
    IReadOnlyList<ChartEntry<PreVisitAnswers>> PreVisit,
    IReadOnlyList<PortalSession> Upcoming,
    bool BpiDue,
    bool PgicDue);

/// <summary>An open or acknowledged clinician task with the patient it concerns, for the dashboard.</summary>
/// <param name="Patient">The patient.</param>
/// <param name="MedicalRecordNumber">Record number.</param>
/// <param name="PatientName">Given and family name.</param>
/// <param name="PatientVersion">The chart's version (a task step is made against it).</param>
/// <param name="Task">The task's current version.</param>
public sealed record TaskItem(PatientId Patient, string MedicalRecordNumber, string PatientName, long PatientVersion, ChartEntry<ClinicianTask> Task);

/// <summary>
/// The patient portal's workflow. A patient's account reaches only the patient it is linked to (<see cref="PortalAccounts"/>):
/// every patient-side method takes the signed-in account and resolves the patient itself, so no id a patient sends can
/// name another patient's record. Reports are chart entries marked <see cref="ReportSource.Patient"/> and recorded by the
/// patient's account, audited and amended like any other; each report runs the clinic's alert rules
/// (<see cref="PortalAlertRules"/>) and stores the tasks they raise in the same save. Staff read the reports and work the
/// tasks. One instance per unit of work; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock.</param>
public sealed class PortalService(KetaCareDbContext db, TimeProvider clock)
{
    private readonly PatientService _patients = new(db, clock);
    private readonly SettingsService _settings = new(db, clock);

    /// <summary>The patient linked to <paramref name="account"/>, or a refusal when it is not a linked patient account.</summary>
    public async Task<Outcome<PatientId>> PatientOfAsync(UserId account, CancellationToken cancellationToken = default)
    {
        var value = await db.UserClaims.AsNoTracking()
            .Where(c => c.UserId == account.Value && c.ClaimType == PortalAccounts.PatientClaim)
            .Select(c => c.ClaimValue).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return Guid.TryParse(value, out var g)
            ? Outcome<PatientId>.Ok(new PatientId(g))
            : new Refusal("account: not a patient account linked to a patient.", [Finding.Refused(FindingCodes.PortalNotLinked)]);
    }

    /// <summary>The signed-in patient's own view (audited as a read of the chart by the patient).</summary>
    public async Task<Outcome<PortalView>> ViewAsync(UserId account, DateOnly today, CancellationToken cancellationToken = default)
    {
        var id = await PatientOfAsync(account, cancellationToken).ConfigureAwait(false);
        if (!id.IsSuccess)
        {
            return id.Refusal;
        }

        var chart = await _patients.OpenChartAsync(id.Value, account, cancellationToken).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return chart.Refusal;
        }

        var p = chart.Value;
        var upcoming = await UpcomingAsync(p, today, cancellationToken).ConfigureAwait(false);
        return Outcome<PortalView>.Ok(new PortalView(
            p.Id,
            p.Version,
            $"{p.Demographics.GivenName} {p.Demographics.FamilyName}",
            PreVisitChecklist.For(p),
            [.. p.FollowUpPains.All.Where(e => e.Value.Source == ReportSource.Patient).OrderByDescending(e => e.Value.At)],
            [.. p.PgicAssessments.All.Where(e => e.Value.Source == ReportSource.Patient).OrderByDescending(e => e.Value.CompletedOn)],
            [.. p.SideEffects.All.OrderByDescending(e => e.Value.At)],
            [.. p.PreVisitAnswers.All.OrderByDescending(e => e.RecordedAt)],
            upcoming,
            PortalQuestionnaires.IsDue(p.BpiAssessments.ActiveValues.Select(b => (DateOnly?)b.CompletedOn).Max(), today),
            PortalQuestionnaires.IsDue(p.PgicAssessments.ActiveValues.Select(g => (DateOnly?)g.CompletedOn).Max(), today)));
    }

    /// <summary>Records a pain diary score (NRS 0–10) at a time; raises "pain is back" when the clinic's rule says so.</summary>
    public async Task<Outcome<ChartEntry<FollowUpPain>>> RecordPainAsync(UserId account, DateTimeOffset at, int nrs, string? note, CancellationToken cancellationToken = default)
    {
        var value = FollowUpPain.Create(at, nrs, note, ReportSource.Patient);
        if (!value.IsSuccess)
        {
            return value.Refusal;
        }

        var rules = await RulesAsync(cancellationToken).ConfigureAwait(false);
        var baseline = await BaselineAsync(account, cancellationToken).ConfigureAwait(false);
        return await ReportAsync(account, value.Value, e => PortalAlertRules.Pain(nrs, baseline, rules), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Amends one of the patient's own diary scores with a reason; the earlier value stays in the history.</summary>
    public async Task<Outcome<ChartEntry<FollowUpPain>>> AmendPainAsync(UserId account, long expectedVersion, EntryId entry, DateTimeOffset at, int nrs, string? note, string reason, CancellationToken cancellationToken = default)
    {
        var value = FollowUpPain.Create(at, nrs, note, ReportSource.Patient);
        var id = await PatientOfAsync(account, cancellationToken).ConfigureAwait(false);
        if (!value.IsSuccess || !id.IsSuccess)
        {
            return value.IsSuccess ? id.Refusal : value.Refusal;
        }

        // The entry is looked up in the patient's own chart only, so another patient's entry id matches nothing.
        return await _patients.AmendAsync(id.Value, expectedVersion, entry, value.Value, reason, account, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Corrects one of the patient's own side-effect reports with a reason; the earlier report stays in the history
    /// (nothing is deleted). A correction that now meets a clinic rule raises its task, as a new report would.
    /// </summary>
    public async Task<Outcome<ChartEntry<SideEffectReport>>> AmendSideEffectAsync(UserId account, long expectedVersion, EntryId entry, SideEffectReport report, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!Enum.IsDefined(report.Kind) || !Enum.IsDefined(report.Severity))
        {
            return Refusal.Coded(FindingCodes.InputOutOfRange, FindingArg.Of("field", "kind"));
        }

        var rules = await RulesAsync(cancellationToken).ConfigureAwait(false);
        var tidy = Tidy(report);
        return await CorrectAsync<SideEffectReport>(account, expectedVersion, entry, _ => tidy, reason, _ => PortalAlertRules.SideEffect(tidy, rules), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Corrects the patient's own pre-visit checklist answers with a reason; the session and the moment stay those of the
    /// answers corrected, the earlier answers stay in the history, and a correction that now meets a clinic rule raises
    /// its task.
    /// </summary>
    public async Task<Outcome<ChartEntry<PreVisitAnswers>>> AmendPreVisitAsync(UserId account, long expectedVersion, EntryId entry, DateTimeOffset? fastingSince, bool escortArranged, string? newMedications, bool? possiblyPregnant, string reason, CancellationToken cancellationToken = default)
    {
        if (fastingSince is { } f && f > clock.GetUtcNow())
        {
            return Refusal.Coded(FindingCodes.InputOutOfRange, FindingArg.Of("field", "fastingSince"));
        }

        var rules = await RulesAsync(cancellationToken).ConfigureAwait(false);
        return await CorrectAsync<PreVisitAnswers>(
            account,
            expectedVersion,
            entry,
            old => old with { FastingSince = fastingSince?.ToUniversalTime(), EscortArranged = escortArranged, NewMedications = string.IsNullOrWhiteSpace(newMedications) ? null : newMedications.Trim(), PossiblyPregnant = possiblyPregnant },
            reason,
            answers => PortalAlertRules.PreVisit(answers, rules),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records the patient's global impression of change (PGIC 1–7).</summary>
    public async Task<Outcome<ChartEntry<PgicAssessment>>> RecordPgicAsync(UserId account, DateOnly completedOn, int score, CancellationToken cancellationToken = default)
    {
        var p = Pgic.Create(score);
        return p.IsSuccess
            ? await ReportAsync(account, new PgicAssessment(completedOn, p.Value, ReportSource.Patient), _ => [], cancellationToken).ConfigureAwait(false)
            : p.Refusal;
    }

    /// <summary>Records the patient's Brief Pain Inventory short form: worst, least, average, now and the seven interference items, each 0–10.</summary>
    public async Task<Outcome<ChartEntry<BpiAssessment>>> RecordBpiAsync(UserId account, DateOnly completedOn, int worst, int least, int average, int now, IReadOnlyList<int> interference, CancellationToken cancellationToken = default)
    {
        var form = BpiShortForm.Create(worst, least, average, now, interference);
        return form.IsSuccess
            ? await ReportAsync(account, new BpiAssessment(completedOn, form.Value, ReportSource.Patient), _ => [], cancellationToken).ConfigureAwait(false)
            : form.Refusal;
    }

    /// <summary>Records a side effect; raises a task for a severe one or any urinary symptom (clinic rules).</summary>
    public async Task<Outcome<ChartEntry<SideEffectReport>>> RecordSideEffectAsync(UserId account, SideEffectReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!Enum.IsDefined(report.Kind) || !Enum.IsDefined(report.Severity))
        {
            return Refusal.Coded(FindingCodes.InputOutOfRange, FindingArg.Of("field", "kind"));
        }

        var rules = await RulesAsync(cancellationToken).ConfigureAwait(false);
        var fixedReport = Tidy(report);
        return await ReportAsync(account, fixedReport, _ => PortalAlertRules.SideEffect(fixedReport, rules), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the patient's pre-visit checklist for one of their own booked sessions (the day before or the day of
    /// it); raises tasks for "not fasted" on the day, no escort, a possible pregnancy and new medications. Refused for a
    /// session that is not the patient's own or is no longer booked.
    /// </summary>
    public async Task<Outcome<ChartEntry<PreVisitAnswers>>> AnswerPreVisitAsync(UserId account, SessionId session, PreVisitMoment moment, DateTimeOffset? fastingSince, bool escortArranged, string? newMedications, bool? possiblyPregnant, CancellationToken cancellationToken = default)
    {
        var id = await PatientOfAsync(account, cancellationToken).ConfigureAwait(false);
        if (!id.IsSuccess)
        {
            return id.Refusal;
        }

        var row = await db.Sessions.AsNoTracking().Where(s => s.Id == session && s.PatientId == id.Value).Select(s => new { s.ScheduledFor, s.State }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (row is null || row.State != nameof(SessionState.Scheduled) || !Enum.IsDefined(moment))
        {
            return new Refusal("session: not one of your booked sessions.", [Finding.Refused(FindingCodes.PortalSessionNotOwn, FindingArg.Of("field", "session"))]);
        }

        if (fastingSince is { } f && f > clock.GetUtcNow())
        {
            return Refusal.Coded(FindingCodes.InputOutOfRange, FindingArg.Of("field", "fastingSince"));
        }

        var answers = new PreVisitAnswers(session, row.ScheduledFor, moment, fastingSince?.ToUniversalTime(), escortArranged, string.IsNullOrWhiteSpace(newMedications) ? null : newMedications.Trim(), possiblyPregnant);
        var rules = await RulesAsync(cancellationToken).ConfigureAwait(false);
        return await ReportAsync(account, answers, _ => PortalAlertRules.PreVisit(answers, rules), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The patient's answers for a session, newest first, for the staff's pre-assessment (no audit: the session page that shows them is audited).</summary>
    public async Task<IReadOnlyList<ChartEntry<PreVisitAnswers>>> PreVisitForSessionAsync(SessionId session, CancellationToken cancellationToken = default)
    {
        var patientId = await db.Sessions.AsNoTracking().Where(s => s.Id == session).Select(s => (PatientId?)s.PatientId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (patientId is null)
        {
            return [];
        }

        var patient = await LoadAsync(patientId.Value, cancellationToken).ConfigureAwait(false);
        return patient is null ? [] : [.. patient.PreVisitAnswers.Active.Where(a => a.Value.Session == session).OrderByDescending(a => a.RecordedAt)];
    }

    /// <summary>
    /// Every task not yet closed, newest first, with its patient. Before listing, raises the "checklist missing" task of
    /// every booked session of today or tomorrow whose patient has a portal account and has not answered by the clinic's
    /// hour (<paramref name="zone"/> is the clinic's time zone), audited under <paramref name="raiseAs"/>, the clinician
    /// whose view raised it; null (a reader who writes nothing, such as the auditor) raises none.
    /// </summary>
    public async Task<IReadOnlyList<TaskItem>> OpenTasksAsync(TimeZoneInfo zone, UserId? raiseAs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (raiseAs is { } by)
        {
            await RaiseMissingChecklistsAsync(zone, by, cancellationToken).ConfigureAwait(false);
        }

        // Only the charts with a task not closed (or not counted yet) are read: the index column, not every chart.
        var rows = await db.Patients.AsNoTracking().Where(p => p.OpenTasks != 0).Select(p => new { p.Id, p.OpenTasks, p.Document }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var charts = rows.Select(r => (r.Id, r.OpenTasks, Chart: StateJson.Deserialize<Patient>(r.Document))).ToList();
        foreach (var (id, _, chart) in charts.Where(c => c.OpenTasks < 0))
        {
            // A row stored before the count existed: counted once here, so later reads skip it while it has none.
            var count = PatientService.OpenTaskCount(chart);
            await db.Patients.Where(p => p.Id == id && p.OpenTasks < 0).ExecuteUpdateAsync(u => u.SetProperty(p => p.OpenTasks, count), cancellationToken).ConfigureAwait(false);
        }

        return [.. charts.Select(c => c.Chart)
            .SelectMany(p => p.Tasks.Active.Where(t => t.Value.State != TaskState.Closed)
                .Select(t => new TaskItem(p.Id, p.Demographics.MedicalRecordNumber, $"{p.Demographics.GivenName} {p.Demographics.FamilyName}", p.Version, t)))
            .OrderByDescending(t => t.Task.Value.RaisedAt)];
    }

    /// <summary>A patient's tasks, every version (staff; audited as a read of the chart).</summary>
    public async Task<Outcome<IReadOnlyList<ChartEntry<ClinicianTask>>>> TasksOfAsync(PatientId patient, UserId by, CancellationToken cancellationToken = default)
    {
        var chart = await _patients.OpenChartAsync(patient, by, cancellationToken).ConfigureAwait(false);
        return chart.IsSuccess ? Outcome<IReadOnlyList<ChartEntry<ClinicianTask>>>.Ok([.. chart.Value.Tasks.All.OrderByDescending(t => t.RecordedAt)]) : chart.Refusal;
    }

    /// <summary>
    /// Acknowledges or closes a task with a note (required; kept in the task's history). Open → acknowledged or closed;
    /// acknowledged → closed. Audited as a change of the chart.
    /// </summary>
    public async Task<Outcome<ChartEntry<ClinicianTask>>> StepTaskAsync(PatientId patient, long expectedVersion, EntryId task, TaskState to, string note, UserId by, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            return new Refusal("note: a note is required to acknowledge or close a task.", [Finding.Refused(FindingCodes.ReasonRequired, FindingArg.Of("field", "note"), FindingArg.Of("max", ChartInput.MaxNoteLength))]);
        }

        ChartEntry<ClinicianTask>? done = null;
        var r = await _patients.ChangeAsync(
            patient,
            expectedVersion,
            p =>
            {
                var current = p.Tasks.Active.FirstOrDefault(t => t.Id == task);
                if (current is null)
                {
                    return Refusal.NotFound("task", task);
                }

                if (!Allowed(current.Value.State, to))
                {
                    return new Refusal($"task: cannot go from {current.Value.State} to {to}.", [Finding.Refused(FindingCodes.PortalTaskState, FindingArg.Of("from", current.Value.State.ToString()), FindingArg.Of("to", to.ToString()))]);
                }

                var amended = p.Amend(task, current.Value with { State = to, Note = note.Trim() }, to == TaskState.Closed ? "closed: " + note.Trim() : "acknowledged: " + note.Trim(), by, clock);
                done = amended.IsSuccess ? amended.Value : null;
                return amended.IsSuccess ? Outcome.Ok() : amended.Refusal;
            },
            by,
            cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Outcome<ChartEntry<ClinicianTask>>.Ok(done!) : r.Refusal;
    }

    /// <summary>True when a task may go from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool Allowed(TaskState from, TaskState to) =>
        (from, to) is (TaskState.Open, TaskState.Acknowledged) or (TaskState.Open, TaskState.Closed) or (TaskState.Acknowledged, TaskState.Closed);

    private static bool IsActive(SessionState state) => state == SessionState.Scheduled;

    private async Task<PortalAlertSettings> RulesAsync(CancellationToken cancellationToken) =>
        (await _settings.PortalAlertRulesAsync(cancellationToken).ConfigureAwait(false)).Rules;

    /// <summary>The course baseline NRS (first pre-infusion score), or null before any session scored pain.</summary>
    private async Task<int?> BaselineAsync(UserId account, CancellationToken cancellationToken)
    {
        var id = await PatientOfAsync(account, cancellationToken).ConfigureAwait(false);
        if (!id.IsSuccess)
        {
            return null;
        }

        var patientId = id.Value;
        var sessions = (await db.Sessions.AsNoTracking().Where(s => s.PatientId == patientId).Select(s => s.Document).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(StateJson.Deserialize<InfusionSession>).ToList();
        return OutcomeAnalysis.PerSession(sessions, clock.GetUtcNow()).FirstOrDefault(s => s.Before is not null)?.Before;
    }

    private async Task<IReadOnlyList<PortalSession>> UpcomingAsync(Patient p, DateOnly today, CancellationToken cancellationToken)
    {
        var rows = await db.Sessions.AsNoTracking().Where(s => s.PatientId == p.Id && s.ScheduledFor >= today).OrderBy(s => s.ScheduledFor).Select(s => new { s.Id, s.ScheduledFor, s.State }).ToListAsync(cancellationToken).ConfigureAwait(false);

        // The chair bookings of these sessions (a cancelled or missed booking no longer holds a time).
        var booked = (await db.Appointments.AsNoTracking()
            .Where(a => a.PatientId == p.Id && a.Day >= today && a.Status == nameof(Scheduling.AppointmentStatus.Booked))
            .Join(db.Chairs.AsNoTracking(), a => a.ChairId, c => c.Id, (a, c) => new { a.SessionId, a.StartsAt, c.Name })
            .ToListAsync(cancellationToken).ConfigureAwait(false))
            .GroupBy(a => a.SessionId).ToDictionary(g => g.Key, g => g.OrderBy(a => a.StartsAt).First());
        return [.. rows.Select(r => (r, State: Enum.Parse<SessionState>(r.State))).Where(x => IsActive(x.State))
            .Select(x => new PortalSession(x.r.Id, x.r.ScheduledFor, x.State, [.. p.PreVisitAnswers.ActiveValues.Where(a => a.Session == x.r.Id).Select(a => a.Moment).Distinct()], booked.GetValueOrDefault(x.r.Id)?.StartsAt, booked.GetValueOrDefault(x.r.Id)?.Name))];
    }

    /// <summary>
    /// Stores a patient report in the patient's own chart with the tasks <paramref name="rules"/> raise from it, in one
    /// save against the chart's current version (the patient appends; nothing they saw can be stale).
    /// </summary>
    private async Task<Outcome<ChartEntry<T>>> ReportAsync<T>(UserId account, T value, Func<ChartEntry<T>, IReadOnlyList<Finding>> rules, CancellationToken cancellationToken)
        where T : notnull
    {
        var id = await PatientOfAsync(account, cancellationToken).ConfigureAwait(false);
        if (!id.IsSuccess)
        {
            return id.Refusal;
        }

        var version = await db.Patients.AsNoTracking().Where(p => p.Id == id.Value).Select(p => p.Version).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var responsible = await ResponsibleAsync(id.Value, cancellationToken).ConfigureAwait(false);
        ChartEntry<T>? entry = null;
        var r = await _patients.ChangeAsync(
            id.Value,
            version,
            p =>
            {
                var valid = p.Check(value, clock);
                if (!valid.IsSuccess)
                {
                    return valid;
                }

                entry = p.Record(value, account, clock);
                foreach (var finding in rules(entry))
                {
                    p.Record(new ClinicianTask(finding, clock.GetUtcNow(), entry.Id.ToString(), responsible, TaskState.Open, null), account, clock);
                }

                return Outcome.Ok();
            },
            account,
            cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Outcome<ChartEntry<T>>.Ok(entry!) : r.Refusal;
    }

    private static SideEffectReport Tidy(SideEffectReport report) =>
        report with { At = report.At.ToUniversalTime(), Note = string.IsNullOrWhiteSpace(report.Note) ? null : report.Note.Trim() };

    /// <summary>
    /// Amends an entry of the account's own patient (looked up in that chart only, so another patient's entry id matches
    /// nothing) and raises the tasks the corrected value meets that the entry has not raised already.
    /// </summary>
    private async Task<Outcome<ChartEntry<T>>> CorrectAsync<T>(UserId account, long expectedVersion, EntryId entry, Func<T, T> correct, string reason, Func<T, IReadOnlyList<Finding>> rules, CancellationToken cancellationToken)
        where T : notnull
    {
        var id = await PatientOfAsync(account, cancellationToken).ConfigureAwait(false);
        if (!id.IsSuccess)
        {
            return id.Refusal;
        }

        var responsible = await ResponsibleAsync(id.Value, cancellationToken).ConfigureAwait(false);
        ChartEntry<T>? amended = null;
        var r = await _patients.ChangeAsync(
            id.Value,
            expectedVersion,
            p =>
            {
                var current = p.ActiveEntry<T>(entry);
                if (current is null)
                {
                    return Refusal.NotFound("entry", entry);
                }

                var a = p.Amend(entry, correct(current.Value), reason, account, clock);
                if (!a.IsSuccess)
                {
                    return a.Refusal;
                }

                amended = a.Value;
                var key = entry.ToString();
                var raised = p.Tasks.All.Where(t => t.Value.Key == key).Select(t => t.Value.Finding.Code).ToHashSet(StringComparer.Ordinal);
                foreach (var finding in rules(a.Value.Value).Where(f => !raised.Contains(f.Code)))
                {
                    p.Record(new ClinicianTask(finding, clock.GetUtcNow(), key, responsible, TaskState.Open, null), account, clock);
                }

                return Outcome.Ok();
            },
            account,
            cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Outcome<ChartEntry<T>>.Ok(amended!) : r.Refusal;
    }

    /// <summary>The prescriber of the patient's latest plan: the clinician responsible for the tasks; null without a plan.</summary>
    private async Task<UserId?> ResponsibleAsync(PatientId patient, CancellationToken cancellationToken)
    {
        var docs = await db.Plans.AsNoTracking().Where(p => p.PatientId == patient).Select(p => p.Document).ToListAsync(cancellationToken).ConfigureAwait(false);
        return docs.Select(StateJson.Deserialize<TreatmentPlan>).OrderBy(p => p.PrescribedAt).LastOrDefault()?.PrescribedBy;
    }

    private async Task<Patient?> LoadAsync(PatientId id, CancellationToken cancellationToken)
    {
        var doc = await db.Patients.AsNoTracking().Where(p => p.Id == id).Select(p => p.Document).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return doc is null ? null : StateJson.Deserialize<Patient>(doc);
    }

    private async Task RaiseMissingChecklistsAsync(TimeZoneInfo zone, UserId by, CancellationToken cancellationToken)
    {
        var rules = await RulesAsync(cancellationToken).ConfigureAwait(false);
        if (rules.ChecklistDueHour < 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var linked = (await db.UserClaims.AsNoTracking().Where(c => c.ClaimType == PortalAccounts.PatientClaim).Select(c => c.ClaimValue).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(v => Guid.TryParse(v, out var g) ? new PatientId(g) : default).Where(p => p != default).ToHashSet();
        var tomorrow = today.AddDays(1);
        var scheduled = nameof(SessionState.Scheduled);
        var sessions = await db.Sessions.AsNoTracking().Where(s => s.ScheduledFor >= today && s.ScheduledFor <= tomorrow && s.State == scheduled).Select(s => new { s.Id, s.PatientId, s.ScheduledFor }).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var s in sessions.Where(s => linked.Contains(s.PatientId)))
        {
            var local = s.ScheduledFor.ToDateTime(new TimeOnly(rules.ChecklistDueHour, 0));
            var dueAt = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone), TimeSpan.Zero);
            var patient = await LoadAsync(s.PatientId, cancellationToken).ConfigureAwait(false);
            if (patient is null || patient.Tasks.ActiveValues.Any(t => t.Key == s.Id.ToString()))
            {
                continue;
            }

            var answered = patient.PreVisitAnswers.ActiveValues.Any(a => a.Session == s.Id);
            if (PortalAlertRules.ChecklistMissing(s.ScheduledFor, answered, dueAt, now, rules) is { } finding)
            {
                var responsible = await ResponsibleAsync(s.PatientId, cancellationToken).ConfigureAwait(false);
                var key = s.Id.ToString();
                await _patients.ChangeAsync(patient.Id, patient.Version, p => { p.Record(new ClinicianTask(finding, now, key, responsible, TaskState.Open, null), by, clock); return Outcome.Ok(); }, by, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
