using System.Security.Cryptography;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Charts;
using static KetaCare.Interop.Csv.CsvWriter;

namespace KetaCare.Interop.Csv;

/// <summary>The two files of a research export.</summary>
/// <param name="SessionsCsv">sessions.csv: one row per session.</param>
/// <param name="OutcomesCsv">outcomes.csv: one row per patient (course outcome).</param>
/// <param name="Deidentified">True when names, record numbers and birth dates were left out, ids replaced and dates shifted.</param>
public sealed record ResearchFiles(string SessionsCsv, string OutcomesCsv, bool Deidentified)
{
    /// <summary>File name of <see cref="SessionsCsv"/>.</summary>
    public const string SessionsFileName = "sessions.csv";

    /// <summary>File name of <see cref="OutcomesCsv"/>.</summary>
    public const string OutcomesFileName = "outcomes.csv";
}

/// <summary>
/// CSV export of every patient's sessions and course outcome for research. Identified, or de-identified: no names,
/// record numbers, birth dates or free text; age in whole years at the first session (90 and over as "90+"); patient
/// and session ids replaced by random pseudonyms; every date and time of a patient shifted by one random whole number
/// of days (30–365, either direction), so intervals within a patient are kept. Pseudonyms and shifts are drawn fresh
/// for each export from a cryptographic generator and never written anywhere. Each chart read is audited under
/// <c>by</c>. One instance per unit of work; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock (running infusions are counted up to now).</param>
public sealed class ResearchExport(KetaCareDbContext db, TimeProvider clock)
{
    /// <summary>Smallest date shift of the de-identified mode, days.</summary>
    public const int MinShiftDays = 30;

    /// <summary>Largest date shift of the de-identified mode, days.</summary>
    public const int MaxShiftDays = 365;

    private static readonly string[] Identity = ["patient_id", "mrn", "given_name", "family_name", "birth_date"];
    private static readonly string[] Pseudonymous = ["patient", "age_years"];

    /// <summary>Exports every non-demo and demo patient; the liver flag and the investigations not done follow the clinic's investigation settings in force.</summary>
    public async Task<ResearchFiles> ExportAsync(bool deidentify, UserId by, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var patients = new PatientService(db, clock);
        var summaries = await patients.SearchAsync(null, cancellationToken).ConfigureAwait(false);
        string[] who = deidentify ? Pseudonymous : Identity;
        var sessions = new CsvWriter([.. who, "session", "protocol_id", "protocol_version", "route", "model_id", "scheduled_for", "state", "start_utc", "end_utc",
            "planned_dose", "weight_kg", "dose_given_mg", "dose_given_mg_per_kg", "infusion_minutes", "rate_segments", "max_rate_ml_h", "predicted_peak_plasma_ng_ml",
            "pain_before", "pain_after", "pain_reduction_percent", "alerts", "adverse_events", "max_adverse_event_grade", "aldrete_total"]);
        var outcomes = new CsvWriter([.. who, "sex", "conditions_icd10", "protocol_id", "sessions", "total_dose_mg", "first_session", "last_session_end_utc",
            "baseline_nrs", "latest_nrs", "latest_nrs_at_utc", "reduction_percent", "responder_30", "responder_50", "relief_duration_days", "last_relieved_at_utc",
            "pgic_latest", "bpi_severity_latest", "bpi_interference_latest", "responder_compared_nrs", "responder_compared_kind", "responder_compared_at_utc",
            "allergy_state", "ketamine_allergy", "alt_latest_u_l", "ast_latest_u_l", "liver_flag_latest", "qtc_latest_ms", "urinary_symptoms_latest", "investigations_not_done",
            "latest_nrs_source", "responder_compared_source", "pgic_latest_source", "patient_reported_nrs_count"]);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var (investigations, _) = await new SettingsService(db, clock).InvestigationSettingsAsync(cancellationToken).ConfigureAwait(false);

        foreach (var summary in summaries.OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue)))
        {
            var chart = await patients.OpenChartAsync(summary.Id, by, cancellationToken).ConfigureAwait(false);
            if (!chart.IsSuccess)
            {
                continue;
            }

            var patient = chart.Value;
            var list = await new SessionService(db, clock).ForPatientAsync(summary.Id, by, cancellationToken).ConfigureAwait(false);
            var plans = await new TreatmentService(db, clock).PlansAsync(summary.Id, by, cancellationToken).ConfigureAwait(false);
            var d = patient.Demographics;
            var firstDate = list.Count > 0 ? list.Min(s => s.ScheduledFor) : DateOnly.FromDateTime(now.UtcDateTime);
            var shift = deidentify ? TimeSpan.FromDays(RandomNumberGenerator.GetInt32(MinShiftDays, MaxShiftDays + 1) * (RandomNumberGenerator.GetInt32(2) == 0 ? -1 : 1)) : TimeSpan.Zero;
            DateTimeOffset? T(DateTimeOffset? t) => t + shift;
            DateOnly? D(DateOnly? date) => date?.AddDays(shift.Days);
            var age = d.AgeOn(firstDate);
            string[] identity = deidentify
                ? [Pseudonym("P", used), age >= 90 ? "90+" : Number(age)]
                : [patient.Id.ToString(), d.MedicalRecordNumber, d.GivenName, d.FamilyName, Date(d.BirthDate)];

            foreach (var s in list)
            {
                var plan = plans.FirstOrDefault(p => p.Id == s.PlanId);
                var dose = s.DoseGiven(now);
                var kg = s.Weight?.Weight.Kilograms;
                double? peak = null;
                if (plan is not null && (s.Segments.Count > 0 || s.SingleDoses.Count > 0))
                {
                    var data = SessionTimelineChart.Data(s, plan, patient, RateUnit.MlPerHour, now);
                    peak = data.PlasmaNgPerMl.Length > 0 ? data.PlasmaNgPerMl.Max() : null;
                }

                var pain = s.Observations.ActiveValues.Where(o => o.PainNrs is not null).OrderBy(o => o.At).ToList();
                int? before = pain.Count > 0 ? pain[0].PainNrs : null;
                int? after = pain.Count > 1 ? pain[^1].PainNrs : null;
                var events = s.AdverseEvents.ActiveValues.ToList();
                DateTimeOffset? start = s.Segments.Select(x => x.Start).Concat(s.SingleDoses.Select(x => x.At)).DefaultIfEmpty().Min() is { } st && st != default ? st : null;
                DateTimeOffset? end = s.Segments.Count > 0 && s.Segments.All(x => x.End is not null) ? s.Segments.Max(x => x.End) : null;
                sessions.Row(
                [
                    .. identity,
                    deidentify ? Pseudonym("S", used) : s.Id.ToString(),
                    s.Protocol.Id, Number(s.Protocol.Version), s.Protocol.Route.ToString(), plan?.ModelId,
                    Date(D(s.ScheduledFor)), s.State.ToString(), Time(T(start)), Time(T(end)),
                    s.PlannedDose.ToString(), Number(kg), Number(dose.Milligrams), Number(kg is { } k ? dose.Milligrams / k : null),
                    Number(s.DeliveredSegments(now).Sum(x => ((x.End ?? now) - x.Start).TotalMinutes)), Number(s.Segments.Count), Number(s.Segments.Select(x => (double?)x.RateMlPerHour).Max()), Number(peak),
                    Number(before), Number(after), Number(Clinic.Outcomes.OutcomesMath.PercentReduction(before, after)),
                    Number(s.ActiveAlerts.Count()), Number(events.Count), Number(events.Select(e => (int?)e.Grade).Max()), Number(s.DischargeAldrete?.Total),
                ]);
            }

            var latestPlan = plans.OrderBy(p => p.PrescribedAt).LastOrDefault();
            var course = OutcomeService.Compute(patient, list, latestPlan, now);
            var latest = course.Trajectory.Count > 0 ? course.Trajectory[^1] : null;
            var bpi = course.Bpi.Count > 0 ? course.Bpi[^1].Form : null;
            var chartNow = patient.Snapshot();
            outcomes.Row(
            [
                .. identity,
                d.Sex?.ToString(),
                string.Join(";", patient.Conditions.ActiveValues.Select(c => c.Code.ToString())),
                latestPlan?.Protocol.Id,
                Number(list.Count),
                Number(course.PerSession.Sum(x => x.DoseGiven.Milligrams)),
                Date(list.Count > 0 ? D(firstDate) : null),
                Time(T(course.LastSessionEnd)),
                Number(course.Baseline), Number(latest?.Nrs), Time(T(latest?.At)), Number(course.Responder?.ReductionPercent),
                course.Responder is { } r ? (r.Moderate ? "1" : "0") : string.Empty,
                course.Responder is { } r2 ? (r2.Substantial ? "1" : "0") : string.Empty,
                Number(course.DurationOfRelief is { } dr ? dr.Hours / 24 : null), Time(T(course.LastRelieved)),
                Number(course.Pgic.Count > 0 ? course.Pgic[^1].Score.Value : null), Number(bpi?.Severity), Number(bpi?.Interference),

                // The score the responder status compared (never an in-session one), and what the chart says about allergies.
                Number(course.Responder?.Current), course.Responder?.Basis?.CurrentKind.ToString(), Time(T(course.Responder?.Basis?.CurrentAt)),
                chartNow.AllergyState.ToString(), chartNow.KetamineAllergy is null ? "0" : "1",

                // The latest investigations (values in their units; the worst flag of the latest liver panel) and how many
                // investigations the current course needs that are not done.
                Number(chartNow.LatestLiverPanel?.Alt), Number(chartNow.LatestLiverPanel?.Ast),
                chartNow.LatestLiverPanel is { } panel ? panel.Results.Select(x => InvestigationRules.Flag(x.Test, x.Value, investigations)).DefaultIfEmpty(LabFlag.Normal).Max().ToString() : null,
                Number(chartNow.LatestEcg?.QtcMs), Number(chartNow.LatestUrinarySymptoms?.Total),
                Number(MonitoringSchedule.For(chartNow, MonitoringService.Courses(plans, list), DateOnly.FromDateTime(now.UtcDateTime), investigations).Count(i => i.Status != MonitoringStatus.Done)),

                // Who gave the scores: staff, or the patient in the portal's diary (Staff / Patient).
                latest?.Source.ToString(), course.Responder?.Basis?.CurrentSource.ToString(), course.Pgic.Count > 0 ? course.Pgic[^1].Source.ToString() : null,
                Number(course.FollowUps.Count(f => f.Source == Clinic.Outcomes.ReportSource.Patient)),
            ]);
        }

        return new ResearchFiles(sessions.ToString(), outcomes.ToString(), deidentify);
    }

    /// <summary>A random pseudonym ("P-3F9A1C07") not used before in this export.</summary>
    private static string Pseudonym(string prefix, HashSet<string> used)
    {
        string p;
        do
        {
            p = prefix + "-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
        }
        while (!used.Add(p));

        return p;
    }
}
