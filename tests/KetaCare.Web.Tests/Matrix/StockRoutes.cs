using KetaCare.Clinic.Users;

namespace KetaCare.Web.Tests.Matrix;

/// <summary>
/// The register's pages and downloads: reading needs ReadStock (physician, nurse, auditor), every step RecordStock
/// (physician, nurse). The POSTs carry no witness or volume, so an allowed role is refused by the form check and nothing
/// is written.
/// </summary>
internal sealed class StockRoutes : IRouteCases
{
    private static readonly string[] Read = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.Auditor];

    private static readonly string[] Record = [ClinicRoles.Physician, ClinicRoles.Nurse];

    public IEnumerable<RouteCase> Cases =>
    [
        new("GET", "/Stock", Read),
        new("GET", "/Stock/Discrepancies", Read),
        new("GET", "/Stock/Session/{session}", Read),
        new("GET", "/Stock/Receive", Record),
        new("GET", "/Stock/Move", Record),
        new("GET", "/Stock/Count", Record),
        new("POST", "/Stock/Receive", Record, new() { ["LotNumber"] = "matrix" }),
        new("POST", "/Stock/Receive?handler=Product", Record, new() { ["NewName"] = "matrix" }),
        new("POST", "/Stock/Receive?handler=Location", Record, new() { ["NewName"] = string.Empty }),
        .. new[] { "Transfer", "Waste", "Return" }.Select(h => new RouteCase("POST", "/Stock/Move?handler=" + h, Record, new() { ["Volume"] = "1" })),
        new("POST", "/Stock/Count", Record, new() { ["Counted"] = "1" }),
        new("POST", "/Stock?handler=Hold", Record, new() { ["Reason"] = "matrix" }),
        new("POST", "/Stock/Discrepancies?handler=Investigate", Record, new() { ["Note"] = "matrix" }),
        new("POST", "/Stock/Discrepancies?handler=Resolve", Record, new() { ["Note"] = "matrix" }),
        .. new[] { "Draw", "Prepare", "Waste" }.Select(h => new RouteCase("POST", "/Stock/Session/{session}?handler=" + h, Record, new() { ["Volume"] = "1" })),
        .. Interop.Text.StockLabels.Reports.Select(r => new RouteCase("GET", "/exports/stock/" + r.Name + ".csv", Read)),
        .. Interop.Text.StockLabels.Reports.Select(r => new RouteCase("GET", "/exports/stock/" + r.Name + ".pdf", Read)),
    ];
}
