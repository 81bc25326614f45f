using System.Globalization;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace KetaCare.Web.Pages.Audit;

/// <summary>Search the audit log (newest first, paged); a GET form, so a search is a link. Reads only.</summary>
[Authorize(Policy = Policies.Audit)]
public sealed class IndexModel(KetaCareDbContext db, ClinicTime time, ClinicRequest request) : PageModel
{
    /// <summary>Events per page.</summary>
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Patient { get; set; }

    [BindProperty(Name = "user", SupportsGet = true)]
    public string? ByUser { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Entity { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(Name = "page", SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<string> Actions { get; private set; } = [];

    public IReadOnlyList<string> EntityTypes { get; private set; } = [];

    public AuditPage? Result { get; private set; }

    public string? Error { get; private set; }

    public ClinicTime Time => time;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var log = new AuditLogService(db);
        (Actions, EntityTypes) = await log.VocabularyAsync(cancellationToken);
        var today = time.Today(request.Clock);
        if (!Day(From, "from", today, out var from) || !Day(To, "to", today, out var to))
        {
            return;
        }

        var r = await log.SearchAsync(
            new AuditQuery
            {
                Patient = Patient,
                User = ByUser,
                Action = Action,
                EntityType = Entity,
                From = from,
                Before = to?.AddDays(1),
                Page = PageNumber,
                PageSize = PageSize,
            },
            cancellationToken);
        if (r.IsSuccess)
        {
            Result = r.Value;
        }
        else
        {
            Error = FindingText.Render(r.Findings, r.Error, CultureInfo.CurrentCulture);
        }
    }

    /// <summary>The same search on another page.</summary>
    public string PageUrl(int page)
    {
        var q = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["patient"] = Patient,
            ["user"] = ByUser,
            ["action"] = Action,
            ["entity"] = Entity,
            ["from"] = From,
            ["to"] = To,
            ["page"] = page.ToString(CultureInfo.InvariantCulture),
        };
        return QueryHelpers.AddQueryString("/Audit", q.Where(kv => !string.IsNullOrEmpty(kv.Value)));
    }

    /// <summary>A yyyy-MM-dd date in the clinic's zone as the UTC instant of its midnight.</summary>
    private bool Day(string? text, string field, DateOnly today, out DateTimeOffset? utc)
    {
        utc = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            Error = $"{field}: \"{text}\" is not a date; write yyyy-MM-dd.";
            return false;
        }

        // The search ends at the midnight after "to", and a clinic zone ahead of UTC moves midnight back a day: the
        // first and last representable days have no such neighbours. No event predates the earliest chart date.
        var latest = DateOnly.MaxValue.AddDays(-1);
        if (day < ChartInput.EarliestDate || day > latest)
        {
            Error = string.Create(CultureInfo.InvariantCulture, $"{field}: {ClinicTime.ShowDate(day)} is outside the allowed range {ClinicTime.ShowDate(ChartInput.EarliestDate)} to {ClinicTime.ShowDate(latest)}.");
            return false;
        }

        if (!time.TryParseLocal(ClinicTime.ShowDate(day) + "T00:00", today, field, out var instant, out _))
        {
            Error = $"{field}: \"{text}\" is not a date; write yyyy-MM-dd.";
            return false;
        }

        utc = instant;
        return true;
    }
}
