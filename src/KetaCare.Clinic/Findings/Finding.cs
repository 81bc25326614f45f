using System.Globalization;
using System.Text;

namespace KetaCare.Clinic.Findings;

/// <summary>How a finding bears on the step it was raised for.</summary>
public enum FindingSeverity
{
    /// <summary>Refused; nobody can override it.</summary>
    HardStop,

    /// <summary>Refused unless a physician overrides it with a reason, which is recorded.</summary>
    NeedsOverride,

    /// <summary>Allowed; shown and recorded.</summary>
    Warning,

    /// <summary>Allowed; for information.</summary>
    Info,
}

/// <summary>One named parameter of a finding: a number (with its unit) or a token such as a state or field name.</summary>
/// <param name="Name">Parameter name used by the message templates, e.g. "value", "limit", "field".</param>
/// <param name="Number">The number, in <paramref name="Unit"/>; null for a text parameter.</param>
/// <param name="Unit">The unit as written on screens ("mg/kg/h", "mmHg", "%"), or empty.</param>
/// <param name="Text">The token (a state, a field, an id), or null for a number.</param>
public sealed record FindingArg(string Name, double? Number, string Unit, string? Text)
{
    /// <summary>A number with its unit.</summary>
    public static FindingArg Of(string name, double number, string unit = "") => new(name, number, unit, null);

    /// <summary>A token (state, field, id); faces may translate known tokens.</summary>
    public static FindingArg Of(string name, string text) => new(name, null, string.Empty, text);

    /// <summary>The value in the invariant culture, for logs and the canonical form.</summary>
    public string Invariant() => Number is { } n
        ? n.ToString("0.###", CultureInfo.InvariantCulture) + (Unit.Length > 0 ? " " + Unit : string.Empty)
        : Text ?? string.Empty;
}

/// <summary>
/// What a rule found: a stable code (<see cref="FindingCodes"/>), its severity, its parameters and the source of the
/// rule. The domain never builds a sentence; faces turn a finding into text in the user's language, and the API
/// chooses its status from the code.
/// </summary>
/// <param name="Code">Stable code, e.g. "vital.spo2-low".</param>
/// <param name="Severity">Hard stop, needs override, warning or info.</param>
/// <param name="Args">Named parameters (numbers with units, tokens).</param>
/// <param name="Source">Where the rule or limit comes from; null for workflow refusals that follow from the state.</param>
public sealed record Finding(string Code, FindingSeverity Severity, IReadOnlyList<FindingArg> Args, Source? Source = null)
{
    /// <summary>A finding with parameters.</summary>
    public static Finding Of(string code, FindingSeverity severity, Source? source, params FindingArg[] args) => new(code, severity, args, source);

    /// <summary>A hard-stop refusal with parameters and no source (a workflow rule).</summary>
    public static Finding Refused(string code, params FindingArg[] args) => new(code, FindingSeverity.HardStop, args);

    /// <summary>The parameter named <paramref name="name"/>, or null.</summary>
    public FindingArg? Arg(string name) => Args.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal));

    /// <summary>The number of parameter <paramref name="name"/>; throws when absent (a programmer error).</summary>
    public double Number(string name) => Arg(name)?.Number ?? throw new KeyNotFoundException($"finding {Code} has no number '{name}'.");

    /// <summary>"vital.spo2-low(value=88 %, limit=90 %)": the canonical, culture-invariant form for logs and tests.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Code);
        if (Args.Count > 0)
        {
            sb.Append('(').AppendJoin(", ", Args.Select(a => a.Name + "=" + a.Invariant())).Append(')');
        }

        return sb.ToString();
    }

    /// <summary>Value equality over the code, severity, parameters and source.</summary>
    public bool Equals(Finding? other) =>
        other is not null && Code == other.Code && Severity == other.Severity && Args.SequenceEqual(other.Args) && Equals(Source, other.Source);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Code, Severity, Args.Count);
}
