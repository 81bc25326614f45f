using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using KetaCare.Clinic.Findings;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic;

/// <summary>Identifies a patient.</summary>
/// <param name="Value">The underlying identifier.</param>
public readonly record struct PatientId(Guid Value)
{
    /// <summary>A new random id.</summary>
    public static PatientId New() => new(Guid.NewGuid());

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("D");
}

/// <summary>Identifies a user of the system (physician, nurse, pharmacist).</summary>
/// <param name="Value">The underlying identifier.</param>
public readonly record struct UserId(Guid Value)
{
    /// <summary>A new random id.</summary>
    public static UserId New() => new(Guid.NewGuid());

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("D");
}

/// <summary>Identifies a treatment plan.</summary>
/// <param name="Value">The underlying identifier.</param>
public readonly record struct PlanId(Guid Value)
{
    /// <summary>A new random id.</summary>
    public static PlanId New() => new(Guid.NewGuid());

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("D");
}

/// <summary>Identifies an infusion session.</summary>
/// <param name="Value">The underlying identifier.</param>
public readonly record struct SessionId(Guid Value)
{
    /// <summary>A new random id.</summary>
    public static SessionId New() => new(Guid.NewGuid());

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("D");
}

/// <summary>Identifies an eligibility assessment.</summary>
/// <param name="Value">The underlying identifier.</param>
public readonly record struct AssessmentId(Guid Value)
{
    /// <summary>A new random id.</summary>
    public static AssessmentId New() => new(Guid.NewGuid());

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("D");
}

/// <summary>Identifies one entry in a chart (a weight, a condition, an observation…); stable across amendments.</summary>
/// <param name="Value">The underlying identifier.</param>
public readonly record struct EntryId(Guid Value)
{
    /// <summary>A new random id.</summary>
    public static EntryId New() => new(Guid.NewGuid());

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("D");
}

/// <summary>Where a rule, limit or number comes from, and how sure we are ([P]/[S]/[U] as in docs/clinical-reference.md, or a labelled assumption).</summary>
/// <param name="Section">The entry of docs/clinical-reference.md ("clinical-reference: Consensus guideline (cohen2018)"), or "assumption".</param>
/// <param name="Reference">The paper, label or guideline, e.g. "Cohen SP et al., Reg Anesth Pain Med 2018;43:521".</param>
/// <param name="Certainty">How sure we are.</param>
public sealed record Source(string Section, string Reference, Certainty Certainty)
{
    /// <summary>Cohen 2018 consensus guideline (ASRA/AAPM/ASA) [S].</summary>
    public static Source Cohen2018 { get; } = new("clinical-reference: Consensus guideline (cohen2018)", "Cohen SP et al., Reg Anesth Pain Med 2018;43:521–546 (ASRA/AAPM/ASA)", Certainty.Secondary);

    /// <summary>Ketalar label [P].</summary>
    public static Source KetalarLabel { get; } = new("clinical-reference: Product label (ketalar-label)", "Ketalar (ketamine HCl) prescribing information", Certainty.Primary);

    /// <summary>
    /// Hypersensitivity to ketamine or to any excipient (the UK summary of product characteristics; the US label names
    /// ketamine, and its multi-dose vials carry benzethonium chloride as preservative) [P].
    /// </summary>
    public static Source KetaminePreparationAllergy { get; } = new("clinical-reference: Allergies (ketalar-smpc)", "Ketalar SmPC (Pfizer UK, MHRA 2019): hypersensitivity to the active substance or any excipient; US label: hypersensitivity to ketamine", Certainty.Primary);

    /// <summary>IMMPACT responder thresholds [P].</summary>
    public static Source Immpact { get; } = new("clinical-reference: Scales and codes (dworkin2008)", "Dworkin RH et al., J Pain 2008 (IMMPACT)", Certainty.Primary);

    /// <summary>The modified Aldrete score: five items 0–2, discharge at a total of 9 or more [P].</summary>
    public static Source AldreteScale { get; } = new("clinical-reference: Scales and codes (aldrete1995)", "Aldrete JA, J Clin Anesth 1995;7:89–91 (the modified post-anaesthetic recovery score)", Certainty.Primary);

    /// <summary>A KetaCare assumption: configurable, not from any source.</summary>
    /// <param name="why">What the value is anchored on and why it was chosen.</param>
    public static Source Assumption(string why) => new("assumption", why, Certainty.Assumption);

    /// <summary>"clinical-reference: Consensus guideline (cohen2018); Cohen SP … [S]".</summary>
    public override string ToString() => $"{Section}; {Reference} [{CertaintyTag}]";

    /// <summary>The certainty as the reference labels it: P, S, U, or "assumption, configurable".</summary>
    public string CertaintyTag => Tag(Certainty);

    private static string Tag(Certainty c) => c switch
    {
        Certainty.Primary => "P",
        Certainty.Secondary => "S",
        Certainty.Unverified => "U",
        _ => "assumption, configurable",
    };
}

/// <summary>The outcome of a domain operation that can be refused for an expected reason (bad input, a rule that does not pass).</summary>
/// <typeparam name="T">The value on success.</typeparam>
public readonly struct Outcome<T>
{
    private readonly T? _value;
    private readonly IReadOnlyList<Finding>? _findings;

    private Outcome(T? value, string? error, IReadOnlyList<Finding>? findings)
    {
        _value = value;
        Error = error;
        _findings = findings;
    }

    /// <summary>
    /// Why the operation was refused: the coded findings in their canonical form, or (for refusals not yet coded) a
    /// sentence naming the field and the allowed range; null on success.
    /// </summary>
    public string? Error { get; }

    /// <summary>The coded findings of a refusal (empty on success and for refusals not yet coded).</summary>
    public IReadOnlyList<Finding> Findings => _findings ?? [];

    /// <summary>True when the operation succeeded.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value; throws <see cref="InvalidOperationException"/> with the error when refused.</summary>
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException(Error);

    /// <summary>The refusal of a failed outcome, to pass on as another outcome type.</summary>
    public Refusal Refusal => IsSuccess ? throw new InvalidOperationException("the outcome succeeded.") : new Refusal(Error, Findings);

    /// <summary>A success.</summary>
    public static Outcome<T> Ok(T value) => new(value, null, null);

    /// <summary>A refusal.</summary>
    public static Outcome<T> Fail(string error) => new(default, error, null);

    /// <summary>Converts a refusal of another type.</summary>
    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal.Error, refusal.Findings);
}

/// <summary>The outcome of a domain operation with no value: success, or a refusal with its reason.</summary>
public readonly struct Outcome
{
    private readonly IReadOnlyList<Finding>? _findings;

    private Outcome(string? error, IReadOnlyList<Finding>? findings)
    {
        Error = error;
        _findings = findings;
    }

    /// <summary>Why the operation was refused (canonical findings or a sentence); null on success.</summary>
    public string? Error { get; }

    /// <summary>The coded findings of a refusal (empty on success and for refusals not yet coded).</summary>
    public IReadOnlyList<Finding> Findings => _findings ?? [];

    /// <summary>True when the operation succeeded.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The refusal of a failed outcome, to pass on as another outcome type.</summary>
    public Refusal Refusal => IsSuccess ? throw new InvalidOperationException("the outcome succeeded.") : new Refusal(Error, Findings);

    /// <summary>A success.</summary>
    public static Outcome Ok() => default;

    /// <summary>A refusal.</summary>
    public static Outcome Fail(string error) => new(error, null);

    /// <summary>Converts a refusal.</summary>
    public static implicit operator Outcome(Refusal refusal) => new(refusal.Error, refusal.Findings);
}

/// <summary>
/// A refusal that converts to any <see cref="Outcome{T}"/>. Coded refusals carry their <see cref="Findings"/> and an
/// <see cref="Error"/> that is only their canonical form; faces render the findings in the user's language.
/// </summary>
public readonly record struct Refusal
{
    private readonly IReadOnlyList<Finding>? _findings;

    /// <summary>
    /// A refusal without a code: a sentence naming the field and the allowed range, for a face's own input errors
    /// (written in the reader's language). Every refusal of the clinic layer carries findings; a test scans for this.
    /// </summary>
    public Refusal(string error)
        : this(error, null)
    {
    }

    /// <summary>A refusal with its text and findings.</summary>
    public Refusal(string error, IReadOnlyList<Finding>? findings)
    {
        Error = error;
        _findings = findings is { Count: > 0 } ? findings : null;
    }

    /// <summary>Why: the canonical form of the findings, or a sentence.</summary>
    public string Error { get; }

    /// <summary>The coded findings (empty for a refusal not yet coded).</summary>
    public IReadOnlyList<Finding> Findings => _findings ?? [];

    /// <summary>A coded refusal of one or more findings.</summary>
    public static Refusal Of(params Finding[] findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        return findings.Length == 0
            ? throw new ArgumentException("a coded refusal needs at least one finding.", nameof(findings))
            : new(string.Join("; ", findings.Select(f => f.ToString())), findings);
    }

    /// <summary>
    /// Input the engine's parser refused, as a refusal that keeps its code and typed arguments; an engine refusal
    /// without a code (a simulation that cannot run) becomes <see cref="FindingCodes.EngineRefused"/> with its text.
    /// </summary>
    public static Refusal From<T>(Pharmacology.Units.ParseResult<T> failed) => failed.IsSuccess
        ? throw new ArgumentException("the parse succeeded.", nameof(failed))
        : failed.Reason is { } reason
            ? new(reason.Message, [Finding.Refused(reason.Code, [.. reason.Args.Select(a => new FindingArg(a.Name, a.Number, a.Unit, a.Text))])])
            : new(failed.Error, [Finding.Refused(FindingCodes.EngineRefused, FindingArg.Of("text", failed.Error))]);

    /// <summary>A coded refusal of the findings in <paramref name="findings"/>.</summary>
    public static Refusal Of(IEnumerable<Finding> findings) => Of([.. findings]);

    /// <summary>A hard-stop refusal with one code and its parameters.</summary>
    public static Refusal Coded(string code, params FindingArg[] args) => Of(Finding.Refused(code, args));

    /// <summary>
    /// "{field}: {value} is outside the allowed range {min} to {max}." as a coded refusal with the value and the bounds
    /// typed (<see cref="FindingCodes.InputOutOfRange"/>).
    /// </summary>
    /// <param name="field">The field, as the English text names it.</param>
    /// <param name="value">The value given.</param>
    /// <param name="min">The lowest allowed value.</param>
    /// <param name="max">The highest allowed value.</param>
    /// <param name="valueUnit">The unit written after the value ("mmHg"), or empty.</param>
    /// <param name="maxUnit">The unit written after the maximum ("minutes"), or empty.</param>
    public static Refusal OutOfRange(string field, double value, double min, double max, string valueUnit = "", string maxUnit = "") => new(
        string.Create(CultureInfo.InvariantCulture, $"{field}: {value}{Spaced(valueUnit)} is outside the allowed range {min} to {max}{Spaced(maxUnit)}."),
        [Finding.Refused(FindingCodes.InputOutOfRange, FindingArg.Of("field", field), FindingArg.Of("value", value, valueUnit), FindingArg.Of("min", min), FindingArg.Of("max", max, maxUnit))]);

    private static string Spaced(string unit) => unit.Length > 0 ? " " + unit : string.Empty;

    /// <summary>"session 3f…: not found" as a coded refusal (the API answers 404).</summary>
    public static Refusal NotFound(string what, object id) =>
        Coded(FindingCodes.NotFound, FindingArg.Of("what", what), FindingArg.Of("id", Convert.ToString(id, CultureInfo.InvariantCulture) ?? string.Empty));
}

/// <summary>Throws for broken invariants and programmer errors; expected failures are <see cref="Outcome"/> values instead.</summary>
internal static class Guard
{
    public static double InRange(double value, double min, double max, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            Throw(name, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max} (was {value})"));
        }

        return value;
    }

    public static string NotBlank(string? value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Throw(name, "must not be empty");
        }

        return value;
    }

    public static DateTimeOffset Utc(DateTimeOffset value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value.Offset != TimeSpan.Zero)
        {
            Throw(name, "must be in UTC (clinical events are stored in UTC)");
        }

        return value;
    }

    [DoesNotReturn]
    private static void Throw(string? name, string rule) => throw new ArgumentException($"{name} {rule}.", name);
}

/// <summary>Whether a chart entry counts: active, replaced by an amendment, or marked entered-in-error. Entries are never deleted.</summary>
public enum EntryStatus
{
    /// <summary>The current version of the entry.</summary>
    Active,

    /// <summary>Replaced by an amendment; kept for history.</summary>
    Amended,

    /// <summary>Recorded by mistake (wrong patient, wrong value); kept for history, ignored by rules.</summary>
    EnteredInError,
}

/// <summary>
/// One version of one chart entry. An amendment adds a new version with the same <see cref="Id"/> and a
/// reason, and marks the previous version <see cref="EntryStatus.Amended"/>; nothing is overwritten or deleted.
/// </summary>
/// <typeparam name="T">The recorded value (an immutable record).</typeparam>
/// <param name="Id">The entry's identity, shared by all its versions.</param>
/// <param name="Revision">1 for the first version, +1 per amendment.</param>
/// <param name="Value">What was recorded.</param>
/// <param name="RecordedAt">When this version was recorded (UTC, from the injected clock).</param>
/// <param name="RecordedBy">Who recorded it.</param>
/// <param name="Status">Whether this version counts.</param>
/// <param name="Reason">Why it was amended or marked in error (required for both); null for a first entry.</param>
public sealed record ChartEntry<T>(EntryId Id, int Revision, T Value, DateTimeOffset RecordedAt, UserId RecordedBy, EntryStatus Status, string? Reason)
    where T : notnull
{
    /// <summary>True when this version is the one rules use.</summary>
    public bool IsActive => Status == EntryStatus.Active;
}

/// <summary>
/// An append-only list of chart entries with amendment and entered-in-error, used for every kind of entry
/// in an aggregate. Not thread-safe (aggregates are edited by one request at a time; the version guards
/// concurrent edits when stored).
/// </summary>
/// <typeparam name="T">The recorded value.</typeparam>
public sealed class ChartHistory<T>
    where T : notnull
{
    private readonly List<ChartEntry<T>> _all = [];

    /// <summary>Every version of every entry, in recording order.</summary>
    public IReadOnlyList<ChartEntry<T>> All => _all;

    /// <summary>The active versions.</summary>
    public IEnumerable<ChartEntry<T>> Active => _all.Where(e => e.IsActive);

    /// <summary>The active values.</summary>
    public IEnumerable<T> ActiveValues => Active.Select(e => e.Value);

    internal ChartEntry<T> Add(T value, DateTimeOffset at, UserId by)
    {
        var entry = new ChartEntry<T>(EntryId.New(), 1, value, Guard.Utc(at), by, EntryStatus.Active, null);
        _all.Add(entry);
        return entry;
    }

    // The id travels as text so the reader's face can show it as stored; "entry" stays the field an API client sees.
    private static Refusal NoActiveEntry(EntryId id) => new(
        $"entry {id}: no active entry with this id.",
        [Finding.Refused(FindingCodes.ChartEntryNotActive, FindingArg.Of("field", "entry"), FindingArg.Of("id", id.ToString()))]);

    internal Outcome<ChartEntry<T>> Amend(EntryId id, T value, string reason, DateTimeOffset at, UserId by)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Refusal("reason: an amendment needs a reason.", [Finding.Refused(FindingCodes.ChartAmendReasonMissing, FindingArg.Of("field", "reason"))]);
        }

        var index = _all.FindIndex(e => e.Id == id && e.IsActive);
        if (index < 0)
        {
            return NoActiveEntry(id);
        }

        var old = _all[index];
        _all[index] = old with { Status = EntryStatus.Amended };
        var entry = new ChartEntry<T>(id, old.Revision + 1, value, Guard.Utc(at), by, EntryStatus.Active, reason.Trim());
        _all.Add(entry);
        return Outcome<ChartEntry<T>>.Ok(entry);
    }

    internal Outcome MarkEnteredInError(EntryId id, string reason, DateTimeOffset at, UserId by)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Refusal("reason: marking an entry entered-in-error needs a reason.", [Finding.Refused(FindingCodes.ChartEnteredInErrorReasonMissing, FindingArg.Of("field", "reason"))]);
        }

        var index = _all.FindIndex(e => e.Id == id && e.IsActive);
        if (index < 0)
        {
            return NoActiveEntry(id);
        }

        var old = _all[index];
        _all[index] = old with { Status = EntryStatus.Amended };
        _all.Add(old with { Revision = old.Revision + 1, RecordedAt = Guard.Utc(at), RecordedBy = by, Status = EntryStatus.EnteredInError, Reason = reason.Trim() });
        return Outcome.Ok();
    }
}
