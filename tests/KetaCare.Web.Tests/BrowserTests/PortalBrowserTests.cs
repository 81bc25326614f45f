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

    [Theory]
    [InlineData("tr-TR", PhoneWidth)]
    [InlineData("en-GB", 800)]
    public async Task Checklist_CorrectedOnThePageWithAReason_KeepsTheOriginal_RaisesTheNewTask(string locale, int width)
    {
        var ct = TestContext.Current.CancellationToken;
        var session = await BookTodayAsync("DEMO-0001");
        var page = await app.RolePageAsync(KetaCare.Clinic.Users.ClinicRoles.Patient, locale, width);
        var url = $"/Portal/Checklist/{session.Value}";

        // First answers the day before: not fasted yet (expected then), an escort arranged.
        await page.GotoAsync(url);
        var corrected = await page.Locator("[data-testid=checklist-entry].muted").CountAsync();
        await page.GetByTestId("moment-day-before").CheckAsync();
        await page.GetByTestId("fasted-no").CheckAsync();
        await page.GetByTestId("escort-yes").CheckAsync();
        await page.GetByTestId("checklist-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("portal-sessions")).ToBeVisibleAsync();

        // The lift falls through: the patient corrects the newest answers on the page, with a reason.
        await page.GotoAsync(url);
        await page.GetByTestId("checklist-amend-open").First.ClickAsync();
        var form = page.GetByTestId("checklist-amend").First;
        await Assertions.Expect(form.GetByTestId("amend-escort-yes")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByTestId("amend-pregnant-no")).ToHaveCountAsync(0);
        var wide = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(wide <= width, $"{url} is {wide} px wide at {width} px with the correction open");
        await form.GetByTestId("amend-escort-no").CheckAsync();
        await form.GetByTestId("amend-reason").FillAsync("my lift fell through");
        await form.GetByTestId("checklist-amend-save").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=checklist-entry].muted")).ToHaveCountAsync(corrected + 1);
        Assert.EndsWith(url, new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);

        // The original stays in the chart's history with the reason; the correction raised "no escort" (the API's rule run).
        await using var db = app.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
        var patient = (await db.Sessions.AsNoTracking().FirstAsync(s => s.Id == session, ct)).PatientId;
        var chart = (await new PatientService(db, TimeProvider.System).OpenChartAsync(patient, DemoSeed.SeedUser, ct)).Value;
        var latest = chart.PreVisitAnswers.Active.Where(a => a.Value.Session == session).OrderByDescending(a => a.RecordedAt).First();
        Assert.Equal(("my lift fell through", false), (latest.Reason, latest.Value.EscortArranged));
        Assert.Contains(chart.PreVisitAnswers.All, a => a.Id == latest.Id && !a.IsActive && a.Value.EscortArranged);
        Assert.Contains(chart.Tasks.ActiveValues, t => t.Key == latest.Id.ToString() && t.Finding.Code == FindingCodes.PortalNoEscort);
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
