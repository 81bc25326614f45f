using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Portal;

/// <summary>An invitation just made: the link to hand over (shown once, never stored) and what the sender did with it.</summary>
/// <param name="Account">The patient's portal account (not usable until accepted).</param>
/// <param name="UserName">The account's sign-in name.</param>
/// <param name="Link">The one-time link with its token.</param>
/// <param name="ExpiresAt">When the link stops working (UTC).</param>
/// <param name="Delivery">What <see cref="IPatientMessages"/> did with it.</param>
public sealed record PortalInvitation(UserId Account, string UserName, Uri Link, DateTimeOffset ExpiresAt, PatientMessageResult Delivery);

/// <summary>A patient's portal account as staff see it on the chart.</summary>
/// <param name="Account">The account.</param>
/// <param name="UserName">Its sign-in name.</param>
/// <param name="Accepted">True once the patient set a password.</param>
/// <param name="InvitationExpiresAt">End of the pending invitation, or null when none is pending.</param>
public sealed record PortalAccountStatus(UserId Account, string UserName, bool Accepted, DateTimeOffset? InvitationExpiresAt);

/// <summary>
/// Patient portal accounts: staff invite a patient from the chart, the patient accepts the one-time link by setting a
/// password under the clinic's password rules, and the account (role <see cref="ClinicRoles.Patient"/>) is linked to
/// exactly that patient by a claim. Only a SHA-256 hash of the link's secret is stored, with its expiry; accepting
/// removes it. Every step is audited with the patient. One instance per unit of work; not thread-safe.
/// </summary>
/// <param name="users">Identity's user manager on <paramref name="db"/>.</param>
/// <param name="db">The context.</param>
/// <param name="clock">The clock for expiry.</param>
/// <param name="messages">The sender of the invitation (by default none: <see cref="UnconfiguredPatientMessages"/>).</param>
public sealed class PortalAccounts(UserManager<ClinicUser> users, KetaCareDbContext db, TimeProvider clock, IPatientMessages messages)
{
    /// <summary>The claim type that links a portal account to its patient (value: the patient id).</summary>
    public const string PatientClaim = "ketacare:patient";

    /// <summary>How long an invitation link works (assumption: long enough to reach the patient, short enough to limit a leaked link).</summary>
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromHours(72);

    private const string TokenProvider = "KetaCare";
    private const string TokenName = "portal-invitation";
    private const string SecondFactorMark = "2fa";

    /// <summary>The patient a portal account is linked to, or null for any other account.</summary>
    public async Task<PatientId?> PatientOfAsync(UserId account, CancellationToken cancellationToken = default)
    {
        var value = await db.UserClaims.AsNoTracking()
            .Where(c => c.UserId == account.Value && c.ClaimType == PatientClaim)
            .Select(c => c.ClaimValue).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return Guid.TryParse(value, out var g) ? new PatientId(g) : null;
    }

    /// <summary>The portal account of a patient, or null when none was made.</summary>
    public async Task<PortalAccountStatus?> StatusAsync(PatientId patient, CancellationToken cancellationToken = default)
    {
        var user = await AccountOfAsync(patient, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return null;
        }

        var pending = Parse(await users.GetAuthenticationTokenAsync(user, TokenProvider, TokenName).ConfigureAwait(false));
        return new PortalAccountStatus(user.ClinicId, user.UserName ?? string.Empty, user.PasswordHash is not null, pending?.ExpiresAt);
    }

    /// <summary>
    /// Invites a patient: makes the portal account on first invitation (no password yet, so nobody can sign in to it),
    /// replaces any pending link with a new one (the old one stops working), and hands it to <see cref="IPatientMessages"/>.
    /// For an account already in use (a forgotten password) the new link lets the patient set a new password; the
    /// current password keeps working until then. Refused for an unknown patient.
    /// </summary>
    /// <param name="patient">The patient.</param>
    /// <param name="acceptPage">The absolute address of the page that accepts invitations; the token is added as <c>?token=</c>.</param>
    /// <param name="by">The inviting clinician.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task<Outcome<PortalInvitation>> InviteAsync(PatientId patient, Uri acceptPage, UserId by, CancellationToken cancellationToken = default) =>
        InviteAsync(patient, acceptPage, by, null, null, cancellationToken);

    /// <summary>
    /// Invites a patient as <see cref="InviteAsync(PatientId, Uri, UserId, CancellationToken)"/> does and has
    /// <see cref="IPatientMessages"/> send the link by e-mail: to <paramref name="email"/> when given, else to the e-mail
    /// address on the patient's chart (none: staff hand the link over), in <paramref name="language"/> when given, else in
    /// the chart's language of messages (English when the chart has none). An invitation is not a reminder, so it does not
    /// wait for the reminder consent. Refused, before anything is stored, for an address that is not one (field "email")
    /// or a language other than en or tr.
    /// </summary>
    /// <param name="patient">The patient.</param>
    /// <param name="acceptPage">The absolute address of the page that accepts invitations.</param>
    /// <param name="by">The inviting clinician.</param>
    /// <param name="email">An e-mail address for this invitation only, or null or blank for the chart's.</param>
    /// <param name="language">The message's language, "en" or "tr", or null for the chart's.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task<Outcome<PortalInvitation>> InviteAsync(PatientId patient, Uri acceptPage, UserId by, string? email, string? language, CancellationToken cancellationToken = default) =>
        InviteAsync(patient, acceptPage, by, email, language, null, cancellationToken);

    /// <summary>
    /// Re-invites a patient who lost their second factor (a new phone, a deleted authenticator app): a new link as
    /// <see cref="InviteAsync(PatientId, Uri, UserId, string?, string?, CancellationToken)"/> makes, whose acceptance sets
    /// the new password and also resets two-factor sign-in (off, a new authenticator key so the old app's codes stop
    /// working, no recovery codes); the patient sets it up again after signing in. The reset waits for the link to be
    /// accepted so that the password alone never opens the account meanwhile. Requires a reason (audited with the
    /// re-invitation, as the reset is with the acceptance); refused for a patient whose account is not in use yet
    /// (<see cref="FindingCodes.PortalAccountNotInUse"/>: invite instead).
    /// </summary>
    /// <param name="patient">The patient.</param>
    /// <param name="acceptPage">The absolute address of the page that accepts invitations.</param>
    /// <param name="by">The clinician.</param>
    /// <param name="email">The patient's e-mail address, or null or blank for none.</param>
    /// <param name="language">The message's language: "en" or "tr"; null for the chart's.</param>
    /// <param name="reason">Why the second factor is reset (1–2000 characters).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<Outcome<PortalInvitation>> ReinviteWithoutSecondFactorAsync(PatientId patient, Uri acceptPage, UserId by, string? email, string? language, string? reason, CancellationToken cancellationToken = default)
    {
        var why = ChartInput.Reason(reason);
        if (!why.IsSuccess)
        {
            return why.Refusal;
        }

        var status = await StatusAsync(patient, cancellationToken).ConfigureAwait(false);
        return status is { Accepted: true }
            ? await InviteAsync(patient, acceptPage, by, email, language, reason!.Trim(), cancellationToken).ConfigureAwait(false)
            : Refusal.Coded(FindingCodes.PortalAccountNotInUse, FindingArg.Of("field", "patient"));
    }

    private async Task<Outcome<PortalInvitation>> InviteAsync(PatientId patient, Uri acceptPage, UserId by, string? email, string? language, string? secondFactorReason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(acceptPage);
        var document = await db.Patients.AsNoTracking().Where(p => p.Id == patient).Select(p => p.Document).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var chart = document is null ? null : Persistence.StateJson.Deserialize<Patients.Patient>(document).Contact;
        email = string.IsNullOrWhiteSpace(email) ? chart?.Email : email.Trim();
        language = string.IsNullOrWhiteSpace(language) ? chart?.Language ?? "en" : language;
        if ((email is null ? null : Messaging.Contacts.Check(Messaging.MessageChannel.Email, email)) is { } badEmail)
        {
            return badEmail;
        }

        if (!Messaging.MessageTemplates.Languages.Contains(language))
        {
            return Refusal.Coded(FindingCodes.ScheduleContactInvalid, FindingArg.Of("field", "language"));
        }

        var row = await db.Patients.AsNoTracking().Where(p => p.Id == patient).Select(p => new { p.MedicalRecordNumber, p.GivenName, p.FamilyName }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return Refusal.NotFound("patient", patient);
        }

        var user = await AccountOfAsync(patient, cancellationToken).ConfigureAwait(false);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var expires = clock.GetUtcNow() + InvitationLifetime;
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var fresh = user is null;
        user ??= new ClinicUser
        {
            Id = Guid.NewGuid(),
            UserName = "patient-" + row.MedicalRecordNumber.ToLowerInvariant(),
            DisplayName = $"{row.GivenName} {row.FamilyName}",
            CreatedAt = clock.GetUtcNow(),
        };
        db.Actor = by;
        var reinvite = user.PasswordHash is not null;
        db.RecordEvent(
            reinvite ? "portal-reinvite" : "portal-invite",
            "user",
            user.Id.ToString("D"),
            string.Create(CultureInfo.InvariantCulture, $"{user.UserName}: {(reinvite ? "link to set a new password" : "portal invitation")} valid until {expires:O}{(secondFactorReason is null ? string.Empty : "; resets two-factor sign-in on acceptance; reason: " + secondFactorReason)}"),
            patient);
        var steps = fresh
            ? [() => users.CreateAsync(user), () => users.AddToRoleAsync(user, ClinicRoles.Patient), () => users.AddClaimAsync(user, new Claim(PatientClaim, patient.ToString()))]
            : new Func<Task<IdentityResult>>[] { () => Task.FromResult(IdentityResult.Success) };
        foreach (var step in steps.Append(() => users.SetAuthenticationTokenAsync(user, TokenProvider, TokenName, Format(Hash(secret), expires, secondFactorReason is not null))))
        {
            var r = await step().ConfigureAwait(false);
            if (!r.Succeeded)
            {
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                db.ChangeTracker.Clear();
                return new Refusal("invitation: " + string.Join(" ", r.Errors.Select(e => e.Description)), [Finding.Refused(FindingCodes.UserIdentityRefused, FindingArg.Of("field", "user"), FindingArg.Of("rule", r.Errors.First().Code), FindingArg.Of("text", r.Errors.First().Description))]);
            }
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        var link = new Uri(acceptPage + "?token=" + Uri.EscapeDataString(user.Id.ToString("N") + "." + secret));
        var delivery = await messages.SendInvitationAsync(new PortalInvitationMessage(patient, user.DisplayName, user.UserName!, link, expires, email, language), cancellationToken).ConfigureAwait(false);
        db.RecordEvent("portal-delivery", "user", user.Id.ToString("D"), $"{delivery.Channel}: {delivery.Detail}", patient);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Outcome<PortalInvitation>.Ok(new PortalInvitation(user.ClinicId, user.UserName!, link, expires, delivery));
    }

    /// <summary>The account an invitation token is for, while it is valid (for the accept page to show the sign-in name); null otherwise.</summary>
    public async Task<string?> InvitedUserNameAsync(string? token, CancellationToken cancellationToken = default) =>
        (await ValidAsync(token).ConfigureAwait(false))?.UserName;

    /// <summary>
    /// Accepts an invitation: sets the patient's password (the clinic's password rules), replacing the old one for an
    /// account already in use (which ends its other sign-ins), removes the link's hash so it works once, and audits it. Refused for an unknown, used or expired link and for a password the rules refuse.
    /// </summary>
    /// <returns>The account's sign-in name.</returns>
    public async Task<Outcome<string>> AcceptAsync(string? token, string? password, CancellationToken cancellationToken = default)
    {
        var user = await ValidAsync(token).ConfigureAwait(false);
        if (user is null)
        {
            return Invalid();
        }

        var valid = await UserDirectory.ValidatePasswordAsync(users, user, password).ConfigureAwait(false);
        if (!valid.IsSuccess)
        {
            return valid.Refusal;
        }

        // The password rules refuse an empty or missing password, so it is present from here on.
        var patient = await PatientOfAsync(user.ClinicId, cancellationToken).ConfigureAwait(false) ?? default;
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        db.Actor = user.ClinicId;
        var reset = user.PasswordHash is not null;
        var secondFactor = reset && Parse(await users.GetAuthenticationTokenAsync(user, TokenProvider, TokenName).ConfigureAwait(false)) is { ResetSecondFactor: true };
        db.RecordEvent(reset ? "portal-reset" : "portal-accept", "user", user.Id.ToString("D"), $"{user.UserName}: {(reset ? "new password set by the patient" : "invitation accepted, password set by the patient")}{(secondFactor ? "; two-factor sign-in reset" : string.Empty)}", patient);
        var cleared = reset ? await users.RemovePasswordAsync(user).ConfigureAwait(false) : IdentityResult.Success;
        var added = cleared.Succeeded ? await users.AddPasswordAsync(user, password!).ConfigureAwait(false) : cleared;
        var factor = added.Succeeded && secondFactor ? await UserDirectory.ClearSecondFactorAsync(users, user).ConfigureAwait(false) : added;
        var removed = factor.Succeeded ? await users.RemoveAuthenticationTokenAsync(user, TokenProvider, TokenName).ConfigureAwait(false) : factor;
        if (!removed.Succeeded)
        {
            await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
            db.ChangeTracker.Clear();
            return Invalid();
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Outcome<string>.Ok(user.UserName!);
    }

    private async Task<ClinicUser?> AccountOfAsync(PatientId patient, CancellationToken cancellationToken)
    {
        var value = patient.ToString();
        var id = await db.UserClaims.AsNoTracking().Where(c => c.ClaimType == PatientClaim && c.ClaimValue == value).Select(c => (Guid?)c.UserId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return id is { } g ? await users.FindByIdAsync(g.ToString()).ConfigureAwait(false) : null;
    }

    /// <summary>The patient account whose stored hash and expiry match <paramref name="token"/>, or null.</summary>
    private async Task<ClinicUser?> ValidAsync(string? token)
    {
        var parts = (token ?? string.Empty).Split('.');
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out var id) || parts[1].Length != 64)
        {
            return null;
        }

        var user = await users.FindByIdAsync(id.ToString()).ConfigureAwait(false);
        if (user is null || !await users.IsInRoleAsync(user, ClinicRoles.Patient).ConfigureAwait(false))
        {
            return null;
        }

        var stored = Parse(await users.GetAuthenticationTokenAsync(user, TokenProvider, TokenName).ConfigureAwait(false));
        return stored is { } s && s.ExpiresAt > clock.GetUtcNow()
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s.Hash), Encoding.ASCII.GetBytes(Hash(parts[1])))
            ? user
            : null;
    }

    private static Refusal Invalid() =>
        new("invitation: the link is unknown, used or expired; ask the clinic for a new one.", [Finding.Refused(FindingCodes.PortalInvitationInvalid, FindingArg.Of("field", "token"))]);

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(secret)));

    // "hash|ticks", and "|2fa" after them for a link whose acceptance also resets two-factor sign-in.
    private static string Format(string hash, DateTimeOffset expires, bool resetSecondFactor) =>
        hash + "|" + expires.UtcTicks.ToString(CultureInfo.InvariantCulture) + (resetSecondFactor ? "|" + SecondFactorMark : string.Empty);

    private static (string Hash, DateTimeOffset ExpiresAt, bool ResetSecondFactor)? Parse(string? stored)
    {
        var parts = (stored ?? string.Empty).Split('|');
        return parts.Length is 2 or 3 && (parts.Length == 2 || parts[2] == SecondFactorMark) && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? (parts[0], new DateTimeOffset(ticks, TimeSpan.Zero), parts.Length == 3)
            : null;
    }
}
