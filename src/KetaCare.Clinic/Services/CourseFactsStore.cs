using System.Globalization;
using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>
/// The stored analytics facts of every patient's courses (table <c>course_facts</c>, one row per patient), so a view of
/// the clinic analytics reads small rows instead of every chart, plan and session document. A row is used only when it
/// was built from the inputs the patient has now: the chart's version, the count, sum and highest version of the
/// patient's plans and of their sessions (versions only rise and records are never deleted, so any save changes them),
/// the analytics-settings and alert-threshold versions, and the versions of the exposure and facts computations. Those
/// are read from scalar columns, not documents; only the patients whose row is missing or stale are built again from
/// their documents (<see cref="AnalyticsService.Build"/> with <see cref="ExposureStore"/>) and stored. Pseudonyms are
/// given at read, over all courses, as the documents would give them. One instance per unit of work; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
public sealed class CourseFactsStore(KetaCareDbContext db)
{
    /// <summary>The version of the facts' computation: raised when <see cref="CourseFacts.Of"/> changes what it returns, so every stored row is built again.</summary>
    public const int Method = 1;

    // Patients built from documents at once: bounds the documents held in memory when a whole clinic is stale (the first
    // view after the migration, a changed setting).
    private const int BuildBatch = 1000;

    /// <summary>Statistics of the last <see cref="CoursesAsync"/> call: patients whose courses were read as stored, and built from documents (missing or stale).</summary>
    public (int Stored, int Built) Last { get; private set; }

    /// <summary>The patients whose courses the last <see cref="CoursesAsync"/> call built from documents.</summary>
    public IReadOnlySet<PatientId> LastBuilt { get; private set; } = new HashSet<PatientId>();

    /// <summary>Every course's facts, numbered C-0001… in order of first session, from stored rows whose inputs are current, the rest built and stored.</summary>
    /// <param name="settings">The analytics settings in force.</param>
    /// <param name="settingsVersion">Their version.</param>
    /// <param name="cadssAbove">The CADSS alert threshold in force.</param>
    /// <param name="alertsVersion">The alert thresholds' version.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<IReadOnlyList<CourseFacts>> CoursesAsync(AnalyticsSettings settings, int settingsVersion, int cadssAbove, int alertsVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var shared = string.Create(CultureInfo.InvariantCulture, $"analytics v{settingsVersion}; alerts v{alertsVersion}; exposure m{ExposureStore.Method}; facts m{Method}");
        var charts = await db.Patients.AsNoTracking().Select(p => new { p.Id, p.Version }).ToDictionaryAsync(p => p.Id, p => p.Version, cancellationToken).ConfigureAwait(false);
        var plans = (await db.Plans.AsNoTracking().GroupBy(p => p.PatientId).Select(g => new { g.Key, Count = g.Count(), Sum = g.Sum(p => p.Version), Max = g.Max(p => p.Version) }).ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(g => g.Key, g => new Versions(g.Count, g.Sum, g.Max));
        var sessions = (await db.Sessions.AsNoTracking().GroupBy(s => s.PatientId).Select(g => new { g.Key, Count = g.Count(), Sum = g.Sum(s => s.Version), Max = g.Max(s => s.Version) }).ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(g => g.Key, g => new Versions(g.Count, g.Sum, g.Max));
        var rows = await db.CourseFacts.AsNoTracking().ToDictionaryAsync(r => r.PatientId, cancellationToken).ConfigureAwait(false);

        // Only a patient with sessions can have a course.
        var courses = new List<StoredCourse>();
        var stale = new List<PatientId>();
        foreach (var (patient, own) in sessions)
        {
            if (!charts.TryGetValue(patient, out var chart))
            {
                continue;
            }

            var key = Key(chart, plans.GetValueOrDefault(patient), own, shared);
            if (rows.GetValueOrDefault(patient) is { } row && row.Inputs == key && Read(row) is { } stored)
            {
                courses.AddRange(stored);
            }
            else
            {
                stale.Add(patient);
            }
        }

        LastBuilt = stale.ToHashSet();
        Last = (sessions.Count - stale.Count, stale.Count);
        var hasRow = rows.Keys.ToHashSet();
        foreach (var batch in stale.Chunk(BuildBatch))
        {
            courses.AddRange(await BuildAsync([.. batch], hasRow, settings, cadssAbove, shared, cancellationToken).ConfigureAwait(false));
        }

        return AnalyticsService.Name(courses);
    }

    private async Task<IReadOnlyList<StoredCourse>> BuildAsync(List<PatientId> ids, HashSet<PatientId> hasRow, AnalyticsSettings settings, int cadssAbove, string shared, CancellationToken cancellationToken)
    {
        // The key stored is the one of the records read here, so a save between the check above and this read leaves the
        // row stale, never wrongly fresh.
        var chartRows = await db.Patients.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.Version, p.Document }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var planRows = await db.Plans.AsNoTracking().Where(p => ids.Contains(p.PatientId)).Select(p => new { p.PatientId, p.Version, p.Document }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var sessionRows = await db.Sessions.AsNoTracking().Where(s => ids.Contains(s.PatientId)).Select(s => new { s.PatientId, s.Version, s.Document }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var patients = chartRows.Select(r => StateJson.Deserialize<Patient>(r.Document)).ToDictionary(p => p.Id);
        var plans = planRows.Select(r => StateJson.Deserialize<TreatmentPlan>(r.Document)).ToList();
        var sessions = sessionRows.Select(r => StateJson.Deserialize<InfusionSession>(r.Document)).Where(s => s.DrugEndedAt is not null).ToList();
        var exposures = await new ExposureStore(db).ForAsync(sessions, patients, plans.ToDictionary(p => p.Id), cancellationToken).ConfigureAwait(false);
        var built = AnalyticsService.Unnamed(patients, plans, sessions, exposures, settings, cadssAbove);

        var planVersions = planRows.GroupBy(r => r.PatientId).ToDictionary(g => g.Key, g => Versions.Of(g.Select(r => r.Version)));
        var sessionVersions = sessionRows.GroupBy(r => r.PatientId).ToDictionary(g => g.Key, g => Versions.Of(g.Select(r => r.Version)));
        var byPatient = built.ToLookup(c => c.Facts.Patient);
        foreach (var chart in chartRows)
        {
            var own = byPatient[chart.Id].ToList();
            var record = new CourseFactsRecord
            {
                PatientId = chart.Id,
                Inputs = Key(chart.Version, planVersions.GetValueOrDefault(chart.Id), sessionVersions.GetValueOrDefault(chart.Id), shared),
                Courses = own.Count,
                Document = StateJson.Serialize(own),
            };
            if (hasRow.Contains(chart.Id))
            {
                db.CourseFacts.Update(record);
            }
            else
            {
                db.CourseFacts.Add(record);
            }
        }

        await DerivedRows.SaveAsync<CourseFactsRecord>(db, cancellationToken).ConfigureAwait(false);
        return built;
    }

    private static string Key(long chart, Versions plans, Versions sessions, string shared) =>
        string.Create(CultureInfo.InvariantCulture, $"chart v{chart}; plans {plans}; sessions {sessions}; {shared}");

    // A row this version cannot read (its format changed without a new Method) is built again, not an error.
    private static IReadOnlyList<StoredCourse>? Read(CourseFactsRecord row)
    {
        try
        {
            return StateJson.Deserialize<List<StoredCourse>>(row.Document);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private readonly record struct Versions(int Count, long Sum, long Max)
    {
        public static Versions Of(IEnumerable<long> versions)
        {
            var all = versions.ToList();
            return new(all.Count, all.Sum(), all.Count == 0 ? 0 : all.Max());
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Count}/{Sum}/{Max}");
    }
}

/// <summary>One course's facts as stored (pseudonym empty), with what orders the pseudonyms: the end of its first session, then its plan.</summary>
/// <param name="First">When drug ended in the course's first session.</param>
/// <param name="Plan">The course's plan.</param>
/// <param name="Facts">The facts, pseudonym empty.</param>
internal sealed record StoredCourse(DateTimeOffset First, PlanId Plan, CourseFacts Facts);
