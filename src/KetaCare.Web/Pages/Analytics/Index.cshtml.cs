using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Charts;
using KetaCare.Interop.Reports;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Analytics;

/// <summary>
/// The clinic analytics (physicians and administrators): a GET form of filters, so an analysis is a link; the charts
/// are SVG handlers of the same query; CSV and PDF downloads of the same filter under /exports. De-identified. The
/// identified view — record number and name per course, for a physician with a stated reason — is a POST (the reason
/// never sits in a link, a history or a log) that shows it once, and its CSV a POST with the reason again; neither is
/// remembered, so the next view is de-identified.
/// </summary>
[Authorize(Policy = Policies.Analyse)]
public sealed class IndexModel(AnalyticsService analytics, ClinicRequest request) : PageModel
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

    /// <summary>Why the physician identifies the courses (identified view only).</summary>
    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>The analysis; null when the filter was unreadable or the identified view refused.</summary>
    public AnalyticsReport? Report { get; private set; }

    /// <summary>Why the filter or the identified view was refused, in the reader's language.</summary>
    public IReadOnlyList<string> Errors { get; private set; } = [];

    /// <summary>Protocol ids to choose from.</summary>
    public IReadOnlyList<string> Protocols { get; } = [.. ProtocolLibrary.Default.Protocols.Select(p => p.Id).Distinct()];

    /// <summary>The filter as a query string, for the chart and download links.</summary>
    public string Query => AsQuery().QueryString();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var query = AsQuery().Parse();
        if (!Refused(query))
        {
            Report = await analytics.ReportAsync(query.Value.Filter, query.Value.Axis, request.RequiredUser, cancellationToken);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostIdentifiedAsync(CancellationToken cancellationToken)
    {
        var r = await IdentifiedAsync(cancellationToken);
        Report = r?.IsSuccess == true ? r.Value.Value : null;
        return r is { IsSuccess: false } refused && Forbidden(refused.Refusal) ? new PageResult { StatusCode = StatusCodes.Status403Forbidden } : Page();
    }

    public async Task<IActionResult> OnPostIdentifiedCsvAsync(CancellationToken cancellationToken)
    {
        var r = await IdentifiedAsync(cancellationToken);
        if (r is { IsSuccess: true } ok)
        {
            return File(AnalyticsDocuments.CsvBytes(ok.Value), "text/csv; charset=utf-8", "ketacare-analytics-identified.csv");
        }

        return r is { } refused && Forbidden(refused.Refusal) ? new PageResult { StatusCode = StatusCodes.Status403Forbidden } : Page();
    }

    public async Task<IActionResult> OnGetExposureChartAsync(CancellationToken cancellationToken) =>
        await ChartReportAsync(cancellationToken) is { } r ? Content(AnalyticsCharts.ExposureResponseSvg(r, CultureInfo.CurrentUICulture), "image/svg+xml") : BadRequest(string.Join(' ', Errors));

    public async Task<IActionResult> OnGetRelapseChartAsync(CancellationToken cancellationToken) =>
        await ChartReportAsync(cancellationToken) is { } r ? Content(AnalyticsCharts.RelapseSvg(r, CultureInfo.CurrentUICulture), "image/svg+xml") : BadRequest(string.Join(' ', Errors));

    private AnalyticsQuery AsQuery() => new(From, To, Protocol, Indication, Sex, AgeBand, Axis);

    // Charts are always drawn from the de-identified analysis: no name or record number ever reaches an image.
    private async Task<AnalyticsReport?> ChartReportAsync(CancellationToken cancellationToken)
    {
        var query = AsQuery().Parse();
        return Refused(query) ? null : await analytics.ReportAsync(query.Value.Filter, query.Value.Axis, request.RequiredUser, cancellationToken);
    }

    private async Task<Outcome<AnalyticsReport>?> IdentifiedAsync(CancellationToken cancellationToken)
    {
        var query = AsQuery().Parse();
        if (Refused(query))
        {
            return null;
        }

        var r = await analytics.IdentifiedReportAsync(query.Value.Filter, query.Value.Axis, Reason, request.RequiredUser, cancellationToken);
        if (!r.IsSuccess)
        {
            Errors = [FindingText.Render(r.Findings, r.Error, CultureInfo.CurrentUICulture)];
        }

        return r;
    }

    private bool Refused<T>(Outcome<T> outcome)
    {
        if (!outcome.IsSuccess)
        {
            Errors = [.. outcome.Findings.Select(f => FindingText.Render(f, CultureInfo.CurrentUICulture))];
        }

        return !outcome.IsSuccess;
    }

    private static bool Forbidden(Refusal refusal) => refusal.Findings.Any(f => f.Code == FindingCodes.AnalyticsIdentifyNotPermitted);
}
