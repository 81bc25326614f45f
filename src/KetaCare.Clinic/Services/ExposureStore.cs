using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>
/// The stored exposure of sessions (<see cref="SessionExposure"/>, table <c>session_exposures</c>). A stored figure is
/// used only when it was computed from the inputs the record has now — the session's version (an amended or extended
/// session has a new one), the plan's model, the patient's covariates on the session date (an amended weight, height,
/// birth date or sex changes them) and the method's version; otherwise it is computed again and replaced. Figures are
/// written the first time they are read (the demo clinic's cohort writes its own after the cohort). One instance per
/// unit of work; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
public sealed class ExposureStore(KetaCareDbContext db)
{
    /// <summary>The version of the computation: raised when <see cref="SessionExposure.Compute"/> changes what it returns, so every stored figure is recomputed.</summary>
    public const int Method = 1;

    // Below this many sessions the stored rows are looked up by session; above it by patient (indexed), so a reader of
    // a part of the clinic does not read the whole table.
    private const int LookUpById = 200;

    /// <summary>Statistics of the last <see cref="ForAsync"/> call: figures used as stored, and computed (missing or stale).</summary>
    public (int Stored, int Computed) Last { get; private set; }

    /// <summary>
    /// The exposure of each session whose drug has ended, from its stored figures when their inputs are current, else
    /// computed (in parallel) and stored. Null for a session without a chart, a plan, covariates on its date or a
    /// computable exposure. Two readers storing the same figures at once is harmless: the one that loses keeps its
    /// computed values.
    /// </summary>
    /// <param name="sessions">The sessions (running ones are skipped).</param>
    /// <param name="patients">Their charts.</param>
    /// <param name="plans">Their plans.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<IReadOnlyDictionary<SessionId, SessionExposure?>> ForAsync(IReadOnlyList<InfusionSession> sessions, IReadOnlyDictionary<PatientId, Patient> patients, IReadOnlyDictionary<PlanId, TreatmentPlan> plans, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(patients);
        ArgumentNullException.ThrowIfNull(plans);
        var ended = sessions.Where(s => s.DrugEndedAt is not null).ToList();
        var ids = ended.Select(s => s.Id).ToList();
        var owners = ended.Select(s => s.PatientId).Distinct().ToList();
        var rows = ended.Count <= LookUpById
            ? await db.SessionExposures.AsNoTracking().Where(e => ids.Contains(e.SessionId)).ToListAsync(cancellationToken).ConfigureAwait(false)
            : await db.SessionExposures.AsNoTracking().Where(e => owners.Contains(e.PatientId)).ToListAsync(cancellationToken).ConfigureAwait(false);
        var stored = rows.ToDictionary(r => r.SessionId);

        var result = new Dictionary<SessionId, SessionExposure?>();
        var snapshots = new Dictionary<PatientId, PatientSnapshot>();
        var missing = new List<(InfusionSession Session, string Model, Pharmacology.Models.Covariates Covariates, string Key, bool Replace)>();
        foreach (var s in ended)
        {
            if (!patients.TryGetValue(s.PatientId, out var patient) || !plans.TryGetValue(s.PlanId, out var plan))
            {
                continue;
            }

            if (!snapshots.TryGetValue(patient.Id, out var snapshot))
            {
                snapshots[patient.Id] = snapshot = patient.Snapshot();
            }

            var covariates = snapshot.CovariatesOn(s.ScheduledFor);
            if (!covariates.IsSuccess)
            {
                result[s.Id] = null;
                continue;
            }

            var key = StateJson.Serialize(covariates.Value);
            var row = stored.GetValueOrDefault(s.Id);
            if (row is not null && row.SessionVersion == s.Version && row.ModelId == plan.ModelId && row.Method == Method && row.Covariates == key && Read(row) is { } exposure)
            {
                result[s.Id] = exposure;
            }
            else
            {
                missing.Add((s, plan.ModelId, covariates.Value, key, row is not null));
            }
        }

        Last = (result.Count(r => r.Value is not null), missing.Count);
        if (missing.Count == 0)
        {
            return result;
        }

        var computed = new SessionExposure?[missing.Count];
        Parallel.For(0, missing.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var m = missing[i];
            computed[i] = SessionExposure.Compute(m.Session, m.Model, m.Covariates) is { IsSuccess: true } e ? e.Value : null;
        });

        for (var i = 0; i < missing.Count; i++)
        {
            var (session, model, _, key, replace) = missing[i];
            result[session.Id] = computed[i];
            if (computed[i] is not { } exposure)
            {
                continue;
            }

            var record = new SessionExposureRecord { SessionId = session.Id, PatientId = session.PatientId, SessionVersion = session.Version, ModelId = model, Covariates = key, Method = Method, Document = StateJson.Serialize(exposure) };
            if (replace)
            {
                db.SessionExposures.Update(record);
            }
            else
            {
                db.SessionExposures.Add(record);
            }
        }

        await DerivedRows.SaveAsync<SessionExposureRecord>(db, cancellationToken).ConfigureAwait(false);
        return result;
    }

    // A row this version cannot read (its figures' format changed without a new Method) is computed again, not an error.
    private static SessionExposure? Read(SessionExposureRecord row)
    {
        try
        {
            return StateJson.Deserialize<SessionExposure>(row.Document);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
