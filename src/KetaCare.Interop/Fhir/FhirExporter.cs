using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;
using DomainPatient = KetaCare.Clinic.Patients.Patient;

namespace KetaCare.Interop.Fhir;

/// <summary>
/// The read side of KetaCare's FHIR R4 interface: <c>Patient/{id}/$everything</c>, a read of every exported resource,
/// searches (<see cref="FhirSearch"/>) of Observation, MedicationAdministration and Encounter, the patient's audit log as
/// AuditEvents (for auditors, never inside <c>$everything</c>) and the CapabilityStatement that describes exactly those.
/// Charts are read through <see cref="PatientService"/>, <see cref="TreatmentService"/> and <see cref="SessionService"/>,
/// so every export, read and search is an audited read of the patient's record under the given user. A refusal
/// (<see cref="Outcome{T}.Error"/>) always means the patient or resource was not found (HTTP 404). One instance per
/// unit of work, over one <see cref="KetaCareDbContext"/>; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock: running infusions are counted up to now, consents are checked for today.</param>
public sealed partial class FhirExporter(KetaCareDbContext db, TimeProvider clock)
{
    /// <summary>The resource types <see cref="EverythingAsync"/> writes; each can be read by type and id (<see cref="ReadAsync"/>).</summary>
    public static IReadOnlyList<string> ExportedTypes { get; } =
        ["Patient", "Condition", "Observation", "MedicationStatement", "AllergyIntolerance", "DiagnosticReport", "Consent", "MedicationRequest", "CarePlan", "Encounter", "Device", "MedicationAdministration", "AdverseEvent", "Practitioner"];

    /// <summary>Parses a patient id from a URL segment (a GUID); false for anything else.</summary>
    public static bool TryParseId(string? text, out PatientId id)
    {
        var ok = Guid.TryParse(text, CultureInfo.InvariantCulture, out var g) && g != Guid.Empty;
        id = ok ? new PatientId(g) : default;
        return ok;
    }

    /// <summary>
    /// Everything clinical about one patient as a searchset Bundle (the <c>$everything</c> operation): the patient,
    /// conditions, weights and heights, outcome measures, prior treatments and medications, consents, plans
    /// (MedicationRequest and CarePlan), sessions (Encounter, pump Device, one MedicationAdministration per rate segment,
    /// observations, adverse events) and the Practitioners who acted. The audit log is not part of it: it is the
    /// auditor's, searched as AuditEvent with <see cref="SearchAsync"/> (the HTTP face serves it to the Auditor role only).
    /// </summary>
    /// <param name="id">The patient.</param>
    /// <param name="by">Who reads (audited).</param>
    /// <param name="baseUrl">The server's base URL for the entries' fullUrl (e.g. <c>https://clinic.example/fhir</c>); null writes no fullUrl.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<Outcome<Bundle>> EverythingAsync(PatientId id, UserId by, string? baseUrl = null, CancellationToken cancellationToken = default)
    {
        var resources = await ResourcesAsync(id, by, cancellationToken).ConfigureAwait(false);
        return resources.IsSuccess
            ? Outcome<Bundle>.Ok(SearchSet(resources.Value, baseUrl, clock.GetUtcNow(), r => r is Hl7.Fhir.Model.Patient, resources.Value.Count(r => r is Hl7.Fhir.Model.Patient)))
            : resources.Refusal;
    }

    /// <summary>The Patient resource (an audited chart read).</summary>
    public async Task<Outcome<Hl7.Fhir.Model.Patient>> ReadPatientAsync(PatientId id, UserId by, CancellationToken cancellationToken = default)
    {
        var chart = await new PatientService(db, clock).OpenChartAsync(id, by, cancellationToken).ConfigureAwait(false);
        return chart.IsSuccess ? Outcome<Hl7.Fhir.Model.Patient>.Ok(FhirMapper.ToPatient(chart.Value)) : chart.Refusal;
    }

    /// <summary>
    /// Reads one resource of <see cref="ExportedTypes"/> by its id — the target of every fullUrl KetaCare writes. The
    /// record's patient is found from the id, and the resource is taken from that patient's export, so a read shows exactly
    /// what <c>$everything</c> shows (and is audited the same way). A Practitioner is read from the staff directory.
    /// </summary>
    public async Task<Outcome<Resource>> ReadAsync(string type, string id, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(id);
        if (!ExportedTypes.Contains(type, StringComparer.Ordinal))
        {
            return Refusal.NotFound("resource type", type);
        }

        if (type == "Practitioner")
        {
            var known = Guid.TryParse(id, CultureInfo.InvariantCulture, out var user) ? await PractitionersAsync([new UserId(user)], cancellationToken).ConfigureAwait(false) : [];
            return known.Count == 1 ? Outcome<Resource>.Ok(known[0]) : Refusal.NotFound("Practitioner", id);
        }

        if (await OwnerAsync(id, cancellationToken).ConfigureAwait(false) is not { } patient)
        {
            return Refusal.NotFound(type, id);
        }

        var resources = await ResourcesAsync(patient, by, cancellationToken).ConfigureAwait(false);
        if (!resources.IsSuccess)
        {
            return resources.Refusal;
        }

        return resources.Value.FirstOrDefault(r => r.TypeName == type && r.Id == id) is { } found ? Outcome<Resource>.Ok(found) : Refusal.NotFound(type, id);
    }

    /// <summary>
    /// A search (<see cref="FhirSearch"/>) as a searchset Bundle: the page's matches sorted by clinical time then id, the
    /// total number of matches, and self, first and (when more follow) next links under <paramref name="baseUrl"/>.
    /// </summary>
    public async Task<Outcome<Bundle>> SearchAsync(FhirSearch search, UserId by, string? baseUrl = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        IReadOnlyList<Resource> pool;
        if (search.ResourceType == "AuditEvent")
        {
            var audit = await AuditAsync(search.Patient, cancellationToken).ConfigureAwait(false);
            if (!audit.IsSuccess)
            {
                return audit.Refusal;
            }

            pool = audit.Value;
        }
        else
        {
            var resources = await ResourcesAsync(search.Patient, by, cancellationToken).ConfigureAwait(false);
            if (!resources.IsSuccess)
            {
                return resources.Refusal;
            }

            pool = resources.Value;
        }

        var matches = pool.Where(search.Matches)
            .OrderBy(r => FhirSearch.ClinicalTime(r)?.Start ?? DateTimeOffset.MinValue)
            // Audit events recorded at the same instant keep the chain's order: "audit-99" before "audit-100".
            .ThenBy(r => r is Hl7.Fhir.Model.AuditEvent ? r.Id?.Length ?? 0 : 0)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        var page = matches.Skip(search.Offset).Take(search.Count).ToList();
        var root = baseUrl?.TrimEnd('/');
        var bundle = SearchSet(page, baseUrl, clock.GetUtcNow(), _ => true, matches.Count);
        if (root is not null)
        {
            string Link(FhirSearch s) => $"{root}/{search.ResourceType}?{s.ToQuery()}";
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "self", Url = Link(search) });
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "first", Url = Link(search.AtOffset(0)) });
            if (search.Offset + page.Count < matches.Count)
            {
                bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = Link(search.AtOffset(search.Offset + search.Count)) });
            }

            if (search.Offset > 0)
            {
                bundle.Link.Add(new Bundle.LinkComponent { Relation = "previous", Url = Link(search.AtOffset(search.Offset - search.Count)) });
            }
        }

        return Outcome<Bundle>.Ok(bundle);
    }

    /// <summary>
    /// The server's CapabilityStatement: FHIR R4 (4.0.1), JSON and XML, read of every exported type,
    /// <c>Patient/$everything</c>, and the searches of <see cref="FhirSearch.Parameters"/> with their parameters — exactly
    /// what this class serves, so a client can rely on every parameter it finds here.
    /// </summary>
    /// <param name="baseUrl">The server's base URL; the statement's url is <c>{baseUrl}/metadata</c>.</param>
    /// <param name="date">The statement's date (usually the build or start time).</param>
    public static CapabilityStatement Capabilities(string baseUrl, DateTimeOffset date)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseUrl);
        static CapabilityStatement.SearchParamComponent Param(string name, SearchParamType type, string? definition, string resourceType) => new()
        {
            Name = name,
            Definition = definition,
            Type = type,
            Documentation = name switch
            {
                "patient" => $"Required: the patient's id (GUID or Patient/GUID); every {resourceType} of that patient.",
                "code" => "system|code, |code, code or system|; commas for alternatives.",
                "_count" => string.Create(CultureInfo.InvariantCulture, $"Page size 1–{FhirSearch.MaxCount} (default {FhirSearch.DefaultCount}); the Bundle's next link pages on."),
                "_offset" => "Matches skipped before the page (the paging links carry it).",
                _ => "Prefixes eq, ne, gt, lt, ge, le; a date (YYYY-MM-DD) or a date-time with its zone; repeat for \"and\", commas for \"or\".",
            },
        };

        var resources = ExportedTypes.Order(StringComparer.Ordinal).Append("AuditEvent").Select(type =>
        {
            var r = new CapabilityStatement.ResourceComponent { Type = type };
            if (type != "AuditEvent")
            {
                r.Interaction.Add(new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read });
            }

            if (FhirSearch.Parameters.TryGetValue(type, out var own))
            {
                r.Interaction.Add(new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.SearchType });
                r.SearchParam = [.. FhirSearch.CommonParameters.Select(p => Param(p.Name, p.Type, p.Definition, type)).Concat(own.Select(p => Param(p.Name, p.Type, p.Definition, type)))];
            }

            if (type == "Patient")
            {
                r.Operation = [new CapabilityStatement.OperationComponent { Name = "everything", Definition = "http://hl7.org/fhir/OperationDefinition/Patient-everything" }];
            }

            if (type == "AuditEvent")
            {
                r.Documentation = "The patient's audit log, for the Auditor role only; not part of Patient/$everything.";
            }

            return r;
        });

        return new CapabilityStatement
        {
            Status = PublicationStatus.Active,
            DateElement = new FhirDateTime(date),
            Kind = CapabilityStatementKind.Capability,
            // Kind "capability" with the base URL in the statement's own url (base/metadata): kind "instance" needs an
            // implementation element, whose description the SDK's shared conformance model types as R5's markdown,
            // which R4 validation rejects.
            Url = baseUrl.TrimEnd('/') + "/metadata",
            Name = "KetaCareFhirR4",
            Description = "KetaCare FHIR R4 interface (read-only) at " + baseUrl.TrimEnd('/'),
            Software = new CapabilityStatement.SoftwareComponent { Name = "KetaCare" },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["json", "xml"],
            Rest =
            [
                new CapabilityStatement.RestComponent
                {
                    Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                    Resource = [.. resources],
                },
            ],
        };
    }

    // Every resource of the patient's record, as EverythingAsync returns it: an audited chart read.
    private async Task<Outcome<IReadOnlyList<Resource>>> ResourcesAsync(PatientId id, UserId by, CancellationToken ct)
    {
        var chart = await LoadAsync(id, by, ct).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return chart.Refusal;
        }

        var (patient, plans, sessions) = chart.Value;
        var now = clock.GetUtcNow();
        var (investigations, _) = await new SettingsService(db, clock).InvestigationSettingsAsync(ct).ConfigureAwait(false);
        var resources = new List<Resource> { FhirMapper.ToPatient(patient) };
        resources.AddRange(FhirMapper.Conditions(patient));
        resources.AddRange(FhirMapper.ChartObservations(patient));
        resources.AddRange(FhirMapper.InvestigationObservations(patient, investigations));
        resources.AddRange(FhirMapper.ImportedVitalSignObservations(patient));
        resources.AddRange(FhirMapper.LiverPanelReports(patient));
        resources.AddRange(FhirMapper.MedicationStatements(patient));
        resources.AddRange(FhirMapper.Allergies(patient));
        resources.AddRange(FhirMapper.Consents(patient, DateOnly.FromDateTime(now.UtcDateTime)));
        foreach (var plan in plans)
        {
            resources.Add(FhirMapper.ToMedicationRequest(plan));
            resources.Add(FhirMapper.ToCarePlan(plan));
        }

        foreach (var s in sessions)
        {
            resources.Add(FhirMapper.ToEncounter(s));
            if (FhirMapper.Pump(s) is { } pump)
            {
                resources.Add(pump);
            }

            var custody = await new StockService(db, clock, new StaffDirectory(db, clock)).LabelsAsync(s.Id, ct).ConfigureAwait(false);
            resources.AddRange(FhirMapper.Administrations(s, now, custody));
            resources.AddRange(FhirMapper.SessionObservations(s));
            resources.AddRange(FhirMapper.AdverseEvents(s));
        }

        var references = resources.SelectMany(UserReferences).ToList();
        var practitioners = await PractitionersAsync([.. references.Select(r => r.User).Distinct()], ct).ConfigureAwait(false);
        var known = practitioners.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (reference, user) in references.Where(r => known.Contains(r.User.ToString())))
        {
            // A literal reference only where the Practitioner exists, so every reference KetaCare writes resolves; a
            // user id without an account (a CLI run under an id that was never registered) stays a logical reference.
            reference.Reference = "Practitioner/" + user;
        }

        resources.AddRange(practitioners);
        return Outcome<IReadOnlyList<Resource>>.Ok(resources);
    }

    private async Task<Outcome<IReadOnlyList<Resource>>> AuditAsync(PatientId id, CancellationToken ct)
    {
        if (!await db.Patients.AnyAsync(p => p.Id == id, ct).ConfigureAwait(false))
        {
            return Refusal.NotFound("patient", id);
        }

        db.RecordRead(id, "audit", "*", "audit log exported");
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        var audit = await db.AuditEvents.AsNoTracking().Where(a => a.PatientId == id).OrderBy(a => a.Sequence).ToListAsync(ct).ConfigureAwait(false);
        return Outcome<IReadOnlyList<Resource>>.Ok([.. audit.Select(FhirMapper.ToAuditEvent)]);
    }

    private async Task<List<Practitioner>> PractitionersAsync(IReadOnlyCollection<UserId> ids, CancellationToken ct)
    {
        var guids = ids.Select(i => i.Value).ToList();
        var users = await db.Users.AsNoTracking().Where(u => guids.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName, u.CreatedAt }).ToListAsync(ct).ConfigureAwait(false);
        return [.. users.OrderBy(u => u.Id).Select(u => FhirMapper.ToPractitioner(new UserId(u.Id), u.DisplayName, u.CreatedAt))];
    }

    // The patient whose record holds the resource with this id. Every id KetaCare writes carries the GUID of its record:
    // the patient, a plan, a session, or a chart or session entry. Entries live inside their patient's or session's
    // document, and a GUID is unique, so a text match on the documents finds the owner; the read then takes the resource
    // from that patient's export, which confirms it.
    private async Task<PatientId?> OwnerAsync(string id, CancellationToken ct)
    {
        if (RecordGuid().Match(id) is not { Success: true } m || !Guid.TryParse(m.Value, CultureInfo.InvariantCulture, out var g))
        {
            return null;
        }

        var patient = new PatientId(g);
        if (await db.Patients.AnyAsync(p => p.Id == patient, ct).ConfigureAwait(false))
        {
            return patient;
        }

        var plan = new PlanId(g);
        var session = new SessionId(g);
        var owner = await db.Plans.AsNoTracking().Where(p => p.Id == plan).Select(p => (PatientId?)p.PatientId).FirstOrDefaultAsync(ct).ConfigureAwait(false)
            ?? await db.Sessions.AsNoTracking().Where(s => s.Id == session).Select(s => (PatientId?)s.PatientId).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (owner is not null)
        {
            return owner;
        }

        var text = m.Value;
        return await db.Patients.AsNoTracking().Where(p => p.Document.Contains(text)).Select(p => (PatientId?)p.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false)
            ?? await db.Sessions.AsNoTracking().Where(s => s.Document.Contains(text)).Select(s => (PatientId?)s.PatientId).FirstOrDefaultAsync(ct).ConfigureAwait(false);
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.CultureInvariant)]
    private static partial Regex RecordGuid();

    // The references to KetaCare users anywhere inside a resource (Firely's element enumeration, depth first).
    private static IEnumerable<(ResourceReference Reference, UserId User)> UserReferences(Base element)
    {
        if (element is ResourceReference { Identifier.System: FhirCodes.UserSystem, Identifier.Value: { } value } reference && Guid.TryParse(value, CultureInfo.InvariantCulture, out var user))
        {
            yield return (reference, new UserId(user));
        }

        foreach (var (_, child) in element.EnumerateElements())
        {
            var children = child switch
            {
                Base one => [one],
                IEnumerable<Base> many => many,
                _ => [],
            };
            foreach (var c in children)
            {
                foreach (var found in UserReferences(c))
                {
                    yield return found;
                }
            }
        }
    }

    private async Task<Outcome<(DomainPatient Patient, IReadOnlyList<TreatmentPlan> Plans, IReadOnlyList<InfusionSession> Sessions)>> LoadAsync(PatientId id, UserId by, CancellationToken ct)
    {
        var chart = await new PatientService(db, clock).OpenChartAsync(id, by, ct).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return chart.Refusal;
        }

        var plans = await new TreatmentService(db, clock).PlansAsync(id, by, ct).ConfigureAwait(false);
        var sessions = await new SessionService(db, clock).ForPatientAsync(id, by, ct).ConfigureAwait(false);
        return Outcome<(DomainPatient, IReadOnlyList<TreatmentPlan>, IReadOnlyList<InfusionSession>)>.Ok((chart.Value, plans, sessions));
    }

    private static Bundle SearchSet(IEnumerable<Resource> resources, string? baseUrl, DateTimeOffset now, Func<Resource, bool> isMatch, int total)
    {
        var root = baseUrl?.TrimEnd('/');
        var entries = resources.Select(r => new Bundle.EntryComponent
        {
            FullUrl = root is null ? null : $"{root}/{r.TypeName}/{r.Id}",
            Resource = r,
            Search = new Bundle.SearchComponent { Mode = isMatch(r) ? Bundle.SearchEntryMode.Match : Bundle.SearchEntryMode.Include },
        }).ToList();
        return new Bundle
        {
            Type = Bundle.BundleType.Searchset,
            Timestamp = now,
            Total = total,
            Entry = entries,
        };
    }
}
