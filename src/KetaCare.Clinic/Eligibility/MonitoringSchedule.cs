using KetaCare.Clinic.Patients;

namespace KetaCare.Clinic.Eligibility;

/// <summary>Where an investigation stands for the patient's current course.</summary>
public enum MonitoringStatus
{
    /// <summary>Done for this course and still within its interval.</summary>
    Done,

    /// <summary>Needed by the course's start (or before the first course), which has not passed.</summary>
    Due,

    /// <summary>Needed by a date that has passed.</summary>
    Overdue,
}

/// <summary>Why an investigation is needed.</summary>
public enum MonitoringReason
{
    /// <summary>Liver risk on the chart (hepatic disease).</summary>
    LiverRisk,

    /// <summary>The course is frequent or high-dose.</summary>
    IntensiveCourse,

    /// <summary>A repeated course (the second or later).</summary>
    RepeatedCourse,

    /// <summary>Cardiovascular disease, hypertension or cardiovascular risk on the chart.</summary>
    CardiacHistory,

    /// <summary>A long course.</summary>
    LongCourse,
}

/// <summary>A course as the schedule sees it: when it starts (its first session, or the day prescribed), how many sessions it has, whether it is frequent or high-dose, and whether it is still open.</summary>
/// <param name="StartsOn">First session's date, or the prescription date while none is booked.</param>
/// <param name="Sessions">Sessions booked or given (not cancelled).</param>
/// <param name="Intensive">Frequent or high-dose by the eligibility settings.</param>
/// <param name="Open">True while the plan is active.</param>
public sealed record MonitoringCourse(DateOnly StartsOn, int Sessions, bool Intensive, bool Open);

/// <summary>One investigation on the schedule.</summary>
/// <param name="Kind">Which investigation.</param>
/// <param name="Reason">Why it is needed.</param>
/// <param name="Status">Done, due or overdue.</param>
/// <param name="DueOn">The date it is needed by (the course's start, or the end of the last result's interval); null before the first course is booked.</param>
/// <param name="LastDoneOn">Date of the latest result, when any.</param>
/// <param name="Source">Where the requirement comes from.</param>
public sealed record MonitoringItem(InvestigationKind Kind, MonitoringReason Reason, MonitoringStatus Status, DateOnly? DueOn, DateOnly? LastDoneOn, Source Source);

/// <summary>
/// The monitoring schedule of one patient: which investigations the current course needs and whether each is done,
/// due or overdue. A liver panel before a course with liver risk or frequent or high-dose infusions (Cohen 2018) and
/// before every repeated course (hepatotoxicity with repeated infusions, Noppers 2011), repeated while a course runs;
/// an ECG before a course when the chart has cardiac history (Cohen 2018); a urinary screen on repeated or long courses
/// (the label's lower urinary tract symptoms with chronic use). Intervals and counts are settings
/// (<see cref="InvestigationSettings"/>). Pure.
/// </summary>
public static class MonitoringSchedule
{
    /// <summary>The items the current (latest) course needs, as of <paramref name="today"/>; an empty list when nothing is needed.</summary>
    /// <param name="patient">The chart.</param>
    /// <param name="courses">The patient's courses, any order; the latest start is the current course.</param>
    /// <param name="today">The date the schedule is read on.</param>
    /// <param name="settings">Intervals and counts; <see cref="InvestigationSettings.Default"/> when null.</param>
    public static IReadOnlyList<MonitoringItem> For(PatientSnapshot patient, IReadOnlyList<MonitoringCourse> courses, DateOnly today, InvestigationSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(courses);
        settings ??= InvestigationSettings.Default;
        var ordered = courses.OrderBy(c => c.StartsOn).ToList();
        var current = ordered.LastOrDefault();
        var number = ordered.Count;
        var items = new List<MonitoringItem>();

        MonitoringReason? liver = patient.Findings.Any(f => f.Kind == FindingKind.HepaticDisease) ? MonitoringReason.LiverRisk
            : number >= 2 && (number - 1) % Math.Max(1, settings.LiverPanelEveryCourses) == 0 ? MonitoringReason.RepeatedCourse
            : current is { Intensive: true } ? MonitoringReason.IntensiveCourse
            : null;
        if (liver is { } lr)
        {
            var source = lr == MonitoringReason.RepeatedCourse ? InvestigationSettings.LiverSource : Source.Cohen2018;
            items.Add(Item(InvestigationKind.LiverPanel, lr, source, patient.LatestLiverPanel?.CollectedOn, current, today, settings.LiverPanelValidDays, repeatWhileOpen: true));
        }

        if (patient.Findings.Any(f => f.Kind is FindingKind.CardiovascularDisease or FindingKind.Hypertension or FindingKind.CardiovascularRisk))
        {
            items.Add(Item(InvestigationKind.Ecg, MonitoringReason.CardiacHistory, InvestigationSettings.EcgSource, patient.LatestEcg?.RecordedOn, current, today, settings.EcgValidDays, repeatWhileOpen: false));
        }

        MonitoringReason? urinary = number >= 2 ? MonitoringReason.RepeatedCourse
            : current is { } c && c.Sessions >= settings.LongCourseSessions ? MonitoringReason.LongCourse
            : null;
        if (urinary is { } ur)
        {
            items.Add(Item(InvestigationKind.UrinaryScreen, ur, InvestigationSettings.UrinarySource, patient.LatestUrinarySymptoms?.CompletedOn, current, today, settings.UrinaryScreenValidDays, repeatWhileOpen: true));
        }

        return items;
    }

    private static MonitoringItem Item(InvestigationKind kind, MonitoringReason reason, Source source, DateOnly? last, MonitoringCourse? course, DateOnly today, int validDays, bool repeatWhileOpen)
    {
        // Before any course is booked the investigation is due "before the first course", without a date.
        if (course is null)
        {
            return new(kind, reason, last is { } d && d.AddDays(validDays) >= today ? MonitoringStatus.Done : MonitoringStatus.Due, null, last, source);
        }

        var countsForCourse = last is { } done && done.AddDays(validDays) >= course.StartsOn && done <= today;
        if (!countsForCourse)
        {
            return new(kind, reason, course.StartsOn < today ? MonitoringStatus.Overdue : MonitoringStatus.Due, course.StartsOn, last, source);
        }

        // Done for this course; while the course runs, a result older than its interval is needed again.
        var next = last!.Value.AddDays(validDays);
        return repeatWhileOpen && course.Open && next < today
            ? new(kind, reason, MonitoringStatus.Overdue, next, last, source)
            : new(kind, reason, MonitoringStatus.Done, course.Open && repeatWhileOpen ? next : null, last, source);
    }
}
