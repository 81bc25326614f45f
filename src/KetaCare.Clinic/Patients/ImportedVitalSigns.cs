using System.Globalization;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Patients;

/// <summary>The kinds of vital sign another system's record may hold (clinical-reference: LOINC codes (loinc)).</summary>
public enum VitalSignKind
{
    /// <summary>Blood pressure: systolic with diastolic, mmHg (LOINC 85354-9 panel of 8480-6 and 8462-4).</summary>
    BloodPressure,

    /// <summary>Heart rate, /min (LOINC 8867-4).</summary>
    HeartRate,

    /// <summary>Respiratory rate, /min (LOINC 9279-1).</summary>
    RespiratoryRate,

    /// <summary>Oxygen saturation, % (LOINC 59408-5 by pulse oximetry, 2708-6 arterial).</summary>
    OxygenSaturation,

    /// <summary>Body temperature, °C (LOINC 8310-5).</summary>
    BodyTemperature,

    /// <summary>Pain severity on the 0–10 numeric rating scale (LOINC 72514-3).</summary>
    PainScore,
}

/// <summary>
/// A vital sign or pain score from another system's record (a FHIR import), kept on the chart as history with the date
/// it was taken. It is never read by dosing, gating or the pre-session checks: those use only what is measured in the
/// clinic's own session (<see cref="Observation"/>), since neither the device nor the moment is the clinic's to vouch
/// for. It is not in <see cref="PatientSnapshot"/>, so no rule can read it.
/// </summary>
public sealed record ImportedVitalSign
{
    /// <summary>Lowest accepted body temperature, °C (input plausibility, assumption).</summary>
    public const double MinTemperatureCelsius = 25;

    /// <summary>Highest accepted body temperature, °C (input plausibility, assumption).</summary>
    public const double MaxTemperatureCelsius = 45;

    private ImportedVitalSign(DateTimeOffset measuredAt, VitalSignKind kind, double value, double? diastolic, string loinc, string? sourceSystem)
    {
        MeasuredAt = measuredAt;
        Kind = kind;
        Value = value;
        Diastolic = diastolic;
        Loinc = loinc;
        SourceSystem = sourceSystem;
    }

    /// <summary>When it was taken, as the sending system dated it (UTC; a date without a time is its midnight UTC).</summary>
    public DateTimeOffset MeasuredAt { get; }

    /// <summary>What was measured.</summary>
    public VitalSignKind Kind { get; }

    /// <summary>The value in <see cref="Unit"/>; for blood pressure the systolic.</summary>
    public double Value { get; }

    /// <summary>Diastolic blood pressure, mmHg; null for every other kind.</summary>
    public double? Diastolic { get; }

    /// <summary>The LOINC code it was sent with (kept as sent: SpO₂ comes as 59408-5 or 2708-6).</summary>
    public string Loinc { get; }

    /// <summary>The sending system (its record-number identifier system), when the bundle named one.</summary>
    public string? SourceSystem { get; }

    /// <summary>The UCUM unit of <see cref="Value"/>.</summary>
    public string Unit => UnitOf(Kind);

    /// <summary>The UCUM unit values of <paramref name="kind"/> are kept in.</summary>
    public static string UnitOf(VitalSignKind kind) => kind switch
    {
        VitalSignKind.BloodPressure => "mm[Hg]",
        VitalSignKind.HeartRate or VitalSignKind.RespiratoryRate => "/min",
        VitalSignKind.OxygenSaturation => "%",
        VitalSignKind.BodyTemperature => "Cel",
        _ => "{score}",
    };

    /// <summary>
    /// Creates an imported vital sign; refuses a value outside the plausible range of its kind (the ranges of session
    /// observations, <see cref="ObservationRanges"/>; temperature 25–45 °C), naming the field and the range.
    /// </summary>
    /// <param name="measuredAt">When it was taken.</param>
    /// <param name="kind">What was measured.</param>
    /// <param name="value">The value in <see cref="UnitOf"/> of the kind; the systolic for blood pressure.</param>
    /// <param name="diastolic">The diastolic, required for blood pressure and refused for anything else.</param>
    /// <param name="loinc">The LOINC code it was sent with.</param>
    /// <param name="sourceSystem">The sending system, when known.</param>
    public static Outcome<ImportedVitalSign> Create(DateTimeOffset measuredAt, VitalSignKind kind, double value, double? diastolic, string loinc, string? sourceSystem = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(loinc);
        var (name, min, max) = kind switch
        {
            VitalSignKind.BloodPressure => ("systolic", ObservationRanges.Systolic.Min, (double)ObservationRanges.Systolic.Max),
            VitalSignKind.HeartRate => ("heart rate", ObservationRanges.HeartRate.Min, ObservationRanges.HeartRate.Max),
            VitalSignKind.RespiratoryRate => ("respiratory rate", ObservationRanges.RespiratoryRate.Min, ObservationRanges.RespiratoryRate.Max),
            VitalSignKind.OxygenSaturation => ("SpO2", ObservationRanges.SpO2.Min, ObservationRanges.SpO2.Max),
            VitalSignKind.BodyTemperature => ("temperature", MinTemperatureCelsius, MaxTemperatureCelsius),
            _ => ("pain score", ObservationRanges.PainNrs.Min, ObservationRanges.PainNrs.Max),
        };
        if (Outside(value, min, max))
        {
            return Range(name, value, min, max, UnitOf(kind));
        }

        if (kind == VitalSignKind.BloodPressure)
        {
            if (diastolic is not { } d || Outside(d, ObservationRanges.Diastolic.Min, ObservationRanges.Diastolic.Max))
            {
                return diastolic is null
                    ? new Refusal("diastolic: a blood pressure needs its diastolic.", [Finding.Refused(FindingCodes.ImportedVitalDiastolicMissing, FindingArg.Of("field", "diastolic"))])
                    : Range("diastolic", diastolic.Value, ObservationRanges.Diastolic.Min, ObservationRanges.Diastolic.Max, "mm[Hg]");
            }

            if (d >= value)
            {
                return new Refusal(
                    string.Create(CultureInfo.InvariantCulture, $"diastolic: {SafeNumber.Format(d)} mm[Hg] is not below the systolic {SafeNumber.Format(value)} mm[Hg]."),
                    [Finding.Refused(FindingCodes.ImportedVitalDiastolicNotBelow, FindingArg.Of("field", "diastolic"), FindingArg.Of("value", d, "mm[Hg]"), FindingArg.Of("systolic", value, "mm[Hg]"))]);
            }
        }
        else if (diastolic is not null)
        {
            return new Refusal($"diastolic: only a blood pressure has one ({kind}).", [Finding.Refused(FindingCodes.ImportedVitalDiastolicNotAllowed, FindingArg.Of("field", "diastolic"), FindingArg.Of("kind", kind.ToString()))]);
        }

        return Outcome<ImportedVitalSign>.Ok(new ImportedVitalSign(measuredAt.ToUniversalTime(), kind, value, diastolic, loinc.Trim(), string.IsNullOrWhiteSpace(sourceSystem) ? null : sourceSystem.Trim()));
    }

    /// <summary>"128/82 mm[Hg]", "74 /min", "37.2 Cel".</summary>
    public string ValueText => Diastolic is { } d
        ? $"{SafeNumber.Format(Value)}/{SafeNumber.Format(d)} {Unit}"
        : $"{SafeNumber.Format(Value)} {Unit}";

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind} {ValueText} at {MeasuredAt:yyyy-MM-dd HH:mm} (imported)");

    private static bool Outside(double value, double min, double max) => !double.IsFinite(value) || value < min || value > max;

    private static Refusal Range(string name, double value, double min, double max, string unit) => new(
        string.Create(CultureInfo.InvariantCulture, $"{name}: {SafeNumber.Format(value)} {unit} is outside the accepted range {SafeNumber.Format(min)}–{SafeNumber.Format(max)} {unit}."),
        [Finding.Refused(FindingCodes.ChartNumberOutOfRange, FindingArg.Of("field", name), FindingArg.Of("value", value, unit), FindingArg.Of("min", min), FindingArg.Of("max", max, unit))]);
}
