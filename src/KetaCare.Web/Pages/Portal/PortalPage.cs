using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Portal;

/// <summary>
/// What every portal page has: the Portal policy (the Patient role only), the signed-in patient's own view loaded
/// through <see cref="PortalService"/> (which resolves the patient from the account, never from the request), and a
/// refusal shown in the patient's language. Pages are laid out for a phone first.
/// </summary>
/// <param name="portal">The portal service of the request.</param>
/// <param name="request">The signed-in account.</param>
/// <param name="time">The clinic's time zone.</param>
[Authorize(Policy = Policies.Portal)]
public abstract class PortalPage(PortalService portal, ClinicRequest request, ClinicTime time) : PageModel
{
    /// <summary>The patient's own view, after <see cref="LoadAsync"/>.</summary>
    public PortalView View { get; private set; } = null!;

    /// <summary>A refusal to show, in the reader's language.</summary>
    public string? Error { get; protected set; }

    /// <summary>The entry a correction amends (posted by a page's correction form).</summary>
    [BindProperty]
    public Guid Entry { get; set; }

    /// <summary>The chart version the correction form was read at.</summary>
    [BindProperty]
    public long Version { get; set; }

    /// <summary>Why the patient corrects the entry.</summary>
    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>The clinic's time zone.</summary>
    public ClinicTime Time => time;

    /// <summary>Now in the clinic's zone, for a datetime-local input.</summary>
    public string NowLocal => time.Local(request.Clock.GetUtcNow()).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    /// <summary>Today in the clinic's zone.</summary>
    public DateOnly Today => time.Today(request.Clock);

    /// <summary>The portal service.</summary>
    protected PortalService Portal => portal;

    /// <summary>The signed-in patient's account.</summary>
    protected UserId Account => request.RequiredUser;

    /// <summary>The request's clock.</summary>
    protected TimeProvider Clock => request.Clock;

    /// <summary>Loads the patient's own view; false (→ 403) for an account linked to no patient.</summary>
    protected async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var view = await portal.ViewAsync(Account, Today, cancellationToken).ConfigureAwait(false);
        if (!view.IsSuccess)
        {
            return false;
        }

        View = view.Value;
        return true;
    }

    /// <summary>The page, or 403 when the account is linked to no patient.</summary>
    protected async Task<IActionResult> ShowAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken).ConfigureAwait(false) ? Page() : Forbid();

    /// <summary>Shows a refusal (or a parse error) on the page again.</summary>
    protected async Task<IActionResult> FailAsync(string error, CancellationToken cancellationToken)
    {
        Error = error;
        return await ShowAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A refusal in the reader's language.</summary>
    protected static string Say(Refusal refusal) => FindingText.Render(refusal.Findings, refusal.Error, CultureInfo.CurrentCulture);
}

/// <summary>The words a clinician task's state is shown with.</summary>
public static class TaskLabels
{
    /// <summary>The English text (the key of its translation) of a task state.</summary>
    public static string Of(KetaCare.Clinic.Portal.TaskState state) => state switch
    {
        KetaCare.Clinic.Portal.TaskState.Open => "open",
        KetaCare.Clinic.Portal.TaskState.Acknowledged => "in hand",
        _ => "closed",
    };
}
