using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Stock;
using KetaCare.Interop.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace KetaCare.Interop.Csv;

/// <summary>
/// The controlled-substance registers as tables of text, headers and labels in the reader's language and values written
/// by <see cref="StockCells"/> (invariant for CSV, the reader's way for PDF): the dispensing and administration register (one row per session: date,
/// patient, session, lot, volume and drug drawn, given, wasted, who and witnesses), the perpetual inventory, the
/// receipts, the waste and returns log, the discrepancy report and the full ledger. Everything is read through
/// <see cref="StockService"/>; names of staff and patients come from the clinic database, and every download is audited.
/// </summary>
internal sealed class StockRegisterTables(StockService stock, KetaCareDbContext db, StockCells cells)
{
    private IStringLocalizer _t = Strings.For(CultureInfo.InvariantCulture);
    private Dictionary<Guid, string> _staff = [];
    private Dictionary<PatientId, string> _patients = [];
    private Dictionary<LotId, StockLot> _lots = [];
    private Dictionary<ProductId, StockProduct> _products = [];
    private Dictionary<LocationId, StockLocation> _locations = [];
    private Clinic.Clinics.ClinicIdentity _clinic = Clinic.Clinics.ClinicIdentity.NotSet;

    /// <summary>The register named <paramref name="name"/> (one of <see cref="StockLabels.Reports"/>), or null for an unknown name; the read is audited as a <paramref name="format"/> download.</summary>
    public async Task<StockTable?> ReadAsync(string name, string format, CultureInfo culture, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(culture);
        if (StockLabels.Reports.All(r => r.Name != name))
        {
            return null;
        }

        _t = Strings.For(culture);
        _staff = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken).ConfigureAwait(false);
        _patients = await db.Patients.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.MedicalRecordNumber + " " + p.FamilyName + ", " + p.GivenName, cancellationToken).ConfigureAwait(false);
        _lots = (await stock.LotsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(l => l.Id);
        _products = (await stock.ProductsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Id);
        _locations = (await stock.LocationsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(l => l.Id);
        var settings = new SettingsService(db, TimeProvider.System);
        var (stockSettings, _) = await settings.StockSettingsAsync(cancellationToken).ConfigureAwait(false);
        (_clinic, _) = await settings.ClinicIdentityAsync(cancellationToken).ConfigureAwait(false);
        var table = name switch
        {
            "dispensing" => await DispensingAsync(cancellationToken).ConfigureAwait(false),
            "biennial" => Biennial(await stock.RegisterAsync(cancellationToken: cancellationToken).ConfigureAwait(false)),
            "loss" => Loss(await stock.DiscrepanciesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)),
            "inventory" => Inventory(await stock.BalancesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)),
            "receipts" => Receipts(await stock.RegisterAsync(cancellationToken: cancellationToken).ConfigureAwait(false)),
            "waste" => Waste(await stock.RegisterAsync(cancellationToken: cancellationToken).ConfigureAwait(false)),
            "discrepancies" => Discrepancies(await stock.DiscrepanciesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)),
            _ => Ledger(await stock.RegisterAsync(cancellationToken: cancellationToken).ConfigureAwait(false)),
        };
        db.Actor = by;
        db.RecordEvent("export", "stock-register", name, "controlled-substance register " + format + ": " + name + " (" + stockSettings.RegisterTemplate.Id + ")");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return table.Project(stockSettings.RegisterTemplate.ColumnsOf(name, table.Keys));
    }

    // One row per session that drew stock: the chain of custody from the vial to the patient.
    private async Task<StockTable> DispensingAsync(CancellationToken cancellationToken)
    {
        var ledger = await stock.RegisterAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var csv = Table("Date", "Patient", "Session", "Product", "Lot", "Location", "Volume drawn (mL)", "Drug drawn (mg)", "Drug given (mg)", "Drug wasted (mg)", "Drawn by", "Draw witnessed by", "Prepared by", "Checked by", "Wasted by", "Waste witnessed by");
        foreach (var session in ledger.Where(m => m.Kind == MovementKind.Draw && m.Session is not null).GroupBy(m => m.Session!.Value))
        {
            var draws = session.ToList();
            var first = draws[0];
            var custody = await stock.CustodyAsync(session.Key, cancellationToken).ConfigureAwait(false);
            var prepared = ledger.FirstOrDefault(m => m.Kind == MovementKind.Preparation && m.Session == session.Key);
            var wasted = ledger.FirstOrDefault(m => m.Kind == MovementKind.Waste && m.Session == session.Key);
            var volume = draws.Aggregate(StockVolume.Zero, (sum, m) => sum - m.Change);
            csv.Rows.Add(
            [
                cells.Time(first.At), Patient(first.Patient), session.Key.ToString(), Product(first.Lot), LotNumber(first.Lot), Location(first.Location),
                cells.Number(volume.Milliliters), cells.Number(custody.IsSuccess ? custody.Value.Drawn.Milligrams : draws.Sum(d => d.Amount.Milligrams)),
                custody.IsSuccess ? cells.Number(custody.Value.Given.Milligrams) : string.Empty, custody.IsSuccess ? cells.Number(custody.Value.Wasted.Milligrams) : string.Empty,
                Staff(first.By), Staff(first.WitnessedBy), Staff(prepared?.By), Staff(prepared?.WitnessedBy), Staff(wasted?.By), Staff(wasted?.WitnessedBy),
            ]);
        }

        return csv;
    }

    private StockTable Inventory(IReadOnlyList<StockBalance> balances)
    {
        var csv = Table("Product", "Code", "Strength (mg/mL)", "Vial volume (mL)", "Lot", "Expiry", "Hold", "Location", "On hand (mL)", "On hand (mg)");
        foreach (var b in balances)
        {
            csv.Rows.Add([b.Product.Name, b.Product.Code, cells.Number(b.Product.Concentration.MilligramsPerMilliliter), cells.Number(b.Product.ContainerVolume.Milliliters), b.Lot.LotNumber, cells.Date(b.Lot.Expiry), _t[StockLabels.Hold(b.Lot.Hold)], b.Location.Name, cells.Number(b.OnHand.Milliliters), cells.Number(b.Amount.Milligrams)]);
        }

        return csv;
    }

    private StockTable Receipts(IReadOnlyList<StockMovement> ledger)
    {
        var csv = Table("Date", "Product", "Lot", "Expiry", "Location", "Volume (mL)", "Drug (mg)", "Supplier", "Reference", "Received by", "Witnessed by");
        foreach (var m in ledger.Where(m => m.Kind == MovementKind.Receipt))
        {
            csv.Rows.Add([cells.Time(m.At), Product(m.Lot), LotNumber(m.Lot), _lots.TryGetValue(m.Lot, out var lot) ? cells.Date(lot.Expiry) : string.Empty, Location(m.Location), cells.Number(m.Change.Milliliters), cells.Number(m.Amount.Milligrams), m.Party, m.Reference, Staff(m.By), Staff(m.WitnessedBy)]);
        }

        return csv;
    }

    private StockTable Waste(IReadOnlyList<StockMovement> ledger)
    {
        var csv = Table("Date", "Kind", "Product", "Lot", "Location", "Volume (mL)", "Drug (mg)", "Method or recipient", "Reference", "Reason", "Patient", "Session", "By", "Witnessed by");
        foreach (var m in ledger.Where(m => m.Kind is MovementKind.Waste or MovementKind.Return))
        {
            var volume = m.Stated ?? m.Change.Magnitude;
            csv.Rows.Add([cells.Time(m.At), _t[StockLabels.Kind(m)], Product(m.Lot), LotNumber(m.Lot), Location(m.Location), cells.Number(volume.Milliliters), cells.Number(m.Amount.Milligrams), m.Party, m.Reference, m.Reason, Patient(m.Patient), m.Session?.ToString(), Staff(m.By), Staff(m.WitnessedBy)]);
        }

        return csv;
    }

    private StockTable Discrepancies(IReadOnlyList<Discrepancy> discrepancies)
    {
        var csv = Table("Found", "Product", "Lot", "Location", "Expected (mL)", "Counted (mL)", "Difference (mL)", "Counted by", "Witnessed by", "Status", "Investigation", "Resolution", "Resolved by");
        foreach (var d in discrepancies)
        {
            csv.Rows.Add([cells.Time(d.FoundAt), Product(d.Lot), LotNumber(d.Lot), Location(d.Location), cells.Number(d.Expected.Milliliters), cells.Number(d.Counted.Milliliters), cells.Number(d.Difference.Milliliters), Staff(d.CountedBy), Staff(d.WitnessedBy), _t[StockLabels.Status(d.Status)], d.Investigation, d.Resolution, Staff(d.ResolvedBy)]);
        }

        return csv;
    }

    private StockTable Ledger(IReadOnlyList<StockMovement> ledger)
    {
        var csv = Table("Date", "Kind", "Product", "Lot", "Location", "Change (mL)", "Drug (mg)", "Stated (mL)", "Patient", "Session", "Supplier, diluent or method", "Reference", "Reason", "By", "Witnessed by");
        foreach (var m in ledger)
        {
            csv.Rows.Add([cells.Time(m.At), _t[StockLabels.Kind(m)], Product(m.Lot), LotNumber(m.Lot), Location(m.Location), cells.Number(m.Change.Milliliters), cells.Number(m.Amount.Milligrams), m.Stated is { } s ? cells.Number(s.Milliliters) : string.Empty, Patient(m.Patient), m.Session?.ToString(), m.Party, m.Reference, m.Reason, Staff(m.By), Staff(m.WitnessedBy)]);
        }

        return csv;
    }

    // The periodic (biennial) inventory: per lot and location, its latest two-person count with the ledger's figure at
    // that moment, and what the ledger holds now; a lot on hand that was never counted shows an empty count.
    private StockTable Biennial(IReadOnlyList<StockMovement> ledger)
    {
        var csv = Table("Counted at", "Product", "Code", "Strength (mg/mL)", "Vial volume (mL)", "Lot", "Expiry", "Location", "Counted (mL)", "Counted (mg)", "Ledger at the count (mL)", "Counted by", "Witnessed by", "On hand now (mL)");
        var running = new Dictionary<(LotId, LocationId), StockVolume>();
        var counts = new Dictionary<(LotId, LocationId), (StockMovement Count, StockVolume Ledger)>();
        foreach (var m in ledger)
        {
            var key = (m.Lot, m.Location);
            var onHand = running.GetValueOrDefault(key);
            if (m.Kind == MovementKind.Count)
            {
                counts[key] = (m, onHand);
            }

            running[key] = onHand + m.Change;
        }

        foreach (var key in running.Keys.Where(k => running[k] != StockVolume.Zero || counts.ContainsKey(k)).OrderBy(k => Product(k.Item1), StringComparer.Ordinal).ThenBy(k => LotNumber(k.Item1), StringComparer.Ordinal).ThenBy(k => Location(k.Item2), StringComparer.Ordinal))
        {
            var lot = _lots.GetValueOrDefault(key.Item1);
            var product = lot is null ? null : _products.GetValueOrDefault(lot.Product);
            var counted = counts.TryGetValue(key, out var c) ? c : ((StockMovement Count, StockVolume Ledger)?)null;
            csv.Rows.Add(
            [
                counted is { } t ? cells.Time(t.Count.At) : _t["not counted"].Value, product?.Name, product?.Code, product is null ? null : cells.Number(product.Concentration.MilligramsPerMilliliter),
                product is null ? null : cells.Number(product.ContainerVolume.Milliliters), LotNumber(key.Item1), lot is null ? null : cells.Date(lot.Expiry), Location(key.Item2),
                counted?.Count.Stated is { } v ? cells.Number(v.Milliliters) : null, counted is { } a ? cells.Number(a.Count.Amount.Milligrams) : null, counted is { } l ? cells.Number(l.Ledger.Milliliters) : null,
                Staff(counted?.Count.By), Staff(counted?.Count.WitnessedBy), cells.Number(running[key].Milliliters),
            ]);
        }

        return csv;
    }

    // A draft of a theft or loss report (in the US, DEA Form 106) for each count that found less than the ledger: the
    // registrant, when it was found, the product by its code, strength and form, the lot and the quantity missing, and
    // what the investigation found. The draft is filled in and filed outside KetaCare.
    private StockTable Loss(IReadOnlyList<Discrepancy> discrepancies)
    {
        var csv = Table("Registrant", "Address", "Discovered", "Code", "Product", "Strength (mg/mL)", "Dosage form", "Lot", "Location", "Quantity lost (mL)", "Quantity lost (mg)", "Vials (equivalent)", "Counted by", "Witnessed by", "Status", "Investigation", "Resolution");
        foreach (var d in discrepancies.Where(d => d.Difference.IsNegative).OrderBy(d => d.FoundAt))
        {
            var lot = _lots.GetValueOrDefault(d.Lot);
            var product = lot is null ? null : _products.GetValueOrDefault(lot.Product);
            var lost = d.Difference.Magnitude;
            csv.Rows.Add(
            [
                _clinic.IsSet ? _clinic.Name : null, _clinic.IsSet ? _clinic.Address.ReplaceLineEndings(", ") : null, cells.Time(d.FoundAt), product?.Code, product?.Name,
                product is null ? null : cells.Number(product.Concentration.MilligramsPerMilliliter), _t["injection"].Value, LotNumber(d.Lot), Location(d.Location),
                cells.Number(lost.Milliliters), product is null ? null : cells.Number((product.Concentration * lost).Milligrams),
                product is null ? null : cells.Number(Math.Round(lost.Milliliters / product.ContainerVolume.Milliliters, 2)),
                Staff(d.CountedBy), Staff(d.WitnessedBy), _t[StockLabels.Status(d.Status)], d.Investigation, d.Resolution,
            ]);
        }

        return csv;
    }

    private StockTable Table(params string[] header) => new(header, [.. header.Select(h => _t[h].Value)], []);

    private string Staff(UserId? id) => id is { } u ? (_staff.TryGetValue(u.Value, out var name) ? name : u.ToString()) : string.Empty;

    private string Patient(PatientId? id) => id is { } p ? (_patients.TryGetValue(p, out var name) ? name : p.ToString()) : string.Empty;

    private string LotNumber(LotId id) => _lots.TryGetValue(id, out var lot) ? lot.LotNumber : id.ToString();

    private string Product(LotId id) => _lots.TryGetValue(id, out var lot) && _products.TryGetValue(lot.Product, out var p) ? p.Name : string.Empty;

    private string Location(LocationId id) => _locations.TryGetValue(id, out var l) ? l.Name : id.ToString();
}

/// <summary>One register as text: the columns' English keys, their headers in the reader's language and the rows (an empty cell is null or empty).</summary>
internal sealed record StockTable(IReadOnlyList<string> Keys, IReadOnlyList<string> Headers, List<string?[]> Rows)
{
    /// <summary>The table with only <paramref name="columns"/>, in that order (a register template's choice); every column must be one of <see cref="Keys"/>.</summary>
    public StockTable Project(IReadOnlyList<string> columns)
    {
        var at = columns.Select(c => Keys.ToList().IndexOf(c) is var i and >= 0 ? i : throw new InvalidOperationException("register template: no column " + c)).ToArray();
        return new(columns, [.. at.Select(i => Headers[i])], [.. Rows.Select(r => at.Select(i => r[i]).ToArray())]);
    }
}

/// <summary>How a register writes times, dates and numbers.</summary>
internal sealed record StockCells(Func<DateTimeOffset, string> Time, Func<DateOnly, string> Date, Func<double, string> Number)
{
    /// <summary>For CSV: invariant numbers, ISO 8601 UTC times (<see cref="CsvWriter"/>).</summary>
    public static StockCells Invariant { get; } = new(t => CsvWriter.Time(t), d => CsvWriter.Date(d), n => CsvWriter.Number(n));

    /// <summary>For a document: as the reader writes them (<see cref="TextFormat"/>).</summary>
    public static StockCells For(CultureInfo culture) => new(t => TextFormat.DateTimeUtc(t, culture), d => TextFormat.Date(d, culture), n => TextFormat.Number(n, culture, 6));
}
