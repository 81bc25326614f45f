using System.Globalization;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Stock;

/// <summary>Identifies a stocked ketamine product (one concentration in one container size).</summary>
/// <param name="Value">The underlying identifier.</param>
public readonly record struct ProductId(Guid Value)
{
    /// <summary>A new random id.</summary>
    public static ProductId New() => new(Guid.NewGuid());

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("D");
}

/// <summary>Identifies a storage location (a safe or a locked cabinet).</summary>
/// <param name="Value">The underlying identifier.</param>
public readonly record struct LocationId(Guid Value)
{
    /// <summary>A new random id.</summary>
    public static LocationId New() => new(Guid.NewGuid());

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("D");
}

/// <summary>Identifies a manufacturer's lot of a product.</summary>
/// <param name="Value">The underlying identifier.</param>
public readonly record struct LotId(Guid Value)
{
    /// <summary>A new random id.</summary>
    public static LotId New() => new(Guid.NewGuid());

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("D");
}

/// <summary>Identifies one movement of the ledger; a transfer's two legs share it.</summary>
/// <param name="Value">The underlying identifier.</param>
public readonly record struct MovementId(Guid Value)
{
    /// <summary>A new random id.</summary>
    public static MovementId New() => new(Guid.NewGuid());

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("D");
}

/// <summary>Identifies a discrepancy found by a count.</summary>
/// <param name="Value">The underlying identifier.</param>
public readonly record struct DiscrepancyId(Guid Value)
{
    /// <summary>A new random id.</summary>
    public static DiscrepancyId New() => new(Guid.NewGuid());

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("D");
}

/// <summary>
/// A volume of stock, signed so that it can also be a ledger change (negative: out of a location). Canonical unit:
/// whole microlitres in a 64-bit integer, so that a long ledger sums exactly — with binary fractions, 10 mL less
/// 3.3 mL less 6.7 mL is not zero, and "never negative" must hold to the last digit. A syringe reads to 0.01 mL at
/// best, so a microlitre loses nothing that was measured.
/// </summary>
public readonly struct StockVolume : IEquatable<StockVolume>, IComparable<StockVolume>
{
    /// <summary>Largest magnitude accepted, mL (input plausibility: a clinic's whole stock is far below it).</summary>
    public const double MaxMilliliters = 1_000_000;

    private readonly long _microliters;

    private StockVolume(long microliters) => _microliters = microliters;

    /// <summary>No volume.</summary>
    public static StockVolume Zero => default;

    /// <summary>A volume from millilitres, rounded to the microlitre; throws for NaN, infinity or beyond ±<see cref="MaxMilliliters"/>.</summary>
    public static StockVolume FromMilliliters(double ml)
    {
        if (!double.IsFinite(ml) || Math.Abs(ml) > MaxMilliliters)
        {
            throw new ArgumentOutOfRangeException(nameof(ml), ml, string.Create(CultureInfo.InvariantCulture, $"a stock volume must be finite and within ±{MaxMilliliters} mL."));
        }

        return new((long)Math.Round(ml * 1000.0, MidpointRounding.AwayFromZero));
    }

    /// <summary>A volume from whole microlitres (the stored form).</summary>
    public static StockVolume FromMicroliters(long microliters) => new(microliters);

    /// <summary>The volume of a typed <see cref="Volume"/>.</summary>
    public static StockVolume Of(Volume volume) => FromMilliliters(volume.Milliliters);

    /// <summary>The volume in whole microlitres (the stored form).</summary>
    public long Microliters => _microliters;

    /// <summary>The volume in mL.</summary>
    public double Milliliters => _microliters / 1000.0;

    /// <summary>The size of the volume or change, without its sign.</summary>
    public StockVolume Magnitude => new(Math.Abs(_microliters));

    /// <summary>True below zero (an outflow).</summary>
    public bool IsNegative => _microliters < 0;

    /// <summary>Sum.</summary>
    public static StockVolume operator +(StockVolume a, StockVolume b) => new(checked(a._microliters + b._microliters));

    /// <summary>Difference.</summary>
    public static StockVolume operator -(StockVolume a, StockVolume b) => new(checked(a._microliters - b._microliters));

    /// <summary>The opposite change.</summary>
    public static StockVolume operator -(StockVolume a) => new(checked(-a._microliters));

    /// <summary>A whole number of containers of this volume.</summary>
    public static StockVolume operator *(StockVolume a, int count) => new(checked(a._microliters * count));

    /// <summary>The drug in this volume of a solution of <paramref name="c"/> (negative for an outflow).</summary>
    public static Mass operator *(Concentration c, StockVolume v) =>
        v._microliters >= 0 ? Mass.FromMilligrams(c.MilligramsPerMilliliter * v.Milliliters) : throw new ArgumentOutOfRangeException(nameof(v), "a drug amount needs a volume of 0 or more.");

    /// <summary>The volume of a solution of <paramref name="c"/> (above 0) that holds <paramref name="amount"/>.</summary>
    public static StockVolume Holding(Mass amount, Concentration c) => FromMilliliters(amount.Milligrams / c.MilligramsPerMilliliter);

    /// <summary>Comparison.</summary>
    public static bool operator <(StockVolume a, StockVolume b) => a._microliters < b._microliters;

    /// <summary>Comparison.</summary>
    public static bool operator >(StockVolume a, StockVolume b) => a._microliters > b._microliters;

    /// <summary>Comparison.</summary>
    public static bool operator <=(StockVolume a, StockVolume b) => a._microliters <= b._microliters;

    /// <summary>Comparison.</summary>
    public static bool operator >=(StockVolume a, StockVolume b) => a._microliters >= b._microliters;

    /// <summary>Equality.</summary>
    public static bool operator ==(StockVolume a, StockVolume b) => a._microliters == b._microliters;

    /// <summary>Inequality.</summary>
    public static bool operator !=(StockVolume a, StockVolume b) => a._microliters != b._microliters;

    /// <inheritdoc/>
    public bool Equals(StockVolume other) => _microliters == other._microliters;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is StockVolume other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _microliters.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(StockVolume other) => _microliters.CompareTo(other._microliters);

    /// <summary>ISMP-safe text, "2.5 mL".</summary>
    public override string ToString() => SafeNumber.Format(Milliliters) + " mL";
}

/// <summary>What kind of place holds stock.</summary>
public enum LocationKind
{
    /// <summary>A safe (the main store).</summary>
    Safe,

    /// <summary>A locked cabinet (the treatment room's working stock).</summary>
    Cabinet,
}

/// <summary>Whether a lot may be used.</summary>
public enum LotHold
{
    /// <summary>Usable until its expiry.</summary>
    None,

    /// <summary>Held back pending a check (damaged delivery, a count in question); not drawn.</summary>
    Quarantined,

    /// <summary>Recalled by the manufacturer or the regulator; not drawn, only returned.</summary>
    Recalled,
}

/// <summary>The kind of a ledger movement.</summary>
public enum MovementKind
{
    /// <summary>Received from a supplier into a location (+).</summary>
    Receipt,

    /// <summary>The outgoing leg of a transfer (−).</summary>
    TransferOut,

    /// <summary>The incoming leg of a transfer (+).</summary>
    TransferIn,

    /// <summary>Drawn from a location for one patient's session (−).</summary>
    Draw,

    /// <summary>The session's infusion prepared from the drawn drug (no change of stock; chain of custody).</summary>
    Preparation,

    /// <summary>Wasted: at a location (broken or expired vial, −) or a session's unused remainder (no change of stock).</summary>
    Waste,

    /// <summary>Returned to the supplier (−).</summary>
    Return,

    /// <summary>A witnessed count (no change of stock; a difference opens a discrepancy).</summary>
    Count,

    /// <summary>An amendment of the balance after a discrepancy's investigation (±).</summary>
    Adjustment,
}

/// <summary>Where a discrepancy stands.</summary>
public enum DiscrepancyStatus
{
    /// <summary>Found by a count, not yet looked into.</summary>
    Open,

    /// <summary>Being investigated.</summary>
    Investigating,

    /// <summary>Closed with a resolution (and an adjustment when the stock really differs).</summary>
    Resolved,
}

/// <summary>A stocked ketamine product.</summary>
/// <param name="Id">Identity.</param>
/// <param name="Name">Name as on the label, e.g. "Ketamine 50 mg/mL 10 mL vial".</param>
/// <param name="Concentration">10, 50 or 100 mg/mL (the strengths ketamine hydrochloride injection is made in).</param>
/// <param name="ContainerVolume">Volume of one vial.</param>
/// <param name="Code">NDC, GTIN or national product code, when known.</param>
public sealed record StockProduct(ProductId Id, string Name, Concentration Concentration, Volume ContainerVolume, string? Code)
{
    /// <summary>The strengths accepted, mg/mL.</summary>
    public static IReadOnlyList<double> Strengths { get; } = [10, 50, 100];
}

/// <summary>A storage location.</summary>
/// <param name="Id">Identity.</param>
/// <param name="Name">Name, e.g. "Main safe".</param>
/// <param name="Kind">Safe or cabinet.</param>
public sealed record StockLocation(LocationId Id, string Name, LocationKind Kind);

/// <summary>A manufacturer's lot of a product.</summary>
/// <param name="Id">Identity.</param>
/// <param name="Product">The product.</param>
/// <param name="LotNumber">The lot number printed on the vial.</param>
/// <param name="Expiry">Last day of use.</param>
/// <param name="Hold">Quarantine or recall.</param>
public sealed record StockLot(LotId Id, ProductId Product, string LotNumber, DateOnly Expiry, LotHold Hold)
{
    /// <summary>True when the lot may not be used on <paramref name="day"/> (the expiry day itself is still usable).</summary>
    public bool IsExpiredOn(DateOnly day) => day > Expiry;
}

/// <summary>One line of the perpetual ledger: a change of one lot at one location, or a record of custody without a change.</summary>
/// <param name="Id">The movement (a transfer's two legs share it).</param>
/// <param name="Kind">What happened.</param>
/// <param name="At">When (UTC).</param>
/// <param name="By">Who did it.</param>
/// <param name="WitnessedBy">The second person (witness or checker).</param>
/// <param name="Lot">The lot.</param>
/// <param name="Location">The location.</param>
/// <param name="Change">The change of stock at the location (zero for custody records).</param>
/// <param name="Amount">The drug concerned (for a session's preparation and waste, of the prepared solution).</param>
/// <param name="Patient">The patient, for a session's draw, preparation and waste.</param>
/// <param name="Session">The session.</param>
/// <param name="Party">The supplier (receipt, return), the diluent (preparation) or the waste method.</param>
/// <param name="Reference">Invoice or order (receipt, return), or the other location of a transfer.</param>
/// <param name="Reason">Why (adjustment, location waste, resolution).</param>
/// <param name="Stated">The volume counted (count), prepared (preparation) or wasted of the prepared solution (session waste).</param>
/// <param name="PreparedConcentration">The final concentration of a preparation and of its wasted remainder.</param>
/// <param name="Discrepancy">The discrepancy a count opened or an adjustment resolves.</param>
public sealed record StockMovement(
    MovementId Id,
    MovementKind Kind,
    DateTimeOffset At,
    UserId By,
    UserId? WitnessedBy,
    LotId Lot,
    LocationId Location,
    StockVolume Change,
    Mass Amount,
    PatientId? Patient,
    SessionId? Session,
    string? Party,
    string? Reference,
    string? Reason,
    StockVolume? Stated,
    Concentration? PreparedConcentration,
    DiscrepancyId? Discrepancy);

/// <summary>What a lot holds at a location, derived from the ledger.</summary>
/// <param name="Product">The product.</param>
/// <param name="Lot">The lot.</param>
/// <param name="Location">The location.</param>
/// <param name="OnHand">Volume on hand, never negative.</param>
/// <param name="Amount">The drug on hand.</param>
public sealed record StockBalance(StockProduct Product, StockLot Lot, StockLocation Location, StockVolume OnHand, Mass Amount);

/// <summary>A difference between a count and the ledger. Never corrected silently: investigated, resolved, and adjusted by an amendment.</summary>
/// <param name="Id">Identity.</param>
/// <param name="Lot">The lot.</param>
/// <param name="Location">The location.</param>
/// <param name="Expected">On hand by the ledger when counted.</param>
/// <param name="Counted">What the two people counted.</param>
/// <param name="FoundAt">When (UTC).</param>
/// <param name="CountedBy">Who counted.</param>
/// <param name="WitnessedBy">Who witnessed the count.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Investigation">Notes of the investigation, newest last.</param>
/// <param name="Resolution">How it was closed.</param>
/// <param name="ResolvedBy">Who closed it.</param>
/// <param name="Version">Concurrency version.</param>
public sealed record Discrepancy(
    DiscrepancyId Id,
    LotId Lot,
    LocationId Location,
    StockVolume Expected,
    StockVolume Counted,
    DateTimeOffset FoundAt,
    UserId CountedBy,
    UserId WitnessedBy,
    DiscrepancyStatus Status,
    string? Investigation,
    string? Resolution,
    UserId? ResolvedBy,
    long Version)
{
    /// <summary>Counted − expected (negative: stock missing).</summary>
    public StockVolume Difference => Counted - Expected;
}

/// <summary>What happened to the drug drawn for one session.</summary>
/// <param name="Session">The session.</param>
/// <param name="Drawn">Drug drawn from stock.</param>
/// <param name="Prepared">Drug in the prepared infusion (null before preparation); equal to the drawn drug.</param>
/// <param name="Given">Drug given, from the session's dose account.</param>
/// <param name="Wasted">Drug wasted, witnessed.</param>
public sealed record SessionCustody(SessionId Session, Mass Drawn, Mass? Prepared, Mass Given, Mass Wasted);

/// <summary>What the label of one prepared bag or syringe carries (the page prints it with the patient's name).</summary>
/// <param name="Preparation">The preparation: time, concentration, final volume (<see cref="StockMovement.Stated"/>), drug, diluent, prepared and checked by.</param>
/// <param name="Product">The product drawn.</param>
/// <param name="Lots">The lots drawn into it (lot number and expiry), in the order drawn.</param>
/// <param name="Number">Its number in the session (1 for the first bag).</param>
public sealed record PreparationLabel(StockMovement Preparation, StockProduct Product, IReadOnlyList<StockLot> Lots, int Number);
