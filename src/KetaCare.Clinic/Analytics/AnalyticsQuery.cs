using System.Globalization;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Findings;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Analytics;

/// <summary>
/// The analytics filter as every face receives it — the page's and the API's query string, the downloads, the
/// <c>ketacare analytics</c> options: from and to as yyyy-MM-dd; protocol; indication, sex, ageBand and axis by their
/// names (any case). One reading for all faces, so a filter means the same everywhere; each unreadable field is a coded
/// finding naming the field and what it accepts. Empty fields do not filter.
/// </summary>
/// <param name="From">First session on or after (yyyy-MM-dd).</param>
/// <param name="To">First session on or before (yyyy-MM-dd), not before <paramref name="From"/>.</param>
/// <param name="Protocol">Protocol id.</param>
/// <param name="Indication">An <see cref="Eligibility.Indication"/> name.</param>
/// <param name="Sex">Female or Male.</param>
/// <param name="AgeBand">Under40, From40To59 or From60.</param>
/// <param name="Axis">PlasmaAuc (default) or DoseMgPerKg.</param>
public sealed record AnalyticsQuery(string? From, string? To, string? Protocol, string? Indication, string? Sex, string? AgeBand, string? Axis)
{
    /// <summary>The field names as the query string writes them, in the order they are read.</summary>
    public static IReadOnlyList<string> Fields { get; } = ["from", "to", "protocol", "indication", "sex", "ageBand", "axis"];

    /// <summary>
    /// The filter and axis, or a refusal with one finding per unreadable field (<see cref="FindingCodes.AnalyticsFilterDate"/>,
    /// <see cref="FindingCodes.AnalyticsFilterChoice"/>, <see cref="FindingCodes.AnalyticsFilterDatesOrder"/>).
    /// </summary>
    /// <param name="fieldName">How the face names a field of <see cref="Fields"/> ("ageBand" → "--age-band" on the command line); the query-string name when null.</param>
    public Outcome<(AnalyticsFilter Filter, ExposureAxis Axis)> Parse(Func<string, string>? fieldName = null)
    {
        var name = fieldName ?? (f => f);
        var findings = new List<Finding>();
        var from = Day(From, name("from"), findings);
        var to = Day(To, name("to"), findings);
        if (from is { } f && to is { } t && t < f)
        {
            findings.Add(Finding.Refused(FindingCodes.AnalyticsFilterDatesOrder, FindingArg.Of("field", name("to")), FindingArg.Of("from", f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
        }

        var filter = new AnalyticsFilter(
            from,
            to,
            string.IsNullOrWhiteSpace(Protocol) ? null : Protocol.Trim(),
            Named<Indication>(Indication, name("indication"), findings),
            Named<Sex>(Sex, name("sex"), findings),
            Named<AgeBand>(AgeBand, name("ageBand"), findings));
        var axis = Named<ExposureAxis>(Axis, name("axis"), findings) ?? ExposureAxis.PlasmaAuc;
        return findings.Count > 0 ? Refusal.Of(findings) : Outcome<(AnalyticsFilter, ExposureAxis)>.Ok((filter, axis));
    }

    /// <summary>The query string of this filter ("?from=…&amp;axis=…"), for links to the charts and the downloads.</summary>
    public string QueryString()
    {
        var given = Fields.Zip([From, To, Protocol, Indication, Sex, AgeBand, Axis])
            .Where(p => !string.IsNullOrWhiteSpace(p.Second))
            .Select(p => p.First + "=" + Uri.EscapeDataString(p.Second!.Trim()))
            .ToList();
        return given.Count == 0 ? string.Empty : "?" + string.Join('&', given);
    }

    private static DateOnly? Day(string? text, string field, List<Finding> findings)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        findings.Add(Finding.Refused(FindingCodes.AnalyticsFilterDate, FindingArg.Of("field", field), FindingArg.Of("text", text)));
        return null;
    }

    private static T? Named<T>(string? text, string field, List<Finding> findings)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // Names only: a number would be accepted by Enum.TryParse and name nothing.
        if (Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name)
        {
            return Enum.Parse<T>(name);
        }

        findings.Add(Finding.Refused(FindingCodes.AnalyticsFilterChoice, FindingArg.Of("field", field), FindingArg.Of("text", text), FindingArg.Of("allowed", string.Join(", ", Enum.GetNames<T>()))));
        return null;
    }
}
