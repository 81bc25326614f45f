using System.Globalization;
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
/// The read side of KetaCare's FHIR R4 interface: <c>Patient/{id}/$everything</c>, <c>Patient/{id}</c>,
/// <c>Observation?patient={id}</c>, <c>MedicationAdministration?patient={id}</c> and the CapabilityStatement that
/// describes exactly those. Charts are read through <see cref="PatientService"/>, <see cref="TreatmentService"/> and
/// <see cref="SessionService"/>, so every export is an audited read of the patient's record under the given user.
/// A refusal (<see cref="Outcome{T}.Error"/>) always means the patient was not found (HTTP 404). One instance per unit
/// of work, over one <see cref="KetaCareDbContext"/>; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock: running infusions are counted up to now, consents are checked for today.</param>
public sealed class FhirExporter(KetaCareDbContext db, TimeProvider clock)
{
    /// <summary>The resource types <see cref="EverythingAsync"/> writes.</summary>
    public static IReadOnlyList<string> ExportedTypes { get; } =
        ["Patient", "Condition", "Observation", "MedicationStatement", "Consent", "MedicationRequest", "CarePlan", "Device", "MedicationAdministration", "AdverseEvent", "AuditEvent"];

    /// <summary>Parses a patient id from a URL segment (a GUID); false for anything else.</summary>
    public static bool TryParseId(string? text, out PatientId id)
    {
        var ok = Guid.TryParse(text, CultureInfo.InvariantCulture, out var g) && g != Guid.Empty;
        id = ok ? new PatientId(g) : default;
        return ok;
    }

    /// <summary>
    /// Everything about one patient as a searchset Bundle (the <c>$everything</c> operation): the patient, conditions,
    /// weights and heights, outcome measures, prior treatments and medications, consents, plans (MedicationRequest and
    /// CarePlan), sessions (pump Device, one MedicationAdministration per rate segment, observations, adverse events)
    /// and the patient's audit log entries.
    /// </summary>
    /// <param name="id">The patient.</param>
    /// <param name="by">Who reads (audited).</param>
    /// <param name="baseUrl">The server's base URL for the entries' fullUrl (e.g. <c>https://clinic.example/fhir</c>); null writes no fullUrl.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<Outcome<Bundle>> EverythingAsync(PatientId id, UserId by, string? baseUrl = null, CancellationToken cancellationToken = default)
    {
        var chart = await LoadAsync(id, by, cancellationToken).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return chart.Refusal;
        }

        var (patient, plans, sessions) = chart.Value;
        db.RecordRead(id, "audit", "*", "audit log exported");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var audit = await db.AuditEvents.AsNoTracking().Where(a => a.PatientId == id).OrderBy(a => a.Sequence).ToListAsync(cancellationToken).ConfigureAwait(false);

        var now = clock.GetUtcNow();
        var resources = new List<Resource> { FhirMapper.ToPatient(patient) };
        resources.AddRange(FhirMapper.Conditions(patient));
        resources.AddRange(FhirMapper.ChartObservations(patient));
        resources.AddRange(FhirMapper.MedicationStatements(patient));
        resources.AddRange(FhirMapper.Consents(patient, DateOnly.FromDateTime(now.UtcDateTime)));
        foreach (var plan in plans)
        {
            resources.Add(FhirMapper.ToMedicationRequest(plan));
            resources.Add(FhirMapper.ToCarePlan(plan));
        }

        foreach (var s in sessions)
        {
            if (FhirMapper.Pump(s) is { } pump)
            {
                resources.Add(pump);
            }

            resources.AddRange(FhirMapper.Administrations(s, now));
            resources.AddRange(FhirMapper.SessionObservations(s));
            resources.AddRange(FhirMapper.AdverseEvents(s));
        }

        resources.AddRange(audit.Select(FhirMapper.ToAuditEvent));
        return Outcome<Bundle>.Ok(SearchSet(resources, baseUrl, now, r => r is Hl7.Fhir.Model.Patient));
    }

    /// <summary>The Patient resource (an audited chart read).</summary>
    public async Task<Outcome<Hl7.Fhir.Model.Patient>> ReadPatientAsync(PatientId id, UserId by, CancellationToken cancellationToken = default)
    {
        var chart = await new PatientService(db, clock).OpenChartAsync(id, by, cancellationToken).ConfigureAwait(false);
        return chart.IsSuccess ? Outcome<Hl7.Fhir.Model.Patient>.Ok(FhirMapper.ToPatient(chart.Value)) : chart.Refusal;
    }

    /// <summary>Every Observation of the patient (chart measurements, outcome measures, session observations) as a searchset Bundle.</summary>
    public async Task<Outcome<Bundle>> SearchObservationsAsync(PatientId id, UserId by, string? baseUrl = null, CancellationToken cancellationToken = default)
    {
        var chart = await LoadAsync(id, by, cancellationToken).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return chart.Refusal;
        }

        var (patient, _, sessions) = chart.Value;
        var observations = FhirMapper.ChartObservations(patient).Concat(sessions.SelectMany(FhirMapper.SessionObservations));
        return Outcome<Bundle>.Ok(SearchSet(observations, baseUrl, clock.GetUtcNow(), _ => true));
    }

    /// <summary>Every MedicationAdministration of the patient (one per rate segment or single dose) as a searchset Bundle.</summary>
    public async Task<Outcome<Bundle>> SearchMedicationAdministrationsAsync(PatientId id, UserId by, string? baseUrl = null, CancellationToken cancellationToken = default)
    {
        if (!await db.Patients.AnyAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false))
        {
            return Refusal.NotFound("patient", id);
        }

        var sessions = await new SessionService(db, clock).ForPatientAsync(id, by, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        return Outcome<Bundle>.Ok(SearchSet(sessions.SelectMany(s => FhirMapper.Administrations(s, now)), baseUrl, now, _ => true));
    }

    /// <summary>
    /// The server's CapabilityStatement: FHIR R4 (4.0.1), JSON, read of Patient, <c>Patient/$everything</c>, and search
    /// by <c>patient</c> of Observation and MedicationAdministration — exactly what this class serves.
    /// </summary>
    /// <param name="baseUrl">The server's base URL; the statement's url is <c>{baseUrl}/metadata</c>.</param>
    /// <param name="date">The statement's date (usually the build or start time).</param>
    public static CapabilityStatement Capabilities(string baseUrl, DateTimeOffset date)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseUrl);
        static CapabilityStatement.SearchParamComponent PatientParam(string target) => new()
        {
            Name = "patient",
            Definition = "http://hl7.org/fhir/SearchParameter/clinical-patient",
            Type = SearchParamType.Reference,
            Documentation = $"The patient's id: every {target} of that patient.",
        };

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
            Format = ["json"],
            Rest =
            [
                new CapabilityStatement.RestComponent
                {
                    Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                    Resource =
                    [
                        new CapabilityStatement.ResourceComponent
                        {
                            Type = "Patient",
                            Interaction = [new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read }],
                            Operation = [new CapabilityStatement.OperationComponent { Name = "everything", Definition = "http://hl7.org/fhir/OperationDefinition/Patient-everything" }],
                        },
                        new CapabilityStatement.ResourceComponent
                        {
                            Type = "Observation",
                            Interaction = [new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.SearchType }],
                            SearchParam = [PatientParam("Observation")],
                        },
                        new CapabilityStatement.ResourceComponent
                        {
                            Type = "MedicationAdministration",
                            Interaction = [new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.SearchType }],
                            SearchParam = [PatientParam("MedicationAdministration")],
                        },
                    ],
                },
            ],
        };
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

    private static Bundle SearchSet(IEnumerable<Resource> resources, string? baseUrl, DateTimeOffset now, Func<Resource, bool> isMatch)
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
            Total = entries.Count(e => e.Search!.Mode == Bundle.SearchEntryMode.Match),
            Entry = entries,
        };
    }
}
