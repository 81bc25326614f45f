using System.Net;
using System.Text.RegularExpressions;
using KetaCare.Clinic;
using KetaCare.Clinic.Sources;
using Microsoft.AspNetCore.Html;

namespace KetaCare.Web.Infrastructure;

/// <summary>
/// A rule's, limit's or model's source as a reader wants it: the citation, linked to its entry on the Sources page
/// when the source is a work of the bibliography, with its certainty tag — never the internal pointer into the
/// clinical reference (section and key). The citation stays in the language it was published in
/// (marked <c>lang="en"</c>).
/// </summary>
public static partial class SourceView
{
    /// <summary>The source as HTML (encoded).</summary>
    public static IHtmlContent Html(Source source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var text = WebUtility.HtmlEncode(source.Reference);
        var key = Key().Match(source.Section) is { Success: true } m ? m.Groups[1].Value : null;
        var body = key is not null && Bibliography.Find(key) is not null
            ? $"<a href=\"/Sources#{WebUtility.HtmlEncode(key)}\" class=\"source-link\" lang=\"en\">{text}</a>"
            : $"<span lang=\"en\">{text}</span>";
        return new HtmlString($"{body} <span class=\"muted\" lang=\"en\">[{WebUtility.HtmlEncode(source.CertaintyTag)}]</span>");
    }

    [GeneratedRegex(@"\(([a-z0-9-]+)\)\s*$")]
    private static partial Regex Key();
}
