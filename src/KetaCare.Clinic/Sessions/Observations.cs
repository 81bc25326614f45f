using System.Globalization;
using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Sessions;

/// <summary>Sedation scales (clinical-reference: Scales and codes (scales)).</summary>
public enum SedationScale
{
    /// <summary>Richmond Agitation–Sedation Scale, +4 combative … 0 alert and calm … −5 unarousable (Sessler 2002).</summary>
    Rass,

    /// <summary>Modified Observer's Assessment of Alertness/Sedation, 5 responds readily to name … 0 no response to pain.</summary>
    Moaas,
}

/// <summary>A sedation score on a named scale.</summary>
/// <param name="Scale">The scale.</param>
/// <param name="Value">The score (RASS −5…+4, MOAA/S 0…5).</param>
public readonly record struct SedationScore(SedationScale Scale, int Value);

/// <summary>
/// Allowed ranges for observation fields. Scale ranges are definitions (clinical-reference: Scales and codes (scales)); vital-sign ranges are
/// input-plausibility assumptions that catch typing slips, not clinical thresholds (those are the alerts).
/// </summary>
public static class ObservationRanges
{
    /// <summary>Systolic BP, mmHg (assumption: plausibility).</summary>
    public static (int Min, int Max) Systolic { get; } = (40, 300);

    /// <summary>Diastolic BP, mmHg (assumption: plausibility).</summary>
    public static (int Min, int Max) Diastolic { get; } = (20, 200);

    /// <summary>Heart rate, /min (assumption: plausibility).</summary>
    public static (int Min, int Max) HeartRate { get; } = (20, 250);

    /// <summary>SpO₂, % (definition).</summary>
    public static (int Min, int Max) SpO2 { get; } = (0, 100);

    /// <summary>Respiratory rate, /min (assumption: plausibility).</summary>
    public static (int Min, int Max) RespiratoryRate { get; } = (0, 80);

    /// <summary>RASS −5…+4 (Sessler 2002).</summary>
    public static (int Min, int Max) Rass { get; } = (-5, 4);

    /// <summary>MOAA/S 0…5.</summary>
    public static (int Min, int Max) Moaas { get; } = (0, 5);

    /// <summary>CADSS subjective total 0…92 (23 items × 0–4, Bremner 1998).</summary>
    public static (int Min, int Max) Cadss { get; } = (0, 92);

    /// <summary>Pain NRS 0…10.</summary>
    public static (int Min, int Max) PainNrs { get; } = (0, 10);
}

/// <summary>
/// A time-stamped observation during a session. Any subset of fields may be recorded; each recorded field is
/// range-checked by <see cref="Create"/>, which names the field and its allowed range when it refuses.
/// </summary>
public sealed record Observation
{
    private Observation()
    {
    }

    /// <summary>When measured (UTC).</summary>
    public DateTimeOffset At { get; private init; }

    /// <summary>Systolic BP, mmHg.</summary>
    public int? Systolic { get; private init; }

    /// <summary>Diastolic BP, mmHg.</summary>
    public int? Diastolic { get; private init; }

    /// <summary>Heart rate, /min.</summary>
    public int? HeartRate { get; private init; }

    /// <summary>SpO₂, %.</summary>
    public int? SpO2 { get; private init; }

    /// <summary>Respiratory rate, /min.</summary>
    public int? RespiratoryRate { get; private init; }

    /// <summary>Sedation score.</summary>
    public SedationScore? Sedation { get; private init; }

    /// <summary>CADSS subjective total.</summary>
    public int? Cadss { get; private init; }

    /// <summary>Pain NRS 0–10.</summary>
    public int? PainNrs { get; private init; }

    /// <summary>Free-text note.</summary>
    public string? Note { get; private init; }

    /// <summary>True when BP, HR and SpO₂ are all recorded (a vital-signs set).</summary>
    public bool HasVitalSigns => Systolic is not null && Diastolic is not null && HeartRate is not null && SpO2 is not null;

    /// <summary>Creates an observation; refuses any field outside its range, naming the field and the range.</summary>
    public static Outcome<Observation> Create(
        DateTimeOffset at,
        int? systolic = null,
        int? diastolic = null,
        int? heartRate = null,
        int? spO2 = null,
        int? respiratoryRate = null,
        SedationScore? sedation = null,
        int? cadss = null,
        int? painNrs = null,
        string? note = null)
    {
        var error = Range("systolic BP", systolic, ObservationRanges.Systolic, "mmHg")
            ?? Range("diastolic BP", diastolic, ObservationRanges.Diastolic, "mmHg")
            ?? Range("heart rate", heartRate, ObservationRanges.HeartRate, "/min")
            ?? Range("SpO2", spO2, ObservationRanges.SpO2, "%")
            ?? Range("respiratory rate", respiratoryRate, ObservationRanges.RespiratoryRate, "/min")
            ?? Range("CADSS", cadss, ObservationRanges.Cadss, string.Empty)
            ?? Range("pain NRS", painNrs, ObservationRanges.PainNrs, string.Empty)
            ?? (sedation is { } s ? Range(s.Scale == SedationScale.Rass ? "RASS" : "MOAA/S", s.Value, s.Scale == SedationScale.Rass ? ObservationRanges.Rass : ObservationRanges.Moaas, string.Empty) : null);
        if (error is { } outOfRange)
        {
            return outOfRange;
        }

        if (systolic is null && diastolic is null && heartRate is null && spO2 is null && respiratoryRate is null && sedation is null && cadss is null && painNrs is null && string.IsNullOrWhiteSpace(note))
        {
            return Refusal.Coded(FindingCodes.ObservationEmpty);
        }

        if (note is not null && Patients.ChartInput.Text(note, "note", Patients.ChartInput.MaxNoteLength, multiline: true) is { IsSuccess: false } badNote)
        {
            return badNote.Refusal;
        }

        if ((systolic is null) != (diastolic is null))
        {
            return new Refusal("blood pressure: record systolic and diastolic together.", [Finding.Refused(FindingCodes.ObservationBloodPressurePair)]);
        }

        if (systolic <= diastolic)
        {
            return new Refusal(string.Create(CultureInfo.InvariantCulture, $"blood pressure: systolic {systolic} mmHg must be above diastolic {diastolic} mmHg."),
                [Finding.Refused(FindingCodes.ObservationBloodPressureOrder, FindingArg.Of("systolic", systolic!.Value, "mmHg"), FindingArg.Of("diastolic", diastolic!.Value, "mmHg"))]);
        }

        if (at.Offset != TimeSpan.Zero)
        {
            return new Refusal("time: observations are recorded in UTC.", [Finding.Refused(FindingCodes.ObservationTimeNotUtc, FindingArg.Of("field", "time"))]);
        }

        return Outcome<Observation>.Ok(new Observation
        {
            At = at,
            Systolic = systolic,
            Diastolic = diastolic,
            HeartRate = heartRate,
            SpO2 = spO2,
            RespiratoryRate = respiratoryRate,
            Sedation = sedation,
            Cadss = cadss,
            PainNrs = painNrs,
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
        });
    }

    private static Refusal? Range(string field, int? value, (int Min, int Max) range, string unit) =>
        value is { } v && (v < range.Min || v > range.Max)
            ? Refusal.OutOfRange(field, v, range.Min, range.Max, unit, unit)
            : null;
}

/// <summary>Modified Aldrete score: 5 items × 0–2; discharge at ≥ 9 (clinical-reference: Scales and codes (aldrete1995)).</summary>
public sealed record AldreteScore
{
    /// <summary>Total needed for discharge (clinical-reference: Scales and codes (aldrete1995)) [P].</summary>
    public const int DischargeThreshold = 9;

    private AldreteScore()
    {
    }

    /// <summary>Activity 0–2.</summary>
    public int Activity { get; private init; }

    /// <summary>Respiration 0–2.</summary>
    public int Respiration { get; private init; }

    /// <summary>Circulation 0–2.</summary>
    public int Circulation { get; private init; }

    /// <summary>Consciousness 0–2.</summary>
    public int Consciousness { get; private init; }

    /// <summary>Oxygen saturation 0–2.</summary>
    public int OxygenSaturation { get; private init; }

    /// <summary>Sum, 0–10.</summary>
    public int Total => Activity + Respiration + Circulation + Consciousness + OxygenSaturation;

    /// <summary>True at or above <see cref="DischargeThreshold"/>.</summary>
    public bool AllowsDischarge => Total >= DischargeThreshold;

    /// <summary>Creates a score; each item must be 0, 1 or 2.</summary>
    public static Outcome<AldreteScore> Create(int activity, int respiration, int circulation, int consciousness, int oxygenSaturation)
    {
        foreach (var (name, v) in new[] { ("activity", activity), ("respiration", respiration), ("circulation", circulation), ("consciousness", consciousness), ("oxygen saturation", oxygenSaturation) })
        {
            if (v is < 0 or > 2)
            {
                return new Refusal(string.Create(CultureInfo.InvariantCulture, $"Aldrete {name}: {v} is outside the allowed range 0 to 2."),
                    [Finding.Refused(FindingCodes.AldreteItemOutOfRange, FindingArg.Of("item", name), FindingArg.Of("value", v), FindingArg.Of("min", 0), FindingArg.Of("max", 2))]);
            }
        }

        return Outcome<AldreteScore>.Ok(new AldreteScore { Activity = activity, Respiration = respiration, Circulation = circulation, Consciousness = consciousness, OxygenSaturation = oxygenSaturation });
    }
}
