using System.Globalization;
using KetaCare.Interop.Text;
using Microsoft.Extensions.Localization;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Services;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Admin;

/// <summary>One protocol: a version's fields and sources, the version history, and the form to revise it.</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class ProtocolModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, IStringLocalizer<Strings> T) : PageModel
{
    public IReadOnlyList<ProtocolVersionInfo> Versions { get; private set; } = [];

    public ProtocolVersionInfo Shown { get; private set; } = null!;

    public ProtocolVersionInfo Latest => Versions[^1];

    public IReadOnlyDictionary<UserId, string> Names { get; private set; } = new Dictionary<UserId, string>();

    public ClinicTime Time => time;

    [BindProperty]
    public ProtocolForm Form { get; set; } = new();

    [BindProperty]
    public int ExpectedVersion { get; set; }

    public string? Error { get; private set; }

    /// <summary>A dose level with the number in the user's culture.</summary>
    public string Dose(DoseLevel level) => Patients.PatientView.Dose(level);

    public async Task<IActionResult> OnGetAsync(string id, int? version, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, version, cancellationToken))
        {
            return NotFound();
        }

        Form = ProtocolForm.From(Latest.Protocol);
        ExpectedVersion = Latest.Protocol.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, null, cancellationToken))
        {
            return NotFound();
        }

        // The id is the page's, never the form's: a revision cannot move to another protocol.
        Form.Id = id;
        var protocol = Form.ToProtocol(ExpectedVersion + 1, Latest.Protocol);
        var revised = protocol.IsSuccess
            ? await new ProtocolService(db, request.Clock).ReviseAsync(protocol.Value, ExpectedVersion, Form.Reason, request.RequiredUser, cancellationToken)
            : protocol;
        if (!revised.IsSuccess)
        {
            Error = FindingText.Render(revised.Findings, revised.Error, CultureInfo.CurrentCulture);
            return Page();
        }

        TempData["Message"] = T["Protocol {0} saved as version {1}.", revised.Value.Id, revised.Value.Version].Value;
        return Redirect("/Admin/Protocols/" + Uri.EscapeDataString(id));
    }

    private async Task<bool> LoadAsync(string id, int? version, CancellationToken cancellationToken)
    {
        Versions = await new ProtocolService(db, request.Clock).VersionsAsync(id, cancellationToken);
        if (Versions.Count == 0)
        {
            return false;
        }

        var shown = version is null ? Latest : Versions.FirstOrDefault(v => v.Protocol.Version == version);
        if (shown is null)
        {
            return false;
        }

        Shown = shown;
        Names = await new AuditLogService(db).DisplayNamesAsync(Versions.Select(v => v.CreatedBy), cancellationToken);
        return true;
    }
}
