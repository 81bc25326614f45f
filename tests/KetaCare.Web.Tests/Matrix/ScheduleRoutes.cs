using KetaCare.Clinic.Users;

namespace KetaCare.Web.Tests.Matrix;

/// <summary>
/// The chair calendar, its .ics files, the chairs' admin page and the scheduling API: reading needs ReadClinical
/// (physician, nurse, auditor), booking, cancelling, no-shows and staffing need Schedule (nurse, physician), chairs
/// Administer. The POSTs name no real plan, appointment or chair, so an allowed role is refused by the service and
/// nothing is written.
/// </summary>
internal sealed class ScheduleRoutes : IRouteCases
{
    private const string NoSuchId = "00000000-0000-0000-0000-0000000000aa";

    private static readonly string[] Read = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.Auditor];

    private static readonly string[] Schedule = [ClinicRoles.Nurse, ClinicRoles.Physician];

    private static readonly string[] Admin = [ClinicRoles.Admin];

    public IEnumerable<RouteCase> Cases =>
    [
        new("GET", "/Schedule", Read),
        new("GET", "/Schedule/Week", Read),
        new("POST", "/Schedule?handler=Book", Schedule, new() { ["RecordNumber"] = "MATRIX-NONE", ["Start"] = "09:00" }),
        new("POST", "/Schedule?handler=Cancel", Schedule, new() { ["AppointmentId"] = NoSuchId, ["Reason"] = "matrix" }),
        new("POST", "/Schedule?handler=NoShow", Schedule, new() { ["AppointmentId"] = NoSuchId, ["Reason"] = "matrix" }),
        new("POST", "/Schedule?handler=Staffing", Schedule, new() { ["NursesOnDuty"] = "-1", ["Reason"] = "matrix" }),
        new("GET", "/exports/calendar/patients/{patient}.ics", Read),
        new("GET", $"/exports/calendar/chairs/{NoSuchId}.ics", Read),
        new("GET", "/Admin/Chairs", Admin),
        new("POST", "/Admin/Chairs", Admin, new() { ["Name"] = string.Empty }),
        new("POST", "/Admin/Chairs?handler=Change", Admin, new() { ["ChairId"] = NoSuchId, ["Name"] = "matrix" }),
        new("POST", "/Admin/Chairs?handler=Settings", Admin, new() { ["Opens"] = "matrix" }),
        new("GET", "/api/v1/chairs", Read),
        new("POST", "/api/v1/chairs", Admin, Json: """{"name":""}"""),
        new("POST", "/api/v1/schedule/staffing", Schedule, Json: "{}"),
        new("GET", "/api/v1/schedule", Read),
        new("POST", "/api/v1/appointments", Schedule, Json: "{}"),
        new("POST", $"/api/v1/appointments/{NoSuchId}/cancel", Schedule, Json: """{"expectedVersion":1,"reason":"matrix"}"""),
        new("POST", $"/api/v1/appointments/{NoSuchId}/no-show", Schedule, Json: """{"expectedVersion":1,"reason":"matrix"}"""),
        new("GET", "/api/v1/plans/{plan}/proposed-dates", Read),
    ];
}
