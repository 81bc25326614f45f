using KetaCare.Clinic.Sessions;
using Route = KetaCare.Pharmacology.Models.Route;

namespace KetaCare.Web.Pages.Sessions;

/// <summary>English labels of the session's coded values: keys of <c>Strings</c>, through which the pages translate them.</summary>
public static class SessionLabels
{
    /// <summary>CTCAE v5 grade meanings (1 mild … 5 death related to the adverse event).</summary>
    /// <remarks>
    /// Resource names ignore case, so the lower-case "mild" shares no key with the capitalised "Mild" of a contraindication's
    /// severity: the first three carry the "|sentence" context (their English text is the part before the bar).
    /// </remarks>
    public static IReadOnlyList<(int Grade, string Label)> Grades { get; } =
    [
        (1, "mild|sentence"),
        (2, "moderate|sentence"),
        (3, "severe|sentence"),
        (4, "life-threatening"),
        (5, "death"),
    ];

    /// <summary>Every label, for the translation test.</summary>
    public static IEnumerable<string> All =>
        Enum.GetValues<AdverseEventType>().Select(Of)
            .Concat(Enum.GetValues<AdverseEventAction>().Select(Of))
            .Concat(Enum.GetValues<AdverseEventOutcome>().Select(Of))
            .Concat(Enum.GetValues<Route>().Select(Of))
            .Concat(Enum.GetValues<SessionState>().Select(Of))
            .Concat(Grades.Select(g => g.Label));

    /// <summary>The label of an adverse event type.</summary>
    public static string Of(AdverseEventType type) => type switch
    {
        AdverseEventType.PsychomimeticOrDissociation => "Psychomimetic effects or dissociation",
        AdverseEventType.NauseaVomiting => "Nausea or vomiting",
        AdverseEventType.Hypertension => "Hypertension",
        AdverseEventType.Tachycardia => "Tachycardia",
        AdverseEventType.Sedation => "Excess sedation",
        AdverseEventType.RespiratoryDepression => "Respiratory depression or desaturation",
        AdverseEventType.DiplopiaNystagmus => "Diplopia or nystagmus",
        AdverseEventType.VividDreams => "Vivid dreams",
        AdverseEventType.Hepatotoxicity => "Hepatotoxicity (liver test rise)",
        AdverseEventType.UrinaryTract => "Lower-urinary-tract symptoms",
        _ => "Other adverse event",
    };

    /// <summary>The label of an action taken.</summary>
    public static string Of(AdverseEventAction action) => action switch
    {
        AdverseEventAction.None => "No action",
        AdverseEventAction.RateReduced => "Rate reduced",
        AdverseEventAction.Paused => "Infusion paused",
        AdverseEventAction.Stopped => "Infusion stopped",
        _ => "Treatment given",
    };

    /// <summary>The label of an adverse event's outcome.</summary>
    public static string Of(AdverseEventOutcome outcome) => outcome switch
    {
        AdverseEventOutcome.Resolved => "Resolved",
        AdverseEventOutcome.Resolving => "Resolving",
        AdverseEventOutcome.NotResolved => "Not resolved",
        AdverseEventOutcome.ResolvedWithSequelae => "Resolved with sequelae",
        AdverseEventOutcome.Fatal => "Fatal",
        _ => "Unknown",
    };

    /// <summary>The label of a route.</summary>
    public static string Of(Route route) => route switch
    {
        Route.Intravenous => "Intravenous",
        Route.Intramuscular => "Intramuscular",
        Route.Subcutaneous => "Subcutaneous",
        Route.Intranasal => "Intranasal",
        Route.Sublingual => "Sublingual",
        Route.Oral => "Oral",
        _ => "Rectal",
    };

    /// <summary>The label of a session state.</summary>
    public static string Of(SessionState state) => state switch
    {
        SessionState.Scheduled => "Scheduled",
        SessionState.PreAssessment => "Pre-assessment",
        SessionState.Running => "Running",
        SessionState.Paused => "Paused",
        SessionState.Completed => "Completed",
        SessionState.StoppedEarly => "Stopped early",
        SessionState.Recovery => "Recovery",
        SessionState.Discharged => "Discharged",
        _ => "Cancelled",
    };

    /// <summary>The badge colour of a state.</summary>
    public static string BadgeClass(SessionState state) => state switch
    {
        SessionState.Running => "ok",
        SessionState.Paused or SessionState.StoppedEarly => "warn",
        SessionState.Cancelled => "bad",
        _ => string.Empty,
    };
}
