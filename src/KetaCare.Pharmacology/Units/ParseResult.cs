using System.Diagnostics.CodeAnalysis;

namespace KetaCare.Pharmacology.Units;

/// <summary>The outcome of parsing user text: a value, or an error message that says what is wrong and what is allowed.</summary>
/// <typeparam name="T">The parsed type.</typeparam>
public readonly struct ParseResult<T>
{
    private readonly T? _value;

    private ParseResult(T? value, string? error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>Why the text was refused; null on success.</summary>
    public string? Error { get; }

    /// <summary>True when the text was understood.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value; throws <see cref="FormatException"/> with the error text when parsing failed.</summary>
    public T Value => IsSuccess ? _value! : throw new FormatException(Error);

    /// <summary>A successful result.</summary>
    public static ParseResult<T> Ok(T value) => new(value, null);

    /// <summary>A failed result.</summary>
    public static ParseResult<T> Fail(string error) => new(default, error);

    /// <summary>Gets the value when parsing succeeded.</summary>
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value!;
        return IsSuccess;
    }

    /// <summary>Maps a successful value; errors pass through.</summary>
    public ParseResult<TOut> Select<TOut>(Func<T, TOut> map) =>
        IsSuccess ? ParseResult<TOut>.Ok(map(_value!)) : ParseResult<TOut>.Fail(Error);
}
