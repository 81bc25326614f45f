using System.IO.Compression;
using System.Net;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Web.Tests.Exports;

/// <summary>PDF and CSV downloads from the web app, read back.</summary>
public sealed class ExportTests(ExportTests.App app) : IClassFixture<ExportTests.App>
{
    [Fact]
    public async Task SessionReport_Nurse_DownloadsAPdfAndTheReadIsAudited()
    {
        var (session, patient) = await app.DemoSessionAsync();
        var client = await app.Factory.SignedInAsync("nurse");
        var before = await app.AuditCountAsync();
        var response = await client.GetAsync($"/exports/sessions/{session}/report.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.True(await app.AuditCountAsync() > before);

        var leaflet = await client.GetAsync($"/exports/patients/{patient}/leaflet.pdf?lang=tr");
        Assert.Equal(HttpStatusCode.OK, leaflet.StatusCode);
        Assert.Equal("attachment; filename=leaflet-tr.pdf", leaflet.Content.Headers.ContentDisposition!.ToString().Split(';').Take(2).Aggregate((a, b) => a + ";" + b).Trim());
    }

    [Fact]
    public async Task SessionReport_UnknownSession_IsNotFound()
    {
        var client = await app.Factory.SignedInAsync("physician");
        var response = await client.GetAsync($"/exports/sessions/{Guid.NewGuid()}/report.pdf");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Leaflet_PatientWithoutAPlan_IsRefusedNamingWhatIsMissingNotNotFound()
    {
        _ = app.Factory.Server;
        await using var db = app.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
        var ineligible = await db.Patients.AsNoTracking().SingleAsync(p => p.MedicalRecordNumber == "DEMO-0003");
        var client = await app.Factory.SignedInAsync("nurse");
        var response = await client.GetAsync($"/exports/patients/{ineligible.Id.Value}/leaflet.pdf");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("no treatment plan", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResearchExport_Deidentified_HasNoNamesAndIsAudited()
    {
        var client = await app.Factory.SignedInAsync("auditor");
        var names = await app.DemoNamesAsync();
        var response = await client.GetAsync("/exports/research.zip?deidentified=true");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        Assert.Equal(["outcomes.csv", "sessions.csv"], zip.Entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        foreach (var entry in zip.Entries)
        {
            using var r = new StreamReader(entry.Open());
            var text = await r.ReadToEndAsync();
            Assert.True(text.Split('\n').Length > 2, entry.Name + " has rows");
            Assert.All(names, n => Assert.DoesNotContain(n, text, StringComparison.Ordinal));
        }

        await using var db = app.Factory.Services.GetRequiredService<ClinicDatabase>().Open();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "export" && e.EntityId == "de-identified"));
    }

    [Fact]
    public async Task ResearchExport_Identified_HasTheNames()
    {
        var client = await app.Factory.SignedInAsync("physician");
        var names = await app.DemoNamesAsync();
        using var zip = new ZipArchive(await (await client.GetAsync("/exports/research.zip?deidentified=false")).Content.ReadAsStreamAsync());
        using var r = new StreamReader(zip.GetEntry("outcomes.csv")!.Open());
        var text = await r.ReadToEndAsync();
        Assert.Contains(names[0], text, StringComparison.Ordinal);
    }

    /// <summary>One app for the class, with helpers reading the demo data directly.</summary>
    public sealed class App : IDisposable
    {
        public WebAppFactory Factory { get; } = new();

        public async Task<(Guid Session, Guid Patient)> DemoSessionAsync()
        {
            _ = Factory.Server;
            await using var db = Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
            var s = await db.Sessions.AsNoTracking().Where(x => x.State == "Discharged").OrderBy(x => x.Id).FirstAsync();
            return (s.Id.Value, s.PatientId.Value);
        }

        public async Task<List<string>> DemoNamesAsync()
        {
            _ = Factory.Server;
            await using var db = Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
            return await db.Patients.AsNoTracking().Select(p => p.FamilyName).ToListAsync();
        }

        public async Task<int> AuditCountAsync()
        {
            await using var db = Factory.Services.GetRequiredService<ClinicDatabase>().Open();
            return await db.AuditEvents.CountAsync();
        }

        public void Dispose() => Factory.Dispose();
    }
}
