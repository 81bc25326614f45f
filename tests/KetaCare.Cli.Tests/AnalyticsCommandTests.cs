using System.Globalization;
using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Reports;
using KetaCare.Interop.Text;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Cli.Tests;

/// <summary>
/// <c>ketacare analytics</c> on a temporary SQLite file with the demo data and a small synthetic cohort, and accounts
/// for a physician, an administrator and a nurse made with <c>ketacare users add</c>: the figures printed are the
/// service's, the files are the downloads', and the identified view follows the service's authorisation.
/// </summary>
public sealed class AnalyticsCommandTests(AnalyticsCommandTests.Fixture clinic) : IClassFixture<AnalyticsCommandTests.Fixture>
{
    /// <summary>The database and accounts, made once for the class.</summary>
    public sealed class Fixture : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "ketacare-analytics-" + Guid.NewGuid().ToString("N"));

        public Fixture()
        {
            Directory.CreateDirectory(_folder);
            var password = Path.Combine(_folder, "password.txt");
            File.WriteAllText(password, "correct horse battery" + Environment.NewLine);
            Assert.Equal(0, Cli.Run("db", "migrate", "--database", DbPath).ExitCode);
            Assert.Equal(0, Cli.Run("db", "seed", "--cohort", "6", "--database", DbPath).ExitCode);
            string Add(string user, string role)
            {
                var r = Cli.Run("users", "add", "--database", DbPath, "--user", user, "--display", user, "--role", role, "--password-file", password);
                Assert.Equal(0, r.ExitCode);
                return r.Out.Trim().Split("; id ")[1].TrimEnd('.');
            }

            Physician = Add("drcli", "Physician");
            Admin = Add("admincli", "Admin");
            Nurse = Add("nursecli", "Nurse");
        }

        public string DbPath => Path.Combine(_folder, "clinic.db");

        public string Folder => _folder;

        public string Physician { get; }

        public string Admin { get; }

        public string Nurse { get; }

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }

    private CliRun Run(params string[] args) => Cli.Run(["analytics", "--database", clinic.DbPath, .. args]);

    private async Task<AnalyticsReport> ServiceAsync(AnalyticsFilter filter)
    {
        await using var db = ClinicDatabase.Sqlite(clinic.DbPath).Open(DemoSeed.SeedUser, TimeProvider.System);
        return await new AnalyticsService(db, TimeProvider.System).ReportAsync(filter, ExposureAxis.PlasmaAuc, DemoSeed.SeedUser, TestContext.Current.CancellationToken);
    }

    private async Task<List<string>> AuditAsync(string action)
    {
        await using var db = ClinicDatabase.Sqlite(clinic.DbPath).Open();
        return await db.AuditEvents.Where(e => e.Action == action).Select(e => e.Detail).ToListAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Analytics_FilterBySex_PrintsTheServicesFiguresAndIsAudited()
    {
        var before = (await AuditAsync("analytics")).Count;

        var r = Run("--sex", "female", "--by", clinic.Physician);

        Assert.Equal(0, r.ExitCode);
        var report = await ServiceAsync(new AnalyticsFilter(Sex: Pharmacology.Models.Sex.Female));
        var en = CultureInfo.InvariantCulture;
        Assert.Contains($"  Courses: {report.Courses.Count}", r.OutLines);
        Assert.Contains($"  Responders (≥ 30 % reduction): {AnalyticsDocuments.Rate(report.Responders, en)}", r.OutLines);
        Assert.Contains(AnalyticsDocuments.FitText(report, Strings.For(en), en), r.OutLines);
        Assert.Contains(AnalyticsDocuments.RelapseText(report, Strings.For(en), en), r.OutLines);
        foreach (var g in report.ByProtocol)
        {
            Assert.Contains(r.OutLines, l => l.StartsWith(g.Group, StringComparison.Ordinal) && l.EndsWith(AnalyticsDocuments.Rate(g.Rate, en), StringComparison.Ordinal));
        }

        Assert.Contains("De-identified", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("SYN-", r.Out, StringComparison.Ordinal);
        // Two analyses ran: the command's (audited under its user) and the test's own.
        Assert.Equal(before + 2, (await AuditAsync("analytics")).Count);
    }

    [Fact]
    public async Task Analytics_Turkish_TablesInTurkishWithTurkishNumbers()
    {
        var r = Run("--lang", "tr", "--by", clinic.Physician);

        Assert.Equal(0, r.ExitCode);
        var tr = CultureInfo.GetCultureInfo("tr-TR");
        var t = Strings.For(tr);
        var report = await ServiceAsync(AnalyticsFilter.All);
        Assert.Contains(t["Responders by protocol"].Value, r.OutLines);
        Assert.Contains($"  {t["Responders (≥ 30 % reduction)"]}: {AnalyticsDocuments.Rate(report.Responders, tr)}", r.OutLines);
        Assert.Contains(AnalyticsDocuments.RelapseText(report, t, tr), r.OutLines);
    }

    [Theory]
    [InlineData("--sex", "Other", "--sex", "Female, Male")]
    [InlineData("--from", "2025-13-01", "--from", "yyyy-MM-dd")]
    [InlineData("--age-band", "7", "--age-band", "Under40, From40To59, From60")]
    [InlineData("--axis", "Auc", "--axis", "PlasmaAuc, DoseMgPerKg")]
    public async Task Analytics_UnreadableFilter_UsageErrorWithTheCodeNamingTheOptionAndWhatItAccepts(string option, string value, string field, string accepted)
    {
        var before = (await AuditAsync("analytics")).Count;

        var r = Run(option, value, "--by", clinic.Physician);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"] {field}: \"{value}\"", r.Error, StringComparison.Ordinal);
        Assert.Contains(accepted, r.Error, StringComparison.Ordinal);
        Assert.Contains("[analytics.filter-", r.Error, StringComparison.Ordinal);
        Assert.Equal(before, (await AuditAsync("analytics")).Count);
    }

    [Fact]
    public void Analytics_DatesOutOfOrderAndBadOptions_UsageErrorsNamingTheOption()
    {
        var order = Run("--from", "2025-06-01", "--to", "2025-01-01", "--by", clinic.Physician);
        var format = Run("--format", "xlsx", "--out", Path.Combine(clinic.Folder, "x.xlsx"), "--by", clinic.Physician);
        var noOut = Run("--format", "csv", "--by", clinic.Physician);
        var lang = Run("--lang", "de", "--by", clinic.Physician);
        var identifiedPdf = Run("--identified", "--reason", "follow-up", "--format", "pdf", "--out", Path.Combine(clinic.Folder, "x.pdf"), "--by", clinic.Physician);

        Assert.Equal((2, 2, 2, 2, 2), (order.ExitCode, format.ExitCode, noOut.ExitCode, lang.ExitCode, identifiedPdf.ExitCode));
        Assert.Contains($"[{FindingCodes.AnalyticsFilterDatesOrder}] --to: must be on or after the first date, 2025-06-01.", order.Error, StringComparison.Ordinal);
        Assert.Contains("--format", format.Error, StringComparison.Ordinal);
        Assert.Contains("--out", noOut.Error, StringComparison.Ordinal);
        Assert.Contains("--lang", lang.Error, StringComparison.Ordinal);
        Assert.Contains("de-identified", identifiedPdf.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(clinic.Folder, "x.pdf")));
    }

    [Fact]
    public async Task Analytics_CsvAndPdf_TheDownloadsOfTheSameAnalysis()
    {
        var csv = Path.Combine(clinic.Folder, "a.csv");
        var pdf = Path.Combine(clinic.Folder, "a.pdf");

        var c = Run("--protocol", "outpatient-seed", "--format", "csv", "--out", csv, "--by", clinic.Physician);
        var p = Run("--protocol", "outpatient-seed", "--format", "pdf", "--out", pdf, "--lang", "tr", "--by", clinic.Physician);

        Assert.Equal((0, 0), (c.ExitCode, p.ExitCode));
        var report = await ServiceAsync(new AnalyticsFilter(ProtocolId: "outpatient-seed"));
        Assert.Equal(AnalyticsDocuments.CsvBytes(report), await File.ReadAllBytesAsync(csv, TestContext.Current.CancellationToken));
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(await File.ReadAllBytesAsync(pdf, TestContext.Current.CancellationToken), 0, 5), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analytics_Identified_PhysicianWithAReasonSeesRecordNumbersAuditedWithTheReason_AndTheNextRunIsDeIdentified()
    {
        var csv = Path.Combine(clinic.Folder, "identified.csv");
        var before = (await AuditAsync("analytics-ident")).Count;

        var r = Run("--identified", "--reason", "follow-up of my patients' relapses", "--format", "csv", "--out", csv, "--by", clinic.Physician);
        var next = Run("--by", clinic.Physician);

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("SYN-0001", r.Out, StringComparison.Ordinal);
        var lines = (await File.ReadAllTextAsync(csv, TestContext.Current.CancellationToken)).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("course,medical_record_number,family_name,given_name,sex,", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("C-", StringComparison.Ordinal) && l.Contains(",SYN-0001,", StringComparison.Ordinal));
        var audit = await AuditAsync("analytics-ident");
        Assert.Equal(before + 1, audit.Count);
        Assert.EndsWith("reason: follow-up of my patients' relapses", audit[^1], StringComparison.Ordinal);
        Assert.Equal(0, next.ExitCode);
        Assert.DoesNotContain("SYN-", next.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin", "follow-up", "analytics.identify-not-permitted")]
    [InlineData("nurse", "follow-up", "analytics.identify-not-permitted")]
    [InlineData("unknown", "follow-up", "analytics.identify-not-permitted")]
    [InlineData("physician", null, "reason.required")]
    [InlineData("physician", "   ", "reason.required")]
    public async Task Analytics_Identified_RefusedWithItsCodeForAnyoneButAPhysicianAndWithoutAReason(string who, string? reason, string code)
    {
        var user = who switch { "admin" => clinic.Admin, "nurse" => clinic.Nurse, "physician" => clinic.Physician, _ => Guid.NewGuid().ToString() };
        var before = (await AuditAsync("analytics-ident")).Count;

        var r = reason is null ? Run("--identified", "--by", user) : Run("--identified", "--reason", reason, "--by", user);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"[{code}]", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("SYN-", r.Out, StringComparison.Ordinal);
        Assert.Equal(before, (await AuditAsync("analytics-ident")).Count);
    }
}
