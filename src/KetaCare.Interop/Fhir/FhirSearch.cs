using System.Globalization;
using Hl7.Fhir.Model;
using KetaCare.Clinic;

namespace KetaCare.Interop.Fhir;

/// <summary>
/// One FHIR search request, parsed and checked against what KetaCare serves for the resource type: the patient (always
/// required, since every record belongs to one patient's chart), token search on <c>code</c> (<c>system|code</c>,
/// <c>|code</c>, <c>code</c>, <c>system|</c>; commas for "or"), date search with the prefixes eq, ne, gt, lt, ge and le
/// (repeat a parameter for "and"), <c>_lastUpdated</c>, and paging with <c>_count</c> (1–<see cref="MaxCount"/>, default
/// <see cref="DefaultCount"/>) and <c>_offset</c>. Any other parameter is refused, so a client never receives a result
/// that silently ignored part of its question. <c>_format</c> is accepted and left to the HTTP face. Immutable.
/// </summary>
public sealed record FhirSearch
{
    /// <summary>Page size when <c>_count</c> is not given.</summary>
    public const int DefaultCount = 50;

    /// <summary>Largest page a client may ask for.</summary>
    public const int MaxCount = 500;

    /// <summary>The search parameters each searchable type supports beside <see cref="CommonParameters"/>, with the FHIR R4 definition of each.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(string Name, SearchParamType Type, string Definition)>> Parameters { get; } =
        new Dictionary<string, IReadOnlyList<(string, SearchParamType, string)>>(StringComparer.Ordinal)
        {
            ["Observation"] = [("code", SearchParamType.Token, "http://hl7.org/fhir/SearchParameter/clinical-code"), ("date", SearchParamType.Date, "http://hl7.org/fhir/SearchParameter/clinical-date")],
            ["MedicationAdministration"] = [("code", SearchParamType.Token, "http://hl7.org/fhir/SearchParameter/medications-code"), ("effective-time", SearchParamType.Date, "http://hl7.org/fhir/SearchParameter/MedicationAdministration-effective-time")],
            ["Encounter"] = [("date", SearchParamType.Date, "http://hl7.org/fhir/SearchParameter/clinical-date")],
            ["AuditEvent"] = [("date", SearchParamType.Date, "http://hl7.org/fhir/SearchParameter/AuditEvent-date")],
        };

    /// <summary>The parameters every search takes: patient, _lastUpdated, _count, _offset (and _format, for the HTTP face).</summary>
    public static IReadOnlyList<(string Name, SearchParamType Type, string? Definition)> CommonParameters { get; } =
    [
        ("patient", SearchParamType.Reference, "http://hl7.org/fhir/SearchParameter/clinical-patient"),
        ("_lastUpdated", SearchParamType.Date, "http://hl7.org/fhir/SearchParameter/Resource-lastUpdated"),
        ("_count", SearchParamType.Number, null),
        ("_offset", SearchParamType.Number, null),
    ];

    private FhirSearch(string type, PatientId patient)
    {
        ResourceType = type;
        Patient = patient;
    }

    /// <summary>The searched type.</summary>
    public string ResourceType { get; }

    /// <summary>The patient whose records are searched.</summary>
    public PatientId Patient { get; }

    /// <summary>Token alternatives of <c>code</c>; empty for "any".</summary>
    public IReadOnlyList<(string? System, string? Code)> Codes { get; private init; } = [];

    /// <summary>Date conditions on the resource's clinical time (all must hold; each is an "or" of its alternatives).</summary>
    public IReadOnlyList<IReadOnlyList<DateCondition>> Dates { get; private init; } = [];

    /// <summary>Date conditions on meta.lastUpdated.</summary>
    public IReadOnlyList<IReadOnlyList<DateCondition>> LastUpdated { get; private init; } = [];

    /// <summary>Page size, 1–<see cref="MaxCount"/>.</summary>
    public int Count { get; private init; } = DefaultCount;

    /// <summary>Matches skipped before this page, ≥ 0.</summary>
    public int Offset { get; private init; }

    /// <summary>A search of every record of one type of one patient, first page.</summary>
    public static FhirSearch ForPatient(string type, PatientId patient) => new(type, patient);

    /// <summary>
    /// Parses the query of <c>GET [base]/{type}?…</c>. Refuses, naming the parameter and what is allowed: a type that is not
    /// searched, an unknown parameter, a missing or malformed patient, a malformed code, date, count or offset.
    /// </summary>
    public static Outcome<FhirSearch> Parse(string type, IEnumerable<KeyValuePair<string, string>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!Parameters.TryGetValue(type, out var own))
        {
            return Outcome<FhirSearch>.Fail($"{type}: not searchable here; searchable types: {string.Join(", ", Parameters.Keys)}.");
        }

        var known = own.Select(p => p.Name).Concat(CommonParameters.Select(p => p.Name)).Append("_format").ToHashSet(StringComparer.Ordinal);
        var values = query.ToList();
        var problems = new List<string>();
        foreach (var name in values.Select(v => v.Key).Distinct(StringComparer.Ordinal).Where(n => !known.Contains(n)))
        {
            problems.Add($"{name}: not a supported search parameter of {type}; supported: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
        }

        IEnumerable<string> All(string name) => values.Where(v => v.Key == name).Select(v => v.Value);
        var patientTexts = All("patient").ToList();
        PatientId patient = default;
        if (patientTexts.Count != 1 || !TryPatient(patientTexts[0], out patient))
        {
            problems.Add("patient: exactly one patient id (a GUID, or Patient/<GUID>) is required.");
        }

        var codes = new List<(string?, string?)>();
        foreach (var token in All("code").SelectMany(v => v.Split(',')))
        {
            var bar = token.IndexOf('|', StringComparison.Ordinal);
            var (system, code) = bar < 0 ? ((string?)null, token) : (token[..bar], token[(bar + 1)..]);
            if ((system is null && code.Length == 0) || (system?.Length == 0 && code.Length == 0))
            {
                problems.Add($"code: \"{token}\" is empty; use system|code, |code, code or system|.");
                continue;
            }

            codes.Add((system, code.Length == 0 ? null : code));
        }

        var dateName = own.FirstOrDefault(p => p.Type == SearchParamType.Date).Name;
        var dates = ParseDates(dateName is null ? [] : All(dateName), dateName ?? string.Empty, problems);
        var updated = ParseDates(All("_lastUpdated"), "_lastUpdated", problems);
        var count = ParseNumber(All("_count").ToList(), "_count", 1, MaxCount, DefaultCount, problems);
        var offset = ParseNumber(All("_offset").ToList(), "_offset", 0, int.MaxValue, 0, problems);
        return problems.Count > 0
            ? Outcome<FhirSearch>.Fail(string.Join(" ", problems))
            : Outcome<FhirSearch>.Ok(new FhirSearch(type, patient) { Codes = codes, Dates = dates, LastUpdated = updated, Count = count, Offset = offset });
    }

    /// <summary>The same search at another offset (for paging links).</summary>
    public FhirSearch AtOffset(int offset) => this with { Offset = Math.Max(0, offset) };

    /// <summary>The query string of this search, parameters in a fixed order, for a Bundle's paging links.</summary>
    public string ToQuery()
    {
        var parts = new List<string> { "patient=" + Patient };
        if (Codes.Count > 0)
        {
            parts.Add("code=" + string.Join(",", Codes.Select(c => Uri.EscapeDataString(c.System is null ? c.Code! : c.System + "|" + c.Code))));
        }

        var dateName = Parameters[ResourceType].FirstOrDefault(p => p.Type == SearchParamType.Date).Name;
        parts.AddRange(Dates.Select(d => dateName + "=" + string.Join(",", d.Select(c => Uri.EscapeDataString(c.Text)))));
        parts.AddRange(LastUpdated.Select(d => "_lastUpdated=" + string.Join(",", d.Select(c => Uri.EscapeDataString(c.Text)))));
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"_count={Count}"));
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"_offset={Offset}"));
        return string.Join("&", parts);
    }

    /// <summary>True when <paramref name="resource"/> meets every condition (the patient is checked by whoever loads the records).</summary>
    public bool Matches(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.TypeName != ResourceType)
        {
            return false;
        }

        if (Codes.Count > 0 && !CodingsOf(resource).Any(c => Codes.Any(q => (q.System is null || q.System == (c.System ?? string.Empty)) && (q.Code is null || q.Code == c.Code))))
        {
            return false;
        }

        var when = ClinicalTime(resource);
        if (Dates.Any(alternatives => when is not { } range || !alternatives.Any(c => c.Holds(range))))
        {
            return false;
        }

        var updated = resource.Meta?.LastUpdated is { } at ? new TimeRange(at, at.AddSeconds(1)) : (TimeRange?)null;
        return !LastUpdated.Any(alternatives => updated is not { } range || !alternatives.Any(c => c.Holds(range)));
    }

    /// <summary>The time a resource is about, as a half-open range: an instant is one second, a date one day, an open period runs on.</summary>
    public static TimeRange? ClinicalTime(Resource resource) => resource switch
    {
        Observation o => Range(o.Effective),
        MedicationAdministration m => Range(m.Effective),
        Encounter e => Range(e.Period),
        Hl7.Fhir.Model.AuditEvent a => a.Recorded is { } at ? new TimeRange(at, at.AddSeconds(1)) : null,
        _ => null,
    };

    private static IEnumerable<Coding> CodingsOf(Resource resource) => resource switch
    {
        Observation o => o.Code?.Coding ?? [],
        MedicationAdministration m => (m.Medication as CodeableConcept ?? m.Contained.OfType<Medication>().FirstOrDefault(c => "#" + c.Id == (m.Medication as ResourceReference)?.Reference)?.Code)?.Coding ?? [],
        _ => [],
    };

    private static TimeRange? Range(DataType? value) => value switch
    {
        FhirDateTime dt => Instant(dt),
        Period p when Instant(p.StartElement) is { } start => new TimeRange(start.Start, Instant(p.EndElement)?.End ?? DateTimeOffset.MaxValue),
        _ => null,
    };

    private static TimeRange? Instant(FhirDateTime? dt)
    {
        if (dt?.Value is not { Length: >= 10 } text)
        {
            return null;
        }

        if (text.Length == 10)
        {
            return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? TimeRange.Day(d)
                : null;
        }

        return dt.TryToDateTimeOffset(out var at) ? new TimeRange(at, at.AddSeconds(1)) : null;
    }

    private static bool TryPatient(string text, out PatientId id)
    {
        var bare = text.StartsWith("Patient/", StringComparison.Ordinal) ? text["Patient/".Length..] : text;
        var ok = Guid.TryParse(bare, CultureInfo.InvariantCulture, out var g) && g != Guid.Empty;
        id = ok ? new PatientId(g) : default;
        return ok;
    }

    private static List<IReadOnlyList<DateCondition>> ParseDates(IEnumerable<string> texts, string name, List<string> problems)
    {
        var all = new List<IReadOnlyList<DateCondition>>();
        foreach (var text in texts)
        {
            var alternatives = new List<DateCondition>();
            foreach (var one in text.Split(','))
            {
                if (DateCondition.TryParse(one, out var condition))
                {
                    alternatives.Add(condition);
                }
                else
                {
                    problems.Add($"{name}: \"{one}\" is not a date search; use an optional prefix eq, ne, gt, lt, ge or le and a date (YYYY-MM-DD) or a date-time with its time zone.");
                }
            }

            all.Add(alternatives);
        }

        return all;
    }

    private static int ParseNumber(List<string> texts, string name, int min, int max, int fallback, List<string> problems)
    {
        if (texts.Count == 0)
        {
            return fallback;
        }

        if (texts.Count == 1 && int.TryParse(texts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        problems.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: one whole number from {min} to {max} is required."));
        return fallback;
    }
}

/// <summary>A half-open time range [<paramref name="Start"/>, <paramref name="End"/>).</summary>
/// <param name="Start">First instant inside.</param>
/// <param name="End">First instant after.</param>
public readonly record struct TimeRange(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>A whole UTC day.</summary>
    public static TimeRange Day(DateOnly day)
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return new TimeRange(start, start.AddDays(1));
    }
}

/// <summary>One date search value: a prefix and the range its value stands for (a date is a day, a date-time a second).</summary>
/// <param name="Prefix">eq, ne, gt, lt, ge or le.</param>
/// <param name="Value">The range the value stands for.</param>
/// <param name="Text">The value as the client wrote it (for paging links).</param>
public readonly record struct DateCondition(string Prefix, TimeRange Value, string Text)
{
    private static readonly string[] Prefixes = ["eq", "ne", "gt", "lt", "ge", "le"];

    /// <summary>Parses "ge2026-01-01", "2026-01-27T09:00:00Z", "lt2026-02-01"; false for anything else (sa, eb, ap are not served).</summary>
    public static bool TryParse(string text, out DateCondition condition)
    {
        condition = default;
        var prefix = text.Length > 2 && char.IsLetter(text[0]) ? text[..2] : "eq";
        var value = text.Length > 2 && char.IsLetter(text[0]) ? text[2..] : text;
        if (!Prefixes.Contains(prefix, StringComparer.Ordinal))
        {
            return false;
        }

        if (value.Length == 10 && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            condition = new DateCondition(prefix, TimeRange.Day(day), text);
            return true;
        }

        // A date-time must say its zone: a clinic's local time read as UTC would move every answer by hours.
        if (value.Length > 10 && (value.EndsWith('Z') || value[^6] is '+' or '-')
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            condition = new DateCondition(prefix, new TimeRange(at, at.AddSeconds(1)), text);
            return true;
        }

        return false;
    }

    /// <summary>FHIR R4 date comparison of the target's range with this value's range (search.html, "date").</summary>
    public bool Holds(TimeRange target)
    {
        var within = Value.Start <= target.Start && target.End <= Value.End;
        return Prefix switch
        {
            "eq" => within,
            "ne" => !within,
            "gt" => target.End > Value.End,
            "lt" => target.Start < Value.Start,
            "ge" => target.End > Value.End || within,
            _ => target.Start < Value.Start || within,
        };
    }
}
