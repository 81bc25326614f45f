using KetaCare.Clinic.Users;

namespace KetaCare.Web.Tests.Matrix;

/// <summary>
/// The register's pages and downloads: reading needs ReadStock (physician, nurse, auditor, stock keeper), the register's
/// own steps KeepStock (physician, nurse, stock keeper) and a session's steps RecordStock (physician, nurse). The POSTs
/// carry no witness or volume, so an allowed role is refused by the form check and nothing is written.
/// </summary>
internal sealed class StockRoutes : IRouteCases
{
    private static readonly string[] Read = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.Auditor, ClinicRoles.StockKeeper];

    private static readonly string[] Record = [ClinicRoles.Physician, ClinicRoles.Nurse];

    private static readonly string[] Keep = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.StockKeeper];

    public IEnumerable<RouteCase> Cases =>
    [
        new("GET", "/Stock", Read),
        new("GET", "/Stock/Discrepancies", Read),
        new("GET", "/Stock/Session/{session}", Read),
        new("GET", "/Stock/Label/{session}", Read),
        new("GET", "/Stock/Receive", Keep),
        new("GET", "/Stock/Move", Keep),
        new("GET", "/Stock/Count", Keep),
        new("POST", "/Stock/Receive", Keep, new() { ["LotNumber"] = "matrix" }),
        new("POST", "/Stock/Receive?handler=Product", Keep, new() { ["NewName"] = "matrix" }),
        new("POST", "/Stock/Receive?handler=Location", Keep, new() { ["NewName"] = string.Empty }),
        .. new[] { "Transfer", "Waste", "Return" }.Select(h => new RouteCase("POST", "/Stock/Move?handler=" + h, Keep, new() { ["Volume"] = "1" })),
        new("POST", "/Stock/Count", Keep, new() { ["Counted"] = "1" }),
        new("POST", "/Stock?handler=Hold", Keep, new() { ["Reason"] = "matrix" }),
        new("POST", "/Stock/Discrepancies?handler=Investigate", Keep, new() { ["Note"] = "matrix" }),
        new("POST", "/Stock/Discrepancies?handler=Resolve", Keep, new() { ["Note"] = "matrix" }),
        .. new[] { "Draw", "Prepare", "Waste" }.Select(h => new RouteCase("POST", "/Stock/Session/{session}?handler=" + h, Record, new() { ["Volume"] = "1" })),
        .. Interop.Text.StockLabels.Reports.Select(r => new RouteCase("GET", "/exports/stock/" + r.Name + ".csv", Read)),
        .. Interop.Text.StockLabels.Reports.Select(r => new RouteCase("GET", "/exports/stock/" + r.Name + ".pdf", Read)),
    ];
}
