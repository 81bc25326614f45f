using System.Globalization;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;
using Microsoft.EntityFrameworkCore;
using Duration = KetaCare.Pharmacology.Units.Duration;
using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Services;

/// <summary>What <see cref="DemoSeed.RunAsync"/> did.</summary>
/// <param name="Seeded">True when the demo data was written now; false when it was already there.</param>
/// <param name="Patients">Demo patients in the database.</param>
/// <param name="Sessions">Demo sessions in the database.</param>
public sealed record SeedResult(bool Seeded, int Patients, int Sessions);

/// <summary>
/// Demo data so the app shows something on first run: a CRPS patient on the outpatient scheme with two completed
/// sessions, a patient with diabetic neuropathic pain on the Rema scheme with one completed session, and a patient
/// not eligible (uncontrolled hypertension). Doses rise by the titration advisor's accepted proposals; the CRPS patient
/// also has follow-up pain scores, a BPI short form and a PGIC. Written through the services, so it is audited like any other data.
/// The controlled-substance register holds the custody of every demo session (DemoSeed.Stock.cs).
/// Idempotent; refuses a database holding any patient that is not demo data. Times are fixed (January 2026) so the
/// demo is the same everywhere.
/// </summary>
public static partial class DemoSeed
{
    /// <summary>The user recorded as author of the demo data.</summary>
    public static UserId SeedUser { get; } = new(Guid.Parse("d3e30000-0000-0000-0000-000000000001"));

    /// <summary>The demo physician.</summary>
    public static UserId DemoPhysician { get; } = new(Guid.Parse("d3e30000-0000-0000-0000-000000000002"));

    /// <summary>The demo nurse.</summary>
    public static UserId DemoNurse { get; } = new(Guid.Parse("d3e30000-0000-0000-0000-000000000003"));

    /// <summary>The second nurse who checks pump programs.</summary>
    public static UserId DemoSecondNurse { get; } = new(Guid.Parse("d3e30000-0000-0000-0000-000000000004"));

    /// <summary>The demo patient's portal account (linked to DEMO-0001).</summary>
    public static UserId DemoPatientAccount { get; } = new(Guid.Parse("d3e30000-0000-0000-0000-000000000007"));

    /// <summary>The record number of the patient the demo portal account is linked to.</summary>
    public const string DemoPortalPatient = "DEMO-0001";

    /// <summary>
    /// Writes a few pain-diary scores and a side effect through the portal as the demo patient's account (which must
    /// already be linked to <see cref="DemoPortalPatient"/>), unless the patient reported anything already. The scores
    /// climb back after the course, so the clinic's "pain is back" rule shows on the dashboard.
    /// </summary>
    /// <returns>The number of reports written.</returns>
    public static async Task<int> PortalDiaryAsync(ClinicDatabase database, TimeProvider auditClock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.Open(DemoPatientAccount, auditClock);
        var clock = new DemoClock(new DateTimeOffset(2026, 2, 2, 19, 0, 0, TimeSpan.Zero));
        var portal = new PortalService(db, clock);
        var view = await portal.ViewAsync(DemoPatientAccount, clock.Today, cancellationToken).ConfigureAwait(false);
        if (!view.IsSuccess || view.Value.Pain.Count > 0 || view.Value.SideEffects.Count > 0)
        {
            return 0;
        }

        var written = 0;
        foreach (var (days, nrs, note) in new[] { (0, 3, "good week"), (7, 4, (string?)null), (14, 5, "walking less"), (21, 6, "pain back in the evenings") })
        {
            clock.Set(new DateOnly(2026, 2, 2).AddDays(days), 19, 0);
            var r = await portal.RecordPainAsync(DemoPatientAccount, clock.GetUtcNow(), nrs, note, cancellationToken).ConfigureAwait(false);
            Expect(r.IsSuccess, "demo diary: " + r.Error);
            written++;
        }

        var side = await portal.RecordSideEffectAsync(DemoPatientAccount, new Portal.SideEffectReport(clock.GetUtcNow(), Portal.SideEffectKind.Nausea, Severity.Mild, null), cancellationToken).ConfigureAwait(false);
        Expect(side.IsSuccess, "demo side effect: " + side.Error);
        return written + 1;
    }

    /// <summary>The demo stock keeper (receipts, transfers and counts of the register).</summary>
    public static UserId DemoStockKeeper { get; } = new(Guid.Parse("d3e30000-0000-0000-0000-000000000008"));

    /// <summary>Writes the demo data unless it is there; refused when the database holds non-demo patients.</summary>
    /// <param name="database">The database (migrated).</param>
    /// <param name="auditClock">The clock of the audit events (the real time of seeding).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<Outcome<SeedResult>> RunAsync(ClinicDatabase database, TimeProvider auditClock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using (var db = database.Open(SeedUser, auditClock))
        {
            if (await RealPatientsAsync(db, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            var demo = await db.Patients.CountAsync(p => p.IsDemo, cancellationToken).ConfigureAwait(false);
            if (demo > 0)
            {
                return Outcome<SeedResult>.Ok(new SeedResult(false, demo, await db.Sessions.CountAsync(cancellationToken).ConfigureAwait(false)));
            }
        }

        var clock = new DemoClock(new DateTimeOffset(2026, 1, 2, 8, 0, 0, TimeSpan.Zero));
        await StockAsync(database, auditClock, clock, cancellationToken).ConfigureAwait(false);
        clock.Set(new DateOnly(2026, 1, 5), 8, 0);
        var sessions = 0;

        var crps = await RegisterAsync(database, auditClock, clock, new Demographics("DEMO-0001", "Elif", "Yılmaz", new DateOnly(1979, 4, 12), Sex.Female), cancellationToken).ConfigureAwait(false);
        await ChartAsync(database, auditClock, clock, crps, cancellationToken, [
            BodyMeasurement.Create(clock.Today.AddDays(-7), 64, 165).Value,
            new PregnancyStatus(PregnancyState.NotOfChildbearingPotential, clock.Today.AddDays(-7)),
            new PriorTreatment(TreatmentClass.Gabapentinoid, "pregabalin", "150 mg twice daily", Duration.FromDays(120), TreatmentOutcome.Ineffective),
            new PriorTreatment(TreatmentClass.NonPharmacological, "graded motor imagery", null, Duration.FromDays(90), TreatmentOutcome.Partial),
            new Medication("paracetamol", "1 g up to four times daily", InteractionClass.None),
            new NoKnownAllergies(clock.Today.AddDays(-7)),
            new LiverPanel(clock.Today.AddDays(-7), 24, 21, 0.5, 19, 71),
            new Consent(ConsentKind.OffLabelKetamineForPain, clock.Today.AddDays(-1), null, "consent-DEMO-0001.pdf"),
        ]).ConfigureAwait(false);
        var crpsCondition = await ConditionAsync(database, auditClock, clock, crps, new Condition(Icd10Code.Parse("G90.512").Value, "CRPS type I, left upper limb, after a wrist fracture", new DateOnly(2024, 9, 1)), cancellationToken).ConfigureAwait(false);
        sessions += await TreatAsync(database, auditClock, clock, crps, crpsCondition, "outpatient-seed", "bag-1", [(7, 5), (6, 3)], cancellationToken).ConfigureAwait(false);
        await OutcomeMeasuresAsync(database, auditClock, clock, crps, cancellationToken).ConfigureAwait(false);

        clock.Advance(TimeSpan.FromDays(1));
        var neuro = await RegisterAsync(database, auditClock, clock, new Demographics("DEMO-0002", "Mehmet", "Demir", new DateOnly(1961, 11, 3), Sex.Male), cancellationToken).ConfigureAwait(false);
        await ChartAsync(database, auditClock, clock, neuro, cancellationToken, [
            BodyMeasurement.Create(clock.Today.AddDays(-3), 88, 178).Value,
            new PriorTreatment(TreatmentClass.TricyclicAntidepressant, "amitriptyline", "25 mg at night", Duration.FromDays(180), TreatmentOutcome.NotTolerated),
            new PriorTreatment(TreatmentClass.Snri, "duloxetine", "60 mg daily", Duration.FromDays(120), TreatmentOutcome.Ineffective),
            new Medication("metformin", "1 g twice daily", InteractionClass.None),
            new AllergyIntolerance(AllergySubstance.Adhesive, AllergyCategory.Environment, AllergyType.Intolerance, AllergyCriticality.Low, AllergyClinicalStatus.Active, AllergyVerification.Confirmed, "skin redness under cannula dressings", ReactionSeverity.Mild, new DateOnly(2023, 6, 1), DemoPhysician),
            new ContraindicationFinding(FindingKind.Hypertension, Severity.Mild, false, "controlled on ramipril"),
            new EcgRecord(clock.Today.AddDays(-3), EcgRhythm.Sinus, 428, EcgInterpretation.Normal),
            new LiverPanel(clock.Today.AddDays(-3), 32, 27, 0.6, 48, 92),
            new Consent(ConsentKind.OffLabelKetamineForPain, clock.Today.AddDays(-1), null, "consent-DEMO-0002.pdf"),
        ]).ConfigureAwait(false);
        var neuroCondition = await ConditionAsync(database, auditClock, clock, neuro, new Condition(Icd10Code.Parse("E11.42").Value, "Painful diabetic polyneuropathy, both feet", new DateOnly(2022, 3, 1)), cancellationToken).ConfigureAwait(false);
        sessions += await TreatAsync(database, auditClock, clock, neuro, neuroCondition, "rema2012", "bag-1", [(8, 6)], cancellationToken).ConfigureAwait(false);

        clock.Advance(TimeSpan.FromDays(1));
        var ineligible = await RegisterAsync(database, auditClock, clock, new Demographics("DEMO-0003", "Ayşe", "Kaya", new DateOnly(1955, 7, 21), Sex.Female), cancellationToken).ConfigureAwait(false);
        await ChartAsync(database, auditClock, clock, ineligible, cancellationToken, [
            BodyMeasurement.Create(clock.Today, 71, 160).Value,
            new PregnancyStatus(PregnancyState.NotOfChildbearingPotential, clock.Today),
            new PriorTreatment(TreatmentClass.Gabapentinoid, "gabapentin", "600 mg three times daily", Duration.FromDays(90), TreatmentOutcome.Ineffective),
            new ContraindicationFinding(FindingKind.Hypertension, Severity.Severe, true, "uncontrolled: 186/112 mmHg at screening"),
        ]).ConfigureAwait(false);
        var ineligibleCondition = await ConditionAsync(database, auditClock, clock, ineligible, new Condition(Icd10Code.Parse("B02.23").Value, "Post-herpetic neuralgia, right T6 dermatome", new DateOnly(2025, 2, 10)), cancellationToken).ConfigureAwait(false);
        await using (var db = database.Open(SeedUser, auditClock))
        {
            var a = await new TreatmentService(db, clock).AssessEligibilityAsync(ineligible, ineligibleCondition, DemoPhysician, "outpatient-seed", cancellationToken).ConfigureAwait(false);
            Expect(a.IsSuccess && a.Value.Evaluation.Result == EligibilityResult.NotEligible, "ineligible demo patient screened as " + (a.IsSuccess ? a.Value.Evaluation.Result.ToString() : a.Error));
        }

        clock.Set(clock.Today, 18, 0);
        await CountAsync(database, auditClock, clock, cancellationToken).ConfigureAwait(false);

        // Three chairs, so that the calendar can book the demo patients' next sessions; named without words, as chairs
        // carry the clinic's own names in whatever language it works in.
        await using (var db = database.Open(SeedUser, auditClock))
        {
            var scheduling = new SchedulingService(db, clock, TimeZoneInfo.Utc);
            foreach (var name in DemoChairs)
            {
                var chair = await scheduling.AddChairAsync(name, SeedUser, cancellationToken).ConfigureAwait(false);
                Expect(chair.IsSuccess, "demo chair " + name + ": " + (chair.IsSuccess ? string.Empty : chair.Error));
            }
        }

        return Outcome<SeedResult>.Ok(new SeedResult(true, 3, sessions));
    }

    /// <summary>The infusion chairs of the demo clinic.</summary>
    public static IReadOnlyList<string> DemoChairs { get; } = ["C1", "C2", "C3"];

    /// <summary>The refusal when the database holds patients that are not demo data (demo data only goes into a new database).</summary>
    private static async Task<Refusal?> RealPatientsAsync(KetaCareDbContext db, CancellationToken ct)
    {
        var real = await db.Patients.CountAsync(p => !p.IsDemo, ct).ConfigureAwait(false);
        return real == 0
            ? null
            : new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"seed: the database holds {real} patient(s) that are not demo data; demo data is only written to a new database."),
                [Finding.Refused(FindingCodes.SeedDatabaseNotEmpty, FindingArg.Of("field", "seed"), FindingArg.Of("count", real))]);
    }

    private static async Task<PatientId> RegisterAsync(ClinicDatabase database, TimeProvider auditClock, DemoClock clock, Demographics demographics, CancellationToken ct)
    {
        await using var db = database.Open(SeedUser, auditClock);
        var p = await new PatientService(db, clock).RegisterAsync(demographics, DemoNurse, isDemo: true, ct).ConfigureAwait(false);
        return p.Value.Id;
    }

    private static async Task ChartAsync(ClinicDatabase database, TimeProvider auditClock, DemoClock clock, PatientId id, CancellationToken ct, object[] entries)
    {
        await using var db = database.Open(SeedUser, auditClock);
        var service = new PatientService(db, clock);
        var version = (await db.Patients.AsNoTracking().SingleAsync(p => p.Id == id, ct).ConfigureAwait(false)).Version;
        var r = await service.ChangeAsync(
            id,
            version,
            p =>
            {
                foreach (var e in entries)
                {
                    _ = e switch
                    {
                        BodyMeasurement m => p.Record(m, DemoNurse, clock).Id,
                        PregnancyStatus s => p.Record(s, DemoNurse, clock).Id,
                        PriorTreatment t => p.Record(t, DemoPhysician, clock).Id,
                        Medication m => p.Record(m, DemoPhysician, clock).Id,
                        ContraindicationFinding f => p.Record(f, DemoPhysician, clock).Id,
                        Consent c => p.Record(c, DemoPhysician, clock).Id,
                        NoKnownAllergies n => p.Record(n, DemoNurse, clock).Id,
                        AllergyIntolerance a => p.Record(a, DemoPhysician, clock).Id,
                        LiverPanel l => p.Record(l, DemoPhysician, clock).Id,
                        EcgRecord g => p.Record(g, DemoPhysician, clock).Id,
                        _ => throw new ArgumentException("unknown demo entry", nameof(entries)),
                    };
                }

                return Outcome.Ok();
            },
            DemoNurse,
            ct).ConfigureAwait(false);
        Expect(r.IsSuccess, r.Error);
    }

    /// <summary>Follow-up pain scores after the last demo session (relief fading within a week), a BPI short form and a PGIC.</summary>
    private static async Task OutcomeMeasuresAsync(ClinicDatabase database, TimeProvider auditClock, DemoClock clock, PatientId id, CancellationToken ct)
    {
        await using var db = database.Open(SeedUser, auditClock);
        var outcomes = new OutcomeService(db, clock);
        var version = (await db.Patients.AsNoTracking().SingleAsync(p => p.Id == id, ct).ConfigureAwait(false)).Version;
        var lastSession = clock.Today.AddDays(-6);
        var steps = new Func<long, Task<bool>>[]
        {
            async v => (await outcomes.RecordFollowUpAsync(id, v, new DateTimeOffset(lastSession.AddDays(2), new TimeOnly(10, 0), TimeSpan.Zero), 4, "telephone follow-up", DemoNurse, ct).ConfigureAwait(false)).IsSuccess,
            async v => (await outcomes.RecordFollowUpAsync(id, v, new DateTimeOffset(lastSession.AddDays(5), new TimeOnly(10, 0), TimeSpan.Zero), 5, "telephone follow-up", DemoNurse, ct).ConfigureAwait(false)).IsSuccess,
            async v => (await outcomes.RecordBpiAsync(id, v, lastSession.AddDays(5), 6, 2, 4, 5, [4, 3, 5, 4, 3, 5, 4], DemoNurse, ct).ConfigureAwait(false)).IsSuccess,
            async v => (await outcomes.RecordPgicAsync(id, v, lastSession.AddDays(5), 2, DemoNurse, ct).ConfigureAwait(false)).IsSuccess,
        };
        foreach (var step in steps)
        {
            Expect(await step(version).ConfigureAwait(false), "demo outcome measure refused");
            version++;
        }
    }

    private static async Task<EntryId> ConditionAsync(ClinicDatabase database, TimeProvider auditClock, DemoClock clock, PatientId id, Condition condition, CancellationToken ct)
    {
        await using var db = database.Open(SeedUser, auditClock);
        var version = (await db.Patients.AsNoTracking().SingleAsync(p => p.Id == id, ct).ConfigureAwait(false)).Version;
        var r = await new PatientService(db, clock).RecordAsync(id, version, condition, DemoPhysician, ct).ConfigureAwait(false);
        return r.Value.Id;
    }

    /// <summary>Screens, prescribes and runs one completed session per (NRS before, NRS after) pair, a week apart.</summary>
    private static async Task<int> TreatAsync(ClinicDatabase database, TimeProvider auditClock, DemoClock clock, PatientId patientId, EntryId condition, string protocolId, string preparationId, (int Before, int After)[] sessions, CancellationToken ct)
    {
        EligibilityAssessment assessment;
        TreatmentPlan plan;
        await using (var db = database.Open(SeedUser, auditClock))
        {
            var treatments = new TreatmentService(db, clock);
            assessment = (await treatments.AssessEligibilityAsync(patientId, condition, DemoPhysician, protocolId, ct).ConfigureAwait(false)).Value;
            Expect(assessment.Evaluation.Result == EligibilityResult.Eligible, "demo patient screened as " + assessment.Evaluation.Result);
            var protocol = ProtocolLibrary.Default.Find(protocolId).Value;
            plan = (await treatments.PrescribeAsync(patientId, protocolId, "domino1984", preparationId, protocol.Start, DemoPhysician, ct).ConfigureAwait(false)).Value;
        }

        foreach (var (before, after) in sessions)
        {
            clock.Advance(TimeSpan.FromDays(1));
            await RunSessionAsync(database, auditClock, clock, patientId, assessment, plan.Id, before, after, ct).ConfigureAwait(false);
            await using var db = database.Open(SeedUser, auditClock);
            var treatments = new TreatmentService(db, clock);
            var current = (await db.Plans.AsNoTracking().SingleAsync(p => p.Id == plan.Id, ct).ConfigureAwait(false)).Version;
            var r = await treatments.AcceptTitrationAsync(plan.Id, current, DemoPhysician, ct).ConfigureAwait(false);
            Expect(r.IsSuccess, r.Error);
            clock.Advance(TimeSpan.FromDays(6));
        }

        return sessions.Length;
    }

    private static Task RunSessionAsync(ClinicDatabase database, TimeProvider auditClock, DemoClock clock, PatientId patientId, EligibilityAssessment assessment, PlanId planId, int before, int after, CancellationToken ct)
    {
        _ = patientId;
        _ = assessment;
        return RunSessionAsync(database, auditClock, clock, planId, new SessionScript(before, after, [12, 18, 10]), ct);
    }

    /// <summary>What a demo session records: the pre-infusion and recovery pain scores, CADSS at 15 and 30 min and near the end, and an adverse event if any.</summary>
    private sealed record SessionScript(int Before, int After, int[] Cadss, AdverseEventType? AdverseEvent = null);

    /// <summary>Runs one session through the workflow from scheduling to discharge, as the pages do; returns it discharged.</summary>
    private static async Task<InfusionSession> RunSessionAsync(ClinicDatabase database, TimeProvider auditClock, DemoClock clock, PlanId planId, SessionScript script, CancellationToken ct)
    {
        var (before, after) = (script.Before, script.After);
        clock.Set(clock.Today, 9, 0);
        await using var db = database.Open(SeedUser, auditClock);

        // The same workflow as the web pages, the API and the CLI; the seed's staff are its three demo clinicians.
        var workflow = new SessionWorkflow(db, clock, Staff);
        var session = (await workflow.ScheduleAsync(planId, clock.Today, DemoNurse, ct).ConfigureAwait(false)).Value;

        async Task Step(Func<long, Task<Outcome<InfusionSession>>> change)
        {
            var r = await change(session.Version).ConfigureAwait(false);
            Expect(r.IsSuccess, r.Error);
            session = r.Value;
        }

        Observation Vitals(int sbp, int dbp, int hr, int spo2, int rass, int? cadss, int? nrs, string? note = null) =>
            Observation.Create(clock.GetUtcNow(), sbp, dbp, hr, spo2, 14, new SedationScore(SedationScale.Rass, rass), cadss, nrs, note).Value;

        var pre = await workflow.PreAssessAsync(session.Id, session.Version, Vitals(128, 78, 76, 98, 0, 0, before, "pre-infusion baseline"), new PreSessionChecklist(clock.GetUtcNow().AddHours(-8), EscortConfirmed: true, NoDrivingAcknowledged: true, PregnancyCheck.NotTested, NewMedications: []), DemoNurse, ct).ConfigureAwait(false);
        Expect(pre.IsSuccess && pre.Value.Checks.IsSuccess, pre.IsSuccess ? pre.Value.Checks.Error : pre.Error);
        session = pre.Value.Session;

        await Step(v => workflow.ProgramPumpAsync(session.Id, v, DemoNurse, ct)).ConfigureAwait(false);
        var program = session.Program!;
        var reading = new PumpReading(program.RateMlPerHour, program.VtbiMl, program.Preparation.Concentration.MilligramsPerMilliliter, program.Weight.Kilograms);
        await Step(v => workflow.SecondCheckAsync(session.Id, v, reading, DemoSecondNurse, ct)).ConfigureAwait(false);

        await PrepareAsync(database, auditClock, clock, session, ct).ConfigureAwait(false);

        // The physician starts when the dose check has soft findings (the higher titrated doses), with a reason.
        var preview = (await workflow.PreviewStartAsync(session, ct).ConfigureAwait(false)).Value;
        var starter = preview.NeedsOverride.Count > 0 ? DemoPhysician : DemoNurse;
        var reason = preview.NeedsOverride.Count > 0 ? "demo: predicted peak reviewed with the patient's previous sessions" : null;
        await Step(v => workflow.StartAsync(session.Id, v, reason, starter, ct)).ConfigureAwait(false);

        var minutes = plan(session).Minutes;
        foreach (var (at, sbp, hr, rass, cadss, nrs) in new[] { (15, 136, 82, -1, script.Cadss[0], (int?)null), (30, 140, 84, -1, script.Cadss[1], (int?)null), (minutes - 5, 134, 80, 0, script.Cadss[2], (int?)Math.Max(after, before - 1)) })
        {
            clock.Set(clock.Today, 9, 0, (int)at + 5);
            await Step(v => Observe(v, Vitals(sbp, 80, hr, 97, rass, cadss, nrs))).ConfigureAwait(false);
        }

        if (script.AdverseEvent is { } type)
        {
            await Step(v => workflow.RecordAdverseEventAsync(session.Id, v, type, 1, false, AdverseEventAction.None, AdverseEventOutcome.Resolved, clock.GetUtcNow(), "demo: mild, resolved without treatment", DemoNurse, ct)).ConfigureAwait(false);
        }

        clock.Set(clock.Today, 9, 0, (int)minutes + 5);
        var pumpShows = Math.Round(session.Account(clock.GetUtcNow()).VolumeMl, 1);
        await Step(v => workflow.CompleteAsync(session.Id, v, pumpShows, DemoNurse, ct)).ConfigureAwait(false);
        await WasteAsync(database, auditClock, clock, session, ct).ConfigureAwait(false);
        await Step(v => workflow.BeginRecoveryAsync(session.Id, v, DemoNurse, ct)).ConfigureAwait(false);

        // Recovery observations until the minimum observation time has passed and the effect site is predicted below the threshold.
        var aldrete = AldreteScore.Create(2, 2, 2, 2, 2).Value;
        var ready = (await workflow.PreviewDischargeAsync(session, aldrete, escortPresent: true, ct).ConfigureAwait(false)).Value;
        var end = session.DrugEndedAt!.Value;
        var settings = await workflow.SettingsAsync(ct).ConfigureAwait(false);
        var goHome = Later(end + session.MinimumObservation(settings), ready.Prediction.ReadyAt ?? end);
        clock.Set(clock.Today, 0, 0, (int)Math.Ceiling((goHome - new DateTimeOffset(clock.Today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)).TotalMinutes));
        await Step(v => Observe(v, Vitals(126, 76, 74, 98, 0, 2, after, "recovery: oriented, tolerating fluids"))).ConfigureAwait(false);
        await Step(v => workflow.DischargeAsync(session.Id, v, aldrete, escortPresent: true, overrideReason: null, DemoNurse, ct)).ConfigureAwait(false);
        return session;

        async Task<Outcome<InfusionSession>> Observe(long version, Observation o)
        {
            var r = await workflow.ObserveAsync(session.Id, version, o, DemoNurse, ct).ConfigureAwait(false);
            return r.IsSuccess ? await workflow.GetAsync(session.Id, SeedUser, ct).ConfigureAwait(false) : r.Refusal;
        }

        static Duration plan(InfusionSession s) => s.Protocol.InfusionDuration!.Value;

        static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    }

    /// <summary>The demo's staff as a staff directory: the physician, the two nurses and the stock keeper, all active.</summary>
    public static IStaffDirectory Staff { get; } = new FixedStaffDirectory(
    [
        new StaffMember(DemoPhysician, true, [Users.ClinicRoles.Physician]),
        new StaffMember(DemoNurse, true, [Users.ClinicRoles.Nurse]),
        new StaffMember(DemoSecondNurse, true, [Users.ClinicRoles.Nurse]),
        new StaffMember(DemoStockKeeper, true, [Users.ClinicRoles.StockKeeper]),
    ]);

    private static void Expect(bool condition, string? why)
    {
        if (!condition)
        {
            throw new InvalidOperationException("demo seed: " + why);
        }
    }

    /// <summary>A clock the seed moves by hand.</summary>
    private sealed class DemoClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public DateOnly Today => DateOnly.FromDateTime(_now.UtcDateTime);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;

        public void Set(DateOnly day, int hour, int minute, int plusMinutes = 0) =>
            _now = new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.Zero).AddMinutes(plusMinutes);
    }
}
