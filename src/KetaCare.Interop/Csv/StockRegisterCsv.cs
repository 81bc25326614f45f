using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;

namespace KetaCare.Interop.Csv;

/// <summary>
/// The controlled-substance registers as CSV (<see cref="StockRegisterTables"/>): headers and labels in the user's
/// language, numbers invariant and times ISO 8601 UTC (<see cref="CsvWriter"/>). The download is audited.
/// </summary>
public sealed class StockRegisterCsv(StockService stock, KetaCareDbContext db)
{
    /// <summary>The register named <paramref name="name"/> (one of <see cref="Text.StockLabels.Reports"/>), or null for an unknown name.</summary>
    public async Task<string?> WriteAsync(string name, CultureInfo culture, UserId by, CancellationToken cancellationToken = default)
    {
        var table = await new StockRegisterTables(stock, db, StockCells.Invariant).ReadAsync(name, "CSV", culture, by, cancellationToken).ConfigureAwait(false);
        if (table is null)
        {
            return null;
        }

        var csv = new CsvWriter(table.Headers);
        foreach (var row in table.Rows)
        {
            csv.Row(row);
        }

        return csv.ToString();
    }
}
