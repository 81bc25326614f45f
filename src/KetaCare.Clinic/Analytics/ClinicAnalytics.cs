using System.Globalization;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Outcomes;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Analytics;

/// <summary>The clinic's analytics settings (stored, versioned, revised with a reason).</summary>
/// <param name="RelapseFraction">
/// Relapse after a course is a pain score above this fraction of the pre-course baseline. Default 0.7: less than the
/// 30 % reduction IMMPACT calls moderately important (Dworkin 2008), the same line the outcome screens draw.
/// </param>
public sealed record AnalyticsSettings(double RelapseFraction)
{
    /// <summary>Smallest accepted relapse fraction (half the baseline: a stricter definition of relapse).</summary>
    public const double MinRelapseFraction = 0.5;

    /// <summary>Largest accepted relapse fraction (a relapse must be pain clearly back, not any rise).</summary>
    public const double MaxRelapseFraction = 0.95;

    /// <summary>The built-in settings.</summary>
    public static AnalyticsSettings Default { get; } = new(0.7);

    /// <summary>Where the default relapse line comes from.</summary>
    public static Source RelapseSource { get; } = Source.Assumption("relapse = pain above 70 % of the pre-course baseline: relief below the 30 % IMMPACT calls moderately important (Dworkin 2008); a clinic setting");

    /// <summary>Refused (coded, naming the field and range) outside <see cref="MinRelapseFraction"/>–<see cref="MaxRelapseFraction"/>.</summary>
    public Outcome Validate() => double.IsFinite(RelapseFraction) && RelapseFraction is >= MinRelapseFraction and <= MaxRelapseFraction
        ? Outcome.Ok()
        : Refusal.OutOfRange("relapseFraction", RelapseFraction, MinRelapseFraction, MaxRelapseFraction);
}

/// <summary>Age bands the analytics group and filter by (wide enough that a band never singles a patient out).</summary>
public enum AgeBand
{
    /// <summary>Under 40.</summary>
    Under40,

    /// <summary>40 to 59.</summary>
    From40To59,

    /// <summary>60 and over.</summary>
    From60,
}

/// <summary>What the exposure–response analysis puts on the x axis.</summary>
public enum ExposureAxis
{
    /// <summary>Mean predicted plasma AUC per session of the course, ng·h/mL.</summary>
    PlasmaAuc,

    /// <summary>Mean dose per session of the course, mg/kg.</summary>
    DoseMgPerKg,
}

/// <summary>Which courses the analytics include; null fields do not filter.</summary>
/// <param name="From">First session on or after this date.</param>
/// <param name="To">First session on or before this date.</param>
/// <param name="ProtocolId">Protocol id.</param>
/// <param name="Indication">Indication of the patient's condition.</param>
/// <param name="Sex">Sex.</param>
/// <param name="AgeBand">Age band at the first session.</param>
public sealed record AnalyticsFilter(DateOnly? From = null, DateOnly? To = null, string? ProtocolId = null, Indication? Indication = null, Sex? Sex = null, AgeBand? AgeBand = null)
{
    /// <summary>No filter.</summary>
    public static AnalyticsFilter All { get; } = new();

    /// <summary>True when <paramref name="c"/> passes every filter given.</summary>
    public bool Includes(CourseFacts c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return (From is not { } f || c.Start >= f)
            && (To is not { } t || c.Start <= t)
            && (ProtocolId is null || string.Equals(c.ProtocolId, ProtocolId, StringComparison.Ordinal))
            && (Indication is null || c.Indication == Indication)
            && (Sex is null || c.Sex == Sex)
            && (AgeBand is null || c.AgeBand == AgeBand);
    }
}

/// <summary>What one session contributes, without anything that identifies the patient.</summary>
/// <param name="DoseLevel">The session's planned dose level ("1 mg/kg/h").</param>
/// <param name="DoseMgPerKg">Drug delivered per kg of dosing weight.</param>
/// <param name="PlasmaAuc">Predicted plasma AUC, ng·h/mL (<see cref="SessionExposure"/>).</param>
/// <param name="PlasmaCmax">Predicted plasma Cmax, ng/mL.</param>
/// <param name="EffectCmax">Predicted effect-site Cmax, ng/mL.</param>
/// <param name="MaxCadss">Highest active CADSS total recorded, if any.</param>
/// <param name="Dissociated">True when the highest CADSS was above the clinic's CADSS alert threshold.</param>
/// <param name="AdverseEvent">True when any active adverse event was recorded.</param>
public sealed record SessionFacts(string DoseLevel, double DoseMgPerKg, double PlasmaAuc, double PlasmaCmax, double EffectCmax, int? MaxCadss, bool Dissociated, bool AdverseEvent);

/// <summary>What one course (one plan's sessions) contributes, de-identified: a pseudonym, no name, record number or birth date.</summary>
/// <param name="Pseudonym">"C-0001": numbered in order of first session, unique within the clinic's data.</param>
/// <param name="Sex">Sex, if recorded.</param>
/// <param name="AgeBand">Age band at the first session.</param>
/// <param name="ProtocolId">Protocol id.</param>
/// <param name="Indication">Indication of the patient's condition, if one maps.</param>
/// <param name="Start">Date of the first session (used by the date filter; not exported).</param>
/// <param name="Sessions">Sessions in which drug was given, in order.</param>
/// <param name="Baseline">Pre-infusion NRS of the first session.</param>
/// <param name="ReductionPercent">Course reduction from baseline to the first follow-up after the course (else the latest pre-infusion score of a later session of the course), %.</param>
/// <param name="Relapse">Days from the end of the course to relapse (event) or to the last score (censored); null when the course did not end with relief.</param>
public sealed record CourseFacts(string Pseudonym, Sex? Sex, AgeBand AgeBand, string ProtocolId, Indication? Indication, DateOnly Start, IReadOnlyList<SessionFacts> Sessions, int? Baseline, double? ReductionPercent, TimeToEvent? Relapse)
{
    /// <summary>≥ 30 % reduction (IMMPACT moderately important); null without a baseline and a later score.</summary>
    public bool? Responder => ReductionPercent is { } r ? r >= OutcomesMath.ModerateReductionPercent : null;

    /// <summary>The highest dose level given in the course.</summary>
    public string? TopDoseLevel { get; init; }

    // Kept inside the clinic layer: only the identified view, after its checks, turns it into a record number and name.
    internal PatientId Patient { get; init; }

    /// <summary>The band of an age.</summary>
    public static AgeBand BandOf(int age) => age < 40 ? AgeBand.Under40 : age < 60 ? AgeBand.From40To59 : AgeBand.From60;

    /// <summary>
    /// The facts of one course from the stored records. Sessions count once their drug has ended (completed or stopped
    /// early); scores are the active ones. Relapse: the course is at risk when the last score of its last session is at
    /// or below <see cref="AnalyticsSettings.RelapseFraction"/> × baseline; the event is the first later score (a
    /// follow-up, or a later course's pre-infusion score) above that line, else the course is censored at its last score.
    /// </summary>
    /// <param name="pseudonym">The course's pseudonym.</param>
    /// <param name="patient">The patient's chart.</param>
    /// <param name="plan">The course's plan.</param>
    /// <param name="sessions">The plan's sessions.</param>
    /// <param name="laterScores">Pain scores of the patient recorded after this course's sessions: follow-ups and later sessions.</param>
    /// <param name="exposure">The session's predicted exposure, or null when it cannot be computed.</param>
    /// <param name="settings">The analytics settings in force.</param>
    /// <param name="cadssAbove">The clinic's CADSS alert threshold (a higher total counts as dissociation).</param>
    public static CourseFacts? Of(string pseudonym, Patient patient, TreatmentPlan plan, IEnumerable<InfusionSession> sessions, IEnumerable<PainPoint> laterScores, Func<InfusionSession, SessionExposure?> exposure, AnalyticsSettings settings, int cadssAbove)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(exposure);
        ArgumentNullException.ThrowIfNull(settings);
        var given = sessions.Where(s => s.DrugEndedAt is not null).OrderBy(s => s.DrugEndedAt).ToList();
        if (given.Count == 0)
        {
            return null;
        }

        var facts = new List<SessionFacts>();
        foreach (var s in given)
        {
            if (exposure(s) is not { } e)
            {
                continue;
            }

            var kg = s.DosingWeight?.Kilograms ?? double.NaN;
            var cadss = s.Observations.ActiveValues.Select(o => o.Cadss).Where(c => c is not null).Max();
            facts.Add(new SessionFacts(s.PlannedDose.ToString(), e.Dose.Milligrams / kg, e.Plasma.AucNgHoursPerMl, e.Plasma.Cmax.NanogramsPerMilliliter, e.EffectSite.Cmax.NanogramsPerMilliliter, cadss, cadss > cadssAbove, s.AdverseEvents.ActiveValues.Any()));
        }

        var trajectory = OutcomeAnalysis.Trajectory(given);
        var later = laterScores.Where(p => p.At > given[^1].DrugEndedAt).OrderBy(p => p.At).ToList();
        // The course's response is the first follow-up after it (the relief it left), not the latest score, which after
        // a relapse measures the relapse; without a follow-up, the course's own later pre-infusion scores.
        var responder = OutcomeAnalysis.CourseResponder([.. trajectory.Concat(later.Where(p => p.Session is null).Take(1)).OrderBy(p => p.At)]);
        var baseline = responder?.Baseline ?? trajectory.FirstOrDefault()?.Nrs;
        var start = given[0].ScheduledFor;
        return new CourseFacts(
            pseudonym,
            patient.Demographics.Sex,
            BandOf(patient.Demographics.AgeOn(start)),
            plan.Protocol.Id,
            patient.Conditions.ActiveValues.Select(IndicationCatalogue.IndicationOf).FirstOrDefault(i => i is not null),
            start,
            facts,
            baseline,
            responder?.ReductionPercent,
            RelapseAfter(given[^1], baseline, later, settings.RelapseFraction))
        {
            TopDoseLevel = given.MaxBy(s => s.PlannedDose)!.PlannedDose.ToString(),
            Patient = patient.Id,
        };
    }

    private static TimeToEvent? RelapseAfter(InfusionSession last, int? baseline, IReadOnlyList<PainPoint> later, double fraction)
    {
        var end = last.DrugEndedAt!.Value;
        var lastScore = last.Observations.ActiveValues.Where(o => o.PainNrs is not null).MaxBy(o => o.At)?.PainNrs;
        if (baseline is not { } b || b == 0 || lastScore is not { } l || l > fraction * b)
        {
            return null;
        }

        foreach (var p in later)
        {
            if (p.Nrs > fraction * b)
            {
                return new TimeToEvent((p.At - end).TotalDays, true);
            }
        }

        return new TimeToEvent(later.Count == 0 ? 0 : (later[^1].At - end).TotalDays, false);
    }
}

/// <summary>Who a course's patient is, shown only in the identified view.</summary>
/// <param name="MedicalRecordNumber">The clinic's record number.</param>
/// <param name="FamilyName">Family name.</param>
/// <param name="GivenName">Given name.</param>
public sealed record CourseIdentity(string MedicalRecordNumber, string FamilyName, string GivenName);

/// <summary>A rate in a group, with its Wilson interval.</summary>
/// <param name="Group">The group's key (a protocol id, an indication, a dose level, a Cmax band).</param>
/// <param name="Rate">Count, total and 95 % interval.</param>
public sealed record GroupRate(string Group, Proportion Rate);

/// <summary>Dissociation and adverse-event rates of the sessions whose predicted plasma Cmax lies in a band.</summary>
/// <param name="LowNgPerMl">Lower edge (inclusive), ng/mL.</param>
/// <param name="HighNgPerMl">Upper edge (exclusive), ng/mL; infinity for the last band.</param>
/// <param name="Dissociation">Sessions with CADSS above the alert threshold.</param>
/// <param name="AdverseEvent">Sessions with any adverse event.</param>
public sealed record CmaxBand(double LowNgPerMl, double HighNgPerMl, Proportion Dissociation, Proportion AdverseEvent);

/// <summary>One course on the exposure–response chart.</summary>
/// <param name="Pseudonym">The course.</param>
/// <param name="Exposure">Mean AUC (ng·h/mL) or dose (mg/kg) per session.</param>
/// <param name="ReliefPercent">Course reduction from baseline, %.</param>
public sealed record ExposurePoint(string Pseudonym, double Exposure, double ReliefPercent);

/// <summary>The clinic analytics of the courses a filter selects.</summary>
/// <param name="Filter">The filter applied.</param>
/// <param name="Settings">The settings used.</param>
/// <param name="CadssAbove">The CADSS alert threshold used for dissociation.</param>
/// <param name="Courses">Courses selected.</param>
/// <param name="Axis">Exposure measure of the exposure–response analysis.</param>
/// <param name="Points">Courses with an exposure and a course reduction.</param>
/// <param name="Fit">The Emax fit of relief on exposure, or why there is none.</param>
/// <param name="ByProtocol">Responder rate (≥ 30 %) by protocol.</param>
/// <param name="ByIndication">Responder rate by indication.</param>
/// <param name="ByDoseLevel">Responder rate by the highest dose level of the course.</param>
/// <param name="ByCmax">Dissociation and adverse-event rates by predicted plasma Cmax.</param>
/// <param name="Relapse">Kaplan–Meier estimate of time from the end of a course to relapse, among courses that ended with relief.</param>
public sealed record AnalyticsReport(
    AnalyticsFilter Filter,
    AnalyticsSettings Settings,
    int CadssAbove,
    IReadOnlyList<CourseFacts> Courses,
    ExposureAxis Axis,
    IReadOnlyList<ExposurePoint> Points,
    Outcome<EmaxFit> Fit,
    IReadOnlyList<GroupRate> ByProtocol,
    IReadOnlyList<GroupRate> ByIndication,
    IReadOnlyList<GroupRate> ByDoseLevel,
    IReadOnlyList<CmaxBand> ByCmax,
    KaplanMeierCurve Relapse)
{
    /// <summary>
    /// Record number and name of each selected course's patient by pseudonym, in the identified view only (a physician's
    /// stated reason, audited); null in the de-identified view, the default.
    /// </summary>
    public IReadOnlyDictionary<string, CourseIdentity>? Identities { get; init; }

    /// <summary>Sessions in the selected courses.</summary>
    public int Sessions => Courses.Sum(c => c.Sessions.Count);

    /// <summary>Responder rate of all selected courses with a responder status.</summary>
    public Proportion Responders => Rate(Courses.Where(c => c.Responder is not null), c => c.Responder == true);

    /// <summary>Days after which the relapse-free share falls to or below <paramref name="share"/>; null when it does not within the data.</summary>
    public double? RelapseFreeUntil(double share) => Relapse.Steps.FirstOrDefault(s => s.Events > 0 && s.Survival <= share)?.Time;

    internal static Proportion Rate<T>(IEnumerable<T> items, Func<T, bool> success)
    {
        var list = items.ToList();
        return Proportion.Wilson(list.Count(success), list.Count);
    }
}

/// <summary>Computes the clinic analytics: pure functions of the course facts.</summary>
public static class ClinicAnalytics
{
    /// <summary>
    /// Edges of the Cmax bands, ng/mL: the analgesia band 70–160, the top of the dissociation band 250 and the bottom
    /// of the anaesthesia band 1,200 (Zanos 2018, <see cref="ConcentrationBands"/>).
    /// </summary>
    public static IReadOnlyList<double> CmaxEdges { get; } =
        [0, ConcentrationBands.AcuteAnalgesia.LowNgPerMl, ConcentrationBands.AcuteAnalgesia.HighNgPerMl, ConcentrationBands.Dissociation.HighNgPerMl, ConcentrationBands.Anaesthesia.LowNgPerMl, double.PositiveInfinity];

    /// <summary>Analyses the courses <paramref name="filter"/> selects.</summary>
    /// <param name="courses">Every course's facts.</param>
    /// <param name="filter">Which courses.</param>
    /// <param name="axis">Exposure measure for the exposure–response fit.</param>
    /// <param name="settings">Settings used to build the facts (reported with the result).</param>
    /// <param name="cadssAbove">The CADSS alert threshold used to build the facts.</param>
    public static AnalyticsReport Analyse(IEnumerable<CourseFacts> courses, AnalyticsFilter filter, ExposureAxis axis, AnalyticsSettings settings, int cadssAbove)
    {
        ArgumentNullException.ThrowIfNull(courses);
        ArgumentNullException.ThrowIfNull(filter);
        var selected = courses.Where(filter.Includes).ToList();
        var points = selected
            .Where(c => c.ReductionPercent is not null && c.Sessions.Count > 0)
            .Select(c => new ExposurePoint(c.Pseudonym, axis == ExposureAxis.PlasmaAuc ? c.Sessions.Average(s => s.PlasmaAuc) : c.Sessions.Average(s => s.DoseMgPerKg), c.ReductionPercent!.Value))
            .Where(p => double.IsFinite(p.Exposure))
            .ToList();
        var fit = EmaxFit.Fit([.. points.Select(p => (p.Exposure, p.ReliefPercent))]);
        var withStatus = selected.Where(c => c.Responder is not null).ToList();
        var sessions = selected.SelectMany(c => c.Sessions).ToList();
        var bands = new List<CmaxBand>();
        for (var i = 0; i + 1 < CmaxEdges.Count; i++)
        {
            double lo = CmaxEdges[i], hi = CmaxEdges[i + 1];
            var inBand = sessions.Where(s => s.PlasmaCmax >= lo && s.PlasmaCmax < hi).ToList();
            bands.Add(new CmaxBand(lo, hi, AnalyticsReport.Rate(inBand.Where(s => s.MaxCadss is not null), s => s.Dissociated), AnalyticsReport.Rate(inBand, s => s.AdverseEvent)));
        }

        return new AnalyticsReport(
            filter,
            settings,
            cadssAbove,
            selected,
            axis,
            points,
            fit,
            ByGroup(withStatus, c => c.ProtocolId),
            ByGroup(withStatus, c => c.Indication?.ToString() ?? "unknown"),
            ByGroup(withStatus, c => c.TopDoseLevel ?? "unknown"),
            bands,
            KaplanMeierCurve.Estimate(selected.Where(c => c.Relapse is not null).Select(c => c.Relapse!.Value)));
    }

    private static List<GroupRate> ByGroup(IEnumerable<CourseFacts> courses, Func<CourseFacts, string> key) =>
        [.. courses.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new GroupRate(g.Key, AnalyticsReport.Rate(g, c => c.Responder == true)))];

    /// <summary>"C-0001" for the first course.</summary>
    public static string Pseudonym(int index) => string.Create(CultureInfo.InvariantCulture, $"C-{index + 1:0000}");
}
