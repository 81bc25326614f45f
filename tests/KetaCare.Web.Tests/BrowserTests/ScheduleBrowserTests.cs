using KetaCare.Clinic.Users;
using Microsoft.Playwright;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// The chair calendar in a real browser on an 800 px tablet: the administrator adds a chair, a nurse books the demo
/// patient into it, sees a second booking of the same patient refused, cancels the first with a reason and downloads
/// the patient's .ics file, which lists the appointment as cancelled.
/// </summary>
[Trait("Kind", "Browser")]
public sealed class ScheduleBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Calendar_Tablet_BookRefuseConflictCancelAndDownloadTheIcs()
    {
        var chair = "Chair " + Guid.NewGuid().ToString("N")[..4];
        var admin = await app.RolePageAsync(ClinicRoles.Admin, "en-GB", BrowserApp.TabletWidth);
        await admin.GotoAsync("/Admin");
        await admin.GetByTestId("admin-chairs-link").ClickAsync();
        await admin.GetByTestId("chair-name").FillAsync(chair);
        await admin.GetByTestId("chair-add-submit").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("chair").Locator($"input[value='{chair}']")).ToHaveCountAsync(1);

        // A Monday at least two weeks ahead, so that the booking is in the future on any day the test runs.
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var day = today.AddDays(14 + ((8 - (int)today.DayOfWeek) % 7));
        var nurse = await app.RolePageAsync(ClinicRoles.Nurse, "en-GB", BrowserApp.TabletWidth);
        await nurse.GotoAsync("/");
        await nurse.GetByTestId("nav-schedule").ClickAsync();
        await nurse.GotoAsync("/Schedule?day=" + day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await BookAsync(nurse, chair, "09:00");
        await Assertions.Expect(nurse.GetByTestId("schedule-message")).ToContainTextAsync("Booked DEMO-0001 in " + chair + " at 09:00");
        var row = nurse.GetByTestId("appointment").Filter(new() { HasText = chair });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "Booked");

        await BookAsync(nurse, chair, "10:00");
        await Assertions.Expect(nurse.GetByTestId("schedule-error")).ToHaveAttributeAsync("data-codes", "schedule.chair-double-booked schedule.patient-double-booked");
        await Assertions.Expect(nurse.GetByTestId("schedule-error")).ToContainTextAsync("is booked from 09:00");
        var width = await nurse.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= BrowserApp.TabletWidth, $"the calendar is {width} px wide on a {BrowserApp.TabletWidth} px tablet");

        await row.GetByTestId("appointment-reason").FillAsync("patient has a fever");
        await row.GetByTestId("appointment-cancel").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("schedule-message")).ToHaveTextAsync("Appointment cancelled.");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "Cancelled");
        await Assertions.Expect(row).ToContainTextAsync("patient has a fever");

        var download = await nurse.RunAndWaitForDownloadAsync(() => row.GetByTestId("appointment-ics").ClickAsync());
        var calendar = Ical.Net.Calendar.Load(await File.ReadAllTextAsync(await download.PathAsync()))!;
        var e = Assert.Single(calendar.Events, x => x.Location == chair);
        Assert.Equal("CANCELLED", e.Status);
        Assert.Equal(day.ToDateTime(new TimeOnly(9, 0)), e.DtStart!.AsUtc);

        await nurse.GetByTestId("schedule-week").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("week-day")).ToHaveCountAsync(7);
        width = await nurse.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= BrowserApp.TabletWidth, $"the week is {width} px wide on a {BrowserApp.TabletWidth} px tablet");
    }

    private static async Task BookAsync(IPage page, string chair, string start)
    {
        await page.GetByTestId("book-record").FillAsync("DEMO-0001");
        await page.GetByTestId("book-chair").SelectOptionAsync(new SelectOptionValue { Label = chair });
        await page.GetByTestId("book-start").FillAsync(start);
        await page.GetByTestId("book-email").FillAsync("patient@example.org");
        await page.GetByTestId("book-language").SelectOptionAsync("tr");
        await page.GetByTestId("book-submit").ClickAsync();
    }
}
