using KetaCare.Clinic;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Stock;
using KetaCare.Pharmacology.Units;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Api;

/// <summary>
/// The controlled-substance register: products, locations, balances, the ledger and discrepancies (read), and the
/// witnessed steps receipt, transfer, draw, preparation, waste, return, count, investigation and resolution. Each step
/// is one call of <see cref="StockService"/>, which holds every rule; a refusal comes back as its coded findings.
/// Volumes are quantities in mL, e.g. <c>{"value":2,"unit":"mL"}</c>.
/// </summary>
internal static class StockApi
{
    private const string Tag = "Controlled-substance stock";

    public static void Map(RouteGroupBuilder api)
    {
        var stock = api.MapGroup("/stock").WithTags(Tag);
        stock.MapGet("/products", async (StockService s, CancellationToken ct) => TypedResults.Ok((await s.ProductsAsync(ct).ConfigureAwait(false)).Select(ProductView.From).ToList()))
            .RequireAuthorization(Policies.ReadStock).WithName("ListStockProducts").WithSummary("The stocked ketamine products.").Produces<IReadOnlyList<ProductView>>();
        stock.MapPost("/products", AddProductAsync)
            .RequireAuthorization(Policies.KeepStock).WithName("AddStockProduct").WithSummary("Adds a product: name, concentration (10, 50 or 100 mg/mL), vial volume in mL, optional NDC/GTIN code.")
            .Accepts<NewProductBody>("application/json").Produces<ProductView>(StatusCodes.Status201Created).ProducesValidationProblem();
        stock.MapGet("/locations", async (StockService s, CancellationToken ct) => TypedResults.Ok((await s.LocationsAsync(ct).ConfigureAwait(false)).Select(LocationView.From).ToList()))
            .RequireAuthorization(Policies.ReadStock).WithName("ListStockLocations").WithSummary("The storage locations (safes, cabinets).").Produces<IReadOnlyList<LocationView>>();
        stock.MapPost("/locations", AddLocationAsync)
            .RequireAuthorization(Policies.KeepStock).WithName("AddStockLocation").WithSummary("Adds a location: name (unique) and kind (Safe or Cabinet).")
            .Accepts<NewLocationBody>("application/json").Produces<LocationView>(StatusCodes.Status201Created).ProducesValidationProblem();
        stock.MapGet("/lots", async (StockService s, CancellationToken ct) => TypedResults.Ok((await s.LotsAsync(ct).ConfigureAwait(false)).Select(LotView.From).ToList()))
            .RequireAuthorization(Policies.ReadStock).WithName("ListStockLots").WithSummary("The lots received, with expiry and hold.").Produces<IReadOnlyList<LotView>>();
        stock.MapPost("/lots/{id:guid}/hold", HoldAsync)
            .RequireAuthorization(Policies.KeepStock).WithName("HoldStockLot").WithSummary("Quarantines a lot, records its recall or releases it (hold None), with a reason; a held lot is not drawn or moved.")
            .Accepts<HoldBody>("application/json").Produces<LotView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        stock.MapGet("/sessions/{id:guid}/custody", CustodyAsync)
            .RequireAuthorization(Policies.ReadStock).WithName("GetSessionCustody").WithSummary("What happened to the drug drawn for a session: drawn, prepared, given (the session's dose account) and wasted, in mg.")
            .Produces<CustodyView>().ProducesProblem(StatusCodes.Status404NotFound);
        stock.MapGet("/balances", BalancesAsync)
            .RequireAuthorization(Policies.ReadStock).WithName("ListStockBalances").WithSummary("On hand per product, lot and location, summed from the ledger; optional productId and locationId filters.")
            .Produces<IReadOnlyList<BalanceView>>();
        stock.MapGet("/register", RegisterAsync)
            .RequireAuthorization(Policies.ReadStock).WithName("ListStockRegister").WithSummary("The ledger in the order written, optionally of one lot (lotId): every receipt, transfer, draw, preparation, waste, return, count and adjustment.")
            .Produces<IReadOnlyList<MovementView>>();
        stock.MapGet("/discrepancies", async (bool? open, StockService s, CancellationToken ct) => TypedResults.Ok((await s.DiscrepanciesAsync(open ?? false, ct).ConfigureAwait(false)).Select(DiscrepancyView.From).ToList()))
            .RequireAuthorization(Policies.ReadStock).WithName("ListStockDiscrepancies").WithSummary("Count discrepancies, open first; open=true leaves out the resolved ones.").Produces<IReadOnlyList<DiscrepancyView>>();

        Step<ReceiptBody>(stock, "/receipts", Policies.KeepStock, "ReceiveStock", "Receives sealed vials of a lot into a location (supplier, invoice or order reference, lot number, expiry, vials), witnessed.", (b, input, by, s, ct) =>
        {
            var vials = input.Required(b.Vials, "vials", "vials received");
            var expiry = input.Required(b.Expiry, "expiry", "the expiry date, yyyy-MM-dd");
            return input.IsValid
                ? Single(s.ReceiveAsync(new StockReceipt(new ProductId(b.ProductId), new LocationId(b.LocationId), b.LotNumber ?? string.Empty, expiry!.Value, vials!.Value, b.Supplier ?? string.Empty, b.Reference ?? string.Empty, new UserId(b.WitnessedBy)), by, ct))
                : null;
        });
        Step<TransferBody>(stock, "/transfers", Policies.KeepStock, "TransferStock", "Moves a volume of a lot from one location to another, witnessed.", (b, input, by, s, ct) =>
            Volume(input, b.Volume, "volume") is { } v
                ? Many(s.TransferAsync(new StockTransfer(new LotId(b.LotId), new LocationId(b.FromLocationId), new LocationId(b.ToLocationId), v, new UserId(b.WitnessedBy)), by, ct))
                : null);
        Step<DrawBody>(stock, "/draws", Policies.RecordStock, "DrawStock", "Draws a volume of a lot at a location for a session; an expired, quarantined or recalled lot is refused, and so is more than is on hand.", (b, input, by, s, ct) =>
            Volume(input, b.Volume, "volume") is { } v
                ? Single(s.DrawAsync(new StockDraw(new SessionId(b.SessionId), new LotId(b.LotId), new LocationId(b.LocationId), v, new UserId(b.WitnessedBy)), by, ct))
                : null);
        Step<PreparationBody>(stock, "/preparations", Policies.RecordStock, "PrepareStock", "Records the session's preparation (diluent, final volume, final concentration in mg/mL), checked by a second person; the concentration must be the pump program's.", (b, input, by, s, ct) =>
        {
            var volume = Volume(input, b.FinalVolume, "finalVolume");
            var c = input.Unit(input.Required(b.FinalConcentration, "finalConcentration", "e.g. {\"value\":1,\"unit\":\"mg/mL\"}"), "finalConcentration", "mg/mL");
            input.InRange(c?.Value, "finalConcentration", 0.001, 100, "mg/mL");
            return input.IsValid && volume is { } v && c is not null
                ? Single(s.PrepareAsync(new SessionPreparation(new SessionId(b.SessionId), b.Diluent ?? string.Empty, v, Concentration.FromMilligramsPerMilliliter(c.Value), new UserId(b.CheckedBy)), by, ct))
                : null;
        });
        Step<WasteBody>(stock, "/wastes", Policies.KeepStock, "WasteStock", "Records a witnessed waste: with sessionId, the session's unused remainder (the volume must be prepared − given); without, a volume of a lot at a location with a reason.", (b, input, by, s, ct) =>
        {
            if (b.SessionId is { } session)
            {
                var remainder = ZeroOrMore(input, b.Volume, "volume");
                return input.IsValid ? Single(s.WasteRemainderAsync(new SessionWaste(new SessionId(session), remainder!.Value, b.Method ?? string.Empty, new UserId(b.WitnessedBy)), by, ct)) : null;
            }

            var lot = input.Required(b.LotId, "lotId", "the lot, or sessionId for a session's remainder");
            var location = input.Required(b.LocationId, "locationId", "where the stock was wasted");
            var v = Volume(input, b.Volume, "volume");
            return input.IsValid
                ? Single(s.WasteAsync(new LocationWaste(new LotId(lot!.Value), new LocationId(location!.Value), v!.Value, b.Method ?? string.Empty, b.Reason ?? string.Empty, new UserId(b.WitnessedBy)), by, ct))
                : null;
        });
        Step<ReturnBody>(stock, "/returns", Policies.KeepStock, "ReturnStock", "Returns a volume of a lot to the supplier (also for quarantined, recalled or expired lots), witnessed.", (b, input, by, s, ct) =>
            Volume(input, b.Volume, "volume") is { } v
                ? Single(s.ReturnAsync(new SupplierReturn(new LotId(b.LotId), new LocationId(b.LocationId), v, b.Supplier ?? string.Empty, b.Reference ?? string.Empty, new UserId(b.WitnessedBy)), by, ct))
                : null);
        Step<CountBody>(stock, "/counts", Policies.KeepStock, "CountStock", "Records a count by two people; a difference opens a discrepancy (returned), it never corrects the balance.", (b, input, by, s, ct) =>
            ZeroOrMore(input, b.Counted, "counted") is { } counted
                ? Map(s.CountAsync(new StockCount(new LotId(b.LotId), new LocationId(b.LocationId), counted, new UserId(b.WitnessedBy)), by, ct), CountView.From)
                : null);

        stock.MapPost("/discrepancies/{id:guid}/investigation", InvestigateAsync)
            .RequireAuthorization(Policies.KeepStock).WithName("InvestigateStockDiscrepancy").WithSummary("Adds a note to a discrepancy's investigation, against the version read.")
            .Accepts<InvestigationBody>("application/json").Produces<DiscrepancyView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        stock.MapPost("/discrepancies/{id:guid}/resolution", ResolveAsync)
            .RequireAuthorization(Policies.KeepStock).WithName("ResolveStockDiscrepancy").WithSummary("Resolves a discrepancy, witnessed; adjust=true amends the balance by the difference in an adjustment that names it.")
            .Accepts<ResolutionBody>("application/json").Produces<DiscrepancyView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private delegate Task<Outcome<object>>? StepCall<in T>(T body, ApiInput input, UserId by, StockService stock, CancellationToken ct);

    /// <summary>A witnessed step: read the body, let <paramref name="call"/> parse it and call the service, answer 201 or the refusal.</summary>
    private static void Step<T>(RouteGroupBuilder stock, string path, string policy, string name, string summary, StepCall<T> call)
        where T : class
    {
        stock.MapPost(path, async (JsonBody<T> body, StockService s, ClinicRequest request, CancellationToken ct) =>
            {
                var input = ApiInput.From(body, out var b);
                if (input.Problem is { } unreadable)
                {
                    return unreadable;
                }

                var pending = call(b, input, request.RequiredUser, s, ct);
                if (pending is null || input.Problem is not null)
                {
                    return input.Problem ?? ApiProblems.Invalid([ApiProblems.RequestKey + ": the request is incomplete."]);
                }

                var r = await pending.ConfigureAwait(false);
                return r.IsSuccess ? TypedResults.Created($"/api/v1/stock{path}", r.Value) : ApiProblems.Refused(r.Refusal);
            })
            .RequireAuthorization(policy)
            .WithName(name)
            .WithSummary(summary)
            .Accepts<T>("application/json")
            .Produces(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Outcome<object>> Map<T>(Task<Outcome<T>> pending, Func<T, object> view)
    {
        var r = await pending.ConfigureAwait(false);
        return r.IsSuccess ? Outcome<object>.Ok(view(r.Value)) : r.Refusal;
    }

    private static Task<Outcome<object>> Single(Task<Outcome<StockMovement>> pending) => Map(pending, MovementView.From);

    private static Task<Outcome<object>> Many(Task<Outcome<IReadOnlyList<StockMovement>>> pending) => Map(pending, ms => ms.Select(MovementView.From).ToList());

    /// <summary>A volume above 0 in mL, within the plausible range; null with the error otherwise.</summary>
    private static StockVolume? Volume(ApiInput input, Quantity? quantity, string field)
    {
        var q = input.Unit(input.Required(quantity, field, "a volume, e.g. {\"value\":2,\"unit\":\"mL\"}"), field, "mL");
        input.InRange(q?.Value, field, 0.001, StockService.MaxMovementMl, "mL");
        return input.IsValid && q is not null ? StockVolume.FromMilliliters(q.Value) : null;
    }

    /// <summary>A volume of 0 or more in mL (a count, a remainder that may be nothing).</summary>
    private static StockVolume? ZeroOrMore(ApiInput input, Quantity? quantity, string field)
    {
        var q = input.Unit(input.Required(quantity, field, "a volume, e.g. {\"value\":0,\"unit\":\"mL\"}"), field, "mL");
        input.InRange(q?.Value, field, 0, StockService.MaxMovementMl, "mL");
        return input.IsValid && q is not null ? StockVolume.FromMilliliters(q.Value) : null;
    }

    private static async Task<IResult> AddProductAsync(JsonBody<NewProductBody> body, StockService s, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var b);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var c = input.Unit(input.Required(b.Concentration, "concentration", "10, 50 or 100 mg/mL"), "concentration", "mg/mL");
        var v = input.Unit(input.Required(b.VialVolume, "vialVolume", "e.g. {\"value\":10,\"unit\":\"mL\"}"), "vialVolume", "mL");
        input.InRange(c?.Value, "concentration", 1, 100, "mg/mL");
        input.InRange(v?.Value, "vialVolume", 0.1, 100, "mL");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var r = await s.AddProductAsync(new NewProduct(b.Name ?? string.Empty, Concentration.FromMilligramsPerMilliliter(c!.Value), Pharmacology.Units.Volume.FromMilliliters(v!.Value), b.Code), request.RequiredUser, ct).ConfigureAwait(false);
        return r.IsSuccess ? TypedResults.Created("/api/v1/stock/products", ProductView.From(r.Value)) : ApiProblems.Refused(r.Refusal);
    }

    private static async Task<IResult> AddLocationAsync(JsonBody<NewLocationBody> body, StockService s, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var b);
        var kind = input.Required(b?.Kind, "kind", "Safe or Cabinet");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var r = await s.AddLocationAsync(b!.Name ?? string.Empty, kind!.Value, request.RequiredUser, ct).ConfigureAwait(false);
        return r.IsSuccess ? TypedResults.Created("/api/v1/stock/locations", LocationView.From(r.Value)) : ApiProblems.Refused(r.Refusal);
    }

    private static async Task<IResult> HoldAsync(Guid id, JsonBody<HoldBody> body, StockService s, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var b);
        var hold = input.Required(b?.Hold, "hold", "None, Quarantined or Recalled");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var r = await s.SetHoldAsync(new LotId(id), hold!.Value, b!.Reason ?? string.Empty, request.RequiredUser, ct).ConfigureAwait(false);
        return r.IsSuccess ? TypedResults.Ok(LotView.From(r.Value)) : ApiProblems.Refused(r.Refusal);
    }

    private static async Task<IResult> CustodyAsync(Guid id, StockService s, CancellationToken ct)
    {
        var r = await s.CustodyAsync(new SessionId(id), ct).ConfigureAwait(false);
        return r.IsSuccess ? TypedResults.Ok(CustodyView.From(r.Value)) : ApiProblems.Refused(r.Refusal);
    }

    private static async Task<IResult> BalancesAsync(Guid? productId, Guid? locationId, StockService s, CancellationToken ct)
    {
        var balances = await s.BalancesAsync(productId is { } p ? new ProductId(p) : null, locationId is { } l ? new LocationId(l) : null, ct).ConfigureAwait(false);
        return TypedResults.Ok(balances.Select(BalanceView.From).ToList());
    }

    private static async Task<IResult> RegisterAsync(Guid? lotId, StockService s, CancellationToken ct) =>
        TypedResults.Ok((await s.RegisterAsync(lotId is { } l ? new LotId(l) : null, ct).ConfigureAwait(false)).Select(MovementView.From).ToList());

    private static async Task<IResult> InvestigateAsync(Guid id, JsonBody<InvestigationBody> body, StockService s, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var b);
        var version = input.Required(b?.ExpectedVersion, "expectedVersion", "the discrepancy's version you read");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var r = await s.InvestigateAsync(new DiscrepancyId(id), version!.Value, b!.Note ?? string.Empty, request.RequiredUser, ct).ConfigureAwait(false);
        return r.IsSuccess ? TypedResults.Ok(DiscrepancyView.From(r.Value)) : ApiProblems.Refused(r.Refusal);
    }

    private static async Task<IResult> ResolveAsync(Guid id, JsonBody<ResolutionBody> body, StockService s, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var b);
        var version = input.Required(b?.ExpectedVersion, "expectedVersion", "the discrepancy's version you read");
        var adjust = input.Required(b?.Adjust, "adjust", "true to amend the balance by the difference, false when the count was wrong");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var r = await s.ResolveAsync(new DiscrepancyResolution(new DiscrepancyId(id), version!.Value, b!.Resolution ?? string.Empty, adjust!.Value, new UserId(b.WitnessedBy)), request.RequiredUser, ct).ConfigureAwait(false);
        return r.IsSuccess ? TypedResults.Ok(DiscrepancyView.From(r.Value)) : ApiProblems.Refused(r.Refusal);
    }
}

/// <summary>A product to add.</summary>
/// <param name="Name">Name as on the label.</param>
/// <param name="Concentration">10, 50 or 100 mg/mL.</param>
/// <param name="VialVolume">Volume of one vial, mL.</param>
/// <param name="Code">NDC, GTIN or national code.</param>
public sealed record NewProductBody(string? Name, Quantity? Concentration, Quantity? VialVolume, string? Code);

/// <summary>A location to add.</summary>
/// <param name="Name">Name, unique.</param>
/// <param name="Kind">Safe or Cabinet.</param>
public sealed record NewLocationBody(string? Name, LocationKind? Kind);

/// <summary>A receipt of sealed vials.</summary>
/// <param name="ProductId">The product.</param>
/// <param name="LocationId">Where they are put away.</param>
/// <param name="LotNumber">Lot number as printed.</param>
/// <param name="Expiry">Expiry date, yyyy-MM-dd.</param>
/// <param name="Vials">Vials received.</param>
/// <param name="Supplier">Supplier.</param>
/// <param name="Reference">Invoice or order reference.</param>
/// <param name="WitnessedBy">The witness's user id.</param>
public sealed record ReceiptBody(Guid ProductId, Guid LocationId, string? LotNumber, DateOnly? Expiry, int? Vials, string? Supplier, string? Reference, Guid WitnessedBy);

/// <summary>A transfer.</summary>
/// <param name="LotId">The lot.</param>
/// <param name="FromLocationId">From.</param>
/// <param name="ToLocationId">To.</param>
/// <param name="Volume">Volume, mL.</param>
/// <param name="WitnessedBy">The witness's user id.</param>
public sealed record TransferBody(Guid LotId, Guid FromLocationId, Guid ToLocationId, Quantity? Volume, Guid WitnessedBy);

/// <summary>A draw for a session.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="LotId">The lot.</param>
/// <param name="LocationId">The location.</param>
/// <param name="Volume">Volume, mL.</param>
/// <param name="WitnessedBy">The witness's user id.</param>
public sealed record DrawBody(Guid SessionId, Guid LotId, Guid LocationId, Quantity? Volume, Guid WitnessedBy);

/// <summary>A session's preparation.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Diluent">Diluent.</param>
/// <param name="FinalVolume">Final volume, mL.</param>
/// <param name="FinalConcentration">Final concentration, mg/mL.</param>
/// <param name="CheckedBy">The checker's user id.</param>
public sealed record PreparationBody(Guid SessionId, string? Diluent, Quantity? FinalVolume, Quantity? FinalConcentration, Guid CheckedBy);

/// <summary>A waste: a session's remainder (sessionId) or stock at a location (lotId, locationId, reason).</summary>
/// <param name="SessionId">The session, for its remainder.</param>
/// <param name="LotId">The lot, for a waste at a location.</param>
/// <param name="LocationId">The location.</param>
/// <param name="Volume">Volume, mL.</param>
/// <param name="Method">How.</param>
/// <param name="Reason">Why (a waste at a location).</param>
/// <param name="WitnessedBy">The witness's user id.</param>
public sealed record WasteBody(Guid? SessionId, Guid? LotId, Guid? LocationId, Quantity? Volume, string? Method, string? Reason, Guid WitnessedBy);

/// <summary>A return to the supplier.</summary>
/// <param name="LotId">The lot.</param>
/// <param name="LocationId">The location.</param>
/// <param name="Volume">Volume, mL.</param>
/// <param name="Supplier">To whom.</param>
/// <param name="Reference">Return authorisation or form number.</param>
/// <param name="WitnessedBy">The witness's user id.</param>
public sealed record ReturnBody(Guid LotId, Guid LocationId, Quantity? Volume, string? Supplier, string? Reference, Guid WitnessedBy);

/// <summary>A count by two people.</summary>
/// <param name="LotId">The lot.</param>
/// <param name="LocationId">The location.</param>
/// <param name="Counted">Volume counted, mL.</param>
/// <param name="WitnessedBy">The second counter's user id.</param>
public sealed record CountBody(Guid LotId, Guid LocationId, Quantity? Counted, Guid WitnessedBy);

/// <summary>A note of a discrepancy's investigation.</summary>
/// <param name="ExpectedVersion">The version read.</param>
/// <param name="Note">The note.</param>
public sealed record InvestigationBody(long? ExpectedVersion, string? Note);

/// <summary>A discrepancy's resolution.</summary>
/// <param name="ExpectedVersion">The version read.</param>
/// <param name="Resolution">What was found and done.</param>
/// <param name="Adjust">True to amend the balance by the difference.</param>
/// <param name="WitnessedBy">The witness's user id.</param>
public sealed record ResolutionBody(long? ExpectedVersion, string? Resolution, bool? Adjust, Guid WitnessedBy);

/// <summary>A lot's hold to set.</summary>
/// <param name="Hold">None, Quarantined or Recalled.</param>
/// <param name="Reason">Why.</param>
public sealed record HoldBody(LotHold? Hold, string? Reason);

/// <summary>A lot as the API shows it.</summary>
/// <param name="Id">Identity.</param>
/// <param name="ProductId">The product.</param>
/// <param name="LotNumber">Lot number as printed.</param>
/// <param name="Expiry">Last day of use.</param>
/// <param name="Hold">None, Quarantined or Recalled.</param>
public sealed record LotView(Guid Id, Guid ProductId, string LotNumber, DateOnly Expiry, LotHold Hold)
{
    internal static LotView From(StockLot l) => new(l.Id.Value, l.Product.Value, l.LotNumber, l.Expiry, l.Hold);
}

/// <summary>What happened to the drug drawn for a session.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Drawn">Drawn from stock, mg.</param>
/// <param name="Prepared">In the preparation, mg; null before it.</param>
/// <param name="Given">Given, by the session's dose account, mg.</param>
/// <param name="Wasted">Wasted, witnessed, mg.</param>
public sealed record CustodyView(Guid SessionId, Quantity Drawn, Quantity? Prepared, Quantity Given, Quantity Wasted)
{
    internal static CustodyView From(SessionCustody c) => new(
        c.Session.Value, Quantity.Of(c.Drawn.Milligrams, "mg"), c.Prepared is { } p ? Quantity.Of(p.Milligrams, "mg") : null, Quantity.Of(c.Given.Milligrams, "mg"), Quantity.Of(c.Wasted.Milligrams, "mg"));
}

/// <summary>A product as the API shows it.</summary>
/// <param name="Id">Identity.</param>
/// <param name="Name">Name.</param>
/// <param name="Concentration">mg/mL.</param>
/// <param name="VialVolume">mL.</param>
/// <param name="Code">NDC, GTIN or national code.</param>
public sealed record ProductView(Guid Id, string Name, Quantity Concentration, Quantity VialVolume, string? Code)
{
    internal static ProductView From(StockProduct p) =>
        new(p.Id.Value, p.Name, Quantity.Of(p.Concentration.MilligramsPerMilliliter, "mg/mL"), Quantity.Of(p.ContainerVolume.Milliliters, "mL"), p.Code);
}

/// <summary>A storage location as the API shows it.</summary>
/// <param name="Id">Identity.</param>
/// <param name="Name">Name.</param>
/// <param name="Kind">Safe or Cabinet.</param>
public sealed record LocationView(Guid Id, string Name, LocationKind Kind)
{
    internal static LocationView From(StockLocation l) => new(l.Id.Value, l.Name, l.Kind);
}

/// <summary>On hand of one lot at one location.</summary>
/// <param name="Product">The product.</param>
/// <param name="LotId">The lot.</param>
/// <param name="LotNumber">Lot number.</param>
/// <param name="Expiry">Expiry.</param>
/// <param name="Hold">None, Quarantined or Recalled.</param>
/// <param name="Location">The location.</param>
/// <param name="OnHand">Volume, mL.</param>
/// <param name="Amount">Drug, mg.</param>
public sealed record BalanceView(ProductView Product, Guid LotId, string LotNumber, DateOnly Expiry, LotHold Hold, LocationView Location, Quantity OnHand, Quantity Amount)
{
    internal static BalanceView From(StockBalance b) => new(
        ProductView.From(b.Product), b.Lot.Id.Value, b.Lot.LotNumber, b.Lot.Expiry, b.Lot.Hold, LocationView.From(b.Location), Quantity.Of(b.OnHand.Milliliters, "mL"), Quantity.Of(b.Amount.Milligrams, "mg"));
}

/// <summary>One line of the ledger.</summary>
/// <param name="Id">The movement (a transfer's legs share it).</param>
/// <param name="Kind">What happened.</param>
/// <param name="At">When (UTC).</param>
/// <param name="By">Who.</param>
/// <param name="WitnessedBy">The witness or checker.</param>
/// <param name="LotId">The lot.</param>
/// <param name="LocationId">The location.</param>
/// <param name="Change">Change of stock, mL (negative out).</param>
/// <param name="Amount">Drug concerned, mg.</param>
/// <param name="PatientId">The patient of a session's movement.</param>
/// <param name="SessionId">The session.</param>
/// <param name="Party">Supplier, diluent or method.</param>
/// <param name="Reference">Invoice, order or the other location.</param>
/// <param name="Reason">Why.</param>
/// <param name="Stated">Counted, prepared or wasted volume, mL.</param>
/// <param name="DiscrepancyId">The discrepancy a count opened or an adjustment resolves.</param>
public sealed record MovementView(Guid Id, MovementKind Kind, DateTime At, Guid By, Guid? WitnessedBy, Guid LotId, Guid LocationId, Quantity Change, Quantity Amount, Guid? PatientId, Guid? SessionId, string? Party, string? Reference, string? Reason, Quantity? Stated, Guid? DiscrepancyId)
{
    internal static MovementView From(StockMovement m) => new(
        m.Id.Value, m.Kind, ApiJson.Utc(m.At), m.By.Value, m.WitnessedBy?.Value, m.Lot.Value, m.Location.Value, Quantity.Of(m.Change.Milliliters, "mL"), Quantity.Of(m.Amount.Milligrams, "mg"),
        m.Patient?.Value, m.Session?.Value, m.Party, m.Reference, m.Reason, m.Stated is { } s ? Quantity.Of(s.Milliliters, "mL") : null, m.Discrepancy?.Value);
}

/// <summary>A discrepancy.</summary>
/// <param name="Id">Identity.</param>
/// <param name="LotId">The lot.</param>
/// <param name="LocationId">The location.</param>
/// <param name="Expected">By the ledger, mL.</param>
/// <param name="Counted">Counted, mL.</param>
/// <param name="FoundAt">When (UTC).</param>
/// <param name="CountedBy">Who counted.</param>
/// <param name="WitnessedBy">Who witnessed.</param>
/// <param name="Status">Open, Investigating or Resolved.</param>
/// <param name="Investigation">Notes.</param>
/// <param name="Resolution">How it was closed.</param>
/// <param name="Version">Send it back as expectedVersion.</param>
public sealed record DiscrepancyView(Guid Id, Guid LotId, Guid LocationId, Quantity Expected, Quantity Counted, DateTime FoundAt, Guid CountedBy, Guid WitnessedBy, DiscrepancyStatus Status, string? Investigation, string? Resolution, long Version)
{
    internal static DiscrepancyView From(Discrepancy d) => new(
        d.Id.Value, d.Lot.Value, d.Location.Value, Quantity.Of(d.Expected.Milliliters, "mL"), Quantity.Of(d.Counted.Milliliters, "mL"), ApiJson.Utc(d.FoundAt), d.CountedBy.Value, d.WitnessedBy.Value, d.Status, d.Investigation, d.Resolution, d.Version);
}

/// <summary>What a count found.</summary>
/// <param name="Expected">By the ledger, mL.</param>
/// <param name="Counted">Counted, mL.</param>
/// <param name="Discrepancy">The discrepancy opened, when they differ.</param>
public sealed record CountView(Quantity Expected, Quantity Counted, DiscrepancyView? Discrepancy)
{
    internal static CountView From(CountResult r) =>
        new(Quantity.Of(r.Expected.Milliliters, "mL"), Quantity.Of(r.Counted.Milliliters, "mL"), r.Discrepancy is { } d ? DiscrepancyView.From(d) : null);
}
