using System.Net;
using KetaCare.Clinic.Sources;

namespace KetaCare.Web.Tests.Sources;

/// <summary>The Sources page: every source with its key as anchor, searchable, in the user's language around the citations.</summary>
public sealed class SourcesPageTests : IClassFixture<PlatformTests.App>
{
    private readonly WebAppFactory _app;

    public SourcesPageTests(PlatformTests.App app) => _app = app.Factory;

    [Fact]
    public async Task Sources_AnyRole_ListsEverySourceWithItsKeyAndCheckedLinks()
    {
        var auditor = await _app.SignedInAsync("auditor");

        var html = await auditor.GetStringAsync("/Sources");

        foreach (var s in Bibliography.All)
        {
            Assert.Contains($"id=\"{s.Key}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("href=\"https://doi.org/10.1097/AAP.0000000000000808\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/Sources\"", html, StringComparison.Ordinal); // in the navigation
    }

    [Fact]
    public async Task Sources_Search_ShowsOnlyMatchesOrSaysNoneMatch()
    {
        var nurse = await _app.SignedInAsync("nurse");

        var dahan = await nurse.GetStringAsync("/Sources?q=Dahan");
        var none = await nurse.GetStringAsync("/Sources?q=" + Uri.EscapeDataString("no such words anywhere"));

        Assert.Contains("id=\"dahan2011\"", dahan, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"domino1984\"", dahan, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"sources-none\"", none, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await nurse.GetAsync("/Sources?q=" + new string('x', 5000))).StatusCode);
    }

    [Fact]
    public async Task Sources_InTurkish_HeadingsAndNotesAreTurkish()
    {
        var physician = await _app.SignedInAsync("physician");
        await physician.PostFormAsync("/Sources", new() { ["culture"] = "tr", ["returnUrl"] = "/Sources" }, "/culture");

        var html = await physician.GetStringAsync("/Sources");

        Assert.Contains("<h1>Kaynaklar</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Farmakokinetik", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">Pharmacokinetics<", html, StringComparison.Ordinal);
    }
}
