using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Services;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Cli.Tests;

/// <summary><c>ketacare patients|screen|outcomes|protocols</c> on a temporary SQLite file holding the demo data.</summary>
public sealed class ClinicCommandTests : IDisposable
{
    private const string User = "00000000-0000-0000-0000-0000000000aa";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ketacare-cli-" + Guid.NewGuid().ToString("N"));

    public ClinicCommandTests()
    {
        Assert.Equal(0, Cli.Run("db", "migrate", "--database", DbPath).ExitCode);
        Assert.Equal(0, Cli.Run("db", "seed", "--database", DbPath).ExitCode);
    }

    private string DbPath => Path.Combine(_folder, "clinic.db");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void PatientsList_AllAndSearch_ListsWithoutAuditedReads()
    {
        var before = AuditCount();

        var all = Cli.Run("patients", "list", "--database", DbPath);
        var search = Cli.Run("patients", "list", "--search", "Kaya", "--database", DbPath);

        Assert.Equal(0, all.ExitCode);
        Assert.Contains("3 patient(s).", all.Out, StringComparison.Ordinal);
        Assert.Contains("DEMO-0001", all.Out, StringComparison.Ordinal);
        Assert.Equal(0, search.ExitCode);
        Assert.Contains("DEMO-0003", search.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("DEMO-0001", search.Out, StringComparison.Ordinal);
        Assert.Equal(before, AuditCount());
    }

    [Fact]
    public void PatientsShow_Chart_PrintsEverySectionAndAuditsTheReadByTheUser()
    {
        var before = AuditCount();

        var run = Cli.Run("patients", "show", "DEMO-0001", "--by", User, "--database", DbPath);

        Assert.Equal(0, run.ExitCode);
        foreach (var section in new[] { "Weights and heights", "Conditions", "Prior treatments", "Current medications", "Findings", "Consents", "Eligibility assessments", "Treatment plans", "Sessions", "Follow-up pain (NRS)", "BPI short form", "PGIC" })
        {
            Assert.Contains(section, run.Out, StringComparison.Ordinal);
        }

        Assert.Contains("G90.512", run.Out, StringComparison.Ordinal);
        Assert.Contains("outpatient-seed v1", run.Out, StringComparison.Ordinal);
        Assert.Contains("Discharged", run.Out, StringComparison.Ordinal);
        using var db = Open();
        var reads = db.AuditEvents.AsNoTracking().Where(a => a.Sequence > before).ToList();
        Assert.NotEmpty(reads);
        Assert.All(reads, e => Assert.Equal(("read", new UserId(Guid.Parse(User))), (e.Action, e.UserId)));
        Assert.Contains(reads, e => e.Detail == "chart opened");
    }

    [Theory]
    [InlineData(null, 53, true)]
    [InlineData(60.0, 53, false)]
    [InlineData(30.0, 37, true)]
    public async Task PatientsShow_LiverValueBetweenTheDefaultAndTheClinicsUpperLimit_FlaggedByTheClinicsLimit(double? altUpper, double alt, bool flagged)
    {
        var ct = TestContext.Current.CancellationToken;
        var by = new UserId(Guid.Parse(User));
        await using (var db = ClinicDatabase.Sqlite(DbPath).Open(by, TimeProvider.System))
        {
            var patient = (await new PatientService(db, TimeProvider.System).SearchAsync("DEMO-0001", ct)).Single();
            var recorded = await new PatientService(db, TimeProvider.System).RecordAsync(patient.Id, patient.Version, new Clinic.Patients.LiverPanel(new DateOnly(2026, 1, 2), alt, 20, null, null, null), by, ct);
            Assert.True(recorded.IsSuccess, recorded.IsSuccess ? null : recorded.Error);
            if (altUpper is { } upper)
            {
                var revised = await new SettingsService(db, TimeProvider.System).ReviseInvestigationSettingsAsync(new Dictionary<string, double> { ["altUpper"] = upper }, 0, "the laboratory's range", by, ct);
                Assert.True(revised.IsSuccess, revised.IsSuccess ? null : revised.Error);
            }
        }

        var run = Cli.Run("patients", "show", "DEMO-0001", "--by", User, "--database", DbPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(flagged, run.Out.Contains($"2026-01-02: ALT {alt} U/L (High)", StringComparison.Ordinal));
        Assert.Contains($"2026-01-02: ALT {alt} U/L", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatientsShow_Medications_SayWhereEachCameFrom()
    {
        var ct = TestContext.Current.CancellationToken;
        var by = new UserId(Guid.Parse(User));
        await using (var db = ClinicDatabase.Sqlite(DbPath).Open(by, TimeProvider.System))
        {
            var service = new PatientService(db, TimeProvider.System);
            var patient = (await service.SearchAsync("DEMO-0001", ct)).Single();
            var version = patient.Version;
            foreach (var m in new Clinic.Patients.Medication[]
            {
                new("sertraline", "50 mg daily", Clinic.Patients.InteractionClass.None, Clinic.Patients.MedicationSource.PreSessionChecklist, new DateOnly(2026, 2, 3)),
                new("omeprazole", null, Clinic.Patients.InteractionClass.None, Clinic.Patients.MedicationSource.Imported),
            })
            {
                var recorded = await service.RecordAsync(patient.Id, version++, m, by, ct);
                Assert.True(recorded.IsSuccess, recorded.IsSuccess ? null : recorded.Error);
            }
        }

        var run = Cli.Run("patients", "show", "DEMO-0001", "--by", User, "--database", DbPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("sertraline 50 mg daily (interactions: None; source: pre-session checklist on 2026-02-03)", run.Out, StringComparison.Ordinal);
        Assert.Contains("omeprazole (interactions: None; source: import)", run.Out, StringComparison.Ordinal);
        Assert.Contains("paracetamol 1 g up to four times daily (interactions: None; source: chart)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void PatientsShow_UnknownRecordOrNoUser_IsAnInputErrorNamingIt()
    {
        var unknown = Cli.Run("patients", "show", "NOPE-1", "--by", User, "--database", DbPath);
        var noUser = Cli.Run("patients", "show", "DEMO-0001", "--database", DbPath);
        var badUser = Cli.Run("patients", "show", "DEMO-0001", "--by", "bob", "--database", DbPath);

        Assert.Equal((2, 2, 2), (unknown.ExitCode, noUser.ExitCode, badUser.ExitCode));
        Assert.Contains("RECORD: no patient with record number \"NOPE-1\"", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("--by:", noUser.Error, StringComparison.Ordinal);
        Assert.Contains("--by: \"bob\" is not a user id", badUser.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_IneligiblePatient_StoresTheAssessmentPrintsFindingsWithSourcesAndExits0()
    {
        int Assessments()
        {
            using var db = Open();
            return db.Assessments.Count();
        }

        var before = Assessments();

        var run = Cli.Run("screen", "DEMO-0003", "--by", User, "--database", DbPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("NOT eligible", run.Out, StringComparison.Ordinal);
        Assert.Contains("[Exclude] hypertension:", run.Out, StringComparison.Ordinal);
        Assert.Contains("source: clinical-reference: Product label (ketalar-label)", run.Out, StringComparison.Ordinal);
        Assert.Contains("rule set eligibility-", run.Out, StringComparison.Ordinal);
        Assert.Equal(before + 1, Assessments());
    }

    [Fact]
    public void Screen_EligiblePatientWithAProtocol_PrintsEligibleAndUnknownInputsNameTheOption()
    {
        var ok = Cli.Run("screen", "DEMO-0001", "--by", User, "--protocol", "outpatient-seed", "--database", DbPath);
        var badProtocol = Cli.Run("screen", "DEMO-0001", "--by", User, "--protocol", "nope", "--database", DbPath);
        var badCondition = Cli.Run("screen", "DEMO-0001", "--by", User, "--condition", "M79.7", "--database", DbPath);
        var noUser = Cli.Run("screen", "DEMO-0001", "--database", DbPath);

        Assert.Equal(0, ok.ExitCode);
        Assert.Contains(": eligible", ok.Out, StringComparison.Ordinal);
        Assert.Equal(2, badProtocol.ExitCode);
        Assert.StartsWith("error: --protocol:", badProtocol.Error, StringComparison.Ordinal);
        Assert.Equal(2, badCondition.ExitCode);
        Assert.Contains("--condition: \"M79.7\" is not an active condition", badCondition.Error, StringComparison.Ordinal);
        Assert.Equal(2, noUser.ExitCode);
    }

    [Fact]
    public void Outcomes_DemoPatient_PrintsSessionsFollowUpsResponderStatusAndPredictedRelief()
    {
        var run = Cli.Run("outcomes", "DEMO-0001", "--by", User, "--database", DbPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("baseline NRS: 7", run.Out, StringComparison.Ordinal);
        Assert.Contains("NRS 7 → 5 (28.6 % reduction): non-responder", run.Out, StringComparison.Ordinal); // the latest follow-up
        Assert.Contains("duration of relief after the last infusion: 120 h", run.Out, StringComparison.Ordinal);
        Assert.Contains("PGIC 2026-01-18: 2 (responder", run.Out, StringComparison.Ordinal);
        Assert.Contains("Predicted relief beside observed", run.Out, StringComparison.Ordinal);
        Assert.Equal(2, run.OutLines.Count(l => l.StartsWith("2026-01-", StringComparison.Ordinal) && l.Contains(" mg", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Outcomes_FollowUpsBpiAndPgicRecordedThroughTheService_AreShown()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = new UserId(Guid.Parse(User));
        await using (var db = ClinicDatabase.Sqlite(DbPath).Open(user, TimeProvider.System))
        {
            var p = (await new PatientService(db, TimeProvider.System).SearchAsync("DEMO-0001", ct)).Single();
            var outcomes = new OutcomeService(db, TimeProvider.System);
            var at = new DateTimeOffset(2026, 1, 20, 9, 0, 0, TimeSpan.Zero);
            Assert.True((await outcomes.RecordFollowUpAsync(p.Id, p.Version, at, 6, "telephone", user, ct)).IsSuccess);
            Assert.True((await outcomes.RecordBpiAsync(p.Id, p.Version + 1, new DateOnly(2026, 1, 20), 6, 2, 4, 4, [4, 4, 4, 4, 4, 4, 4], user, ct)).IsSuccess);
            Assert.True((await outcomes.RecordPgicAsync(p.Id, p.Version + 2, new DateOnly(2026, 1, 20), 3, user, ct)).IsSuccess);
        }

        var run = Cli.Run("outcomes", "DEMO-0001", "--by", User, "--database", DbPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("2026-01-20 09:00 UTC", run.Out, StringComparison.Ordinal);
        Assert.Contains("NRS 7 → 6 (14.3 % reduction): non-responder", run.Out, StringComparison.Ordinal);
        Assert.Contains("duration of relief after the last infusion: ", run.Out, StringComparison.Ordinal);
        Assert.Contains("BPI 2026-01-20: severity 4, interference 4", run.Out, StringComparison.Ordinal);
        Assert.Contains("PGIC 2026-01-20: 3 (not a responder)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Protocols_ListAndShow_ReadTheStoredLibraryWithItsVersions()
    {
        var user = new UserId(Guid.Parse(User));
        await using (var db = ClinicDatabase.Sqlite(DbPath).Open(user, TimeProvider.System))
        {
            var r = await new ProtocolService(db, TimeProvider.System).ReviseAsync(ProtocolLibrary.Rema2012 with { NumberOfSessions = 4 }, 1, "a fourth day at 0.6 mg/kg/h", user, TestContext.Current.CancellationToken);
            Assert.True(r.IsSuccess, r.Error);
        }

        var list = Cli.Run("protocols", "list", "--database", DbPath);
        var show = Cli.Run("protocols", "show", "rema2012", "--database", DbPath);
        var old = Cli.Run("protocols", "show", "rema2012", "--version", "1", "--database", DbPath);
        var unknown = Cli.Run("protocols", "show", "nope", "--database", DbPath);
        var noVersion = Cli.Run("protocols", "show", "rema2012", "--version", "9", "--database", DbPath);

        Assert.Equal(0, list.ExitCode);
        Assert.Equal(5, list.OutLines.Length - 2);
        Assert.Contains(list.OutLines, l => l.StartsWith("rema2012 ", StringComparison.Ordinal) && l.Contains(" 2 ", StringComparison.Ordinal));
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("rema2012 v2", show.Out, StringComparison.Ordinal);
        Assert.Contains("4 session(s)", show.Out, StringComparison.Ordinal);
        Assert.Contains("v2 ", show.Out, StringComparison.Ordinal);
        Assert.Contains("a fourth day at 0.6 mg/kg/h", show.Out, StringComparison.Ordinal);
        Assert.Contains("source: ", show.Out, StringComparison.Ordinal);
        Assert.Equal(0, old.ExitCode);
        Assert.Contains("3 session(s)", old.Out, StringComparison.Ordinal);
        Assert.Equal((2, 2), (unknown.ExitCode, noVersion.ExitCode));
        Assert.StartsWith("error: ID:", unknown.Error, StringComparison.Ordinal);
        Assert.StartsWith("error: --version:", noVersion.Error, StringComparison.Ordinal);
    }

    private KetaCareDbContext Open() => ClinicDatabase.Sqlite(DbPath).Open();

    private int AuditCount()
    {
        using var db = Open();
        return db.AuditEvents.Count();
    }
}
