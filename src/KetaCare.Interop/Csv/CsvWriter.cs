using System.Globalization;
using System.Text;

namespace KetaCare.Interop.Csv;

/// <summary>
/// Writes RFC 4180 CSV: CRLF line ends, fields holding a comma, a double quote, CR or LF are quoted with inner quotes
/// doubled; numbers with the invariant culture; times as ISO 8601 UTC. A text field that a spreadsheet would run as a
/// formula — starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return — is written with a
/// leading apostrophe (OWASP, CSV injection), so <c>=HYPERLINK(…)</c> typed as a drug name opens as text; a plain
/// number such as <c>-1.5</c> is left as it is. Not thread-safe.
/// </summary>
public sealed class CsvWriter
{
    private readonly StringBuilder _text = new();
    private readonly int _columns;

    /// <summary>Starts a file with its header row.</summary>
    public CsvWriter(IReadOnlyList<string> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        _columns = header.Count;
        Row(header);
    }

    /// <summary>Writes one row; it must have as many fields as the header.</summary>
    public void Row(IReadOnlyList<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count != _columns)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"row: {fields.Count} fields for {_columns} columns."), nameof(fields));
        }

        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                _text.Append(',');
            }

            _text.Append(Quote(Neutralise(fields[i] ?? string.Empty)));
        }

        _text.Append("\r\n");
    }

    /// <summary>The CSV text.</summary>
    public override string ToString() => _text.ToString();

    /// <summary>A field as RFC 4180 wants it.</summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }

    /// <summary>
    /// The field with a leading apostrophe when a spreadsheet would read it as a formula (first character
    /// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR) and it is not a plain number; otherwise unchanged.
    /// </summary>
    public static string Neutralise(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.Length == 0 || field[0] is not ('=' or '+' or '-' or '@' or '\t' or '\r'))
        {
            return field;
        }

        return PlainNumber(field) ? field : "'" + field;
    }

    // What Number() writes: an optional minus, digits, an optional point and digits. Nothing a spreadsheet runs.
    private static bool PlainNumber(string s)
    {
        var i = s[0] == '-' ? 1 : 0;
        var digits = 0;
        var point = false;
        for (; i < s.Length; i++)
        {
            if (char.IsAsciiDigit(s[i]))
            {
                digits++;
            }
            else if (s[i] == '.' && !point && digits > 0)
            {
                point = true;
            }
            else
            {
                return false;
            }
        }

        return digits > 0 && s[^1] != '.';
    }

    /// <summary>A number, invariant culture, up to six decimals and no trailing zeros; empty for null.</summary>
    public static string Number(double? value) => value is { } v ? v.ToString("0.######", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>An integer, invariant culture; empty for null.</summary>
    public static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>"2026-01-06T09:00:00Z"; empty for null.</summary>
    public static string Time(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>"2026-01-06"; empty for null.</summary>
    public static string Date(DateOnly? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;
}
