using System.Net;
using KetaCare.Clinic.Services;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Web.Tests.Admin;

/// <summary>The administrator revises the scheduling settings on the chairs page: stored as a version with a reason; a closing time before the opening is refused naming the field.</summary>
public sealed class SchedulingSettingsTests : IDisposable
{
    private readonly WebAppFactory _app = new();

    [Fact]
    public async Task SchedulingSettings_Saved_AreTheVersionTheBookingsUse()
    {
        var admin = await _app.SignedInAsync("admin");
        var form = new Dictionary<string, string>
        {
            ["SettingsVersion"] = "0",
            ["Opens"] = "07:30",
            ["Closes"] = "19:00",
            ["SlotMinutes"] = "30",
            ["PatientsPerNurse"] = "3",
            ["DefaultNursesOnDuty"] = "2",
            ["ReminderHours"] = "72, 24",
            ["ChecklistHours"] = "96",
            ["Reason"] = "Saturday clinic from January",
        };
        var content = new List<KeyValuePair<string, string>>(form) { new("OpenDays", "Monday"), new("OpenDays", "Saturday") };

        var bad = await admin.PostFormAsync("/Admin/Chairs", new(form) { ["Closes"] = "07:00" }, "/Admin/Chairs?handler=Settings");
        Assert.Contains("data-testid=\"chairs-error\">closes:", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var token = FormPosts.AntiforgeryToken(await admin.GetStringAsync("/Admin/Chairs"))!;
        content.Add(new("__RequestVerificationToken", token));
        var saved = await admin.PostAsync("/Admin/Chairs?handler=Settings", new FormUrlEncodedContent(content));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        using var scope = _app.Services.CreateScope();
        var (settings, version) = await scope.ServiceProvider.GetRequiredService<SchedulingService>().SettingsAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, version);
        Assert.Equal((new TimeOnly(7, 30), new TimeOnly(19, 0), 3, 2, 96, 30), (settings.Opens, settings.Closes, settings.PatientsPerNurse, settings.DefaultNursesOnDuty, settings.ChecklistReminderHoursBefore, settings.SlotMinutes));
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Saturday], settings.OpenDays);
        Assert.Equal([72, 24], settings.ReminderHoursBefore);
    }

    public void Dispose() => _app.Dispose();
}
