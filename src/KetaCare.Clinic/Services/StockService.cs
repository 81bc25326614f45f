using System.Globalization;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Stock;
using KetaCare.Pharmacology.Units;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>
/// The chain of custody of ketamine, a controlled substance: products, locations and lots, and a perpetual,
/// append-only ledger of every receipt, transfer, draw for a session, preparation, waste, return, count and
/// adjustment. Every step is done by an active nurse or physician and witnessed by another; a refusal is a coded
/// finding. On hand per lot and location is the ledger's sum and never goes below zero: each movement updates the
/// balance row of its lot and location against the version it read, so of two nurses drawing the last vial at once
/// one draws it and the other is refused for insufficient stock — never both. One instance per unit of work; not
/// thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock for recorded times and expiry.</param>
/// <param name="staff">Who is an active nurse or physician.</param>
public sealed class StockService(KetaCareDbContext db, TimeProvider clock, IStaffDirectory staff)
{
    /// <summary>Most vials accepted in one receipt.</summary>
    public const int MaxVials = 10000;

    /// <summary>Longest name, supplier, reference, diluent or method, characters.</summary>
    public const int MaxTextLength = 200;

    /// <summary>Longest reason or resolution, characters.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Largest volume of one movement, mL (input plausibility).</summary>
    public const double MaxMovementMl = 100000;

    // A save that lost a race for a balance row is retried against the new balance; beyond this many losses in a row
    // the step is refused as a concurrent change instead of spinning.
    private const int Attempts = 5;

    private static readonly SessionState[] Ended = [SessionState.Completed, SessionState.StoppedEarly, SessionState.Recovery, SessionState.Discharged];

    /// <summary>Adds a product to the catalogue (no stock yet).</summary>
    public async Task<Outcome<StockProduct>> AddProductAsync(NewProduct product, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(product);
        var bad = Text("name", product.Name, MaxTextLength) ?? OptionalText("code", product.Code, 64);
        if (bad is { } refused)
        {
            return refused;
        }

        if (!StockProduct.Strengths.Any(s => Math.Abs(s - product.Concentration.MilligramsPerMilliliter) < 1e-9))
        {
            return Refusal.Coded(FindingCodes.StockStrengthUnsupported, FindingArg.Of("value", product.Concentration.MilligramsPerMilliliter, "mg/mL"));
        }

        if (product.ContainerVolume.Milliliters is < 0.1 or > 100)
        {
            return OutOfRange("containerVolume", product.ContainerVolume.Milliliters, 0.1, 100);
        }

        if (await EligibleAsync(by, "by", Staffing.Stock, cancellationToken).ConfigureAwait(false) is { } who)
        {
            return who;
        }

        var row = new StockProductRecord
        {
            Id = ProductId.New(),
            Name = product.Name.Trim(),
            ConcentrationMgPerMl = product.Concentration.MilligramsPerMilliliter,
            ContainerMicroliters = StockVolume.Of(product.ContainerVolume).Microliters,
            Code = string.IsNullOrWhiteSpace(product.Code) ? null : product.Code.Trim(),
        };
        db.StockProducts.Add(row);
        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, "product", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? Outcome<StockProduct>.Ok(ToProduct(row)) : saved.Refusal;
    }

    /// <summary>Adds a storage location; names are unique.</summary>
    public async Task<Outcome<StockLocation>> AddLocationAsync(string name, LocationKind kind, UserId by, CancellationToken cancellationToken = default)
    {
        if (Text("name", name, MaxTextLength) is { } bad)
        {
            return bad;
        }

        if (await EligibleAsync(by, "by", Staffing.Stock, cancellationToken).ConfigureAwait(false) is { } who)
        {
            return who;
        }

        var row = new StockLocationRecord { Id = LocationId.New(), Name = name.Trim(), Kind = kind.ToString() };
        db.StockLocations.Add(row);
        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, "location", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? Outcome<StockLocation>.Ok(ToLocation(row)) : saved.Refusal;
    }

    /// <summary>The products, by name.</summary>
    public async Task<IReadOnlyList<StockProduct>> ProductsAsync(CancellationToken cancellationToken = default) =>
        [.. (await db.StockProducts.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false)).Select(ToProduct).OrderBy(p => p.Name, StringComparer.Ordinal)];

    /// <summary>The locations, by name.</summary>
    public async Task<IReadOnlyList<StockLocation>> LocationsAsync(CancellationToken cancellationToken = default) =>
        [.. (await db.StockLocations.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false)).Select(ToLocation).OrderBy(l => l.Name, StringComparer.Ordinal)];

    /// <summary>The lots, by product and lot number.</summary>
    public async Task<IReadOnlyList<StockLot>> LotsAsync(CancellationToken cancellationToken = default) =>
        [.. (await db.StockLots.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false)).Select(ToLot).OrderBy(l => l.LotNumber, StringComparer.Ordinal)];

    /// <summary>
    /// Receives sealed vials into a location: registers the lot on its first receipt (a lot number received again must
    /// carry the same expiry) and appends the receipt with supplier, reference, receiver and witness.
    /// </summary>
    public async Task<Outcome<StockMovement>> ReceiveAsync(StockReceipt receipt, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var bad = Text("lotNumber", receipt.LotNumber, 64) ?? Text("supplier", receipt.Supplier, MaxTextLength) ?? Text("reference", receipt.Reference, MaxTextLength);
        if (bad is { } refused)
        {
            return refused;
        }

        if (receipt.Vials is < 1 or > MaxVials)
        {
            return OutOfRange("vials", receipt.Vials, 1, MaxVials);
        }

        if (await WitnessedAsync(by, receipt.WitnessedBy, "witness", Staffing.Stock, Staffing.Stock, cancellationToken).ConfigureAwait(false) is { } who)
        {
            return who;
        }

        var product = await db.StockProducts.AsNoTracking().FirstOrDefaultAsync(p => p.Id == receipt.Product, cancellationToken).ConfigureAwait(false);
        if (product is null)
        {
            return Refusal.NotFound("product", receipt.Product);
        }

        if (!await db.StockLocations.AnyAsync(l => l.Id == receipt.Location, cancellationToken).ConfigureAwait(false))
        {
            return Refusal.NotFound("location", receipt.Location);
        }

        var number = receipt.LotNumber.Trim();
        var lot = await db.StockLots.AsNoTracking().FirstOrDefaultAsync(l => l.ProductId == receipt.Product && l.LotNumber == number, cancellationToken).ConfigureAwait(false);
        if (lot is not null && lot.Expiry != receipt.Expiry)
        {
            return Refusal.Coded(FindingCodes.StockExpiryMismatch, FindingArg.Of("lot", number), FindingArg.Of("stored", Iso(lot.Expiry)), FindingArg.Of("given", Iso(receipt.Expiry)));
        }

        var newLot = lot is null ? new StockLotRecord { Id = LotId.New(), ProductId = product.Id, LotNumber = number, Expiry = receipt.Expiry, Hold = nameof(LotHold.None) } : null;
        var lotId = lot?.Id ?? newLot!.Id;
        var volume = StockVolume.FromMicroliters(product.ContainerMicroliters) * receipt.Vials;
        var movement = Movement(MovementKind.Receipt, by, receipt.WitnessedBy, lotId, receipt.Location, volume, Concentration(product)) with
        {
            Party = receipt.Supplier.Trim(),
            Reference = receipt.Reference.Trim(),
        };
        var r = await AppendAsync([movement], () =>
        {
            if (newLot is not null)
            {
                db.StockLots.Add(newLot);
            }

            return Task.FromResult<Refusal?>(null);
        }, by, cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Outcome<StockMovement>.Ok(r.Value[0]) : r.Refusal;
    }

    /// <summary>Moves stock of a lot from one location to another (two legs of one movement).</summary>
    public async Task<Outcome<IReadOnlyList<StockMovement>>> TransferAsync(StockTransfer transfer, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        if (transfer.From == transfer.To)
        {
            return Refusal.Coded(FindingCodes.StockSameLocation, FindingArg.Of("location", transfer.To.ToString()));
        }

        var checkedLot = await UsableLotAsync(transfer.Lot, transfer.Volume, by, Staffing.Stock, transfer.WitnessedBy, allowHeld: false, allowExpired: true, cancellationToken).ConfigureAwait(false);
        if (!checkedLot.IsSuccess)
        {
            return checkedLot.Refusal;
        }

        foreach (var location in new[] { transfer.From, transfer.To })
        {
            if (!await db.StockLocations.AnyAsync(l => l.Id == location, cancellationToken).ConfigureAwait(false))
            {
                return Refusal.NotFound("location", location);
            }
        }

        var c = checkedLot.Value.Concentration;
        var id = MovementId.New();
        var legs = new[]
        {
            Movement(MovementKind.TransferOut, by, transfer.WitnessedBy, transfer.Lot, transfer.From, -transfer.Volume, c) with { Id = id, Reference = transfer.To.ToString() },
            Movement(MovementKind.TransferIn, by, transfer.WitnessedBy, transfer.Lot, transfer.To, transfer.Volume, c) with { Id = id, Reference = transfer.From.ToString() },
        };
        var r = await AppendAsync(legs, null, by, cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Outcome<IReadOnlyList<StockMovement>>.Ok(r.Value) : r.Refusal;
    }

    /// <summary>
    /// Draws drug for a session of a patient: the lot must be within its expiry and not on hold, the session not
    /// finished, and the location must hold the volume.
    /// </summary>
    public async Task<Outcome<StockMovement>> DrawAsync(StockDraw draw, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draw);
        var checkedLot = await UsableLotAsync(draw.Lot, draw.Volume, by, Staffing.Clinical, draw.WitnessedBy, allowHeld: false, allowExpired: false, cancellationToken).ConfigureAwait(false);
        if (!checkedLot.IsSuccess)
        {
            return checkedLot.Refusal;
        }

        var session = await SessionAsync(draw.Session, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return Refusal.NotFound("session", draw.Session);
        }

        if (session.State is SessionState.Cancelled || Ended.Contains(session.State))
        {
            return WrongState("draw", session.State);
        }

        var movement = Movement(MovementKind.Draw, by, draw.WitnessedBy, draw.Lot, draw.Location, -draw.Volume, checkedLot.Value.Concentration) with
        {
            Patient = session.PatientId,
            Session = session.Id,
        };
        return await AppendOneAsync(movement, by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the session's preparation, checked by a second person: its concentration must be the pump program's
    /// (within 0.1 %, the tolerance of the program's second check) and it must hold the drug drawn for the session
    /// (within 1 %), so that drawn = prepared = given + wasted closes.
    /// </summary>
    public async Task<Outcome<StockMovement>> PrepareAsync(SessionPreparation preparation, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preparation);
        if (Text("diluent", preparation.Diluent, MaxTextLength) is { } bad)
        {
            return bad;
        }

        if (Volume("finalVolume", preparation.FinalVolume) is { } badVolume)
        {
            return badVolume;
        }

        if (await WitnessedAsync(by, preparation.CheckedBy, "checkedBy", Staffing.Clinical, Staffing.Clinical, cancellationToken).ConfigureAwait(false) is { } who)
        {
            return who;
        }

        var session = await SessionAsync(preparation.Session, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return Refusal.NotFound("session", preparation.Session);
        }

        if (session.State is SessionState.Cancelled || Ended.Contains(session.State))
        {
            return WrongState("preparation", session.State);
        }

        if (session.Program is not { } program)
        {
            return Refusal.Coded(FindingCodes.StockNoProgram, FindingArg.Of("session", session.Id.ToString()));
        }

        var programmed = program.Preparation.Concentration;
        if (!PreparationGate.Matches(preparation.FinalConcentration, programmed))
        {
            return Refusal.Coded(FindingCodes.StockConcentrationMismatch, FindingArg.Of("prepared", preparation.FinalConcentration.MilligramsPerMilliliter, "mg/mL"), FindingArg.Of("programmed", programmed.MilligramsPerMilliliter, "mg/mL"));
        }

        // A session may have several preparations (a second bag): each holds the drug drawn since the one before, so
        // that over the session drawn = prepared.
        var ledger = await SessionLedgerAsync(session.Id, cancellationToken).ConfigureAwait(false);
        var draws = ledger.Where(m => m.Kind == nameof(MovementKind.Draw)).ToList();
        var unprepared = draws.Sum(d => d.AmountMg) - ledger.Where(m => m.Kind == nameof(MovementKind.Preparation)).Sum(m => m.AmountMg);
        if (draws.Count == 0 || unprepared <= MassTolerance(unprepared))
        {
            return Refusal.Coded(FindingCodes.StockStepMissing, FindingArg.Of("step", "draw"));
        }

        var amount = preparation.FinalConcentration * preparation.FinalVolume;
        if (Math.Abs(amount.Milligrams - unprepared) > MassTolerance(unprepared))
        {
            return Refusal.Coded(FindingCodes.StockPreparedNotDrawn, FindingArg.Of("prepared", amount.Milligrams, "mg"), FindingArg.Of("drawn", unprepared, "mg"));
        }

        var last = draws[^1];
        var movement = Movement(MovementKind.Preparation, by, preparation.CheckedBy, last.LotId, last.LocationId, StockVolume.Zero, preparation.FinalConcentration) with
        {
            Amount = amount,
            Patient = session.PatientId,
            Session = session.Id,
            Party = preparation.Diluent.Trim(),
            Stated = preparation.FinalVolume,
            PreparedConcentration = preparation.FinalConcentration,
        };
        return await AppendOneAsync(movement, by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the witnessed waste of prepared drug of a session. Once the drug has ended (or the session was cancelled,
    /// nothing given) the volume is the remainder, computed, not typed: prepared − given by the session's dose account −
    /// wasted before; the volume the nurse and witness saw wasted must match it within 0.1 mL (a pump's volume step), or
    /// the step is refused so the difference is looked into, and the remainder is wasted once. While the session runs, a
    /// preparation that will not be given (a dropped or contaminated bag) is wasted with a volume of at most what is
    /// still prepared and not given.
    /// </summary>
    public async Task<Outcome<StockMovement>> WasteRemainderAsync(SessionWaste waste, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(waste);
        if (Text("method", waste.Method, MaxTextLength) is { } bad)
        {
            return bad;
        }

        if (waste.Volume.IsNegative || waste.Volume.Milliliters > MaxMovementMl)
        {
            return OutOfRange("volume", waste.Volume.Milliliters, 0, MaxMovementMl);
        }

        if (await WitnessedAsync(by, waste.WitnessedBy, "witness", Staffing.Clinical, Staffing.Stock, cancellationToken).ConfigureAwait(false) is { } who)
        {
            return who;
        }

        var session = await SessionAsync(waste.Session, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return Refusal.NotFound("session", waste.Session);
        }

        var final = session.State is SessionState.Cancelled || (Ended.Contains(session.State) && session.DrugEndedAt is not null);
        if (!final && session.State is not (SessionState.Running or SessionState.Paused or SessionState.PreAssessment))
        {
            return WrongState("waste", session.State);
        }

        var ledger = await SessionLedgerAsync(session.Id, cancellationToken).ConfigureAwait(false);
        var preparations = ledger.Where(m => m.Kind == nameof(MovementKind.Preparation)).ToList();
        if (preparations.Count == 0)
        {
            return Refusal.Coded(FindingCodes.StockStepMissing, FindingArg.Of("step", "preparation"));
        }

        var wastes = ledger.Where(m => m.Kind == nameof(MovementKind.Waste)).ToList();
        var endedAt = session.State is SessionState.Cancelled ? null : session.DrugEndedAt;
        if (final && wastes.Any(w => endedAt is null || w.At >= endedAt))
        {
            return Refusal.Coded(FindingCodes.StockStepRecorded, FindingArg.Of("step", "waste"));
        }

        var c = Pharmacology.Units.Concentration.FromMilligramsPerMilliliter(preparations[^1].ConcentrationMgPerMl!.Value);
        var given = session.Account(endedAt ?? Now()).Amount;
        var (remainder, remainderVolume) = SessionRemainder.Of(Mass.FromMilligrams(preparations.Sum(p => p.AmountMg)), given, Mass.FromMilligrams(wastes.Sum(w => w.AmountMg)), c);
        var tolerance = StockVolume.FromMilliliters(0.1);
        if (final ? (waste.Volume - remainderVolume).Magnitude > tolerance : waste.Volume <= StockVolume.Zero || waste.Volume > remainderVolume + tolerance)
        {
            return Refusal.Coded(FindingCodes.StockWasteMismatch, FindingArg.Of("stated", waste.Volume.Milliliters, "mL"), FindingArg.Of("remainder", remainderVolume.Milliliters, "mL"));
        }

        var last = preparations[^1];
        var movement = Movement(MovementKind.Waste, by, waste.WitnessedBy, last.LotId, last.LocationId, StockVolume.Zero, c) with
        {
            Amount = final ? remainder : c * waste.Volume,
            Patient = session.PatientId,
            Session = session.Id,
            Party = waste.Method.Trim(),
            Stated = waste.Volume,
            PreparedConcentration = c,
        };
        return await AppendOneAsync(movement, by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Wastes stock at a location (a broken or expired vial) before a witness.</summary>
    public Task<Outcome<StockMovement>> WasteAsync(LocationWaste waste, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(waste);
        return OutflowAsync(
            MovementKind.Waste,
            waste.Lot,
            waste.Location,
            waste.Volume,
            waste.WitnessedBy,
            Text("method", waste.Method, MaxTextLength) ?? Text("reason", waste.Reason, MaxReasonLength),
            m => m with { Party = waste.Method.Trim(), Reason = waste.Reason.Trim() },
            by,
            cancellationToken);
    }

    /// <summary>Returns stock to the supplier; allowed for quarantined, recalled and expired lots.</summary>
    public Task<Outcome<StockMovement>> ReturnAsync(SupplierReturn back, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(back);
        return OutflowAsync(
            MovementKind.Return,
            back.Lot,
            back.Location,
            back.Volume,
            back.WitnessedBy,
            Text("supplier", back.Supplier, MaxTextLength) ?? Text("reference", back.Reference, MaxTextLength),
            m => m with { Party = back.Supplier.Trim(), Reference = back.Reference.Trim() },
            by,
            cancellationToken);
    }

    /// <summary>
    /// Records a count by two people. The balance is never corrected by a count: a difference opens a
    /// <see cref="Discrepancy"/>, investigated and resolved with an adjustment that names it.
    /// </summary>
    public async Task<Outcome<CountResult>> CountAsync(StockCount count, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(count);
        if (count.Counted.IsNegative || count.Counted.Milliliters > MaxMovementMl)
        {
            return OutOfRange("counted", count.Counted.Milliliters, 0, MaxMovementMl);
        }

        var checkedLot = await UsableLotAsync(count.Lot, null, by, Staffing.Stock, count.WitnessedBy, allowHeld: true, allowExpired: true, cancellationToken).ConfigureAwait(false);
        if (!checkedLot.IsSuccess)
        {
            return checkedLot.Refusal;
        }

        if (!await db.StockLocations.AnyAsync(l => l.Id == count.Location, cancellationToken).ConfigureAwait(false))
        {
            return Refusal.NotFound("location", count.Location);
        }

        Discrepancy? found = null;
        StockVolume expected = default;
        var movement = Movement(MovementKind.Count, by, count.WitnessedBy, count.Lot, count.Location, StockVolume.Zero, checkedLot.Value.Concentration) with
        {
            Amount = checkedLot.Value.Concentration * count.Counted,
            Stated = count.Counted,
        };
        var r = await AppendAsync([movement], async () =>
        {
            // Read inside the attempt: the expected balance is the one this count's save is checked against.
            var row = await db.StockBalances.FirstOrDefaultAsync(b => b.LotId == count.Lot && b.LocationId == count.Location, cancellationToken).ConfigureAwait(false);
            expected = StockVolume.FromMicroliters(row?.OnHandMicroliters ?? 0);
            found = null;
            if (expected != count.Counted)
            {
                var d = new StockDiscrepancyRecord
                {
                    Id = DiscrepancyId.New(),
                    LotId = count.Lot,
                    LocationId = count.Location,
                    ExpectedMicroliters = expected.Microliters,
                    CountedMicroliters = count.Counted.Microliters,
                    FoundAt = Now(),
                    CountedBy = by,
                    WitnessedBy = count.WitnessedBy,
                    Status = nameof(DiscrepancyStatus.Open),
                };
                db.StockDiscrepancies.Add(d);
                found = ToDiscrepancy(d);
            }

            return null;
        }, by, cancellationToken, m => found is null ? m : m with { Discrepancy = found.Id }).ConfigureAwait(false);
        return r.IsSuccess ? Outcome<CountResult>.Ok(new CountResult(expected, count.Counted, found)) : r.Refusal;
    }

    /// <summary>Adds a note to a discrepancy's investigation (it stays open until resolved).</summary>
    public async Task<Outcome<Discrepancy>> InvestigateAsync(DiscrepancyId id, long expectedVersion, string note, UserId by, CancellationToken cancellationToken = default)
    {
        if (Text("note", note, MaxReasonLength) is { } bad)
        {
            return bad;
        }

        if (await EligibleAsync(by, "by", Staffing.Stock, cancellationToken).ConfigureAwait(false) is { } who)
        {
            return who;
        }

        var row = await db.StockDiscrepancies.FirstOrDefaultAsync(d => d.Id == id, cancellationToken).ConfigureAwait(false);
        var refused = Open(row, id, expectedVersion);
        if (refused is not null)
        {
            db.ChangeTracker.Clear();
            return refused.Value;
        }

        var line = string.Create(CultureInfo.InvariantCulture, $"{Now():yyyy-MM-dd'T'HH:mm'Z'} {by}: {note.Trim()}");
        row!.Investigation = row.Investigation is null ? line : row.Investigation + "\n" + line;
        row.Status = nameof(DiscrepancyStatus.Investigating);
        row.Version++;
        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, "discrepancy", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? Outcome<Discrepancy>.Ok(ToDiscrepancy(row)) : saved.Refusal;
    }

    /// <summary>
    /// Resolves a discrepancy, witnessed. With <see cref="DiscrepancyResolution.Adjust"/> the balance is amended by the
    /// difference in an adjustment that names the discrepancy (refused when that would leave less than zero); without
    /// it the count was wrong and the ledger stands.
    /// </summary>
    public async Task<Outcome<Discrepancy>> ResolveAsync(DiscrepancyResolution resolution, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        if (Text("resolution", resolution.Resolution, MaxReasonLength) is { } bad)
        {
            return bad;
        }

        if (await WitnessedAsync(by, resolution.WitnessedBy, "witness", Staffing.Stock, Staffing.Stock, cancellationToken).ConfigureAwait(false) is { } who)
        {
            return who;
        }

        var current = await db.StockDiscrepancies.AsNoTracking().FirstOrDefaultAsync(d => d.Id == resolution.Discrepancy, cancellationToken).ConfigureAwait(false);
        if (Open(current, resolution.Discrepancy, resolution.ExpectedVersion) is { } refused)
        {
            return refused;
        }

        var lot = await db.StockLots.AsNoTracking().FirstAsync(l => l.Id == current!.LotId, cancellationToken).ConfigureAwait(false);
        var product = await db.StockProducts.AsNoTracking().FirstAsync(p => p.Id == lot.ProductId, cancellationToken).ConfigureAwait(false);
        var difference = StockVolume.FromMicroliters(current!.CountedMicroliters - current.ExpectedMicroliters);
        var adjustment = Movement(MovementKind.Adjustment, by, resolution.WitnessedBy, current.LotId, current.LocationId, difference, Concentration(product)) with
        {
            Reason = resolution.Resolution.Trim(),
            Discrepancy = current.Id,
        };
        StockDiscrepancyRecord? row = null;
        var r = await AppendAsync(resolution.Adjust ? [adjustment] : [], async () =>
        {
            row = await db.StockDiscrepancies.FirstAsync(d => d.Id == resolution.Discrepancy, cancellationToken).ConfigureAwait(false);
            if (Open(row, resolution.Discrepancy, resolution.ExpectedVersion) is { } stale)
            {
                return stale;
            }

            row.Status = nameof(DiscrepancyStatus.Resolved);
            row.Resolution = resolution.Resolution.Trim();
            row.ResolvedBy = by;
            row.Version++;
            return null;
        }, by, cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Outcome<Discrepancy>.Ok(ToDiscrepancy(row!)) : r.Refusal;
    }

    /// <summary>Puts a lot in quarantine, records a recall, or releases it (with a reason, audited).</summary>
    public async Task<Outcome<StockLot>> SetHoldAsync(LotId id, LotHold hold, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        if (Text("reason", reason, MaxReasonLength) is { } bad)
        {
            return bad;
        }

        if (await EligibleAsync(by, "by", Staffing.Stock, cancellationToken).ConfigureAwait(false) is { } who)
        {
            return who;
        }

        var row = await db.StockLots.FirstOrDefaultAsync(l => l.Id == id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return Refusal.NotFound("lot", id);
        }

        row.Hold = hold.ToString();
        row.Version++;
        db.Actor = by;
        db.RecordEvent("stock-hold", "stock-lot", id.ToString(), hold + ": " + reason.Trim());
        var saved = await Conflicts.SaveAsync(db, "lot", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? Outcome<StockLot>.Ok(ToLot(row)) : saved.Refusal;
    }

    /// <summary>
    /// On hand per lot and location, summed from the ledger (not read from the balance rows, which only anchor
    /// concurrent writes): received − transferred out + transferred in − drawn − wasted − returned ± adjusted.
    /// Lots with nothing on hand are left out.
    /// </summary>
    public async Task<IReadOnlyList<StockBalance>> BalancesAsync(ProductId? product = null, LocationId? location = null, CancellationToken cancellationToken = default)
    {
        var sums = await db.StockMovements.AsNoTracking()
            .Where(m => location == null || m.LocationId == location)
            .GroupBy(m => new { m.LotId, m.LocationId })
            .Select(g => new { g.Key.LotId, g.Key.LocationId, OnHand = g.Sum(m => m.ChangeMicroliters) })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var lots = (await db.StockLots.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(l => l.Id);
        var products = (await db.StockProducts.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Id);
        var locations = (await db.StockLocations.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(l => l.Id);
        return [.. sums
            .Where(s => s.OnHand != 0 && (product is null || lots[s.LotId].ProductId == product))
            .Select(s =>
            {
                var lot = lots[s.LotId];
                var p = products[lot.ProductId];
                var onHand = StockVolume.FromMicroliters(s.OnHand);
                return new StockBalance(ToProduct(p), ToLot(lot), ToLocation(locations[s.LocationId]), onHand, Concentration(p) * onHand);
            })
            .OrderBy(b => b.Product.Name, StringComparer.Ordinal)
            .ThenBy(b => b.Lot.LotNumber, StringComparer.Ordinal)
            .ThenBy(b => b.Location.Name, StringComparer.Ordinal)];
    }

    /// <summary>The ledger in the order written, optionally of one lot (the controlled-substance register).</summary>
    public async Task<IReadOnlyList<StockMovement>> RegisterAsync(LotId? lot = null, CancellationToken cancellationToken = default)
    {
        var rows = await db.StockMovements.AsNoTracking().Where(m => lot == null || m.LotId == lot).OrderBy(m => m.Sequence).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ToMovement)];
    }

    /// <summary>The movements of one session's drug (draws, preparations, waste) in the order written, read by the session's index.</summary>
    public async Task<IReadOnlyList<StockMovement>> SessionRegisterAsync(SessionId session, CancellationToken cancellationToken = default) =>
        [.. (await SessionLedgerAsync(session, cancellationToken).ConfigureAwait(false)).Select(ToMovement)];

    /// <summary>The discrepancies, open ones first, oldest first.</summary>
    public async Task<IReadOnlyList<Discrepancy>> DiscrepanciesAsync(bool openOnly = false, CancellationToken cancellationToken = default)
    {
        var resolved = nameof(DiscrepancyStatus.Resolved);
        var rows = await db.StockDiscrepancies.AsNoTracking().Where(d => !openOnly || d.Status != resolved).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ToDiscrepancy).OrderBy(d => d.Status == DiscrepancyStatus.Resolved).ThenBy(d => d.FoundAt)];
    }

    /// <summary>What happened to the drug drawn for a session: drawn, prepared, given (dose account), wasted.</summary>
    public async Task<Outcome<SessionCustody>> CustodyAsync(SessionId id, CancellationToken cancellationToken = default)
    {
        var session = await SessionAsync(id, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return Refusal.NotFound("session", id);
        }

        var ledger = await SessionLedgerAsync(id, cancellationToken).ConfigureAwait(false);
        Mass Sum(MovementKind kind) => Mass.FromMilligrams(ledger.Where(m => m.Kind == kind.ToString()).Sum(m => m.AmountMg));
        var prepared = ledger.Any(m => m.Kind == nameof(MovementKind.Preparation)) ? Sum(MovementKind.Preparation) : (Mass?)null;
        var given = session.Account(session.DrugEndedAt ?? Now()).Amount;
        return Outcome<SessionCustody>.Ok(new SessionCustody(id, Sum(MovementKind.Draw), prepared, given, Sum(MovementKind.Waste)));
    }

    /// <summary>
    /// Audits a reading of the register on screen (the overview, the discrepancies, a session's custody or labels) as a
    /// download is audited, naming the patient when the page is one patient's.
    /// </summary>
    public async Task RecordReadAsync(string what, UserId by, PatientId patient = default, CancellationToken cancellationToken = default)
    {
        db.Actor = by;
        db.RecordEvent("read", "stock-register", what, "controlled-substance register on screen: " + what, patient);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The labels of a session's preparations, one per bag or syringe, each with the lots drawn since the preparation
    /// before it (the drug that went into it) and their expiry.
    /// </summary>
    public async Task<IReadOnlyList<PreparationLabel>> LabelsAsync(SessionId id, CancellationToken cancellationToken = default)
    {
        var ledger = (await SessionLedgerAsync(id, cancellationToken).ConfigureAwait(false)).Select(ToMovement).ToList();
        var lots = (await LotsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(l => l.Id);
        var products = (await ProductsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Id);
        var labels = new List<PreparationLabel>();
        var drawn = new List<StockLot>();
        foreach (var m in ledger)
        {
            if (m.Kind == MovementKind.Draw && !drawn.Contains(lots[m.Lot]))
            {
                drawn.Add(lots[m.Lot]);
            }
            else if (m.Kind == MovementKind.Preparation)
            {
                var lot = drawn.Count > 0 ? drawn[^1] : lots[m.Lot];
                labels.Add(new PreparationLabel(m, products[lot.Product], drawn.Count > 0 ? [.. drawn] : [lot], labels.Count + 1));
                drawn.Clear();
            }
        }

        return labels;
    }

    /// <summary>
    /// The stock rule of an infusion's start (<see cref="PreparationGate"/>): the session's recorded preparations against
    /// its pump program, a preparation required when the clinic's <see cref="StockSettings"/> say so (by default once the
    /// clinic has received stock). Null when the start may go on, or when the session has no program yet.
    /// </summary>
    public async Task<Finding?> StartFindingAsync(InfusionSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Program is not { } program)
        {
            return null;
        }

        var (settings, _) = await new SettingsService(db, clock).StockSettingsAsync(cancellationToken).ConfigureAwait(false);
        var receipt = nameof(MovementKind.Receipt);
        var required = settings.RequiresPreparation(await db.StockMovements.AnyAsync(m => m.Kind == receipt, cancellationToken).ConfigureAwait(false));
        var preparation = nameof(MovementKind.Preparation);
        var prepared = await db.StockMovements.AsNoTracking().Where(m => m.SessionId == session.Id && m.Kind == preparation).OrderBy(m => m.Sequence).Select(m => m.ConcentrationMgPerMl).ToListAsync(cancellationToken).ConfigureAwait(false);
        return PreparationGate.Check(required, program.Preparation.Concentration, [.. prepared.Select(c => Pharmacology.Units.Concentration.FromMilligramsPerMilliliter(c!.Value))], session.Id);
    }

    /// <summary>
    /// Appends movements in one unit of work with their balance changes and audit events. Each balance row is updated
    /// against the version read; when a concurrent movement got there first the save fails, nothing is written, and
    /// the whole step — balances read again, <paramref name="alongside"/> run again — is retried, so the loser of a
    /// race for the last vial is refused for insufficient stock rather than for a conflict.
    /// </summary>
    private async Task<Outcome<IReadOnlyList<StockMovement>>> AppendAsync(
        IReadOnlyList<StockMovement> movements,
        Func<Task<Refusal?>>? alongside,
        UserId by,
        CancellationToken cancellationToken,
        Func<StockMovement, StockMovement>? complete = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            if (alongside is not null && await alongside().ConfigureAwait(false) is { } refused)
            {
                db.ChangeTracker.Clear();
                return refused;
            }

            var written = movements.Select(m => complete?.Invoke(m) ?? m).ToList();
            foreach (var leg in written.Where(m => m.Change != StockVolume.Zero).GroupBy(m => (m.Lot, m.Location)))
            {
                var change = leg.Aggregate(StockVolume.Zero, (sum, m) => sum + m.Change);
                var row = await db.StockBalances.FirstOrDefaultAsync(b => b.LotId == leg.Key.Lot && b.LocationId == leg.Key.Location, cancellationToken).ConfigureAwait(false);
                var onHand = StockVolume.FromMicroliters(row?.OnHandMicroliters ?? 0);
                if ((onHand + change).IsNegative)
                {
                    db.ChangeTracker.Clear();
                    return Refusal.Coded(FindingCodes.StockInsufficient, FindingArg.Of("lot", leg.Key.Lot.ToString()), FindingArg.Of("onHand", onHand.Milliliters, "mL"), FindingArg.Of("requested", (-change).Milliliters, "mL"));
                }

                if (row is null)
                {
                    db.StockBalances.Add(new StockBalanceRecord { LotId = leg.Key.Lot, LocationId = leg.Key.Location, OnHandMicroliters = change.Microliters });
                }
                else
                {
                    row.OnHandMicroliters = (onHand + change).Microliters;
                    row.Version++;
                }
            }

            db.StockMovements.AddRange(written.Select(ToRecord));
            db.Actor = by;
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                db.ChangeTracker.Clear();
                return Outcome<IReadOnlyList<StockMovement>>.Ok(written);
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                // Another movement of the same lot and location was saved since the balance was read: read it again.
            }
            catch (DbUpdateException e) when (attempt < Attempts && Conflicts.IsUniqueViolation(e))
            {
                // Two first movements of a lot at a location both created its balance row: the second adds to the first's.
            }
            catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || Conflicts.IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
                return Refusal.Coded(FindingCodes.VersionConflict, FindingArg.Of("what", "stock"));
            }
            catch
            {
                db.ChangeTracker.Clear();
                throw;
            }
        }
    }

    /// <summary>Stock leaving a location for good (waste, return): any lot, held or expired, that holds the volume.</summary>
    private async Task<Outcome<StockMovement>> OutflowAsync(MovementKind kind, LotId lot, LocationId location, StockVolume volume, UserId witness, Refusal? badText, Func<StockMovement, StockMovement> details, UserId by, CancellationToken cancellationToken)
    {
        if (badText is { } refused)
        {
            return refused;
        }

        var checkedLot = await UsableLotAsync(lot, volume, by, Staffing.Stock, witness, allowHeld: true, allowExpired: true, cancellationToken).ConfigureAwait(false);
        return checkedLot.IsSuccess
            ? await AppendOneAsync(details(Movement(kind, by, witness, lot, location, -volume, checkedLot.Value.Concentration)), by, cancellationToken).ConfigureAwait(false)
            : checkedLot.Refusal;
    }

    private async Task<Outcome<StockMovement>> AppendOneAsync(StockMovement movement, UserId by, CancellationToken cancellationToken)
    {
        var r = await AppendAsync([movement], null, by, cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Outcome<StockMovement>.Ok(r.Value[0]) : r.Refusal;
    }

    private async Task<Outcome<StockProduct>> UsableLotAsync(LotId lotId, StockVolume? volume, UserId by, Staffing actor, UserId witness, bool allowHeld, bool allowExpired, CancellationToken cancellationToken)
    {
        if (volume is { } v && Volume("volume", v) is { } badVolume)
        {
            return badVolume;
        }

        if (await WitnessedAsync(by, witness, "witness", actor, Staffing.Stock, cancellationToken).ConfigureAwait(false) is { } who)
        {
            return who;
        }

        var lot = await db.StockLots.AsNoTracking().FirstOrDefaultAsync(l => l.Id == lotId, cancellationToken).ConfigureAwait(false);
        if (lot is null)
        {
            return Refusal.NotFound("lot", lotId);
        }

        var domain = ToLot(lot);
        if (!allowHeld && domain.Hold != LotHold.None)
        {
            return Refusal.Coded(FindingCodes.StockLotOnHold, FindingArg.Of("lot", lot.LotNumber), FindingArg.Of("hold", lot.Hold));
        }

        if (!allowExpired && domain.IsExpiredOn(DateOnly.FromDateTime(Now().UtcDateTime)))
        {
            return Refusal.Coded(FindingCodes.StockLotExpired, FindingArg.Of("lot", lot.LotNumber), FindingArg.Of("expiry", Iso(lot.Expiry)));
        }

        var product = await db.StockProducts.AsNoTracking().FirstAsync(p => p.Id == lot.ProductId, cancellationToken).ConfigureAwait(false);
        return Outcome<StockProduct>.Ok(ToProduct(product));
    }

    /// <summary>
    /// Refused unless the actor may do the step (<paramref name="actor"/>) and <paramref name="witness"/> is another
    /// active member of staff allowed to witness it (<paramref name="witnessing"/>).
    /// </summary>
    private async Task<Refusal?> WitnessedAsync(UserId by, UserId witness, string field, Staffing actor, Staffing witnessing, CancellationToken cancellationToken)
    {
        if (witness == by)
        {
            return Refusal.Coded(FindingCodes.StockWitnessSamePerson, FindingArg.Of("field", field));
        }

        return await EligibleAsync(by, "by", actor, cancellationToken).ConfigureAwait(false) ?? await EligibleAsync(witness, field, witnessing, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Refusal?> EligibleAsync(UserId user, string field, Staffing staffing, CancellationToken cancellationToken)
    {
        var member = await staff.FindAsync(user, cancellationToken).ConfigureAwait(false);
        var eligible = staffing == Staffing.Clinical ? member is { IsActiveClinician: true } : member is { IsActiveStockHandler: true };
        return eligible
            ? null
            : Refusal.Coded(staffing == Staffing.Clinical ? FindingCodes.StockUserNotEligible : FindingCodes.StockUserNotStaff, FindingArg.Of("field", field), FindingArg.Of("user", user.ToString()));
    }

    private async Task<InfusionSession?> SessionAsync(SessionId id, CancellationToken cancellationToken)
    {
        var doc = await db.Sessions.AsNoTracking().Where(s => s.Id == id).Select(s => s.Document).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return doc is null ? null : StateJson.Deserialize<InfusionSession>(doc);
    }

    private Task<List<StockMovementRecord>> SessionLedgerAsync(SessionId id, CancellationToken cancellationToken) =>
        db.StockMovements.AsNoTracking().Where(m => m.SessionId == id).OrderBy(m => m.Sequence).ToListAsync(cancellationToken);

    private static Refusal? Open(StockDiscrepancyRecord? row, DiscrepancyId id, long expectedVersion) => row switch
    {
        null => Refusal.NotFound("discrepancy", id),
        { Status: nameof(DiscrepancyStatus.Resolved) } => Refusal.Coded(FindingCodes.StockDiscrepancyResolved, FindingArg.Of("discrepancy", id.ToString())),
        _ => Conflicts.Check("discrepancy", row.Version, expectedVersion),
    };

    private StockMovement Movement(MovementKind kind, UserId by, UserId? witness, LotId lot, LocationId location, StockVolume change, Concentration c) =>
        new(MovementId.New(), kind, AuditChain.ToMicroseconds(Now()), by, witness, lot, location, change, c * change.Magnitude, null, null, null, null, null, null, null, null);

    private DateTimeOffset Now() => clock.GetUtcNow();

    // Drawn and prepared drug agree within 1 % (the accuracy of drawing up a syringe).
    private static double MassTolerance(double milligrams) => Math.Abs(milligrams) * 0.01;

    private static Refusal? Text(string field, string? value, int max) =>
        string.IsNullOrWhiteSpace(value) || value.Trim().Length > max
            ? Refusal.Coded(FindingCodes.StockTextLength, FindingArg.Of("field", field), FindingArg.Of("max", max))
            : null;

    private static Refusal? OptionalText(string field, string? value, int max) =>
        value is not null && value.Trim().Length > max ? Refusal.Coded(FindingCodes.StockTextLength, FindingArg.Of("field", field), FindingArg.Of("max", max)) : null;

    private static Refusal? Volume(string field, StockVolume volume) =>
        volume <= StockVolume.Zero || volume.Milliliters > MaxMovementMl ? OutOfRange(field, volume.Milliliters, 0.001, MaxMovementMl) : null;

    private static Refusal OutOfRange(string field, double value, double min, double max)
    {
        var unit = field == "vials" ? string.Empty : "mL";
        return Refusal.Coded(FindingCodes.StockQuantityOutOfRange, FindingArg.Of("field", field), FindingArg.Of("value", value, unit), FindingArg.Of("min", min, unit), FindingArg.Of("max", max, unit));
    }

    private static Refusal WrongState(string step, SessionState state) =>
        Refusal.Coded(FindingCodes.StockSessionState, FindingArg.Of("step", step), FindingArg.Of("state", state.ToString()));

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Concentration Concentration(StockProductRecord p) => Pharmacology.Units.Concentration.FromMilligramsPerMilliliter(p.ConcentrationMgPerMl);

    private static StockProduct ToProduct(StockProductRecord p) =>
        new(p.Id, p.Name, Concentration(p), Pharmacology.Units.Volume.FromMilliliters(StockVolume.FromMicroliters(p.ContainerMicroliters).Milliliters), p.Code);

    private static StockLocation ToLocation(StockLocationRecord l) => new(l.Id, l.Name, Enum.Parse<LocationKind>(l.Kind));

    private static StockLot ToLot(StockLotRecord l) => new(l.Id, l.ProductId, l.LotNumber, l.Expiry, Enum.Parse<LotHold>(l.Hold));

    private static Discrepancy ToDiscrepancy(StockDiscrepancyRecord d) => new(
        d.Id, d.LotId, d.LocationId, StockVolume.FromMicroliters(d.ExpectedMicroliters), StockVolume.FromMicroliters(d.CountedMicroliters), d.FoundAt, d.CountedBy, d.WitnessedBy,
        Enum.Parse<DiscrepancyStatus>(d.Status), d.Investigation, d.Resolution, d.ResolvedBy, d.Version);

    private static StockMovement ToMovement(StockMovementRecord m) => new(
        m.MovementId, Enum.Parse<MovementKind>(m.Kind), m.At, m.By, m.WitnessedBy, m.LotId, m.LocationId, StockVolume.FromMicroliters(m.ChangeMicroliters), Mass.FromMilligrams(m.AmountMg),
        m.PatientId == default ? null : m.PatientId, m.SessionId, m.Party, m.Reference, m.Reason,
        m.StatedMicroliters is { } s ? StockVolume.FromMicroliters(s) : null,
        m.ConcentrationMgPerMl is { } c ? Pharmacology.Units.Concentration.FromMilligramsPerMilliliter(c) : null,
        m.DiscrepancyId);

    private static StockMovementRecord ToRecord(StockMovement m) => new()
    {
        MovementId = m.Id,
        Kind = m.Kind.ToString(),
        At = m.At,
        By = m.By,
        WitnessedBy = m.WitnessedBy,
        LotId = m.Lot,
        LocationId = m.Location,
        ChangeMicroliters = m.Change.Microliters,
        AmountMg = m.Amount.Milligrams,
        PatientId = m.Patient ?? default,
        SessionId = m.Session,
        Party = m.Party,
        Reference = m.Reference,
        Reason = m.Reason,
        StatedMicroliters = m.Stated?.Microliters,
        ConcentrationMgPerMl = m.PreparedConcentration?.MilligramsPerMilliliter,
        DiscrepancyId = m.Discrepancy,
    };

    /// <summary>Who may do or witness a step: the register's own steps take a stock keeper too, a patient's session a clinician.</summary>
    private enum Staffing
    {
        /// <summary>An active nurse, physician or stock keeper: receipts, transfers, counts, returns, wastes at a location, holds, discrepancies; the witness of a draw or a waste.</summary>
        Stock,

        /// <summary>An active nurse or physician: a session's draw, preparation and its check, and the waste of its remainder.</summary>
        Clinical,
    }
}
