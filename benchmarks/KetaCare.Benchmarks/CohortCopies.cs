using System.Text.RegularExpressions;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Benchmarks;

/// <summary>
/// A large clinic made quickly: the demo cohort's real patients (simulated through the workflow, minutes per hundred)
/// copied row for row — chart, plans, sessions and stored exposures — under new ids, each id inside the documents
/// rewritten so the copies are patients of their own.
/// </summary>
internal static partial class CohortCopies
{
    /// <summary>
    /// Adds copies of the patients in <paramref name="database"/> until it holds <paramref name="patients"/>. Each copy
    /// gets its original's courses <paramref name="coursesEach"/> times (new plan and session ids), to reach a number
    /// of sessions per patient the cohort does not write.
    /// </summary>
    public static async Task CopyAsync(ClinicDatabase database, int patients, int coursesEach = 1)
    {
        List<PatientRecord> charts;
        ILookup<PatientId, PlanRecord> plans;
        ILookup<PlanId, SessionRecord> sessions;
        Dictionary<SessionId, SessionExposureRecord> exposures;
        await using (var db = database.Open(DemoSeed.SeedUser))
        {
            charts = await db.Patients.AsNoTracking().ToListAsync();
            plans = (await db.Plans.AsNoTracking().ToListAsync()).ToLookup(p => p.PatientId);
            sessions = (await db.Sessions.AsNoTracking().ToListAsync()).ToLookup(s => s.PlanId);
            exposures = await db.SessionExposures.AsNoTracking().ToDictionaryAsync(e => e.SessionId);
        }

        for (var copy = 1; copy < patients / charts.Count; copy++)
        {
            await using var db = database.Open(DemoSeed.SeedUser);
            foreach (var o in charts)
            {
                var ids = new Dictionary<string, string>(StringComparer.Ordinal) { [o.Id.ToString()] = Guid.NewGuid().ToString() };
                string Rewrite(string document) => AnyGuid().Replace(document, m => ids.GetValueOrDefault(m.Value, m.Value));
                var patient = new PatientId(Guid.Parse(ids[o.Id.ToString()]));
                for (var course = 0; course < coursesEach; course++)
                {
                    foreach (var p in plans[o.Id])
                    {
                        var plan = new PlanId(Guid.NewGuid());
                        ids[p.Id.ToString()] = plan.ToString();
                        var own = sessions[p.Id].Select(s => (Original: s, Id: new SessionId(Guid.NewGuid()))).ToList();
                        own.ForEach(s => ids[s.Original.Id.ToString()] = s.Id.ToString());
                        db.Plans.Add(new PlanRecord { Id = plan, PatientId = patient, ProtocolId = p.ProtocolId, Status = p.Status, Version = p.Version, Document = Rewrite(p.Document) });
                        foreach (var (s, id) in own)
                        {
                            db.Sessions.Add(new SessionRecord { Id = id, PlanId = plan, PatientId = patient, ScheduledFor = s.ScheduledFor, State = s.State, Version = s.Version, Document = Rewrite(s.Document) });
                            if (exposures.GetValueOrDefault(s.Id) is { } e)
                            {
                                db.SessionExposures.Add(new SessionExposureRecord { SessionId = id, PatientId = patient, SessionVersion = e.SessionVersion, ModelId = e.ModelId, Covariates = e.Covariates, Method = e.Method, Document = e.Document });
                            }
                        }
                    }
                }

                db.Patients.Add(new PatientRecord
                {
                    Id = patient,
                    MedicalRecordNumber = $"{o.MedicalRecordNumber}-{copy}",
                    FamilyName = o.FamilyName,
                    GivenName = o.GivenName,
                    BirthDate = o.BirthDate,
                    CreatedAt = o.CreatedAt,
                    Version = o.Version,
                    IsDemo = o.IsDemo,
                    Document = Rewrite(o.Document),
                    OpenTasks = o.OpenTasks,
                });
            }

            await db.SaveChangesAsync();
        }
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex AnyGuid();
}
