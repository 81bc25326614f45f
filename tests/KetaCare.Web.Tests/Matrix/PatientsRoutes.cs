using KetaCare.Clinic.Users;

namespace KetaCare.Web.Tests.Matrix;

/// <summary>
/// The patient pages: list, registration, chart, chart entries, screening, plans and outcomes. POSTs carry values the
/// pages refuse (blank or out of range), so an allowed role gets the form back with an error and nothing is stored.
/// </summary>
internal sealed class PatientsRoutes : IRouteCases
{
    private static readonly string[] Readers = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.Auditor];
    private static readonly string[] Recorders = [ClinicRoles.Physician, ClinicRoles.Nurse];
    private static readonly string[] Physician = [ClinicRoles.Physician];

    public IEnumerable<RouteCase> Cases =>
    [
        new("GET", "/Patients", Readers),
        new("GET", "/Patients?q=DEMO", Readers),
        new("GET", "/Patients/New", Recorders),
        new("POST", "/Patients/New", Recorders, new() { ["Demographics.RecordNumber"] = string.Empty, ["WeightKg"] = "900" }),
        new("GET", "/Patients/Import", Recorders),
        new("POST", "/Patients/Import?handler=Preview", Recorders, new() { ["Bundle"] = string.Empty }),
        new("POST", "/Patients/Import?handler=Apply", Recorders, new() { ["Bundle"] = "{}" }),
        new("GET", "/Patients/{patient}", Readers),
        new("GET", "/Patients/{patient}/Record", Recorders),
        new("GET", "/Patients/{patient}/Record?kind=demographics", Recorders),
        new("POST", "/Patients/{patient}?handler=Contact", Recorders, new() { ["version"] = "1", ["contactEmail"] = "not-an-address" }),
        new("POST", "/Patients/{patient}/Record?handler=Demographics", Recorders, new() { ["Version"] = "1", ["Kind"] = "demographics" }),
        new("POST", "/Patients/{patient}/Record?handler=Weight", Recorders, new() { ["Version"] = "1", ["Weight.Kg"] = "900" }),
        new("POST", "/Patients/{patient}/Record?handler=Condition", Recorders, new() { ["Version"] = "1", ["Condition.Code"] = "not-a-code" }),
        new("POST", "/Patients/{patient}/Record?handler=Treatment", Recorders, new() { ["Version"] = "1" }),
        new("POST", "/Patients/{patient}/Record?handler=Medication", Recorders, new() { ["Version"] = "1" }),
        new("POST", "/Patients/{patient}/Record?handler=Allergy", Recorders, new() { ["Version"] = "1" }),
        new("POST", "/Patients/{patient}/Record?handler=NoKnownAllergies", Recorders, new() { ["Version"] = "1" }),
        new("POST", "/Patients/{patient}/Record?handler=Liver", Recorders, new() { ["Version"] = "1" }),
        new("POST", "/Patients/{patient}/Record?handler=Ecg", Recorders, new() { ["Version"] = "1" }),
        new("POST", "/Patients/{patient}/Record?handler=Urinalysis", Recorders, new() { ["Version"] = "1" }),
        new("POST", "/Patients/{patient}/Record?handler=Urinary", Recorders, new() { ["Version"] = "1" }),
        new("POST", "/Patients/{patient}/Record?handler=Finding", Recorders, new() { ["Version"] = "1" }),
        new("POST", "/Patients/{patient}/Record?handler=Pregnancy", Recorders, new() { ["Version"] = "1" }),
        new("POST", "/Patients/{patient}/Record?handler=Consent", Recorders, new() { ["Version"] = "1" }),
        new("POST", "/Patients/{patient}/Record?handler=EnteredInError", Recorders, new() { ["Version"] = "1", ["Kind"] = "weight", ["Entry"] = Guid.Empty.ToString(), ["Reason"] = string.Empty }),
        new("GET", "/Patients/{patient}/Screen", Recorders),
        new("GET", "/Patients/{patient}/Screen?assessment={assessment}", Recorders),
        new("POST", "/Patients/{patient}/Screen", Recorders, new() { ["ConditionId"] = string.Empty }),
        new("POST", "/Patients/{patient}/Screen?handler=Review&assessment={assessment}", Physician, new() { ["Approved"] = string.Empty }),
        new("GET", "/Patients/{patient}/Plan/New", Physician),
        new("GET", "/Patients/{patient}/Plan/New?ProtocolId=outpatient-seed", Physician),
        new("GET", "/Patients/{patient}/Plan/New?handler=Chart&ProtocolId=outpatient-seed", Physician),
        new("POST", "/Patients/{patient}/Plan/New", Physician, new() { ["ProtocolId"] = "no-such-protocol" }),
        new("GET", "/Plans/{plan}", Readers),
        new("GET", "/Plans/{plan}?handler=Chart", Readers),
        new("POST", "/Plans/{plan}?handler=Accept", Physician, new() { ["Version"] = "0" }),
        new("POST", "/Plans/{plan}?handler=Override", Physician, new() { ["Version"] = "0", ["Dose"] = string.Empty }),
        new("POST", "/Plans/{plan}?handler=Schedule", Recorders, new() { ["Date"] = string.Empty }),
        new("GET", "/Patients/{patient}/Outcomes", Readers),
        new("GET", "/Patients/{patient}/Outcomes?handler=Chart", Readers),
        new("POST", "/Patients/{patient}/Outcomes?handler=FollowUp", Recorders, new() { ["Version"] = "1", ["Nrs"] = "11" }),
        new("POST", "/Patients/{patient}/Outcomes?handler=Bpi", Recorders, new() { ["Version"] = "1" }),
        new("POST", "/Patients/{patient}/Outcomes?handler=Pgic", Recorders, new() { ["Version"] = "1", ["Pgic"] = "9" }),
    ];
}
