using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Sessions;

/// <summary>Adverse event types seen with ketamine (clinical-reference: Adverse effects (adverse-effects)).</summary>
public enum AdverseEventType
{
    /// <summary>Psychomimetic effects or dissociation.</summary>
    PsychomimeticOrDissociation,

    /// <summary>Nausea or vomiting.</summary>
    NauseaVomiting,

    /// <summary>Hypertension.</summary>
    Hypertension,

    /// <summary>Tachycardia.</summary>
    Tachycardia,

    /// <summary>Sedation.</summary>
    Sedation,

    /// <summary>Respiratory depression or desaturation.</summary>
    RespiratoryDepression,

    /// <summary>Diplopia or nystagmus.</summary>
    DiplopiaNystagmus,

    /// <summary>Vivid dreams.</summary>
    VividDreams,

    /// <summary>Hepatotoxicity (liver test rise).</summary>
    Hepatotoxicity,

    /// <summary>Lower-urinary-tract symptoms.</summary>
    UrinaryTract,

    /// <summary>Other.</summary>
    Other,
}

/// <summary>Action taken for an adverse event.</summary>
public enum AdverseEventAction
{
    /// <summary>None.</summary>
    None,

    /// <summary>Infusion rate reduced.</summary>
    RateReduced,

    /// <summary>Infusion paused.</summary>
    Paused,

    /// <summary>Infusion stopped.</summary>
    Stopped,

    /// <summary>Treatment given (e.g. antiemetic, benzodiazepine).</summary>
    TreatmentGiven,
}

/// <summary>Outcome of an adverse event.</summary>
public enum AdverseEventOutcome
{
    /// <summary>Resolved.</summary>
    Resolved,

    /// <summary>Resolving.</summary>
    Resolving,

    /// <summary>Not resolved.</summary>
    NotResolved,

    /// <summary>Resolved with sequelae.</summary>
    ResolvedWithSequelae,

    /// <summary>Fatal.</summary>
    Fatal,

    /// <summary>Unknown.</summary>
    Unknown,
}

/// <summary>An adverse event, linked to its session and to the rate segment running at onset.</summary>
public sealed record AdverseEvent
{
    private AdverseEvent()
    {
    }

    /// <summary>Type.</summary>
    public AdverseEventType Type { get; private init; }

    /// <summary>CTCAE grade 1–5 (1 mild … 5 death).</summary>
    public int Grade { get; private init; }

    /// <summary>Serious adverse event (regulatory seriousness, separate from grade).</summary>
    public bool Serious { get; private init; }

    /// <summary>Action taken.</summary>
    public AdverseEventAction Action { get; private init; }

    /// <summary>Outcome.</summary>
    public AdverseEventOutcome Outcome { get; private init; }

    /// <summary>Onset (UTC).</summary>
    public DateTimeOffset OnsetAt { get; private init; }

    /// <summary>Description.</summary>
    public string Description { get; private init; } = string.Empty;

    /// <summary>The session.</summary>
    public SessionId SessionId { get; private init; }

    /// <summary>Index of the rate segment running at onset, or null when none was (before start or after the end).</summary>
    public int? SegmentIndex { get; private init; }

    /// <summary>Creates an event; grade must be 1–5 and a grade-5 event is fatal and serious.</summary>
    internal static Outcome<AdverseEvent> Create(SessionId session, int? segment, AdverseEventType type, int grade, bool serious, AdverseEventAction action, AdverseEventOutcome outcome, DateTimeOffset onsetAt, string description)
    {
        if (grade is < 1 or > 5)
        {
            return Refusal.OutOfRange("CTCAE grade", grade, 1, 5);
        }

        if (grade == 5 && (outcome != AdverseEventOutcome.Fatal || !serious))
        {
            return new Refusal("CTCAE grade: grade 5 is death; the outcome must be Fatal and the event serious.", [Finding.Refused(FindingCodes.AdverseEventGrade5NotFatal, FindingArg.Of("field", "CTCAE grade"))]);
        }

        if (outcome == AdverseEventOutcome.Fatal && grade != 5)
        {
            return new Refusal("outcome: a fatal outcome is CTCAE grade 5.", [Finding.Refused(FindingCodes.AdverseEventFatalNotGrade5, FindingArg.Of("field", "outcome"))]);
        }

        if (Patients.ChartInput.Text(description, "description", Patients.ChartInput.MaxNoteLength, multiline: true) is { IsSuccess: false } badDescription)
        {
            return badDescription.Refusal;
        }

        return Outcome<AdverseEvent>.Ok(new AdverseEvent
        {
            SessionId = session,
            SegmentIndex = segment,
            Type = type,
            Grade = grade,
            Serious = serious,
            Action = action,
            Outcome = outcome,
            OnsetAt = onsetAt,
            Description = description?.Trim() ?? string.Empty,
        });
    }
}
