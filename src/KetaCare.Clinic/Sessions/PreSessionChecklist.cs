using System.Globalization;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Protocols;

namespace KetaCare.Clinic.Sessions;

/// <summary>What the nurse established about pregnancy on the session day.</summary>
public enum PregnancyCheck
{
    /// <summary>No test was done today (enough for a patient to whom a test does not apply).</summary>
    NotTested,

    /// <summary>A pregnancy test done today was negative.</summary>
    NegativeTestToday,

    /// <summary>A test was positive or the patient may be pregnant: ketamine is avoided (Cohen 2018).</summary>
    PositiveOrPossible,
}

/// <summary>
/// The structured pre-session checklist, answered by the nurse before the infusion: when the patient last ate, the
/// escort who takes them home, the no-driving acknowledgement, pregnancy, and the medications started since the last
/// session. Stored with the session; <see cref="PreSessionChecklistRules"/> turns it into findings.
/// </summary>
/// <param name="FastingSince">When the patient last ate (UTC); null when not asked.</param>
/// <param name="EscortConfirmed">An adult escort will take the patient home.</param>
/// <param name="NoDrivingAcknowledged">The patient acknowledged not driving for 24 h.</param>
/// <param name="Pregnancy">What was established about pregnancy today.</param>
/// <param name="NewMedications">Medications started since the last session (empty: none); null when not asked.</param>
public sealed record PreSessionChecklist(DateTimeOffset? FastingSince, bool EscortConfirmed, bool NoDrivingAcknowledged, PregnancyCheck Pregnancy, IReadOnlyList<Medication>? NewMedications)
{
    /// <summary>Most new medications one checklist holds (input sanity).</summary>
    public const int MaxNewMedications = 20;

    /// <summary>Equal when every answer is, the medications compared one by one.</summary>
    public bool Equals(PreSessionChecklist? other) =>
        other is not null && FastingSince == other.FastingSince && EscortConfirmed == other.EscortConfirmed && NoDrivingAcknowledged == other.NoDrivingAcknowledged
        && Pregnancy == other.Pregnancy && (NewMedications is null ? other.NewMedications is null : other.NewMedications is not null && NewMedications.SequenceEqual(other.NewMedications));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(FastingSince, EscortConfirmed, NoDrivingAcknowledged, Pregnancy, NewMedications?.Count);
}

/// <summary>
/// The rules of the pre-session checklist and of the dosing weight's age, in one place. Missing answers, a fasting time
/// in the future, no escort, no acknowledgement of the driving ban, a possible pregnancy and a weight older than the
/// protocol's window are hard stops; a fast shorter than the protocol's minimum and a new medication the interaction
/// screen asks a physician to review need a physician's reason at the start. Pure.
/// </summary>
public static class PreSessionChecklistRules
{
    /// <summary>Default minimum fast before a session, hours, for protocols that set none.</summary>
    public const double DefaultMinimumFastingHours = 6;

    /// <summary>Default age a dosing weight may have on the dosing day, days, for protocols that set none.</summary>
    public const int DefaultWeightValidDays = 30;

    /// <summary>Source of the fasting minimum: no cited source sets one for sub-anaesthetic ketamine.</summary>
    public static Source FastingSource { get; } = Source.Assumption("minimum fast before a ketamine session: 6 h for food, the common pre-sedation rule; not set by the cited ketamine sources; a protocol sets its own");

    /// <summary>Source of the weight window: no cited source sets one.</summary>
    public static Source WeightWindowSource { get; } = Source.Assumption("a dosing weight older than 30 days is re-measured before a dose is calculated; not set by the cited sources; a protocol sets its own");

    /// <summary>Source of the escort and no-driving items: the clinic's discharge rules.</summary>
    public static Source DischargeRuleSource { get; } = Source.Assumption("escort home and no driving for 24 h after ketamine: the clinic's discharge rules");

    /// <summary>The protocol's minimum fast, hours.</summary>
    public static double MinimumFastingHours(Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        return protocol.MinimumFastingHours ?? DefaultMinimumFastingHours;
    }

    /// <summary>The protocol's weight window, days.</summary>
    public static int WeightValidDays(Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        return protocol.WeightValidDays ?? DefaultWeightValidDays;
    }

    /// <summary>
    /// The findings of <paramref name="checklist"/> at <paramref name="now"/> under <paramref name="protocol"/>, for a
    /// patient to whom a pregnancy test applies or not. Empty when every item passes.
    /// </summary>
    public static IReadOnlyList<Finding> Evaluate(PreSessionChecklist checklist, Protocol protocol, bool pregnancyTestApplicable, DateOnly sessionDate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(checklist);
        ArgumentNullException.ThrowIfNull(protocol);
        var findings = new List<Finding>();
        Fasting(checklist.FastingSince, MinimumFastingHours(protocol), protocol.MinimumFastingHours is null ? FastingSource : Source.Assumption($"{protocol.Id}: minimum fast set by the protocol"), now, findings);
        if (!checklist.EscortConfirmed)
        {
            findings.Add(Finding.Of(FindingCodes.PreEscortNotConfirmed, FindingSeverity.HardStop, DischargeRuleSource));
        }

        if (!checklist.NoDrivingAcknowledged)
        {
            findings.Add(Finding.Of(FindingCodes.PreNoDrivingNotAcknowledged, FindingSeverity.HardStop, DischargeRuleSource));
        }

        if (checklist.Pregnancy == PregnancyCheck.PositiveOrPossible)
        {
            findings.Add(Finding.Of(FindingCodes.PrePregnant, FindingSeverity.HardStop, Source.Cohen2018));
        }
        else if (pregnancyTestApplicable && checklist.Pregnancy != PregnancyCheck.NegativeTestToday)
        {
            findings.Add(Finding.Refused(FindingCodes.PrePregnancyTestMissing, FindingArg.Of("date", sessionDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
        }

        if (checklist.NewMedications is not { } medications)
        {
            findings.Add(Finding.Refused(FindingCodes.PreNewMedicationsNotAsked));
        }
        else
        {
            findings.AddRange(InteractionFindings(medications));
        }

        return findings;
    }

    /// <summary>
    /// The weight measurement valid for dosing on <paramref name="date"/>: the one <see cref="PatientSnapshot.MeasurementOn"/>
    /// picks, refused (<see cref="FindingCodes.WeightStale"/>, naming the weight's date and the window) when it is older
    /// than the protocol's window. A weight exactly at the window's age passes. Plan preview, prescribing, pre-assessment
    /// and the dose check at the start all dose through it.
    /// </summary>
    public static Outcome<BodyMeasurement> DosingMeasurement(PatientSnapshot patient, DateOnly date, Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var m = patient.MeasurementOn(date);
        if (!m.IsSuccess)
        {
            return m.Refusal;
        }

        var window = WeightValidDays(protocol);
        var age = date.DayNumber - m.Value.MeasuredOn.DayNumber;
        return age > window
            ? Refusal.Of(Finding.Of(FindingCodes.WeightStale, FindingSeverity.HardStop, protocol.WeightValidDays is null ? WeightWindowSource : Source.Assumption($"{protocol.Id}: weight window set by the protocol"),
                FindingArg.Of("measured", m.Value.MeasuredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), FindingArg.Of("age", age, "days"), FindingArg.Of("window", window, "days")))
            : m;
    }

    /// <summary>The model covariates for dosing on <paramref name="date"/>: <see cref="PatientSnapshot.CovariatesOn"/> once <see cref="DosingMeasurement"/> passes.</summary>
    public static Outcome<Pharmacology.Models.Covariates> DosingCovariates(PatientSnapshot patient, DateOnly date, Protocol protocol)
    {
        var m = DosingMeasurement(patient, date, protocol);
        return m.IsSuccess ? patient.CovariatesOn(date) : m.Refusal;
    }

    private static void Fasting(DateTimeOffset? since, double minimumHours, Source source, DateTimeOffset now, List<Finding> findings)
    {
        if (since is not { } at)
        {
            findings.Add(Finding.Refused(FindingCodes.PreFastingMissing));
            return;
        }

        var hours = (now - at).TotalHours;
        if (hours < 0)
        {
            findings.Add(Finding.Refused(FindingCodes.PreFastingInFuture, FindingArg.Of("at", at.ToString("O", CultureInfo.InvariantCulture))));
        }
        else if (hours < minimumHours)
        {
            // Shown rounded down to 0.1 h, so that 5.99 h never reads as the 6 h minimum it falls short of.
            findings.Add(Finding.Of(FindingCodes.PreFastingShort, FindingSeverity.NeedsOverride, source, FindingArg.Of("hours", Math.Floor(hours * 10) / 10, "h"), FindingArg.Of("minimum", minimumHours, "h")));
        }
    }

    // A screen the physician must review needs their reason at the start; a warning is recorded and shown.
    private static IEnumerable<Finding> InteractionFindings(IEnumerable<Medication> medications) =>
        EligibilityRules.InteractionFindings(medications)
            .Select(r => Finding.Of(
                FindingCodes.PreNewMedicationInteraction,
                r.Level == FindingLevel.Review ? FindingSeverity.NeedsOverride : FindingSeverity.Warning,
                r.Source,
                [FindingArg.Of("rule", r.RuleId), .. r.Args]));
}
