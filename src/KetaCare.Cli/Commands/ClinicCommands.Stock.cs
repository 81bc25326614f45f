using System.CommandLine;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Stock;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Commands;

/// <summary>
/// <c>ketacare stock</c>: the controlled-substance register through <see cref="StockService"/> — products and locations,
/// witnessed receipts and counts, balances and the ledger. Products, locations and lots are named as people know them
/// (product or location name, lot number); the service decides every rule.
/// </summary>
internal static partial class ClinicCommands
{
    internal static Command Stock(CliContext context)
    {
        var (database, connection) = DatabaseOptions();
        var by = ByOption(required: false);
        var at = new Option<string?>("--at") { Description = "When it happened, ISO 8601 UTC (default: now).", Recursive = true };
        var command = new Command("stock", "Controlled-substance stock of ketamine: products, locations, witnessed receipts and counts, balances and the register (every step is audited).") { database, connection, by, at };

        void Sub(string name, string description, Func<ParseResult, StockService, UserId, CancellationToken, Task<int>> run, params Option[] options)
        {
            var c = new Command(name, description);
            options.ToList().ForEach(c.Options.Add);
            c.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user =>
            {
                var clock = ClockOption(context, parse.GetValue(at));
                return clock.IsSuccess
                    ? DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, t) => WithStockAsync(db, user, clock.Value, s => run(parse, s, user, t)), ct)
                    : Task.FromResult(context.UsageError(clock.Error));
            }));
            command.Subcommands.Add(c);
        }

        Option<string?> Text(string name, string description) => new(name) { Description = description };
        var productName = Text("--name", "Name as on the label, e.g. \"Ketamine 50 mg/mL 10 mL vial\".");
        var strength = Text("--concentration", "10 mg/mL, 50 mg/mL or 100 mg/mL.");
        var vial = Text("--vial", "Volume of one vial, e.g. 10 mL.");
        var code = Text("--code", "NDC, GTIN or national product code (optional).");
        Sub("product", "Add a product to the catalogue.", (p, s, u, ct) => AddProductAsync(context, s, u, p.GetValue(productName), p.GetValue(strength), p.GetValue(vial), p.GetValue(code), ct), productName, strength, vial, code);

        var locationName = Text("--name", "Name, e.g. \"Main safe\".");
        var kind = new Option<LocationKind>("--kind") { Description = "Safe or Cabinet.", DefaultValueFactory = _ => LocationKind.Safe };
        Sub("location", "Add a storage location.", (p, s, u, ct) => Say(context, s.AddLocationAsync(p.GetValue(locationName) ?? string.Empty, p.GetValue(kind), u, ct), l => $"location {l.Name} ({l.Kind}): {l.Id}"), locationName, kind);

        var product = Text("--product", "The product's name (see 'stock balance' or 'stock product').");
        var location = Text("--location", "The location's name.");
        var lot = Text("--lot", "Lot number as printed on the vial.");
        var expiry = Text("--expiry", "Expiry date as printed, yyyy-MM-dd.");
        var vials = Text("--vials", "Sealed vials received.");
        var supplier = Text("--supplier", "Supplier's name.");
        var reference = Text("--reference", "Invoice, order or DEA Form 222 number.");
        var witness = Text("--witness", "The witness: another active nurse or physician (user id, a GUID).");
        Sub("receive", "Receive sealed vials of a lot into a location, witnessed.", (p, s, u, ct) => ReceiveAsync(context, s, u, p.GetValue(product), p.GetValue(location), p.GetValue(lot), p.GetValue(expiry), p.GetValue(vials), p.GetValue(supplier), p.GetValue(reference), p.GetValue(witness), ct), product, location, lot, expiry, vials, supplier, reference, witness);

        var counted = Text("--counted", "Volume counted, e.g. 20 mL (0 for none).");
        Sub("count", "Record a count of a lot at a location by two people; a difference opens a discrepancy and never corrects the balance.", (p, s, u, ct) => CountAsync(context, s, u, p.GetValue(lot), p.GetValue(location), p.GetValue(counted), p.GetValue(witness), ct), lot, location, counted, witness);

        Sub("balance", "On hand per product, lot and location, summed from the ledger.", (_, s, _, ct) => BalanceAsync(context, s, ct));
        var ofLot = Text("--lot", "Only this lot number.");
        Sub("register", "The ledger in the order written: every receipt, transfer, draw, preparation, waste, return, count and adjustment.", (p, s, _, ct) => RegisterAsync(context, s, p.GetValue(ofLot), ct), ofLot);
        return command;
    }

    private static async Task<int> WithStockAsync(ClinicDatabase database, UserId user, TimeProvider clock, Func<StockService, Task<int>> run)
    {
        await using var scope = ClinicScope.Open(database, user, clock);
        return await run(scope.Get<StockService>()).ConfigureAwait(false);
    }

    private static async Task<int> Say<T>(CliContext context, Task<Outcome<T>> pending, Func<T, string> describe)
    {
        var r = await pending.ConfigureAwait(false);
        if (!r.IsSuccess)
        {
            return context.Refused(r.Refusal);
        }

        context.Out.WriteLine(describe(r.Value));
        return ExitCodes.Success;
    }

    private static Task<int> AddProductAsync(CliContext context, StockService stock, UserId by, string? name, string? strength, string? vial, string? code, CancellationToken ct)
    {
        var c = QuantityParser.ParseConcentration(strength, "--concentration");
        var v = QuantityParser.ParseVolume(vial, "--vial");
        if (!c.IsSuccess || !v.IsSuccess)
        {
            return Task.FromResult(context.UsageError((c.IsSuccess ? v.Error : c.Error) ?? "--concentration/--vial: not readable."));
        }

        return Say(context, stock.AddProductAsync(new NewProduct(name ?? string.Empty, c.Value, v.Value, code), by, ct), p => $"product {p.Name}: {p.Id}");
    }

    private static async Task<int> ReceiveAsync(CliContext context, StockService stock, UserId by, string? productName, string? locationName, string? lot, string? expiry, string? vials, string? supplier, string? reference, string? witness, CancellationToken ct)
    {
        var product = (await stock.ProductsAsync(ct).ConfigureAwait(false)).FirstOrDefault(p => string.Equals(p.Name, productName?.Trim(), StringComparison.Ordinal));
        var location = await LocationAsync(stock, locationName, ct).ConfigureAwait(false);
        var error = product is null ? $"--product: no product named \"{productName}\"; add it with 'ketacare stock product'."
            : location is null ? $"--location: no location named \"{locationName}\"; add it with 'ketacare stock location'."
            : !DateOnly.TryParseExact(expiry?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? $"--expiry: \"{expiry}\" is not a date yyyy-MM-dd."
            : !int.TryParse(vials?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out _) ? $"--vials: \"{vials}\" is not a whole number of vials."
            : Witness(witness, out _);
        if (error is not null)
        {
            return context.UsageError(error);
        }

        Witness(witness, out var w);
        var receipt = new StockReceipt(product!.Id, location!.Id, lot ?? string.Empty, DateOnly.ParseExact(expiry!.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture), int.Parse(vials!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture), supplier ?? string.Empty, reference ?? string.Empty, w);
        return await Say(context, stock.ReceiveAsync(receipt, by, ct), m => $"received {m.Change} ({m.Amount}) of lot {lot?.Trim()} into {location.Name}; movement {m.Id}").ConfigureAwait(false);
    }

    private static async Task<int> CountAsync(CliContext context, StockService stock, UserId by, string? lotNumber, string? locationName, string? counted, string? witness, CancellationToken ct)
    {
        var lot = (await stock.LotsAsync(ct).ConfigureAwait(false)).Where(l => string.Equals(l.LotNumber, lotNumber?.Trim(), StringComparison.Ordinal)).ToList();
        var location = await LocationAsync(stock, locationName, ct).ConfigureAwait(false);
        var none = QuantityParser.ParseNumber(counted, "--counted") is { IsSuccess: true, Value: 0 };
        var volume = none ? default : QuantityParser.ParseVolume(counted, "--counted");
        var error = lot.Count != 1 ? $"--lot: \"{lotNumber}\" names {lot.Count.ToString(CultureInfo.InvariantCulture)} lots; give a lot number of one product."
            : location is null ? $"--location: no location named \"{locationName}\"."
            : !none && !volume.IsSuccess ? volume.Error
            : !none && volume.Value.Milliliters > StockService.MaxMovementMl ? string.Create(CultureInfo.InvariantCulture, $"--counted: above {StockService.MaxMovementMl} mL.")
            : Witness(witness, out _);
        if (error is not null)
        {
            return context.UsageError(error);
        }

        Witness(witness, out var w);
        var amount = none ? StockVolume.Zero : StockVolume.Of(volume.Value);
        return await Say(context, stock.CountAsync(new StockCount(lot[0].Id, location!.Id, amount, w), by, ct), r => r.Discrepancy is { } d
            ? $"count {r.Counted}, ledger {r.Expected}: discrepancy {d.Id} opened ({d.Difference}); the balance is unchanged until it is resolved"
            : $"count {r.Counted} agrees with the ledger").ConfigureAwait(false);
    }

    private static async Task<int> BalanceAsync(CliContext context, StockService stock, CancellationToken ct)
    {
        var table = new TextTable("Product", "Lot", "Expiry", "Hold", "Location", ">On hand", ">Amount");
        foreach (var b in await stock.BalancesAsync(cancellationToken: ct).ConfigureAwait(false))
        {
            table.Add(b.Product.Name, b.Lot.LotNumber, Date(b.Lot.Expiry), b.Lot.Hold.ToString(), b.Location.Name, b.OnHand.ToString(), b.Amount.ToString());
        }

        context.Write(table);
        return ExitCodes.Success;
    }

    private static async Task<int> RegisterAsync(CliContext context, StockService stock, string? lotNumber, CancellationToken ct)
    {
        var lots = await stock.LotsAsync(ct).ConfigureAwait(false);
        var locations = (await stock.LocationsAsync(ct).ConfigureAwait(false)).ToDictionary(l => l.Id, l => l.Name);
        var chosen = lotNumber is null ? null : lots.Where(l => string.Equals(l.LotNumber, lotNumber.Trim(), StringComparison.Ordinal)).Select(l => (LotId?)l.Id).FirstOrDefault();
        if (lotNumber is not null && chosen is null)
        {
            return context.UsageError($"--lot: no lot numbered \"{lotNumber}\".");
        }

        var numbers = lots.ToDictionary(l => l.Id, l => l.LotNumber);
        var table = new TextTable("Time", "Kind", "Lot", "Location", ">Change", ">Amount", "By", "Witness", "Detail");
        foreach (var m in await stock.RegisterAsync(chosen, ct).ConfigureAwait(false))
        {
            var detail = string.Join("; ", new[] { m.Party, m.Reference, m.Reason, m.Session is { } s ? "session " + s : null, m.Stated is { } v ? "stated " + v : null }.Where(x => x is not null));
            table.Add(Time(m.At), m.Kind.ToString(), numbers[m.Lot], locations[m.Location], m.Change.ToString(), m.Amount.ToString(), m.By.ToString(), m.WitnessedBy?.ToString() ?? "-", detail);
        }

        context.Write(table);
        return ExitCodes.Success;
    }

    private static async Task<StockLocation?> LocationAsync(StockService stock, string? name, CancellationToken ct) =>
        (await stock.LocationsAsync(ct).ConfigureAwait(false)).FirstOrDefault(l => string.Equals(l.Name, name?.Trim(), StringComparison.Ordinal));

    private static string? Witness(string? text, out UserId witness)
    {
        witness = Guid.TryParse(text?.Trim(), out var g) && g != Guid.Empty ? new UserId(g) : default;
        return witness == default ? $"--witness: \"{text}\" is not a user id; expected a GUID." : null;
    }
}
