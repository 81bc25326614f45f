using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Tests.Matrix;

/// <summary>The Simulator (any role), Admin (Admin) and Audit (Auditor) pages. POSTs carry forms the pages refuse, so an allowed role changes nothing.</summary>
internal sealed class AdminRoutes : IRouteCases
{
    private static readonly string[] Admin = [ClinicRoles.Admin];
    private static readonly string[] Auditor = [ClinicRoles.Auditor];
    private static readonly string AdminUser = "/Admin/Users/" + Startup.DemoAccounts.Single(a => a.UserName == "admin").Id;

    public IEnumerable<RouteCase> Cases =>
    [
        new("GET", "/Simulator", []),
        new("GET", "/Sources", []),
        new("GET", "/Sources?q=Dahan", []),
        new("GET", "/Simulator?model=domino1984&weight=70&doses%5B0%5D.amount=0.5&doses%5B0%5D.unit=mg%2Fkg&doses%5B0%5D.over=60", []),
        new("GET", "/Simulator?handler=Chart&kind=profile&model=domino1984&weight=70&doses%5B0%5D.amount=0.5&doses%5B0%5D.unit=mg%2Fkg&doses%5B0%5D.over=60", []),
        new("GET", "/Admin", Admin),
        new("GET", "/Analytics", [ClinicRoles.Physician, ClinicRoles.Admin]),
        new("GET", "/Analytics?handler=ExposureChart&axis=PlasmaAuc", [ClinicRoles.Physician, ClinicRoles.Admin]),
        new("GET", "/Analytics?handler=RelapseChart", [ClinicRoles.Physician, ClinicRoles.Admin]),
        new("POST", "/Analytics?handler=Identified", [ClinicRoles.Physician], new() { ["Reason"] = "matrix" }),
        new("POST", "/Analytics?handler=IdentifiedCsv", [ClinicRoles.Physician], new() { ["Reason"] = "matrix" }),
        new("GET", "/Admin/Users", Admin),
        new("POST", "/Admin/Users?handler=Create", Admin, new() { ["NewUserName"] = string.Empty }),
        new("GET", AdminUser, Admin),
        new("POST", AdminUser + "?handler=Roles", Admin, new() { ["Stamp"] = "stale" }),
        new("POST", AdminUser + "?handler=Lock", Admin, new() { ["Stamp"] = "stale" }),
        new("POST", AdminUser + "?handler=Unlock", Admin, new() { ["Stamp"] = "stale" }),
        new("POST", AdminUser + "?handler=TwoFactor", Admin, new() { ["Stamp"] = "stale" }),
        new("POST", AdminUser + "?handler=Password", Admin, new() { ["NewPassword"] = "short" }),
        new("GET", "/Admin/Protocols", Admin),
        new("GET", "/Admin/Protocols/New", Admin),
        new("POST", "/Admin/Protocols/New", Admin, new() { ["Form.Id"] = string.Empty }),
        new("GET", "/Admin/Protocols/outpatient-seed", Admin),
        new("POST", "/Admin/Protocols/outpatient-seed", Admin, new() { ["ExpectedVersion"] = "0" }),
        new("GET", "/Admin/Drugs", Admin),
        new("GET", "/Admin/Alerts", Admin),
        new("GET", "/Admin/Investigations", Admin),
        new("GET", "/Admin/Clinic", Admin),
        new("POST", "/Admin/Clinic", Admin, new() { ["ExpectedVersion"] = "0" }),
        new("GET", "/Admin/Outbox", Admin),
        new("GET", "/Admin/Outbox?State=Failed&Template=portal-invitation", Admin),
        new("POST", "/Admin/Outbox?handler=Retry", Admin, new() { ["Message"] = "00000000-0000-0000-0000-0000000000aa", ["Reason"] = string.Empty }),
        new("POST", "/Admin/Outbox?handler=Withdraw", Admin, new() { ["Message"] = "00000000-0000-0000-0000-0000000000aa", ["Reason"] = string.Empty }),
        new("GET", "/Admin/Stock", Admin),
        new("POST", "/Admin/Stock", Admin, new() { ["ExpectedVersion"] = "0" }),
        new("POST", "/Admin/Alerts", Admin, new() { ["ExpectedVersion"] = "0" }),
        new("POST", "/Admin/Investigations", Admin, new() { ["ExpectedVersion"] = "0" }),
        new("GET", "/Admin/Sessions", Admin),
        new("POST", "/Admin/Sessions", Admin, new() { ["ExpectedVersion"] = "0", ["IdleMinutes"] = "1" }),
        new("GET", "/Audit", Auditor),
        new("GET", "/Audit?patient=DEMO-0001&action=read", Auditor),
        new("GET", "/Audit/Verify", Auditor),
    ];
}
