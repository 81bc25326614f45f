using System.Net;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Web.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Web.Tests.Security;

/// <summary>
/// Expensive work is bounded in time: with limits far below what the work needs, a PDF report and a FHIR read answer
/// 503 naming what was stopped, and a population simulation shows the stop instead of a result. (The same token is
/// cancelled when the client goes away; the rendering checks it at every line and page.)
/// </summary>
public sealed class WorkLimitTests : IDisposable
{
    private readonly WebAppFactory _app = new(new Dictionary<string, string?>
    {
        ["Limits:ReportSeconds"] = "0.000001",
        ["Limits:FhirSeconds"] = "0.000001",
        ["Limits:SimulationSeconds"] = "0.000001",
    });

    [Fact]
    public async Task Report_OverItsTimeLimit_Is503NamingTheReport()
    {
        var physician = await _app.SignedInAsync("physician");
        var patient = await PatientIdAsync();

        var problem = await (await physician.GetAsync($"/exports/patients/{patient}/leaflet.pdf")).ProblemAsync(503);

        Assert.Contains("leaflet-en.pdf took longer than", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FhirRead_OverItsTimeLimit_Is503WithATimeoutOutcome()
    {
        var physician = await _app.SignedInAsync("physician");
        var patient = await PatientIdAsync();

        var response = await physician.GetAsync($"/fhir/Patient/{patient}/$everything");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"code\":\"timeout\"", body, StringComparison.Ordinal);
        Assert.Contains("took longer than", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PopulationSimulation_OverItsTimeLimit_ShowsTheStopAndNoResult()
    {
        var nurse = await _app.SignedInAsync("nurse");
        var url = "/Simulator?model=domino1984&weight=70&age=40&hours=4&mode=regimen&doses%5B0%5D.unit=mg%2Fkg&doses%5B0%5D.over=60&doses%5B0%5D.at=0&doses%5B0%5D.amount=0.5&pop=true&n=2000&weightsd=10&iiv=30&band=90";

        var html = await nurse.GetStringAsync(url);
        var chart = await nurse.GetAsync(url.Replace("/Simulator?", "/Simulator?handler=Chart&kind=population&", StringComparison.Ordinal));

        Assert.Contains("took longer than", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"sim-chart-population\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, chart.StatusCode);
    }

    public void Dispose() => _app.Dispose();

    private async Task<Guid> PatientIdAsync()
    {
        await using var db = _app.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
        return (await db.Patients.AsNoTracking().OrderBy(p => p.MedicalRecordNumber).FirstAsync()).Id.Value;
    }
}
