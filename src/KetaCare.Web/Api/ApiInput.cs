using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Web.Api;

/// <summary>
/// A number with its unit, e.g. <c>{"value":0.5,"unit":"mg/kg/h"}</c>. The number is a JSON number (never text), so
/// no culture can read 0.5 as 5; the unit is text from the same set the engine's parser reads ("mg", "mg/kg",
/// "mg/kg/h", "mcg/kg/min", "kg", "cm", "min", "h", "ng/mL", "mL/h"…).
/// </summary>
/// <param name="Value">The number (a JSON number with a point as decimal separator).</param>
/// <param name="Unit">The unit.</param>
public sealed record Quantity(double Value, string Unit)
{
    /// <summary>The quantity as the engine's invariant text ("0.5 mg/kg/h"), for its parsers and their range checks.</summary>
    internal string Text => string.Create(CultureInfo.InvariantCulture, $"{Value:R} {Unit?.Trim()}");

    internal static Quantity Of(double value, string unit) => new(value, unit);
}

/// <summary>
/// A JSON request body read by the endpoint itself rather than by the framework, so that a body that does not fit
/// (a number sent as text with a comma, a date in another format, an unknown enum name) is reported as a validation
/// problem naming the JSON path instead of a bare 400. The endpoint declares the body type with <c>.Accepts&lt;T&gt;()</c>.
/// </summary>
/// <typeparam name="T">The request type.</typeparam>
public sealed partial class JsonBody<T>
    where T : class
{
    private JsonBody(T? value, string? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The body; null when <see cref="Error"/> is set.</summary>
    public T? Value { get; }

    /// <summary>Why the body could not be read, naming the JSON path; null when it was read.</summary>
    public string? Error { get; }

    /// <summary>Reads the body with the app's JSON options (invariant numbers, enums by name).</summary>
    public static async ValueTask<JsonBody<T>> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.HasJsonContentType())
        {
            return new(null, "body: send a JSON object with Content-Type: application/json.");
        }

        try
        {
            var value = await context.Request.ReadFromJsonAsync<T>(context.RequestAborted).ConfigureAwait(false);
            return value is null ? new(null, "body: a JSON object is required.") : new(value, null);
        }
        catch (JsonException e)
        {
            // The serializer's own message names CLR types; the client needs the JSON path and what is expected.
            var path = Root().Replace(e.Path ?? string.Empty, string.Empty);
            return new(null, (path.Length == 0 ? "body" : path) + ": not valid here — numbers are JSON numbers with a point (0.5), dates yyyy-MM-dd, times ISO 8601 with Z, names as listed in the OpenAPI document.");
        }
    }

    [GeneratedRegex("^\\$\\.?", RegexOptions.CultureInvariant)]
    private static partial Regex Root();
}

/// <summary>Collects every input error of one request (not just the first), then answers with one validation problem.</summary>
internal sealed partial class ApiInput
{
    private readonly List<string> _errors = [];

    /// <summary>True when nothing was refused so far.</summary>
    public bool IsValid => _errors.Count == 0;

    /// <summary>The validation problem, or null when the input is valid.</summary>
    public IResult? Problem => IsValid ? null : ApiProblems.Invalid(_errors);

    /// <summary>Starts from a body that may not have been read.</summary>
    public static ApiInput From<T>(JsonBody<T> body, out T value)
        where T : class
    {
        var input = new ApiInput();
        input.Add(body.Error);
        value = body.Value!;
        return input;
    }

    /// <summary>Adds an error (ignored when null).</summary>
    public void Add(string? error)
    {
        if (error is not null)
        {
            _errors.Add(error);
        }
    }

    /// <summary>The value, or an error "field: required (hint)." when it is missing or blank.</summary>
    public T? Required<T>(T? value, string field, string hint)
    {
        if (value is null || (value is string s && string.IsNullOrWhiteSpace(s)))
        {
            _errors.Add($"{field}: required ({hint}).");
        }

        return value;
    }

    /// <summary>The parsed value, or default with the parser's error (which names the field and the range).</summary>
    public TOut? Parsed<TOut>(ParseResult<TOut> result)
    {
        Add(result.Error);
        return result.IsSuccess ? result.Value : default;
    }

    /// <summary>A plain number within [min, max] (JSON number); null stays null.</summary>
    public double? InRange(double? value, string field, double min, double max, string unit)
    {
        if (value is { } v && (!double.IsFinite(v) || v < min || v > max))
        {
            _errors.Add(string.Create(CultureInfo.InvariantCulture, $"{field}: {SafeNumber.Format(v)} {unit} is outside the allowed range {SafeNumber.Format(min)}–{SafeNumber.Format(max)} {unit}."));
        }

        return value;
    }

    /// <summary>An ISO 8601 time with Z or an explicit offset, as UTC; a time without one is refused rather than read in the server's zone.</summary>
    public DateTimeOffset? UtcTime(string? text, string field)
    {
        if (text is not null && ExplicitOffset().IsMatch(text.Trim())
            && DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var t))
        {
            return t.ToUniversalTime();
        }

        _errors.Add($"{field}: \"{text}\" is not an ISO 8601 time with Z or an offset, e.g. 2026-03-02T09:15:00Z.");
        return null;
    }

    /// <summary>A quantity's unit must be one of <paramref name="units"/> (the engine's parser would accept more kinds than the field means).</summary>
    public Quantity? Unit(Quantity? quantity, string field, params string[] units)
    {
        if (quantity is not null && !units.Contains(quantity.Unit?.Trim(), StringComparer.Ordinal))
        {
            _errors.Add($"{field}.unit: \"{quantity.Unit}\" is not accepted here; use {string.Join(" or ", units)}.");
            return null;
        }

        return quantity;
    }

    [GeneratedRegex("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex ExplicitOffset();
}
