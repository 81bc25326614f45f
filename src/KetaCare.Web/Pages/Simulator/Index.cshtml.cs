using System.Text;
using KetaCare.Interop.Charts;
using KetaCare.Pharmacology.Models;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace KetaCare.Web.Pages.WhatIf;

/// <summary>
/// What-if simulation without patient data: a model, a patient's covariates and a regimen or a TCI target, with optional
/// population bands. A GET form (nothing is stored, the URL is shareable); charts come from the Chart handler with the
/// same query string, as SVG.
/// </summary>
[Authorize(Policy = Policies.Simulate)]
public sealed class IndexModel(Texts T) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "")]
    public SimulatorInput Input { get; set; } = new();

    /// <summary>The models of the library, with their citations.</summary>
    public static IReadOnlyList<PkModel> Models => ModelLibrary.All;

    public SimulatorRun? Result { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    /// <summary>True when the query asked for a run (a model was given).</summary>
    public bool Asked => Request.Query.ContainsKey("model");

    public PkModel SelectedModel => ModelLibrary.Find(Input.Model) ?? ModelLibrary.All[0];

    public void OnGet()
    {
        if (!Asked)
        {
            return;
        }

        (Result, Errors) = Run();
    }

    /// <summary>GET ?handler=Chart&amp;kind=profile|tci|population plus the form's query: the chart as SVG.</summary>
    public IActionResult OnGetChart(string? kind)
    {
        var (run, _) = Run();
        var svg = run?.ChartSvg(kind ?? "profile", ChartText.For(System.Globalization.CultureInfo.CurrentUICulture), T["manual pump"]);
        return svg is null ? NotFound() : Content(svg, "image/svg+xml", Encoding.UTF8);
    }

    /// <summary>The chart URL for this page's query.</summary>
    public string ChartUrl(string kind)
    {
        var query = QueryHelpers.ParseQuery(Request.QueryString.Value)
            .Where(kv => kv.Key is not ("handler" or "kind"))
            .SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string?>(kv.Key, v)))
            .Append(new("handler", "Chart"))
            .Append(new("kind", kind));
        return QueryHelpers.AddQueryString("/Simulator", query);
    }

    private (SimulatorRun? Run, IReadOnlyList<string> Errors) Run()
    {
        var (request, errors) = Input.Parse();
        if (request is null)
        {
            return (null, errors);
        }

        var (run, error) = SimulatorRun.Execute(request);
        return (run, error is null ? [] : [error]);
    }
}
