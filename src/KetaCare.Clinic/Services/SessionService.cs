using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>
/// Infusion sessions: scheduling, every state change, observations and adverse events, each saved as one unit of
/// work with its audit event against the version the user saw. One instance per unit of work; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock for recorded times.</param>
public sealed class SessionService(KetaCareDbContext db, TimeProvider clock)
{
    /// <summary>Schedules a session of an active plan at the plan's current dose.</summary>
    internal async Task<Outcome<InfusionSession>> ScheduleAsync(PlanId planId, DateOnly date, UserId by, CancellationToken cancellationToken = default)
    {
        var doc = await db.Plans.AsNoTracking().Where(p => p.Id == planId).Select(p => p.Document).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (doc is null)
        {
            return Refusal.NotFound("plan", planId);
        }

        var session = InfusionSession.Schedule(StateJson.Deserialize<Plans.TreatmentPlan>(doc), date, by, clock);
        if (!session.IsSuccess)
        {
            return session;
        }

        var row = new SessionRecord { Id = session.Value.Id, PlanId = planId, PatientId = session.Value.PatientId, ScheduledFor = date };
        Write(row, session.Value);
        db.Sessions.Add(row);
        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, "session", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? session : saved.Refusal;
    }

    /// <summary>A session with its timeline (audited read).</summary>
    public async Task<Outcome<InfusionSession>> GetAsync(SessionId id, UserId by, CancellationToken cancellationToken = default)
    {
        var row = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return Refusal.NotFound("session", id);
        }

        db.Actor = by;
        db.RecordRead(row.PatientId, "session", id.ToString(), "session opened");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Outcome<InfusionSession>.Ok(StateJson.Deserialize<InfusionSession>(row.Document));
    }

    /// <summary>The patient's sessions, oldest first (audited read).</summary>
    public async Task<IReadOnlyList<InfusionSession>> ForPatientAsync(PatientId patientId, UserId by, CancellationToken cancellationToken = default)
    {
        var rows = await db.Sessions.AsNoTracking().Where(s => s.PatientId == patientId).OrderBy(s => s.ScheduledFor).ToListAsync(cancellationToken).ConfigureAwait(false);
        db.Actor = by;
        db.RecordRead(patientId, "session", "*", "sessions listed");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => StateJson.Deserialize<InfusionSession>(r.Document))];
    }

    /// <summary>The stored session for a rule to read, without an audit event (the step that uses it is audited); null when unknown.</summary>
    internal async Task<InfusionSession?> LoadAsync(SessionId id, CancellationToken cancellationToken)
    {
        var doc = await db.Sessions.AsNoTracking().Where(s => s.Id == id).Select(s => s.Document).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return doc is null ? null : StateJson.Deserialize<InfusionSession>(doc);
    }

    /// <summary>Records an observation and returns the alerts it raised.</summary>
    internal async Task<Outcome<IReadOnlyList<VitalAlert>>> RecordObservationAsync(SessionId id, long expectedVersion, Observation observation, SessionSettings settings, UserId by, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<VitalAlert> alerts = [];
        var r = await ChangeAsync(
            id,
            expectedVersion,
            s =>
            {
                var o = s.RecordObservation(observation, settings, by, clock);
                alerts = o.IsSuccess ? o.Value : [];
                return o.IsSuccess ? Outcome.Ok() : o.Refusal;
            },
            by,
            cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Outcome<IReadOnlyList<VitalAlert>>.Ok(alerts) : r.Refusal;
    }

    /// <summary>
    /// Applies <paramref name="change"/> (any state change, rate change, amendment or adverse event of
    /// <see cref="InfusionSession"/>) to the session at <paramref name="expectedVersion"/> and saves it with its audit
    /// event in one transaction. If the change throws or the save fails, nothing is written and the stored session is
    /// the previous one.
    /// </summary>
    /// <remarks>
    /// Internal: faces change a session only through <see cref="SessionWorkflow"/>, whose steps gather what the rules
    /// need (dose check, thresholds, staff) before the session decides.
    /// </remarks>
    internal async Task<Outcome<InfusionSession>> ChangeAsync(SessionId id, long expectedVersion, Func<InfusionSession, Outcome> change, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var row = await db.Sessions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return Refusal.NotFound("session", id);
        }

        if (Conflicts.Check("session", row.Version, expectedVersion) is { } stale)
        {
            return stale;
        }

        var session = StateJson.Deserialize<InfusionSession>(row.Document);
        var r = change(session);
        if (!r.IsSuccess)
        {
            db.Entry(row).State = EntityState.Detached;
            return r.Refusal;
        }

        Write(row, session);
        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, "session", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? Outcome<InfusionSession>.Ok(session) : saved.Refusal;
    }

    private static void Write(SessionRecord row, InfusionSession session)
    {
        row.State = session.State.ToString();
        row.Version = session.Version;
        row.Document = StateJson.Serialize(session);
    }
}
