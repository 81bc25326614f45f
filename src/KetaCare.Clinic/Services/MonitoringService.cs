using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>A patient with investigations due or overdue, for the dashboard.</summary>
/// <param name="PatientId">The patient.</param>
/// <param name="RecordNumber">Medical record number.</param>
/// <param name="Name">"Family, Given".</param>
/// <param name="Items">The items not done, overdue first.</param>
public sealed record MonitoringDue(PatientId PatientId, string RecordNumber, string Name, IReadOnlyList<MonitoringItem> Items);

/// <summary>
/// Reads the monitoring schedule (<see cref="MonitoringSchedule"/>) of a patient from the chart, the plans and their
/// sessions, for the chart, the pre-assessment and the dashboard. The rules are in <see cref="MonitoringSchedule"/>.
/// </summary>
public sealed class MonitoringService(KetaCareDbContext db)
{
    /// <summary>
    /// The courses of <paramref name="plans"/> as the schedule sees them: plans entered in error are not courses; a
    /// course starts at its first session that was not cancelled (or the day it was prescribed while none is booked).
    /// </summary>
    public static IReadOnlyList<MonitoringCourse> Courses(IEnumerable<TreatmentPlan> plans, IEnumerable<InfusionSession> sessions, EligibilitySettings? eligibility = null)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(sessions);
        var live = sessions.Where(s => s.State != SessionState.Cancelled).ToList();
        return [.. plans.Where(p => p.Status != PlanStatus.EnteredInError).Select(p =>
        {
            var mine = live.Where(s => s.PlanId == p.Id).ToList();
            var start = mine.Count > 0 ? mine.Min(s => s.ScheduledFor) : DateOnly.FromDateTime(p.PrescribedAt.UtcDateTime);
            var intensive = EligibilityRules.IsFrequent(p.Protocol, eligibility) || EligibilityRules.IsHighDose(p.Protocol, eligibility);
            return new MonitoringCourse(start, Math.Max(mine.Count, p.Protocol.NumberOfSessions), intensive, p.Status == PlanStatus.Active);
        })];
    }

    /// <summary>The patient's courses read from storage without an audit event: the step that uses them (a chart opened, a pre-assessment) is audited.</summary>
    internal async Task<IReadOnlyList<MonitoringCourse>> CoursesAsync(PatientId patient, CancellationToken cancellationToken)
    {
        var plans = await db.Plans.AsNoTracking().Where(p => p.PatientId == patient).Select(p => p.Document).ToListAsync(cancellationToken).ConfigureAwait(false);
        var sessions = await db.Sessions.AsNoTracking().Where(s => s.PatientId == patient).Select(s => s.Document).ToListAsync(cancellationToken).ConfigureAwait(false);
        return Courses(plans.Select(StateJson.Deserialize<TreatmentPlan>), sessions.Select(StateJson.Deserialize<InfusionSession>));
    }

    /// <summary>The schedule of an opened chart as of <paramref name="today"/>.</summary>
    public async Task<IReadOnlyList<MonitoringItem>> ScheduleAsync(Patient chart, DateOnly today, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var courses = await CoursesAsync(chart.Id, cancellationToken).ConfigureAwait(false);
        var (settings, _) = await new SettingsService(db, TimeProvider.System).InvestigationSettingsAsync(cancellationToken).ConfigureAwait(false);
        return MonitoringSchedule.For(chart.Snapshot(), courses, today, settings);
    }

    /// <summary>
    /// Patients with an active plan whose schedule has an item due or overdue on <paramref name="today"/>, overdue
    /// first. Reads each such chart: one audited read per patient (coalesced by the caller's read window).
    /// </summary>
    public async Task<IReadOnlyList<MonitoringDue>> DueAsync(DateOnly today, UserId by, CancellationToken cancellationToken = default)
    {
        var active = nameof(PlanStatus.Active);
        var patients = await db.Plans.AsNoTracking().Where(p => p.Status == active).Select(p => p.PatientId).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<MonitoringDue>();
        db.Actor = by;
        foreach (var id in patients)
        {
            var row = await db.Patients.AsNoTracking().FirstAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false);
            var chart = StateJson.Deserialize<Patient>(row.Document);
            db.RecordRead(id, "patient", id.ToString(), "monitoring schedule read");
            var open = (await ScheduleAsync(chart, today, cancellationToken).ConfigureAwait(false)).Where(i => i.Status != MonitoringStatus.Done).OrderByDescending(i => i.Status).ToList();
            if (open.Count > 0)
            {
                var d = chart.Demographics;
                result.Add(new MonitoringDue(id, d.MedicalRecordNumber, d.FamilyName + ", " + d.GivenName, open));
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return [.. result.OrderByDescending(r => r.Items.Any(i => i.Status == MonitoringStatus.Overdue)).ThenBy(r => r.Name, StringComparer.Ordinal)];
    }
}
