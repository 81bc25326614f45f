using KetaCare.Clinic.Users;

namespace KetaCare.Web.Tests.Matrix;

/// <summary>The REST API under /api/v1: every endpoint with the roles of its policy, POSTs with a well-formed body.</summary>
internal sealed class ApiRoutes : IRouteCases
{
    private static readonly string[] ReadClinical = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.Auditor];
    private static readonly string[] RecordPatient = [ClinicRoles.Physician, ClinicRoles.Nurse];
    private static readonly string[] Screen = [ClinicRoles.Physician, ClinicRoles.Nurse];
    private static readonly string[] Prescribe = [ClinicRoles.Physician];
    private static readonly string[] RecordSession = [ClinicRoles.Nurse];
    private static readonly string[] Schedule = [ClinicRoles.Nurse, ClinicRoles.Physician];
    private static readonly string[] ReadStock = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.Auditor, ClinicRoles.StockKeeper];
    private static readonly string[] RecordStock = [ClinicRoles.Physician, ClinicRoles.Nurse];
    private static readonly string[] KeepStock = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.StockKeeper];
    private const string NoSuchId = "00000000-0000-0000-0000-0000000000aa";

    private const string ProposedPlan = """{"protocolId":"outpatient-seed","modelId":"domino1984","preparationId":"bag-1","startDose":{"value":0.5,"unit":"mg/kg/h"}}""";

    public IEnumerable<RouteCase> Cases =>
    [
        new("GET", "/api/v1/antiforgery", []),
        new("GET", "/api/v1/patients?search=DEMO", ReadClinical),
        new("GET", "/api/v1/patients/{patient}", ReadClinical),
        new("POST", "/api/v1/patients", RecordPatient, Json: """{"medicalRecordNumber":"MATRIX-1","givenName":"Ada","familyName":"Matrix","birthDate":"1980-02-03","sex":"Female"}"""),
        new("POST", "/api/v1/patients/{patient}/weights", RecordPatient, Json: """{"expectedVersion":1,"weight":{"value":70,"unit":"kg"}}"""),
        new("POST", "/api/v1/patients/{patient}/liver-panels", RecordPatient, Json: """{"expectedVersion":1,"collectedOn":"2026-01-02","alt":{"value":30,"unit":"U/L"}}"""),
        new("POST", "/api/v1/patients/{patient}/ecgs", RecordPatient, Json: """{"expectedVersion":1,"recordedOn":"2026-01-02","rhythm":"Sinus","interpretation":"Normal"}"""),
        new("PUT", "/api/v1/patients/{patient}/contact", RecordPatient, Json: """{"expectedVersion":1,"email":"not-an-address"}"""),
        new("POST", "/api/v1/patients/{patient}/urinalyses", RecordPatient, Json: """{"expectedVersion":1,"collectedOn":"2026-01-02","blood":"Negative","leukocytes":"Negative"}"""),
        new("POST", "/api/v1/patients/{patient}/assessments", Screen, Json: """{"conditionId":"00000000-0000-0000-0000-000000000001"}"""),
        new("GET", "/api/v1/patients/{patient}/assessments", ReadClinical),
        new("POST", "/api/v1/assessments/{assessment}/review", Prescribe, Json: """{"approved":true,"reason":"matrix"}"""),
        new("GET", "/api/v1/patients/{patient}/plans", ReadClinical),
        new("GET", "/api/v1/plans/{plan}", ReadClinical),
        new("GET", "/api/v1/plans/{plan}/individualisation", ReadClinical),
        new("POST", "/api/v1/patients/{patient}/plans", Prescribe, Json: ProposedPlan),
        new("POST", "/api/v1/patients/{patient}/plans/preview", Prescribe, Json: ProposedPlan),
        new("GET", "/api/v1/sessions/{session}", ReadClinical),
        new("GET", "/api/v1/sessions/{session}/exposure", ReadClinical),
        new("GET", "/api/v1/patients/{patient}/sessions", ReadClinical),
        new("POST", "/api/v1/plans/{plan}/sessions", Schedule, Json: "{}"),
        new("POST", "/api/v1/sessions/{session}/observations", RecordSession, Json: """{"expectedVersion":1,"heartRate":72}"""),
        new("POST", "/api/v1/sessions/{session}/actions/pause", RecordSession, Json: """{"expectedVersion":1,"reason":"matrix"}"""),
        new("POST", "/api/v1/simulations", [], Json: """{"modelId":"domino1984","patient":{"weight":{"value":70,"unit":"kg"}},"doses":[{"amount":{"value":0.5,"unit":"mg/kg"}}],"until":{"value":1,"unit":"h"}}"""),
        new("GET", "/api/v1/models", []),
        new("POST", "/api/v1/imports/fhir/preview", RecordPatient, Json: """{"resourceType":"Bundle","type":"collection"}"""),
        new("POST", "/api/v1/imports/fhir", RecordPatient, Json: """{"resourceType":"Bundle","type":"collection"}"""),
        new("GET", "/api/v1/stock/products", ReadStock),
        new("POST", "/api/v1/stock/products", KeepStock, Json: """{"name":"Matrix 50 mg/mL","concentration":{"value":50,"unit":"mg/mL"},"vialVolume":{"value":10,"unit":"mL"}}"""),
        new("GET", "/api/v1/stock/locations", ReadStock),
        new("POST", "/api/v1/stock/locations", KeepStock, Json: """{"name":"Matrix safe","kind":"Safe"}"""),
        new("GET", "/api/v1/stock/balances", ReadStock),
        new("GET", "/api/v1/stock/lots", ReadStock),
        new("POST", $"/api/v1/stock/lots/{NoSuchId}/hold", KeepStock, Json: """{"hold":"Quarantined","reason":"matrix"}"""),
        new("GET", "/api/v1/stock/sessions/{session}/custody", ReadStock),
        new("GET", "/api/v1/stock/register", ReadStock),
        new("GET", "/api/v1/stock/discrepancies", ReadStock),
        new("POST", "/api/v1/stock/receipts", KeepStock, Json: "{}"),
        new("POST", "/api/v1/stock/transfers", KeepStock, Json: "{}"),
        new("POST", "/api/v1/stock/draws", RecordStock, Json: "{}"),
        new("POST", "/api/v1/stock/preparations", RecordStock, Json: "{}"),
        new("POST", "/api/v1/stock/wastes", KeepStock, Json: "{}"),
        new("POST", "/api/v1/stock/returns", KeepStock, Json: "{}"),
        new("POST", "/api/v1/stock/counts", KeepStock, Json: "{}"),
        new("POST", $"/api/v1/stock/discrepancies/{NoSuchId}/investigation", KeepStock, Json: """{"expectedVersion":1,"note":"matrix"}"""),
        new("POST", $"/api/v1/stock/discrepancies/{NoSuchId}/resolution", KeepStock, Json: """{"expectedVersion":1,"resolution":"matrix","adjust":false}"""),
        new("GET", "/api/v1/settings/investigations", []),
        new("GET", "/api/v1/analytics?protocol=outpatient-seed", [ClinicRoles.Physician, ClinicRoles.Admin]),
        new("POST", "/api/v1/analytics/identified", [ClinicRoles.Physician], Json: """{"reason":"matrix"}"""),
        new("GET", "/api/v1/settings/analytics", [ClinicRoles.Physician, ClinicRoles.Admin]),
        new("PUT", "/api/v1/settings/analytics", [ClinicRoles.Admin], Json: """{"expectedVersion":0,"relapseFraction":2,"reason":"matrix"}"""),
        new("PUT", "/api/v1/settings/investigations", [ClinicRoles.Admin], Json: """{"expectedVersion":0,"values":{"altUpper":40},"reason":"matrix"}"""),
    ];
}
