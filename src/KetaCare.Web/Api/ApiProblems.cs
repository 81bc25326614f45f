using System.Text.RegularExpressions;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Findings;
using KetaCare.Interop.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KetaCare.Web.Api;

/// <summary>
/// RFC 7807 problem responses of the API. A coded refusal chooses its status from its codes — 403 for <see cref="FindingCodes.AnalyticsIdentifyNotPermitted"/>, 404 for
/// <see cref="FindingCodes.NotFound"/>, 409 for <see cref="FindingCodes.VersionConflict"/>, <see cref="FindingCodes.UniqueConflict"/>,
/// <see cref="FindingCodes.RecordNumberTaken"/>, <see cref="FindingCodes.ReviewAlreadyDone"/>, <see cref="FindingCodes.ProtocolExists"/> and the scheduling conflicts (a double-booked chair or patient, a full day, a taken chair name) (conflicts with the stored state), 400 otherwise — and carries
/// its findings as the <c>findings</c> extension (code, severity, parameters, source, English text) so a client can
/// translate them. A refusal not yet coded is one sentence that starts with the field it is about ("weight: 600 kg is
/// outside the accepted range 0.3–500 kg."); that prefix becomes the key of the validation problem's <c>errors</c>.
/// </summary>
internal static partial class ApiProblems
{
    /// <summary>A service refusal: status from its codes when coded, else from its wording.</summary>
    public static IResult Refused(Refusal refusal, IDictionary<string, object?>? extensions = null)
    {
        if (refusal.Findings.Count == 0)
        {
            return Refused(refusal.Error, extensions);
        }

        var text = FindingText.Render(refusal.Findings, refusal.Error, CultureInfo.InvariantCulture);
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>(), StringComparer.Ordinal)
        {
            ["findings"] = refusal.Findings.Select(FindingView.From).ToList(),
        };
        if (refusal.Findings.Any(f => f.Code == FindingCodes.AnalyticsIdentifyNotPermitted))
        {
            return TypedResults.Problem(detail: text, statusCode: StatusCodes.Status403Forbidden, title: "Not permitted", extensions: all);
        }

        if (refusal.Findings.Any(f => f.Code == FindingCodes.PortalNotLinked))
        {
            return TypedResults.Problem(detail: text, statusCode: StatusCodes.Status403Forbidden, title: "Not a patient account", extensions: all);
        }

        // Another patient's session answers as an unknown one: its existence is not the patient's to learn.
        if (refusal.Findings.Any(f => f.Code is FindingCodes.NotFound or FindingCodes.PortalSessionNotOwn))
        {
            return TypedResults.Problem(detail: text, statusCode: StatusCodes.Status404NotFound, title: "Not found", extensions: all);
        }

        if (refusal.Findings.Any(f => f.Code is FindingCodes.VersionConflict or FindingCodes.UniqueConflict or FindingCodes.RecordNumberTaken or FindingCodes.ReviewAlreadyDone or FindingCodes.ProtocolExists
            or FindingCodes.ScheduleChairDoubleBooked or FindingCodes.SchedulePatientDoubleBooked or FindingCodes.ScheduleCapacityExceeded or FindingCodes.ScheduleChairNameTaken))
        {
            return TypedResults.Problem(detail: text, statusCode: StatusCodes.Status409Conflict, title: "Changed by someone else; nothing was saved", extensions: all);
        }

        var byField = refusal.Findings
            .GroupBy(f => f.Arg("field")?.Text ?? f.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => FindingText.Render(f, CultureInfo.InvariantCulture)).ToArray(), StringComparer.Ordinal);
        return TypedResults.ValidationProblem(byField, detail: text, title: "The request was refused; nothing was saved", extensions: all);
    }

    /// <summary>The key of an error that names no field.</summary>
    public const string RequestKey = "request";

    /// <summary>
    /// A refusal not yet coded, as 404 (an unknown id worded "… {id}: not found.") or 400 (everything else, keyed by
    /// field). Every conflict with the stored state is coded, so its 409 comes from its code, never from its wording.
    /// </summary>
    public static IResult Refused(string error, IDictionary<string, object?>? extensions = null)
    {
        if (NotFound().IsMatch(error))
        {
            return TypedResults.Problem(detail: error, statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }

        return Invalid([error], extensions);
    }

    /// <summary>A 400 validation problem listing every error under the field it names.</summary>
    public static ValidationProblem Invalid(IReadOnlyCollection<string> errors, IDictionary<string, object?>? extensions = null)
    {
        var byField = errors
            .GroupBy(FieldOf, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        return TypedResults.ValidationProblem(byField, detail: errors.First(), title: "The request was refused; nothing was saved", extensions: extensions);
    }

    /// <summary>404 for an id that matches nothing, coded as the services code it (<see cref="FindingCodes.NotFound"/>).</summary>
    public static IResult NotFound(string what, Guid id) => Refused(Refusal.NotFound(what, id.ToString("D")));

    /// <summary>"weight: …" → "weight"; "condition 3f2…: …" → "condition"; a sentence with no field prefix → "request".</summary>
    internal static string FieldOf(string error)
    {
        var colon = error.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0 || colon > 60)
        {
            return RequestKey;
        }

        var prefix = WithId().Replace(error[..colon], string.Empty).Trim();
        return prefix.Length == 0 || prefix.Contains(". ", StringComparison.Ordinal) ? RequestKey : prefix;
    }

    // "patient 1b4e…: not found." — PatientService, TreatmentService and SessionService word it this way.
    [GeneratedRegex("^[a-z]+ [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}: not found\\.$", RegexOptions.CultureInvariant)]
    private static partial Regex NotFound();

    [GeneratedRegex(" [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex WithId();
}

/// <summary>A coded finding as the API returns it.</summary>
/// <param name="Code">Stable code, e.g. "vital.spo2-low".</param>
/// <param name="Severity">HardStop, NeedsOverride, Warning or Info.</param>
/// <param name="Parameters">Named parameters: numbers with their units, or tokens.</param>
/// <param name="Source">Where the rule comes from, when it has a source.</param>
/// <param name="Text">The finding in English.</param>
public sealed record FindingView(string Code, FindingSeverity Severity, IReadOnlyDictionary<string, object?> Parameters, string? Source, string Text)
{
    internal static FindingView From(Finding f) => new(
        f.Code,
        f.Severity,
        // A number that is not finite (a reading that was missing) is sent as null: JSON has no NaN.
        f.Args.ToDictionary(a => a.Name, a => a.Number is { } n ? (object?)new { value = double.IsFinite(n) ? n : (double?)null, unit = a.Unit } : a.Text, StringComparer.Ordinal),
        f.Source?.ToString(),
        FindingText.Render(f, CultureInfo.InvariantCulture));
}
