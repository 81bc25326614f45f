using KetaCare.Clinic.Outcomes;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Units;
using Microsoft.EntityFrameworkCore;
using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Services;

/// <summary>The outcome of a patient's course, computed from the stored sessions and the outcome measures of the chart.</summary>
/// <param name="PatientId">Patient.</param>
/// <param name="Baseline">Baseline NRS: the first pain score of the first session that recorded one; null when none.</param>
/// <param name="PerSession">Pain before and after, and the dose given, per session.</param>
/// <param name="Trajectory">Every active pain score of the sessions and the follow-ups, in time order.</param>
/// <param name="FollowUps">Active follow-up scores, in time order.</param>
/// <param name="Responder">The latest score against the baseline (IMMPACT ≥ 30 % / ≥ 50 %); null without both.</param>
/// <param name="LastSessionEnd">End of the last infusion given, if any.</param>
/// <param name="DurationOfRelief">Time from the end of the last infusion until relief (≥ 30 % reduction) was lost; null when not lost or never reached.</param>
/// <param name="LastRelieved">The last score time still showing ≥ 30 % relief after the last infusion.</param>
/// <param name="Bpi">Active BPI short forms, oldest first.</param>
/// <param name="Pgic">Active PGIC scores, oldest first.</param>
/// <param name="Predicted">Predicted relief beside each observed score (Dahan 2011 relief model), or the reason it cannot be computed.</param>
public sealed record CourseOutcome(
    PatientId PatientId,
    int? Baseline,
    IReadOnlyList<SessionPain> PerSession,
    IReadOnlyList<PainPoint> Trajectory,
    IReadOnlyList<FollowUpPain> FollowUps,
    ResponderStatus? Responder,
    DateTimeOffset? LastSessionEnd,
    Duration? DurationOfRelief,
    DateTimeOffset? LastRelieved,
    IReadOnlyList<BpiAssessment> Bpi,
    IReadOnlyList<PgicAssessment> Pgic,
    Outcome<IReadOnlyList<ReliefComparison>> Predicted);

/// <summary>
/// Records and amends the outcome measures kept in the patient's chart (follow-up pain NRS, BPI short form, PGIC) —
/// each an audited change of the patient aggregate against the version the user saw — and computes the course
/// outcome. One instance per unit of work; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock for recorded times and for counting running infusions.</param>
public sealed class OutcomeService(KetaCareDbContext db, TimeProvider clock)
{
    private readonly PatientService _patients = new(db, clock);

    /// <summary>Records a follow-up pain NRS (0–10) between sessions.</summary>
    public async Task<Outcome<ChartEntry<FollowUpPain>>> RecordFollowUpAsync(PatientId id, long expectedVersion, DateTimeOffset at, int nrs, string? note, UserId by, CancellationToken cancellationToken = default)
    {
        var v = FollowUpPain.Create(at, nrs, note);
        return v.IsSuccess ? await _patients.RecordAsync(id, expectedVersion, v.Value, by, cancellationToken).ConfigureAwait(false) : v.Refusal;
    }

    /// <summary>Amends a follow-up pain NRS with a reason; the previous value stays in the history.</summary>
    public async Task<Outcome<ChartEntry<FollowUpPain>>> AmendFollowUpAsync(PatientId id, long expectedVersion, EntryId entry, DateTimeOffset at, int nrs, string? note, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        var v = FollowUpPain.Create(at, nrs, note);
        return v.IsSuccess ? await _patients.AmendAsync(id, expectedVersion, entry, v.Value, reason, by, cancellationToken).ConfigureAwait(false) : v.Refusal;
    }

    /// <summary>Records a BPI short form: worst, least, average, now and the seven interference items, each 0–10.</summary>
    public async Task<Outcome<ChartEntry<BpiAssessment>>> RecordBpiAsync(PatientId id, long expectedVersion, DateOnly completedOn, int worst, int least, int average, int now, IReadOnlyList<int> interference, UserId by, CancellationToken cancellationToken = default)
    {
        var form = BpiShortForm.Create(worst, least, average, now, interference);
        return form.IsSuccess ? await _patients.RecordAsync(id, expectedVersion, new BpiAssessment(completedOn, form.Value), by, cancellationToken).ConfigureAwait(false) : form.Refusal;
    }

    /// <summary>Amends a BPI short form with a reason.</summary>
    public async Task<Outcome<ChartEntry<BpiAssessment>>> AmendBpiAsync(PatientId id, long expectedVersion, EntryId entry, DateOnly completedOn, int worst, int least, int average, int now, IReadOnlyList<int> interference, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        var form = BpiShortForm.Create(worst, least, average, now, interference);
        return form.IsSuccess ? await _patients.AmendAsync(id, expectedVersion, entry, new BpiAssessment(completedOn, form.Value), reason, by, cancellationToken).ConfigureAwait(false) : form.Refusal;
    }

    /// <summary>Records a PGIC score (1–7).</summary>
    public async Task<Outcome<ChartEntry<PgicAssessment>>> RecordPgicAsync(PatientId id, long expectedVersion, DateOnly completedOn, int score, UserId by, CancellationToken cancellationToken = default)
    {
        var p = Pgic.Create(score);
        return p.IsSuccess ? await _patients.RecordAsync(id, expectedVersion, new PgicAssessment(completedOn, p.Value), by, cancellationToken).ConfigureAwait(false) : p.Refusal;
    }

    /// <summary>Amends a PGIC score with a reason.</summary>
    public async Task<Outcome<ChartEntry<PgicAssessment>>> AmendPgicAsync(PatientId id, long expectedVersion, EntryId entry, DateOnly completedOn, int score, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        var p = Pgic.Create(score);
        return p.IsSuccess ? await _patients.AmendAsync(id, expectedVersion, entry, new PgicAssessment(completedOn, p.Value), reason, by, cancellationToken).ConfigureAwait(false) : p.Refusal;
    }

    /// <summary>
    /// The course outcome of a patient: per-session pain and dose, the trajectory with follow-ups, responder status of
    /// the latest score, duration of relief after the last infusion, BPI, PGIC, and the predicted relief of the model
    /// of the patient's latest plan beside the observed scores. Audited as a read of the patient's record.
    /// </summary>
    public async Task<Outcome<CourseOutcome>> CourseAsync(PatientId id, UserId by, CancellationToken cancellationToken = default)
    {
        var patientDoc = await db.Patients.AsNoTracking().Where(p => p.Id == id).Select(p => p.Document).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (patientDoc is null)
        {
            return Refusal.NotFound("patient", id);
        }

        var patient = StateJson.Deserialize<Patient>(patientDoc);
        var sessions = (await db.Sessions.AsNoTracking().Where(s => s.PatientId == id).OrderBy(s => s.ScheduledFor).Select(s => s.Document).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(StateJson.Deserialize<InfusionSession>).ToList();
        var plans = (await db.Plans.AsNoTracking().Where(p => p.PatientId == id).Select(p => p.Document).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(StateJson.Deserialize<TreatmentPlan>).OrderBy(p => p.PrescribedAt).ToList();
        db.Actor = by;
        db.RecordRead(id, "patient", id.ToString(), "course outcome read");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Outcome<CourseOutcome>.Ok(Compute(patient, sessions, plans.LastOrDefault(), clock.GetUtcNow()));
    }

    /// <summary>The course outcome from loaded data (pure apart from the engine's deterministic simulation).</summary>
    /// <param name="patient">The patient with the outcome measures.</param>
    /// <param name="sessions">The patient's sessions.</param>
    /// <param name="plan">The plan whose model predicts relief; none → no prediction.</param>
    /// <param name="asOf">Time up to which running infusions are counted.</param>
    public static CourseOutcome Compute(Patient patient, IReadOnlyList<InfusionSession> sessions, TreatmentPlan? plan, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(sessions);
        var followUps = patient.FollowUpPains.ActiveValues.OrderBy(f => f.At).ToList();
        var perSession = OutcomeAnalysis.PerSession(sessions, asOf);
        var trajectory = OutcomeAnalysis.Trajectory(sessions, followUps.Select(f => f.ToPainPoint()));
        var baseline = perSession.FirstOrDefault(s => s.Before is not null)?.Before;
        var responder = OutcomeAnalysis.CourseResponder(trajectory);

        var ends = sessions.SelectMany(s => s.Segments).Where(x => x.End is not null).Select(x => x.End!.Value).ToList();
        DateTimeOffset? lastEnd = ends.Count > 0 ? ends.Max() : null;
        Duration? relief = null;
        DateTimeOffset? lastRelieved = null;
        if (baseline is { } b2 && lastEnd is { } end)
        {
            relief = OutcomeAnalysis.DurationOfRelief(b2, end, trajectory, out lastRelieved);
        }

        Outcome<IReadOnlyList<ReliefComparison>> predicted = new Refusal("predicted relief: no baseline pain score and no plan yet.", [Finding.Refused(FindingCodes.OutcomePredictionUnavailable, FindingArg.Of("field", "predicted relief"))]);
        if (plan is not null && baseline is { } b3)
        {
            var snapshot = patient.Snapshot();
            var covariates = snapshot.CovariatesOn(sessions.Count > 0 ? sessions[0].ScheduledFor : DateOnly.FromDateTime(asOf.UtcDateTime));
            predicted = covariates.IsSuccess
                ? OutcomeAnalysis.PredictedBesideObserved(sessions, covariates.Value, plan.ModelId, b3, trajectory)
                : covariates.Refusal;
        }

        return new CourseOutcome(
            patient.Id,
            baseline,
            perSession,
            trajectory,
            followUps,
            responder,
            lastEnd,
            relief,
            lastRelieved,
            [.. patient.BpiAssessments.ActiveValues.OrderBy(x => x.CompletedOn)],
            [.. patient.PgicAssessments.ActiveValues.OrderBy(x => x.CompletedOn)],
            predicted);
    }
}
