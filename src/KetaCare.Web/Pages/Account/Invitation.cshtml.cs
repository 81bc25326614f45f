using System.Globalization;
using KetaCare.Clinic.Portal;
using KetaCare.Interop.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Account;

/// <summary>
/// Accepting a portal invitation (open to anyone holding the link): shows the sign-in name of the invited account and
/// sets the password the patient chooses, under the clinic's password rules. The link works once and until it expires.
/// </summary>
public sealed class InvitationModel(PortalAccounts accounts) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string Password { get; set; } = string.Empty;

    /// <summary>The invited account's sign-in name; null when the link is not valid.</summary>
    public string? UserName { get; private set; }

    public string? Error { get; private set; }

    /// <summary>True once the password was set.</summary>
    public bool Accepted { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        UserName = await accounts.InvitedUserNameAsync(Token, cancellationToken).ConfigureAwait(false);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var r = await accounts.AcceptAsync(Token, Password, cancellationToken).ConfigureAwait(false);
        Password = string.Empty;
        if (r.IsSuccess)
        {
            UserName = r.Value;
            Accepted = true;
            return Page();
        }

        Error = FindingText.Render(r.Findings, r.Error, CultureInfo.CurrentCulture);
        UserName = await accounts.InvitedUserNameAsync(Token, cancellationToken).ConfigureAwait(false);
        return Page();
    }
}
