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
/// (product or location name, lot number); transfers, draws, preparations, waste, returns, holds and resolved
/// discrepancies go through the same service, which decides every rule.
/// </summary>
internal static partial class ClinicCommands
{
    internal static Command Stock(CliContext context)
    {
        var (database, connection) = DatabaseOptions();
        var by = ByOption(required: false);
        var at = new Option<string?>("--at") { Description = "When it happened, ISO 8601 UTC (default: now).", Recursive = true };
        var command = new Command("stock", "Controlled-substance stock of ketamine: products, locations, witnessed receipts and counts, balances and the register (every step is audited).") { database, connection, by, at };

        void Sub(string name, string description, Func<ParseResult, StockService, UserId, CancellationToken, Task<int>> run, params Option[] options) =>
            InDatabase(name, description, (parse, db, user, clock, t) => WithStockAsync(db, user, clock, s => run(parse, s, user, t)), options);

        void InDatabase(string name, string description, Func<ParseResult, ClinicDatabase, UserId, TimeProvider, CancellationToken, Task<int>> run, params Option[] options)
        {
            var c = new Command(name, description);
            options.ToList().ForEach(c.Options.Add);
            c.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user =>
            {
                var clock = ClockOption(context, parse.GetValue(at));
                return clock.IsSuccess
                    ? DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, t) => run(parse, db, user, clock.Value, t), ct)
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
        var witness = Text("--witness", "The witness: another active nurse, physician or stock keeper (user id, a GUID); a preparation's checker is a nurse or physician.");
        Sub("receive", "Receive sealed vials of a lot into a location, witnessed.", (p, s, u, ct) => ReceiveAsync(context, s, u, p.GetValue(product), p.GetValue(location), p.GetValue(lot), p.GetValue(expiry), p.GetValue(vials), p.GetValue(supplier), p.GetValue(reference), p.GetValue(witness), ct), product, location, lot, expiry, vials, supplier, reference, witness);

        var counted = Text("--counted", "Volume counted, e.g. 20 mL (0 for none).");
        Sub("count", "Record a count of a lot at a location by two people; a difference opens a discrepancy and never corrects the balance.", (p, s, u, ct) => CountAsync(context, s, u, p.GetValue(lot), p.GetValue(location), p.GetValue(counted), p.GetValue(witness), ct), lot, location, counted, witness);

        var to = Text("--to", "The location the stock goes to.");
        var volume = Text("--volume", "Volume, e.g. 5 mL.");
        Sub("transfer", "Move stock of a lot from one location to another, witnessed.", (p, s, u, ct) => TransferAsync(context, s, u, p.GetValue(lot), p.GetValue(location), p.GetValue(to), p.GetValue(volume), p.GetValue(witness), ct), lot, location, to, volume, witness);

        var session = Text("--session", "The session id (a GUID, printed by 'session schedule').");
        Sub("draw", "Draw drug from a lot at a location for a session, witnessed; refused for a lot on hold or past its expiry.", (p, s, u, ct) => DrawAsync(context, s, u, p.GetValue(session), p.GetValue(lot), p.GetValue(location), p.GetValue(volume), p.GetValue(witness), ct), session, lot, location, volume, witness);

        var diluent = Text("--diluent", "The diluent, e.g. \"NaCl 0.9 %\".");
        var finalVolume = Text("--final-volume", "Volume of the prepared infusion, e.g. 50 mL.");
        var finalConcentration = Text("--final-concentration", "Concentration of the prepared infusion, e.g. 1 mg/mL (the pump program's).");
        var checker = Text("--checked-by", "The second person who checked the preparation (user id, a GUID).");
        Sub("prepare", "Record a session's preparation from the drug drawn for it, checked by a second person.", (p, s, u, ct) => PrepareAsync(context, s, u, p.GetValue(session), p.GetValue(diluent), p.GetValue(finalVolume), p.GetValue(finalConcentration), p.GetValue(checker), ct), session, diluent, finalVolume, finalConcentration, checker);

        var method = Text("--method", "How it was wasted, e.g. \"drug disposal kit\".");
        var reason = Text("--reason", "Why.");
        Sub("waste", "Waste, witnessed: with --session the session's unused remainder once the drug has ended; with --lot and --location stock at a location (a broken or expired vial).", (p, s, u, ct) => WasteAsync(context, s, u, p.GetValue(session), p.GetValue(lot), p.GetValue(location), p.GetValue(volume), p.GetValue(method), p.GetValue(reason), p.GetValue(witness), ct), session, lot, location, volume, method, reason, witness);

        var returnReference = Text("--reference", "Return authorisation or DEA Form 222 number.");
        Sub("return", "Return stock of a lot to the supplier, witnessed (also for quarantined, recalled and expired lots).", (p, s, u, ct) => ReturnAsync(context, s, u, p.GetValue(lot), p.GetValue(location), p.GetValue(volume), p.GetValue(supplier), p.GetValue(returnReference), p.GetValue(witness), ct), lot, location, volume, supplier, returnReference, witness);

        var hold = new Option<LotHold?>("--hold") { Description = "Quarantined, Recalled or None (release)." };
        Sub("hold", "Put a lot in quarantine, record a recall, or release it (--hold None), with a reason.", (p, s, u, ct) => HoldAsync(context, s, u, p.GetValue(lot), p.GetValue(hold), p.GetValue(reason), ct), lot, hold, reason);

        var discrepancy = Text("--discrepancy", "The discrepancy id (a GUID, printed by 'stock count').");
        var resolution = Text("--resolution", "What the investigation found.");
        var adjust = new Option<bool>("--adjust") { Description = "Amend the balance by the difference (the count was right); without it the count was wrong and the ledger stands." };
        Sub("resolve", "Resolve a discrepancy, witnessed, optionally with an adjustment that names it.", (p, s, u, ct) => ResolveAsync(context, s, u, p.GetValue(discrepancy), p.GetValue(resolution), p.GetValue(adjust), p.GetValue(witness), ct), discrepancy, resolution, adjust, witness);

        var note = Text("--note", "What was looked at or found, e.g. \"CCTV reviewed; vial found cracked\".");
        Sub("investigate", "Add a dated note to a discrepancy's investigation (it stays open until resolved).", (p, s, u, ct) => InvestigateAsync(context, s, u, p.GetValue(discrepancy), p.GetValue(note), ct), discrepancy, note);

        Sub("balance", "On hand per product, lot and location, summed from the ledger.", (_, s, _, ct) => BalanceAsync(context, s, ct));
        var registerName = Text("--name", "The register: " + string.Join(", ", Interop.Text.StockLabels.Reports.Select(r => r.Name)) + ".");
        var format = new Option<string>("--format") { Description = "pdf or csv.", DefaultValueFactory = _ => "pdf" };
        var output = new Option<FileInfo?>("--out") { Description = "The file to write." };
        var language = new Option<string>("--lang") { Description = "en or tr: headers, labels and (PDF) numbers and dates in this language.", DefaultValueFactory = _ => "en" };
        InDatabase("report", "Write a register as PDF or CSV in the register template the clinic has chosen (audited like a download).", (p, db, u, clock, ct) => ReportAsync(context, db, u, clock, p.GetValue(registerName), p.GetValue(format), p.GetValue(output), p.GetValue(language), ct), registerName, format, output, language);
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
        var (lot, lotError) = await LotAsync(stock, lotNumber, ct).ConfigureAwait(false);
        var location = await LocationAsync(stock, locationName, ct).ConfigureAwait(false);
        var badVolume = StockAmount(counted, "--counted", out var amount, allowZero: true);
        var badWitness = Witness(witness, out var w);
        var error = lotError ?? NoLocation("--location", location, locationName) ?? badVolume ?? badWitness;
        if (error is not null)
        {
            return context.UsageError(error);
        }

        return await Say(context, stock.CountAsync(new StockCount(lot!.Id, location!.Id, amount, w), by, ct), r => r.Discrepancy is { } d
            ? $"count {r.Counted}, ledger {r.Expected}: discrepancy {d.Id} opened ({d.Difference}); the balance is unchanged until it is resolved"
            : $"count {r.Counted} agrees with the ledger").ConfigureAwait(false);
    }

    private static async Task<int> TransferAsync(CliContext context, StockService stock, UserId by, string? lotNumber, string? fromName, string? toName, string? volumeText, string? witness, CancellationToken ct)
    {
        var to = await LocationAsync(stock, toName, ct).ConfigureAwait(false);
        return NoLocation("--to", to, toName) is { } badTo
            ? context.UsageError(badTo)
            : await FromLotAsync(context, stock, lotNumber, fromName, volumeText, witness, a => Say(context, stock.TransferAsync(new StockTransfer(a.Lot.Id, a.Location.Id, to!.Id, a.Volume, a.Witness), by, ct), m => $"transferred {a.Volume} of lot {a.Lot.LotNumber} from {a.Location.Name} to {to.Name}; movement {m[0].Id}"), ct).ConfigureAwait(false);
    }

    private static Task<int> DrawAsync(CliContext context, StockService stock, UserId by, string? sessionText, string? lotNumber, string? locationName, string? volumeText, string? witness, CancellationToken ct) =>
        Session(sessionText, out var session) is { } badSession
            ? Task.FromResult(context.UsageError(badSession))
            : FromLotAsync(context, stock, lotNumber, locationName, volumeText, witness, a => Say(context, stock.DrawAsync(new StockDraw(session, a.Lot.Id, a.Location.Id, a.Volume, a.Witness), by, ct), m => $"drew {a.Volume} ({m.Amount}) of lot {a.Lot.LotNumber} from {a.Location.Name} for session {session}; movement {m.Id}"), ct);

    private static Task<int> PrepareAsync(CliContext context, StockService stock, UserId by, string? sessionText, string? diluent, string? volumeText, string? concentrationText, string? checker, CancellationToken ct)
    {
        var c = QuantityParser.ParseConcentration(concentrationText, "--final-concentration");
        var badSession = Session(sessionText, out var session);
        var badVolume = StockAmount(volumeText, "--final-volume", out var volume);
        var badWitness = Witness(checker, out var w, "--checked-by");
        var error = badSession ?? badVolume ?? (c.IsSuccess ? null : c.Error ?? "--final-concentration: not readable.") ?? badWitness;
        return error is not null
            ? Task.FromResult(context.UsageError(error))
            : Say(context, stock.PrepareAsync(new SessionPreparation(session, diluent ?? string.Empty, volume, c.Value, w), by, ct), m => $"prepared {m.Amount} in {volume} at {c.Value} for session {session}; movement {m.Id}");
    }

    private static async Task<int> WasteAsync(CliContext context, StockService stock, UserId by, string? sessionText, string? lotNumber, string? locationName, string? volumeText, string? method, string? reason, string? witness, CancellationToken ct)
    {
        if (sessionText is not null)
        {
            var badSession = Session(sessionText, out var session);
            var badRemainder = StockAmount(volumeText, "--volume", out var wasted, allowZero: true);
            var badSessionWitness = Witness(witness, out var sw);
            var sessionError = (lotNumber ?? locationName ?? reason) is not null ? "--session: give either --session (a session's remainder) or --lot, --location and --reason (stock at a location), not both."
                : badSession ?? badRemainder ?? badSessionWitness;
            return sessionError is not null
                ? context.UsageError(sessionError)
                : await Say(context, stock.WasteRemainderAsync(new SessionWaste(session, wasted, method ?? string.Empty, sw), by, ct), m => $"wasted the remainder of session {session}: {m.Amount} in {wasted}; movement {m.Id}").ConfigureAwait(false);
        }

        return await FromLotAsync(context, stock, lotNumber, locationName, volumeText, witness, a => Say(context, stock.WasteAsync(new LocationWaste(a.Lot.Id, a.Location.Id, a.Volume, method ?? string.Empty, reason ?? string.Empty, a.Witness), by, ct), m => $"wasted {a.Volume} ({m.Amount}) of lot {a.Lot.LotNumber} at {a.Location.Name}; movement {m.Id}"), ct).ConfigureAwait(false);
    }

    private static Task<int> ReturnAsync(CliContext context, StockService stock, UserId by, string? lotNumber, string? locationName, string? volumeText, string? supplier, string? reference, string? witness, CancellationToken ct) =>
        FromLotAsync(context, stock, lotNumber, locationName, volumeText, witness, a => Say(context, stock.ReturnAsync(new SupplierReturn(a.Lot.Id, a.Location.Id, a.Volume, supplier ?? string.Empty, reference ?? string.Empty, a.Witness), by, ct), m => $"returned {a.Volume} ({m.Amount}) of lot {a.Lot.LotNumber} from {a.Location.Name} to {supplier?.Trim()}; movement {m.Id}"), ct);

    /// <summary>Reads the lot, location, volume and witness of a step that takes stock out of a location, or says which option is wrong.</summary>
    private static async Task<int> FromLotAsync(CliContext context, StockService stock, string? lotNumber, string? locationName, string? volumeText, string? witness, Func<LotAt, Task<int>> run, CancellationToken ct)
    {
        var (lot, lotError) = await LotAsync(stock, lotNumber, ct).ConfigureAwait(false);
        var location = await LocationAsync(stock, locationName, ct).ConfigureAwait(false);
        var badVolume = StockAmount(volumeText, "--volume", out var volume);
        var badWitness = Witness(witness, out var w);
        var error = lotError ?? NoLocation("--location", location, locationName) ?? badVolume ?? badWitness;
        return error is not null ? context.UsageError(error) : await run(new LotAt(lot!, location!, volume, w)).ConfigureAwait(false);
    }

    private static async Task<int> HoldAsync(CliContext context, StockService stock, UserId by, string? lotNumber, LotHold? hold, string? reason, CancellationToken ct)
    {
        var (lot, lotError) = await LotAsync(stock, lotNumber, ct).ConfigureAwait(false);
        var error = lotError ?? (hold is null ? "--hold: required; Quarantined, Recalled or None." : null);
        return error is not null
            ? context.UsageError(error)
            : await Say(context, stock.SetHoldAsync(lot!.Id, hold!.Value, reason ?? string.Empty, by, ct), l => l.Hold == LotHold.None ? $"lot {l.LotNumber} released" : $"lot {l.LotNumber} {l.Hold.ToString().ToLowerInvariant()}").ConfigureAwait(false);
    }

    private static async Task<int> ResolveAsync(CliContext context, StockService stock, UserId by, string? discrepancyText, string? resolution, bool adjust, string? witness, CancellationToken ct)
    {
        var id = Guid.TryParse(discrepancyText?.Trim(), out var g) ? new DiscrepancyId(g) : default;
        var found = (await stock.DiscrepanciesAsync(cancellationToken: ct).ConfigureAwait(false)).FirstOrDefault(d => d.Id == id);
        var badWitness = Witness(witness, out var w);
        var error = (found is null ? $"--discrepancy: \"{discrepancyText}\" is not a discrepancy id (a GUID printed by 'stock count')." : null) ?? badWitness;
        if (error is not null)
        {
            return context.UsageError(error);
        }

        // The version read here is the one the service checks, so a discrepancy resolved meanwhile is refused, not resolved twice.
        return await Say(context, stock.ResolveAsync(new DiscrepancyResolution(id, found!.Version, resolution ?? string.Empty, adjust, w), by, ct), d => adjust
            ? $"discrepancy {d.Id} resolved; the balance was adjusted by {d.Difference}"
            : $"discrepancy {d.Id} resolved; the ledger stands").ConfigureAwait(false);
    }

    private static async Task<int> InvestigateAsync(CliContext context, StockService stock, UserId by, string? discrepancyText, string? note, CancellationToken ct)
    {
        var id = Guid.TryParse(discrepancyText?.Trim(), out var g) ? new DiscrepancyId(g) : default;
        var found = (await stock.DiscrepanciesAsync(cancellationToken: ct).ConfigureAwait(false)).FirstOrDefault(d => d.Id == id);
        if (found is null)
        {
            return context.UsageError($"--discrepancy: \"{discrepancyText}\" is not a discrepancy id (a GUID printed by 'stock count').");
        }

        return await Say(context, stock.InvestigateAsync(id, found.Version, note ?? string.Empty, by, ct), d => $"discrepancy {d.Id}: note added, {d.Status.ToString().ToLowerInvariant()}").ConfigureAwait(false);
    }

    private static async Task<int> ReportAsync(CliContext context, ClinicDatabase database, UserId by, TimeProvider clock, string? name, string? format, FileInfo? output, string? language, CancellationToken ct)
    {
        var culture = Interop.Text.ReportCultures.Of(language);
        var error = (Interop.Text.StockLabels.Reports.Any(r => r.Name == name?.Trim()) ? null : $"--name: \"{name}\" is not a register; use one of {string.Join(", ", Interop.Text.StockLabels.Reports.Select(r => r.Name))}.")
            ?? (format is "pdf" or "csv" ? null : $"--format: \"{format}\" is neither pdf nor csv.")
            ?? (culture is null ? $"--lang: \"{language}\" is not a language; use en or tr." : null)
            ?? (output is null ? "--out: the file to write is required." : null);
        if (error is not null)
        {
            return context.UsageError(error);
        }

        await using var db = database.Open(by, clock);
        var stock = new StockService(db, clock, new StaffDirectory(db, clock));
        byte[] bytes = format == "pdf"
            ? (await new Interop.Reports.StockRegisterPdf(stock, db, clock).RenderAsync(name!.Trim(), culture!, by, ct).ConfigureAwait(false))!
            : System.Text.Encoding.UTF8.GetBytes((await new Interop.Csv.StockRegisterCsv(stock, db).WriteAsync(name!.Trim(), culture!, by, ct).ConfigureAwait(false))!);
        try
        {
            await File.WriteAllBytesAsync(output!.FullName, bytes, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return context.UsageError($"--out: cannot write \"{output!.FullName}\": {e.Message}");
        }

        context.Out.WriteLine($"{name} register written to {output.FullName}");
        return ExitCodes.Success;
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

    private static string? Witness(string? text, out UserId witness, string option = "--witness")
    {
        witness = Guid.TryParse(text?.Trim(), out var g) && g != Guid.Empty ? new UserId(g) : default;
        return witness == default ? $"{option}: \"{text}\" is not a user id; expected a GUID." : null;
    }

    /// <summary>The one lot with this number; lot numbers are printed per product, so two products may share one.</summary>
    private static async Task<(StockLot? Lot, string? Error)> LotAsync(StockService stock, string? number, CancellationToken ct)
    {
        var lots = (await stock.LotsAsync(ct).ConfigureAwait(false)).Where(l => string.Equals(l.LotNumber, number?.Trim(), StringComparison.Ordinal)).ToList();
        return lots.Count == 1 ? (lots[0], null) : (null, $"--lot: \"{number}\" names {lots.Count.ToString(CultureInfo.InvariantCulture)} lots; give a lot number of one product.");
    }

    private static string? NoLocation(string option, StockLocation? found, string? name) =>
        found is null ? $"{option}: no location named \"{name}\"; add it with 'ketacare stock location'." : null;

    private static string? Session(string? text, out SessionId session)
    {
        session = Guid.TryParse(text?.Trim(), out var g) && g != Guid.Empty ? new SessionId(g) : default;
        return session == default ? $"--session: \"{text}\" is not a session id (a GUID printed by 'session schedule')." : null;
    }

    /// <summary>
    /// A volume as typed, bounded to what a stock volume can hold so the service sees a number it can judge
    /// (its own range check names the field); "0" is read as none where a zero remainder is possible.
    /// </summary>
    private static string? StockAmount(string? text, string option, out StockVolume volume, bool allowZero = false)
    {
        volume = StockVolume.Zero;
        if (allowZero && QuantityParser.ParseNumber(text, option) is { IsSuccess: true, Value: 0 })
        {
            return null;
        }

        var parsed = QuantityParser.ParseVolume(text, option);
        if (!parsed.IsSuccess)
        {
            return parsed.Error ?? $"{option}: \"{text}\" is not a volume, e.g. 5 mL.";
        }

        if (parsed.Value.Milliliters > StockService.MaxMovementMl)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{option}: above {StockService.MaxMovementMl} mL.");
        }

        volume = StockVolume.Of(parsed.Value);
        return null;
    }

    /// <summary>A volume of a lot at a location, moved before a witness.</summary>
    private sealed record LotAt(StockLot Lot, StockLocation Location, StockVolume Volume, UserId Witness);
}
