using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;

namespace KetaCare.Clinic.Portal;

/// <summary>The after-effects a patient reports between sessions.</summary>
public enum SideEffectKind
{
    /// <summary>Dissociation, strange feelings or perception changes lasting after the session.</summary>
    Dissociation,

    /// <summary>Nausea or vomiting.</summary>
    Nausea,

    /// <summary>Urinary symptoms: pain or burning, urgency, frequency, blood in the urine (ketamine uropathy warning signs).</summary>
    UrinarySymptoms,

    /// <summary>Low mood, anxiety or changed mood.</summary>
    Mood,
}

/// <summary>
/// A side effect the patient reported in the portal: what, how severe, when. Kept in the chart like any entry (amended,
/// never deleted); <see cref="ChartEntry{T}.RecordedBy"/> is the patient's account.
/// </summary>
/// <param name="At">When the patient noticed it (UTC).</param>
/// <param name="Kind">What.</param>
/// <param name="Severity">Mild, moderate or severe, as the patient judged it.</param>
/// <param name="Note">The patient's words, optional.</param>
public sealed record SideEffectReport(DateTimeOffset At, SideEffectKind Kind, Severity Severity, string? Note);

/// <summary>When the patient answers the pre-visit checklist.</summary>
public enum PreVisitMoment
{
    /// <summary>The day before the session.</summary>
    DayBefore,

    /// <summary>The morning of the session.</summary>
    DayOf,
}

/// <summary>
/// The patient's own answers to the pre-visit checklist for one planned session (the day before or the day of it). The
/// nurse still fills the pre-session checklist on the day (<see cref="Sessions.PreSessionChecklist"/>); these answers are
/// shown beside it and raise tasks (<see cref="PortalAlertRules"/>) when they need a clinician's attention.
/// </summary>
/// <param name="Session">The booked session the answers are for.</param>
/// <param name="SessionDate">The session's date.</param>
/// <param name="Moment">Day before or day of the session.</param>
/// <param name="FastingSince">When the patient last ate (UTC); null when the patient has not fasted (yet).</param>
/// <param name="EscortArranged">An adult will take the patient home.</param>
/// <param name="NewMedications">Medications started since the last session, in the patient's words; null for none.</param>
/// <param name="PossiblyPregnant">True when the patient may be pregnant; null when the question does not apply.</param>
public sealed record PreVisitAnswers(
    SessionId Session,
    DateOnly SessionDate,
    PreVisitMoment Moment,
    DateTimeOffset? FastingSince,
    bool EscortArranged,
    string? NewMedications,
    bool? PossiblyPregnant)
{
    /// <summary>True when the patient says they have not fasted.</summary>
    public bool NotFasted => FastingSince is null;
}

/// <summary>Where a clinician task stands.</summary>
public enum TaskState
{
    /// <summary>Raised, nobody has looked at it.</summary>
    Open,

    /// <summary>A clinician has seen it and is dealing with it.</summary>
    Acknowledged,

    /// <summary>Dealt with; closed with a note.</summary>
    Closed,
}

/// <summary>
/// A task for a clinician raised by a rule of <see cref="PortalAlertRules"/> from the patient's reports. Kept in the
/// patient's chart: acknowledging or closing it amends the entry with the clinician's note, so every step stays.
/// </summary>
/// <param name="Finding">What the rule found: a <c>portal.*</c> code with its parameters, severity and source.</param>
/// <param name="RaisedAt">When the rule raised it (UTC).</param>
/// <param name="Key">What the task is about, so a rule raises it once (the report's entry id, or the session's id).</param>
/// <param name="Responsible">The clinician responsible (the plan's prescriber), or null when the patient has no plan.</param>
/// <param name="State">Open, acknowledged or closed.</param>
/// <param name="Note">The clinician's note of the last step; null while open.</param>
public sealed record ClinicianTask(Finding Finding, DateTimeOffset RaisedAt, string Key, UserId? Responsible, TaskState State, string? Note);
