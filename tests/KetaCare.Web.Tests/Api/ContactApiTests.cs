using System.Net;

namespace KetaCare.Web.Tests.Api;

/// <summary>The chart's contact details through the API: bad input as 400 naming the field with its code, a stale version as 409, the saved details and consents read back with the chart.</summary>
public sealed class ContactApiTests(ApiTests.App app) : IClassFixture<ApiTests.App>
{
    [Fact]
    public async Task PutContact_BadNumberThenValidThenStale_StatusesFromTheCodesAndTheChartHoldsTheDetails()
    {
        var nurse = await app.ClientAsync("nurse");
        var id = await app.RegisterAsync(nurse, "API-CONTACT-1");
        var version = (await app.ChartAsync(id)).Version;
        string Body(long v, string phone) => $$"""{"expectedVersion":{{v}},"email":"ayse@example.org","mobilePhone":"{{phone}}","language":"tr","emailConsent":true,"textConsent":false}""";

        var bad = await (await nurse.PutJsonAsync($"/api/v1/patients/{id:D}/contact", Body(version, "0532 123 45 67"))).ProblemAsync(400);
        Assert.Equal(["chart.contact-phone-invalid"], bad.Codes());
        Assert.NotEmpty(bad.Errors("mobilePhone"));
        Assert.Null((await app.ChartAsync(id)).Contact);

        var saved = await nurse.PutJsonAsync($"/api/v1/patients/{id:D}/contact", Body(version, "+90 532 123 45 67"));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(version + 1, (await saved.JsonAsync())["version"]!.GetValue<long>());
        var chart = await nurse.GetJsonAsync($"/api/v1/patients/{id:D}");
        var contact = chart["contact"]!.AsArray().Single()!["value"]!;
        Assert.Equal(("ayse@example.org", "+905321234567", "tr"), (contact["email"]!.GetValue<string>(), contact["mobilePhone"]!.GetValue<string>(), contact["language"]!.GetValue<string>()));
        Assert.True(contact["emailConsent"]!["given"]!.GetValue<bool>());
        Assert.False(contact["textConsent"]!["given"]!.GetValue<bool>());

        Assert.Equal(["conflict.version"], (await (await nurse.PutJsonAsync($"/api/v1/patients/{id:D}/contact", Body(version, "+905321234567"))).ProblemAsync(409)).Codes());
    }
}
