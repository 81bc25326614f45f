using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Interop.Charts;
using KetaCare.Pharmacology.Units;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Interop.Reports;

/// <summary>
/// PDF reports from the clinic database, one call each for the CLI and the web app's download buttons: the session
/// report, the course summary, and the patient leaflet and consent form (English or Turkish). Reads go through the
/// clinic's services, so each is audited under <c>by</c>. One instance per unit of work; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock (dates printed on documents, running infusions counted up to now).</param>
/// <param name="culture">The reader's culture: the language and number format of the session report, the course summary and their charts (English with a decimal point when null).</param>
public sealed class ReportService(KetaCareDbContext db, TimeProvider clock, CultureInfo? culture = null)
{
    private readonly CultureInfo _culture = culture ?? CultureInfo.InvariantCulture;

    private const int ChartWidth = 1400;

    /// <summary>
    /// The session report, in the reader's language: patient, plan, pump program, rate segments, vital signs and scores, the timeline chart,
    /// the latest investigations flagged against the clinic's investigation settings in force, alerts, adverse events, discharge (Aldrete) and the signatures of who programmed, second-checked and discharged.
    /// </summary>
    public async Task<Outcome<byte[]>> SessionReportAsync(SessionId id, UserId by, CancellationToken cancellationToken = default)
    {
        var session = await new SessionService(db, clock).GetAsync(id, by, cancellationToken).ConfigureAwait(false);
        if (!session.IsSuccess)
        {
            return session.Refusal;
        }

        var s = session.Value;
        var patient = await new PatientService(db, clock).OpenChartAsync(s.PatientId, by, cancellationToken).ConfigureAwait(false);
        var plan = await new TreatmentService(db, clock).GetPlanAsync(s.PlanId, by, cancellationToken).ConfigureAwait(false);
        if (!patient.IsSuccess || !plan.IsSuccess)
        {
            return new Refusal((patient.IsSuccess ? plan.Error : patient.Error) ?? "not found.");
        }

        // Signatures name people: display names from the user directory (an id no longer there is printed as the id).
        var names = await db.Users.AsNoTracking().Select(u => new { u.Id, u.DisplayName, u.UserName }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var byId = names.ToDictionary(u => u.Id, u => string.IsNullOrWhiteSpace(u.DisplayName) ? u.UserName ?? u.Id.ToString() : $"{u.DisplayName} ({u.UserName})");
        string Name(UserId user) => byId.TryGetValue(user.Value, out var n) ? n : user.ToString();
        var settings = new SettingsService(db, clock);
        var (clinic, _) = await settings.ClinicIdentityAsync(cancellationToken).ConfigureAwait(false);
        var (investigations, _) = await settings.InvestigationSettingsAsync(cancellationToken).ConfigureAwait(false);
        var covariates = patient.Value.Snapshot().CovariatesOn(s.ScheduledFor);
        var exposure = covariates.IsSuccess
            ? SessionExposure.Compute(s, plan.Value.ModelId, covariates.Value, s.Segments.Any(x => x.End is null) ? clock.GetUtcNow() : null)
            : covariates.Refusal;
        return Outcome<byte[]>.Ok(SessionReport.Render(s, plan.Value, patient.Value, clock.GetUtcNow(), SessionTimelineChart.Png(s, plan.Value, patient.Value, ChartWidth, 1100, ChartText.For(_culture)), _culture, Name, clinic, investigations, exposure, cancellationToken));
    }

    /// <summary>The course summary: doses per session, the investigations flagged against the clinic's investigation settings in force, the pain trajectory chart and the responder status.</summary>
    public async Task<Outcome<byte[]>> CourseReportAsync(PatientId id, UserId by, CancellationToken cancellationToken = default)
    {
        var patient = await new PatientService(db, clock).OpenChartAsync(id, by, cancellationToken).ConfigureAwait(false);
        if (!patient.IsSuccess)
        {
            return patient.Refusal;
        }

        var outcome = await new OutcomeService(db, clock).CourseAsync(id, by, cancellationToken).ConfigureAwait(false);
        var plans = await new TreatmentService(db, clock).PlansAsync(id, by, cancellationToken).ConfigureAwait(false);
        var settings = new SettingsService(db, clock);
        var (clinic, _) = await settings.ClinicIdentityAsync(cancellationToken).ConfigureAwait(false);
        var (investigations, _) = await settings.InvestigationSettingsAsync(cancellationToken).ConfigureAwait(false);
        return outcome.IsSuccess
            ? Outcome<byte[]>.Ok(SessionReport.RenderCourse(patient.Value, plans, outcome.Value, clock.GetUtcNow(), CourseOutcomeChart.Png(outcome.Value, ChartWidth, 1100, ChartText.For(_culture)), _culture, clinic, investigations, cancellationToken))
            : outcome.Refusal;
    }

    /// <summary>The patient information leaflet, filled from the patient's latest plan or, before one exists, <paramref name="protocolId"/>.</summary>
    public async Task<Outcome<byte[]>> LeafletAsync(PatientId id, ReportLanguage language, UserId by, string? protocolId = null, CancellationToken cancellationToken = default)
    {
        var facts = await FactsAsync(id, by, protocolId, cancellationToken).ConfigureAwait(false);
        return facts.IsSuccess ? Outcome<byte[]>.Ok(PatientDocuments.Leaflet(facts.Value, language, cancellationToken)) : facts.Refusal;
    }

    /// <summary>The informed-consent form (naming <see cref="ConsentForm.Version"/>), filled like <see cref="LeafletAsync"/>.</summary>
    public async Task<Outcome<byte[]>> ConsentFormAsync(PatientId id, ReportLanguage language, UserId by, string? protocolId = null, CancellationToken cancellationToken = default)
    {
        var facts = await FactsAsync(id, by, protocolId, cancellationToken).ConfigureAwait(false);
        return facts.IsSuccess ? Outcome<byte[]>.Ok(PatientDocuments.Consent(facts.Value, language, cancellationToken)) : facts.Refusal;
    }

    /// <summary>What the leaflet and the consent form say about the patient's treatment.</summary>
    public async Task<Outcome<PatientDocumentFacts>> FactsAsync(PatientId id, UserId by, string? protocolId, CancellationToken cancellationToken = default)
    {
        var patient = await new PatientService(db, clock).OpenChartAsync(id, by, cancellationToken).ConfigureAwait(false);
        if (!patient.IsSuccess)
        {
            return patient.Refusal;
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var (clinic, _) = await new SettingsService(db, clock).ClinicIdentityAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = patient.Value.Snapshot();
        var weight = snapshot.MeasurementOn(today);
        var w = weight.IsSuccess ? weight.Value.Weight : (BodyWeight?)null;
        if (protocolId is null)
        {
            var plans = await new TreatmentService(db, clock).PlansAsync(id, by, cancellationToken).ConfigureAwait(false);
            var plan = plans.Where(p => p.Status == PlanStatus.Active).Concat(plans.Where(p => p.Status != PlanStatus.EnteredInError)).OrderByDescending(p => p.Status == PlanStatus.Active).ThenByDescending(p => p.PrescribedAt).FirstOrDefault();
            return plan is null
                ? new Refusal($"protocol: patient {snapshot.Demographics.MedicalRecordNumber} has no treatment plan yet; name the protocol the leaflet and form describe.")
                : Outcome<PatientDocumentFacts>.Ok(new(snapshot.Demographics, w, plan.Protocol, plan.StartDose, plan.Protocol.Ceiling, today, clinic));
        }

        // The stored library's latest versions, or the built-in library while none is stored (as TreatmentService does).
        var library = await new ProtocolService(db, clock).LibraryAsync(cancellationToken).ConfigureAwait(false);
        var protocol = library.Find(protocolId.Trim());
        return protocol.IsSuccess
            ? Outcome<PatientDocumentFacts>.Ok(new(snapshot.Demographics, w, protocol.Value, protocol.Value.Start, protocol.Value.Ceiling, today, clinic))
            : protocol.Refusal;
    }
}
