using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Stock;

/// <summary>A product to stock.</summary>
/// <param name="Name">Name as on the label (1 to 200 characters).</param>
/// <param name="Concentration">10, 50 or 100 mg/mL.</param>
/// <param name="ContainerVolume">Volume of one vial, 0.1 to 100 mL.</param>
/// <param name="Code">NDC, GTIN or national code (up to 64 characters), when known.</param>
public sealed record NewProduct(string Name, Concentration Concentration, Volume ContainerVolume, string? Code);

/// <summary>Sealed vials received from a supplier, counted by the receiver and a witness.</summary>
/// <param name="Product">The product.</param>
/// <param name="Location">Where they are put away.</param>
/// <param name="LotNumber">Lot number as printed (1 to 64 characters); a new lot is registered on first receipt.</param>
/// <param name="Expiry">Expiry date as printed.</param>
/// <param name="Vials">Vials received, 1 to <see cref="Services.StockService.MaxVials"/>.</param>
/// <param name="Supplier">Supplier's name (1 to 200 characters).</param>
/// <param name="Reference">Invoice, order form or DEA Form 222 number (1 to 200 characters).</param>
/// <param name="WitnessedBy">The witness: another active nurse or physician.</param>
public sealed record StockReceipt(ProductId Product, LocationId Location, string LotNumber, DateOnly Expiry, int Vials, string Supplier, string Reference, UserId WitnessedBy);

/// <summary>A move of stock between two locations.</summary>
/// <param name="Lot">The lot.</param>
/// <param name="From">From.</param>
/// <param name="To">To (another location).</param>
/// <param name="Volume">Volume moved, above 0.</param>
/// <param name="WitnessedBy">The witness.</param>
public sealed record StockTransfer(LotId Lot, LocationId From, LocationId To, StockVolume Volume, UserId WitnessedBy);

/// <summary>Drug drawn from a location for one patient's session.</summary>
/// <param name="Session">The session.</param>
/// <param name="Lot">The lot (not expired, not on hold).</param>
/// <param name="Location">The location.</param>
/// <param name="Volume">Volume drawn, above 0.</param>
/// <param name="WitnessedBy">The witness.</param>
public sealed record StockDraw(SessionId Session, LotId Lot, LocationId Location, StockVolume Volume, UserId WitnessedBy);

/// <summary>The session's infusion made up from the drug drawn for it, checked by a second person.</summary>
/// <param name="Session">The session (with its pump program).</param>
/// <param name="Diluent">Diluent, e.g. "sodium chloride 0.9 %" (1 to 200 characters).</param>
/// <param name="FinalVolume">Volume of the bag or syringe, above 0.</param>
/// <param name="FinalConcentration">Concentration of the preparation; must be the pump program's.</param>
/// <param name="CheckedBy">The checker.</param>
public sealed record SessionPreparation(SessionId Session, string Diluent, StockVolume FinalVolume, Concentration FinalConcentration, UserId CheckedBy);

/// <summary>The unused remainder of a session's preparation wasted before a witness.</summary>
/// <param name="Session">The session (the drug has ended).</param>
/// <param name="Volume">Volume of the prepared solution wasted; must be the remainder (prepared − given) within 0.1 mL.</param>
/// <param name="Method">How, e.g. "drug-waste container with charcoal" (1 to 200 characters).</param>
/// <param name="WitnessedBy">The witness.</param>
public sealed record SessionWaste(SessionId Session, StockVolume Volume, string Method, UserId WitnessedBy);

/// <summary>Stock wasted at a location (a broken, contaminated or expired vial), before a witness.</summary>
/// <param name="Lot">The lot.</param>
/// <param name="Location">The location.</param>
/// <param name="Volume">Volume, above 0.</param>
/// <param name="Method">How (1 to 200 characters).</param>
/// <param name="Reason">Why (1 to 500 characters).</param>
/// <param name="WitnessedBy">The witness.</param>
public sealed record LocationWaste(LotId Lot, LocationId Location, StockVolume Volume, string Method, string Reason, UserId WitnessedBy);

/// <summary>Stock returned to the supplier (or a reverse distributor).</summary>
/// <param name="Lot">The lot (a recalled lot too).</param>
/// <param name="Location">The location.</param>
/// <param name="Volume">Volume, above 0.</param>
/// <param name="Supplier">To whom (1 to 200 characters).</param>
/// <param name="Reference">Return authorisation or form number (1 to 200 characters).</param>
/// <param name="WitnessedBy">The witness.</param>
public sealed record SupplierReturn(LotId Lot, LocationId Location, StockVolume Volume, string Supplier, string Reference, UserId WitnessedBy);

/// <summary>A count of one lot at one location by two people.</summary>
/// <param name="Lot">The lot.</param>
/// <param name="Location">The location.</param>
/// <param name="Counted">What was counted, 0 or more.</param>
/// <param name="WitnessedBy">The second counter.</param>
public sealed record StockCount(LotId Lot, LocationId Location, StockVolume Counted, UserId WitnessedBy);

/// <summary>What a count found.</summary>
/// <param name="Expected">On hand by the ledger.</param>
/// <param name="Counted">Counted.</param>
/// <param name="Discrepancy">The discrepancy opened when they differ; null when they agree.</param>
public sealed record CountResult(StockVolume Expected, StockVolume Counted, Discrepancy? Discrepancy);

/// <summary>How a discrepancy is closed.</summary>
/// <param name="Discrepancy">The discrepancy.</param>
/// <param name="ExpectedVersion">The version the user saw.</param>
/// <param name="Resolution">What was found and done (1 to 500 characters), e.g. "miscount; recounted" or "loss reported on DEA Form 106".</param>
/// <param name="Adjust">True to amend the balance by the difference (the stock really differs); false when the count was wrong.</param>
/// <param name="WitnessedBy">The witness of the resolution.</param>
public sealed record DiscrepancyResolution(DiscrepancyId Discrepancy, long ExpectedVersion, string Resolution, bool Adjust, UserId WitnessedBy);
