using System.Globalization;
using System.Net;

namespace KetaCare.Web.Tests.Api;

/// <summary>Chair scheduling through the API: a chair, the plan's proposed dates, a booking, conflicts as 409 with their codes, bad input as 400 naming the field, a cancellation against the version read.</summary>
public sealed class SchedulingApiTests : IClassFixture<ApiTests.App>
{
    private readonly ApiTests.App _app;

    public SchedulingApiTests(ApiTests.App app) => _app = app;

    [Fact]
    public async Task BookConflictCancel_ThroughTheApi_StatusesFromTheCodes()
    {
        var admin = await _app.ClientAsync("admin");
        var nurse = await _app.ClientAsync("nurse");
        var name = "Chair " + Guid.NewGuid().ToString("N")[..6];
        var chair = await admin.PostJsonAsync("/api/v1/chairs", $$"""{"name":"{{name}}"}""");
        Assert.Equal(HttpStatusCode.Created, chair.StatusCode);
        var chairId = (await chair.JsonAsync())["id"]!.GetValue<Guid>();
        Assert.Equal(["schedule.chair-name-taken"], (await (await admin.PostJsonAsync("/api/v1/chairs", $$"""{"name":"{{name}}"}""")).ProblemAsync(409)).Codes());

        var patient = (await nurse.GetJsonAsync("/api/v1/patients?search=DEMO-0001")).AsArray().First()!["id"]!.GetValue<Guid>();
        var planId = (await nurse.GetJsonAsync($"/api/v1/patients/{patient}/plans")).AsArray().First()!["id"]!.GetValue<Guid>();
        var proposal = await nurse.GetJsonAsync($"/api/v1/plans/{planId}/proposed-dates");
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var day = proposal["dates"]!.AsArray().Select(d => DateOnly.Parse(d!.GetValue<string>(), CultureInfo.InvariantCulture)).FirstOrDefault(d => d > today.AddDays(1), new DateOnly(2099, 3, 2));
        var start = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T09:00:00Z";
        string Booking(string at, string language = "tr") => $$"""{"planId":"{{planId}}","chairId":"{{chairId}}","start":"{{at}}","email":"patient@example.org","language":"{{language}}"}""";

        var booked = await nurse.PostJsonAsync("/api/v1/appointments", Booking(start));
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        var appointment = await booked.JsonAsync();
        Assert.Equal(("Booked", start), (appointment["status"]!.GetValue<string>(), appointment["start"]!.GetValue<DateTimeOffset>().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));

        var conflict = await (await nurse.PostJsonAsync("/api/v1/appointments", Booking(start))).ProblemAsync(409);
        Assert.Equal(["schedule.chair-double-booked", "schedule.patient-double-booked"], conflict.Codes());
        Assert.NotEmpty((await (await nurse.PostJsonAsync("/api/v1/appointments", Booking(start[..16]))).ProblemAsync(400)).Errors("start"));
        Assert.Equal(["schedule.contact-invalid"], (await (await nurse.PostJsonAsync("/api/v1/appointments", Booking(start, "xx"))).ProblemAsync(400)).Codes());

        var listed = (await nurse.GetJsonAsync($"/api/v1/schedule?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}")).AsArray();
        Assert.Contains(listed, a => a!["chairName"]!.GetValue<string>() == name);

        var id = appointment["id"]!.GetValue<Guid>();
        var stale = await (await nurse.PostJsonAsync($"/api/v1/appointments/{id}/cancel", """{"expectedVersion":7,"reason":"patient moved"}""")).ProblemAsync(409);
        Assert.Equal(["conflict.version"], stale.Codes());
        var cancelled = await (await nurse.PostJsonAsync($"/api/v1/appointments/{id}/cancel", """{"expectedVersion":1,"reason":"patient moved"}""")).JsonAsync();
        Assert.Equal(("Cancelled", "patient moved"), (cancelled["status"]!.GetValue<string>(), cancelled["reason"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Created, (await nurse.PostJsonAsync("/api/v1/appointments", Booking(start))).StatusCode);
    }
}
