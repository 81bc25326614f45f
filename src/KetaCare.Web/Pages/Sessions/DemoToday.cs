using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Web.Pages.Sessions;

/// <summary>
/// Development and test data for a live demo. The demo seed's sessions all lie in January 2026, so this books a
/// session today (clinic time zone) for the demo CRPS patient's active plan, screens the patient again when the
/// last eligibility assessment is no longer current, and weighs the patient again (the same weight) when the last weight
/// is older than the protocol's window, so that the session's pre-assessment can pass. Written through
/// the services (audited) as the demo nurse and physician; idempotent.
/// </summary>
public static class DemoToday
{
    /// <summary>The demo CRPS patient (DemoSeed).</summary>
    public const string PatientRecordNumber = "DEMO-0001";

    /// <summary>Books today's demo session unless one is there; logs what it did or why not.</summary>
    public static async Task EnsureAsync(IServiceProvider services, ILogger log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(log);
        var clock = services.GetRequiredService<TimeProvider>();
        var today = services.GetRequiredService<ClinicTime>().Today(clock);
        var r = await EnsureAsync(services.GetRequiredService<ClinicDatabase>(), clock, today, cancellationToken).ConfigureAwait(false);
        if (r.IsSuccess)
        {
            log.LogInformation("Demo session for {Patient} on {Date}: {Session}.", PatientRecordNumber, ClinicTime.ShowDate(today), r.Value);
        }
        else
        {
            log.LogWarning("No demo session today: {Reason}", r.Error);
        }
    }

    /// <summary>The id of the demo patient's session on <paramref name="today"/>, booked now when there was none.</summary>
    public static Task<Outcome<SessionId>> EnsureAsync(ClinicDatabase database, TimeProvider clock, DateOnly today, CancellationToken cancellationToken = default) =>
        EnsureAsync(database, clock, today, PatientRecordNumber, cancellationToken);

    /// <summary>The id of the session on <paramref name="today"/> of the demo patient <paramref name="recordNumber"/>, booked now when there was none.</summary>
    public static async Task<Outcome<SessionId>> EnsureAsync(ClinicDatabase database, TimeProvider clock, DateOnly today, string recordNumber, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.Open(DemoSeed.SeedUser, clock);
        var patient = await db.Patients.AsNoTracking().Where(p => p.IsDemo && p.MedicalRecordNumber == recordNumber).Select(p => (PatientId?)p.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (patient is not { } patientId)
        {
            return new Refusal($"{recordNumber}: no such demo patient.");
        }

        var active = PlanStatus.Active.ToString();
        var plan = await db.Plans.AsNoTracking().Where(p => p.PatientId == patientId && p.Status == active).Select(p => new { p.Id, p.ProtocolId }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (plan is null)
        {
            return new Refusal($"{recordNumber}: no active plan.");
        }

        var planId = plan.Id;

        // The course may need investigations by today (a repeat panel, a screen on a repeated course): the demo's are normal.
        var investigated = await InvestigationsIfDueAsync(db, clock, patientId, today, cancellationToken).ConfigureAwait(false);
        if (!investigated.IsSuccess)
        {
            return investigated.Refusal;
        }

        var existing = await db.Sessions.AsNoTracking().Where(s => s.PlanId == planId && s.ScheduledFor == today).Select(s => (SessionId?)s.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (existing is { } id)
        {
            return Outcome<SessionId>.Ok(id);
        }

        var screened = await ScreenIfStaleAsync(db, clock, patientId, plan.ProtocolId, today, cancellationToken).ConfigureAwait(false);
        if (!screened.IsSuccess)
        {
            return screened.Refusal;
        }

        var weighed = await WeighIfStaleAsync(db, clock, patientId, planId, today, cancellationToken).ConfigureAwait(false);
        if (!weighed.IsSuccess)
        {
            return weighed.Refusal;
        }

        var session = await new SessionWorkflow(db, clock, DemoSeed.Staff).ScheduleAsync(planId, today, DemoSeed.DemoNurse, cancellationToken).ConfigureAwait(false);
        return session.IsSuccess ? Outcome<SessionId>.Ok(session.Value.Id) : session.Refusal;
    }

    /// <summary>Weighs the demo patient today (the last weight and height again) when the last weight is too old to dose on.</summary>
    public static async Task<Outcome> WeighIfStaleAsync(KetaCareDbContext db, TimeProvider clock, PatientId patientId, PlanId planId, DateOnly today, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var patients = new PatientService(db, clock);
        var chart = await patients.OpenChartAsync(patientId, DemoSeed.DemoNurse, cancellationToken).ConfigureAwait(false);
        var plan = await new TreatmentService(db, clock).GetPlanAsync(planId, DemoSeed.DemoNurse, cancellationToken).ConfigureAwait(false);
        if (!chart.IsSuccess || !plan.IsSuccess)
        {
            return chart.IsSuccess ? plan.Refusal : chart.Refusal;
        }

        var snapshot = chart.Value.Snapshot();
        if (PreSessionChecklistRules.DosingMeasurement(snapshot, today, plan.Value.Protocol).IsSuccess || snapshot.Measurements.LastOrDefault(m => m.MeasuredOn <= today) is not { } last)
        {
            return Outcome.Ok();
        }

        var measurement = BodyMeasurement.Create(today, last.Weight.Kilograms, last.HeightCm);
        if (!measurement.IsSuccess)
        {
            return measurement.Refusal;
        }

        var recorded = await patients.RecordAsync(patientId, chart.Value.Version, measurement.Value, DemoSeed.DemoNurse, cancellationToken).ConfigureAwait(false);
        return recorded.IsSuccess ? Outcome.Ok() : recorded.Refusal;
    }

    /// <summary>Normal results dated today for every investigation the monitoring schedule has due, as the demo physician records them.</summary>
    public static async Task<Outcome> InvestigationsIfDueAsync(KetaCareDbContext db, TimeProvider clock, PatientId patientId, DateOnly today, CancellationToken cancellationToken)
    {
        var patients = new PatientService(db, clock);
        var chart = await patients.OpenChartAsync(patientId, DemoSeed.DemoPhysician, cancellationToken).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return chart.Refusal;
        }

        var version = chart.Value.Version;
        foreach (var item in await new MonitoringService(db).ScheduleAsync(chart.Value, today, cancellationToken).ConfigureAwait(false))
        {
            if (item.Status == Clinic.Eligibility.MonitoringStatus.Done)
            {
                continue;
            }

            var r = item.Kind switch
            {
                Clinic.Patients.InvestigationKind.LiverPanel => await patients.RecordAsync(patientId, version, new Clinic.Patients.LiverPanel(today, 26, 23, 0.5, 21, 74), DemoSeed.DemoPhysician, cancellationToken).ConfigureAwait(false) is { IsSuccess: true } ? Outcome.Ok() : new Refusal("demo liver panel refused"),
                Clinic.Patients.InvestigationKind.Ecg => await patients.RecordAsync(patientId, version, new Clinic.Patients.EcgRecord(today, Clinic.Patients.EcgRhythm.Sinus, 420, Clinic.Patients.EcgInterpretation.Normal), DemoSeed.DemoPhysician, cancellationToken).ConfigureAwait(false) is { IsSuccess: true } ? Outcome.Ok() : new Refusal("demo ECG refused"),
                _ => await patients.RecordAsync(patientId, version, new Clinic.Patients.UrinarySymptoms(today, 0, 0, 0, 0, 0), DemoSeed.DemoPhysician, cancellationToken).ConfigureAwait(false) is { IsSuccess: true } ? Outcome.Ok() : new Refusal("demo urinary screen refused"),
            };
            if (!r.IsSuccess)
            {
                return r;
            }

            version++;
        }

        return Outcome.Ok();
    }

    private static async Task<Outcome> ScreenIfStaleAsync(KetaCareDbContext db, TimeProvider clock, PatientId patientId, string protocolId, DateOnly today, CancellationToken cancellationToken)
    {
        var treatments = new TreatmentService(db, clock);
        var settings = await new SettingsService(db, clock).SessionSettingsAsync(cancellationToken).ConfigureAwait(false);
        var latest = (await treatments.AssessmentsAsync(patientId, DemoSeed.DemoPhysician, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        if (latest.Assessment is { } a && a.IsCurrent(today, settings.EligibilityRuleSetVersion, settings.EligibilityValidDays, latest.Review).IsSuccess)
        {
            return Outcome.Ok();
        }

        if (latest.Assessment is null)
        {
            return new Refusal($"{PatientRecordNumber}: never screened.");
        }

        // The same condition and protocol as the seed's screening, against today's chart.
        var assessed = await treatments.AssessEligibilityAsync(patientId, latest.Assessment.ConditionId, DemoSeed.DemoPhysician, protocolId, cancellationToken).ConfigureAwait(false);
        return assessed.IsSuccess ? Outcome.Ok() : assessed.Refusal;
    }
}
