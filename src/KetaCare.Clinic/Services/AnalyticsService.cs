using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Outcomes;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Users;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>
/// The clinic analytics over every course in the database (<see cref="ClinicAnalytics"/>): loads the charts, plans and
/// sessions, turns each course into de-identified <see cref="CourseFacts"/> with the stored exposure of every session, and
/// analyses those a filter selects. One audit event records who ran which analysis; no patient is named in the result.
/// The identified view (<see cref="IdentifiedReportAsync"/>) adds record numbers and names for an active physician who
/// states a reason, and is audited apart. One instance per unit of work; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock (running infusions are not counted).</param>
/// <param name="staff">Who may identify the courses (the clinic's accounts when null).</param>
public sealed class AnalyticsService(KetaCareDbContext db, TimeProvider clock, IStaffDirectory? staff = null)
{
    /// <summary>Longest reason for the identified view, characters (as for a physician's override).</summary>
    public const int MaxReasonLength = PhysicianOverride.MaxReasonLength;

    private readonly IStaffDirectory _staff = staff ?? new StaffDirectory(db, clock);

    /// <summary>Runs the analysis the filter selects, with the settings and the CADSS alert threshold in force.</summary>
    public async Task<AnalyticsReport> ReportAsync(AnalyticsFilter filter, ExposureAxis axis, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (courses, report) = await AnalyseAsync(filter, axis, cancellationToken).ConfigureAwait(false);
        db.Actor = by;
        db.RecordEvent("analytics", "analytics", "courses", $"{courses} courses; filter {filter}; axis {axis}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return report;
    }

    /// <summary>
    /// The same analysis with each selected course's record number and name (<see cref="AnalyticsReport.Identities"/>),
    /// for a physician following up their patients. Refused with <see cref="FindingCodes.AnalyticsIdentifyNotPermitted"/>
    /// unless <paramref name="by"/> is an active physician, then with <see cref="FindingCodes.ReasonRequired"/> without a
    /// reason of 1 to <see cref="MaxReasonLength"/> characters. Audited apart from the de-identified view: one
    /// "analytics-ident" event with the reason, and a read of each identified patient's record. Nothing is remembered:
    /// the next view is de-identified again.
    /// </summary>
    public async Task<Outcome<AnalyticsReport>> IdentifiedReportAsync(AnalyticsFilter filter, ExposureAxis axis, string? reason, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (await _staff.FindAsync(by, cancellationToken).ConfigureAwait(false) is not { IsActivePhysician: true })
        {
            return Refusal.Coded(FindingCodes.AnalyticsIdentifyNotPermitted, FindingArg.Of("field", "identified"), FindingArg.Of("role", ClinicRoles.Physician));
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReasonLength)
        {
            return Refusal.Coded(FindingCodes.ReasonRequired, FindingArg.Of("field", "reason"), FindingArg.Of("max", MaxReasonLength));
        }

        var (courses, report) = await AnalyseAsync(filter, axis, cancellationToken).ConfigureAwait(false);
        var ids = report.Courses.Select(c => c.Patient).Distinct().ToList();
        var people = await db.Patients.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.MedicalRecordNumber, p.FamilyName, p.GivenName })
            .ToDictionaryAsync(p => p.Id, cancellationToken).ConfigureAwait(false);
        db.Actor = by;
        db.RecordEvent("analytics-ident", "analytics", "courses", $"{report.Courses.Count} of {courses} courses identified; filter {filter}; axis {axis}; reason: {reason.Trim()}");
        foreach (var id in ids)
        {
            db.RecordRead(id, "analytics", "identified", "named in the identified clinic analytics");
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var identities = new Dictionary<string, CourseIdentity>(StringComparer.Ordinal);
        foreach (var c in report.Courses)
        {
            if (people.TryGetValue(c.Patient, out var p))
            {
                identities[c.Pseudonym] = new CourseIdentity(p.MedicalRecordNumber, p.FamilyName, p.GivenName);
            }
        }

        return Outcome<AnalyticsReport>.Ok(report with { Identities = identities });
    }

    private async Task<(int Courses, AnalyticsReport Report)> AnalyseAsync(AnalyticsFilter filter, ExposureAxis axis, CancellationToken cancellationToken)
    {
        var courses = await CoursesAsync(cancellationToken).ConfigureAwait(false);
        var settings = new SettingsService(db, clock);
        var (analytics, _) = await settings.AnalyticsSettingsAsync(cancellationToken).ConfigureAwait(false);
        var (alerts, _) = await settings.AlertThresholdsAsync(cancellationToken).ConfigureAwait(false);
        return (courses.Count, ClinicAnalytics.Analyse(courses, filter, axis, analytics, alerts.CadssAbove));
    }

    /// <summary>
    /// Every course's facts, numbered C-0001… in order of first session, with the settings in force: read from the
    /// stored projection (<see cref="CourseFactsStore"/>), the patients whose inputs changed built again from documents.
    /// </summary>
    public async Task<IReadOnlyList<CourseFacts>> CoursesAsync(CancellationToken cancellationToken = default)
    {
        var settings = new SettingsService(db, clock);
        var (analytics, analyticsVersion) = await settings.AnalyticsSettingsAsync(cancellationToken).ConfigureAwait(false);
        var (alerts, alertsVersion) = await settings.AlertThresholdsAsync(cancellationToken).ConfigureAwait(false);
        return await new CourseFactsStore(db).CoursesAsync(analytics, analyticsVersion, alerts.CadssAbove, alertsVersion, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every course's facts built from every chart, plan and session document, without the stored projection: what <see cref="CoursesAsync"/> must equal.</summary>
    internal async Task<IReadOnlyList<CourseFacts>> CoursesFromDocumentsAsync(CancellationToken cancellationToken = default)
    {
        var settings = new SettingsService(db, clock);
        var (analytics, _) = await settings.AnalyticsSettingsAsync(cancellationToken).ConfigureAwait(false);
        var (alerts, _) = await settings.AlertThresholdsAsync(cancellationToken).ConfigureAwait(false);
        var patients = (await db.Patients.AsNoTracking().Select(p => p.Document).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(StateJson.Deserialize<Patient>).ToDictionary(p => p.Id);
        var plans = (await db.Plans.AsNoTracking().Select(p => p.Document).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(StateJson.Deserialize<TreatmentPlan>).ToList();
        var sessions = (await db.Sessions.AsNoTracking().Select(s => s.Document).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(StateJson.Deserialize<InfusionSession>).Where(s => s.DrugEndedAt is not null).ToList();
        var exposures = await new ExposureStore(db).ForAsync(sessions, patients, plans.ToDictionary(p => p.Id), cancellationToken).ConfigureAwait(false);
        return Build(patients, plans, sessions, exposures, analytics, alerts.CadssAbove);
    }

    /// <summary>The facts of every course that has given drug, from loaded records and the sessions' exposures (<see cref="ExposureStore"/>).</summary>
    internal static IReadOnlyList<CourseFacts> Build(IReadOnlyDictionary<PatientId, Patient> patients, IReadOnlyList<TreatmentPlan> plans, IReadOnlyList<InfusionSession> sessions, IReadOnlyDictionary<SessionId, SessionExposure?> exposures, AnalyticsSettings settings, int cadssAbove) =>
        Name(Unnamed(patients, plans, sessions, exposures, settings, cadssAbove));

    /// <summary>The facts of every course that has given drug, pseudonyms empty, with what orders them (<see cref="Name"/>).</summary>
    internal static IReadOnlyList<StoredCourse> Unnamed(IReadOnlyDictionary<PatientId, Patient> patients, IReadOnlyList<TreatmentPlan> plans, IReadOnlyList<InfusionSession> sessions, IReadOnlyDictionary<SessionId, SessionExposure?> exposures, AnalyticsSettings settings, int cadssAbove)
    {
        var planById = plans.ToDictionary(p => p.Id);
        var byPlan = sessions.GroupBy(s => s.PlanId).ToDictionary(g => g.Key, g => g.ToList());
        var courses = new List<StoredCourse>();
        foreach (var byPatient in sessions.GroupBy(s => s.PatientId))
        {
            if (!patients.TryGetValue(byPatient.Key, out var patient))
            {
                continue;
            }

            var followUps = patient.FollowUpPains.ActiveValues.Select(f => f.ToPainPoint()).ToList();
            var everyScore = OutcomeAnalysis.Trajectory(byPatient, followUps);
            foreach (var planSessions in byPatient.GroupBy(s => s.PlanId))
            {
                if (!planById.TryGetValue(planSessions.Key, out var plan))
                {
                    continue;
                }

                var own = byPlan[plan.Id];
                var later = everyScore.Where(p => p.Session is null || !own.Any(s => s.Id == p.Session)).ToList();
                if (CourseFacts.Of(string.Empty, patient, plan, own, later, s => exposures.GetValueOrDefault(s.Id), settings, cadssAbove) is { } facts)
                {
                    courses.Add(new StoredCourse(own.Min(s => s.DrugEndedAt!.Value), plan.Id, facts));
                }
            }
        }

        return courses;
    }

    /// <summary>The courses numbered C-0001… in order of the end of their first session, then of plan.</summary>
    internal static IReadOnlyList<CourseFacts> Name(IEnumerable<StoredCourse> courses) =>
        [.. courses.OrderBy(c => c.First).ThenBy(c => c.Plan.Value).Select((c, i) => c.Facts with { Pseudonym = ClinicAnalytics.Pseudonym(i) })];
}
