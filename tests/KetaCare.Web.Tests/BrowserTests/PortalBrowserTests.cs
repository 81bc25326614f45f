using KetaCare.Clinic;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Web.Infrastructure;
using KetaCare.Web.Pages.Sessions;
using KetaCare.Web.Tests.Matrix;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static KetaCare.Web.Tests.BrowserTests.BrowserSteps;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// The patient portal in a real browser on a phone (390 px): the nurse invites the patient from the chart, the patient
/// accepts the link and sets a password, keeps the pain diary and answers the pre-visit checklist "not fasted"; the
/// nurse sees the task on the dashboard and the flag in the session's pre-assessment.
/// </summary>
[Trait("Kind", "Browser")]
public sealed class PortalBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    /// <summary>A phone in portrait.</summary>
    public const int PhoneWidth = 390;

    [Fact]
    public async Task Portal_InviteAcceptDiaryAndNotFasted_ReachTheNurse()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = await BookTodayAsync("DEMO-0002");
        var problems = new List<string>();
        var nurse = await app.NewPageAsync();
        CollectConsoleProblems(nurse, problems);
        await BrowserApp.SignInAsync(nurse, "nurse");

        // The nurse invites the patient from the chart with an e-mail address (queued in the outbox) and copies the one-time link.
        PatientId patient;
        await using (var db = app.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser))
        {
            patient = (await db.Sessions.AsNoTracking().FirstAsync(s => s.Id == session, ct)).PatientId;
        }

        await nurse.GotoAsync($"/Patients/{patient.Value}");
        await Assertions.Expect(nurse.GetByTestId("portal-status")).ToContainTextAsync("Not invited yet.");
        var email = Guid.NewGuid().ToString("N") + "@example.org";
        await nurse.GetByTestId("invite-email").FillAsync(email);
        await nurse.GetByTestId("invite-language").SelectOptionAsync("tr");
        await nurse.GetByTestId("invite-patient").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("invite-queued")).ToBeVisibleAsync();
        var link = await nurse.GetByTestId("invite-link").InputValueAsync();
        Assert.Contains("/Account/Invitation?token=", link, StringComparison.Ordinal);
        await using (var db = app.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser))
        {
            var queued = await db.Outbox.AsNoTracking().SingleAsync(m => m.Recipient == email, ct);
            Assert.Equal((KetaCare.Clinic.Messaging.MessageTemplates.PortalInvitation, "tr", patient), (queued.Template, queued.Language, queued.PatientId));
        }

        // The patient, on a phone, sets a password and signs in.
        var phone = await app.NewPageAsync(width: PhoneWidth);
        CollectConsoleProblems(phone, problems);
        await phone.GotoAsync(link);
        await phone.GetByTestId("invitation-password").FillAsync("short");
        await phone.GetByTestId("invitation-password").EvaluateAsync("e => e.removeAttribute('minlength')");
        await phone.GetByTestId("invitation-accept").ClickAsync();
        await Assertions.Expect(phone.GetByTestId("invitation-error")).ToBeVisibleAsync();
        await AcceptInvitationAndSignInAsync(phone, link, "patient-demo-0002", "my own long passphrase");
        await Assertions.Expect(phone.GetByTestId("portal-sessions")).ToBeVisibleAsync();
        await FitsAsync(phone);

        // The pain diary.
        await phone.GetByTestId("portal-diary-link").ClickAsync();
        await phone.GetByTestId("diary-nrs-4").CheckAsync();
        await phone.Locator("#Note").FillAsync("better mornings");
        await phone.GetByTestId("diary-save").ClickAsync();
        await Assertions.Expect(phone.GetByTestId("diary-entry")).ToHaveCountAsync(1);
        await Assertions.Expect(phone.GetByTestId("diary-entry")).ToContainTextAsync("better mornings");
        await FitsAsync(phone);

        // The pre-visit checklist of today's session: not fasted, escort arranged.
        await phone.GotoAsync("/Portal");
        await phone.Locator($"a[href='/Portal/Checklist/{session.Value}']").ClickAsync();
        await FitsAsync(phone);
        await phone.GetByTestId("moment-day-of").CheckAsync();
        await phone.GetByTestId("fasted-no").CheckAsync();
        await phone.GetByTestId("escort-yes").CheckAsync();
        await phone.GetByTestId("checklist-save").ClickAsync();
        await Assertions.Expect(phone.GetByTestId("portal-session").Filter(new() { HasText = "Checklist answered" })).ToHaveCountAsync(1);

        // The patient's own account reaches no staff page.
        await phone.GotoAsync($"/Patients/{patient.Value}");
        Assert.Contains("/Account/Denied", phone.Url, StringComparison.Ordinal);

        // The nurse: the task on the dashboard, the flag in the session's pre-assessment.
        await nurse.GotoAsync("/");
        var task = nurse.Locator($"[data-testid=patient-task][data-code='{FindingCodes.PortalNotFasted}']");
        await Assertions.Expect(task).ToHaveCountAsync(1);
        await Assertions.Expect(task).ToContainTextAsync("has not fasted");
        await nurse.GotoAsync(SessionUrl(session));
        await Assertions.Expect(nurse.GetByTestId("patient-answers").GetByTestId("flag-not-fasted")).ToBeVisibleAsync();

        // The nurse closes the task with a note; it leaves the dashboard.
        await nurse.GotoAsync("/");
        await task.GetByTestId("task-note").FillAsync("called: fasting from now, session moved to the afternoon");
        await task.GetByTestId("task-close").ClickAsync();
        await Assertions.Expect(nurse.Locator($"[data-testid=patient-task][data-code='{FindingCodes.PortalNotFasted}']")).ToHaveCountAsync(0);

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("en-GB")]
    [InlineData("tr-TR")]
    public async Task PortalPages_At390PixelsWide_NeedNoHorizontalScrolling(string locale)
    {
        var session = await BookTodayAsync("DEMO-0001");
        var page = await app.RolePageAsync(KetaCare.Clinic.Users.ClinicRoles.Patient, locale, PhoneWidth);
        var tooWide = new List<string>();
        foreach (var path in TabletBrowserTests.Pages(KetaCare.Clinic.Users.ClinicRoles.Patient).Append($"/Portal/Checklist/{session.Value}"))
        {
            await page.GotoAsync(DemoIds.Resolve(await DemoIds.LoadAsync(app.Factory), path));
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            if (width > PhoneWidth)
            {
                tooWide.Add($"{path}: {width} px");
            }
        }

        Assert.True(tooWide.Count == 0, string.Join("\n", tooWide));
    }

    /// <summary>Fails when <paramref name="page"/> needs horizontal scrolling on the phone.</summary>
    internal static async Task FitsAsync(IPage page)
    {
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= PhoneWidth, $"{page.Url} is {width} px wide on a {PhoneWidth} px phone");
    }

    private static string SessionUrl(SessionId id) => "/Sessions/" + id.Value;

    private async Task<SessionId> BookTodayAsync(string recordNumber)
    {
        var database = app.Factory.Services.GetRequiredService<ClinicDatabase>();
        var clock = app.Factory.Services.GetRequiredService<TimeProvider>();
        var today = app.Factory.Services.GetRequiredService<ClinicTime>().Today(clock);
        var booked = await DemoToday.EnsureAsync(database, clock, today, recordNumber, TestContext.Current.CancellationToken);
        Assert.True(booked.IsSuccess, booked.Error);
        return booked.Value;
    }
}
