using KetaCare.Interop.Text;
using Microsoft.Extensions.Localization;
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
public sealed class IndexModel(IStringLocalizer<Strings> T, WorkLimits limits) : PageModel
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
        if (run is null && Stopped)
        {
            return StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

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

        // Bounded (WorkLimits): a population run checks the token between blocks of simulated time.
        using var bound = WorkLimits.Bound(HttpContext, limits.Simulation);
        try
        {
            var (run, error) = SimulatorRun.Execute(request, bound.Token);
            return (run, error is null ? [] : [error]);
        }
        catch (OperationCanceledException) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Stopped = true;
            return (null, [T["The simulation took longer than the {0} s this server allows and was stopped; ask for fewer subjects or a shorter time.", limits.Simulation.TotalSeconds]]);
        }
    }

    /// <summary>True when the run was stopped at the time limit.</summary>
    public bool Stopped { get; private set; }
}
