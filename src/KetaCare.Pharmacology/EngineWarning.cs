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
            var sb = new StringBuilder(Template);
            foreach (var a in Args)
            {
                sb.Replace("{" + a.Name + "}", a.Invariant());
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

    /// <summary>English template of each code; the English text is the key of its translations.</summary>
    /// <remarks>
    /// A plain dictionary: a frozen one loaded System.Collections.Immutable into every population run that warns (the
    /// CLI's memory, docs/performance.md), for thirteen lookups a run.
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
