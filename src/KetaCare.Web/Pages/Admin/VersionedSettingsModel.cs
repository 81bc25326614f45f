using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Admin;

/// <summary>
/// What every page of a versioned clinic setting has: the version the form was made against, the reason, the version
/// in force with its history and authors, and a refusal shown in the reader's language.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="time">Times in the clinic's zone.</param>
public abstract class VersionedSettingsModel(KetaCareDbContext db, ClinicTime time) : PageModel
{
    [BindProperty]
    public int ExpectedVersion { get; set; }

    [BindProperty]
    public string Reason { get; set; } = string.Empty;

    public int Version { get; private set; }

    public IReadOnlyList<SettingVersion> History { get; private set; } = [];

    public IReadOnlyDictionary<UserId, string> Names { get; private set; } = new Dictionary<UserId, string>();

    public string? Error { get; protected set; }

    public ClinicTime Time => time;

    /// <summary>The context of this request.</summary>
    protected KetaCareDbContext Db => db;

    /// <summary>Reads the history of <paramref name="key"/> with its authors' names; <paramref name="version"/> is the version in force.</summary>
    protected async Task LoadHistoryAsync(SettingsService settings, string key, int version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Version = version;
        History = await settings.HistoryAsync(key, cancellationToken);
        Names = await new AuditLogService(db).DisplayNamesAsync(History.Where(h => h.CreatedBy is not null).Select(h => h.CreatedBy!.Value), cancellationToken);
    }

    /// <summary>Shows a refused save in the reader's language on the page again.</summary>
    protected void Refused(Refusal refusal) => Error = FindingText.Render(refusal.Findings, refusal.Error, CultureInfo.CurrentCulture);
}
