using System.Globalization;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;

namespace KetaCare.Clinic.Portal;

/// <summary>
/// The clinic's rules for turning patient reports into clinician tasks (a clinic setting, versioned like the alert
/// thresholds). Every value is an assumption of the clinic, not a clinical source: the defaults ask a clinician to look
/// at anything that may stop or change the next session.
/// </summary>
public sealed record PortalAlertSettings
{
    /// <summary>The built-in defaults (version 0).</summary>
    public static PortalAlertSettings Default { get; } = new();

    /// <summary>A side effect the patient calls severe raises a task.</summary>
    public bool SevereSideEffect { get; init; } = true;

    /// <summary>Any urinary symptom raises a task, whatever its severity (ketamine uropathy starts with them).</summary>
    public bool AnyUrinarySymptom { get; init; } = true;

    /// <summary>
    /// A diary pain score at or above this percentage of the baseline raises a task ("pain is back"); 0 turns the rule
    /// off. Allowed 0 or 50–100.
    /// </summary>
    public int PainReturnPercent { get; init; } = 80;

    /// <summary>
    /// Hour of the session day (clinic time, 0–23) by which the patient should have answered the pre-visit checklist;
    /// none by then raises a task. -1 turns the rule off.
    /// </summary>
    public int ChecklistDueHour { get; init; } = 7;

    /// <summary>A checklist answered "not fasted" on the session day, or "no escort", raises a task.</summary>
    public bool NotFastedOrNoEscort { get; init; } = true;

    /// <summary>Where the rules come from.</summary>
    public Source Source { get; init; } = Source.Assumption("portal alert rules: the clinic's own policy for patient reports; not set by the cited sources");

    /// <summary>Range checks; the refusal names the field and its allowed range.</summary>
    public Outcome Validate()
    {
        if (PainReturnPercent is not 0 and (< 50 or > 100))
        {
            return Refusal.OutOfRange("painReturnPercent", PainReturnPercent, 50, 100);
        }

        return ChecklistDueHour is < -1 or > 23 ? Refusal.OutOfRange("checklistDueHour", ChecklistDueHour, -1, 23) : Outcome.Ok();
    }
}

/// <summary>
/// The rules that raise clinician tasks from patient reports, each returning the findings to raise (empty: none). Pure:
/// the caller (<see cref="Services.PortalService"/>) stores the report and its tasks in one save.
/// </summary>
public static class PortalAlertRules
{
    /// <summary>The token a finding names a side effect by ("urinary symptoms"); the faces translate tokens.</summary>
    public static string KindToken(SideEffectKind kind) => kind switch
    {
        SideEffectKind.Dissociation => "dissociation",
        SideEffectKind.Nausea => "nausea",
        SideEffectKind.UrinarySymptoms => "urinary symptoms",
        SideEffectKind.Mood => "mood change",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a side effect kind."),
    };

    /// <summary>The findings a side-effect report raises (kind and severity as tokens: "nausea", "severe").</summary>
    public static IReadOnlyList<Finding> SideEffect(SideEffectReport report, PortalAlertSettings settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(settings);
        var found = new List<Finding>();
        var kind = FindingArg.Of("kind", KindToken(report.Kind));
        var severity = FindingArg.Of("severity", report.Severity.ToString().ToLowerInvariant());
        if (settings.AnyUrinarySymptom && report.Kind == SideEffectKind.UrinarySymptoms)
        {
            found.Add(Finding.Of(FindingCodes.PortalUrinarySymptom, FindingSeverity.Warning, settings.Source, severity));
        }
        else if (settings.SevereSideEffect && report.Severity == Severity.Severe)
        {
            found.Add(Finding.Of(FindingCodes.PortalSevereSideEffect, FindingSeverity.Warning, settings.Source, kind, severity));
        }

        return found;
    }

    /// <summary>
    /// The findings a diary pain score raises: pain at or above <see cref="PortalAlertSettings.PainReturnPercent"/> of the
    /// baseline. No baseline (no session scored yet) or a baseline of 0 raises nothing.
    /// </summary>
    public static IReadOnlyList<Finding> Pain(int nrs, int? baseline, PortalAlertSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.PainReturnPercent == 0 || baseline is not { } b || b <= 0)
        {
            return [];
        }

        // Whole numbers: nrs / b ≥ p / 100 without rounding.
        return nrs * 100 >= settings.PainReturnPercent * b
            ? [Finding.Of(FindingCodes.PortalPainReturned, FindingSeverity.Warning, settings.Source, FindingArg.Of("nrs", nrs), FindingArg.Of("baseline", b), FindingArg.Of("percent", settings.PainReturnPercent, "%"))]
            : [];
    }

    /// <summary>
    /// The findings a pre-visit checklist raises: not fasted on the session day, no escort, possibly pregnant, new
    /// medications. "Not fasted" the day before is expected and raises nothing.
    /// </summary>
    public static IReadOnlyList<Finding> PreVisit(PreVisitAnswers answers, PortalAlertSettings settings)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(settings);
        var date = FindingArg.Of("date", answers.SessionDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var found = new List<Finding>();
        if (settings.NotFastedOrNoEscort && answers.Moment == PreVisitMoment.DayOf && answers.NotFasted)
        {
            found.Add(Finding.Of(FindingCodes.PortalNotFasted, FindingSeverity.Warning, settings.Source, date));
        }

        if (settings.NotFastedOrNoEscort && !answers.EscortArranged)
        {
            found.Add(Finding.Of(FindingCodes.PortalNoEscort, FindingSeverity.Warning, settings.Source, date));
        }

        // Pregnancy and new medications are hard questions for the session whatever the clinic's settings (Cohen 2018:
        // pregnancy — avoid; interactions are screened by the pre-session checklist).
        if (answers.PossiblyPregnant == true)
        {
            found.Add(Finding.Of(FindingCodes.PortalPossiblyPregnant, FindingSeverity.Warning, Source.Cohen2018, date));
        }

        if (!string.IsNullOrWhiteSpace(answers.NewMedications))
        {
            found.Add(Finding.Of(FindingCodes.PortalNewMedications, FindingSeverity.Info, settings.Source, date, FindingArg.Of("text", answers.NewMedications.Trim())));
        }

        return found;
    }

    /// <summary>
    /// The finding for a booked session whose pre-visit checklist is still missing at <paramref name="now"/>: none when
    /// the rule is off, when it is not yet <paramref name="dueAt"/>, or when the patient answered.
    /// </summary>
    /// <param name="sessionDate">The session's date.</param>
    /// <param name="answered">True when the patient answered the checklist for the session (either moment).</param>
    /// <param name="dueAt">The session day at <see cref="PortalAlertSettings.ChecklistDueHour"/>, clinic time, as UTC.</param>
    /// <param name="now">Now (UTC).</param>
    /// <param name="settings">The rules in force.</param>
    public static Finding? ChecklistMissing(DateOnly sessionDate, bool answered, DateTimeOffset dueAt, DateTimeOffset now, PortalAlertSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.ChecklistDueHour < 0 || answered || now < dueAt
            ? null
            : Finding.Of(FindingCodes.PortalChecklistMissing, FindingSeverity.Warning, settings.Source, FindingArg.Of("date", sessionDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), FindingArg.Of("hour", settings.ChecklistDueHour));
    }
}

/// <summary>
/// When the portal asks the patient for the questionnaires of the course outcome (BPI short form, PGIC): when none was
/// given in the last <see cref="IntervalDays"/> days, whoever recorded it (staff at a visit or the patient). The
/// protocols set no schedule of their own for them.
/// </summary>
public static class PortalQuestionnaires
{
    /// <summary>Days between two questionnaires (assumption: monthly, the usual follow-up interval between courses).</summary>
    public const int IntervalDays = 28;

    /// <summary>Where the interval comes from.</summary>
    public static Source Source { get; } = Source.Assumption("BPI and PGIC asked in the portal every 28 days: the clinic's follow-up interval; the protocols set no questionnaire schedule");

    /// <summary>True when a questionnaire last completed on <paramref name="last"/> (null: never) is due again on <paramref name="today"/>.</summary>
    public static bool IsDue(DateOnly? last, DateOnly today) => last is not { } l || today.DayNumber - l.DayNumber >= IntervalDays;
}
