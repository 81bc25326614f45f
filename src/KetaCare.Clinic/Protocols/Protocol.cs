using System.Globalization;
using KetaCare.Clinic.Findings;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Protocols;

/// <summary>The unit a protocol's doses are written in.</summary>
public enum DoseBasis
{
    /// <summary>A weight-normalised infusion rate, mg/kg/h, run for the protocol's infusion duration.</summary>
    MgPerKgPerHour,

    /// <summary>A weight-based single dose (injection, bolus), mg/kg.</summary>
    MgPerKg,

    /// <summary>A fixed single dose, mg (e.g. intranasal).</summary>
    Milligrams,
}

/// <summary>A dose level of a protocol: a value with its unit. Immutable; validated (finite, ≥ 0).</summary>
public readonly struct DoseLevel : IEquatable<DoseLevel>, IComparable<DoseLevel>
{
    private DoseLevel(DoseBasis basis, double value)
    {
        Basis = basis;
        Value = Guard.InRange(value, 0, PlausibilityLimits.MaxDoseMg, nameof(value));
    }

    /// <summary>The unit.</summary>
    public DoseBasis Basis { get; }

    /// <summary>The value in <see cref="Basis"/> units.</summary>
    public double Value { get; }

    /// <summary>An infusion rate in mg/kg/h.</summary>
    public static DoseLevel MgPerKgPerHour(double value) => new(DoseBasis.MgPerKgPerHour, value);

    /// <summary>A single dose in mg/kg.</summary>
    public static DoseLevel MgPerKg(double value) => new(DoseBasis.MgPerKg, value);

    /// <summary>A fixed dose in mg.</summary>
    public static DoseLevel Milligrams(double value) => new(DoseBasis.Milligrams, value);

    /// <summary>This level plus <paramref name="step"/> (same unit).</summary>
    public DoseLevel Plus(DoseLevel step) => SameBasis(step) ? new(Basis, Math.Round(Value + step.Value, 9)) : throw new ArgumentException("step: different dose unit.", nameof(step));

    /// <summary>This level minus <paramref name="step"/>, not below zero.</summary>
    public DoseLevel Minus(DoseLevel step) => SameBasis(step) ? new(Basis, Math.Max(0, Math.Round(Value - step.Value, 9))) : throw new ArgumentException("step: different dose unit.", nameof(step));

    /// <summary>The smaller of two levels of the same unit.</summary>
    public static DoseLevel Min(DoseLevel a, DoseLevel b) => a.SameBasis(b) ? (a.Value <= b.Value ? a : b) : throw new ArgumentException("different dose units.", nameof(b));

    /// <summary>True when both use the same unit.</summary>
    public bool SameBasis(DoseLevel other) => Basis == other.Basis;

    /// <summary>The amount for one session for a patient of the given weight (rates over <paramref name="infusion"/>).</summary>
    public Mass AmountFor(BodyWeight weight, Duration? infusion) => Basis switch
    {
        DoseBasis.MgPerKgPerHour => Mass.FromMilligrams(Value * weight.Kilograms * (infusion?.Hours ?? 0)),
        DoseBasis.MgPerKg => Mass.FromMilligrams(Value * weight.Kilograms),
        _ => Mass.FromMilligrams(Value),
    };

    /// <summary>Parses "0.5 mg/kg/h", "0.25 mg/kg" or "20 mg" (invariant culture; a comma decimal is refused, not misread).</summary>
    public static Outcome<DoseLevel> Parse(string? text, string field = "dose")
    {
        var t = (text ?? string.Empty).Trim();
        var space = t.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return new Refusal(
                $"{field}: \"{text}\" needs a number and a unit: mg/kg/h, mg/kg or mg, e.g. \"0.5 mg/kg/h\".",
                [Finding.Refused(FindingCodes.ProtocolDoseFormat, FindingArg.Of("field", field), FindingArg.Of("text", text ?? string.Empty))]);
        }

        var number = QuantityParser.ParseNumber(t[..space], field);
        if (!number.IsSuccess)
        {
            return Refusal.From(number);
        }

        var unit = t[(space + 1)..].Trim().ToLowerInvariant();
        DoseBasis? basis = unit switch
        {
            "mg/kg/h" => DoseBasis.MgPerKgPerHour,
            "mg/kg" => DoseBasis.MgPerKg,
            "mg" => DoseBasis.Milligrams,
            _ => null,
        };
        if (basis is null)
        {
            return new Refusal(
                $"{field}: unit \"{unit}\" is not a protocol dose unit; use mg/kg/h, mg/kg or mg.",
                [Finding.Refused(FindingCodes.ProtocolDoseUnit, FindingArg.Of("field", field), FindingArg.Of("text", unit))]);
        }

        return number.Value > PlausibilityLimits.MaxDoseMg
            ? new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"{field}: {number.Value} is above the plausible maximum {PlausibilityLimits.MaxDoseMg}."),
                [Finding.Refused(FindingCodes.ProtocolDoseImplausible, FindingArg.Of("field", field), FindingArg.Of("value", number.Value), FindingArg.Of("max", PlausibilityLimits.MaxDoseMg))])
            : Outcome<DoseLevel>.Ok(new DoseLevel(basis.Value, number.Value));
    }

    /// <inheritdoc/>
    public bool Equals(DoseLevel other) => Basis == other.Basis && Value.Equals(other.Value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DoseLevel other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Basis, Value);

    /// <summary>Compares levels of the same unit; throws for different units (a programmer error).</summary>
    public int CompareTo(DoseLevel other) => SameBasis(other) ? Value.CompareTo(other.Value) : throw new ArgumentException("different dose units.", nameof(other));

    /// <summary>Equality.</summary>
    public static bool operator ==(DoseLevel a, DoseLevel b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DoseLevel a, DoseLevel b) => !a.Equals(b);

    /// <summary>Less than (same unit).</summary>
    public static bool operator <(DoseLevel a, DoseLevel b) => a.CompareTo(b) < 0;

    /// <summary>Greater than (same unit).</summary>
    public static bool operator >(DoseLevel a, DoseLevel b) => a.CompareTo(b) > 0;

    /// <summary>Less or equal (same unit).</summary>
    public static bool operator <=(DoseLevel a, DoseLevel b) => a.CompareTo(b) <= 0;

    /// <summary>Greater or equal (same unit).</summary>
    public static bool operator >=(DoseLevel a, DoseLevel b) => a.CompareTo(b) >= 0;

    /// <summary>ISMP-safe text: "0.5 mg/kg/h", "0.25 mg/kg", "20 mg".</summary>
    /// <summary>The dose as a typed finding argument (number and unit), so each reader sees it in their own notation.</summary>
    /// <param name="name">The argument's name in the finding's template.</param>
    public Findings.FindingArg Arg(string name) => Findings.FindingArg.Of(name, Value, Plans.TreatmentPlan.UnitOf(this));

    /// <inheritdoc/>
    public override string ToString() => SafeNumber.Format(Value) + Basis switch
    {
        DoseBasis.MgPerKgPerHour => " mg/kg/h",
        DoseBasis.MgPerKg => " mg/kg",
        _ => " mg",
    };
}

/// <summary>
/// Between-session titration rules of a protocol. No guideline standardises them (clinical-reference: Published regimens (published-regimens)), so every
/// value is a labelled, configurable assumption.
/// </summary>
public sealed record TitrationRules
{
    /// <summary>Defaults (assumptions).</summary>
    public static TitrationRules Default { get; } = new();

    /// <summary>Hold the dose when the last session had an adverse event of at least this CTCAE grade. Assumption: 2 (moderate).</summary>
    public int HoldAtAdverseEventGrade { get; init; } = 2;

    /// <summary>Reduce one step when the last session had an adverse event of at least this grade. Assumption: 3 (severe).</summary>
    public int ReduceAtAdverseEventGrade { get; init; } = 3;

    /// <summary>Propose stopping the course at this grade or a serious adverse event. Assumption: 4 (life-threatening).</summary>
    public int StopAtAdverseEventGrade { get; init; } = 4;

    /// <summary>
    /// Hold (do not escalate) once the pain reduction from baseline reaches this percentage: the minimum effective
    /// dose (ASA statement 2023). Default 50 % = IMMPACT "substantial" (Dworkin 2008).
    /// </summary>
    public double HoldAtReductionPercent { get; init; } = 50;

    /// <summary>Source of the values.</summary>
    public Source Source { get; init; } = Source.Assumption("titration between sessions is not standardised by any guideline (clinical-reference: Published regimens (published-regimens)); CTCAE grade thresholds chosen by KetaCare");
}

/// <summary>
/// A dosing protocol: data, versioned. The clinics' outpatient scheme and published regimens cite their sources; IM and
/// intranasal protocols are clinic-defined examples, never guidelines.
/// </summary>
public sealed record Protocol
{
    /// <summary>Shortest weight window a protocol may set, days.</summary>
    public const int MinWeightValidDays = 0;

    /// <summary>Longest weight window a protocol may set, days.</summary>
    public const int MaxWeightValidDays = 365;

    /// <summary>Longest minimum fast a protocol may set, hours.</summary>
    public const double MaxFastingHours = 24;

    /// <summary>Stable id, e.g. "schwartzman2009".</summary>
    public required string Id { get; init; }

    /// <summary>Version; a changed protocol is a new version, plans keep the version they were prescribed with.</summary>
    public required int Version { get; init; }

    /// <summary>Display name.</summary>
    public required string Name { get; init; }

    /// <summary>Route.</summary>
    public required Route Route { get; init; }

    /// <summary>First session's dose.</summary>
    public required DoseLevel Start { get; init; }

    /// <summary>Increase per session when titrating up (same unit as <see cref="Start"/>; zero for a fixed dose).</summary>
    public required DoseLevel Step { get; init; }

    /// <summary>Highest dose of the protocol; the titration advisor never proposes more.</summary>
    public required DoseLevel Ceiling { get; init; }

    /// <summary>Infusion duration for rate-based protocols; null for single doses.</summary>
    public Duration? InfusionDuration { get; init; }

    /// <summary>
    /// The youngest age, in whole years, the protocol is for; null for the rule set's adult default
    /// (<see cref="Eligibility.EligibilitySettings.MinimumAgeYears"/>). A protocol written for adolescents sets it lower.
    /// </summary>
    public int? MinimumAgeYears { get; init; }

    /// <summary>Days between sessions.</summary>
    public required int IntervalDays { get; init; }

    /// <summary>Number of sessions in a course.</summary>
    public required int NumberOfSessions { get; init; }

    /// <summary>Absolute rate ceiling, mg/h, when the protocol has one (Schwartzman 2009: 25 mg/h).</summary>
    public double? MaxRateMgPerHour { get; init; }

    /// <summary>How old the vitals set may be at start and resume, minutes; null for the clinic's setting (default 15).</summary>
    public int? VitalsWindowMinutes { get; init; }

    /// <summary>Minimum observation after the end of the drug before discharge, minutes; null for the clinic's setting.</summary>
    public int? MinimumObservationMinutes { get; init; }

    /// <summary>
    /// The oldest a dosing weight may be on the dosing day, days; null for the default
    /// (<see cref="Sessions.PreSessionChecklistRules.DefaultWeightValidDays"/>, an assumption). An older weight refuses
    /// dose calculation until the patient is weighed again.
    /// </summary>
    public int? WeightValidDays { get; init; }

    /// <summary>The shortest fast before a session, hours; null for the default (<see cref="Sessions.PreSessionChecklistRules.DefaultMinimumFastingHours"/>, an assumption). A shorter fast needs a physician's reason.</summary>
    public double? MinimumFastingHours { get; init; }

    /// <summary>Which weight per-kg doses are calculated on (actual by default, as the published regimens do).</summary>
    public Dosing.DosingWeightRule DosingWeight { get; init; }

    /// <summary>Hold and stop rules as text for the team; numeric parts are in <see cref="Titration"/> and the alert thresholds.</summary>
    public IReadOnlyList<string> HoldStopRules { get; init; } = [];

    /// <summary>Premedication as free text: the notes of protocols stored before <see cref="Orders"/>, kept readable.</summary>
    public string Premedication { get; init; } = "None specified.";

    /// <summary>
    /// The premedication and rescue orders prescribed with every plan of the protocol (drug, purpose, dose, route);
    /// null in protocols stored before structured orders, which have only <see cref="Premedication"/>.
    /// </summary>
    public IReadOnlyList<Dosing.AncillaryOrder>? Orders { get; init; }

    /// <summary>The orders, none when the protocol predates them.</summary>
    public IReadOnlyList<Dosing.AncillaryOrder> AncillaryOrders => Orders ?? [];

    /// <summary>Titration rules between sessions.</summary>
    public TitrationRules Titration { get; init; } = TitrationRules.Default;

    /// <summary>Sources of the protocol's numbers.</summary>
    public required IReadOnlyList<Source> Sources { get; init; }

    /// <summary>True when the values are a clinic-defined example, not a published regimen or guideline.</summary>
    public bool IsClinicDefinedExample { get; init; }

    /// <summary>True for protocols whose doses are infusion rates.</summary>
    public bool IsInfusion => Start.Basis == DoseBasis.MgPerKgPerHour;

    /// <summary>Checks internal consistency: same unit for start/step/ceiling, start ≤ ceiling, infusion duration for rates, positive counts.</summary>
    public Outcome Validate()
    {
        if (!Start.SameBasis(Step) || !Start.SameBasis(Ceiling))
        {
            return new Refusal($"{Id}: start, step and ceiling must use the same unit.", [Finding.Refused(FindingCodes.ProtocolUnitsDiffer, FindingArg.Of("protocol", Id))]);
        }

        if (Start.Value <= 0)
        {
            return new Refusal($"{Id}: start dose must be greater than 0.", [Finding.Refused(FindingCodes.ProtocolStartNotPositive, FindingArg.Of("protocol", Id))]);
        }

        if (Start > Ceiling)
        {
            return new Refusal($"{Id}: start {Start} is above the ceiling {Ceiling}.", [Finding.Refused(FindingCodes.ProtocolStartAboveCeiling, FindingArg.Of("protocol", Id), Start.Arg("value"), Ceiling.Arg("limit"))]);
        }

        if (IsInfusion != InfusionDuration is { Minutes: > 0 })
        {
            return new Refusal($"{Id}: rate-based protocols need an infusion duration; single-dose protocols have none.", [Finding.Refused(FindingCodes.ProtocolDurationMismatch, FindingArg.Of("protocol", Id))]);
        }

        if (MinimumAgeYears is < 0 or > 120)
        {
            return new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"minimumAgeYears: {MinimumAgeYears} is outside the allowed range 0–120 years."),
                [Finding.Refused(FindingCodes.ProtocolValueOutOfRange, FindingArg.Of("field", "minimumAgeYears"), FindingArg.Of("value", MinimumAgeYears.Value), FindingArg.Of("min", 0), FindingArg.Of("max", 120, "years"))]);
        }

        if (WeightValidDays is < MinWeightValidDays or > MaxWeightValidDays)
        {
            return new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"weightValidDays: {WeightValidDays} is outside the allowed range {MinWeightValidDays}–{MaxWeightValidDays} days."),
                [Finding.Refused(FindingCodes.ProtocolValueOutOfRange, FindingArg.Of("field", "weightValidDays"), FindingArg.Of("value", WeightValidDays.Value), FindingArg.Of("min", MinWeightValidDays), FindingArg.Of("max", MaxWeightValidDays, "days"))]);
        }

        if (AncillaryOrders.FirstOrDefault(o => !(o.DoseMg > 0) || !double.IsFinite(o.DoseMg)) is { } bad)
        {
            return new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"orders: {bad.Drug} dose {bad.DoseMg} mg must be greater than 0."),
                [Finding.Refused(FindingCodes.ProtocolOrderDoseNotPositive, FindingArg.Of("field", "orders"), FindingArg.Of("drug", bad.Drug.ToString()), FindingArg.Of("value", bad.DoseMg, "mg"))]);
        }

        if (MinimumFastingHours is { } h && (double.IsNaN(h) || h < 0 || h > MaxFastingHours))
        {
            return new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"minimumFastingHours: {h} is outside the allowed range 0–{MaxFastingHours} h."),
                [Finding.Refused(FindingCodes.ProtocolValueOutOfRange, FindingArg.Of("field", "minimumFastingHours"), FindingArg.Of("value", h), FindingArg.Of("min", 0), FindingArg.Of("max", MaxFastingHours, "h"))]);
        }

        return IntervalDays < 0 || NumberOfSessions < 1
            ? new Refusal($"{Id}: interval must be ≥ 0 days and sessions ≥ 1.", [Finding.Refused(FindingCodes.ProtocolCourseInvalid, FindingArg.Of("protocol", Id))])
            : Outcome.Ok();
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} v{Version}");
}
