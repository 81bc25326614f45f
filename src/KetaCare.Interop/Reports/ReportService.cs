using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Outcomes;
using KetaCare.Clinic.Patients;
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
public sealed class ReportService(KetaCareDbContext db, TimeProvider clock)
{
    private const int ChartWidth = 1400;

    /// <summary>
    /// The session report: patient, plan, pump program, rate segments, vital signs and scores, the timeline chart,
    /// alerts, adverse events, discharge (Aldrete) and the signatures of who programmed, second-checked and discharged.
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
        var (clinic, _) = await new SettingsService(db, clock).ClinicIdentityAsync(cancellationToken).ConfigureAwait(false);
        return Outcome<byte[]>.Ok(SessionReport.Render(s, plan.Value, patient.Value, clock.GetUtcNow(), SessionTimelineChart.Png(s, plan.Value, patient.Value, ChartWidth, 1100), Name, clinic, cancellationToken));
    }

    /// <summary>The course summary: doses per session, the pain trajectory chart and the responder status.</summary>
    public async Task<Outcome<byte[]>> CourseReportAsync(PatientId id, UserId by, CancellationToken cancellationToken = default)
    {
        var patient = await new PatientService(db, clock).OpenChartAsync(id, by, cancellationToken).ConfigureAwait(false);
        if (!patient.IsSuccess)
        {
            return patient.Refusal;
        }

        var outcome = await new OutcomeService(db, clock).CourseAsync(id, by, cancellationToken).ConfigureAwait(false);
        var plans = await new TreatmentService(db, clock).PlansAsync(id, by, cancellationToken).ConfigureAwait(false);
        var (clinic, _) = await new SettingsService(db, clock).ClinicIdentityAsync(cancellationToken).ConfigureAwait(false);
        return outcome.IsSuccess
            ? Outcome<byte[]>.Ok(SessionReport.RenderCourse(patient.Value, plans, outcome.Value, clock.GetUtcNow(), CourseOutcomeChart.Png(outcome.Value, ChartWidth, 1100), clinic, cancellationToken))
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

/// <summary>Lays out the session report and the course summary (English).</summary>
internal static class SessionReport
{
    private static string T(DateTimeOffset t) => t.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string N(double v, int digits = 4) => SafeNumber.Format(v, digits);

    private static string PatientLine(Demographics d) => string.Create(CultureInfo.InvariantCulture, $"{d.GivenName} {d.FamilyName} · MRN {d.MedicalRecordNumber} · born {d.BirthDate:yyyy-MM-dd}");

    // The clinic's letterhead heads every page once the administrator has entered it.
    private static string Header(KetaCare.Clinic.Clinics.ClinicIdentity? clinic, string fallback) => clinic is { IsSet: true } c ? c.Letterhead : fallback;

    private static IEnumerable<(string, string)> PatientFields(Demographics d, DateOnly on) =>
    [
        ("Patient", $"{d.GivenName} {d.FamilyName}"),
        ("Record number (MRN)", d.MedicalRecordNumber),
        ("Born", d.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + string.Create(CultureInfo.InvariantCulture, $" (age {d.AgeOn(on)})")),
        ("Sex", d.Sex?.ToString() ?? "not recorded"),
    ];

    public static byte[] Render(InfusionSession s, TreatmentPlan plan, Patient patient, DateTimeOffset printedAt, byte[] chart, Func<UserId, string>? userName = null, KetaCare.Clinic.Clinics.ClinicIdentity? clinic = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(s);
        var who = userName ?? (u => u.ToString());
        var d = patient.Demographics;
        using var l = new PdfLayout("Session report", Header(clinic, "KetaCare — session report"), PatientLine(d), "Page", "of", cancellationToken);
        l.Title("Session report");
        l.Paragraph($"Session {s.Id} on {s.ScheduledFor.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} · state {s.State} · printed {T(printedAt)}");
        l.Heading("Patient");
        l.Fields([.. PatientFields(d, s.ScheduledFor), ("Weight used", s.Weight?.ToString() ?? "not fixed (pre-assessment not passed)")]);

        l.Heading("Plan");
        var p = plan.Protocol;
        l.Fields(
        [
            ("Protocol", string.Create(CultureInfo.InvariantCulture, $"{p.Name} ({p.Id} v{p.Version}), {p.Route}")),
            ("Doses", $"start {plan.StartDose}, step {p.Step}, ceiling {p.Ceiling}; this session {s.PlannedDose}"),
            ("Course", string.Create(CultureInfo.InvariantCulture, $"{p.NumberOfSessions} session(s), every {p.IntervalDays} day(s)")),
            ("PK model", plan.ModelId),
            ("Preparation", plan.Preparation.ToString()),
            ("Prescribed", $"{T(plan.PrescribedAt)} by {who(plan.PrescribedBy)}"),
        ]);

        l.Heading("Pump program");
        if (s.Program is { } prog)
        {
            l.Fields(
            [
                ("Rate", $"{N(prog.RateMlPerHour)} mL/h = {N(prog.DeliveredRate.MilligramsPerHour)} mg/h = {prog.BackCalculated}"),
                ("Volume to be infused", $"{N(prog.VtbiMl)} mL over {N(prog.Duration.Minutes)} min ({N(prog.TotalDose.Milligrams)} mg)"),
                ("Preparation", prog.Preparation.ToString()),
                ("Programmed", $"{T(prog.ProgrammedAt)} by {who(prog.ProgrammedBy)}"),
                ("Second check", prog.Check is { } c ? $"{T(c.At)} by {who(c.By)}" : "none"),
            ]);
        }
        else
        {
            l.Paragraph(s.SingleDoses.Count > 0 ? "Single-dose protocol: no pump program." : "No pump program yet.");
        }

        if (s.Authorization is { } auth)
        {
            l.Paragraph($"Dose check (drug library {auth.Check.DrugLibraryVersion}): predicted peak plasma {auth.Check.PredictedPeak?.ToString() ?? "not computed"}; " +
                (auth.Check.Findings.Count == 0 ? "within every limit." : string.Join(" ", auth.Check.Findings.Select(f => $"[{f.Severity}] {f.Message}"))));
            l.Bullets(auth.Overrides.Select(o => $"Override of {o.LimitId} by {who(o.By)} at {T(o.At)}: {o.Reason}"));
        }

        l.Heading("Rate segments");
        var kg = s.Weight?.Weight.Kilograms;
        l.Table(
            ["#", "Start", "End", "mL/h", "mg/mL", "mg/h", "mg/kg/h", "mg given", "Reason"],
            s.Segments.Select(x => new[]
            {
                (x.Index + 1).ToString(CultureInfo.InvariantCulture), T(x.Start), x.End is { } e ? T(e) : "running", N(x.RateMlPerHour), N(x.ConcentrationMgPerMl), N(x.Rate.MilligramsPerHour),
                kg is { } k ? N(x.Rate.MilligramsPerHour / k) : "—", N(s.DeliveredAmount(x, printedAt).Milligrams), x.Reason,
            }),
            [0.04, 0.14, 0.14, 0.07, 0.07, 0.07, 0.08, 0.09, 0.30]);
        l.Bullets(s.SingleDoses.Select(x => $"Single dose {x.Level} = {x.Amount} at {T(x.At)}"));
        l.Paragraph($"Dose given: {s.DoseGiven(printedAt)}", l.Font(10, bold: true));

        l.Heading("Vital signs and scores");
        l.Table(
            ["Time", "BP mmHg", "HR /min", "SpO2 %", "RR /min", "Sedation", "CADSS", "Pain NRS", "Note"],
            s.Observations.ActiveValues.OrderBy(o => o.At).Select(o => new[]
            {
                T(o.At), o.Systolic is { } sbp ? string.Create(CultureInfo.InvariantCulture, $"{sbp}/{o.Diastolic}") : string.Empty, Int(o.HeartRate), Int(o.SpO2), Int(o.RespiratoryRate),
                o.Sedation is { } sed ? string.Create(CultureInfo.InvariantCulture, $"{(sed.Scale == SedationScale.Rass ? "RASS" : "MOAA/S")} {sed.Value:+0;-0;0}") : string.Empty, Int(o.Cadss), Int(o.PainNrs), o.Note ?? string.Empty,
            }),
            [0.15, 0.09, 0.08, 0.07, 0.07, 0.1, 0.07, 0.08, 0.29]);
        l.Heading("Alerts");
        l.Bullets(s.ActiveAlerts.Any() ? s.ActiveAlerts.Select(a => $"{T(a.At)}: {a.Alert.Message} (suggested: {a.Alert.Action})") : ["None raised."]);

        l.Heading("Timeline");
        l.Image(chart);

        l.Heading("Adverse events");
        var events = s.AdverseEvents.Active.ToList();
        if (events.Count == 0)
        {
            l.Paragraph("None recorded.");
        }
        else
        {
            l.Table(
                ["Onset", "Type", "Grade", "Serious", "Action", "Outcome", "Description"],
                events.Select(e => new[] { T(e.Value.OnsetAt), e.Value.Type.ToString(), e.Value.Grade.ToString(CultureInfo.InvariantCulture), e.Value.Serious ? "yes" : "no", e.Value.Action.ToString(), e.Value.Outcome.ToString(), e.Value.Description }),
                [0.15, 0.17, 0.07, 0.08, 0.13, 0.12, 0.28]);
        }

        l.Heading("Course of the session");
        l.Table(["Time", "From", "To", "By", "Reason"], s.Transitions.Select(t => new[] { T(t.At), t.From.ToString(), t.To.ToString(), who(t.By), t.Reason ?? string.Empty }), [0.16, 0.14, 0.14, 0.3, 0.26]);

        l.Heading("Discharge");
        var discharged = s.Transitions.LastOrDefault(t => t.To == SessionState.Discharged);
        if (s.DischargeAldrete is { } a)
        {
            l.Paragraph(string.Create(CultureInfo.InvariantCulture, $"Modified Aldrete {a.Total}/10 (activity {a.Activity}, respiration {a.Respiration}, circulation {a.Circulation}, consciousness {a.Consciousness}, SpO2 {a.OxygenSaturation}); discharge at ≥ {AldreteScore.DischargeThreshold} (modified Aldrete score, Aldrete 1995). Discharged {(discharged is null ? "—" : T(discharged.At))}."));
        }
        else
        {
            l.Paragraph("Not discharged yet.");
        }

        l.Heading("Signatures");
        l.Signature("Programmed by", s.Program is { } programmed ? who(programmed.ProgrammedBy) : "—");
        l.Signature("Second check by", s.Program?.Check is { } check ? who(check.By) : "—");
        l.Signature("Discharged by", discharged is { } dis ? who(dis.By) : "—");
        return l.Save();
    }

    public static byte[] RenderCourse(Patient patient, IReadOnlyList<TreatmentPlan> plans, CourseOutcome o, DateTimeOffset printedAt, byte[] chart, KetaCare.Clinic.Clinics.ClinicIdentity? clinic = null, CancellationToken cancellationToken = default)
    {
        var d = patient.Demographics;
        using var l = new PdfLayout("Course summary", Header(clinic, "KetaCare — course summary"), PatientLine(d), "Page", "of", cancellationToken);
        l.Title("Course summary");
        l.Paragraph($"Printed {T(printedAt)}");
        l.Heading("Patient");
        l.Fields(PatientFields(d, DateOnly.FromDateTime(printedAt.UtcDateTime)));
        l.Heading("Plans");
        l.Bullets(plans.Select(p => $"{p.Protocol.Name} ({p.Protocol.Id} v{p.Protocol.Version}): start {p.StartDose}, current {p.CurrentDose}, ceiling {p.Protocol.Ceiling}; {p.Status}; prescribed {T(p.PrescribedAt)}"));
        l.Heading("Doses and pain per session");
        l.Table(
            ["Date", "Dose given", "NRS before", "NRS after", "Reduction"],
            o.PerSession.Select(x => new[] { x.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), x.DoseGiven.ToString(), Int(x.Before), Int(x.After), x.ReductionPercent is { } r ? N(r, 3) + " %" : "—" }),
            [0.2, 0.2, 0.2, 0.2, 0.2]);
        l.Heading("Responder status");
        l.Paragraph(o.Responder is { } resp ? OutcomeAnalysis.Describe(resp) + " (IMMPACT ≥ 30 % moderate, ≥ 50 % substantial; Dworkin 2008)." : "Not known: a baseline and a later pain score are needed.");
        l.Paragraph(o.DurationOfRelief is { } dr ? $"Relief (≥ 30 %) lasted {N(dr.Hours / 24, 3)} days after the last infusion." : o.LastRelieved is { } lr ? $"Still relieved at the last score ({T(lr)})." : "Relief after the last infusion: not reached or not yet scored.");
        if (o.Pgic.Count > 0)
        {
            l.Paragraph(string.Join("; ", o.Pgic.Select(g => string.Create(CultureInfo.InvariantCulture, $"PGIC {g.Score.Value} on {g.CompletedOn:yyyy-MM-dd}{(g.Score.IsResponder ? " (responder)" : string.Empty)}"))));
        }

        if (o.Bpi.Count > 0)
        {
            l.Paragraph(string.Join("; ", o.Bpi.Select(b => $"BPI on {b.CompletedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}: severity {N(b.Form.Severity, 3)}, interference {N(b.Form.Interference, 3)}")));
        }

        l.Heading("Pain trajectory");
        l.Image(chart);
        if (!o.Predicted.IsSuccess)
        {
            l.Paragraph("Predicted relief: " + o.Predicted.Error);
        }

        return l.Save();
    }

    private static string Int(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
}
