using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;
using KetaCare.Web.Pages.WhatIf;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Web.Tests.WhatIf;

/// <summary>The what-if simulator: regimen, TCI and population runs through the page and its chart handler.</summary>
public sealed partial class SimulatorTests : IClassFixture<PlatformTests.App>
{
    private const string Regimen = "/Simulator?model=domino1984&weight=70&age=40&hours=4&mode=regimen&doses%5B0%5D.unit=mg%2Fkg&doses%5B0%5D.over=60&doses%5B0%5D.at=0&doses%5B0%5D.amount=";
    private readonly WebAppFactory _app;

    public SimulatorTests(PlatformTests.App app) => _app = app.Factory;

    [Fact]
    public async Task Regimen_CommaDecimalInTurkish_GivesTheSameCmaxAsThePointAndAsTheEngine()
    {
        // Hazard: a dose read 10× (or 1/10) when the user's language writes decimals with a comma.
        var nurse = await _app.SignedInAsync("nurse");

        var turkish = await GetAsync(nurse, Regimen + "0%2C5", "tr-TR");
        var english = await GetAsync(nurse, Regimen + "0.5", "en");

        var engine = Pharmacology.Simulation.Simulator.Run(new SimulationRequest(
            ModelLibrary.Find("domino1984")!,
            new Covariates(BodyWeight.FromKilograms(70), 40),
            Pharmacology.Simulation.Regimen.Single(DoseExpression.Parse("0.5 mg/kg over 60 min").Value))
        { Until = Duration.FromHours(4) }).Value.Metrics("plasma").Cmax.NanogramsPerMilliliter;
        Assert.Equal(engine, PlasmaCmax(turkish), 9);
        Assert.Equal(engine, PlasmaCmax(english), 9);
        Assert.InRange(engine, 150, 200);
        Assert.Contains(WebNumber(engine, "tr-TR"), turkish, StringComparison.Ordinal);
        Assert.Contains("Domino EF", turkish, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"sim-chart-profile\"", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Regimen_ChartUrlOfThePage_ReturnsTheSvgOfThatRun()
    {
        var physician = await _app.SignedInAsync("physician");
        var html = await physician.GetStringAsync(Regimen + "0.5");
        var src = WebUtility.HtmlDecode(ImgSource().Match(html).Groups[1].Value);

        var chart = await physician.GetAsync(src);

        Assert.Contains("handler=Chart", src, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, chart.StatusCode);
        Assert.Equal("image/svg+xml", chart.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<?xml", (await chart.Content.ReadAsStringAsync()).TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tci_EffectSiteTarget_ShowsAPumpScheduleUnderTheDefaultPlasmaCeiling()
    {
        var admin = await _app.SignedInAsync("admin");

        var html = await admin.GetStringAsync("/Simulator?model=domino1984&weight=70&age=45&mode=tci&target=150&site=effect&tciminutes=60&bag=1&pumpmax=1200&steps=4&hours=2");

        Assert.DoesNotContain("data-testid=\"sim-error\"", html, StringComparison.Ordinal);
        var rates = PumpRates().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.InRange(rates.Count, 1, 4);
        Assert.Contains("data-testid=\"sim-pump-schedule\"", html, StringComparison.Ordinal);
        Assert.Contains("250 ng/mL", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"sim-chart-tci\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Population_OverTheCap_IsRefusedNamingTheFieldAndTheRange()
    {
        var auditor = await _app.SignedInAsync("auditor");

        var html = await auditor.GetStringAsync(Regimen + "0.5&pop=true&n=100001");

        Assert.Contains("data-testid=\"sim-error\"", html, StringComparison.Ordinal);
        Assert.Contains("population size N", html, StringComparison.Ordinal);
        Assert.Contains("outside the allowed range 1 to 100000", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"sim-result\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Population_WithinTheCap_DrawsTheBands()
    {
        var nurse = await _app.SignedInAsync("nurse");
        var url = Regimen + "0.5&pop=true&n=200&weightsd=10&iiv=30&band=90";

        var html = await nurse.GetStringAsync(url);
        var chart = await nurse.GetAsync(url.Replace("/Simulator?", "/Simulator?handler=Chart&kind=population&", StringComparison.Ordinal));

        Assert.Contains("data-testid=\"sim-chart-population\"", html, StringComparison.Ordinal);
        Assert.Contains("30 % CV", html, StringComparison.Ordinal);
        Assert.Equal("image/svg+xml", chart.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Population_AboveTheInlineSize_RunsInTheBackgroundAndItsStatusEndsWithTheChart()
    {
        var physician = await _app.SignedInAsync("physician");
        var query = Regimen + "0.5&pop=true&n=5000&weightsd=10&iiv=30&band=80&seed=7";

        var html = await physician.GetStringAsync(query);
        var status = await StatusWhenFinishedAsync(physician, query);
        var chart = await physician.GetAsync(status.GetProperty("chart").GetString());

        Assert.Contains("data-testid=\"sim-pop-job\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"sim-chart-profile\"", html, StringComparison.Ordinal);
        Assert.Equal("done", status.GetProperty("state").GetString());
        Assert.Equal(100, status.GetProperty("percent").GetInt32());
        Assert.Contains("5000 virtual patients, central 80 % band", status.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal("image/svg+xml", chart.Content.Headers.ContentType!.MediaType);
        // Once done, the page itself shows the kept bands (a shared URL answers without the script).
        Assert.Contains("data-testid=\"sim-chart-population\"", await physician.GetStringAsync(query), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Population_InlineSize_IsNotABackgroundRun()
    {
        var nurse = await _app.SignedInAsync("nurse");
        var query = Regimen + "0.5&pop=true&n=2000&weightsd=10&iiv=30&band=90";

        var html = await nurse.GetStringAsync(query);
        var status = await nurse.GetAsync(query.Replace("/Simulator?", "/Simulator?handler=Population&", StringComparison.Ordinal));

        Assert.Contains("data-testid=\"sim-chart-population\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"sim-pop-job\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task Population_CancelPost_NeedsTheAntiforgeryTokenAndAnswersNoContent()
    {
        var nurse = await _app.SignedInAsync("nurse");
        var query = Regimen + "0.5&pop=true&n=100000&weightsd=10&iiv=30&band=90&seed=11";
        var cancel = query.Replace("/Simulator?", "/Simulator?handler=CancelPopulation&", StringComparison.Ordinal);

        var withoutToken = await nurse.PostAsync(cancel, new FormUrlEncodedContent([]));
        var withToken = await nurse.PostFormAsync(query, [], cancel);

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, withToken.StatusCode);
    }

    [Fact]
    public async Task Jobs_CancelledWhileRunning_EndsCancelledWithoutAResultAndIsForgotten()
    {
        var jobs = _app.Services.GetRequiredService<SimulatorJobs>();
        var input = new SimulatorInput { Pop = true, N = "100000", Hours = "24", Seed = "12", Doses = [new DoseRow { Amount = "0.5", Unit = "mg/kg", Over = "60", At = "0" }] };
        var (request, errors) = input.Parse();
        Assert.Empty(errors);

        var job = jobs.Start("test-cancel", request!)!;
        jobs.Cancel("test-cancel");
        for (var i = 0; i < 300 && !job.Finished; i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Equal(SimulatorJobState.Cancelled, job.State);
        Assert.Null(job.Result);
        Assert.Null(jobs.Find("test-cancel"));
    }

    private static async Task<System.Text.Json.JsonElement> StatusWhenFinishedAsync(HttpClient client, string query)
    {
        var url = query.Replace("/Simulator?", "/Simulator?handler=Population&", StringComparison.Ordinal);
        for (var i = 0; i < 600; i++)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(url));
            var status = doc.RootElement.Clone();
            if (status.GetProperty("state").GetString() is "done" or "failed" or "cancelled" or "busy")
            {
                return status;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the background population run did not finish within 60 s");
    }

    [Fact]
    public async Task Regimen_ImplausibleDose_IsRefusedByTheEngineNamingTheDose()
    {
        var nurse = await _app.SignedInAsync("nurse");

        var html = await nurse.GetStringAsync(Regimen + "50");

        Assert.Contains("dose 1", html, StringComparison.Ordinal);
        Assert.Contains("plausible", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"sim-result\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chart_WithoutAValidRun_IsNotFound()
    {
        var nurse = await _app.SignedInAsync("nurse");

        var r = await nurse.GetAsync("/Simulator?handler=Chart&kind=tci&model=domino1984&weight=70&mode=regimen&doses%5B0%5D.amount=0.5");

        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
    }

    private static async Task<string> GetAsync(HttpClient client, string url, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptLanguage.ParseAdd(language);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static double PlasmaCmax(string html)
    {
        var m = PlasmaCmaxValue().Match(html);
        Assert.True(m.Success, "no plasma Cmax on the page");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static string WebNumber(double value, string culture)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo(culture);
        try
        {
            return Infrastructure.WebNumber.Show(value);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [GeneratedRegex("data-output=\"plasma\">\\s*<td>[^<]*</td>\\s*<td class=\"num\" data-testid=\"sim-cmax\" data-value=\"([^\"]+)\"")]
    private static partial Regex PlasmaCmaxValue();

    [GeneratedRegex("<img class=\"chart\" src=\"([^\"]+)\"")]
    private static partial Regex ImgSource();

    [GeneratedRegex("data-testid=\"sim-pump-rate\">([^<]+)<")]
    private static partial Regex PumpRates();

}
