using System.Globalization;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Titration;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;
using Microsoft.EntityFrameworkCore;
using Duration = KetaCare.Pharmacology.Units.Duration;

namespace KetaCare.Clinic.Services;

/// <summary>The hidden truth of one synthetic patient, from which the seed writes observations (the clinic never sees it).</summary>
/// <param name="DissociationEc50">Effect-site concentration of half the maximal CADSS, ng/mL.</param>
/// <param name="ReliefEc50">Plasma AUC per session of half the maximal relief, ng·h/mL.</param>
/// <param name="RelapseMedianDays">Median days from the end of the course to relapse.</param>
public sealed record SyntheticTruth(double DissociationEc50, double ReliefEc50, double RelapseMedianDays);

public static partial class DemoSeed
{
    /// <summary>The cohort's default random seed: the same seed writes the same patients, sessions and scores.</summary>
    public const int DefaultCohortSeed = 20_261_205;

    /// <summary>The cohort the web app's demo clinic gets unless configured otherwise (a few hundred courses for the analytics).</summary>
    public const int DemoClinicCohort = 300;

    /// <summary>Largest cohort one call writes.</summary>
    public const int MaxCohort = 2_000;

    /// <summary>Highest CADSS total a synthetic patient reaches at very high concentrations (of 0–92, Bremner 1998).</summary>
    public const double SyntheticCadssMax = 48;

    /// <summary>Largest relief fraction of a course (the Emax of the synthetic exposure–response).</summary>
    public const double SyntheticReliefEmax = 0.75;

    /// <summary>
    /// Writes <paramref name="count"/> synthetic, de-identified patients ("SYN-0001"…, named "Synthetic" "Cohort n"),
    /// each screened, prescribed the outpatient scheme or Rema 2012, and treated through the same workflow as the
    /// pages — with CADSS scores from an individual sigmoid of the predicted effect-site concentration, pain scores
    /// from an Emax of the predicted AUC, an occasional mild adverse event, the titration advisor's proposals accepted,
    /// and follow-up scores after the course until relapse or loss to follow-up. Deterministic for a seed; courses start
    /// over 2024–2025; the sessions' exposures and the courses' analytics facts are stored at the end (<see cref="ExposureStore"/>,
    /// <see cref="CourseFactsStore"/>). Refused on a database with real patients; a cohort already there is topped up to
    /// <paramref name="count"/> (patient n is always the same), so a second call with the same count adds nothing.
    /// </summary>
    /// <param name="database">The database (migrated).</param>
    /// <param name="auditClock">The clock of the audit events.</param>
    /// <param name="count">Patients to write, 1–<see cref="MaxCohort"/>.</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <param name="progress">Told the number of cohort patients in the database after each patient is committed.</param>
    public static async Task<Outcome<SeedResult>> CohortAsync(ClinicDatabase database, TimeProvider auditClock, int count, int seed = DefaultCohortSeed, CancellationToken cancellationToken = default, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (count is < 1 or > MaxCohort)
        {
            return Refusal.OutOfRange("cohort", count, 1, MaxCohort);
        }

        int present;
        await using (var db = database.Open(SeedUser, auditClock))
        {
            if (await RealPatientsAsync(db, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            present = await db.Patients.CountAsync(p => p.MedicalRecordNumber.StartsWith("SYN-"), cancellationToken).ConfigureAwait(false);
            if (present >= count)
            {
                return Outcome<SeedResult>.Ok(new SeedResult(false, present, await db.Sessions.CountAsync(cancellationToken).ConfigureAwait(false)));
            }
        }

        // One generator per patient, seeded from the cohort's seed and the patient's number: patient n is the same
        // whether the cohort is written in one go or topped up after an interruption. Each patient is one commit: every
        // step still goes through its service, its checks and its audit event, but the hundred-odd saves of a course are
        // made durable together (one fsync instead of one a save), and an interruption leaves whole patients only.
        var sessions = 0;
        await using (var batch = await database.BeginBatchAsync(cancellationToken).ConfigureAwait(false))
        {
            for (var i = present; i < count; i++)
            {
                sessions += await SyntheticPatientAsync(batch.Database, auditClock, new Random(unchecked((seed * 7919) + i)), i, cancellationToken).ConfigureAwait(false);
                await batch.CommitAsync(cancellationToken).ConfigureAwait(false);
                progress?.Report(i + 1);
            }
        }

        // The sessions' exposures and the courses' facts stored as the analytics' first read would store them, so that read is not the one to wait.
        await using (var db = database.Open(SeedUser, auditClock))
        {
            _ = await new AnalyticsService(db, auditClock).CoursesAsync(cancellationToken).ConfigureAwait(false);
        }

        return Outcome<SeedResult>.Ok(new SeedResult(true, count - present, sessions));
    }

    /// <summary>The truth of a synthetic patient drawn from the population the cohort and the validation share.</summary>
    public static SyntheticTruth DrawTruth(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);

        // Log-normal between-patient variation (ω 0.35 and 0.5), centred where the published bands put the effects:
        // dissociation mid-band (100–250 ng/mL, Zanos 2018), relief half-maximal at about a 0.6 mg/kg/h hour for 70 kg.
        return new SyntheticTruth(160 * Math.Exp(0.35 * Normal(rng)), 400 * Math.Exp(0.5 * Normal(rng)), 21 + (rng.NextDouble() * 60));
    }

    /// <summary>CADSS total at an effect-site concentration for a patient: SyntheticCadssMax · C² / (EC50² + C²).</summary>
    public static double TrueCadss(double effectNgPerMl, double ec50) => SyntheticCadssMax * effectNgPerMl * effectNgPerMl / ((ec50 * ec50) + (effectNgPerMl * effectNgPerMl));

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Normal(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
    }

    private static readonly (string Icd10, string Description, string Protocol)[] Conditions =
    [
        ("G90.512", "CRPS type I, upper limb", "outpatient-seed"),
        ("G90.522", "CRPS type I, lower limb", "outpatient-seed"),
        ("E11.42", "Painful diabetic polyneuropathy", "rema2012"),
        ("G90.511", "CRPS type I, upper limb", "rema2012"),
        ("E11.42", "Painful diabetic polyneuropathy", "outpatient-seed"),
    ];

    private static async Task<int> SyntheticPatientAsync(ClinicDatabase database, TimeProvider auditClock, Random rng, int index, CancellationToken ct)
    {
        var female = rng.NextDouble() < 0.6;
        var age = 25 + rng.Next(0, 51);
        // Up to 100 kg: the longest course (Rema 2012, 0.6 mg/kg/h for 4 h) then still fits one 250-mL bag of 1 mg/mL.
        var weight = Math.Round(Math.Clamp(74 + (12 * Normal(rng)), 50, 100), 1);
        var height = Math.Round(Math.Clamp((female ? 163 : 176) + (7 * Normal(rng)), 150, 200));
        var (icd, description, protocolId) = Conditions[rng.Next(Conditions.Length)];
        var truth = DrawTruth(rng);
        var baseline = rng.Next(6, 10);
        var start = new DateOnly(2024, 1, 8).AddDays(rng.Next(0, 640));
        var clock = new DemoClock(new DateTimeOffset(start.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero));
        var mrn = string.Create(CultureInfo.InvariantCulture, $"SYN-{index + 1:0000}");
        var id = await RegisterAsync(database, auditClock, clock, new Demographics(mrn, "Synthetic", string.Create(CultureInfo.InvariantCulture, $"Cohort {index + 1}"), start.AddYears(-age).AddDays(-rng.Next(0, 365)), female ? Sex.Female : Sex.Male), ct).ConfigureAwait(false);
        object[] chart =
        [
            BodyMeasurement.Create(clock.Today.AddDays(-7), weight, height).Value,
            new PriorTreatment(TreatmentClass.Gabapentinoid, "pregabalin", "150 mg twice daily", Duration.FromDays(120), TreatmentOutcome.Ineffective),
            new PriorTreatment(TreatmentClass.Snri, "duloxetine", "60 mg daily", Duration.FromDays(120), TreatmentOutcome.Ineffective),
            new NoKnownAllergies(clock.Today.AddDays(-7)),
            new LiverPanel(clock.Today.AddDays(-7), 24, 21, 0.5, 19, 71),
            new Consent(ConsentKind.OffLabelKetamineForPain, clock.Today.AddDays(-1), null, mrn + "-consent.pdf"),
        ];
        await ChartAsync(database, auditClock, clock, id, ct, female ? [.. chart, new PregnancyStatus(PregnancyState.NotOfChildbearingPotential, clock.Today.AddDays(-7))] : chart).ConfigureAwait(false);
        var condition = await ConditionAsync(database, auditClock, clock, id, new Condition(Icd10Code.Parse(icd).Value, description, start.AddYears(-2)), ct).ConfigureAwait(false);

        TreatmentPlan plan;
        await using (var db = database.Open(SeedUser, auditClock))
        {
            var treatments = new TreatmentService(db, clock);
            var assessment = await treatments.AssessEligibilityAsync(id, condition, DemoPhysician, protocolId, ct).ConfigureAwait(false);
            Expect(assessment.IsSuccess && assessment.Value.Evaluation.Result == EligibilityResult.Eligible, "synthetic patient screened as " + (assessment.IsSuccess ? assessment.Value.Evaluation.Result.ToString() : assessment.Error));
            var protocol = ProtocolLibrary.Default.Find(protocolId).Value;
            plan = (await treatments.PrescribeAsync(id, protocolId, "domino1984", "bag-1", protocol.Start, DemoPhysician, ct).ConfigureAwait(false)).Value;
        }

        var covariates = new Covariates(BodyWeight.FromKilograms(weight), age, female ? Sex.Female : Sex.Male, height);
        await RestockCabinetAsync(database, auditClock, clock, plan.Protocol.NumberOfSessions, string.Create(CultureInfo.InvariantCulture, $"SYN-{index + 1:D4}"), ct).ConfigureAwait(false);
        var count = 0;
        var relief = 0.0;
        var lastAfter = baseline;
        for (var k = 0; k < plan.Protocol.NumberOfSessions; k++)
        {
            clock.Advance(TimeSpan.FromDays(1));
            await WeighIfDueAsync(database, auditClock, clock, id, weight, height, ct).ConfigureAwait(false);
            var dose = await CurrentDoseAsync(database, auditClock, plan.Id, ct).ConfigureAwait(false);
            var predicted = Predict(plan.Protocol, dose, covariates);
            var cadss = predicted.EffectAt.Select(c => (int)Math.Clamp(Math.Round(TrueCadss(c, truth.DissociationEc50) + (2.5 * Normal(rng))), 0, 92)).ToArray();
            relief = Math.Clamp((SyntheticReliefEmax * predicted.Auc / (truth.ReliefEc50 + predicted.Auc)) + (0.08 * Normal(rng)), 0, 0.95);
            var before = k == 0 ? baseline : (int)Math.Clamp(Math.Round(baseline * (1 - (0.6 * relief))), 0, 10);
            var after = (int)Math.Clamp(Math.Round(baseline * (1 - relief)), 0, before);
            var aeChance = 0.04 + (0.25 * predicted.CmaxNgPerMl / (predicted.CmaxNgPerMl + 400));
            AdverseEventType? ae = rng.NextDouble() < aeChance ? (cadss.Max() > 30 ? AdverseEventType.PsychomimeticOrDissociation : AdverseEventType.NauseaVomiting) : null;
            await RunSessionAsync(database, auditClock, clock, plan.Id, new SessionScript(before, after, cadss, ae), ct).ConfigureAwait(false);
            lastAfter = after;
            count++;

            await using var db = database.Open(SeedUser, auditClock);
            var treatments = new TreatmentService(db, clock);
            var proposal = await treatments.ProposeTitrationAsync(plan.Id, DemoPhysician, ct).ConfigureAwait(false);
            if (!proposal.IsSuccess || proposal.Value.Action is TitrationAction.StopCourse or TitrationAction.CourseComplete)
            {
                break;
            }

            var version = (await db.Plans.AsNoTracking().SingleAsync(p => p.Id == plan.Id, ct).ConfigureAwait(false)).Version;
            var accepted = await treatments.AcceptTitrationAsync(plan.Id, version, DemoPhysician, ct).ConfigureAwait(false);
            Expect(accepted.IsSuccess, accepted.Error);
            clock.Advance(TimeSpan.FromDays(plan.Protocol.IntervalDays - 1));
        }

        await FollowUpsAsync(database, auditClock, clock, id, baseline, relief, lastAfter, truth, rng, ct).ConfigureAwait(false);
        return count;
    }

    /// <summary>Follow-up scores 3, 14, 28, 56 and 84 days after the course: relief holds until the patient's relapse day, then pain is back; some patients stop answering.</summary>
    private static async Task FollowUpsAsync(ClinicDatabase database, TimeProvider auditClock, DemoClock clock, PatientId id, int baseline, double relief, int lastAfter, SyntheticTruth truth, Random rng, CancellationToken ct)
    {
        var end = clock.GetUtcNow();
        var relapseDay = -truth.RelapseMedianDays * Math.Log(1 - rng.NextDouble()) / Math.Log(2) * (0.5 + relief);
        var lostAfter = rng.NextDouble() < 0.2 ? rng.Next(10, 60) : int.MaxValue;
        var held = (int)Math.Clamp(Math.Round(baseline * (1 - (0.9 * relief))), 0, 10);
        await using var db = database.Open(SeedUser, auditClock);
        var outcomes = new OutcomeService(db, clock);
        foreach (var day in new[] { 3, 14, 28, 56, 84 })
        {
            if (day > lostAfter)
            {
                break;
            }

            var relapsed = day >= relapseDay || lastAfter > 0.7 * baseline;
            var nrs = relapsed ? (int)Math.Min(10, Math.Ceiling(baseline * 0.85)) : held;
            clock.Advance(end.AddDays(day).AddHours(1) - clock.GetUtcNow());
            var version = (await db.Patients.AsNoTracking().SingleAsync(p => p.Id == id, ct).ConfigureAwait(false)).Version;
            var r = await outcomes.RecordFollowUpAsync(id, version, end.AddDays(day), nrs, "synthetic follow-up", DemoNurse, ct).ConfigureAwait(false);
            Expect(r.IsSuccess, r.Error);
            if (relapsed)
            {
                break;
            }
        }
    }

    private static async Task WeighIfDueAsync(ClinicDatabase database, TimeProvider auditClock, DemoClock clock, PatientId id, double weight, double height, CancellationToken ct)
    {
        await using var db = database.Open(SeedUser, auditClock);
        var row = await db.Patients.AsNoTracking().SingleAsync(p => p.Id == id, ct).ConfigureAwait(false);
        var chart = StateJson.Deserialize<Patient>(row.Document);
        if (chart.Snapshot().Measurements.LastOrDefault() is { } last && last.MeasuredOn >= clock.Today.AddDays(-21))
        {
            return;
        }

        var r = await new PatientService(db, clock).RecordAsync(id, row.Version, BodyMeasurement.Create(clock.Today, weight, height).Value, DemoNurse, ct).ConfigureAwait(false);
        Expect(r.IsSuccess, r.Error);
    }

    private static async Task<DoseLevel> CurrentDoseAsync(ClinicDatabase database, TimeProvider auditClock, PlanId id, CancellationToken ct)
    {
        await using var db = database.Open(SeedUser, auditClock);
        var doc = await db.Plans.AsNoTracking().Where(p => p.Id == id).Select(p => p.Document).SingleAsync(ct).ConfigureAwait(false);
        return StateJson.Deserialize<TreatmentPlan>(doc).CurrentDose;
    }

    /// <summary>The predicted effect-site concentrations at the seed's CADSS times (15, 30 min, 5 min before the end), the plasma AUC and Cmax of a planned infusion.</summary>
    private static (double[] EffectAt, double Auc, double CmaxNgPerMl) Predict(Protocol protocol, DoseLevel dose, Covariates patient)
    {
        var minutes = protocol.InfusionDuration!.Value.Minutes;
        var rate = DoseRate.FromMilligramsPerHour(dose.Value * patient.Weight.Kilograms);
        var regimen = new Regimen([new Administration(Duration.Zero, DoseExpression.AtRate(rate, Duration.FromMinutes(minutes)))]);
        var run = Simulator.Run(new SimulationRequest(ModelLibrary.Get("domino1984").Value, patient, regimen) { EffectSite = EffectSites.Olofsen2012Analgesia }, [0, 15, 30, minutes - 5, minutes, minutes + (24 * 60)]).Value;
        var ce = run.NgPerMl("effect");
        var plasma = run.Metrics("plasma");
        return ([ce[1], ce[2], ce[3]], plasma.AucNgHoursPerMl, run.NgPerMl("plasma").Max());
    }
}
