using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Models;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>
/// Eligibility assessments (immutable, with an optional one-time physician review) and treatment plans. Reads of
/// assessments and plans are audited reads of the patient's record. One instance per unit of work; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock for recorded times.</param>
/// <param name="protocols">The protocol library; when null, the library stored in the database (its latest versions), or the built-in library while none is stored.</param>
/// <param name="drugs">The drug library; when null, the library in force (the clinic's stored thresholds over the built-in one).</param>
public sealed class TreatmentService(KetaCareDbContext db, TimeProvider clock, ProtocolLibrary? protocols = null, DrugLibrary? drugs = null)
{
    private ProtocolLibrary? _protocols = protocols;
    private DrugLibrary? _drugs = drugs;

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
            return Refusal.NotFound("patient", patientId);
        }

        Protocol? intended = null;
        if (intendedProtocolId is not null)
        {
            var p = (await ProtocolsAsync(cancellationToken).ConfigureAwait(false)).Find(intendedProtocolId);
            if (!p.IsSuccess)
            {
                return p.Refusal;
            }

            intended = p.Value;
        }

        if (!patient.Conditions.Active.Any(c => c.Id == conditionId))
        {
            return new Refusal(
                $"condition {conditionId}: no active condition with this id on the patient's chart.",
                [Finding.Refused(FindingCodes.TreatmentConditionNotActive, FindingArg.Of("field", "condition"), FindingArg.Of("id", conditionId.ToString()))]);
        }

        var (investigations, _) = await new SettingsService(db, clock).InvestigationSettingsAsync(cancellationToken).ConfigureAwait(false);
        var assessment = EligibilityAssessment.Run(patient.Snapshot(), conditionId, by, clock, intended, EligibilitySettings.Default with { Investigations = investigations });
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
        return saved.IsSuccess ? Outcome<EligibilityAssessment>.Ok(assessment) : saved.Refusal;
    }

    /// <summary>Records a physician's review of an assessment that needed one; written once, never changed.</summary>
    public async Task<Outcome<PhysicianReview>> ReviewAsync(AssessmentId id, bool approved, string reason, UserId physician, CancellationToken cancellationToken = default)
    {
        var row = await db.Assessments.FirstOrDefaultAsync(a => a.Id == id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return Refusal.NotFound("assessment", id);
        }

        if (row.ReviewDocument is not null)
        {
            return new Refusal(
                $"assessment {id}: already reviewed; run a new assessment for a new decision.",
                [Finding.Refused(FindingCodes.ReviewAlreadyDone, FindingArg.Of("field", "assessment"), FindingArg.Of("id", id.ToString()))]);
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
        return saved.IsSuccess ? review : saved.Refusal;
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

    /// <summary>
    /// The preview of a prescription on today's chart: the first and the highest planned session, checked against the
    /// drug library in force and simulated once each. The page, the API and the CLI show this one preview, and
    /// <see cref="PrescribeAsync(PrescriptionRequest, string?, UserId, CancellationToken)"/> checks against it.
    /// </summary>
    public async Task<Outcome<PlanPreview>> PreviewAsync(PrescriptionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var patient = await LoadPatientAsync(request.Patient, cancellationToken).ConfigureAwait(false);
        if (patient is null)
        {
            return Refusal.NotFound("patient", request.Patient);
        }

        var protocol = (await ProtocolsAsync(cancellationToken).ConfigureAwait(false)).Find(request.ProtocolId);
        if (!protocol.IsSuccess)
        {
            return protocol.Refusal;
        }

        var model = ModelLibrary.Get(request.ModelId, "model");
        if (!model.IsSuccess)
        {
            return Refusal.From(model);
        }

        var drugs = await DrugsAsync(cancellationToken).ConfigureAwait(false);
        var preparation = request.PreparationId is { } pid ? drugs.Preparation(pid) : Outcome<Preparation>.Ok(DefaultPreparation(drugs, protocol.Value));
        if (!preparation.IsSuccess)
        {
            return preparation.Refusal;
        }

        var start = request.StartDose ?? protocol.Value.Start;
        if (!start.SameBasis(protocol.Value.Start))
        {
            return Refusal.Coded(FindingCodes.StartDoseUnit, FindingArg.Of("value", start.ToString()), FindingArg.Of("unit", protocol.Value.Start.ToString()));
        }

        if (start.Value <= 0)
        {
            return Refusal.Coded(FindingCodes.DoseNotPositive, FindingArg.Of("field", "startDose"));
        }

        return PlanPreview.Build(patient.Snapshot(), ClinicDay(), protocol.Value, model.Value, preparation.Value, start, drugs);
    }

    /// <summary>
    /// Prescribes a plan through the dose check, by construction: the preview's first session is checked against the
    /// drug library in force; a hard limit refuses; soft limits and a first dose above the protocol's start dose
    /// ("start low") need the prescribing physician's reason, recorded with the plan in the same transaction.
    /// </summary>
    /// <param name="request">Patient, protocol, model, preparation and start dose.</param>
    /// <param name="overrideReason">The physician's reason for every finding that needs an override; null when none is given.</param>
    /// <param name="physician">The prescriber.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<Outcome<TreatmentPlan>> PrescribeAsync(PrescriptionRequest request, string? overrideReason, UserId physician, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var preview = await PreviewAsync(request, cancellationToken).ConfigureAwait(false);
        if (!preview.IsSuccess)
        {
            return preview.Refusal;
        }

        var p = preview.Value;
        var check = p.First.Check;
        var reason = string.IsNullOrWhiteSpace(overrideReason) ? null : overrideReason.Trim();
        var reasons = reason is null ? null : check.SoftFindings.Select(f => f.LimitId).Distinct(StringComparer.Ordinal).ToDictionary(x => x, _ => reason, StringComparer.Ordinal);
        var authorized = DoseAuthorization.Authorize(check, reasons, physician, clock);
        if (!authorized.IsSuccess)
        {
            return authorized.Refusal;
        }

        var overrides = authorized.Value.Overrides.ToList();
        if (p.First.Dose > p.Protocol.Start)
        {
            // "Start low": a first session above the protocol's start dose needs the physician's reason.
            if (reason is null)
            {
                return Refusal.Of(Finding.Of(FindingCodes.FirstSessionAboveStart, FindingSeverity.NeedsOverride, p.Protocol.Sources[0],
                    FindingArg.Of("value", p.First.Dose.Value, TreatmentPlan.UnitOf(p.First.Dose)), FindingArg.Of("limit", p.Protocol.Start.Value, TreatmentPlan.UnitOf(p.First.Dose))));
            }

            overrides.Add(new LimitOverride(FindingCodes.FirstSessionAboveStart, reason, physician, clock.GetUtcNow()));
        }

        var patient = await LoadPatientAsync(request.Patient, cancellationToken).ConfigureAwait(false);

        // The protocol's premedication and rescue orders are prescribed with the plan: hard limits refuse; soft limits and
        // a sedative order for a patient on a sedative need the same reason.
        var orders = AncillaryDrugs.CheckOrders(p.Protocol.AncillaryOrders, (await DrugsAsync(cancellationToken).ConfigureAwait(false)).Ancillary, patient!.Snapshot().Medications);
        if (orders.Any(f => f.Severity == FindingSeverity.HardStop))
        {
            return Refusal.Of(orders.Where(f => f.Severity == FindingSeverity.HardStop));
        }

        var orderOverrides = orders.Where(f => f.Severity == FindingSeverity.NeedsOverride).ToList();
        if (orderOverrides.Count > 0)
        {
            if (reason is null)
            {
                return Refusal.Of(orderOverrides);
            }

            overrides.AddRange(orderOverrides.Select(f => f.Code).Distinct(StringComparer.Ordinal).Select(code => new LimitOverride(code, reason, physician, clock.GetUtcNow())));
        }

        var plan = TreatmentPlan.Prescribe(patient!.Snapshot(), p.Protocol, p.Model.Id, p.Preparation, p.First.Dose, physician, clock);
        if (!plan.IsSuccess)
        {
            return plan;
        }

        if (overrides.Count > 0)
        {
            var recorded = plan.Value.RecordPrescriptionOverrides(overrides, physician, clock);
            if (!recorded.IsSuccess)
            {
                return recorded.Refusal;
            }
        }

        var row = new PlanRecord { Id = plan.Value.Id, PatientId = request.Patient, ProtocolId = p.Protocol.Id };
        Write(row, plan.Value);
        db.Plans.Add(row);
        db.Actor = physician;
        var saved = await Conflicts.SaveAsync(db, "plan", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? plan : saved.Refusal;
    }

    /// <summary>Prescribes with no override reason (refused when the dose check finds anything that needs one).</summary>
    public Task<Outcome<TreatmentPlan>> PrescribeAsync(PatientId patientId, string protocolId, string modelId, string preparationId, DoseLevel startDose, UserId physician, CancellationToken cancellationToken = default) =>
        PrescribeAsync(new PrescriptionRequest(patientId, protocolId, modelId, preparationId, startDose), null, physician, cancellationToken);

    /// <summary>A bag for an infusion, a vial for an injection or spray; always one the route may use.</summary>
    public static Preparation DefaultPreparation(DrugLibrary drugs, Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(drugs);
        ArgumentNullException.ThrowIfNull(protocol);
        var preferred = protocol.IsInfusion ? ContainerKind.Bag : ContainerKind.Vial;
        return drugs.Preparations.Where(x => DrugLibrary.CheckPreparation(x, protocol.Route).IsSuccess).OrderBy(x => x.Kind == preferred ? 0 : 1).First();
    }

    /// <summary>A plan (audited read).</summary>
    public async Task<Outcome<TreatmentPlan>> GetPlanAsync(PlanId id, UserId by, CancellationToken cancellationToken = default)
    {
        var row = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return Refusal.NotFound("plan", id);
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
            return Refusal.NotFound("plan", id);
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
            return r.Refusal;
        }

        Write(row, plan);
        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, "plan", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? Outcome<TreatmentPlan>.Ok(plan) : saved.Refusal;
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

        return proposal.IsSuccess ? Outcome<Titration.TitrationProposal>.Ok(proposal.Value.Proposal) : proposal.Refusal;
    }

    /// <summary>
    /// The individualised proposal beside the advisor's (<see cref="Analytics.Individualisation"/>): the patient's
    /// dissociation and relief EC50 from all their sessions and the highest rate whose cautious predicted CADSS stays
    /// at the clinic's CADSS alert threshold, within the advisor's maximum. Advisory: a physician takes it through
    /// <see cref="OverrideTitrationAsync"/> with a reason. Audited as a read of the patient's record.
    /// </summary>
    public async Task<Outcome<Analytics.IndividualProposal>> IndividualiseAsync(PlanId id, UserId by, CancellationToken cancellationToken = default)
    {
        var proposal = await ComputeProposalAsync(id, cancellationToken).ConfigureAwait(false);
        if (!proposal.IsSuccess)
        {
            return proposal.Refusal;
        }

        var plan = proposal.Value.Plan;
        var patient = await LoadPatientAsync(plan.PatientId, cancellationToken).ConfigureAwait(false);
        var covariates = patient!.Snapshot().CovariatesOn(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        var model = Pharmacology.Models.ModelLibrary.Get(plan.ModelId);
        if (!covariates.IsSuccess || !model.IsSuccess)
        {
            return covariates.IsSuccess ? Refusal.From(model) : covariates.Refusal;
        }

        var sessions = (await db.Sessions.AsNoTracking().Where(s => s.PatientId == plan.PatientId).Select(s => s.Document).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(StateJson.Deserialize<Sessions.InfusionSession>).ToList();
        var (alerts, _) = await new SettingsService(db, clock).AlertThresholdsAsync(cancellationToken).ConfigureAwait(false);
        db.Actor = by;
        db.RecordRead(plan.PatientId, "plan", id.ToString(), "individualised proposal");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Analytics.Individualisation.Propose(sessions, plan.Protocol, model.Value, covariates.Value, proposal.Value.Proposal.MaximumDose, alerts.CadssAbove);
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
            return proposal.Refusal;
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
            return proposal.Refusal;
        }

        var decision = Titration.TitrationDecision.Override(proposal.Value.Proposal, dose, reason, physician, clock);
        return decision.IsSuccess
            ? await ChangePlanAsync(id, expectedVersion, p => p.Apply(decision.Value, clock), physician, cancellationToken).ConfigureAwait(false)
            : decision.Refusal;
    }

    private async Task<DrugLibrary> DrugsAsync(CancellationToken cancellationToken) =>
        _drugs ??= await new SettingsService(db, clock).DrugLibraryAsync(cancellationToken).ConfigureAwait(false);

    // "Today" of the clinic for dating a preview: the UTC date of the injected clock, as the plan's consent check uses.
    private DateOnly ClinicDay() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private async Task<ProtocolLibrary> ProtocolsAsync(CancellationToken cancellationToken) =>
        _protocols ??= await new ProtocolService(db, clock).LibraryAsync(cancellationToken).ConfigureAwait(false);

    private async Task<Outcome<(TreatmentPlan Plan, Titration.TitrationProposal Proposal)>> ComputeProposalAsync(PlanId id, CancellationToken cancellationToken)
    {
        var doc = await db.Plans.AsNoTracking().Where(p => p.Id == id).Select(p => p.Document).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (doc is null)
        {
            return Refusal.NotFound("plan", id);
        }

        var plan = StateJson.Deserialize<TreatmentPlan>(doc);
        var patient = await LoadPatientAsync(plan.PatientId, cancellationToken).ConfigureAwait(false);
        if (patient is null)
        {
            return Refusal.NotFound("patient", plan.PatientId);
        }

        var snapshot = patient.Snapshot();
        var covariates = snapshot.CovariatesOn(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (!covariates.IsSuccess)
        {
            return covariates.Refusal;
        }

        // The advisor's mg/h caps convert with the weight the doses are given on.
        var weight = DosingWeights.For(plan.Protocol.DosingWeight, covariates.Value);
        if (!weight.IsSuccess)
        {
            return weight.Refusal;
        }

        var given = new[] { Sessions.SessionState.Completed, Sessions.SessionState.StoppedEarly, Sessions.SessionState.Recovery, Sessions.SessionState.Discharged }
            .Select(s => s.ToString()).ToList();
        var sessionsGiven = (await db.Sessions.AsNoTracking().Where(s => s.PlanId == id && given.Contains(s.State)).Select(s => s.Document).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(StateJson.Deserialize<Sessions.InfusionSession>)
            .OrderBy(s => s.ScheduledFor)
            .ToList();
        var history = sessionsGiven.Select(Titration.SessionSummary.From).ToList();
        var drugs = await DrugsAsync(cancellationToken).ConfigureAwait(false);
        var proposal = Titration.TitrationAdvisor.Propose(plan.Protocol, drugs.LimitsFor(plan.Protocol, snapshot.HasRaisedPressure), weight.Value, plan.CurrentDose, history, null, Outcomes.OutcomeAnalysis.BetweenSessions(patient, sessionsGiven));
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

/// <summary>What a prescription is for: the patient, protocol, PK model, preparation and first dose, as typed values.</summary>
/// <param name="Patient">The patient.</param>
/// <param name="ProtocolId">Protocol id from the library.</param>
/// <param name="ModelId">PK model for predictions.</param>
/// <param name="PreparationId">Preparation id from the drug library; null for the protocol's default (a bag for infusions, a vial otherwise).</param>
/// <param name="StartDose">First session's dose; null for the protocol's start dose.</param>
public sealed record PrescriptionRequest(PatientId Patient, string ProtocolId, string ModelId, string? PreparationId, DoseLevel? StartDose);

/// <summary>An active plan waiting for the physician's decision on the next session's dose.</summary>
/// <param name="Plan">The plan.</param>
/// <param name="Patient">Its patient.</param>
/// <param name="LastDischargedAt">When its latest session was discharged (UTC).</param>
/// <param name="SessionsGiven">Sessions of the course given so far.</param>
public sealed record TitrationDue(PlanId Plan, PatientId Patient, DateTimeOffset LastDischargedAt, int SessionsGiven);
