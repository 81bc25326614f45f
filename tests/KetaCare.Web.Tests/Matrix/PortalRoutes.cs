using KetaCare.Clinic.Users;

namespace KetaCare.Web.Tests.Matrix;

/// <summary>
/// The patient portal: its pages, downloads and API for the Patient role only; the staff's side (tasks on the
/// dashboard, the invitation on the chart, the rules page, the staff API) for the clinic roles of each policy. POSTs
/// carry values the handlers refuse, so an allowed role gets an error back and nothing is stored.
/// </summary>
internal sealed class PortalRoutes : IRouteCases
{
    private static readonly string[] Patient = [ClinicRoles.Patient];
    private static readonly string[] Readers = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.Auditor];
    private static readonly string[] Recorders = [ClinicRoles.Physician, ClinicRoles.Nurse];
    private static readonly string[] Admin = [ClinicRoles.Admin];
    private const string NoSuchId = "00000000-0000-0000-0000-0000000000aa";

    public IEnumerable<RouteCase> Cases =>
    [
        new("GET", "/Portal", Patient),
        new("GET", "/Portal/Diary", Patient),
        new("POST", "/Portal/Diary?handler=Pain", Patient, new() { ["Nrs"] = "11" }),
        new("POST", "/Portal/Diary?handler=Amend", Patient, new() { ["Entry"] = NoSuchId, ["Nrs"] = "11" }),
        new("POST", "/Portal/Diary?handler=Pgic", Patient, new() { ["Pgic"] = "9" }),
        new("POST", "/Portal/Diary?handler=Bpi", Patient, new() { ["Worst"] = "11" }),
        new("GET", "/Portal/SideEffects", Patient),
        new("POST", "/Portal/SideEffects", Patient, new() { ["Kind"] = "Hiccups" }),
        new("POST", "/Portal/SideEffects?handler=Amend", Patient, new() { ["Entry"] = NoSuchId, ["Kind"] = "Hiccups" }),
        new("GET", "/Portal/Checklist/{session}", Patient),
        new("POST", "/Portal/Checklist/{session}", Patient, new() { ["Moment"] = "Never" }),
        new("POST", "/Portal/Checklist/{session}?handler=Amend", Patient, new() { ["Entry"] = NoSuchId, ["Fasted"] = "Maybe" }),
        new("GET", "/portal/record.pdf", Patient),
        new("GET", "/portal/record.fhir.json", Patient),
        new("GET", "/api/v1/portal", Patient),
        new("GET", "/api/v1/portal/antiforgery", Patient),
        new("POST", "/api/v1/portal/pain", Patient, Json: """{"at":"2026-03-02T09:15:00Z","nrs":11}"""),
        new("POST", "/api/v1/portal/pain/" + NoSuchId + "/amendments", Patient, Json: """{"expectedVersion":1,"at":"2026-03-02T09:15:00Z","nrs":11,"reason":"typo"}"""),
        new("POST", "/api/v1/portal/pgic", Patient, Json: """{"score":9}"""),
        new("POST", "/api/v1/portal/bpi", Patient, Json: """{"worst":11}"""),
        new("POST", "/api/v1/portal/side-effects", Patient, Json: """{"at":"2026-03-02T09:15:00Z"}"""),
        new("POST", "/api/v1/portal/side-effects/" + NoSuchId + "/amendments", Patient, Json: """{"expectedVersion":1,"at":"2026-03-02T09:15:00Z","kind":"Nausea","severity":"Mild"}"""),
        new("POST", "/api/v1/portal/checklists/" + NoSuchId + "/amendments", Patient, Json: """{"expectedVersion":1,"escortArranged":true}"""),
        new("POST", "/api/v1/portal/checklists", Patient, Json: """{"session":"00000000-0000-0000-0000-0000000000aa","moment":"DayOf","escortArranged":true}"""),
        new("POST", "/?handler=Task", Recorders, new() { ["TaskStep"] = "Sideways" }),
        new("POST", "/Patients/{patient}?handler=Invite", Recorders, new() { ["Unused"] = "1" }),
        new("GET", "/Admin/Portal", Admin),
        new("POST", "/Admin/Portal?handler=Rules", Admin, new() { ["ExpectedVersion"] = "0", ["PainReturnPercent"] = "abc", ["ChecklistDueHour"] = "7" }),
        new("POST", "/Admin/Portal?handler=Instructions", Admin, new() { ["InstructionsExpectedVersion"] = "0", ["Instructions"] = "x", ["InstructionsReason"] = string.Empty }),
        new("GET", "/api/v1/patients/{patient}/patient-reports", Readers),
        new("GET", "/api/v1/tasks", Readers),
        new("POST", "/api/v1/patients/{patient}/tasks/" + NoSuchId, Recorders, Json: """{"expectedVersion":1,"state":"Closed"}"""),
    ];
}
