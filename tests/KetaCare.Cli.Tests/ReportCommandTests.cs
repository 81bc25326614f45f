using KetaCare.Clinic.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Cli.Tests;

/// <summary><c>ketacare report …</c> on a temporary SQLite file holding the demo data.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private const string User = "00000000-0000-0000-0000-0000000000aa";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ketacare-report-" + Guid.NewGuid().ToString("N"));

    public ReportCommandTests()
    {
        Assert.Equal(0, Cli.Run("db", "migrate", "--database", DbPath).ExitCode);
        Assert.Equal(0, Cli.Run("db", "seed", "--database", DbPath).ExitCode);
    }

    private string DbPath => Path.Combine(_folder, "clinic.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task ReportSessionCourseLeafletConsent_DemoPatient_WritePdfsAndAuditTheReads()
    {
        var database = ClinicDatabase.Sqlite(DbPath);
        string session;
        int before;
        await using (var db = database.Open())
        {
            session = (await db.Sessions.AsNoTracking().OrderBy(s => s.ScheduledFor).FirstAsync(TestContext.Current.CancellationToken)).Id.ToString();
            before = await db.AuditEvents.CountAsync(TestContext.Current.CancellationToken);
        }

        string Pdf(string name) => Path.Combine(_folder, name);
        var runs = new[]
        {
            Cli.Run("report", "session", "--session", session, "--out", Pdf("s.pdf"), "--by", User, "--database", DbPath),
            Cli.Run("report", "course", "--patient", "DEMO-0001", "--out", Pdf("c.pdf"), "--by", User, "--database", DbPath),
            Cli.Run("report", "leaflet", "--patient", "DEMO-0002", "--lang", "tr", "--out", Pdf("l.pdf"), "--by", User, "--database", DbPath),
            Cli.Run("report", "consent", "--patient", "DEMO-0003", "--protocol", "outpatient-seed", "--out", Pdf("k.pdf"), "--by", User, "--database", DbPath),
        };

        Assert.All(runs, r => Assert.Equal(0, r.ExitCode));
        foreach (var f in new[] { "s.pdf", "c.pdf", "l.pdf", "k.pdf" })
        {
            Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(Pdf(f)), 0, 5), StringComparison.Ordinal);
        }

        await using var after = database.Open();
        Assert.True(await after.AuditEvents.CountAsync(TestContext.Current.CancellationToken) > before, "the chart reads are audited");
    }

    [Fact]
    public void Report_BadInputs_ExitWithUsageOrRefusalNamingTheOption()
    {
        var lang = Cli.Run("report", "leaflet", "--patient", "DEMO-0001", "--lang", "de", "--out", Path.Combine(_folder, "x.pdf"), "--by", User, "--database", DbPath);
        var patient = Cli.Run("report", "course", "--patient", "NO-SUCH", "--out", Path.Combine(_folder, "x.pdf"), "--by", User, "--database", DbPath);
        var session = Cli.Run("report", "session", "--session", "abc", "--out", Path.Combine(_folder, "x.pdf"), "--by", User, "--database", DbPath);
        var noPlan = Cli.Run("report", "consent", "--patient", "DEMO-0003", "--out", Path.Combine(_folder, "x.pdf"), "--by", User, "--database", DbPath);

        Assert.Equal(2, lang.ExitCode);
        Assert.Contains("--lang", lang.Error, StringComparison.Ordinal);
        Assert.Equal(2, patient.ExitCode);
        Assert.Equal(2, session.ExitCode);
        Assert.Contains("--session", session.Error, StringComparison.Ordinal);
        Assert.Equal(1, noPlan.ExitCode);
        Assert.Contains("protocol", noPlan.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "x.pdf")));
    }

    [Fact]
    public void ReportCsv_Deidentified_WritesBothFilesWithoutNames()
    {
        var dir = Path.Combine(_folder, "export");

        var run = Cli.Run("report", "csv", "--out-dir", dir, "--deidentify", "--by", User, "--database", DbPath);

        Assert.Equal(0, run.ExitCode);
        var sessions = File.ReadAllText(Path.Combine(dir, "sessions.csv"));
        var outcomes = File.ReadAllText(Path.Combine(dir, "outcomes.csv"));
        Assert.StartsWith("patient,age_years,session,", sessions, StringComparison.Ordinal);
        Assert.Equal(4, sessions.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(4, outcomes.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        foreach (var secret in new[] { "Elif", "Yılmaz", "DEMO-0001", "1979-04-12", "Mehmet" })
        {
            Assert.DoesNotContain(secret, sessions + outcomes, StringComparison.Ordinal);
        }
    }
}
