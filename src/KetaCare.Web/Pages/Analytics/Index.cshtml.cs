using System.Globalization;
using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Charts;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Analytics;

/// <summary>
/// The clinic analytics (physicians and administrators): a GET form of filters, so an analysis is a link; the charts
/// are SVG handlers of the same query; CSV and PDF downloads of the same filter under /exports. De-identified.
/// </summary>
[Authorize(Policy = Policies.Analyse)]
public sealed class IndexModel(KetaCareDbContext db, ClinicRequest request) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Protocol { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Indication { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sex { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? AgeBand { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Axis { get; set; }

    /// <summary>The analysis; null when the filter was unreadable.</summary>
    public AnalyticsReport? Report { get; private set; }

    /// <summary>Why the filter was refused, field by field.</summary>
    public IReadOnlyList<string> Errors { get; private set; } = [];

    /// <summary>Protocol ids to choose from.</summary>
    public IReadOnlyList<string> Protocols { get; } = [.. ProtocolLibrary.Default.Protocols.Select(p => p.Id).Distinct()];

    /// <summary>The filter as a query string, for the chart and download links.</summary>
    public string Query => AsQuery().QueryString();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Report = await RunAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetExposureChartAsync(CancellationToken cancellationToken) =>
        await RunAsync(cancellationToken) is { } r ? Content(AnalyticsCharts.ExposureResponseSvg(r, CultureInfo.CurrentUICulture), "image/svg+xml") : BadRequest(string.Join(' ', Errors));

    public async Task<IActionResult> OnGetRelapseChartAsync(CancellationToken cancellationToken) =>
        await RunAsync(cancellationToken) is { } r ? Content(AnalyticsCharts.RelapseSvg(r, CultureInfo.CurrentUICulture), "image/svg+xml") : BadRequest(string.Join(' ', Errors));

    private AnalyticsQuery AsQuery() => new(From, To, Protocol, Indication, Sex, AgeBand, Axis);

    private async Task<AnalyticsReport?> RunAsync(CancellationToken cancellationToken)
    {
        var (filter, axis, errors) = AsQuery().Parse();
        Errors = errors;
        return errors.Count > 0 ? null : await new AnalyticsService(db, request.Clock).ReportAsync(filter, axis, request.RequiredUser, cancellationToken);
    }
}
