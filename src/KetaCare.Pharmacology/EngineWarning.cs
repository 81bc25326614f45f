using System.Reflection;
using System.Text;

namespace KetaCare.Pharmacology;

/// <summary>One named parameter of an engine warning: a number with its unit, or a token (a model id, a route, a citation).</summary>
/// <param name="Name">Placeholder name in the template, e.g. "value", "model".</param>
/// <param name="Number">The number, in <paramref name="Unit"/>; null for a token.</param>
/// <param name="Unit">The unit as written on screens ("kg", "ng/mL", "/min"), or empty.</param>
/// <param name="Text">The token, or null for a number. Faces translate tokens that have a translation (a route's name).</param>
public sealed record WarningArg(string Name, double? Number, string Unit, string? Text)
{
    /// <summary>A number with its unit.</summary>
    public static WarningArg Of(string name, double number, string unit = "") => new(name, number, unit, null);

    /// <summary>A token.</summary>
    public static WarningArg Of(string name, string text) => new(name, null, string.Empty, text);

    /// <summary>A duration in the largest whole unit that reads naturally ("45 min", "4 h", "10 d"), as <see cref="Units.Duration.ToString"/> writes it.</summary>
    public static WarningArg Of(string name, Units.Duration duration)
    {
        var (value, unit) = duration.Natural();
        return Of(name, value, unit);
    }

    /// <summary>The value as the English message writes it: invariant culture, four significant digits, then the unit.</summary>
    public string Invariant() => Number is { } n
        ? Units.SafeNumber.Format(n) + (Unit.Length == 0 ? string.Empty : Unit.StartsWith('/') ? Unit : " " + Unit)
        : Text ?? string.Empty;
}

/// <summary>
/// A caveat the engine attaches to a result (an extrapolation, an assumed route, a borrowed ke0, a target not reached):
/// a stable code (<see cref="EngineWarningCodes"/>) and typed parameters. The engine builds no sentence for a reader;
/// <see cref="Message"/> is the English text for logs and the English-only CLI, and faces translate the
/// <see cref="Template"/> with the parameters in the reader's language.
/// </summary>
/// <param name="Code">Stable code, e.g. "model.age-not-given".</param>
/// <param name="Args">The template's parameters.</param>
public sealed record EngineWarning(string Code, IReadOnlyList<WarningArg> Args)
{
    /// <summary>A warning with parameters; the code must be one of <see cref="EngineWarningCodes"/>.</summary>
    public static EngineWarning Of(string code, params WarningArg[] args)
    {
        if (!EngineWarningCodes.Templates.ContainsKey(code))
        {
            throw new ArgumentException($"unknown engine warning code '{code}'.", nameof(code));
        }

        return new(code, args);
    }

    /// <summary>The English sentence with {name} placeholders: the key of its translations.</summary>
    public string Template => EngineWarningCodes.Templates[Code];

    /// <summary>The English sentence, numbers in the invariant culture.</summary>
    public string Message
    {
        get
        {
            // One pass over the template: an argument's text (what a user typed) is never read as a placeholder.
            var template = Template;
            var sb = new StringBuilder(template.Length + 32);
            var i = 0;
            while (i < template.Length)
            {
                var open = template.IndexOf('{', i);
                var close = open < 0 ? -1 : template.IndexOf('}', open);
                if (close < 0)
                {
                    sb.Append(template, i, template.Length - i);
                    break;
                }

                sb.Append(template, i, open - i);
                var name = template[(open + 1)..close];
                if (Arg(name) is { } arg)
                {
                    sb.Append(arg.Invariant());
                }
                else
                {
                    sb.Append(template, open, close - open + 1);
                }

                i = close + 1;
            }

            return sb.ToString();
        }
    }

    /// <summary>The parameter named <paramref name="name"/>, or null.</summary>
    public WarningArg? Arg(string name) => Args.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal));

    /// <summary>Value equality over the code and the parameters.</summary>
    public bool Equals(EngineWarning? other) => other is not null && Code == other.Code && Args.SequenceEqual(other.Args);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Code, Args.Count);

    /// <summary>The English message.</summary>
    public override string ToString() => Message;
}

/// <summary>
/// Every warning code of the engine, named once, with its English template. Codes are stable (API clients and tests
/// keep them); a face must have a translation of every template (a test enumerates them).
/// </summary>
public static class EngineWarningCodes
{
    /// <summary>The patient's weight is outside the hard range: the model is refused. Args: model, value, min, max, hardMin, hardMax (kg).</summary>
    public const string WeightRefused = "model.weight-refused";

    /// <summary>The patient's age is outside the hard range: the model is refused. Args: model, value, min, max, hardMin, hardMax (years).</summary>
    public const string AgeRefused = "model.age-refused";

    /// <summary>The patient's weight is outside the studied range: an extrapolation. Args: model, value, min, max (kg).</summary>
    public const string WeightExtrapolated = "model.weight-extrapolated";

    /// <summary>The patient's age is outside the studied range: an extrapolation. Args: model, value, min, max (years).</summary>
    public const string AgeExtrapolated = "model.age-extrapolated";

    /// <summary>No age was given; the model was built on an age range. Args: model, min, max (years).</summary>
    public const string AgeNotGiven = "model.age-not-given";

    /// <summary>Some subjects of a virtual population weigh outside the studied range. Args: model, count, n, min, max (kg).</summary>
    public const string PopulationWeightExtrapolated = "population.weight-extrapolated";

    /// <summary>Some subjects of a virtual population are aged outside the studied range. Args: model, count, n, min, max (years).</summary>
    public const string PopulationAgeExtrapolated = "population.age-extrapolated";

    /// <summary>The population has no inter-individual variability. Args: model.</summary>
    public const string PopulationNoVariability = "population.no-variability";

    /// <summary>A route's absorption is not the model's own (route table or a labelled assumption). Args: route, source.</summary>
    public const string RouteAssumed = "route.assumed";

    /// <summary>The ke0 was not estimated with this model's PK. Args: ke0 (/min), source, model.</summary>
    public const string Ke0Borrowed = "effect-site.borrowed";

    /// <summary>A TCI target is not reached within the plan. Args: target, minutes, site, reached, rate.</summary>
    public const string TciTargetNotReached = "tci.target-not-reached";

    /// <summary>Effect-site targeting drives plasma above twice the target. Args: peak, ratio.</summary>
    public const string TciPlasmaOvershoot = "tci.plasma-overshoot";

    /// <summary>The plasma ceiling slowed the rise of the effect site. Args: ceiling.</summary>
    public const string TciPlasmaCeiling = "tci.plasma-ceiling";

    /// <summary>A value with a unit was required and none given. Args: field.</summary>
    public const string ParseValueRequired = "parse.value-required";

    /// <summary>The text is NaN or an infinity. Args: field, text.</summary>
    public const string ParseNotFinite = "parse.not-finite";

    /// <summary>The text does not start with a number. Args: field, text.</summary>
    public const string ParseNoNumber = "parse.no-number";

    /// <summary>A number without a unit where a unit is needed. Args: field, text.</summary>
    public const string ParseNoUnit = "parse.no-unit";

    /// <summary>The value overflows in canonical units. Args: field, text.</summary>
    public const string ParseTooLarge = "parse.too-large";

    /// <summary>A volume of 0. Args: field.</summary>
    public const string ParseVolumeNotPositive = "parse.volume-not-positive";

    /// <summary>A body weight outside the accepted range. Args: field, value, min, max (kg).</summary>
    public const string ParseWeightOutOfRange = "parse.weight-out-of-range";

    /// <summary>A number was required and none given. Args: field.</summary>
    public const string ParseNumberRequired = "parse.number-required";

    /// <summary>A comma that cannot be a decimal separator. Args: field, text.</summary>
    public const string ParseComma = "parse.comma";

    /// <summary>A comma used as the decimal separator; the point form is suggested. Args: field, text, suggestion.</summary>
    public const string ParseDecimalComma = "parse.decimal-comma";

    /// <summary>A decimal without its leading zero. Args: field, text, suggestion.</summary>
    public const string ParseNoLeadingZero = "parse.no-leading-zero";

    /// <summary>The text is not a number. Args: field, text.</summary>
    public const string ParseNotANumber = "parse.not-a-number";

    /// <summary>A negative number where 0 or more is needed. Args: field, text.</summary>
    public const string ParseNegative = "parse.negative";

    /// <summary>A quantity of the wrong kind (a rate where a duration is needed). Args: field, text, kind, needed, example.</summary>
    public const string ParseWrongKind = "parse.wrong-kind";

    /// <summary>A unit with an empty part between slashes. Args: field, unit.</summary>
    public const string UnitEmptyPart = "unit.empty-part";

    /// <summary>An unknown unit. Args: field, unit.</summary>
    public const string UnitUnknown = "unit.unknown";

    /// <summary>An unknown unit that starts with a volume (a flow written wrongly). Args: field, unit.</summary>
    public const string UnitUnknownFlow = "unit.unknown-flow";

    /// <summary>A concentration unit with too many parts. Args: field, unit.</summary>
    public const string UnitConcentrationParts = "unit.concentration-parts";

    /// <summary>A weight-normalised rate with more than one time denominator. Args: field, unit.</summary>
    public const string UnitWeightRateParts = "unit.weight-rate-parts";

    /// <summary>A rate unit with too many parts. Args: field, unit.</summary>
    public const string UnitRateParts = "unit.rate-parts";

    /// <summary>A rate unit whose last part is not a time unit. Args: field, unit, part.</summary>
    public const string UnitNotTime = "unit.not-time";

    /// <summary>No dose text was given. Args: field.</summary>
    public const string DoseRequired = "dose.required";

    /// <summary>An infusion over 0 min. Args: field, text.</summary>
    public const string DoseZeroDuration = "dose.zero-duration";

    /// <summary>An administration longer than one may run. Args: field, duration, max (days).</summary>
    public const string DoseTooLong = "dose.too-long";

    /// <summary>A typed duration outside the allowed range. Args: field, duration, max (days).</summary>
    public const string DoseDurationOutOfRange = "dose.duration-out-of-range";

    /// <summary>An amount given "for" a duration. Args: field, text, quantity.</summary>
    public const string DoseAmountFor = "dose.amount-for";

    /// <summary>A rate given "over" a duration. Args: field, text, quantity.</summary>
    public const string DoseRateOver = "dose.rate-over";

    /// <summary>A quantity that is not a dose (a concentration, a volume). Args: field, text, kind.</summary>
    public const string DoseNotADose = "dose.not-a-dose";

    /// <summary>A dose of zero. Args: field, text.</summary>
    public const string DoseZero = "dose.zero";

    /// <summary>A dose above the plausible ketamine maximum. Args: field, text, value, max (with units).</summary>
    public const string DoseImplausible = "dose.implausible";

    /// <summary>An open-ended rate resolved without a duration. Args: field, text.</summary>
    public const string DoseRateNeedsDuration = "dose.rate-needs-duration";

    /// <summary>An unknown model id. Args: field, text, known.</summary>
    public const string ModelUnknown = "model.unknown";

    /// <summary>An unknown route. Args: field, text.</summary>
    public const string RouteUnknown = "route.unknown";

    /// <summary>An unknown effect-site constant. Args: field, text, known.</summary>
    public const string EffectSiteUnknown = "effect-site.unknown";

    /// <summary>An unknown TCI target site. Args: field, text.</summary>
    public const string TciSiteUnknown = "tci.site-unknown";

    /// <summary>The units the parser knows, as every unit message lists them.</summary>
    private const string KnownUnits = " Known units: mg, mcg, g, ng; mg/kg; mg/h, mg/min; mg/kg/h, mcg/kg/min; ng/mL, mg/L, mg/mL, µM; mL, L; mL/h; s, min, h, d.";

    /// <summary>English template of each code; the English text is the key of its translations.</summary>
    /// <remarks>
    /// A plain dictionary: a frozen one loaded System.Collections.Immutable into every population run that warns (the
    /// CLI's memory, docs/performance.md), for a handful of lookups a run.
    /// </remarks>
    public static IReadOnlyDictionary<string, string> Templates { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [WeightRefused] = "{model}: weight {value} is far outside the population the model was built on (weight {min} to {max}); KetaCare refuses it outside {hardMin} to {hardMax}.",
        [AgeRefused] = "{model}: age {value} is far outside the population the model was built on (age {min} to {max}); KetaCare refuses it outside {hardMin} to {hardMax}.",
        [WeightExtrapolated] = "{model}: weight {value} is outside the studied range {min} to {max}; predictions are an extrapolation.",
        [AgeExtrapolated] = "{model}: age {value} is outside the studied range {min} to {max}; predictions are an extrapolation.",
        [AgeNotGiven] = "{model}: age not given; the model was built on ages {min} to {max}.",
        [PopulationWeightExtrapolated] = "{model}: {count} of {n} subjects weigh outside the studied range {min} to {max}; their predictions are an extrapolation.",
        [PopulationAgeExtrapolated] = "{model}: {count} of {n} subjects are aged outside the studied range {min} to {max}; their predictions are an extrapolation.",
        [PopulationNoVariability] = "{model}: the population has no inter-individual variability (no Ω was published or given); subjects differ only by their covariates.",
        [RouteAssumed] = "{route}: the absorption numbers are not the model's own ({source}).",
        [Ke0Borrowed] = "effect site: ke0 {ke0} ({source}) was not estimated with {model}; it is borrowed.",
        [TciTargetNotReached] = "target {target} is not reached within {minutes} ({site} {reached} at the end; maximum rate {rate}).",
        [TciPlasmaOvershoot] = "plasma: effect-site targeting drives plasma to {peak} ({ratio} × the target) to reach the effect site quickly; set maxPlasma to limit it.",
        [TciPlasmaCeiling] = "maxPlasma: the plasma ceiling {ceiling} slowed the rise of the effect site.",
        [ParseValueRequired] = "{field}: a value with a unit is required, e.g. \"0.5 mg/kg\".",
        [ParseNotFinite] = "{field}: \"{text}\" is not a finite number.",
        [ParseNoNumber] = "{field}: \"{text}\" does not start with a number; write e.g. \"0.5 mg/kg\".",
        [ParseNoUnit] = "{field}: \"{text}\" has no unit; write e.g. \"{text} mg\" or \"{text} mg/kg\".",
        [ParseTooLarge] = "{field}: \"{text}\" is too large to be a real value.",
        [ParseVolumeNotPositive] = "{field}: a volume must be greater than 0.",
        [ParseWeightOutOfRange] = "{field}: {value} is outside the allowed range {min}–{max}.",
        [ParseNumberRequired] = "{field}: a number is required.",
        [ParseComma] = "{field}: \"{text}\" contains a comma; write numbers without thousands separators and with a point as the decimal separator.",
        [ParseDecimalComma] = "{field}: \"{text}\" uses a comma; the decimal separator is a point — did you mean {suggestion}? (a comma is never read as a decimal, to avoid 10× errors)",
        [ParseNoLeadingZero] = "{field}: \"{text}\" has no leading zero; write {suggestion} (a naked decimal point is easily missed).",
        [ParseNotANumber] = "{field}: \"{text}\" is not a number.",
        [ParseNegative] = "{field}: \"{text}\" is negative; the value must be 0 or more.",
        [ParseWrongKind] = "{field}: \"{text}\" is a {kind}, but a {needed} is needed here, e.g. \"{example}\".",
        [UnitEmptyPart] = "{field}: the unit \"{unit}\" has an empty part between slashes." + KnownUnits,
        [UnitUnknown] = "{field}: the unit \"{unit}\" is not a known unit." + KnownUnits,
        [UnitUnknownFlow] = "{field}: the unit \"{unit}\" is not a known unit (a flow is written like mL/h)." + KnownUnits,
        [UnitConcentrationParts] = "{field}: the unit \"{unit}\" has too many parts for a concentration (write e.g. ng/mL)." + KnownUnits,
        [UnitWeightRateParts] = "{field}: the unit \"{unit}\" has more than one time denominator; a weight-normalised rate is written like mg/kg/h." + KnownUnits,
        [UnitRateParts] = "{field}: the unit \"{unit}\" has too many parts; a rate is written like mg/h or mg/kg/h." + KnownUnits,
        [UnitNotTime] = "{field}: the unit \"{unit}\" ends in \"{part}\", which is not a time unit (s, min, h, d)." + KnownUnits,
        [DoseRequired] = "{field}: a dose is required, e.g. \"0.5 mg/kg over 60 min\".",
        [DoseZeroDuration] = "{field}: an infusion over 0 min is not an infusion; give it as a bolus (\"{text}\") or give a duration > 0.",
        [DoseTooLong] = "{field}: {duration} is longer than the {max} days one administration may run; split the course into separate administrations.",
        [DoseDurationOutOfRange] = "{field}: a duration of {duration} is outside the allowed range of more than 0 min up to {max} days.",
        [DoseAmountFor] = "{field}: \"{text}\": an amount is given \"over\" a duration (\"{quantity} over 60 min\"); \"for\" goes with a rate (\"0.5 mg/kg/h for 1 h\").",
        [DoseRateOver] = "{field}: \"{text}\": a rate runs \"for\" a duration (\"{quantity} for 60 min\"); \"over\" goes with an amount (\"0.5 mg/kg over 60 min\").",
        [DoseNotADose] = "{field}: \"{text}\" is a {kind}, not a dose; write e.g. \"0.5 mg/kg over 60 min\", \"35 mg\" or \"0.5 mg/kg/h\".",
        [DoseZero] = "{field}: \"{text}\" is zero; a dose must be greater than 0.",
        [DoseImplausible] = "{field}: \"{text}\" = {value} is above the plausible ketamine maximum of {max}; check the unit (mg, not g; per hour, not per minute).",
        [DoseRateNeedsDuration] = "{field}: the rate \"{text}\" needs a duration, e.g. \"{text} for 60 min\".",
        [ModelUnknown] = "{field}: \"{text}\" is not a known model; known: {known}.",
        [RouteUnknown] = "{field}: \"{text}\" is not a route; use iv, im, sc, intranasal, sublingual, oral or rectal.",
        [TciSiteUnknown] = "{field}: \"{text}\" is not a target site; use plasma or effect.",
        [EffectSiteUnknown] = "{field}: \"{text}\" is not a known effect-site constant ({known}).",
    };

    /// <summary>Every code declared on this class (a test checks each has a template and translations).</summary>
    public static IReadOnlyList<string> All => Declared.Codes;

    // Apart, so that reflecting over the fields is paid only by whoever lists the codes, not by every warning.
    private static class Declared
    {
        public static readonly IReadOnlyList<string> Codes = [.. typeof(EngineWarningCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)];
    }
}
