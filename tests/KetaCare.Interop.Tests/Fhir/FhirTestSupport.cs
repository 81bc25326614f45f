using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Observation = KetaCare.Clinic.Sessions.Observation;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using KetaCare.Clinic;
using KetaCare.Clinic.Dosing;
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
        var sessions = new SessionService(db, clock);
        var session = (await sessions.ScheduleAsync(plan.Id, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), nurse, ct)).Value;

        async System.Threading.Tasks.Task Step(Func<InfusionSession, Outcome> change)
        {
            var r = await sessions.ChangeAsync(session.Id, session.Version, change, nurse, ct);
            Assert.True(r.IsSuccess, r.Error);
            session = r.Value;
        }

        var settings = SessionSettings.Default;
        await Step(s => s.BeginPreAssessment(nurse, clock));
        await Step(s => s.RecordObservation(Observation.Create(clock.GetUtcNow(), 128, 78, 76, 98, 14, new SedationScore(SedationScale.Moaas, 5), 0, 6).Value, settings, nurse, clock) is { IsSuccess: true } ? Outcome.Ok() : Outcome.Fail("observation refused"));
        await Step(s => s.CompletePreAssessment(new PreAssessmentInput(patient.Snapshot(), assessment, null, null), settings, nurse, clock));
        var program = PumpProgram.Compute(session.PlannedDose, session.Weight!.Weight, plan.Preparation, plan.Protocol.InfusionDuration!.Value, PumpSettings.Default, nurse, clock).Value;
        program = program.WithSecondCheck(DemoSeed.DemoSecondNurse, program.RateMlPerHour, program.VtbiMl, PumpSettings.Default, clock).Value;
        var covariates = patient.Snapshot().CovariatesOn(session.ScheduledFor).Value;
        var check = DoseCheck.Evaluate(new PlannedDose(plan.Protocol, covariates, program.BackCalculated, plan.Preparation, plan.ModelId) { VtbiMl = program.VtbiMl }, DrugLibrary.Default);
        var authorization = DoseAuthorization.Authorize(check, check.SoftFindings.ToDictionary(f => f.LimitId, _ => "reviewed", StringComparer.Ordinal), DemoSeed.DemoPhysician, clock).Value;
        await Step(s => s.StartInfusion(program, authorization, nurse, clock));
        clock.Advance(TimeSpan.FromMinutes(20));
        await Step(s => s.ChangeRate(program.RateMlPerHour / 2, "nausea", nurse, clock));
        clock.Advance(TimeSpan.FromMinutes(20));
        await Step(s => s.Pause("patient request", nurse, clock));
        clock.Advance(TimeSpan.FromMinutes(5));
        await Step(s => s.Resume(nurse, clock));
        clock.Advance(TimeSpan.FromMinutes(15));
        await Step(s => s.Complete(nurse, clock));
        var onset = session.Segments[1].Start.AddMinutes(10);
        await Step(s => s.RecordAdverseEvent(AdverseEventType.NauseaVomiting, 2, false, AdverseEventAction.RateReduced, AdverseEventOutcome.Resolved, onset, "nausea", nurse, clock) is { IsSuccess: true } ? Outcome.Ok() : Outcome.Fail("adverse event refused"));
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
            .Select(i => $"{resource.TypeName}/{resource.Id} {string.Join(",", i.Expression)}: {i.Details?.Text ?? i.Diagnostics}")];
    }

    public static OperationOutcome Raw(Resource resource, string? profile) =>
        Instance.Value.Validate(resource, profile ?? "http://hl7.org/fhir/StructureDefinition/" + resource.TypeName);

    // Codes of LOINC, SNOMED CT, UCUM and ICD-10-CM cannot be checked without a terminology server.
    private static bool IsExternalTerminology(OperationOutcome.IssueComponent issue)
    {
        var text = issue.Details?.Text ?? issue.Diagnostics ?? string.Empty;
        return new[] { "loinc.org", "snomed.info", "unitsofmeasure.org", "icd-10-cm" }.Any(s => text.Contains(s, StringComparison.Ordinal));
    }
}
