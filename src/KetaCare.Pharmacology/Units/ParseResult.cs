using System.Diagnostics.CodeAnalysis;

namespace KetaCare.Pharmacology.Units;

/// <summary>
/// The outcome of parsing user text: a value, or why it was refused. A coded refusal (<see cref="Reason"/>) carries a
/// stable code and typed arguments so a face can say it in the reader's language; <see cref="Error"/> is its English
/// text, which the CLI and the API show.
/// </summary>
/// <typeparam name="T">The parsed type.</typeparam>
public readonly struct ParseResult<T>
{
    private readonly T? _value;

    private ParseResult(T? value, string? error, EngineWarning? reason)
    {
        _value = value;
        Error = error;
        Reason = reason;
    }

    /// <summary>Why the text was refused, in English; null on success.</summary>
    public string? Error { get; }

    /// <summary>Why the text was refused as a code with typed arguments (<see cref="EngineWarningCodes"/>); null on success or for an uncoded refusal.</summary>
    public EngineWarning? Reason { get; }

    /// <summary>True when the text was understood.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value; throws <see cref="FormatException"/> with the error text when parsing failed.</summary>
    public T Value => IsSuccess ? _value! : throw new FormatException(Error);

    /// <summary>A successful result.</summary>
    public static ParseResult<T> Ok(T value) => new(value, null, null);

    /// <summary>A failed result with an English text only.</summary>
    public static ParseResult<T> Fail(string error) => new(default, error, null);

    /// <summary>A failed result with a code and typed arguments; <see cref="Error"/> is its English message.</summary>
    public static ParseResult<T> Fail(EngineWarning reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return new(default, reason.Message, reason);
    }

    /// <summary>A failure passed on from another parse, keeping its code.</summary>
    /// <exception cref="InvalidOperationException">When <paramref name="failed"/> succeeded.</exception>
    public static ParseResult<T> Fail<TOther>(ParseResult<TOther> failed) => failed.IsSuccess
        ? throw new InvalidOperationException("Only a failed result can be passed on as a failure.")
        : new(default, failed.Error, failed.Reason);

    /// <summary>Gets the value when parsing succeeded.</summary>
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value!;
        return IsSuccess;
    }

    /// <summary>Maps a successful value; errors pass through with their code.</summary>
    public ParseResult<TOut> Select<TOut>(Func<T, TOut> map) =>
        IsSuccess ? ParseResult<TOut>.Ok(map(_value!)) : ParseResult<TOut>.Fail(this);
}
