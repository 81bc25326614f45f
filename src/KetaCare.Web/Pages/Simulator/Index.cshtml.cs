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
/// same query string, as SVG. Results are kept by query (<see cref="SimulatorJobs"/>), so the chart does not simulate
/// again; population bands above <see cref="SimulatorInput.MaxInlinePopulation"/> patients run in the background and
/// the page follows them through the Population handler (wwwroot/js/simulator.js).
/// </summary>
[Authorize(Policy = Policies.Simulate)]
public sealed class IndexModel(IStringLocalizer<Strings> T, WorkLimits limits, SimulatorJobs jobs) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "")]
    public SimulatorInput Input { get; set; } = new();

    /// <summary>The models of the library, with their citations.</summary>
    public static IReadOnlyList<PkModel> Models => ModelLibrary.All;

    public SimulatorRun? Result { get; private set; }

    /// <summary>The background population run of this query, when its population is too large for the request.</summary>
    public SimulatorJob? Job { get; private set; }

    /// <summary>Virtual patients of the background run.</summary>
    public int JobPatients { get; private set; }

    /// <summary>Band of the background run, central %.</summary>
    public int JobBand { get; private set; }

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

        var (request, errors) = Input.Parse();
        if (request?.Population is { } pop && pop.Count > SimulatorInput.MaxInlinePopulation)
        {
            // The profile now, the bands in the background: the page shows their progress.
            (Result, Errors) = Run(request with { Population = null }, Key() + "|profile");
            if (Result is not null)
            {
                Job = jobs.Start(Key(), request);
                (JobPatients, JobBand) = (pop.Count, pop.Band);
                if (Job is null)
                {
                    Errors = [T["The server is busy with other population runs; try again in a minute."]];
                }
            }

            return;
        }

        (Result, Errors) = request is null ? (null, errors) : Run(request, Key());
    }

    /// <summary>GET ?handler=Chart&amp;kind=profile|tci|population plus the form's query: the chart as SVG.</summary>
    public IActionResult OnGetChart(string? kind)
    {
        var (request, _) = Input.Parse();
        if (request is null)
        {
            return NotFound();
        }

        SimulatorRun? run;
        if (request.Population is { } pop && pop.Count > SimulatorInput.MaxInlinePopulation)
        {
            // A background run's chart exists once the run is done; the profile is simulated again (milliseconds).
            run = kind == "population" ? jobs.Find(Key())?.Result : Run(request with { Population = null }, Key() + "|profile").Run;
        }
        else
        {
            run = Run(request, Key()).Run;
        }

        if (run is null && Stopped)
        {
            return StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        var svg = run?.ChartSvg(kind ?? "profile", ChartText.For(System.Globalization.CultureInfo.CurrentUICulture), T["manual pump"]);
        return svg is null ? NotFound() : Content(svg, "image/svg+xml", Encoding.UTF8);
    }

    /// <summary>
    /// GET ?handler=Population plus the form's query: where the background population run stands, as JSON (state,
    /// percent done, and when done the chart URL, heading and warnings). Starts the run when this instance holds none,
    /// so a shared URL works on any instance.
    /// </summary>
    public IActionResult OnGetPopulation()
    {
        var (request, _) = Input.Parse();
        if (request?.Population is not { } pop || pop.Count <= SimulatorInput.MaxInlinePopulation)
        {
            return NotFound();
        }

        var job = jobs.Find(Key()) ?? jobs.Start(Key(), request);
        if (job is null)
        {
            return new JsonResult(new { state = "busy", error = T["The server is busy with other population runs; try again in a minute."] });
        }

        var outcome = job.Result?.Population;
        return new JsonResult(new
        {
            state = job.State.ToString().ToLowerInvariant(),
            percent = (int)Math.Floor(job.Progress * 100),
            chart = outcome is null ? null : ChartUrl("population"),
            title = outcome is null ? null : T["Population: {0} virtual patients, central {1} % band", outcome.Summary.SubjectCount, outcome.Options.Band].Value,
            warnings = outcome?.Warnings ?? [],
            error = job.State == SimulatorJobState.Failed ? ErrorText(job.Error) : null,
        });
    }

    /// <summary>POST ?handler=CancelPopulation plus the form's query: cancels the background run (204).</summary>
    public IActionResult OnPostCancelPopulation()
    {
        jobs.Cancel(Key());
        return StatusCode(StatusCodes.Status204NoContent);
    }

    /// <summary>The URL of <paramref name="handler"/> for this page's query.</summary>
    public string HandlerUrl(string handler) => QueryHelpers.AddQueryString("/Simulator", QueryWithout().Append(new("handler", handler)));

    /// <summary>The chart URL for this page's query.</summary>
    public string ChartUrl(string kind) =>
        QueryHelpers.AddQueryString("/Simulator", QueryWithout().Append(new("handler", "Chart")).Append(new("kind", kind)));

    private IEnumerable<KeyValuePair<string, string?>> QueryWithout() =>
        QueryHelpers.ParseQuery(Request.QueryString.Value)
            .Where(kv => kv.Key is not ("handler" or "kind"))
            .SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string?>(kv.Key, v)));

    // A run is identified by its query in a fixed order and the UI language (its warnings are worded in it).
    private string Key() =>
        System.Globalization.CultureInfo.CurrentUICulture.Name + "|" + string.Join('&', QueryWithout()
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .ThenBy(kv => kv.Value, StringComparer.Ordinal)
            .Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value ?? string.Empty)));

    private (SimulatorRun? Run, IReadOnlyList<string> Errors) Run(SimulatorRequest request, string key)
    {
        // Bounded (WorkLimits): a population run checks the token between blocks of simulated time.
        using var bound = WorkLimits.Bound(HttpContext, limits.Simulation);
        try
        {
            var (run, error) = jobs.RunNow(key, request, bound.Token);
            return (run, error is null ? [] : [error]);
        }
        catch (OperationCanceledException) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            Stopped = true;
            return (null, [ErrorText(SimulatorJobs.TimedOut)!]);
        }
    }

    private string? ErrorText(string? error) => error == SimulatorJobs.TimedOut
        ? T["The simulation took longer than the {0} s this server allows and was stopped; ask for fewer subjects or a shorter time.", limits.Simulation.TotalSeconds]
        : error;

    /// <summary>True when the run was stopped at the time limit.</summary>
    public bool Stopped { get; private set; }
}
