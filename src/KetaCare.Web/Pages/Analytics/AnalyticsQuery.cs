using System.Globalization;
using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Eligibility;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Web.Pages.Analytics;

/// <summary>
/// The analytics filter as the page, the API and the downloads write it in a query string (from, to as yyyy-MM-dd;
/// protocol; indication, sex, ageBand and axis by their names); each unreadable field is an error naming the field
/// and what it accepts. Empty fields do not filter.
/// </summary>
/// <param name="From">First session on or after (yyyy-MM-dd).</param>
/// <param name="To">First session on or before (yyyy-MM-dd).</param>
/// <param name="Protocol">Protocol id.</param>
/// <param name="Indication">An <see cref="Clinic.Eligibility.Indication"/> name.</param>
/// <param name="Sex">Female or Male.</param>
/// <param name="AgeBand">Under40, From40To59 or From60.</param>
/// <param name="Axis">PlasmaAuc (default) or DoseMgPerKg.</param>
public sealed record AnalyticsQuery(string? From, string? To, string? Protocol, string? Indication, string? Sex, string? AgeBand, string? Axis)
{
    /// <summary>The filter and axis, or the errors ("from: … is not a date (yyyy-MM-dd).").</summary>
    public (AnalyticsFilter Filter, ExposureAxis Axis, IReadOnlyList<string> Errors) Parse()
    {
        var errors = new List<string>();
        var from = Day(From, "from", errors);
        var to = Day(To, "to", errors);
        if (from is { } f && to is { } t && t < f)
        {
            errors.Add("to: must be on or after from.");
        }

        var filter = new AnalyticsFilter(
            from,
            to,
            string.IsNullOrWhiteSpace(Protocol) ? null : Protocol.Trim(),
            Named<Indication>(Indication, "indication", errors),
            Named<Sex>(Sex, "sex", errors),
            Named<AgeBand>(AgeBand, "ageBand", errors));
        return (filter, Named<ExposureAxis>(Axis, "axis", errors) ?? ExposureAxis.PlasmaAuc, errors);
    }

    /// <summary>The query string of this filter ("?from=…&amp;axis=…"), for links to the charts and the downloads.</summary>
    public string QueryString() =>
        QueryHelpers(("from", From), ("to", To), ("protocol", Protocol), ("indication", Indication), ("sex", Sex), ("ageBand", AgeBand), ("axis", Axis));

    private static string QueryHelpers(params (string Name, string? Value)[] pairs)
    {
        var given = pairs.Where(p => !string.IsNullOrWhiteSpace(p.Value)).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!.Trim())).ToList();
        return given.Count == 0 ? string.Empty : "?" + string.Join('&', given);
    }

    private static DateOnly? Day(string? text, string field, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        errors.Add($"{field}: \"{text}\" is not a date (yyyy-MM-dd).");
        return null;
    }

    private static T? Named<T>(string? text, string field, List<string> errors)
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

        errors.Add($"{field}: \"{text}\" is not one of {string.Join(", ", Enum.GetNames<T>())}.");
        return null;
    }
}
