using System.Net;

namespace KetaCare.Web.Tests.Admin;

/// <summary>The administrator sets the clinic's details; bad fields are refused naming them; the reports print them.</summary>
public sealed class ClinicDetailsTests : IDisposable
{
    private readonly WebAppFactory _app = new();

    [Fact]
    public async Task ClinicDetails_Saved_AreVersionedAndPrintedOnTheLeaflet()
    {
        var admin = await _app.SignedInAsync("admin");
        var form = new Dictionary<string, string>
        {
            ["ExpectedVersion"] = "0",
            ["Name"] = "Ağrı Kliniği",
            ["Address"] = "Hastane Cad. 1\nAnkara",
            ["Phone"] = "+90 312 000 00 00",
            ["EmergencyContact"] = "+90 555 111 22 33",
            ["Regulator"] = "TİTCK (Türkiye)",
            ["Reason"] = "opening",
        };

        var tooLong = await admin.PostFormAsync("/Admin/Clinic", new(form) { ["Name"] = new string('x', 201) });
        Assert.Contains("data-testid=\"clinic-error\">name:", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var saved = await admin.PostFormAsync("/Admin/Clinic", form);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var page = await admin.GetStringAsync("/Admin/Clinic");
        Assert.Contains("data-testid=\"clinic-history\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"Ağrı Kliniği\"", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains("name=\"ExpectedVersion\" value=\"1\"", page, StringComparison.Ordinal);
    }

    public void Dispose() => _app.Dispose();
}
