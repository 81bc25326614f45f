using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Csv;
using KetaCare.Interop.Text;

namespace KetaCare.Interop.Reports;

/// <summary>
/// The controlled-substance registers as PDF, the same tables as the CSV (<see cref="StockRegisterCsv"/>) in the
/// reader's language, with numbers and dates as the reader writes them: A4 landscape, the clinic's letterhead and
/// the register's title and print time on every page, the column headers repeated on each page, "page n of N".
/// The download is audited.
/// </summary>
/// <param name="stock">The stock service the registers are read through.</param>
/// <param name="db">The context (names of staff and patients, the clinic's letterhead, the audit).</param>
/// <param name="clock">The clock (the print time on every page).</param>
public sealed class StockRegisterPdf(StockService stock, KetaCareDbContext db, TimeProvider clock)
{
    // Sixteen columns of the dispensing register fit a landscape A4 line at this size.
    private const double Size = 7;

    /// <summary>The register named <paramref name="name"/> (one of <see cref="StockLabels.Reports"/>), or null for an unknown name.</summary>
    public async Task<byte[]?> RenderAsync(string name, CultureInfo culture, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var table = await new StockRegisterTables(stock, db, StockCells.For(culture)).ReadAsync(name, "PDF", culture, by, cancellationToken).ConfigureAwait(false);
        if (table is null)
        {
            return null;
        }

        var (clinic, _) = await new SettingsService(db, clock).ClinicIdentityAsync(cancellationToken).ConfigureAwait(false);
        var t = Strings.For(culture);
        var title = t[StockLabels.Reports.Single(r => r.Name == name).Title].Value;
        var header = clinic is { IsSet: true } c ? c.Letterhead : "KetaCare — " + t["Controlled-substance register"].Value;
        using var l = new PdfLayout(title, header, title + " · " + t["Printed {0}", TextFormat.DateTimeUtc(clock.GetUtcNow(), culture)], t["Page"], t["of|pages"], cancellationToken, landscape: true);
        l.Title(title);
        string[][] rows = [.. table.Rows.Select(r => r.Select(x => x ?? string.Empty).ToArray())];
        l.Table(table.Headers, rows, l.FitWidths(table.Headers, rows, Size), size: Size);
        return l.Save();
    }
}
