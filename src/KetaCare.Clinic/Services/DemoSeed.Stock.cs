using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Stock;
using KetaCare.Pharmacology.Units;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>
/// The demo clinic's controlled-substance register: one product, a safe and the treatment room's cabinet, a witnessed
/// receipt of ten vials by the stock keeper, three vials moved to the cabinet, the chain of custody of every demo session
/// (drawn, prepared and checked, the remainder wasted before a witness) and a closing count. With stock received, the
/// clinic requires a recorded preparation before an infusion starts (<see cref="StockSettings"/>'s default).
/// </summary>
public static partial class DemoSeed
{
    /// <summary>The demo lot's number.</summary>
    public const string DemoLotNumber = "KX2512A";

    /// <summary>The demo product's name.</summary>
    public const string DemoProductName = "Ketamine 50 mg/mL 10 mL vial";

    /// <summary>The treatment room's cabinet, where the sessions draw from.</summary>
    public const string DemoCabinet = "Treatment room cabinet";

    /// <summary>The safe.</summary>
    public const string DemoSafe = "Main safe";

    private static async Task StockAsync(ClinicDatabase database, TimeProvider auditClock, DemoClock clock, CancellationToken ct)
    {
        await using var db = database.Open(SeedUser, auditClock);
        var stock = new StockService(db, clock, Staff);
        var product = Ok(await stock.AddProductAsync(new NewProduct(DemoProductName, Concentration.FromMilligramsPerMilliliter(50), Volume.FromMilliliters(10), "DEMO-KET-50-10"), DemoStockKeeper, ct).ConfigureAwait(false));
        var safe = Ok(await stock.AddLocationAsync(DemoSafe, LocationKind.Safe, DemoStockKeeper, ct).ConfigureAwait(false));
        var cabinet = Ok(await stock.AddLocationAsync(DemoCabinet, LocationKind.Cabinet, DemoStockKeeper, ct).ConfigureAwait(false));
        var receipt = Ok(await stock.ReceiveAsync(new StockReceipt(product.Id, safe.Id, DemoLotNumber, new DateOnly(2028, 11, 30), 10, "Demo Pharma Wholesale, 12 Depot Road (demo supplier)", "INV-2026-0012", DemoNurse), DemoStockKeeper, ct).ConfigureAwait(false));
        clock.Advance(TimeSpan.FromMinutes(30));
        Ok(await stock.TransferAsync(new StockTransfer(receipt.Lot, safe.Id, cabinet.Id, StockVolume.FromMilliliters(30), DemoNurse), DemoStockKeeper, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// The demo session's drug drawn from the demo lot at <paramref name="location"/> (<see cref="DemoCabinet"/> or
    /// <see cref="DemoSafe"/>) by the demo nurse, witnessed by the second nurse, and its bag prepared at the pump
    /// program's concentration, checked by the second nurse: what the demo clinic requires before an infusion starts.
    /// </summary>
    /// <param name="db">The context.</param>
    /// <param name="clock">The clock of the steps.</param>
    /// <param name="session">A demo session with its pump program.</param>
    /// <param name="location">Where to draw from.</param>
    /// <param name="ct">Cancellation.</param>
    public static async Task<Outcome> PrepareDrugAsync(KetaCareDbContext db, TimeProvider clock, InfusionSession session, string location, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var stock = new StockService(db, clock, Staff);
        var bag = session.Program!.Preparation;
        var lot = (await stock.LotsAsync(ct).ConfigureAwait(false)).Single(l => l.LotNumber == DemoLotNumber);
        var product = (await stock.ProductsAsync(ct).ConfigureAwait(false)).Single(p => p.Id == lot.Product);
        var at = (await stock.LocationsAsync(ct).ConfigureAwait(false)).Single(l => l.Name == location);
        var volume = StockVolume.Of(bag.ContainerVolume);
        var drawn = await stock.DrawAsync(new StockDraw(session.Id, lot.Id, at.Id, StockVolume.Holding(bag.Concentration * volume, product.Concentration), DemoSecondNurse), DemoNurse, ct).ConfigureAwait(false);
        if (!drawn.IsSuccess)
        {
            return drawn.Refusal;
        }

        var prepared = await stock.PrepareAsync(new SessionPreparation(session.Id, "sodium chloride 0.9 %", volume, bag.Concentration, DemoSecondNurse), DemoNurse, ct).ConfigureAwait(false);
        return prepared.IsSuccess ? Outcome.Ok() : prepared.Refusal;
    }

    // A synthetic course's drug, received into the cabinet under the demo lot (witnessed) before its first session: two
    // vials a session hold any bag the cohort's courses prepare, so a cohort of any size never empties the demo cabinet.
    private static async Task RestockCabinetAsync(ClinicDatabase database, TimeProvider auditClock, DemoClock clock, int sessions, string reference, CancellationToken ct)
    {
        await using var db = database.Open(SeedUser, auditClock);
        if (!await HasDemoStockAsync(db, ct).ConfigureAwait(false))
        {
            return;
        }

        var stock = new StockService(db, clock, Staff);
        var product = (await stock.ProductsAsync(ct).ConfigureAwait(false)).Single(p => p.Name == DemoProductName);
        var cabinet = (await stock.LocationsAsync(ct).ConfigureAwait(false)).Single(l => l.Name == DemoCabinet);
        Ok(await stock.ReceiveAsync(new StockReceipt(product.Id, cabinet.Id, DemoLotNumber, new DateOnly(2028, 11, 30), 2 * sessions, "Demo Pharma Wholesale, 12 Depot Road (demo supplier)", reference, DemoNurse), DemoStockKeeper, ct).ConfigureAwait(false));
    }

    // Before the start: the bag's drug drawn from the cabinet and the bag prepared at the program's concentration.
    private static async Task PrepareAsync(ClinicDatabase database, TimeProvider auditClock, DemoClock clock, InfusionSession session, CancellationToken ct)
    {
        await using var db = database.Open(SeedUser, auditClock);
        if (!await HasDemoStockAsync(db, ct).ConfigureAwait(false))
        {
            return;
        }

        var prepared = await PrepareDrugAsync(db, clock, session, DemoCabinet, ct).ConfigureAwait(false);
        Expect(prepared.IsSuccess, prepared.IsSuccess ? null : prepared.Error);
    }

    // Once the drug has ended: the remainder the two nurses see is the computed one.
    private static async Task WasteAsync(ClinicDatabase database, TimeProvider auditClock, DemoClock clock, InfusionSession session, CancellationToken ct)
    {
        await using var db = database.Open(SeedUser, auditClock);
        if (!await HasDemoStockAsync(db, ct).ConfigureAwait(false))
        {
            return;
        }

        var stock = new StockService(db, clock, Staff);
        var custody = Ok(await stock.CustodyAsync(session.Id, ct).ConfigureAwait(false));
        var (_, volume) = SessionRemainder.Of(custody.Prepared!.Value, custody.Given, custody.Wasted, session.Program!.Preparation.Concentration);
        Ok(await stock.WasteRemainderAsync(new SessionWaste(session.Id, volume, "drug-waste container with activated charcoal", DemoSecondNurse), DemoNurse, ct).ConfigureAwait(false));
    }

    // The end of the demo fortnight: both locations counted by the stock keeper and a nurse, each agreeing with the ledger.
    private static async Task CountAsync(ClinicDatabase database, TimeProvider auditClock, DemoClock clock, CancellationToken ct)
    {
        await using var db = database.Open(SeedUser, auditClock);
        var stock = new StockService(db, clock, Staff);
        foreach (var b in await stock.BalancesAsync(cancellationToken: ct).ConfigureAwait(false))
        {
            var counted = Ok(await stock.CountAsync(new StockCount(b.Lot.Id, b.Location.Id, b.OnHand, DemoNurse), DemoStockKeeper, ct).ConfigureAwait(false));
            Expect(counted.Discrepancy is null, "demo count differs at " + b.Location.Name);
        }
    }

    // A database seeded without the register (a synthetic cohort on its own) holds no stock; its clinic requires no
    // preparation before a start (the register's default), so its sessions run without custody steps.
    private static Task<bool> HasDemoStockAsync(KetaCareDbContext db, CancellationToken ct) =>
        db.StockLots.AnyAsync(l => l.LotNumber == DemoLotNumber, ct);

    private static T Ok<T>(Outcome<T> outcome)
    {
        Expect(outcome.IsSuccess, outcome.IsSuccess ? null : outcome.Error);
        return outcome.Value;
    }
}
