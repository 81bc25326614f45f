using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>
/// Eligibility assessments (immutable, with an optional one-time physician review) and treatment plans. Reads of
/// assessments and plans are audited reads of the patient's record. One instance per unit of work; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock for recorded times.</param>
/// <param name="protocols">The protocol library; when null, the library stored in the database (its latest versions), or the built-in library while none is stored.</param>
/// <param name="drugs">The drug library (the default when null).</param>
public sealed class TreatmentService(KetaCareDbContext db, TimeProvider clock, ProtocolLibrary? protocols = null, DrugLibrary? drugs = null)
{
    private ProtocolLibrary? _protocols = protocols;
    private readonly DrugLibrary _drugs = drugs ?? DrugLibrary.Default;

    /// <summary>Runs the eligibility rules on the patient's current chart for one condition and stores the immutable result.</summary>
    /// <param name="patientId">The patient.</param>
    /// <param name="conditionId">The condition screened.</param>
    /// <param name="by">Who ran it.</param>
    /// <param name="intendedProtocolId">The protocol planned, when known (frequency and dose warnings).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<Outcome<EligibilityAssessment>> AssessEligibilityAsync(PatientId patientId, EntryId conditionId, UserId by, string? intendedProtocolId = null, CancellationToken cancellationToken = default)
    {
        var patient = await LoadPatientAsync(patientId, cancellationToken).ConfigureAwait(false);
        if (patient is null)
        {
            return new Refusal($"patient {patientId}: not found.");
        }

        Protocol? intended = null;
        if (intendedProtocolId is not null)
        {
            var p = (await ProtocolsAsync(cancellationToken).ConfigureAwait(false)).Find(intendedProtocolId);
            if (!p.IsSuccess)
            {
                return new Refusal(p.Error);
            }

            intended = p.Value;
        }

        if (!patient.Conditions.Active.Any(c => c.Id == conditionId))
        {
            return new Refusal($"condition {conditionId}: no active condition with this id on the patient's chart.");
        }

        var assessment = EligibilityAssessment.Run(patient.Snapshot(), conditionId, by, clock, intended);
        db.Assessments.Add(new AssessmentRecord
        {
            Id = assessment.Id,
            PatientId = patientId,
            Result = assessment.Evaluation.Result.ToString(),
            RuleSetVersion = assessment.Evaluation.RuleSetVersion,
            AssessedOn = assessment.AssessedOn,
            Document = StateJson.Serialize(assessment),
        });
        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, "assessment", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? Outcome<EligibilityAssessment>.Ok(assessment) : new Refusal(saved.Error);
    }

    /// <summary>Records a physician's review of an assessment that needed one; written once, never changed.</summary>
    public async Task<Outcome<PhysicianReview>> ReviewAsync(AssessmentId id, bool approved, string reason, UserId physician, CancellationToken cancellationToken = default)
    {
        var row = await db.Assessments.FirstOrDefaultAsync(a => a.Id == id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return new Refusal($"assessment {id}: not found.");
        }

        if (row.ReviewDocument is not null)
        {
            return new Refusal($"assessment {id}: already reviewed; run a new assessment for a new decision.");
        }

        var review = PhysicianReview.Create(StateJson.Deserialize<EligibilityAssessment>(row.Document), approved, reason, physician, clock);
        if (!review.IsSuccess)
        {
            return review;
        }

        row.ReviewDocument = StateJson.Serialize(review.Value);
        row.Version++;
        db.Actor = physician;
        var saved = await Conflicts.SaveAsync(db, "assessment", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? review : new Refusal(saved.Error);
    }

    /// <summary>The patient's assessments with their reviews, newest first (audited read).</summary>
    public async Task<IReadOnlyList<(EligibilityAssessment Assessment, PhysicianReview? Review)>> AssessmentsAsync(PatientId patientId, UserId by, CancellationToken cancellationToken = default)
    {
        var rows = await db.Assessments.AsNoTracking().Where(a => a.PatientId == patientId).ToListAsync(cancellationToken).ConfigureAwait(false);
        db.Actor = by;
        db.RecordRead(patientId, "assessment", "*", "assessments listed");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows
            .Select(r => (StateJson.Deserialize<EligibilityAssessment>(r.Document), r.ReviewDocument is null ? null : StateJson.Deserialize<PhysicianReview>(r.ReviewDocument)))
            .OrderByDescending(x => x.Item1.RecordedAt)];
    }

    /// <summary>Prescribes a protocol for a patient (refusals as in <see cref="TreatmentPlan.Prescribe"/>).</summary>
    /// <param name="patientId">The patient.</param>
    /// <param name="protocolId">Protocol id from the library.</param>
    /// <param name="modelId">PK model for predictions.</param>
    /// <param name="preparationId">Preparation id from the drug library.</param>
    /// <param name="startDose">First session's dose.</param>
    /// <param name="physician">The prescriber.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task<Outcome<TreatmentPlan>> PrescribeAsync(PatientId patientId, string protocolId, string modelId, string preparationId, DoseLevel startDose, UserId physician, CancellationToken cancellationToken = default) =>
        PrescribeAsync(patientId, protocolId, modelId, preparationId, startDose, physician, [], cancellationToken);

    /// <summary>
    /// Prescribes a plan whose start dose passed the dose check only by the physician's overrides of soft limits
    /// (<see cref="DoseAuthorization.Overrides"/>): each override (limit, reason, who, when) is written into the plan's
    /// dose history in the same transaction as the plan, so the reason can never be lost between two saves.
    /// </summary>
    /// <param name="patientId">The patient.</param>
    /// <param name="protocolId">Protocol id from the library.</param>
    /// <param name="modelId">PK model for predictions.</param>
    /// <param name="preparationId">Preparation id from the drug library.</param>
    /// <param name="startDose">First session's dose.</param>
    /// <param name="physician">The prescriber.</param>
    /// <param name="softLimitOverrides">The overrides the dose check needed; empty when none.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<Outcome<TreatmentPlan>> PrescribeAsync(PatientId patientId, string protocolId, string modelId, string preparationId, DoseLevel startDose, UserId physician, IReadOnlyList<LimitOverride> softLimitOverrides, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(softLimitOverrides);
        var patient = await LoadPatientAsync(patientId, cancellationToken).ConfigureAwait(false);
        if (patient is null)
        {
            return new Refusal($"patient {patientId}: not found.");
        }

        var protocol = (await ProtocolsAsync(cancellationToken).ConfigureAwait(false)).Find(protocolId);
        if (!protocol.IsSuccess)
        {
            return new Refusal(protocol.Error);
        }

        var prep = _drugs.Preparation(preparationId);
        if (!prep.IsSuccess)
        {
            return new Refusal(prep.Error);
        }

        var plan = TreatmentPlan.Prescribe(patient.Snapshot(), protocol.Value, modelId, prep.Value, startDose, physician, clock);
        if (!plan.IsSuccess)
        {
            return plan;
        }

        if (softLimitOverrides.Count > 0)
        {
            var recorded = plan.Value.RecordPrescriptionOverrides(softLimitOverrides, physician, clock);
            if (!recorded.IsSuccess)
            {
                return new Refusal(recorded.Error);
            }
        }

        var row = new PlanRecord { Id = plan.Value.Id, PatientId = patientId, ProtocolId = protocol.Value.Id };
        Write(row, plan.Value);
        db.Plans.Add(row);
        db.Actor = physician;
        var saved = await Conflicts.SaveAsync(db, "plan", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? plan : new Refusal(saved.Error);
    }

    /// <summary>A plan (audited read).</summary>
    public async Task<Outcome<TreatmentPlan>> GetPlanAsync(PlanId id, UserId by, CancellationToken cancellationToken = default)
    {
        var row = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return new Refusal($"plan {id}: not found.");
        }

        db.Actor = by;
        db.RecordRead(row.PatientId, "plan", id.ToString(), "plan opened");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Outcome<TreatmentPlan>.Ok(StateJson.Deserialize<TreatmentPlan>(row.Document));
    }

    /// <summary>
    /// The physician's titration worklist: active plans whose latest session was discharged after the plan's last dose
    /// decision (prescription, dose change or titration decision), with no session of the plan booked or running since
    /// and sessions left in the course. Lists ids and times only, so it reads no chart and writes no audit event.
    /// </summary>
    public async Task<IReadOnlyList<TitrationDue>> TitrationDueAsync(CancellationToken cancellationToken = default)
    {
        var active = nameof(PlanStatus.Active);
        var plans = await db.Plans.AsNoTracking().Where(p => p.Status == active).ToListAsync(cancellationToken).ConfigureAwait(false);
        var planIds = plans.Select(p => p.Id).ToList();
        var sessions = await db.Sessions.AsNoTracking().Where(s => planIds.Contains(s.PlanId)).ToListAsync(cancellationToken).ConfigureAwait(false);
        var due = new List<TitrationDue>();
        foreach (var row in plans)
        {
            var mine = sessions.Where(s => s.PlanId == row.Id).Select(s => StateJson.Deserialize<InfusionSession>(s.Document)).ToList();
            if (mine.Any(s => s.State is not (SessionState.Discharged or SessionState.Cancelled)))
            {
                continue;
            }

            var last = mine.Where(s => s.State == SessionState.Discharged)
                .Select(s => s.Transitions.Last(t => t.To == SessionState.Discharged).At)
                .DefaultIfEmpty()
                .Max();
            var plan = StateJson.Deserialize<TreatmentPlan>(row.Document);
            var decided = plan.DoseChanges.Select(c => c.At).Concat(plan.TitrationDecisions.Select(d => d.At)).Append(plan.PrescribedAt).Max();
            var given = mine.Count(s => s.State == SessionState.Discharged);
            if (last > decided && given < plan.Protocol.NumberOfSessions)
            {
                due.Add(new TitrationDue(plan.Id, plan.PatientId, last, given));
            }
        }

        return [.. due.OrderBy(d => d.LastDischargedAt)];
    }

    /// <summary>The patient's plans (audited read).</summary>
    public async Task<IReadOnlyList<TreatmentPlan>> PlansAsync(PatientId patientId, UserId by, CancellationToken cancellationToken = default)
    {
        var rows = await db.Plans.AsNoTracking().Where(p => p.PatientId == patientId).ToListAsync(cancellationToken).ConfigureAwait(false);
        db.Actor = by;
        db.RecordRead(patientId, "plan", "*", "plans listed");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => StateJson.Deserialize<TreatmentPlan>(r.Document)).OrderBy(p => p.PrescribedAt)];
    }

    /// <summary>
    /// Applies <paramref name="change"/> (a dose change, a titration decision, closing the plan) to the plan at
    /// <paramref name="expectedVersion"/>; refused on a version conflict or when the change is refused.
    /// </summary>
    public async Task<Outcome<TreatmentPlan>> ChangePlanAsync(PlanId id, long expectedVersion, Func<TreatmentPlan, Outcome> change, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var row = await db.Plans.FirstOrDefaultAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return new Refusal($"plan {id}: not found.");
        }

        if (Conflicts.Check("plan", row.Version, expectedVersion) is { } stale)
        {
            return stale;
        }

        var plan = StateJson.Deserialize<TreatmentPlan>(row.Document);
        var r = change(plan);
        if (!r.IsSuccess)
        {
            db.Entry(row).State = EntityState.Detached;
            return new Refusal(r.Error);
        }

        Write(row, plan);
        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, "plan", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? Outcome<TreatmentPlan>.Ok(plan) : new Refusal(saved.Error);
    }

    /// <summary>
    /// The titration advisor's proposal for the plan's next session, from the plan's given sessions (oldest first),
    /// the patient's current weight and the drug library's limits. Audited as a read of the patient's record.
    /// </summary>
    public async Task<Outcome<Titration.TitrationProposal>> ProposeTitrationAsync(PlanId id, UserId by, CancellationToken cancellationToken = default)
    {
        var proposal = await ComputeProposalAsync(id, cancellationToken).ConfigureAwait(false);
        if (proposal.IsSuccess)
        {
            db.Actor = by;
            db.RecordRead(proposal.Value.Plan.PatientId, "plan", id.ToString(), "titration proposal");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return proposal.IsSuccess ? Outcome<Titration.TitrationProposal>.Ok(proposal.Value.Proposal) : new Refusal(proposal.Error);
    }

    /// <summary>
    /// The physician accepts the advisor's proposal, computed afresh from the stored sessions; the proposal and the
    /// acceptance are stored together in the plan (audited update).
    /// </summary>
    public async Task<Outcome<TreatmentPlan>> AcceptTitrationAsync(PlanId id, long expectedVersion, UserId physician, CancellationToken cancellationToken = default)
    {
        var proposal = await ComputeProposalAsync(id, cancellationToken).ConfigureAwait(false);
        if (!proposal.IsSuccess)
        {
            return new Refusal(proposal.Error);
        }

        var decision = Titration.TitrationDecision.Accept(proposal.Value.Proposal, physician, clock);
        return await ChangePlanAsync(id, expectedVersion, p => p.Apply(decision, clock), physician, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The physician overrides the advisor's proposal (computed afresh from the stored sessions) with another dose and
    /// a reason; refused without a reason or above the maximum. The proposal and the override are stored together.
    /// </summary>
    public async Task<Outcome<TreatmentPlan>> OverrideTitrationAsync(PlanId id, long expectedVersion, DoseLevel dose, string reason, UserId physician, CancellationToken cancellationToken = default)
    {
        var proposal = await ComputeProposalAsync(id, cancellationToken).ConfigureAwait(false);
        if (!proposal.IsSuccess)
        {
            return new Refusal(proposal.Error);
        }

        var decision = Titration.TitrationDecision.Override(proposal.Value.Proposal, dose, reason, physician, clock);
        return decision.IsSuccess
            ? await ChangePlanAsync(id, expectedVersion, p => p.Apply(decision.Value, clock), physician, cancellationToken).ConfigureAwait(false)
            : new Refusal(decision.Error);
    }

    private async Task<ProtocolLibrary> ProtocolsAsync(CancellationToken cancellationToken) =>
        _protocols ??= await new ProtocolService(db, clock).LibraryAsync(cancellationToken).ConfigureAwait(false);

    private async Task<Outcome<(TreatmentPlan Plan, Titration.TitrationProposal Proposal)>> ComputeProposalAsync(PlanId id, CancellationToken cancellationToken)
    {
        var doc = await db.Plans.AsNoTracking().Where(p => p.Id == id).Select(p => p.Document).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (doc is null)
        {
            return new Refusal($"plan {id}: not found.");
        }

        var plan = StateJson.Deserialize<TreatmentPlan>(doc);
        var patient = await LoadPatientAsync(plan.PatientId, cancellationToken).ConfigureAwait(false);
        if (patient is null)
        {
            return new Refusal($"patient {plan.PatientId}: not found.");
        }

        var weight = patient.Snapshot().MeasurementOn(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (!weight.IsSuccess)
        {
            return new Refusal(weight.Error);
        }

        var given = new[] { Sessions.SessionState.Completed, Sessions.SessionState.StoppedEarly, Sessions.SessionState.Recovery, Sessions.SessionState.Discharged }
            .Select(s => s.ToString()).ToList();
        var history = (await db.Sessions.AsNoTracking().Where(s => s.PlanId == id && given.Contains(s.State)).Select(s => s.Document).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(StateJson.Deserialize<Sessions.InfusionSession>)
            .OrderBy(s => s.ScheduledFor)
            .Select(Titration.SessionSummary.From)
            .ToList();
        var proposal = Titration.TitrationAdvisor.Propose(plan.Protocol, _drugs.LimitsFor(plan.Protocol), weight.Value.Weight, plan.CurrentDose, history);
        return Outcome<(TreatmentPlan, Titration.TitrationProposal)>.Ok((plan, proposal));
    }

    private static void Write(PlanRecord row, TreatmentPlan plan)
    {
        row.Status = plan.Status.ToString();
        row.Version = plan.Version;
        row.Document = StateJson.Serialize(plan);
    }

    private async Task<Patient?> LoadPatientAsync(PatientId id, CancellationToken cancellationToken)
    {
        var doc = await db.Patients.AsNoTracking().Where(p => p.Id == id).Select(p => p.Document).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return doc is null ? null : StateJson.Deserialize<Patient>(doc);
    }
}

/// <summary>An active plan waiting for the physician's decision on the next session's dose.</summary>
/// <param name="Plan">The plan.</param>
/// <param name="Patient">Its patient.</param>
/// <param name="LastDischargedAt">When its latest session was discharged (UTC).</param>
/// <param name="SessionsGiven">Sessions of the course given so far.</param>
public sealed record TitrationDue(PlanId Plan, PatientId Patient, DateTimeOffset LastDischargedAt, int SessionsGiven);
