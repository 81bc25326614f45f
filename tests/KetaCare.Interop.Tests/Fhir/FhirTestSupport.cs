using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Observation = KetaCare.Clinic.Sessions.Observation;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Interop.Tests.Fhir;

/// <summary>A temporary SQLite file, migrated, holding the demo seed plus one adverse event; removed when disposed.</summary>
internal sealed class SeededDatabase : IAsyncDisposable
{
    public static readonly UserId Reader = new(Guid.Parse("00000000-0000-0000-0000-0000000000f1"));

    private readonly string _path = Path.Combine(Path.GetTempPath(), "ketacare-fhir-" + Guid.NewGuid().ToString("N") + ".db");

    private SeededDatabase() => Database = ClinicDatabase.Sqlite(_path);

    public ClinicDatabase Database { get; }

    /// <summary>The clock of reads and exports: after the demo course (January 2026).</summary>
    public static TimeProvider Clock { get; } = new FixedClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>An empty, migrated database.</summary>
    public static async System.Threading.Tasks.Task<SeededDatabase> EmptyAsync()
    {
        var t = new SeededDatabase();
        await t.Database.MigrateAsync(TestContext.Current.CancellationToken);
        return t;
    }

    /// <summary>
    /// The demo seed, plus a third session of the CRPS patient's plan on 2026-01-27 with a rate change, a pause and a
    /// resumption (three rate segments) and a grade-2 adverse event during the second segment.
    /// </summary>
    public static async System.Threading.Tasks.Task<SeededDatabase> DemoAsync()
    {
        var t = await EmptyAsync();
        var ct = TestContext.Current.CancellationToken;
        Assert.True((await DemoSeed.RunAsync(t.Database, Clock, ct)).IsSuccess);
        await using var db = t.Database.Open(Reader, Clock);
        var crps = await CrpsPatientAsync(db);
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 27, 9, 0, 0, TimeSpan.Zero));
        var nurse = DemoSeed.DemoNurse;
        var patient = (await new PatientService(db, clock).OpenChartAsync(crps, Reader, ct)).Value;
        var treatments = new TreatmentService(db, clock);
        var plan = (await treatments.PlansAsync(crps, Reader, ct)).Single();
        var assessment = (await treatments.AssessmentsAsync(crps, Reader, ct))[0].Assessment;
        var workflow = new SessionWorkflow(db, clock, DemoSeed.Staff);
        var session = (await workflow.ScheduleAsync(plan.Id, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), nurse, ct)).Value;

        async System.Threading.Tasks.Task Step(Func<long, System.Threading.Tasks.Task<Outcome<InfusionSession>>> change)
        {
            var r = await change(session.Version);
            Assert.True(r.IsSuccess, r.Error);
            session = r.Value;
        }

        Observation Vitals(int? nrs = null) => Observation.Create(clock.GetUtcNow(), 128, 78, 76, 98, 14, new SedationScore(SedationScale.Moaas, 5), 0, nrs).Value;
        async System.Threading.Tasks.Task Observe(int? nrs = null)
        {
            Assert.True((await workflow.ObserveAsync(session.Id, session.Version, Vitals(nrs), nurse, ct)).IsSuccess);
            session = (await workflow.GetAsync(session.Id, Reader, ct)).Value;
        }

        var pre = await workflow.PreAssessAsync(session.Id, session.Version, Vitals(6), new PreSessionChecklist(clock.GetUtcNow().AddHours(-8), true, true, PregnancyCheck.NotTested, []), nurse, ct);
        Assert.True(pre.IsSuccess && pre.Value.Checks.IsSuccess);
        session = pre.Value.Session;
        await Step(v => workflow.ProgramPumpAsync(session.Id, v, nurse, ct));
        var program = session.Program!;
        await Step(v => workflow.SecondCheckAsync(session.Id, v, new PumpReading(program.RateMlPerHour, program.VtbiMl, program.Preparation.Concentration.MilligramsPerMilliliter, program.Weight.Kilograms), DemoSeed.DemoSecondNurse, ct));
        Assert.True((await DemoSeed.PrepareDrugAsync(db, clock, session, DemoSeed.DemoCabinet, ct)).IsSuccess);
        var needsOverride = (await workflow.PreviewStartAsync(session, ct)).Value.NeedsOverride.Count > 0;
        await Step(v => workflow.StartAsync(session.Id, v, needsOverride ? "reviewed" : null, needsOverride ? DemoSeed.DemoPhysician : nurse, ct));
        clock.Advance(TimeSpan.FromMinutes(20));
        await Step(v => workflow.ChangeRateAsync(session.Id, v, program.RateMlPerHour / 2, "nausea", nurse, ct));
        clock.Advance(TimeSpan.FromMinutes(20));
        await Step(v => workflow.PauseAsync(session.Id, v, "patient request", nurse, ct));
        clock.Advance(TimeSpan.FromMinutes(5));
        await Observe();
        await Step(v => workflow.ResumeAsync(session.Id, v, null, null, nurse, ct));
        clock.Advance(TimeSpan.FromMinutes(15));
        await Step(v => workflow.CompleteAsync(session.Id, v, System.Math.Round(session.Account(clock.GetUtcNow()).VolumeMl, 1), nurse, ct));
        var onset = session.Segments[1].Start.AddMinutes(10);
        await Step(v => workflow.RecordAdverseEventAsync(session.Id, v, AdverseEventType.NauseaVomiting, 2, false, AdverseEventAction.RateReduced, AdverseEventOutcome.Resolved, onset, "nausea", nurse, ct));

        // Accounts for the demo clinicians, as the web app's demo sign-ins have them, so they export as Practitioners.
        foreach (var (id, name) in new[] { (DemoSeed.DemoPhysician, "Dr Demo Physician"), (DemoSeed.DemoNurse, "Demo Nurse"), (DemoSeed.DemoSecondNurse, "Second Demo Nurse") })
        {
            db.Users.Add(new KetaCare.Clinic.Users.ClinicUser { Id = id.Value, UserName = name.Replace(' ', '.'), DisplayName = name, PasswordHash = "not-exported", CreatedAt = Clock.GetUtcNow() });
        }

        await db.SaveChangesAsync(ct);
        return t;
    }

    public static async System.Threading.Tasks.Task<PatientId> CrpsPatientAsync(KetaCareDbContext db) =>
        (await db.Patients.AsNoTracking().SingleAsync(p => p.MedicalRecordNumber == "DEMO-0001", TestContext.Current.CancellationToken)).Id;

    /// <summary>Row counts of every table and the audit chain's head: what "nothing stored" compares.</summary>
    public async System.Threading.Tasks.Task<(int Patients, int Plans, int Sessions, int Audit, string Head, bool Intact)> StateAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = Database.Open();
        var chain = await AuditChain.VerifyAsync(db, ct);
        return (await db.Patients.CountAsync(ct), await db.Plans.CountAsync(ct), await db.Sessions.CountAsync(ct), await db.AuditEvents.CountAsync(ct), chain.HeadHash, chain.IsIntact);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var f in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(f);
        }

        return ValueTask.CompletedTask;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

/// <summary>
/// The Firely validator over the R4 specification package (Hl7.Fhir.Specification.Data.R4), offline: the local
/// terminology service checks codes against the code systems and value sets the specification ships; bindings to
/// external terminologies (LOINC, SNOMED CT, UCUM, ICD-10-CM) cannot be expanded offline and are reported as such,
/// which <see cref="Errors"/> leaves out (and only those).
/// </summary>
internal static class FhirValidation
{
    private static readonly Lazy<Validator> Instance = new(() =>
    {
        var source = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(source, new LocalTerminologyService(source));
    });

    /// <summary>The error and fatal issues of validating <paramref name="resource"/> against <paramref name="profile"/> (its base profile when null).</summary>
    public static IReadOnlyList<string> Errors(Resource resource, string? profile = null)
    {
        var outcome = Instance.Value.Validate(resource, profile ?? "http://hl7.org/fhir/StructureDefinition/" + resource.TypeName);
        return [.. outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Where(i => !IsExternalTerminology(i))
            .Where(i => !IsSharedModelRelation(i))
            .Select(i => $"{resource.TypeName}/{resource.Id} {string.Join(",", i.Expression)}: {i.Details?.Text ?? i.Diagnostics}")];
    }

    public static OperationOutcome Raw(Resource resource, string? profile) =>
        Instance.Value.Validate(resource, profile ?? "http://hl7.org/fhir/StructureDefinition/" + resource.TypeName);

    // Bundle.link.relation is a string in R4 and a code in R5; the SDK's shared Bundle model gives it R5's type, which the R4
    // validator reports about the object although the JSON written ("relation": "next") is the same. Only that issue is left out.
    private static bool IsSharedModelRelation(OperationOutcome.IssueComponent issue) =>
        issue.Expression.Any(e => e is not null && System.Text.RegularExpressions.Regex.IsMatch(e, @"^Bundle\.link\[\d+\]\.relation(\[0\])?$"))
        && (issue.Details?.Text ?? issue.Diagnostics ?? string.Empty).Contains("(string) is incompatible with that of the instance (code)", StringComparison.Ordinal);

    // Codes of LOINC, SNOMED CT, UCUM and ICD-10-CM cannot be checked without a terminology server.
    private static bool IsExternalTerminology(OperationOutcome.IssueComponent issue)
    {
        var text = issue.Details?.Text ?? issue.Diagnostics ?? string.Empty;
        return new[] { "loinc.org", "snomed.info", "unitsofmeasure.org", "icd-10-cm" }.Any(s => text.Contains(s, StringComparison.Ordinal));
    }
}
