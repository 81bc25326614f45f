using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace KetaCare.Interop.Fhir;

/// <summary>FHIR JSON in and out (Firely SDK 6 serializers, R4 model). Thread-safe.</summary>
public static class FhirJson
{
    private static readonly FhirJsonSerializer Serializer = new();

    /// <summary>The media type of FHIR JSON (for HTTP responses).</summary>
    public const string MediaType = "application/fhir+json";

    /// <summary>The resource as FHIR JSON (UTF-8 text).</summary>
    /// <param name="resource">Any resource: a Bundle, a Patient, a CapabilityStatement, an OperationOutcome.</param>
    /// <param name="pretty">Indented for people; compact for machines.</param>
    public static string Serialize(Resource resource, bool pretty = false)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Serializer.SerializeToString(resource, pretty);
    }

    /// <summary>
    /// Parses FHIR JSON strictly (unknown elements, wrong types and invalid primitive values are errors). On failure
    /// returns every problem with its path (e.g. <c>Bundle.entry[2].resource.birthDate</c>).
    /// </summary>
    public static Clinic.Outcome<Resource> Parse(string json, out IReadOnlyList<(string Path, string Message)> problems)
    {
        var deserializer = new FhirJsonDeserializer(new DeserializerSettings().UsingMode(DeserializationMode.Strict));
        try
        {
            if (deserializer.TryDeserializeResource(json, out var resource, out var issues) && resource is not null)
            {
                problems = [];
                return Clinic.Outcome<Resource>.Ok(resource);
            }

            problems = [.. issues.Select(i => (i is FhirJsonException f ? f.InstancePath ?? string.Empty : string.Empty, i.Message))];
        }
        catch (FhirJsonException e)
        {
            problems = [(e.InstancePath ?? string.Empty, e.Message)];
        }
        catch (System.Text.Json.JsonException e)
        {
            problems = [(string.Empty, "not JSON: " + e.Message)];
        }

        return Clinic.Outcome<Resource>.Fail("not valid FHIR R4 JSON: " + string.Join("; ", problems.Select(p => p.Path.Length > 0 ? $"{p.Path}: {p.Message}" : p.Message)));
    }

    /// <summary>An OperationOutcome with one error issue per message (what a FHIR endpoint returns for a refusal).</summary>
    /// <param name="code">The issue type: not-found, invalid, too-costly…</param>
    /// <param name="messages">The messages, each naming the field and the allowed value or range; optional FHIRPath expressions.</param>
    public static OperationOutcome Outcome(OperationOutcome.IssueType code, IEnumerable<(string Message, string? Expression)> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return new OperationOutcome
        {
            Issue = [.. messages.Select(m => new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = code,
                Diagnostics = m.Message,
                Expression = m.Expression is null ? [] : [m.Expression],
            })],
        };
    }
}
