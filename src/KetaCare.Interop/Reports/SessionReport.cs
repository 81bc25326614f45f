using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Clinics;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Outcomes;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Interop.Text;

namespace KetaCare.Interop.Reports;

/// <summary>
/// Lays out the session report and the course summary in the reader's language (<see cref="Strings"/>), with numbers,
/// units and dates as the reader writes them (<see cref="TextFormat"/>). Published works keep their names.
/// </summary>
internal static class SessionReport
{
    public static byte[] Render(InfusionSession s, TreatmentPlan plan, Patient patient, DateTimeOffset printedAt, byte[] chart, CultureInfo c, Func<UserId, string>? userName = null, ClinicIdentity? clinic = null, InvestigationSettings? investigations = null, Outcome<SessionExposure>? exposure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(s);
        investigations ??= InvestigationSettings.Default;
        var t = Strings.For(c);
        var w = new Words(c);
        var who = userName ?? (u => u.ToString());
        var d = patient.Demographics;
        using var l = new PdfLayout(t["Session report"], Header(clinic, t["KetaCare — session report"]), w.PatientLine(d) + "\n" + w.AllergyLine(patient.Snapshot()), t["Page"], t["of|pages"], cancellationToken);
        l.Title(t["Session report"]);
        l.Paragraph(t["Session {0} on {1} · state {2} · printed {3}", s.Id, w.Date(s.ScheduledFor), t[SessionLabels.Of(s.State)], w.Time(printedAt)]);
        l.Heading(t["Patient"]);
        l.Fields([.. w.PatientFields(d, s.ScheduledFor), (t["Weight used"], s.Weight is { } weight ? w.Quantity(weight.Weight.Kilograms, "kg") : t["not fixed (pre-assessment not passed)"])]);

        if (s.Checklist is { } cl)
        {
            l.Heading(t["Pre-session checklist"]);
            l.Fields(
            [
                (t["Fasting since"], cl.FastingSince is { } fasted ? w.Time(fasted) : t["not recorded|sentence"]),
                (t["Escort home confirmed"], cl.EscortConfirmed ? t["Yes"] : t["No"]),
                (t["No driving for 24 h acknowledged"], cl.NoDrivingAcknowledged ? t["Yes"] : t["No"]),
                (t["Pregnancy"], t[SessionLabels.Words(cl.Pregnancy)]),
                (t["New medications since the last session"], cl.NewMedications is { Count: > 0 } meds ? string.Join(", ", meds.Select(m => m.Name)) : t["None"]),
            ]);
            l.Bullets(s.ChecklistFindings.Select(f => FindingText.Render(f, c)));
        }

        // The latest of each investigation up to the session day, with the findings that flag them.
        var snapshot = patient.Snapshot();
        var chartThen = snapshot with
        {
            LiverPanels = Latest(snapshot.LiverPanels, x => x.CollectedOn, s.ScheduledFor),
            Ecgs = Latest(snapshot.Ecgs, x => x.RecordedOn, s.ScheduledFor),
            Urinalyses = Latest(snapshot.Urinalyses, x => x.CollectedOn, s.ScheduledFor),
            UrinarySymptoms = Latest(snapshot.UrinarySymptoms, x => x.CompletedOn, s.ScheduledFor),
        };
        Investigations(l, chartThen, investigations, t["Latest investigations"], t, w, c);
        l.Bullets(InvestigationRules.Evaluate(chartThen, investigations).Select(f => FindingText.Render(f, c)));

        l.Heading(t["Plan"]);
        var p = plan.Protocol;
        l.Fields(
        [
            (t["Protocol"], $"{t[p.Name]} ({p.Id} v{p.Version.ToString(c)}), {t[SessionLabels.Of(p.Route)]}"),
            (t["Doses"], t["start {0}, step {1}, ceiling {2}; this session {3}", w.Dose(plan.StartDose), w.Dose(p.Step), w.Dose(p.Ceiling), w.Dose(s.PlannedDose)]),
            (t["Course"], t["{0} session(s), every {1} day(s)", p.NumberOfSessions, p.IntervalDays]),
            (t["PK model"], plan.ModelId),
            (t["Preparation"], TextFormat.Preparation(plan.Preparation, c)),
            (t["Prescribed"], t["{0} by {1}", w.Time(plan.PrescribedAt), who(plan.PrescribedBy)]),
        ]);

        l.Heading(t["Pump program"]);
        if (s.Program is { } prog)
        {
            l.Fields(
            [
                (t["Rate"], $"{w.Quantity(prog.RateMlPerHour, "mL/h")} = {w.Quantity(prog.DeliveredRate.MilligramsPerHour, "mg/h")} = {w.Dose(prog.BackCalculated)}"),
                (t["Volume to be infused"], t["{0} over {1} ({2})", w.Quantity(prog.VtbiMl, "mL"), w.Quantity(prog.Duration.Minutes, "min"), w.Quantity(prog.TotalDose.Milligrams, "mg")]),
                (t["Preparation"], TextFormat.Preparation(prog.Preparation, c)),
                (t["Programmed"], t["{0} by {1}", w.Time(prog.ProgrammedAt), who(prog.ProgrammedBy)]),
                (t["Second check"], prog.Check is { } check ? t["{0} by {1}", w.Time(check.At), who(check.By)] : t["None"]),
            ]);
        }
        else
        {
            l.Paragraph(s.SingleDoses.Count > 0 ? t["Single-dose protocol: no pump program."] : t["No pump program yet."]);
        }

        if (s.Authorization is { } auth)
        {
            var peak = auth.Check.PredictedPeak is { } pk ? w.Quantity(pk.NanogramsPerMilliliter, "ng/mL") : t["not computed"];
            var findings = auth.Check.Findings.Count == 0
                ? t["within every limit."].Value
                : string.Join(" ", auth.Check.Findings.Select(f => $"[{t[f.Severity == Clinic.Dosing.LimitSeverity.Hard ? "hard limit" : "soft limit"]}] {FindingText.Render(f, c)}"));
            l.Paragraph(t["Dose check (drug library {0}): predicted peak plasma {1}; {2}", auth.Check.DrugLibraryVersion, peak, findings]);
            l.Bullets(auth.Overrides.Select(o => t["Override of {0} by {1} at {2}: {3}", o.LimitId, who(o.By), w.Time(o.At), o.Reason].Value));
        }

        if (p.AncillaryOrders.Count > 0 || s.AncillaryDoses.Count > 0)
        {
            l.Heading(t["Premedication and rescue"]);
            l.Bullets(p.AncillaryOrders.Select(o => t["Ordered: {0}, {1}, {2} {3}", t[SessionLabels.Words(o.Purpose)], t[SessionLabels.Words(o.Drug)], w.Quantity(o.DoseMg, "mg"), t[SessionLabels.Of(o.Route)]].Value));
            l.Bullets(s.AncillaryDoses.Select(g => t["Given {0} by {1}: {2} {3} {4} ({5})", w.Time(g.At), who(g.By), t[SessionLabels.Words(g.Drug)], w.Quantity(g.DoseMg, "mg"), t[SessionLabels.Of(g.Route)], t[SessionLabels.Words(g.Purpose)]].Value));
        }

        l.Heading(t["Rate segments"]);
        var kg = s.Weight?.Weight.Kilograms;
        l.Table(
            ["#", t["Start"], t["End"], TextFormat.Unit("mL/h", c), "mg/mL", TextFormat.Unit("mg/h", c), TextFormat.Unit("mg/kg/h", c), t["mg given"], t["Reason"]],
            s.Segments.Select(x => new[]
            {
                (x.Index + 1).ToString(c), w.Time(x.Start), x.End is { } e ? w.Time(e) : t["running|sentence"], w.Number(x.RateMlPerHour), w.Number(x.ConcentrationMgPerMl), w.Number(x.Rate.MilligramsPerHour),
                kg is { } k ? w.Number(x.Rate.MilligramsPerHour / k) : "—", w.Number(s.DeliveredAmount(x, printedAt).Milligrams), SessionLabels.SegmentReason(x.Reason, t),
            }),
            [0.04, 0.14, 0.14, 0.07, 0.07, 0.07, 0.08, 0.09, 0.30]);
        l.Bullets(s.SingleDoses.Select(x => t["Single dose {0} = {1} at {2}", w.Dose(x.Level), w.Quantity(x.Amount.Milligrams, "mg"), w.Time(x.At)].Value));
        l.Paragraph(t["Dose given: {0}", w.Quantity(s.DoseGiven(printedAt).Milligrams, "mg")], l.Font(10, bold: true));

        if (exposure is { } predicted)
        {
            Exposure(l, predicted, t, w, c);
        }

        l.Heading(t["Vital signs and scores"]);
        l.Table(
            [t["Time"], t["BP mmHg"], t["HR /min"], t["SpO2 %"], t["RR /min"], t["Sedation"], "CADSS", t["Pain NRS"], t["Note"]],
            s.Observations.ActiveValues.OrderBy(o => o.At).Select(o => new[]
            {
                w.Time(o.At), o.Systolic is { } sbp ? $"{sbp.ToString(c)}/{TextFormat.Whole(o.Diastolic, c)}" : string.Empty, TextFormat.Whole(o.HeartRate, c), TextFormat.Whole(o.SpO2, c), TextFormat.Whole(o.RespiratoryRate, c),
                o.Sedation is { } sed ? $"{(sed.Scale == SedationScale.Rass ? "RASS" : "MOAA/S")} {sed.Value.ToString("+0;-0;0", c)}" : string.Empty, TextFormat.Whole(o.Cadss, c), TextFormat.Whole(o.PainNrs, c), o.Note ?? string.Empty,
            }),
            [0.15, 0.09, 0.08, 0.07, 0.07, 0.1, 0.07, 0.08, 0.29]);
        l.Heading(t["Alerts"]);
        l.Bullets(s.ActiveAlerts.Any()
            ? s.ActiveAlerts.Select(a => t["{0}: {1} (suggested: {2})", w.Time(a.At), FindingText.Render(a.Alert.Finding, c), t[a.Alert.Action == SuggestedAction.Stop ? "stop" : "pause|sentence"]].Value)
            : [t["None raised."]]);

        l.Heading(t["Timeline"]);
        l.Image(chart);

        l.Heading(t["Adverse events"]);
        var events = s.AdverseEvents.Active.ToList();
        if (events.Count == 0)
        {
            l.Paragraph(t["None recorded."]);
        }
        else
        {
            l.Table(
                [t["Onset"], t["Type"], t["Grade"], t["serious"], t["Action"], t["Outcome"], t["Description"]],
                events.Select(e => new[]
                {
                    w.Time(e.Value.OnsetAt), t[SessionLabels.Of(e.Value.Type)].Value, e.Value.Grade.ToString(c), e.Value.Serious ? t["Yes"] : t["No"],
                    t[SessionLabels.Of(e.Value.Action)].Value, t[SessionLabels.Of(e.Value.Outcome)].Value, e.Value.Description,
                }),
                [0.15, 0.17, 0.07, 0.08, 0.13, 0.12, 0.28]);
        }

        l.Heading(t["Course of the session"]);
        l.Table(
            [t["Time"], t["From"], t["To"], t["By"], t["Reason"]],
            s.Transitions.Select(x => new[] { w.Time(x.At), t[SessionLabels.Of(x.From)].Value, t[SessionLabels.Of(x.To)].Value, who(x.By), x.Reason ?? string.Empty }),
            [0.16, 0.14, 0.14, 0.3, 0.26]);

        l.Heading(t["Discharge"]);
        var discharged = s.Transitions.LastOrDefault(x => x.To == SessionState.Discharged);
        if (s.DischargeAldrete is { } a)
        {
            l.Paragraph(t[
                "Modified Aldrete {0}/10 (activity {1}, respiration {2}, circulation {3}, consciousness {4}, SpO2 {5}); discharge at ≥ {6} (modified Aldrete score, Aldrete 1995). Discharged {7}.",
                a.Total, a.Activity, a.Respiration, a.Circulation, a.Consciousness, a.OxygenSaturation, AldreteScore.DischargeThreshold, discharged is null ? "—" : w.Time(discharged.At)]);
        }
        else
        {
            l.Paragraph(t["Not discharged yet."]);
        }

        l.Heading(t["Signatures"]);
        l.Signature(t["Programmed by"], s.Program is { } programmed ? who(programmed.ProgrammedBy) : "—");
        l.Signature(t["Second check by"], s.Program?.Check is { } secondCheck ? who(secondCheck.By) : "—");
        l.Signature(t["Discharged by"], discharged is { } dis ? who(dis.By) : "—");
        return l.Save();
    }

    public static byte[] RenderCourse(Patient patient, IReadOnlyList<TreatmentPlan> plans, CourseOutcome o, DateTimeOffset printedAt, byte[] chart, CultureInfo c, ClinicIdentity? clinic = null, InvestigationSettings? investigations = null, CancellationToken cancellationToken = default)
    {
        var t = Strings.For(c);
        var w = new Words(c);
        var d = patient.Demographics;
        using var l = new PdfLayout(t["Course summary"], Header(clinic, t["KetaCare — course summary"]), w.PatientLine(d) + "\n" + w.AllergyLine(patient.Snapshot()), t["Page"], t["of|pages"], cancellationToken);
        l.Title(t["Course summary"]);
        l.Paragraph(t["Printed {0}", w.Time(printedAt)]);
        l.Heading(t["Patient"]);
        l.Fields(w.PatientFields(d, DateOnly.FromDateTime(printedAt.UtcDateTime)));
        l.Heading(t["Plans"]);
        l.Bullets(plans.Select(p => t[
            "{0} ({1} v{2}): start {3}, current {4}, ceiling {5}; {6}; prescribed {7}",
            t[p.Protocol.Name], p.Protocol.Id, p.Protocol.Version, w.Dose(p.StartDose), w.Dose(p.CurrentDose), w.Dose(p.Protocol.Ceiling), t[SessionLabels.Words(p.Status)], w.Time(p.PrescribedAt)].Value));
        Investigations(l, patient.Snapshot(), investigations ?? InvestigationSettings.Default, t["Investigations"], t, w, c);
        l.Heading(t["Doses and pain per session"]);
        l.Table(
            [t["Date"], t["Dose given"], t["NRS before"], t["NRS after"], t["In-session reduction"]],
            o.PerSession.Select(x => new[] { w.Date(x.Date), w.Quantity(x.DoseGiven.Milligrams, "mg"), TextFormat.Whole(x.Before, c), TextFormat.Whole(x.After, c), x.ReductionPercent is { } r ? TextFormat.Quantity(r, "%", c, 3) : "—" }),
            [0.2, 0.2, 0.2, 0.2, 0.2]);
        l.Heading(t["Responder status"]);
        l.Paragraph(o.Responder is { } resp ? Responder(resp, t, c) : t["Not known: a baseline and a later pain score are needed."]);
        l.Paragraph(o.DurationOfRelief is { } dr
            ? t["Relief (≥ 30 %) lasted {0} days after the last infusion.", w.Number(dr.Hours / 24, 3)]
            : o.LastRelieved is { } lr ? t["Still relieved at the last score ({0}).", w.Time(lr)] : t["Relief after the last infusion: not reached or not yet scored."]);
        if (o.Pgic.Count > 0)
        {
            l.Paragraph(string.Join("; ", o.Pgic.Select(g => t[g.Score.IsResponder ? "PGIC {0} on {1} (responder)" : "PGIC {0} on {1}", g.Score.Value, w.Date(g.CompletedOn)].Value + By(g.Source, t))));
        }

        if (o.Bpi.Count > 0)
        {
            l.Paragraph(string.Join("; ", o.Bpi.Select(b => t["BPI on {0}: severity {1}, interference {2}", w.Date(b.CompletedOn), w.Number(b.Form.Severity, 3), w.Number(b.Form.Interference, 3)].Value + By(b.Source, t))));
        }

        l.Heading(t["Pain trajectory"]);
        l.Image(chart);
        l.Paragraph(t["The predicted relief (Dahan 2011) comes from a model fitted to 100-hour infusions in CRPS; for sessions of a few hours it is indicative only and no basis for a decision."], l.Font(8));
        if (!o.Predicted.IsSuccess)
        {
            l.Paragraph(t["Predicted relief: {0}", FindingText.Render(o.Predicted.Findings, o.Predicted.Error, c)]);
        }

        return l.Save();
    }

    // The investigations on the chart: liver panels as a table (values with their flags against the clinic's ranges), ECGs
    // and urinary screens as lines; "none recorded" is said rather than leaving the heading empty.
    /// <summary>The predicted exposure of the drug delivered, plasma beside effect site, or why there is none.</summary>
    private static void Exposure(PdfLayout l, Outcome<SessionExposure> predicted, Microsoft.Extensions.Localization.IStringLocalizer t, Words w, CultureInfo c)
    {
        l.Heading(t["Predicted exposure"]);
        if (!predicted.IsSuccess)
        {
            l.Paragraph(t["Not predicted:"] + " " + FindingText.Render(predicted.Findings, predicted.Error ?? string.Empty, c));
            return;
        }

        var x = predicted.Value;
        var band = SessionExposure.Band;
        l.Paragraph(t["From the drug delivered, with the {0} model and the patient's covariates on the session date; AUC to {1} h after the last dose; analgesic band {2}–{3} ng/mL ({4}).", x.ModelId, w.Number(SessionExposure.Tail.Hours), w.Number(band.LowNgPerMl), w.Number(band.HighNgPerMl), band.Citation]);
        l.Table(
            [string.Empty, t["Plasma"], t["Effect site"]],
            [
                ["AUC (ng·h/mL)", w.Number(x.Plasma.AucNgHoursPerMl), w.Number(x.EffectSite.AucNgHoursPerMl)],
                ["Cmax (ng/mL)", w.Number(x.Plasma.Cmax.NanogramsPerMilliliter), w.Number(x.EffectSite.Cmax.NanogramsPerMilliliter)],
                [t["Time at or above {0} ng/mL", w.Number(band.LowNgPerMl)], w.Quantity(x.Plasma.InOrAboveAnalgesia.Minutes, "min"), w.Quantity(x.EffectSite.InOrAboveAnalgesia.Minutes, "min")],
                [t["Time above {0} ng/mL", w.Number(band.HighNgPerMl)], w.Quantity(x.Plasma.AboveAnalgesia.Minutes, "min"), w.Quantity(x.EffectSite.AboveAnalgesia.Minutes, "min")],
            ],
            [0.4, 0.3, 0.3],
            boldFirstColumn: true);
        l.Bullets(x.Notes.Select(n => FindingText.Render(n, c)));
    }

    private static void Investigations(PdfLayout l, PatientSnapshot p, InvestigationSettings ranges, string heading, Microsoft.Extensions.Localization.IStringLocalizer t, Words w, CultureInfo c)
    {
        l.Heading(heading);
        if (p.LiverPanels.Count == 0 && p.Ecgs.Count == 0 && p.UrinarySymptoms.Count == 0 && p.Urinalyses.Count == 0)
        {
            l.Paragraph(t["None recorded."]);
            return;
        }

        if (p.LiverPanels.Count > 0)
        {
            static string Flag(LabFlag f) => f switch { LabFlag.HighNeedsReview => " HH", LabFlag.High => " H", LabFlag.Low => " L", _ => string.Empty };
            l.Table(
                [t["Liver panel"], .. LabTestInfo.All.Select(i => t[i.Name] + " (" + i.Unit + ")")],
                p.LiverPanels.Select(x => new[] { w.Date(x.CollectedOn) }.Concat(LabTestInfo.All.Select(i => x.ValueOf(i.Test) is { } v ? TextFormat.Number(v, c) + Flag(InvestigationRules.Flag(i.Test, v, ranges)) : "—")).ToArray()),
                [0.2, 0.16, 0.16, 0.16, 0.16, 0.16]);
        }

        l.Bullets(
            p.Ecgs.Select(g => t["ECG {0}: {1}, {2}{3}", w.Date(g.RecordedOn), t[SessionLabels.Words(g.Rhythm)], t[SessionLabels.Words(g.Interpretation)], g.QtcMs is { } q ? ", QTc " + TextFormat.Quantity(q, "ms", c) : string.Empty].Value)
                .Concat(p.UrinarySymptoms.Select(q => t["Urinary symptoms {0}: score {1} of 15", w.Date(q.CompletedOn), q.Total].Value))
                .Concat(p.Urinalyses.Select(u => t["Urine dipstick {0}: blood {1}, leukocytes {2}", w.Date(u.CollectedOn), t[SessionLabels.Words(u.Blood)], t[SessionLabels.Words(u.Leukocytes)]].Value)));
    }

    // The latest result dated on or before the day, as a list of one (none when there is none).
    private static IReadOnlyList<T> Latest<T>(IReadOnlyList<T> results, Func<T, DateOnly> date, DateOnly day) =>
        results.Where(x => date(x) <= day).MaxBy(date) is { } latest ? [latest] : [];

    // Scores the patient gave in the portal are marked so the reader can weigh them; staff's are the unmarked default.
    private static string By(ReportSource source, Microsoft.Extensions.Localization.IStringLocalizer t) =>
        source == ReportSource.Patient ? " (" + t["patient-reported"] + ")" : string.Empty;

    // The clinic's letterhead heads every page once the administrator has entered it.
    private static string Header(ClinicIdentity? clinic, string fallback) => clinic is { IsSet: true } c ? c.Letterhead : fallback;

    // "NRS 7 → 3 (%57 azalma): belirgin yanıtlı"; the IMMPACT lines with their source.
    private static string Responder(ResponderStatus status, Microsoft.Extensions.Localization.IStringLocalizer t, CultureInfo c)
    {
        var label = t[status.Substantial ? "substantial responder" : status.Moderate ? "moderate responder" : "non-responder"];
        var change = status.ReductionPercent is { } r
            ? t["NRS {0} → {1} ({2} reduction): {3}", status.Baseline, status.Current, TextFormat.Quantity(r, "%", c, 3), label]
            : t["NRS {0} → {1}: no reduction can be computed from a baseline of 0", status.Baseline, status.Current];
        // The basis says which scores were compared: never an in-session score, which measures the acute drug effect.
        var basis = status.Basis is { } b
            ? " " + t[
                "Baseline: pre-infusion score of the first session, {0}; compared: {1}, {2}.",
                TextFormat.Date(DateOnly.FromDateTime(b.BaselineAt.UtcDateTime), c),
                t[b.CurrentKind == Clinic.Outcomes.PainScoreKind.FollowUp ? (b.CurrentSource == ReportSource.Patient ? "pain diary (patient-reported)" : "follow-up") : "pre-infusion score of a later session"],
                TextFormat.Date(DateOnly.FromDateTime(b.CurrentAt.UtcDateTime), c)]
            : string.Empty;
        return change + basis + " " + t["(IMMPACT ≥ 30 % moderate, ≥ 50 % substantial; Dworkin 2008)."];
    }

    /// <summary>The report's ways of writing values for one reader.</summary>
    private sealed class Words(CultureInfo c)
    {
        private readonly Microsoft.Extensions.Localization.IStringLocalizer _t = Strings.For(c);

        public string Number(double v, int digits = 4) => TextFormat.Number(v, c, digits);

        public string Quantity(double v, string unit) => TextFormat.Quantity(v, unit, c);

        public string Dose(Clinic.Protocols.DoseLevel dose) => TextFormat.Dose(dose, c);

        public string Date(DateOnly date) => TextFormat.Date(date, c);

        public string Time(DateTimeOffset at) => TextFormat.DateTimeUtc(at, c);

        /// <summary>What the chart says about allergies, on every page beside the patient: the allergies that apply, none known (dated) or not recorded.</summary>
        public string AllergyLine(PatientSnapshot p) => p.AllergyState switch
        {
            AllergyState.Allergies => _t["Allergies: {0}", string.Join(", ", p.ApplyingAllergies.Select(a => a.Substance.CatalogueId is null ? a.Substance.Display : _t[a.Substance.Display].Value))],
            AllergyState.NoKnownAllergies => _t["No known allergies (stated {0})", Date(p.NoKnownAllergies!.StatedOn)],
            _ => _t["Allergies: not recorded"],
        };

        public string PatientLine(Demographics d) => _t["{0} {1} · MRN {2} · born {3}", d.GivenName, d.FamilyName, d.MedicalRecordNumber, Date(d.BirthDate)];

        public IEnumerable<(string, string)> PatientFields(Demographics d, DateOnly on) =>
        [
            (_t["Patient"], $"{d.GivenName} {d.FamilyName}"),
            (_t["Record number (MRN)"], d.MedicalRecordNumber),
            (_t["Born"], _t["{0} (age {1})", Date(d.BirthDate), d.AgeOn(on)]),
            (_t["Sex"], d.Sex is { } sex ? _t[SessionLabels.Words(sex)] : _t["not recorded|sentence"]),
        ];
    }
}
