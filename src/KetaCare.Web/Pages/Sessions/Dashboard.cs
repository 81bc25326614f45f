using KetaCare.Clinic;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Web.Pages.Sessions;

/// <summary>A session on the dashboard.</summary>
/// <param name="Session">The session.</param>
/// <param name="RecordNumber">The patient's medical record number.</param>
/// <param name="Name">"Family, Given".</param>
public sealed record DashboardSession(InfusionSession Session, string RecordNumber, string Name);

/// <summary>A patient whose latest eligibility assessment waits for a physician review.</summary>
/// <param name="PatientId">The patient.</param>
/// <param name="RecordNumber">Medical record number.</param>
/// <param name="Name">"Family, Given".</param>
/// <param name="AssessedOn">Date of the assessment.</param>
public sealed record AwaitingReview(PatientId PatientId, string RecordNumber, string Name, DateOnly AssessedOn);

/// <summary>A plan whose next dose waits for the physician (titration), with the patient's name.</summary>
/// <param name="PlanId">The plan.</param>
/// <param name="RecordNumber">Patient's record number.</param>
/// <param name="Name">"Family, Given".</param>
/// <param name="LastDischargedAt">When the latest session was discharged (UTC).</param>
/// <param name="SessionsGiven">Sessions given so far.</param>
public sealed record TitrationWaiting(PlanId PlanId, string RecordNumber, string Name, DateTimeOffset LastDischargedAt, int SessionsGiven);

/// <summary>
/// The dashboard's lists: today's sessions and those still in progress from any day (their sessions read through
/// <see cref="SessionService"/>, audited per patient), and patients awaiting a physician review (from the indexed
/// columns only: no chart is opened).
/// </summary>
public static class Dashboard
{
    /// <summary>Sessions scheduled for <paramref name="today"/> or running or paused, ordered by patient name.</summary>
    public static async Task<IReadOnlyList<DashboardSession>> SessionsAsync(KetaCareDbContext db, TimeProvider clock, DateOnly today, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        string[] live = [nameof(SessionState.Running), nameof(SessionState.Paused)];
        var rows = await db.Sessions.AsNoTracking().Where(s => s.ScheduledFor == today || live.Contains(s.State)).Select(s => new { s.Id, s.PatientId }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var wanted = rows.Select(r => r.Id).ToHashSet();
        var service = new SessionService(db, clock);
        var result = new List<DashboardSession>();
        foreach (var patientId in rows.Select(r => r.PatientId).Distinct())
        {
            var patient = await db.Patients.AsNoTracking().Where(p => p.Id == patientId).Select(p => new { p.MedicalRecordNumber, p.FamilyName, p.GivenName }).FirstAsync(cancellationToken).ConfigureAwait(false);
            var sessions = await service.ForPatientAsync(patientId, by, cancellationToken).ConfigureAwait(false);
            result.AddRange(sessions.Where(s => wanted.Contains(s.Id)).Select(s => new DashboardSession(s, patient.MedicalRecordNumber, patient.FamilyName + ", " + patient.GivenName)));
        }

        return [.. result.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Session.ScheduledFor)];
    }

    /// <summary>Patients whose most recent screening day has an assessment needing review and none reviewed or decided that day.</summary>
    /// <summary>Plans waiting for the physician's titration decision (names from the patient index; no chart is read).</summary>
    public static async Task<IReadOnlyList<TitrationWaiting>> TitrationWaitingAsync(KetaCareDbContext db, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var due = await new TreatmentService(db, clock).TitrationDueAsync(cancellationToken).ConfigureAwait(false);
        var ids = due.Select(d => d.Patient).ToList();
        var names = await db.Patients.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.MedicalRecordNumber, p.FamilyName, p.GivenName }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var byId = names.ToDictionary(n => n.Id);
        return [.. due.Select(d => (Due: d, Who: byId[d.Patient]))
            .Select(x => new TitrationWaiting(x.Due.Plan, x.Who.MedicalRecordNumber, x.Who.FamilyName + ", " + x.Who.GivenName, x.Due.LastDischargedAt, x.Due.SessionsGiven))];
    }

    public static async Task<IReadOnlyList<AwaitingReview>> AwaitingReviewAsync(KetaCareDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var needs = nameof(EligibilityResult.NeedsPhysicianReview);
        var rows = await db.Assessments.AsNoTracking().Select(a => new { a.PatientId, a.Result, a.AssessedOn, Reviewed = a.ReviewDocument != null }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var waiting = rows.GroupBy(a => a.PatientId)
            .Select(g => g.Where(a => a.AssessedOn == g.Max(x => x.AssessedOn)).ToList())
            .Where(day => day.Any(a => a.Result == needs && !a.Reviewed) && day.All(a => a.Result == needs && !a.Reviewed))
            .Select(day => (day[0].PatientId, day[0].AssessedOn))
            .ToList();
        var result = new List<AwaitingReview>();
        foreach (var (patientId, on) in waiting)
        {
            var p = await db.Patients.AsNoTracking().Where(x => x.Id == patientId).Select(x => new { x.MedicalRecordNumber, x.FamilyName, x.GivenName }).FirstAsync(cancellationToken).ConfigureAwait(false);
            result.Add(new AwaitingReview(patientId, p.MedicalRecordNumber, p.FamilyName + ", " + p.GivenName, on));
        }

        return [.. result.OrderBy(r => r.AssessedOn).ThenBy(r => r.Name, StringComparer.Ordinal)];
    }
}
