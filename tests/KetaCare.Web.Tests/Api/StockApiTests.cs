using KetaCare.Clinic.Services;

namespace KetaCare.Web.Tests.Api;

/// <summary>The controlled-substance register through the API: the service's steps, its coded refusals as problems, and the balances read back.</summary>
public sealed class StockApiTests : IClassFixture<ApiTests.App>
{
    private readonly ApiTests.App _app;

    public StockApiTests(ApiTests.App app) => _app = app;

    [Fact]
    public async Task ReceiveCountAndResolve_ThroughTheApi_BalanceFollowsTheLedgerAndRefusalsCarryTheirCodes()
    {
        var nurse = await _app.ClientAsync("nurse");
        var witness = DemoSeed.DemoSecondNurse.Value;
        var unique = Guid.NewGuid().ToString("N")[..8];
        var product = await (await nurse.PostJsonAsync("/api/v1/stock/products", $$"""{"name":"Ketamine 50 mg/mL 10 mL {{unique}}","concentration":{"value":50,"unit":"mg/mL"},"vialVolume":{"value":10,"unit":"mL"},"code":"0409-2053-10"}""")).JsonAsync();
        var location = await (await nurse.PostJsonAsync("/api/v1/stock/locations", $$"""{"name":"Safe {{unique}}","kind":"Safe"}""")).JsonAsync();
        var (productId, locationId) = (product["id"]!.GetValue<Guid>(), location["id"]!.GetValue<Guid>());
        string Receipt(Guid by) => $$"""{"productId":"{{productId}}","locationId":"{{locationId}}","lotNumber":"L{{unique}}","expiry":"2099-12-31","vials":3,"supplier":"Wholesaler","reference":"INV-1","witnessedBy":"{{by}}"}""";

        var self = await (await nurse.PostJsonAsync("/api/v1/stock/receipts", Receipt(DemoSeed.DemoNurse.Value))).ProblemAsync(400);
        Assert.Equal(["stock.witness-same-person"], self.Codes());
        var received = await nurse.PostJsonAsync("/api/v1/stock/receipts", Receipt(witness));
        Assert.Equal(System.Net.HttpStatusCode.Created, received.StatusCode);
        var lotId = (await received.JsonAsync())["lotId"]!.GetValue<Guid>();

        var auditor = await _app.ClientAsync("auditor");
        var balance = (await auditor.GetJsonAsync($"/api/v1/stock/balances?locationId={locationId}")).AsArray().Single()!;
        Assert.Equal(30, balance["onHand"]!["value"]!.GetValue<double>());
        Assert.Equal(1500, balance["amount"]!["value"]!.GetValue<double>());

        var wrongUnit = await (await nurse.PostJsonAsync("/api/v1/stock/transfers", $$"""{"lotId":"{{lotId}}","fromLocationId":"{{locationId}}","toLocationId":"{{locationId}}","volume":{"value":5,"unit":"mg"},"witnessedBy":"{{witness}}"}""")).ProblemAsync(400);
        Assert.NotEmpty(wrongUnit.Errors("volume.unit"));
        var tooMuch = await (await nurse.PostJsonAsync("/api/v1/stock/returns", $$"""{"lotId":"{{lotId}}","locationId":"{{locationId}}","volume":{"value":31,"unit":"mL"},"supplier":"Wholesaler","reference":"RA-1","witnessedBy":"{{witness}}"}""")).ProblemAsync(400);
        Assert.Equal(["stock.insufficient"], tooMuch.Codes());
        var noSession = await (await nurse.PostJsonAsync("/api/v1/stock/draws", $$"""{"sessionId":"{{Guid.NewGuid()}}","lotId":"{{lotId}}","locationId":"{{locationId}}","volume":{"value":1,"unit":"mL"},"witnessedBy":"{{witness}}"}""")).ProblemAsync(404);
        Assert.Equal(["not-found"], noSession.Codes());

        var count = await (await nurse.PostJsonAsync("/api/v1/stock/counts", $$"""{"lotId":"{{lotId}}","locationId":"{{locationId}}","counted":{"value":20,"unit":"mL"},"witnessedBy":"{{witness}}"}""")).JsonAsync();
        var discrepancy = count["discrepancy"]!;
        Assert.Equal("Open", discrepancy["status"]!.GetValue<string>());
        var id = discrepancy["id"]!.GetValue<Guid>();
        var stale = await nurse.PostJsonAsync($"/api/v1/stock/discrepancies/{id}/resolution", $$"""{"expectedVersion":0,"resolution":"vial broken unseen","adjust":true,"witnessedBy":"{{witness}}"}""");
        Assert.Equal(["conflict.version"], (await stale.ProblemAsync(409)).Codes());
        var resolved = await (await nurse.PostJsonAsync($"/api/v1/stock/discrepancies/{id}/resolution", $$"""{"expectedVersion":1,"resolution":"vial broken unseen","adjust":true,"witnessedBy":"{{witness}}"}""")).JsonAsync();
        Assert.Equal("Resolved", resolved["status"]!.GetValue<string>());

        Assert.Equal(20, (await auditor.GetJsonAsync($"/api/v1/stock/balances?locationId={locationId}")).AsArray().Single()!["onHand"]!["value"]!.GetValue<double>());
        var register = (await auditor.GetJsonAsync($"/api/v1/stock/register?lotId={lotId}")).AsArray().Select(m => m!["kind"]!.GetValue<string>());
        Assert.Equal(["Receipt", "Count", "Adjustment"], register);

        var held = await (await nurse.PostJsonAsync($"/api/v1/stock/lots/{lotId}/hold", """{"hold":"Recalled","reason":"manufacturer's recall notice"}""")).JsonAsync();
        Assert.Equal("Recalled", held["hold"]!.GetValue<string>());
        Assert.Contains((await auditor.GetJsonAsync("/api/v1/stock/lots")).AsArray(), l => l!["id"]!.GetValue<Guid>() == lotId && l["hold"]!.GetValue<string>() == "Recalled");
        var onHold = await (await nurse.PostJsonAsync("/api/v1/stock/transfers", $$"""{"lotId":"{{lotId}}","fromLocationId":"{{locationId}}","toLocationId":"{{Guid.NewGuid()}}","volume":{"value":5,"unit":"mL"},"witnessedBy":"{{witness}}"}""")).ProblemAsync(400);
        Assert.Equal(["stock.lot-on-hold"], onHold.Codes());
        Assert.Equal(["not-found"], (await (await auditor.GetAsync($"/api/v1/stock/sessions/{Guid.NewGuid()}/custody")).ProblemAsync(404)).Codes());
    }
}
