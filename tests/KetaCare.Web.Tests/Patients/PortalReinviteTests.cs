using System.Text.RegularExpressions;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Portal;
using KetaCare.Clinic.Users;
using KetaCare.Web.Tests.Api;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Web.Tests.Patients;

/// <summary>
/// A patient who lost their second factor, re-invited from the chart: without a reason the chart shows the refusal and
/// no link; with one, the link the patient uses sets a new password and turns two-factor sign-in off with a new key.
/// </summary>
public sealed partial class PortalReinviteTests(ApiTests.App app) : IClassFixture<ApiTests.App>
{
    [Fact]
    public async Task Chart_ReinviteResettingTheSecondFactor_NeedsAReason_AndItsLinkResetsTwoFactor()
    {
        var ct = TestContext.Current.CancellationToken;
        Guid patient;
        await using (var db = app.Factory.Services.GetRequiredService<ClinicDatabase>().Open(Clinic.Services.DemoSeed.SeedUser))
        {
            patient = (await db.Patients.AsNoTracking().FirstAsync(p => p.MedicalRecordNumber == "DEMO-0001", ct)).Id.Value;
        }

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
            var account = (await users.FindByNameAsync("patient"))!;
            await users.ResetAuthenticatorKeyAsync(account);
            await users.SetTwoFactorEnabledAsync(account, true);
        }

        var nurse = await app.ClientAsync("nurse");
        var url = $"/Patients/{patient}";
        var fields = new Dictionary<string, string> { ["inviteLanguage"] = "en", ["resetSecondFactor"] = "true", ["inviteReason"] = string.Empty };
        var refused = await (await nurse.PostFormAsync(url, fields, url + "?handler=Invite")).Content.ReadAsStringAsync(ct);
        Assert.Contains("data-testid=\"invite-error\"", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"invite-link\"", refused, StringComparison.Ordinal);

        fields["inviteReason"] = "phone with the authenticator app lost";
        var page = await (await nurse.PostFormAsync(url, fields, url + "?handler=Invite")).Content.ReadAsStringAsync(ct);
        var token = TokenPattern().Match(page).Groups[1].Value;
        Assert.NotEmpty(token);

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var accepted = await scope.ServiceProvider.GetRequiredService<PortalAccounts>().AcceptAsync(token, "a new phone and a new phrase", ct);
            Assert.True(accepted.IsSuccess, accepted.Error);
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
            var account = (await users.FindByNameAsync("patient"))!;
            Assert.False(account.TwoFactorEnabled);
            Assert.True(await users.CheckPasswordAsync(account, "a new phone and a new phrase"));
        }

    }

    [GeneratedRegex("token=([0-9a-f]{32}\\.[0-9a-f]{64})", RegexOptions.None, 1000)]
    private static partial Regex TokenPattern();
}
