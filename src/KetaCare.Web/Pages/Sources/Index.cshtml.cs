using KetaCare.Clinic.Sources;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Sources;

/// <summary>
/// The sources the models, dose limits, rules and documents rest on (<see cref="Bibliography"/>), grouped by topic,
/// searchable, each with its key (the anchor a citation links to), full citation and DOI or PubMed link where checked.
/// </summary>
[Authorize(Policy = Policies.Reference)]
public sealed class IndexModel : PageModel
{
    /// <summary>Search text (key or citation).</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    /// <summary>The sources shown, by topic in the reference's order.</summary>
    public IReadOnlyList<IGrouping<SourceTopic, BibliographyEntry>> Groups { get; private set; } = [];

    public void OnGet()
    {
        var q = Query is { Length: > 200 } ? Query[..200] : Query;
        Groups = [.. Bibliography.Search(q).GroupBy(s => s.Topic)];
    }
}
