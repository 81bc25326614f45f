using System.Net;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Web.Tests.Audit;

/// <summary>The auditor's pages: search the audit log and verify its hash chain.</summary>
public sealed class AuditTests : IClassFixture<PlatformTests.App>
{
    private readonly WebAppFactory _app;

    public AuditTests(PlatformTests.App app) => _app = app.Factory;

    [Fact]
    public async Task Search_ChartReadByTheNurse_IsFoundByRecordNumberAndAction_WithTheNurseNamed()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = _app.Services.GetRequiredService<ClinicDatabase>();
        await using (var db = database.Open(DemoSeed.DemoNurse))
        {
            var patient = await db.Patients.SingleAsync(p => p.MedicalRecordNumber == "DEMO-0002", ct);
            Assert.True((await new PatientService(db, TimeProvider.System).OpenChartAsync(patient.Id, DemoSeed.DemoNurse, ct)).IsSuccess);
        }

        var auditor = await _app.SignedInAsync("auditor");
        var html = await auditor.GetStringAsync("/Audit?patient=DEMO-0002&action=read");

        Assert.Contains("data-action=\"read\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"audit-row-user\">Nurse Elif Kaya<", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"audit-row-patient\">DEMO-0002<", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-action=\"create\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_NoCriteria_ShowsNewestFirstInPages()
    {
        var auditor = await _app.SignedInAsync("auditor");

        var html = await auditor.GetStringAsync("/Audit");

        var sequences = System.Text.RegularExpressions.Regex.Matches(html, "data-sequence=\"(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(sequences);
        Assert.Equal(sequences.OrderDescending(), sequences);
        Assert.True(sequences.Count <= Pages.Audit.IndexModel.PageSize);
    }

    [Fact]
    public async Task Search_UnknownPatient_ShowsAnErrorNamingTheField()
    {
        var auditor = await _app.SignedInAsync("auditor");

        var html = await auditor.GetStringAsync("/Audit?patient=NO-SUCH");

        Assert.Contains("data-testid=\"audit-error\">patient: no patient with id or record number", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_ByUserAndDates_FindsOnlyThatUsersEventsInTheRange()
    {
        var auditor = await _app.SignedInAsync("auditor");

        var all = await auditor.GetStringAsync("/Audit?user=built-in");
        var future = await auditor.GetStringAsync("/Audit?user=built-in&from=2999-01-01");
        var range = await auditor.GetStringAsync("/Audit?user=built-in&from=2000-01-01&to=2998-12-31");

        Assert.Contains("data-testid=\"audit-row-user\">KetaCare (built-in protocol library)<", all, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"audit-row-user\">Nurse", all, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"audit-row\"", future, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"audit-row-user\">KetaCare (built-in protocol library)<", range, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DemoData_IsIntactWithTheLastHash()
    {
        var auditor = await _app.SignedInAsync("auditor");

        var html = await auditor.GetStringAsync("/Audit/Verify");

        Assert.Contains("data-testid=\"verify-ok\"", html, StringComparison.Ordinal);
        await using var db = _app.Services.GetRequiredService<ClinicDatabase>().Open();
        var last = await db.AuditEvents.OrderByDescending(e => e.Sequence).Select(e => e.Hash).FirstAsync(TestContext.Current.CancellationToken);
        Assert.Contains($"data-testid=\"verify-head\">{last}<", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EventEditedDirectlyInSql_NamesTheTamperedEvent()
    {
        // A database of its own: the tampering would break the shared one.
        using var app = new WebAppFactory();
        var auditor = await app.SignedInAsync("auditor");
        await using (var c = new SqliteConnection(app.Services.GetRequiredService<ClinicDatabase>().ConnectionString))
        {
            await c.OpenAsync(TestContext.Current.CancellationToken);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE audit_events SET detail = 'version 99' WHERE sequence = 3";
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        var html = await auditor.GetStringAsync("/Audit/Verify");

        Assert.Contains("data-testid=\"verify-broken\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"verify-problem\">event #3: altered", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditPages_Nurse_AreDenied()
    {
        var nurse = await _app.SignedInAsync("nurse");

        var r = await nurse.GetAsync("/Audit?patient=DEMO-0001");

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/Account/Denied", r.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
