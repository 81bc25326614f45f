using KetaCare.Clinic.Users;

namespace KetaCare.Web.Tests.Matrix;

/// <summary>
/// The session screen: reading needs ReadClinical; recording is the nurse's, the second check a nurse's or a
/// physician's, the soft-limit override the physician's. The POSTs carry no version, so an allowed role is refused by
/// the concurrency check and the demo session is never changed.
/// </summary>
internal sealed class SessionsRoutes : IRouteCases
{
    private static readonly string[] Readers = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.Auditor];

    private static readonly string[] NurseHandlers = ["PreAssess", "Checks", "Give", "Program", "Start", "Pause", "Resume", "Rate", "Stop", "Complete", "Recovery", "Cancel", "Observe", "AdverseEvent", "Discharge", "ObservationError", "AdverseEventError"];

    public IEnumerable<RouteCase> Cases =>
    [
        new("GET", "/Sessions/{session}", Readers),
        new("GET", "/Sessions/{session}?handler=Timeline", Readers),
        .. NurseHandlers.Select(h => new RouteCase("POST", "/Sessions/{session}?handler=" + h, [ClinicRoles.Nurse], new() { ["Reason"] = "authorisation matrix" })),
        new("POST", "/Sessions/{session}?handler=Check", [ClinicRoles.Nurse, ClinicRoles.Physician], new() { ["CheckRate"] = "1", ["CheckVtbi"] = "1" }),
        new("POST", "/Sessions/{session}?handler=StartOverride", [ClinicRoles.Physician], new() { ["OverrideReason"] = "authorisation matrix" }),
    ];
}
