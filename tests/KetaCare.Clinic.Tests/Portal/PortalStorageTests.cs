using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Portal;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Tests.Persistence;
using KetaCare.Clinic.Users;
using KetaCare.Pharmacology.Models;
using KetaCare.Tests;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Clinic.Tests.Portal;

/// <summary>
/// The patient portal on a real database: invitations (hash stored, one use, expiry, the clinic's password rules),
/// the account's scope (only its own patient, whatever ids it sends), reports kept with their source and the tasks
/// they raise, worked by staff with notes. Run on SQLite and PostgreSQL.
/// </summary>
public abstract class PortalStorageTests
{
    private static readonly Uri AcceptPage = new("https://clinic.example/Account/Invitation");
    private readonly TestClock _clock = Build.Clock();

    protected abstract Task<TestDatabase> CreateAsync();

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Invite_StoresOnlyAHash_AcceptSetsThePasswordOnce_AndLinksThePatient()
    {
        await using var t = await MigratedAsync();
        await using var i = await InvitedAsync(t);
        var (accounts, token, patient, invited) = (i.Accounts, i.Token, i.Patient, i.Invitation);
        Assert.StartsWith(AcceptPage.ToString(), invited.Link.ToString(), StringComparison.Ordinal);
        Assert.Equal(PatientMessageResult.NoSender, invited.Delivery);

        await using (var db = t.Database.Open(Build.Nurse, _clock))
        {
            var stored = Assert.Single(await db.UserTokens.AsNoTracking().ToListAsync(Ct));
            Assert.DoesNotContain(token.Split('.')[1], stored.Value!, StringComparison.Ordinal);
            var events = await db.AuditEvents.AsNoTracking().Where(e => e.PatientId == patient).Select(e => e.Action).ToListAsync(Ct);
            Assert.Contains("portal-invite", events);
            Assert.Contains("portal-delivery", events);
        }

        var weak = await accounts.AcceptAsync(token, "password1", Ct);
        Assert.False(weak.IsSuccess);
        Assert.Contains("password", weak.Error, StringComparison.Ordinal);

        var accepted = await accounts.AcceptAsync(token, "a long and private phrase", Ct);
        Assert.True(accepted.IsSuccess, accepted.Error);
        Assert.Equal(patient, await accounts.PatientOfAsync(invited.Account, Ct));
        var users = i.Scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var user = (await users.FindByIdAsync(invited.Account.ToString()))!;
        Assert.True(await users.CheckPasswordAsync(user, "a long and private phrase"));
        Assert.Equal([ClinicRoles.Patient], await users.GetRolesAsync(user));

        var again = await accounts.AcceptAsync(token, "another long phrase here", Ct);
        Assert.Equal([FindingCodes.PortalInvitationInvalid], again.Findings.Select(f => f.Code));
    }

    [Fact]
    public async Task Reinvite_AnAccountInUse_NewLinkSetsANewPasswordOnce_EarlierLinkDies_Audited()
    {
        await using var t = await MigratedAsync();
        await using var i = await InvitedAsync(t);
        var (accounts, patient) = (i.Accounts, i.Patient);
        Assert.True((await accounts.AcceptAsync(i.Token, "a long and private phrase", Ct)).IsSuccess);

        var first = await accounts.InviteAsync(patient, AcceptPage, Build.Nurse, Ct);
        var second = await accounts.InviteAsync(patient, AcceptPage, Build.Nurse, Ct);
        Assert.True(first.IsSuccess && second.IsSuccess, first.Error ?? second.Error);
        Assert.Equal(i.Invitation.Account, second.Value.Account);
        var status = await accounts.StatusAsync(patient, Ct);
        Assert.True(status is { Accepted: true, InvitationExpiresAt: not null });

        var users = i.Scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var user = (await users.FindByIdAsync(i.Invitation.Account.ToString()))!;
        Assert.True(await users.CheckPasswordAsync(user, "a long and private phrase")); // until the patient sets a new one
        Assert.Equal([FindingCodes.PortalInvitationInvalid], (await accounts.AcceptAsync(TokenOf(first.Value), "forgotten and replaced now", Ct)).Findings.Select(f => f.Code));

        var reset = await accounts.AcceptAsync(TokenOf(second.Value), "forgotten and replaced now", Ct);
        Assert.True(reset.IsSuccess, reset.Error);
        user = (await users.FindByIdAsync(i.Invitation.Account.ToString()))!;
        Assert.False(await users.CheckPasswordAsync(user, "a long and private phrase"));
        Assert.True(await users.CheckPasswordAsync(user, "forgotten and replaced now"));
        Assert.Equal([FindingCodes.PortalInvitationInvalid], (await accounts.AcceptAsync(TokenOf(second.Value), "yet another long phrase", Ct)).Findings.Select(f => f.Code));

        await using var db = t.Database.Open(Build.Nurse, _clock);
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.PatientId == patient).Select(e => e.Action).ToListAsync(Ct);
        Assert.Equal(2, events.Count(e => e == "portal-reinvite"));
        Assert.Single(events, "portal-reset");
        Assert.Single(events, "portal-accept");
    }

    [Fact]
    public async Task ReinviteWithoutSecondFactor_LostAuthenticator_AcceptanceResetsPasswordAndTwoFactor_WithAReason_Audited()
    {
        await using var t = await MigratedAsync();
        await using var i = await InvitedAsync(t);
        var (accounts, patient) = (i.Accounts, i.Patient);
        Assert.Equal([FindingCodes.PortalAccountNotInUse], (await accounts.ReinviteWithoutSecondFactorAsync(patient, AcceptPage, Build.Nurse, null, "en", "lost phone", Ct)).Findings.Select(f => f.Code));
        Assert.True((await accounts.AcceptAsync(i.Token, "a long and private phrase", Ct)).IsSuccess);

        // The patient had set up an authenticator app, then lost the phone.
        var users = i.Scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var user = (await users.FindByIdAsync(i.Invitation.Account.ToString()))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        _ = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10);
        var lostKey = await users.GetAuthenticatorKeyAsync(user);

        Assert.Equal([FindingCodes.ChartTextRequired], (await accounts.ReinviteWithoutSecondFactorAsync(patient, AcceptPage, Build.Nurse, null, "en", " ", Ct)).Findings.Select(f => f.Code));
        var plain = await accounts.InviteAsync(patient, AcceptPage, Build.Nurse, Ct);
        var recovery = await accounts.ReinviteWithoutSecondFactorAsync(patient, AcceptPage, Build.Nurse, null, "en", "phone with the authenticator app lost", Ct);
        Assert.True(recovery.IsSuccess, recovery.Error);
        user = (await users.FindByIdAsync(i.Invitation.Account.ToString()))!;
        Assert.True(user.TwoFactorEnabled); // nothing is reset before the patient accepts: the password alone opens nothing meanwhile
        Assert.Equal([FindingCodes.PortalInvitationInvalid], (await accounts.AcceptAsync(TokenOf(plain.Value), "an earlier link replaced", Ct)).Findings.Select(f => f.Code));

        Assert.True((await accounts.AcceptAsync(TokenOf(recovery.Value), "a new phone and a new phrase", Ct)).IsSuccess);
        user = (await users.FindByIdAsync(i.Invitation.Account.ToString()))!;
        Assert.True(await users.CheckPasswordAsync(user, "a new phone and a new phrase"));
        Assert.False(user.TwoFactorEnabled);
        Assert.NotEqual(lostKey, await users.GetAuthenticatorKeyAsync(user));
        Assert.Equal(0, await users.CountRecoveryCodesAsync(user));

        await using var db = t.Database.Open(Build.Nurse, _clock);
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.PatientId == patient).OrderBy(e => e.Sequence).Select(e => new { e.Action, e.Detail }).ToListAsync(Ct);
        Assert.Contains(events, e => e.Action == "portal-reinvite" && e.Detail.Contains("reason: phone with the authenticator app lost", StringComparison.Ordinal));
        Assert.EndsWith("two-factor sign-in reset", events.Last(e => e.Action == "portal-reset").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reinvite_WithoutTheSecondFactorReset_KeepsTwoFactorOnAfterAcceptance()
    {
        await using var t = await MigratedAsync();
        await using var i = await InvitedAsync(t);
        Assert.True((await i.Accounts.AcceptAsync(i.Token, "a long and private phrase", Ct)).IsSuccess);
        var users = i.Scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var user = (await users.FindByIdAsync(i.Invitation.Account.ToString()))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        var key = await users.GetAuthenticatorKeyAsync(user);

        var forgotten = await i.Accounts.InviteAsync(i.Patient, AcceptPage, Build.Nurse, Ct);
        Assert.True((await i.Accounts.AcceptAsync(TokenOf(forgotten.Value), "forgotten and replaced now", Ct)).IsSuccess);

        user = (await users.FindByIdAsync(i.Invitation.Account.ToString()))!;
        Assert.True(user.TwoFactorEnabled); // a forgotten password alone does not lift the second factor
        Assert.Equal(key, await users.GetAuthenticatorKeyAsync(user));
    }

    [Theory]
    [InlineData(71, true)]
    [InlineData(73, false)]
    public async Task Accept_AfterTheLinkExpires_Refused(int hours, bool accepted)
    {
        await using var t = await MigratedAsync();
        await using var i = await InvitedAsync(t);
        var (accounts, token) = (i.Accounts, i.Token);

        _clock.Advance(TimeSpan.FromHours(hours));
        var r = await accounts.AcceptAsync(token, "a long and private phrase", Ct);

        Assert.Equal(accepted, r.IsSuccess);
    }

    [Fact]
    public async Task Accept_ATamperedToken_Refused()
    {
        await using var t = await MigratedAsync();
        await using var i = await InvitedAsync(t);
        var (accounts, token) = (i.Accounts, i.Token);
        var tampered = token[..^1] + (token[^1] == '0' ? '1' : '0');

        var r = await accounts.AcceptAsync(tampered, "a long and private phrase", Ct);

        Assert.Equal([FindingCodes.PortalInvitationInvalid], r.Findings.Select(f => f.Code));
    }

    /// <summary>A registered patient invited by the nurse, with the Identity scope the accounts service works in.</summary>
    private async Task<Invited> InvitedAsync(TestDatabase t)
    {
        var patient = await RegisterAsync(t, "P-1");
        var provider = Identity(t);
        var scope = provider.CreateAsyncScope();
        var accounts = Accounts(scope);
        var invited = await accounts.InviteAsync(patient, AcceptPage, Build.Nurse, Ct);
        Assert.True(invited.IsSuccess, invited.Error);
        return new Invited(provider, scope, accounts, patient, invited.Value, TokenOf(invited.Value));
    }

    private static string TokenOf(PortalInvitation invitation) => Uri.UnescapeDataString(invitation.Link.Query["?token=".Length..]);

    private sealed record Invited(ServiceProvider Provider, AsyncServiceScope Scope, PortalAccounts Accounts, PatientId Patient, PortalInvitation Invitation, string Token) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Scope.DisposeAsync();
            await Provider.DisposeAsync();
        }
    }

    private async Task<TestDatabase> MigratedAsync()
    {
        var t = await CreateAsync();
        await t.Database.MigrateAsync(Ct);
        return t;
    }

    private async Task<PatientId> RegisterAsync(TestDatabase t, string mrn)
    {
        await using var db = t.Database.Open(Build.Nurse, _clock);
        var p = await new PatientService(db, _clock).RegisterAsync(new Demographics(mrn, "Ada", "Test", new DateOnly(1980, 1, 1), Sex.Female), Build.Nurse, Ct);
        return p.Value.Id;
    }

    private ServiceProvider Identity(TestDatabase t) => TestIdentity.Services(() => t.Database.Open(Build.Nurse, _clock), _clock);

    private PortalAccounts Accounts(AsyncServiceScope scope) =>
        new(scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>(), scope.ServiceProvider.GetRequiredService<KetaCareDbContext>(), _clock, new UnconfiguredPatientMessages());
}

public sealed class SqlitePortalStorageTests : PortalStorageTests
{
    protected override Task<TestDatabase> CreateAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgresPortalStorageTests : PortalStorageTests
{
    protected override async Task<TestDatabase> CreateAsync() => await PostgresTestDatabase.CreateAsync();
}
