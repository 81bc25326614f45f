using KetaCare.Clinic.Users;

namespace KetaCare.Web.Tests.Matrix;

internal sealed class FhirRoutes : IRouteCases
{
    private static readonly string[] Clinical = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.Auditor];

    public IEnumerable<RouteCase> Cases =>
    [
        new("GET", "/fhir/Patient/{patient}", Clinical),
        new("GET", "/fhir/Patient/{patient}/$everything", Clinical),
        new("GET", "/fhir/Observation?patient={patient}", Clinical),
        new("GET", "/fhir/MedicationAdministration?patient={patient}", Clinical),
        new("GET", "/fhir/Encounter/{session}", Clinical),
        new("GET", "/fhir/Encounter?patient={patient}", Clinical),
        new("GET", "/fhir/AuditEvent?patient={patient}", [ClinicRoles.Auditor]),
    ];
}
