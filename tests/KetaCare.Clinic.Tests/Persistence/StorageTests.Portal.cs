using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Outcomes;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Portal;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Users;
using KetaCare.Pharmacology.Models;
using Microsoft.AspNetCore.Identity;

namespace KetaCare.Clinic.Tests.Persistence;

/// <summary>
/// The patient portal on both databases: an account reaches only its own patient whatever ids it sends, reports keep
/// their source and raise the clinic's tasks in the same save, staff work the tasks with notes.
/// </summary>
public abstract partial class StorageTests
{
    private CancellationToken PortalCt => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Portal_PatientCannotReachAnotherPatientsRecord_ByChangingIds()
    {
        await using var t = await MigratedAsync();
        var (otherSession, otherPlan) = await ScheduleAsync(t);
        var other = otherPlan.PatientId;
        var mine = await RegisterPlainAsync(t, "MRN-2");
        var account = await LinkAsync(t, mine);

        ChartEntry<FollowUpPain> otherEntry;
        long otherVersion;
        await using (var db = Open(t))
        {
            var version = (await new PatientService(db, _clock).OpenChartAsync(other, Build.Nurse, PortalCt)).Value.Version;
            otherEntry = (await new OutcomeService(db, _clock).RecordFollowUpAsync(other, version, _clock.GetUtcNow(), 6, "call", Build.Nurse, PortalCt)).Value;
            otherVersion = version + 1;
        }

        await using (var db = t.Database.Open(account, _clock))
        {
            var portal = new PortalService(db, _clock);
            var amend = await portal.AmendPainAsync(account, otherVersion, otherEntry.Id, _clock.GetUtcNow(), 0, null, "mine now", PortalCt);
            Assert.False(amend.IsSuccess);
            var answer = await portal.AnswerPreVisitAsync(account, otherSession.Id, PreVisitMoment.DayOf, null, true, null, null, PortalCt);
            Assert.Equal([FindingCodes.PortalSessionNotOwn], answer.Findings.Select(f => f.Code));
            var view = (await portal.ViewAsync(account, _clock.Today, PortalCt)).Value;
            Assert.Equal(mine, view.Patient);
            Assert.Empty(view.Upcoming);
        }

        await using (var db = Open(t))
        {
            var chart = (await new PatientService(db, _clock).OpenChartAsync(other, Build.Nurse, PortalCt)).Value;
            Assert.Equal(6, Assert.Single(chart.FollowUpPains.All).Value.Nrs);
            Assert.Empty(chart.PreVisitAnswers.All);
            Assert.Equal(otherVersion, chart.Version);
        }
    }

    [Fact]
    public async Task Portal_AccountNotLinked_IsRefusedEverything()
    {
        await using var t = await MigratedAsync();
        await RegisterPlainAsync(t, "MRN-2");
        var stranger = UserId.New();
        await using var db = t.Database.Open(stranger, _clock);
        var portal = new PortalService(db, _clock);

        Assert.Equal([FindingCodes.PortalNotLinked], (await portal.ViewAsync(stranger, _clock.Today, PortalCt)).Findings.Select(f => f.Code));
        Assert.Equal([FindingCodes.PortalNotLinked], (await portal.RecordPainAsync(stranger, _clock.GetUtcNow(), 3, null, PortalCt)).Findings.Select(f => f.Code));
        Assert.Equal([FindingCodes.PortalNotLinked], (await portal.RecordSideEffectAsync(stranger, new SideEffectReport(_clock.GetUtcNow(), SideEffectKind.Nausea, Severity.Mild, null), PortalCt)).Findings.Select(f => f.Code));
    }

    [Fact]
    public async Task Portal_Reports_KeepTheirSource_RaiseTasksForThePrescriber_AndStaffCloseThemWithANote()
    {
        await using var t = await MigratedAsync();
        var (session, plan) = await ScheduleAsync(t);
        var patient = plan.PatientId;
        var account = await LinkAsync(t, patient);

        await using (var db = t.Database.Open(account, _clock))
        {
            var portal = new PortalService(db, _clock);
            Assert.True((await portal.RecordSideEffectAsync(account, new SideEffectReport(_clock.GetUtcNow(), SideEffectKind.UrinarySymptoms, Severity.Mild, "burning"), PortalCt)).IsSuccess);
            _clock.Advance(TimeSpan.FromMinutes(1));
            Assert.True((await portal.AnswerPreVisitAsync(account, session.Id, PreVisitMoment.DayOf, null, true, null, null, PortalCt)).IsSuccess);
            Assert.True((await portal.RecordPgicAsync(account, _clock.Today, 2, PortalCt)).IsSuccess);
        }

        await using (var db = Open(t))
        {
            var portal = new PortalService(db, _clock);
            var tasks = await portal.OpenTasksAsync(TimeZoneInfo.Utc, null, PortalCt);
            Assert.Equal([FindingCodes.PortalNotFasted, FindingCodes.PortalUrinarySymptom], tasks.Select(x => x.Task.Value.Finding.Code));
            Assert.All(tasks, x => Assert.Equal(Build.Physician, x.Task.Value.Responsible));
            var chart = (await new PatientService(db, _clock).OpenChartAsync(patient, Build.Nurse, PortalCt)).Value;
            Assert.All(chart.SideEffects.All.Select(e => e.RecordedBy).Concat(chart.PreVisitAnswers.All.Select(e => e.RecordedBy)), by => Assert.Equal(account, by));
            Assert.Equal(ReportSource.Patient, Assert.Single(chart.PgicAssessments.All).Value.Source);
            Assert.Equal(session.Id, Assert.Single(await portal.PreVisitForSessionAsync(session.Id, PortalCt)).Value.Session);

            var urinary = tasks[1];
            Assert.Equal(FindingCodes.ReasonRequired, (await portal.StepTaskAsync(patient, urinary.PatientVersion, urinary.Task.Id, TaskState.Closed, " ", Build.Nurse, PortalCt)).Findings.Single().Code);
            Assert.True((await portal.StepTaskAsync(patient, urinary.PatientVersion, urinary.Task.Id, TaskState.Acknowledged, "called, urine sample booked", Build.Nurse, PortalCt)).IsSuccess);
            Assert.True((await portal.StepTaskAsync(patient, urinary.PatientVersion + 1, urinary.Task.Id, TaskState.Closed, "dipstick negative", Build.Nurse, PortalCt)).IsSuccess);
            var back = await portal.StepTaskAsync(patient, urinary.PatientVersion + 2, urinary.Task.Id, TaskState.Acknowledged, "again", Build.Nurse, PortalCt);
            Assert.Equal([FindingCodes.PortalTaskState], back.Findings.Select(f => f.Code));
            var stale = await portal.StepTaskAsync(patient, urinary.PatientVersion, tasks[0].Task.Id, TaskState.Closed, "late", Build.Nurse, PortalCt);
            Assert.Equal([FindingCodes.VersionConflict], stale.Findings.Select(f => f.Code));

            Assert.Equal([FindingCodes.PortalNotFasted], (await portal.OpenTasksAsync(TimeZoneInfo.Utc, null, PortalCt)).Select(x => x.Task.Value.Finding.Code));
            var steps = (await portal.TasksOfAsync(patient, Build.Nurse, PortalCt)).Value.Where(x => x.Id == urinary.Task.Id).OrderBy(x => x.Revision).Select(x => (x.Value.State, x.Status, x.Value.Note)).ToList();
            Assert.Equal([(TaskState.Open, EntryStatus.Amended, null), (TaskState.Acknowledged, EntryStatus.Amended, "called, urine sample booked"), (TaskState.Closed, EntryStatus.Active, "dipstick negative")], steps);
        }
    }

    [Fact]
    public async Task Portal_SideEffectAndChecklist_CorrectedWithAReason_KeepTheEarlierVersion_AndRaiseTheNewTask()
    {
        await using var t = await MigratedAsync();
        var (session, plan) = await ScheduleAsync(t);
        var patient = plan.PatientId;
        var account = await LinkAsync(t, patient);

        await using (var db = t.Database.Open(account, _clock))
        {
            var portal = new PortalService(db, _clock);
            var side = (await portal.RecordSideEffectAsync(account, new SideEffectReport(_clock.GetUtcNow(), SideEffectKind.Nausea, Severity.Mild, "queasy"), PortalCt)).Value;
            var answers = (await portal.AnswerPreVisitAsync(account, session.Id, PreVisitMoment.DayOf, _clock.GetUtcNow().AddHours(-12), true, null, null, PortalCt)).Value;
            var version = (await portal.ViewAsync(account, _clock.Today, PortalCt)).Value.Version;
            Assert.Empty(await portal.OpenTasksAsync(TimeZoneInfo.Utc, null, PortalCt));

            var worse = new SideEffectReport(side.Value.At, SideEffectKind.Nausea, Severity.Severe, "vomiting all night");
            Assert.Equal([FindingCodes.ChartAmendReasonMissing], (await portal.AmendSideEffectAsync(account, version, side.Id, worse, " ", PortalCt)).Findings.Select(f => f.Code));
            Assert.False((await portal.AmendSideEffectAsync(account, version, answers.Id, worse, "wrong kind of entry", PortalCt)).IsSuccess);
            Assert.Equal([FindingCodes.VersionConflict], (await portal.AmendSideEffectAsync(account, version - 1, side.Id, worse, "stale", PortalCt)).Findings.Select(f => f.Code));
            Assert.True((await portal.AmendSideEffectAsync(account, version, side.Id, worse, "it got worse in the night", PortalCt)).IsSuccess);
            version = (await portal.ViewAsync(account, _clock.Today, PortalCt)).Value.Version;
            var corrected = await portal.AmendPreVisitAsync(account, version, answers.Id, _clock.GetUtcNow().AddHours(-12), false, null, null, "my lift fell through", PortalCt);
            Assert.True(corrected.IsSuccess, corrected.Error);
            Assert.Equal((session.Id, PreVisitMoment.DayOf), (corrected.Value.Value.Session, corrected.Value.Value.Moment));
            Assert.Equal([FindingCodes.InputOutOfRange], (await portal.AmendPreVisitAsync(account, version + 2, answers.Id, _clock.GetUtcNow().AddHours(1), false, null, null, "future", PortalCt)).Findings.Select(f => f.Code));
        }

        await using (var db = Open(t))
        {
            var chart = (await new PatientService(db, _clock).OpenChartAsync(patient, Build.Nurse, PortalCt)).Value;
            var sides = chart.SideEffects.All.OrderBy(e => e.Revision).Select(e => (e.Value.Severity, e.Status, e.Reason, e.RecordedBy)).ToList();
            Assert.Equal([(Severity.Mild, EntryStatus.Amended, (string?)null, account), (Severity.Severe, EntryStatus.Active, "it got worse in the night", account)], sides);
            var checks = chart.PreVisitAnswers.All.OrderBy(e => e.Revision).Select(e => (e.Value.EscortArranged, e.Status)).ToList();
            Assert.Equal([(true, EntryStatus.Amended), (false, EntryStatus.Active)], checks);
            var tasks = await new PortalService(db, _clock).OpenTasksAsync(TimeZoneInfo.Utc, null, PortalCt);
            Assert.Equal([FindingCodes.PortalNoEscort, FindingCodes.PortalSevereSideEffect], tasks.Select(x => x.Task.Value.Finding.Code).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Portal_ChecklistMissing_RaisedOnceAfterTheDueHour_ForALinkedPatient()
    {
        await using var t = await MigratedAsync();
        var (session, plan) = await ScheduleAsync(t);
        await using var db = Open(t);
        var portal = new PortalService(db, _clock);
        _clock.Now = new DateTimeOffset(session.ScheduledFor.ToDateTime(new TimeOnly(7, 0)), TimeSpan.Zero);
        Assert.Empty(await portal.OpenTasksAsync(TimeZoneInfo.Utc, Build.Nurse, PortalCt));

        await LinkAsync(t, plan.PatientId);
        _clock.Now = _clock.Now.AddMinutes(-1);
        Assert.Empty(await portal.OpenTasksAsync(TimeZoneInfo.Utc, Build.Nurse, PortalCt));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await portal.OpenTasksAsync(TimeZoneInfo.Utc, null, PortalCt));
        var raised = await portal.OpenTasksAsync(TimeZoneInfo.Utc, Build.Nurse, PortalCt);
        Assert.Equal([(plan.PatientId, FindingCodes.PortalChecklistMissing)], raised.Select(x => (x.Patient, x.Task.Value.Finding.Code)));
        Assert.Single(await portal.OpenTasksAsync(TimeZoneInfo.Utc, Build.Nurse, PortalCt));
    }

    [Fact]
    public async Task Portal_DiaryScore_CountsForTheCourse_WithItsSource_AndRaisesPainBack()
    {
        await using var t = await MigratedAsync();
        var (_, plan) = await RunSessionAsync(t);
        var account = await LinkAsync(t, plan.PatientId);
        _clock.Advance(TimeSpan.FromDays(14));
        int baseline;
        await using (var db = Open(t))
        {
            baseline = (await new OutcomeService(db, _clock).CourseAsync(plan.PatientId, Build.Nurse, PortalCt)).Value.Baseline!.Value;
        }

        await using (var db = t.Database.Open(account, _clock))
        {
            Assert.True((await new PortalService(db, _clock).RecordPainAsync(account, _clock.GetUtcNow().AddHours(-1), baseline, "back to where it was", PortalCt)).IsSuccess);
        }

        await using (var db = Open(t))
        {
            var course = (await new OutcomeService(db, _clock).CourseAsync(plan.PatientId, Build.Nurse, PortalCt)).Value;
            Assert.Equal((baseline, ReportSource.Patient), (course.Trajectory[^1].Nrs, course.Trajectory[^1].Source));
            Assert.Equal(ReportSource.Patient, course.Responder!.Basis!.CurrentSource);
            var task = Assert.Single(await new PortalService(db, _clock).OpenTasksAsync(TimeZoneInfo.Utc, null, PortalCt));
            Assert.Equal(FindingCodes.PortalPainReturned, task.Task.Value.Finding.Code);
        }
    }

    private async Task<PatientId> RegisterPlainAsync(TestDatabase t, string mrn)
    {
        await using var db = Open(t);
        return (await new PatientService(db, _clock).RegisterAsync(new Demographics(mrn, "Ada", "Test", new DateOnly(1980, 1, 1), Sex.Female), Build.Nurse, PortalCt)).Value.Id;
    }

    /// <summary>A portal account linked to <paramref name="patient"/>, as an accepted invitation leaves it (PortalStorageTests cover the invitation).</summary>
    private async Task<UserId> LinkAsync(TestDatabase t, PatientId patient)
    {
        var id = Guid.NewGuid();
        await using var db = Open(t);
        db.Users.Add(new ClinicUser { Id = id, UserName = "patient-" + id.ToString("N"), NormalizedUserName = "PATIENT-" + id.ToString("N").ToUpperInvariant(), DisplayName = "Ada Test", SecurityStamp = "s" });
        db.UserClaims.Add(new IdentityUserClaim<Guid> { UserId = id, ClaimType = PortalAccounts.PatientClaim, ClaimValue = patient.ToString() });
        await db.SaveChangesAsync(PortalCt);
        return new UserId(id);
    }
}
