using KetaCare.Clinic.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KetaCare.Web.Infrastructure;

/// <summary>
/// Where an account lands once signed in, decided here only, for the password step, the two-factor code step and any
/// later sign-in path: a patient's home is the portal (the clinic's pages would only deny them), so a patient follows
/// a return address only inside the portal; staff follow any local return address, else the dashboard.
/// </summary>
public static class Landing
{
    /// <summary>The portal's home page.</summary>
    public const string PortalHome = "/Portal";

    /// <summary>The local address to send <paramref name="user"/> to after signing in.</summary>
    /// <param name="users">The user manager (for the account's roles).</param>
    /// <param name="user">The account just signed in.</param>
    /// <param name="returnUrl">The address asked for before the sign-in, if any; foreign addresses are ignored.</param>
    /// <param name="url">The page's URL helper (decides what is local).</param>
    public static async Task<string> AfterSignInAsync(UserManager<ClinicUser> users, ClinicUser user, string? returnUrl, IUrlHelper url)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(url);
        var local = url.IsLocalUrl(returnUrl) ? returnUrl : null;
        if (await users.IsInRoleAsync(user, ClinicRoles.Patient).ConfigureAwait(false))
        {
            return local is not null && (local == PortalHome || local.StartsWith(PortalHome + "/", StringComparison.OrdinalIgnoreCase) || local.StartsWith(PortalHome + "?", StringComparison.OrdinalIgnoreCase)) ? local : PortalHome;
        }

        return local ?? "/";
    }
}
