using KetaCare.Clinic.Users;

namespace KetaCare.Web.Tests.Matrix;

internal sealed class ExportsRoutes : IRouteCases
{
    private static readonly string[] Clinical = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.Auditor];

    public IEnumerable<RouteCase> Cases =>
    [
        new("GET", "/Exports", Clinical),
        new("GET", "/exports/sessions/{session}/report.pdf", Clinical),
        new("GET", "/exports/patients/{patient}/course.pdf", Clinical),
        new("GET", "/exports/patients/{patient}/leaflet.pdf?lang=en", Clinical),
        new("GET", "/exports/patients/{patient}/consent.pdf?lang=tr", Clinical),
        new("GET", "/exports/research.zip?deidentified=true", Clinical),
        new("GET", "/exports/analytics.csv?sex=Female", [ClinicRoles.Physician, ClinicRoles.Admin]),
        new("GET", "/exports/analytics.pdf?axis=DoseMgPerKg", [ClinicRoles.Physician, ClinicRoles.Admin]),
    ];
}
