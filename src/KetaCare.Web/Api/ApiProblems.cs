using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KetaCare.Web.Api;

/// <summary>
/// RFC 7807 problem responses of the API. The clinic services refuse with one sentence that starts with the field it
/// is about ("weight: 600 kg is outside the accepted range 0.3–500 kg."); that prefix becomes the key of the
/// validation problem's <c>errors</c>, so a client can show the message next to its field. Unknown ids are 404 and a
/// change against an older version is 409 — both recognised from the services' fixed wording.
/// </summary>
internal static partial class ApiProblems
{
    /// <summary>The key of an error that names no field.</summary>
    public const string RequestKey = "request";

    /// <summary>A service refusal as 404 (unknown id), 409 (stale version) or 400 (everything else, keyed by field).</summary>
    public static IResult Refused(string error, IDictionary<string, object?>? extensions = null)
    {
        if (NotFound().IsMatch(error))
        {
            return TypedResults.Problem(detail: error, statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }

        // Conflicts.Check and Conflicts.SaveAsync in KetaCare.Clinic: the only refusals that say this; a record number
        // already taken conflicts with the stored state the same way.
        return error.Contains("changed by someone else", StringComparison.Ordinal) || error.EndsWith(" is already registered.", StringComparison.Ordinal)
            ? TypedResults.Problem(detail: error, statusCode: StatusCodes.Status409Conflict, title: "Changed by someone else; nothing was saved")
            : Invalid([error], extensions);
    }

    /// <summary>A 400 validation problem listing every error under the field it names.</summary>
    public static ValidationProblem Invalid(IReadOnlyCollection<string> errors, IDictionary<string, object?>? extensions = null)
    {
        var byField = errors
            .GroupBy(FieldOf, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        return TypedResults.ValidationProblem(byField, detail: errors.First(), title: "The request was refused; nothing was saved", extensions: extensions);
    }

    /// <summary>404 for an id that matches nothing.</summary>
    public static ProblemHttpResult NotFound(string what, Guid id) =>
        TypedResults.Problem(detail: $"{what} {id:D}: not found.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

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
