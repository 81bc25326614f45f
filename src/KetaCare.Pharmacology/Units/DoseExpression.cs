using System.Text.RegularExpressions;

using C = KetaCare.Pharmacology.EngineWarningCodes;

namespace KetaCare.Pharmacology.Units;

/// <summary>How a dose is given: all at once, or spread over time.</summary>
public enum DoseShape
{
    /// <summary>All at once ("35 mg", "0.35 mg/kg").</summary>
    Bolus,

    /// <summary>An amount spread evenly over a duration ("0.5 mg/kg over 60 min").</summary>
    AmountOverDuration,

    /// <summary>A constant rate, for a duration if one is given ("0.35 mg/kg/h for 4 h").</summary>
    Rate,
}

/// <summary>A dose as a clinician writes it, absolute or per kg, before it is resolved for a patient.</summary>
public sealed partial class DoseExpression
{
    private DoseExpression(DoseShape shape, QuantityParser.Quantity quantity, Duration? duration, string text)
    {
        Shape = shape;
        Quantity = quantity;
        Duration = duration;
        Text = text;
    }

    /// <summary>Bolus, amount over duration, or rate.</summary>
    public DoseShape Shape { get; }

    /// <summary>The amount or rate as written (canonical units).</summary>
    public QuantityParser.Quantity Quantity { get; }

    /// <summary>How long the dose runs; null for a bolus or an open-ended rate.</summary>
    public Duration? Duration { get; }

    /// <summary>The text as written, trimmed.</summary>
    public string Text { get; }

    /// <summary>True when the amount or rate is per kg and needs a body weight.</summary>
    public bool IsWeightBased => Quantity.Kind is QuantityKind.DosePerKg or QuantityKind.WeightNormalizedRate;

    [GeneratedRegex(@"^(?<q>.+?)\s+(?<kw>over|for)\s+(?<d>.+)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex WithDuration();

    /// <summary>
    /// Parses "35 mg", "0.35 mg/kg", "35 mg over 60 min", "0.5 mg/kg over 1 h", "25 mg/h for 4 h",
    /// "0.5 mg/kg/h", "7.2 mcg/kg/min" with the invariant culture, and refuses implausible ketamine doses
    /// (see <see cref="PlausibilityLimits"/>), zero-length infusions, commas and negative numbers.
    /// </summary>
    /// <param name="text">The dose text.</param>
    /// <param name="field">Name of the input field, used in error messages.</param>
    public static ParseResult<DoseExpression> Parse(string? text, string field = "dose")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Refuse(C.DoseRequired, field);
        }

        var trimmed = text.Trim();
        var m = WithDuration().Match(trimmed);
        var quantityText = m.Success ? m.Groups["q"].Value : trimmed;
        var q = QuantityParser.Parse(quantityText, field);
        if (!q.IsSuccess)
        {
            return ParseResult<DoseExpression>.Fail(q);
        }

        var quantity = q.Value;
        Duration? duration = null;
        if (m.Success)
        {
            var d = QuantityParser.ParseDuration(m.Groups["d"].Value, $"{field} duration");
            if (!d.IsSuccess)
            {
                return ParseResult<DoseExpression>.Fail(d);
            }

            if (d.Value.Minutes <= 0)
            {
                return Refuse(C.DoseZeroDuration, field, Given(quantityText));
            }

            if (d.Value.Minutes > PlausibilityLimits.MaxAdministrationDays * 1440)
            {
                return Refuse(C.DoseTooLong, field, WarningArg.Of("duration", d.Value), WarningArg.Of("max", PlausibilityLimits.MaxAdministrationDays));
            }

            duration = d.Value;
        }

        var keyword = m.Success ? m.Groups["kw"].Value.ToLowerInvariant() : null;
        return Create(quantity, duration, keyword, field, trimmed, quantityText);
    }

    /// <summary>
    /// A dose from a quantity already parsed or built (an amount, or a rate) and an optional duration, with the same
    /// rules and plausibility checks as <see cref="Parse"/>: an amount with a duration runs over it, a rate for it.
    /// Typed input (a form's number and unit, an API's value and unit) comes here without being written as text again.
    /// </summary>
    /// <param name="quantity">The amount or rate.</param>
    /// <param name="duration">How long it runs; null for a bolus or an open-ended rate.</param>
    /// <param name="field">Name of the input field, used in error messages.</param>
    public static ParseResult<DoseExpression> Create(QuantityParser.Quantity quantity, Duration? duration, string field = "dose")
    {
        if (duration is { } d && (d.Minutes <= 0 || d.Minutes > PlausibilityLimits.MaxAdministrationDays * 1440))
        {
            return Refuse(C.DoseDurationOutOfRange, field, WarningArg.Of("duration", d), WarningArg.Of("max", PlausibilityLimits.MaxAdministrationDays));
        }

        var text = duration is { } over
            ? quantity.Text + (quantity.Kind is QuantityKind.DoseRate or QuantityKind.WeightNormalizedRate ? " for " : " over ") + SafeNumber.Format(over.Minutes) + " min"
            : quantity.Text;
        return Create(quantity, duration, null, field, text, quantity.Text);
    }

    private static ParseResult<DoseExpression> Create(QuantityParser.Quantity quantity, Duration? duration, string? keyword, string field, string trimmed, string quantityText)
    {
        DoseShape shape;
        switch (quantity.Kind)
        {
            case QuantityKind.Mass or QuantityKind.DosePerKg:
                if (keyword == "for")
                {
                    return Refuse(C.DoseAmountFor, field, Given(trimmed), WarningArg.Of("quantity", quantityText));
                }

                shape = duration is null ? DoseShape.Bolus : DoseShape.AmountOverDuration;
                break;
            case QuantityKind.DoseRate or QuantityKind.WeightNormalizedRate:
                if (keyword == "over")
                {
                    return Refuse(C.DoseRateOver, field, Given(trimmed), WarningArg.Of("quantity", quantityText));
                }

                shape = DoseShape.Rate;
                break;
            default:
                return Refuse(C.DoseNotADose, field, Given(quantity.Text), WarningArg.Of("kind", QuantityParser.Describe(quantity.Kind)));
        }

        var plausibility = CheckPlausible(quantity, field);
        return plausibility is null
            ? ParseResult<DoseExpression>.Ok(new DoseExpression(shape, quantity, duration, trimmed))
            : ParseResult<DoseExpression>.Fail(plausibility);
    }

    // The typed factories below build the expression from its typed parts: no text is parsed, so a value that is
    // valid as a quantity (however small) can never fail here. The text is only for display.

    /// <summary>An infusion of a weight-based amount over a duration, e.g. 0.5 mg/kg over 60 min.</summary>
    public static DoseExpression Infusion(DosePerKg amount, Duration over) =>
        Typed(DoseShape.AmountOverDuration, QuantityKind.DosePerKg, amount.MilligramsPerKilogram, "mg/kg", over);

    /// <summary>An infusion of an absolute amount over a duration, e.g. 35 mg over 60 min.</summary>
    public static DoseExpression Infusion(Mass amount, Duration over) =>
        Typed(DoseShape.AmountOverDuration, QuantityKind.Mass, amount.Milligrams, "mg", over);

    /// <summary>A constant absolute rate for a duration.</summary>
    public static DoseExpression AtRate(DoseRate rate, Duration duration) =>
        Typed(DoseShape.Rate, QuantityKind.DoseRate, rate.MilligramsPerMinute, "mg/min", duration);

    /// <summary>A weight-normalised rate for a duration.</summary>
    public static DoseExpression AtRate(WeightNormalizedRate rate, Duration duration) =>
        Typed(DoseShape.Rate, QuantityKind.WeightNormalizedRate, rate.MilligramsPerKilogramPerMinute, "mg/kg/min", duration);

    /// <summary>An absolute bolus.</summary>
    public static DoseExpression Bolus(Mass amount) =>
        Typed(DoseShape.Bolus, QuantityKind.Mass, amount.Milligrams, "mg", null);

    /// <summary>A weight-based bolus.</summary>
    public static DoseExpression Bolus(DosePerKg amount) =>
        Typed(DoseShape.Bolus, QuantityKind.DosePerKg, amount.MilligramsPerKilogram, "mg/kg", null);

    /// <summary>Resolves the dose for a patient: total amount, and for an infusion its constant rate and duration.</summary>
    /// <param name="weight">The patient's weight; needed for per-kg doses.</param>
    /// <param name="openRateDuration">How long an open-ended rate runs, when the text gave none.</param>
    /// <returns>The resolved dose, or an error naming what is missing.</returns>
    public ParseResult<ResolvedDose> Resolve(BodyWeight weight, Duration? openRateDuration = null)
    {
        var kg = weight.Kilograms;
        switch (Shape)
        {
            case DoseShape.Bolus:
                return ParseResult<ResolvedDose>.Ok(new ResolvedDose(Mass.FromMilligrams(Amount(kg)), null));
            case DoseShape.AmountOverDuration:
                return ParseResult<ResolvedDose>.Ok(new ResolvedDose(Mass.FromMilligrams(Amount(kg)), Duration));
            default:
                var d = Duration ?? openRateDuration;
                if (d is null || d.Value.Minutes <= 0)
                {
                    return ParseResult<ResolvedDose>.Fail(EngineWarning.Of(C.DoseRateNeedsDuration, Field("dose"), Given(Text)));
                }

                var mgPerMin = Quantity.Kind == QuantityKind.WeightNormalizedRate ? Quantity.Canonical * kg : Quantity.Canonical;
                return ParseResult<ResolvedDose>.Ok(new ResolvedDose(Mass.FromMilligrams(mgPerMin * d.Value.Minutes), d));
        }
    }

    private double Amount(double kg) => Quantity.Kind == QuantityKind.DosePerKg ? Quantity.Canonical * kg : Quantity.Canonical;

    /// <inheritdoc/>
    public override string ToString() => Text;

    private static ParseResult<DoseExpression> Refuse(string code, string field, params WarningArg[] args) =>
        ParseResult<DoseExpression>.Fail(EngineWarning.Of(code, [Field(field), .. args]));

    private static WarningArg Field(string field) => QuantityParser.Field(field);

    private static WarningArg Given(string text) => QuantityParser.Given(text);

    // canonical: mg, mg/kg, mg/min or mg/kg/min, as QuantityParser stores them.
    private static DoseExpression Typed(DoseShape shape, QuantityKind kind, double canonical, string unit, Duration? duration)
    {
        var quantityText = SafeNumber.Format(canonical) + " " + unit;
        var text = duration is { } d
            ? quantityText + (shape == DoseShape.Rate ? " for " : " over ") + SafeNumber.Format(d.Minutes) + " min"
            : quantityText;
        return new DoseExpression(shape, new QuantityParser.Quantity(kind, canonical, quantityText), duration, text);
    }

    private static EngineWarning? CheckPlausible(QuantityParser.Quantity q, string field)
    {
        var (value, max, unit) = q.Kind switch
        {
            QuantityKind.Mass => (q.Canonical, PlausibilityLimits.MaxDoseMg, "mg"),
            QuantityKind.DosePerKg => (q.Canonical, PlausibilityLimits.MaxDosePerKgMg, "mg/kg"),
            QuantityKind.DoseRate => (q.Canonical * 60, PlausibilityLimits.MaxRateMgPerHour, "mg/h"),
            _ => (q.Canonical * 60, PlausibilityLimits.MaxRateMgPerKgPerHour, "mg/kg/h"),
        };
        if (value <= 0)
        {
            return EngineWarning.Of(C.DoseZero, Field(field), Given(q.Text));
        }

        // A rate is stored per minute, so mg/h → mg/min → mg/h does not round-trip exactly (2000 / 60 × 60 =
        // 2000.0000000000002): a relative tolerance of 1e-12 keeps a value written exactly at the maximum at it.
        return value > max * (1 + 1e-12)
            ? EngineWarning.Of(C.DoseImplausible, Field(field), Given(q.Text), WarningArg.Of("value", value, unit), WarningArg.Of("max", max, unit))
            : null;
    }
}

/// <summary>A dose resolved for one patient.</summary>
/// <param name="Total">Total amount given.</param>
/// <param name="Over">Infusion duration; null for a bolus.</param>
public readonly record struct ResolvedDose(Mass Total, Duration? Over)
{
    /// <summary>Constant infusion rate; zero for a bolus.</summary>
    public DoseRate Rate => Over is { } d ? Total / d : DoseRate.Zero;
}
