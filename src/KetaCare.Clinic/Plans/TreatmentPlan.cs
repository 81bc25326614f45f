using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Plans;

/// <summary>Status of a plan. Plans are never deleted.</summary>
public enum PlanStatus
{
    /// <summary>In use.</summary>
    Active,

    /// <summary>Course finished.</summary>
    Completed,

    /// <summary>Stopped before the end, with a reason.</summary>
    Discontinued,

    /// <summary>Created by mistake, with a reason; kept for history.</summary>
    EnteredInError,
}

/// <summary>
/// A physician's prescription of a protocol for a patient. Aggregate with <see cref="Version"/> for optimistic
/// concurrency. Role checks (that the prescriber is a physician) belong to the application layer.
/// </summary>
public sealed class TreatmentPlan
{
    // Findings: the reason as codes a face translates; null on entries stored before reasons were coded.
    private readonly List<(DoseLevel Dose, string Reason, UserId By, DateTimeOffset At, IReadOnlyList<Finding>? Findings)> _doseChanges = [];

    // The status reason as codes; null when the status never changed, or changed before reasons were coded.
    private IReadOnlyList<Finding>? _statusFindings;

    // Added after the first stored plans: a document without it restores it as null, read as no decisions.
    private List<Titration.TitrationDecision>? _titrationDecisions = [];

    private TreatmentPlan(PatientId patientId, Protocol protocol, string modelId, Preparation preparation, DoseLevel start, UserId by, DateTimeOffset at)
    {
        Id = PlanId.New();
        PatientId = patientId;
        Protocol = protocol;
        ModelId = modelId;
        Preparation = preparation;
        StartDose = start;
        CurrentDose = start;
        PrescribedBy = by;
        PrescribedAt = at;
    }

    /// <summary>Id.</summary>
    public PlanId Id { get; }

    /// <summary>Patient.</summary>
    public PatientId PatientId { get; }

    /// <summary>The protocol, at the version prescribed.</summary>
    public Protocol Protocol { get; }

    /// <summary>Route (the protocol's).</summary>
    public Route Route => Protocol.Route;

    /// <summary>PK model id for predictions (e.g. "domino1984").</summary>
    public string ModelId { get; }

    /// <summary>Bag, syringe or vial.</summary>
    public Preparation Preparation { get; }

    /// <summary>First session's dose.</summary>
    public DoseLevel StartDose { get; }

    /// <summary>Dose for the next session (changed by accepted titration decisions).</summary>
    public DoseLevel CurrentDose { get; private set; }

    /// <summary>Prescribing physician.</summary>
    public UserId PrescribedBy { get; }

    /// <summary>When prescribed (UTC).</summary>
    public DateTimeOffset PrescribedAt { get; }

    /// <summary>Status.</summary>
    public PlanStatus Status { get; private set; } = PlanStatus.Active;

    /// <summary>Reason for the last status change, in English (the findings' canonical form for a titration decision).</summary>
    public string? StatusReason { get; private set; }

    /// <summary>
    /// The reason for the last status change as coded findings for a face to translate; empty when the status was
    /// changed before reasons were coded (then <see cref="StatusReason"/> is the only, English, text).
    /// </summary>
    public IReadOnlyList<Finding> StatusFindings => _statusFindings ?? [];

    /// <summary>Concurrency version.</summary>
    public long Version { get; private set; } = 1;

    /// <summary>
    /// Every change of the next-session dose, with its reason: an English text (for logs, the CLI and the API) and the
    /// same reason as coded findings that faces translate. Findings are null on changes stored before reasons were
    /// coded; their English text is then all there is.
    /// </summary>
    public IReadOnlyList<(DoseLevel Dose, string Reason, UserId By, DateTimeOffset At, IReadOnlyList<Finding>? Findings)> DoseChanges => _doseChanges;

    /// <summary>
    /// Every titration decision applied to the plan, whole: the advisor's proposal (action, proposed dose, maximum,
    /// reasons, source) with the physician's acceptance or override (dose, reason, who, when), oldest first.
    /// </summary>
    public IReadOnlyList<Titration.TitrationDecision> TitrationDecisions => _titrationDecisions ??= [];

    /// <summary>
    /// Prescribes a plan. Refused without a valid off-label consent on the day, for an unknown model, a start dose
    /// in another unit or above the protocol's ceiling, or a preparation the route cannot use.
    /// </summary>
    public static Outcome<TreatmentPlan> Prescribe(PatientSnapshot patient, Protocol protocol, string modelId, Preparation preparation, DoseLevel startDose, UserId physician, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(preparation);
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (!patient.HasValidOffLabelConsent(today))
        {
            return new Refusal("consent: informed consent for off-label ketamine must be recorded before a plan starts (FDA approval is as an anaesthetic only).", [Finding.Refused(FindingCodes.PlanConsentMissing, FindingArg.Of("field", "consent"))]);
        }

        var model = ModelLibrary.Get(modelId, "model");
        if (!model.IsSuccess)
        {
            return Refusal.From(model);
        }

        if (!startDose.SameBasis(protocol.Start))
        {
            return Refusal.Coded(FindingCodes.StartDoseUnit, FindingArg.Of("value", startDose.ToString()), FindingArg.Of("unit", protocol.Start.ToString()));
        }

        if (startDose.Value <= 0)
        {
            return Refusal.Coded(FindingCodes.DoseNotPositive, FindingArg.Of("field", "startDose"));
        }

        if (startDose > protocol.Ceiling)
        {
            return Refusal.Coded(FindingCodes.StartAboveCeiling, FindingArg.Of("value", startDose.Value, UnitOf(startDose)), FindingArg.Of("limit", protocol.Ceiling.Value, UnitOf(startDose)));
        }

        var prep = DrugLibrary.CheckPreparation(preparation, protocol.Route);
        return prep.IsSuccess
            ? Outcome<TreatmentPlan>.Ok(new TreatmentPlan(patient.Id, protocol, model.Value.Id, preparation, startDose, physician, now))
            : prep.Refusal;
    }

    /// <summary>"mg/kg/h", "mg/kg" or "mg": the unit of a dose level.</summary>
    public static string UnitOf(DoseLevel dose) => dose.Basis switch
    {
        DoseBasis.MgPerKgPerHour => "mg/kg/h",
        DoseBasis.MgPerKg => "mg/kg",
        _ => "mg",
    };

    /// <summary>
    /// Records, on a plan being prescribed (not yet stored), the soft-limit overrides its start dose needed: one dose
    /// history entry with the start dose and the reasons, written with the plan itself (version stays 1).
    /// </summary>
    internal Outcome RecordPrescriptionOverrides(IReadOnlyList<Dosing.LimitOverride> overrides, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(clock);
        if (Version != 1 || _doseChanges.Count > 0)
        {
            return new Refusal("plan: overrides at prescription are recorded only when the plan is prescribed.", [Finding.Refused(FindingCodes.PlanOverridesNotAtPrescription, FindingArg.Of("field", "plan"))]);
        }

        if (overrides.Count == 0 || overrides.Any(o => string.IsNullOrWhiteSpace(o.Reason)))
        {
            return new Refusal("reason: every soft-limit override needs a reason.", [Finding.Refused(FindingCodes.PlanOverrideReasonMissing, FindingArg.Of("field", "reason"))]);
        }

        foreach (var o in overrides)
        {
            if (Patients.ChartInput.Reason(o.Reason) is { IsSuccess: false } badReason)
            {
                return badReason.Refusal;
            }
        }

        IReadOnlyList<Finding> findings = [Finding.Of(FindingCodes.PlanAboveSoftLimit, FindingSeverity.Info, null),
            .. overrides.Select(o => Finding.Of(FindingCodes.PlanSoftLimitOverride, FindingSeverity.Info, null, FindingArg.Of("limit", o.LimitId), FindingArg.Of("reason", o.Reason.Trim())))];
        _doseChanges.Add((StartDose, "prescribed above soft limit: " + string.Join("; ", overrides.Select(o => $"{o.LimitId} — {o.Reason.Trim()}")), by, clock.GetUtcNow(), findings));
        return Outcome.Ok();
    }

    /// <summary>Sets the next session's dose (from an accepted or overridden titration decision); never above the ceiling.</summary>
    public Outcome SetNextDose(DoseLevel dose, string reason, UserId by, TimeProvider clock) => SetNextDose(dose, reason, null, by, clock);

    private Outcome SetNextDose(DoseLevel dose, string reason, IReadOnlyList<Finding>? findings, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (Status != PlanStatus.Active)
        {
            return new Refusal(
                $"plan: status is {Status}; only an active plan's dose can change.",
                [Finding.Refused(FindingCodes.PlanNotActive, FindingArg.Of("field", "plan"), FindingArg.Of("status", Status.ToString()))]);
        }

        if (!dose.SameBasis(Protocol.Ceiling) || dose > Protocol.Ceiling)
        {
            return new Refusal(
                $"dose: {dose} is above the protocol's ceiling {Protocol.Ceiling} or in another unit.",
                [Finding.Refused(FindingCodes.PlanDoseAboveCeiling, FindingArg.Of("field", "dose"), dose.Arg("value"), Protocol.Ceiling.Arg("limit"))]);
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Refusal("reason: a dose change needs a reason.", [Finding.Refused(FindingCodes.PlanDoseChangeReasonMissing, FindingArg.Of("field", "reason"))]);
        }

        if (Patients.ChartInput.Reason(reason) is { IsSuccess: false } badReason)
        {
            return badReason.Refusal;
        }

        CurrentDose = dose;
        _doseChanges.Add((dose, reason.Trim(), by, clock.GetUtcNow(), findings));
        Version++;
        return Outcome.Ok();
    }

    /// <summary>
    /// Applies a titration decision: the chosen dose becomes the next session's dose (reason: the proposal's reasons,
    /// or the override reason); a decision without a dose closes the plan (completed course or stopped). The decision
    /// is kept whole in <see cref="TitrationDecisions"/>.
    /// </summary>
    public Outcome Apply(Titration.TitrationDecision decision, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(clock);
        IReadOnlyList<Finding> findings = decision.Overridden
            ? [Finding.Of(FindingCodes.PlanTitrationOverridden, FindingSeverity.Info, null, FindingArg.Of("reason", decision.Reason ?? string.Empty))]
            : [Finding.Of(FindingCodes.PlanTitrationAccepted, FindingSeverity.Info, null), .. decision.Proposal.Findings];
        var reason = decision.Overridden ? "titration override: " + decision.Reason : "titration accepted: " + string.Join(" ", decision.Proposal.Findings);
        var applied = decision.Dose is { } dose
            ? SetNextDose(dose, reason, findings, decision.By, clock)
            : Close(decision.Proposal.Action == Titration.TitrationAction.CourseComplete ? PlanStatus.Completed : PlanStatus.Discontinued, reason, findings);
        if (applied.IsSuccess)
        {
            (_titrationDecisions ??= []).Add(decision);
        }

        return applied;
    }

    /// <summary>Ends the plan: completed, discontinued or entered-in-error, always with a reason.</summary>
    public Outcome Close(PlanStatus status, string reason) => Close(status, reason, null);

    private Outcome Close(PlanStatus status, string reason, IReadOnlyList<Finding>? findings)
    {
        if (status == PlanStatus.Active || Status != PlanStatus.Active)
        {
            return new Refusal(
                $"plan: cannot change status from {Status} to {status}.",
                [Finding.Refused(FindingCodes.PlanStatusChange, FindingArg.Of("field", "plan"), FindingArg.Of("from", Status.ToString()), FindingArg.Of("to", status.ToString()))]);
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Refusal("reason: closing a plan needs a reason.", [Finding.Refused(FindingCodes.PlanCloseReasonMissing, FindingArg.Of("field", "reason"))]);
        }

        if (Patients.ChartInput.Reason(reason) is { IsSuccess: false } badReason)
        {
            return badReason.Refusal;
        }

        Status = status;
        StatusReason = reason.Trim();
        _statusFindings = findings;
        Version++;
        return Outcome.Ok();
    }
}
