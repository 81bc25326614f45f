using System.Globalization;

namespace KetaCare.Web.Infrastructure;

/// <summary>
/// How long one request's expensive work may run: a PDF report, a simulation with population bands, a FHIR read of a
/// whole record. The work gets a token that is cancelled when the client goes away or the time is up, and checks it
/// as it goes (every PDF line and page, every block of simulated time), so it stops rather than running on for nobody.
/// A request that runs out of time is answered 503 with what was stopped; one whose client left gets no answer.
/// Configured in seconds (<c>Limits:ReportSeconds</c>, <c>Limits:SimulationSeconds</c>, <c>Limits:FhirSeconds</c>).
/// </summary>
public sealed class WorkLimits
{
    /// <summary>Longest a PDF report may take (default 30 s; a long course renders in well under a second).</summary>
    public TimeSpan Report { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest a simulator run may take, population bands included (default 30 s).</summary>
    public TimeSpan Simulation { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest a FHIR read may take (default 30 s).</summary>
    public TimeSpan Fhir { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The limits from configuration, each a positive number of seconds; defaults where absent.</summary>
    public static WorkLimits From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var defaults = new WorkLimits();
        TimeSpan Read(string key, TimeSpan fallback) =>
            double.TryParse(configuration["Limits:" + key], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 3600
                ? TimeSpan.FromSeconds(s)
                : fallback;
        return new WorkLimits
        {
            Report = Read("ReportSeconds", defaults.Report),
            Simulation = Read("SimulationSeconds", defaults.Simulation),
            Fhir = Read("FhirSeconds", defaults.Fhir),
        };
    }

    /// <summary>A token cancelled when the request is aborted or after <paramref name="limit"/>; dispose it with the request's work.</summary>
    public static CancellationTokenSource Bound(HttpContext http, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(http);
        var cts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        if (limit < TimeSpan.FromMilliseconds(1))
        {
            cts.Cancel(); // below a timer's resolution: already out of time, not "whenever the timer fires"
        }
        else
        {
            cts.CancelAfter(limit);
        }

        return cts;
    }

    /// <summary>
    /// Runs <paramref name="work"/> within <paramref name="limit"/>; when the time runs out first, answers
    /// <paramref name="timedOut"/> instead. A client that went away ends the work and gets nothing.
    /// </summary>
    public static async Task<IResult> RunAsync(HttpContext http, TimeSpan limit, Func<CancellationToken, Task<IResult>> work, Func<IResult> timedOut)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(timedOut);
        using var bound = Bound(http, limit);
        try
        {
            return await work(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            return timedOut();
        }
    }

    /// <summary>The ProblemDetails of a report or simulation stopped at its limit: 503, naming what and how long.</summary>
    public static IResult TooLong(string what, TimeSpan limit) => Results.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "The work took too long and was stopped",
        detail: string.Create(CultureInfo.InvariantCulture, $"{what} took longer than the {limit.TotalSeconds:0.###} s this server allows and was stopped; nothing was stored. Try again, or ask the administrator to check the server's load."));
}
