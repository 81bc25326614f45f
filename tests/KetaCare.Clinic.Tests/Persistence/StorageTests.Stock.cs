using CsCheck;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Stock;
using KetaCare.Clinic.Users;
using KetaCare.Pharmacology.Units;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Tests.Persistence;

/// <summary>The controlled-substance ledger on both databases: witnessed steps, refusals, the balance invariant and concurrent draws.</summary>
public abstract partial class StorageTests
{
    private static readonly UserId LockedNurse = new(Guid.Parse("00000000-0000-0000-0000-000000000009"));

    private static readonly UserId Keeper = new(Guid.Parse("00000000-0000-0000-0000-00000000000a"));

    private static readonly UserId LockedKeeper = new(Guid.Parse("00000000-0000-0000-0000-00000000000b"));

    private static readonly IStaffDirectory StockStaff = new FixedStaffDirectory(
    [
        new StaffMember(Build.Nurse, true, [ClinicRoles.Nurse]),
        new StaffMember(Build.SecondNurse, true, [ClinicRoles.Nurse]),
        new StaffMember(Build.Physician, true, [ClinicRoles.Physician]),
        new StaffMember(LockedNurse, false, [ClinicRoles.Nurse]),
        new StaffMember(DemoSeed.SeedUser, true, [ClinicRoles.Auditor]),
        new StaffMember(Keeper, true, [ClinicRoles.StockKeeper]),
        new StaffMember(LockedKeeper, false, [ClinicRoles.StockKeeper]),
    ]);

    private static readonly DateOnly LaterExpiry = new(2027, 1, 31);

    private StockService Stock(KetaCareDbContext db) => new(db, _clock, StockStaff);

    [Fact]
    public async Task Stock_ReceiptTransferAndLocationWaste_BalanceIsTheLedgersSumAndEveryStepIsAudited()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var (product, safe, cabinet) = await StockSetupAsync(t);
        await using var db = Open(t);
        var stock = Stock(db);
        var auditBefore = await CountAuditAsync(t);

        var receipt = await stock.ReceiveAsync(new StockReceipt(product.Id, safe.Id, "K123", LaterExpiry, 5, "Pharma Wholesale Ltd", "INV-2026-0042", Build.SecondNurse), Build.Nurse, ct);
        Assert.True(receipt.IsSuccess, receipt.Error);
        Assert.Equal(50, receipt.Value.Change.Milliliters);
        Assert.Equal(2500, receipt.Value.Amount.Milligrams, 9);
        var lot = receipt.Value.Lot;
        var moved = await stock.TransferAsync(new StockTransfer(lot, safe.Id, cabinet.Id, StockVolume.FromMilliliters(20), Build.SecondNurse), Build.Nurse, ct);
        Assert.True(moved.IsSuccess, moved.Error);
        var wasted = await stock.WasteAsync(new LocationWaste(lot, cabinet.Id, StockVolume.FromMilliliters(10), "drug-waste container", "vial dropped and broken", Build.Physician), Build.Nurse, ct);
        Assert.True(wasted.IsSuccess, wasted.Error);

        var balances = await stock.BalancesAsync(cancellationToken: ct);
        Assert.Equal([("Cabinet", 10.0), ("Main safe", 30.0)], balances.Select(b => (b.Location.Name, b.OnHand.Milliliters)));
        Assert.Equal(1500, balances[1].Amount.Milligrams, 9);
        Assert.Equal([MovementKind.Receipt, MovementKind.TransferOut, MovementKind.TransferIn, MovementKind.Waste], (await stock.RegisterAsync(lot, ct)).Select(m => m.Kind));
        await AssertLedgerAndBalancesAgreeAsync(t);

        // Four ledger lines, a new lot and two new balance rows, and their balance updates: all in the hash chain.
        await using var check = t.Database.Open();
        var events = await check.AuditEvents.AsNoTracking().Where(e => e.Sequence > auditBefore).ToListAsync(ct);
        Assert.Equal(4, events.Count(e => e.EntityType.StartsWith("stock-", StringComparison.Ordinal) && e.EntityType != "stock-balance" && e.EntityType != "stock-lot"));
        Assert.True((await AuditChain.VerifyAsync(check, ct)).IsIntact);
    }

    [Fact]
    public async Task Stock_ALedgerLine_IsNeverChangedOrDeleted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var (product, safe, _) = await StockSetupAsync(t);
        await using (var db = Open(t))
        {
            Assert.True((await Stock(db).ReceiveAsync(new StockReceipt(product.Id, safe.Id, "K1", LaterExpiry, 1, "Supplier", "INV-1", Build.SecondNurse), Build.Nurse, ct)).IsSuccess);
        }

        await using var edit = Open(t);
        var line = await edit.StockMovements.FirstAsync(ct);
        line.ChangeMicroliters = 1_000_000;
        Assert.Throws<ClinicalRecordException>(() => edit.SaveChanges());
        edit.ChangeTracker.Clear();
        edit.StockMovements.Remove(await edit.StockMovements.FirstAsync(ct));
        await Assert.ThrowsAsync<ClinicalRecordException>(() => edit.SaveChangesAsync(ct));
    }

    [Fact]
    public async Task Stock_RefusedSteps_AreCodedAndWriteNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var (product, safe, cabinet) = await StockSetupAsync(t);
        var (session, _) = await ScheduleAsync(t);
        await using var db = Open(t);
        var stock = Stock(db);
        var lot = (await stock.ReceiveAsync(new StockReceipt(product.Id, safe.Id, "K9", LaterExpiry, 1, "Supplier", "INV-9", Build.SecondNurse), Build.Nurse, ct)).Value.Lot;
        var expired = (await stock.ReceiveAsync(new StockReceipt(product.Id, safe.Id, "OLD", new DateOnly(2026, 5, 31), 1, "Supplier", "INV-8", Build.SecondNurse), Build.Nurse, ct)).Value.Lot;

        // The expiry date printed on the vial is the last day of use: a lot expiring today is still drawn.
        var lastDay = (await stock.ReceiveAsync(new StockReceipt(product.Id, safe.Id, "TODAY", _clock.Today, 1, "Supplier", "INV-7", Build.SecondNurse), Build.Nurse, ct)).Value.Lot;
        Assert.True((await stock.DrawAsync(new StockDraw(session.Id, lastDay, safe.Id, StockVolume.FromMilliliters(10), Build.SecondNurse), Build.Nurse, ct)).IsSuccess);

        var ledgerBefore = (await stock.RegisterAsync(cancellationToken: ct)).Count;
        var tenMl = StockVolume.FromMilliliters(10);

        Codes.Has(FindingCodes.StockWitnessSamePerson, await stock.DrawAsync(new StockDraw(session.Id, lot, safe.Id, StockVolume.FromMilliliters(1), Build.Nurse), Build.Nurse, ct));
        Codes.Has(FindingCodes.StockUserNotStaff, await stock.DrawAsync(new StockDraw(session.Id, lot, safe.Id, StockVolume.FromMilliliters(1), LockedNurse), Build.Nurse, ct));
        Codes.Has(FindingCodes.StockUserNotStaff, await stock.DrawAsync(new StockDraw(session.Id, lot, safe.Id, StockVolume.FromMilliliters(1), DemoSeed.SeedUser), Build.Nurse, ct));
        Codes.Has(FindingCodes.StockLotExpired, await stock.DrawAsync(new StockDraw(session.Id, expired, safe.Id, StockVolume.FromMilliliters(1), Build.SecondNurse), Build.Nurse, ct));

        var insufficient = await stock.DrawAsync(new StockDraw(session.Id, lot, safe.Id, StockVolume.FromMilliliters(10.001), Build.SecondNurse), Build.Nurse, ct);
        Codes.Has(FindingCodes.StockInsufficient, insufficient);
        Assert.Equal(["lot=" + lot, "onHand=10 mL", "requested=10.001 mL"], insufficient.Refusal.Findings.Single().Args.Select(a => a.Name + "=" + a.Invariant()));
        Codes.Has(FindingCodes.StockInsufficient, await stock.DrawAsync(new StockDraw(session.Id, lot, cabinet.Id, StockVolume.FromMilliliters(1), Build.SecondNurse), Build.Nurse, ct));
        Codes.Has(FindingCodes.StockQuantityOutOfRange, await stock.TransferAsync(new StockTransfer(lot, safe.Id, cabinet.Id, StockVolume.Zero, Build.SecondNurse), Build.Nurse, ct));
        Codes.Has(FindingCodes.StockSameLocation, await stock.TransferAsync(new StockTransfer(lot, safe.Id, safe.Id, tenMl, Build.SecondNurse), Build.Nurse, ct));
        Codes.Has(FindingCodes.StockExpiryMismatch, await stock.ReceiveAsync(new StockReceipt(product.Id, safe.Id, "K9", LaterExpiry.AddDays(1), 1, "Supplier", "INV-10", Build.SecondNurse), Build.Nurse, ct));
        Codes.Has(FindingCodes.StockTextLength, await stock.ReceiveAsync(new StockReceipt(product.Id, safe.Id, "K9", LaterExpiry, 1, " ", "INV-10", Build.SecondNurse), Build.Nurse, ct));
        Codes.Has(FindingCodes.StockQuantityOutOfRange, await stock.ReceiveAsync(new StockReceipt(product.Id, safe.Id, "K9", LaterExpiry, 0, "Supplier", "INV-10", Build.SecondNurse), Build.Nurse, ct));
        Codes.Has(FindingCodes.StockNoProgram, await stock.PrepareAsync(new SessionPreparation(session.Id, "sodium chloride 0.9 %", tenMl, Concentration.FromMilligramsPerMilliliter(1), Build.SecondNurse), Build.Nurse, ct));
        Codes.Has(FindingCodes.StockStrengthUnsupported, await stock.AddProductAsync(new NewProduct("Ketamine 25 mg/mL", Concentration.FromMilligramsPerMilliliter(25), Volume.FromMilliliters(10), null), Build.Nurse, ct));
        Assert.True((await stock.SetHoldAsync(lot, LotHold.Quarantined, "carton damaged on delivery", Build.Nurse, ct)).IsSuccess);
        Codes.Has(FindingCodes.StockLotOnHold, await stock.DrawAsync(new StockDraw(session.Id, lot, safe.Id, StockVolume.FromMilliliters(1), Build.SecondNurse), Build.Nurse, ct));
        Codes.Has(FindingCodes.StockLotOnHold, await stock.TransferAsync(new StockTransfer(lot, safe.Id, cabinet.Id, tenMl, Build.SecondNurse), Build.Nurse, ct));

        Assert.Equal(ledgerBefore, (await stock.RegisterAsync(cancellationToken: ct)).Count);
        Assert.True((await stock.ReturnAsync(new SupplierReturn(lot, safe.Id, tenMl, "Supplier", "RA-77", Build.SecondNurse), Build.Nurse, ct)).IsSuccess);
        Assert.Equal(["OLD"], (await stock.BalancesAsync(cancellationToken: ct)).Select(b => b.Lot.LotNumber));
    }

    [Fact]
    public async Task Stock_CountThatDiffers_OpensADiscrepancyAndOnlyItsWitnessedResolutionAdjusts()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var (product, safe, _) = await StockSetupAsync(t);
        await using var db = Open(t);
        var stock = Stock(db);
        var lot = (await stock.ReceiveAsync(new StockReceipt(product.Id, safe.Id, "K5", LaterExpiry, 3, "Supplier", "INV-5", Build.SecondNurse), Build.Nurse, ct)).Value.Lot;

        var agrees = await stock.CountAsync(new StockCount(lot, safe.Id, StockVolume.FromMilliliters(30), Build.SecondNurse), Build.Nurse, ct);
        Assert.True(agrees.IsSuccess, agrees.Error);
        Assert.Null(agrees.Value.Discrepancy);
        var short1 = await stock.CountAsync(new StockCount(lot, safe.Id, StockVolume.FromMilliliters(20), Build.SecondNurse), Build.Nurse, ct);
        var found = Assert.IsType<Discrepancy>(short1.Value.Discrepancy);
        Assert.Equal(-10, found.Difference.Milliliters);

        // The count corrected nothing: the ledger still says 30 mL.
        Assert.Equal(30, Assert.Single(await stock.BalancesAsync(cancellationToken: ct)).OnHand.Milliliters);
        var noted = await stock.InvestigateAsync(found.Id, found.Version, "vial not found in the safe or the treatment room", Build.Physician, ct);
        Assert.True(noted.IsSuccess, noted.Error);
        Assert.Equal(DiscrepancyStatus.Investigating, noted.Value.Status);
        Codes.Has(FindingCodes.VersionConflict, await stock.ResolveAsync(new DiscrepancyResolution(found.Id, found.Version, "stale", true, Build.SecondNurse), Build.Nurse, ct));
        Codes.Has(FindingCodes.StockWitnessSamePerson, await stock.ResolveAsync(new DiscrepancyResolution(found.Id, noted.Value.Version, "loss", true, Build.Nurse), Build.Nurse, ct));
        var resolved = await stock.ResolveAsync(new DiscrepancyResolution(found.Id, noted.Value.Version, "vial lost; reported on DEA Form 106", true, Build.SecondNurse), Build.Nurse, ct);
        Assert.True(resolved.IsSuccess, resolved.Error);
        Codes.Has(FindingCodes.StockDiscrepancyResolved, await stock.ResolveAsync(new DiscrepancyResolution(found.Id, resolved.Value.Version, "again", true, Build.SecondNurse), Build.Nurse, ct));

        Assert.Equal(20, Assert.Single(await stock.BalancesAsync(cancellationToken: ct)).OnHand.Milliliters);
        var adjustment = (await stock.RegisterAsync(lot, ct)).Single(m => m.Kind == MovementKind.Adjustment);
        Assert.Equal((found.Id, -10.0), (adjustment.Discrepancy!.Value, adjustment.Change.Milliliters));
        Assert.Empty(await stock.DiscrepanciesAsync(openOnly: true, ct));
        await AssertLedgerAndBalancesAgreeAsync(t);
    }

    [Fact]
    public async Task Stock_SessionChain_DrawPrepareGiveAndWasteTheRemainder_Closes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var (product, safe, _) = await StockSetupAsync(t);
        LotId lot;
        await using (var db = Open(t))
        {
            lot = (await Stock(db).ReceiveAsync(new StockReceipt(product.Id, safe.Id, "K7", LaterExpiry, 2, "Supplier", "INV-7", Build.SecondNurse), Build.Nurse, ct)).Value.Lot;
        }

        Mass prepared = default;
        var (session, _) = await RunSessionAsync(t, async s =>
        {
            await using var db = Open(t);
            var stock = Stock(db);
            var bag = s.Program!.Preparation;
            prepared = bag.Concentration * StockVolume.Of(bag.ContainerVolume);
            Codes.Has(FindingCodes.StockStepMissing, await stock.PrepareAsync(new SessionPreparation(s.Id, "sodium chloride 0.9 %", StockVolume.Of(bag.ContainerVolume), bag.Concentration, Build.SecondNurse), Build.Nurse, ct));
            var draw = await stock.DrawAsync(new StockDraw(s.Id, lot, safe.Id, StockVolume.Holding(prepared, product.Concentration), Build.SecondNurse), Build.Nurse, ct);
            Assert.True(draw.IsSuccess, draw.Error);
            Assert.Equal(s.PatientId, draw.Value.Patient);
            var wrong = Concentration.FromMilligramsPerMilliliter(bag.Concentration.MilligramsPerMilliliter * 2);
            Codes.Has(FindingCodes.StockConcentrationMismatch, await stock.PrepareAsync(new SessionPreparation(s.Id, "sodium chloride 0.9 %", StockVolume.Of(bag.ContainerVolume), wrong, Build.SecondNurse), Build.Nurse, ct));
            Codes.Has(FindingCodes.StockPreparedNotDrawn, await stock.PrepareAsync(new SessionPreparation(s.Id, "sodium chloride 0.9 %", StockVolume.Of(bag.ContainerVolume) - StockVolume.FromMilliliters(10), bag.Concentration, Build.SecondNurse), Build.Nurse, ct));
            var prep = await stock.PrepareAsync(new SessionPreparation(s.Id, "sodium chloride 0.9 %", StockVolume.Of(bag.ContainerVolume), bag.Concentration, Build.SecondNurse), Build.Nurse, ct);
            Assert.True(prep.IsSuccess, prep.Error);

            // Nothing drawn since the bag: no second preparation.
            Codes.Has(FindingCodes.StockStepMissing, await stock.PrepareAsync(new SessionPreparation(s.Id, "sodium chloride 0.9 %", StockVolume.Of(bag.ContainerVolume), bag.Concentration, Build.SecondNurse), Build.Nurse, ct));

            // The bag is dropped: a second one is drawn and prepared, and the first is wasted, at most what is prepared and not given.
            Assert.True((await stock.DrawAsync(new StockDraw(s.Id, lot, safe.Id, StockVolume.Holding(prepared, product.Concentration), Build.SecondNurse), Build.Nurse, ct)).IsSuccess);
            Codes.Has(FindingCodes.StockPreparedNotDrawn, await stock.PrepareAsync(new SessionPreparation(s.Id, "sodium chloride 0.9 %", StockVolume.Of(bag.ContainerVolume) * 2, bag.Concentration, Build.SecondNurse), Build.Nurse, ct));
            Assert.True((await stock.PrepareAsync(new SessionPreparation(s.Id, "sodium chloride 0.9 %", StockVolume.Of(bag.ContainerVolume), bag.Concentration, Build.SecondNurse), Build.Nurse, ct)).IsSuccess);
            var both = StockVolume.Of(bag.ContainerVolume) * 2;
            Codes.Has(FindingCodes.StockWasteMismatch, await stock.WasteRemainderAsync(new SessionWaste(s.Id, both + StockVolume.FromMilliliters(0.2), "waste container", Build.SecondNurse), Build.Nurse, ct));
            Codes.Has(FindingCodes.StockWasteMismatch, await stock.WasteRemainderAsync(new SessionWaste(s.Id, StockVolume.Zero, "waste container", Build.SecondNurse), Build.Nurse, ct));
            var dropped = await stock.WasteRemainderAsync(new SessionWaste(s.Id, StockVolume.Of(bag.ContainerVolume), "dropped bag, drug-waste container", Build.SecondNurse), Build.Nurse, ct);
            Assert.True(dropped.IsSuccess, dropped.Error);
            Assert.Equal(prepared.Milligrams, dropped.Value.Amount.Milligrams, 6);
        });

        await using var check = Open(t);
        var stock = Stock(check);
        var given = session.DoseGiven(session.DrugEndedAt!.Value);
        var remainder = StockVolume.Holding(Mass.FromMilligrams(prepared.Milligrams - given.Milligrams), session.Program!.Preparation.Concentration);
        Codes.Has(FindingCodes.StockWasteMismatch, await stock.WasteRemainderAsync(new SessionWaste(session.Id, remainder + StockVolume.FromMilliliters(0.11), "waste container", Build.SecondNurse), Build.Nurse, ct));
        Codes.Has(FindingCodes.StockWasteMismatch, await stock.WasteRemainderAsync(new SessionWaste(session.Id, remainder - StockVolume.FromMilliliters(0.11), "waste container", Build.SecondNurse), Build.Nurse, ct));
        Codes.Has(FindingCodes.StockWasteMismatch, await stock.WasteRemainderAsync(new SessionWaste(session.Id, remainder + StockVolume.FromMilliliters(1), "waste container", Build.SecondNurse), Build.Nurse, ct));
        var waste = await stock.WasteRemainderAsync(new SessionWaste(session.Id, remainder, "drug-waste container with activated charcoal", Build.SecondNurse), Build.Nurse, ct);
        Assert.True(waste.IsSuccess, waste.Error);
        Codes.Has(FindingCodes.StockStepRecorded, await stock.WasteRemainderAsync(new SessionWaste(session.Id, remainder, "again", Build.SecondNurse), Build.Nurse, ct));
        Codes.Has(FindingCodes.StockSessionState, await stock.DrawAsync(new StockDraw(session.Id, lot, safe.Id, StockVolume.FromMilliliters(1), Build.SecondNurse), Build.Nurse, ct));

        var custody = (await stock.CustodyAsync(session.Id, ct)).Value;
        Assert.Equal(prepared.Milligrams * 2, custody.Drawn.Milligrams, 6);
        Assert.Equal(custody.Drawn.Milligrams, custody.Prepared!.Value.Milligrams, 6);
        Assert.Equal(custody.Prepared!.Value.Milligrams, custody.Given.Milligrams + custody.Wasted.Milligrams, 6);
        Assert.True(custody.Given.Milligrams > 0 && custody.Wasted.Milligrams > 0);

        // The session's own lines, read by its index: the ledger's lines of the session, in the order written, and no other.
        var lines = await stock.SessionRegisterAsync(session.Id, ct);
        Assert.Equal([MovementKind.Draw, MovementKind.Preparation, MovementKind.Draw, MovementKind.Preparation, MovementKind.Waste, MovementKind.Waste], lines.Select(m => m.Kind));
        Assert.Equal((await stock.RegisterAsync(cancellationToken: ct)).Where(m => m.Session == session.Id), lines);
        await AssertLedgerAndBalancesAgreeAsync(t);
    }

    [Fact]
    public async Task Stock_ManyNursesDrawingTheLastVialsAtOnce_OnlyWhatIsOnHandIsDrawnAndNothingIsLost()
    {
        // Hazard: two nurses draw the last vial at the same moment; both read "1 vial on hand" and both draws are
        // saved, leaving -1 vial and a ledger that no longer adds up.
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var (product, safe, _) = await StockSetupAsync(t);
        var (session, _) = await ScheduleAsync(t);
        LotId lot;
        await using (var db = Open(t))
        {
            lot = (await Stock(db).ReceiveAsync(new StockReceipt(product.Id, safe.Id, "K2", LaterExpiry, 3, "Supplier", "INV-2", Build.SecondNurse), Build.Nurse, ct)).Value.Lot;
        }

        const int nurses = 8;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = Enumerable.Range(0, nurses).Select(i => Task.Run(
            async () =>
            {
                await using var db = Open(t);
                var (by, witness) = i % 2 == 0 ? (Build.Nurse, Build.SecondNurse) : (Build.SecondNurse, Build.Nurse);
                await go.Task;
                return await Stock(db).DrawAsync(new StockDraw(session.Id, lot, safe.Id, StockVolume.FromMilliliters(10), witness), by, ct);
            },
            ct)).ToList();
        go.SetResult();
        var draws = await Task.WhenAll(pending);

        Assert.Equal(3, draws.Count(d => d.IsSuccess));
        Assert.All(draws.Where(d => !d.IsSuccess), d => Assert.Equal(FindingCodes.StockInsufficient, d.Findings.Single().Code));
        await using var check = Open(t);
        Assert.Empty(await Stock(check).BalancesAsync(cancellationToken: ct));
        Assert.Equal(3, (await Stock(check).RegisterAsync(lot, ct)).Count(m => m.Kind == MovementKind.Draw));
        await AssertLedgerAndBalancesAgreeAsync(t);
        Assert.True((await AuditChain.VerifyAsync(check, ct)).IsIntact);
    }

    [Fact]
    public async Task Stock_BalanceRow_AStaleWriteFailsAndTheDatabaseRefusesANegativeBalance()
    {
        // The two guards under the service's retry: the version token turns a write against a balance read before
        // another write into a failure, and the check constraint refuses a negative balance from any writer.
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var (product, safe, _) = await StockSetupAsync(t);
        await using (var db = Open(t))
        {
            Assert.True((await Stock(db).ReceiveAsync(new StockReceipt(product.Id, safe.Id, "K3", LaterExpiry, 1, "Supplier", "INV-3", Build.SecondNurse), Build.Nurse, ct)).IsSuccess);
        }

        await using var first = Open(t);
        await using var second = Open(t);
        var a = await first.StockBalances.SingleAsync(ct);
        var b = await second.StockBalances.SingleAsync(ct);
        (a.OnHandMicroliters, a.Version) = (0, a.Version + 1);
        await first.SaveChangesAsync(ct);
        (b.OnHandMicroliters, b.Version) = (0, b.Version + 1);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(ct));

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => t.ExecuteAsync("UPDATE stock_balances SET on_hand_microliters = -1"));
    }

    [Fact]
    public async Task Stock_RandomSequencesOfSteps_KeepTheBalanceInvariantAndNeverGoNegative()
    {
        // Property: for any sequence of receipts, transfers, draws, wastes, returns, counts and resolutions, each step
        // succeeds exactly when a model of the stock says there is enough; the ledger's sum per lot and location is
        // the model's and the balance row's; no balance is ever negative; and received − out + in − drawn − wasted −
        // returned ± adjusted = on hand.
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var (product, safe, cabinet) = await StockSetupAsync(t);
        var (session, _) = await ScheduleAsync(t);
        LocationId[] places = [safe.Id, cabinet.Id];
        var step = Gen.Select(Gen.Int[0, 6], Gen.Int[1, 120], Gen.Int[0, 1], Gen.Int[-3, 3]);
        var iteration = 0;

        await step.Array[1, 25].SampleAsync(
            async steps =>
            {
                await using var db = Open(t);
                var stock = Stock(db);
                var lotNumber = "P" + Interlocked.Increment(ref iteration);
                LotId? lot = null;
                var model = new long[2];
                foreach (var (kind, tenths, where, delta) in steps)
                {
                    var at = places[where];
                    var volume = StockVolume.FromMilliliters(tenths / 10.0);
                    var enough = model[where] >= volume.Microliters;
                    switch (kind)
                    {
                        case 0 or 1 when lot is null || kind == 0:
                            var received = await stock.ReceiveAsync(new StockReceipt(product.Id, at, lotNumber, LaterExpiry, 1 + (tenths % 3), "Supplier", "INV", Build.SecondNurse), Build.Nurse, ct);
                            Assert.True(received.IsSuccess, received.Error);
                            lot = received.Value.Lot;
                            model[where] += received.Value.Change.Microliters;
                            break;
                        case 1:
                            var moved = await stock.TransferAsync(new StockTransfer(lot!.Value, at, places[1 - where], volume, Build.Nurse), Build.Physician, ct);
                            Assert.Equal(enough, moved.IsSuccess);
                            (model[where], model[1 - where]) = enough ? (model[where] - volume.Microliters, model[1 - where] + volume.Microliters) : (model[where], model[1 - where]);
                            break;
                        case 2 when lot is not null:
                            var drawn = await stock.DrawAsync(new StockDraw(session.Id, lot.Value, at, volume, Build.SecondNurse), Build.Nurse, ct);
                            Assert.Equal(enough, drawn.IsSuccess);
                            model[where] -= enough ? volume.Microliters : 0;
                            break;
                        case 3 when lot is not null:
                            var wasted = await stock.WasteAsync(new LocationWaste(lot.Value, at, volume, "waste container", "vial broken", Build.SecondNurse), Build.Nurse, ct);
                            Assert.Equal(enough, wasted.IsSuccess);
                            model[where] -= enough ? volume.Microliters : 0;
                            break;
                        case 4 when lot is not null:
                            var back = await stock.ReturnAsync(new SupplierReturn(lot.Value, at, volume, "Supplier", "RA", Build.SecondNurse), Build.Nurse, ct);
                            Assert.Equal(enough, back.IsSuccess);
                            model[where] -= enough ? volume.Microliters : 0;
                            break;
                        case 5 when lot is not null:
                            var counted = StockVolume.FromMicroliters(Math.Max(0, model[where] + (delta * 1000L)));
                            var count = await stock.CountAsync(new StockCount(lot.Value, at, counted, Build.Physician), Build.Nurse, ct);
                            Assert.True(count.IsSuccess, count.Error);
                            Assert.Equal(counted.Microliters != model[where], count.Value.Discrepancy is not null);
                            break;
                        case 6 when lot is not null:
                            foreach (var open in (await stock.DiscrepanciesAsync(openOnly: true, ct)).Where(d => d.Lot == lot))
                            {
                                var index = Array.IndexOf(places, open.Location);
                                var fits = model[index] + open.Difference.Microliters >= 0;
                                var resolved = await stock.ResolveAsync(new DiscrepancyResolution(open.Id, open.Version, "recounted", delta % 2 == 0, Build.SecondNurse), Build.Nurse, ct);
                                Assert.Equal(fits || delta % 2 != 0, resolved.IsSuccess);
                                model[index] += resolved.IsSuccess && delta % 2 == 0 ? open.Difference.Microliters : 0;
                            }

                            break;
                    }

                    Assert.All(model, m => Assert.True(m >= 0));
                }

                if (lot is { } l)
                {
                    var balances = (await stock.BalancesAsync(cancellationToken: ct)).Where(b => b.Lot.Id == l).ToDictionary(b => b.Location.Id, b => b.OnHand.Microliters);
                    Assert.Equal(model[0], balances.GetValueOrDefault(safe.Id));
                    Assert.Equal(model[1], balances.GetValueOrDefault(cabinet.Id));
                    var register = await stock.RegisterAsync(l, ct);
                    long Sum(params MovementKind[] kinds) => register.Where(m => kinds.Contains(m.Kind)).Sum(m => m.Change.Magnitude.Microliters);
                    var adjusted = register.Where(m => m.Kind == MovementKind.Adjustment).Sum(m => m.Change.Microliters);
                    Assert.Equal(
                        model[0] + model[1],
                        Sum(MovementKind.Receipt) - Sum(MovementKind.TransferOut) + Sum(MovementKind.TransferIn) - Sum(MovementKind.Draw) - Sum(MovementKind.Waste) - Sum(MovementKind.Return) + adjusted);
                }
            },
            iter: 25,
            threads: 1);
        await AssertLedgerAndBalancesAgreeAsync(t);
    }

    [Fact]
    public async Task Stock_StockKeeper_KeepsAndWitnessesTheRegisterButTakesNoSessionStep()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var (session, _, _, program) = await ProgrammedSessionAsync(t);
        var (product, safe, cabinet) = await StockSetupAsync(t);
        await using var db = Open(t);
        var stock = Stock(db);
        var keeper = await stock.AddLocationAsync("Treatment room", LocationKind.Cabinet, Keeper, ct);
        Assert.True(keeper.IsSuccess, keeper.Error);
        var received = await stock.ReceiveAsync(new StockReceipt(product.Id, safe.Id, "SK1", LaterExpiry, 2, "Supplier", "INV-11", Build.Nurse), Keeper, ct);
        Assert.True(received.IsSuccess, received.Error);
        var lot = received.Value.Lot;
        Assert.True((await stock.TransferAsync(new StockTransfer(lot, safe.Id, cabinet.Id, StockVolume.FromMilliliters(10), Keeper), Build.Nurse, ct)).IsSuccess);
        Assert.True((await stock.CountAsync(new StockCount(lot, safe.Id, StockVolume.FromMilliliters(10), Build.SecondNurse), Keeper, ct)).IsSuccess);
        Codes.Has(FindingCodes.StockUserNotStaff, await stock.CountAsync(new StockCount(lot, safe.Id, StockVolume.FromMilliliters(10), DemoSeed.SeedUser), Keeper, ct));
        Codes.Has(FindingCodes.StockUserNotStaff, await stock.CountAsync(new StockCount(lot, safe.Id, StockVolume.FromMilliliters(10), Build.Nurse), LockedKeeper, ct));

        // A session's steps are a clinician's: the keeper may witness a draw, not draw, and may not check a preparation.
        var bag = program.Preparation;
        var amount = bag.Concentration * StockVolume.Of(bag.ContainerVolume);
        var drawVolume = StockVolume.Holding(amount, product.Concentration);
        var byKeeper = await stock.DrawAsync(new StockDraw(session.Id, lot, cabinet.Id, drawVolume, Build.Nurse), Keeper, ct);
        Codes.Has(FindingCodes.StockUserNotEligible, byKeeper);
        Assert.Equal("by", byKeeper.Refusal.Findings.Single().Args.Single(a => a.Name == "field").Text);
        Assert.True((await stock.DrawAsync(new StockDraw(session.Id, lot, cabinet.Id, drawVolume, Keeper), Build.Nurse, ct)).IsSuccess);
        var checkedByKeeper = await stock.PrepareAsync(new SessionPreparation(session.Id, "sodium chloride 0.9 %", StockVolume.Of(bag.ContainerVolume), bag.Concentration, Keeper), Build.Nurse, ct);
        Codes.Has(FindingCodes.StockUserNotEligible, checkedByKeeper);
        Assert.Equal("checkedBy", checkedByKeeper.Refusal.Findings.Single().Args.Single(a => a.Name == "field").Text);
        Assert.True((await stock.PrepareAsync(new SessionPreparation(session.Id, "sodium chloride 0.9 %", StockVolume.Of(bag.ContainerVolume), bag.Concentration, Build.SecondNurse), Build.Nurse, ct)).IsSuccess);
    }

    [Fact]
    public async Task Stock_Start_NeedsARecordedPreparationOnceTheClinicReceivesStockUnlessTheClinicTurnsItOff()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var (session, _, _, program) = await ProgrammedSessionAsync(t);
        var (product, safe, _) = await StockSetupAsync(t);
        await using (var db = Open(t))
        {
            // A clinic that has not received stock is not held to the register.
            Assert.Null(await Stock(db).StartFindingAsync(session, ct));
            Assert.True((await Stock(db).ReceiveAsync(new StockReceipt(product.Id, safe.Id, "G1", LaterExpiry, 2, "Supplier", "INV-1", Build.SecondNurse), Build.Nurse, ct)).IsSuccess);
        }

        await using (var db = Open(t))
        {
            var workflow = new SessionWorkflow(db, _clock, StockStaff);
            var refused = await workflow.StartAsync(session.Id, session.Version, "reviewed", Build.Physician, ct);
            Codes.Has(FindingCodes.StockPreparationRequired, refused);
            Assert.Contains((await workflow.PreviewStartAsync(session, ct)).Value.HardStops, f => f.Code == FindingCodes.StockPreparationRequired);
            Assert.Equal(session.Version, (await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == session.Id, ct)).Version);
        }

        await using (var db = Open(t))
        {
            var settings = new SettingsService(db, _clock);
            Assert.True((await settings.ReviseStockSettingsAsync(new StockSettings(false), 0, "register kept on paper during the move", Build.Physician, ct)).IsSuccess);
            Assert.Null(await Stock(db).StartFindingAsync(session, ct));
            Assert.True((await settings.ReviseStockSettingsAsync(new StockSettings(true), 1, "register back in use", Build.Physician, ct)).IsSuccess);
            Assert.Equal(FindingCodes.StockPreparationRequired, (await Stock(db).StartFindingAsync(session, ct))?.Code);
        }

        await using (var db = Open(t))
        {
            var stock = Stock(db);
            var lot = (await stock.LotsAsync(ct)).Single().Id;
            var bag = program.Preparation;
            var amount = bag.Concentration * StockVolume.Of(bag.ContainerVolume);
            Assert.True((await stock.DrawAsync(new StockDraw(session.Id, lot, safe.Id, StockVolume.Holding(amount, product.Concentration), Build.SecondNurse), Build.Nurse, ct)).IsSuccess);
            Assert.True((await stock.PrepareAsync(new SessionPreparation(session.Id, "sodium chloride 0.9 %", StockVolume.Of(bag.ContainerVolume), bag.Concentration, Build.SecondNurse), Build.Nurse, ct)).IsSuccess);
        }

        await using (var db = Open(t))
        {
            var started = await new SessionWorkflow(db, _clock, StockStaff).StartAsync(session.Id, session.Version, "reviewed", Build.Physician, ct);
            Assert.True(started.IsSuccess, started.Error);
            Assert.Equal(SessionState.Running, started.Value.State);
        }
    }

    [Fact]
    public async Task Stock_CancelledSessionWithAPreparation_TheWholePreparationIsWastedOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var (session, _, _, program) = await ProgrammedSessionAsync(t);
        var (product, safe, _) = await StockSetupAsync(t);
        var bag = program.Preparation;
        var volume = StockVolume.Of(bag.ContainerVolume);
        await using (var db = Open(t))
        {
            var stock = Stock(db);
            var lot = (await stock.ReceiveAsync(new StockReceipt(product.Id, safe.Id, "C1", LaterExpiry, 2, "Supplier", "INV-2", Build.SecondNurse), Build.Nurse, ct)).Value.Lot;
            Assert.True((await stock.DrawAsync(new StockDraw(session.Id, lot, safe.Id, StockVolume.Holding(bag.Concentration * volume, product.Concentration), Build.SecondNurse), Build.Nurse, ct)).IsSuccess);
            Assert.True((await stock.PrepareAsync(new SessionPreparation(session.Id, "sodium chloride 0.9 %", volume, bag.Concentration, Build.SecondNurse), Build.Nurse, ct)).IsSuccess);
            var cancelled = await new SessionWorkflow(db, _clock, StockStaff).CancelAsync(session.Id, session.Version, "patient unwell", Build.Nurse, ct);
            Assert.True(cancelled.IsSuccess, cancelled.Error);
        }

        await using (var db = Open(t))
        {
            var stock = Stock(db);
            Codes.Has(FindingCodes.StockSessionState, await stock.PrepareAsync(new SessionPreparation(session.Id, "sodium chloride 0.9 %", volume, bag.Concentration, Build.SecondNurse), Build.Nurse, ct));
            Codes.Has(FindingCodes.StockWasteMismatch, await stock.WasteRemainderAsync(new SessionWaste(session.Id, volume - StockVolume.FromMilliliters(1), "drug-waste container", Build.SecondNurse), Build.Nurse, ct));
            Assert.True((await stock.WasteRemainderAsync(new SessionWaste(session.Id, volume, "drug-waste container", Build.SecondNurse), Build.Nurse, ct)).IsSuccess);
            Codes.Has(FindingCodes.StockStepRecorded, await stock.WasteRemainderAsync(new SessionWaste(session.Id, StockVolume.Zero, "drug-waste container", Build.SecondNurse), Build.Nurse, ct));
            var custody = (await stock.CustodyAsync(session.Id, ct)).Value;
            Assert.Equal(0, custody.Given.Milligrams);
            Assert.Equal(custody.Prepared!.Value.Milligrams, custody.Wasted.Milligrams, 6);
        }
    }

    private async Task<(StockProduct Product, StockLocation Safe, StockLocation Cabinet)> StockSetupAsync(TestDatabase t)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = Open(t);
        var stock = Stock(db);
        var product = await stock.AddProductAsync(new NewProduct("Ketamine 50 mg/mL 10 mL vial", Concentration.FromMilligramsPerMilliliter(50), Volume.FromMilliliters(10), "0409-2053-10"), Build.Nurse, ct);
        Assert.True(product.IsSuccess, product.Error);
        var safe = await stock.AddLocationAsync("Main safe", LocationKind.Safe, Build.Nurse, ct);
        var cabinet = await stock.AddLocationAsync("Cabinet", LocationKind.Cabinet, Build.Nurse, ct);
        Assert.True(safe.IsSuccess && cabinet.IsSuccess);
        return (product.Value, safe.Value, cabinet.Value);
    }

    /// <summary>Every balance row equals its lot's ledger sum at that location, and none is negative.</summary>
    private static async Task AssertLedgerAndBalancesAgreeAsync(TestDatabase t)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = t.Database.Open();
        var sums = (await db.StockMovements.AsNoTracking().GroupBy(m => new { m.LotId, m.LocationId }).Select(g => new { g.Key.LotId, g.Key.LocationId, Sum = g.Sum(m => m.ChangeMicroliters) }).ToListAsync(ct))
            .ToDictionary(s => (s.LotId, s.LocationId), s => s.Sum);
        var rows = await db.StockBalances.AsNoTracking().ToListAsync(ct);
        Assert.All(rows, r => Assert.True(r.OnHandMicroliters >= 0, "negative balance"));
        Assert.Equal(
            sums.Where(s => s.Value != 0).OrderBy(s => s.Key.LotId.Value).ThenBy(s => s.Key.LocationId.Value).Select(s => (s.Key.LotId, s.Key.LocationId, s.Value)),
            rows.Where(r => r.OnHandMicroliters != 0).OrderBy(r => r.LotId.Value).ThenBy(r => r.LocationId.Value).Select(r => (r.LotId, r.LocationId, r.OnHandMicroliters)));
    }
}
