using KetaCare.Clinic.Sessions;
using Route = KetaCare.Pharmacology.Models.Route;

namespace KetaCare.Interop.Text;

/// <summary>English labels of coded values (session states, routes, adverse events, enum words): keys of <see cref="Strings"/>, through which pages and reports translate them.</summary>
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

    /// <summary>
    /// Why a rate segment started, in <paramref name="t"/>'s language: the session stores "start", "resume" or
    /// "rate change: " followed by the nurse's own reason, which stays as typed.
    /// </summary>
    public static string SegmentReason(string stored, Microsoft.Extensions.Localization.IStringLocalizer t)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(t);
        const string rateChange = "rate change: ";
        return stored switch
        {
            "start" => t["start|sentence"],
            "resume" => t["resume|segment"],
            _ when stored.StartsWith(rateChange, StringComparison.Ordinal) => t["rate change: {0}", stored[rateChange.Length..]],
            _ => stored,
        };
    }

    /// <summary>Display words of an enum value ("NotTolerated" → "Not tolerated"); the English key of its UI text.</summary>
    public static string Words(Enum value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var name = value.ToString();
        if (Irregular.TryGetValue(name, out var words))
        {
            return words;
        }

        return string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) && !char.IsUpper(name[i - 1]) ? " " + char.ToLowerInvariant(c) : c.ToString()));
    }

    private static readonly Dictionary<string, string> Irregular = new(StringComparer.Ordinal)
    {
        ["Cyp3A4Inhibitor"] = "CYP3A4 inhibitor",
        ["Cyp2B6Inhibitor"] = "CYP2B6 inhibitor",
        ["CypInducer"] = "CYP3A4/CYP2B6 inducer",
        ["Snri"] = "SNRI",
        ["NonOpioidAnalgesic"] = "Non-opioid analgesic",
        ["NonPharmacological"] = "Non-pharmacological",
        ["OffLabelKetamineForPain"] = "Off-label ketamine for pain",
        ["CnsDepressant"] = "CNS depressant",
        ["Ecg"] = "ECG",
        ["PreAssessment"] = "Pre-assessment",
        ["Plus1"] = "1+",
        ["Plus2"] = "2+",
        ["Plus3"] = "3+",
        ["AbnormalNotSignificant"] = "Abnormal, not clinically significant",
        ["AbnormalSignificant"] = "Abnormal, clinically significant",

        // Generic drug names are written in lower case, as in the drug catalogue's texts.
        ["Midazolam"] = "midazolam",
        ["Clonidine"] = "clonidine",
        ["Ondansetron"] = "ondansetron",
    };
}
