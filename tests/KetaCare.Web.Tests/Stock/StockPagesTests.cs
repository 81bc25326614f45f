using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Persistence;
using KetaCare.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KetaCare.Web.Tests.Sessions.SessionPages;

namespace KetaCare.Web.Tests.Stock;

/// <summary>
/// A clinic day of the controlled-substance register through the pages' forms: a lot received, drawn and prepared for a
/// session that runs and ends, its remainder wasted before a witness, a count that differs, investigated and resolved
/// with an adjustment, and the registers downloaded in English and Turkish with every DEA record field.
/// </summary>
public sealed partial class StockPagesTests : IDisposable
{
    private readonly WebAppFactory _app = new();

    [Fact]
    public async Task ClinicDay_ThroughThePages_RegisterListsTheDayWithEveryDeaField()
    {
        var nurse = await _app.SignedInAsync("nurse");
        var nurse2 = await _app.SignedInAsync("nurse2");
        var witness = DemoSeed.DemoSecondNurse.Value.ToString();

        await OkAsync(nurse, "/Stock/Receive?handler=Product", "/Stock/Receive", new() { ["NewName"] = "Ketamine HCl 50 mg/mL 10 mL", ["NewStrength"] = "50", ["NewVialVolume"] = "10", ["NewCode"] = "0409-2053-10" });
        await OkAsync(nurse, "/Stock/Receive?handler=Location", "/Stock/Receive", new() { ["NewName"] = "Night safe", ["NewKind"] = "Safe" });
        var receive = await nurse.GetStringAsync("/Stock/Receive");
        var product = OptionOf(receive, "Product", "Ketamine HCl 50 mg/mL 10 mL");
        var location = OptionOf(receive, "receive-location", "Night safe");

        var self = await nurse.PostFormAsync("/Stock/Receive", Receipt(product, location, DemoSeed.DemoNurse.Value.ToString()));
        Assert.Equal("stock.witness-same-person", CodesOf(await self.Content.ReadAsStringAsync()));
        await OkAsync(nurse, "/Stock/Receive", "/Stock", Receipt(product, location, witness));
        var overview = await nurse.GetStringAsync("/Stock");
        Assert.Contains("KD-2099", overview, StringComparison.Ordinal);
        Assert.Contains(WebNumber.Show(30, "mL"), overview, StringComparison.Ordinal);
        var lot = OptionOf(await nurse.GetStringAsync("/Stock/Count"), "count-lot", "KD-2099");

        // The session: pre-assessed, programmed, checked; the drug drawn and prepared at the program's concentration.
        var id = await NewTodaySessionAsync(_app);
        await PostOkAsync(nurse, id, "PreAssess", WithChecklist(_app, new() { ["Hr"] = "76", ["Sbp"] = "128", ["Dbp"] = "78", ["SpO2"] = "98", ["Rr"] = "14", ["Pain"] = "7", ["Sedation"] = "0", ["Scale"] = "Rass" }));
        await PostOkAsync(nurse, id, "Program");
        var program = (await StoredAsync(_app, id)).Program!;
        await PostOkAsync(nurse2, id, "Check", new()
        {
            ["CheckRate"] = WebNumber.Show(program.RateMlPerHour),
            ["CheckVtbi"] = WebNumber.Show(program.VtbiMl),
            ["CheckConcentration"] = WebNumber.Show(program.Preparation.Concentration.MilligramsPerMilliliter),
            ["CheckWeight"] = WebNumber.Show(program.Weight.Kilograms),
        });
        Assert.Contains($"/Stock/Session/{id}", await nurse.GetStringAsync(Url(id)), StringComparison.Ordinal);
        var custody = $"/Stock/Session/{id}";
        var c = program.Preparation.Concentration.MilligramsPerMilliliter;
        var bag = program.Preparation.ContainerVolume.Milliliters;
        var drawMl = bag * c / 50;
        await OkAsync(nurse, custody + "?handler=Draw", custody, new() { ["Lot"] = lot, ["Location"] = location, ["Volume"] = WebNumber.Show(Math.Round(drawMl, 2)), ["Witness"] = witness }, page: custody);
        var mismatch = await nurse.PostFormAsync(custody, new() { ["Diluent"] = "sodium chloride 0.9 %", ["Volume"] = WebNumber.Show(bag), ["FinalConcentration"] = WebNumber.Show(c * 2), ["Witness"] = witness }, custody + "?handler=Prepare");
        Assert.Equal("stock.concentration-mismatch", CodesOf(await mismatch.Content.ReadAsStringAsync()));
        await OkAsync(nurse, custody + "?handler=Prepare", custody, new() { ["Diluent"] = "sodium chloride 0.9 %", ["Volume"] = WebNumber.Show(bag), ["FinalConcentration"] = WebNumber.Show(c), ["Witness"] = witness }, page: custody);

        // The bag's printable label: the patient, the concentration, the time and the lot with its expiry.
        Assert.Contains($"/Stock/Label/{id}", await nurse.GetStringAsync(custody), StringComparison.Ordinal);
        var label = await nurse.GetStringAsync($"/Stock/Label/{id}");
        var patient = await _app.PatientOfAsync(id);
        Assert.Contains(patient.FamilyName + ", " + patient.GivenName, label, StringComparison.Ordinal);
        Assert.Contains(patient.MedicalRecordNumber, label, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"label-concentration\">" + WebNumber.Show(c, "mg/mL") + "<", label, StringComparison.Ordinal);
        Assert.Contains("KD-2099", label, StringComparison.Ordinal);
        Assert.Contains(Interop.Text.TextFormat.Date(new DateOnly(2099, 12, 31), CultureInfo.GetCultureInfo("en-GB")), label, StringComparison.Ordinal);
        Assert.Single(LabelPattern().Matches(label));

        // The session runs and its infusion ends.
        var start = await PostAsync(nurse, id, "Start");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        if ((await StoredAsync(_app, id)).State == SessionState.PreAssessment)
        {
            await PostOkAsync(await _app.SignedInAsync("physician"), id, "StartOverride", new() { ["OverrideReason"] = "reviewed: tolerated the last dose well" });
        }

        await PostOkAsync(nurse, id, "Complete", new() { ["PumpVolume"] = "1" });

        // The remainder is computed (prepared − given); a volume that is not it is refused, the right one is recorded.
        var page = await nurse.GetStringAsync(custody);
        var remainder = double.Parse(RemainderPattern().Match(page).Groups[1].Value, CultureInfo.InvariantCulture);
        var given = (await StoredAsync(_app, id)).Account((await StoredAsync(_app, id)).DrugEndedAt!.Value).Amount.Milligrams;
        Assert.Equal((bag * c) - given, remainder * c, 3);
        var wrong = await nurse.PostFormAsync(custody, new() { ["Volume"] = WebNumber.Show(remainder + 1), ["Method"] = "drug-waste container", ["Witness"] = witness }, custody + "?handler=Waste");
        Assert.Equal("stock.waste-mismatch", CodesOf(await wrong.Content.ReadAsStringAsync()));
        await OkAsync(nurse, custody + "?handler=Waste", custody, new() { ["Volume"] = WebNumber.Show(Math.Round(remainder, 2)), ["Method"] = "drug-waste container", ["Witness"] = witness }, page: custody);
        Assert.DoesNotContain("data-testid=\"custody-wasted\">" + WebNumber.Show(0, "mg") + "<", await nurse.GetStringAsync(custody), StringComparison.Ordinal);

        // The end-of-day count finds 1 mL less than the ledger: a discrepancy, investigated and resolved with an adjustment.
        var onHand = 30 - drawMl;
        var count = await nurse.PostFormAsync("/Stock/Count", new() { ["Lot"] = lot, ["Location"] = location, ["Counted"] = WebNumber.Show(Math.Round(onHand - 1, 2)), ["Witness"] = witness });
        Assert.Contains("data-testid=\"count-discrepancy\"", await count.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var open = await nurse.GetStringAsync("/Stock/Discrepancies");
        var (discrepancy, version) = (DiscrepancyPattern().Match(open).Groups[1].Value, DiscrepancyPattern().Match(open).Groups[2].Value);
        await OkAsync(nurse, "/Stock/Discrepancies?handler=Investigate", "/Stock/Discrepancies#d-" + discrepancy, new() { ["Id"] = discrepancy, ["Version"] = version, ["Note"] = "CCTV reviewed; vial found cracked in the sharps bin" }, page: "/Stock/Discrepancies");
        var stale = await nurse.PostFormAsync("/Stock/Discrepancies", new() { ["Id"] = discrepancy, ["Version"] = version, ["Note"] = "broken vial", ["Adjust"] = "true", ["Witness"] = witness }, "/Stock/Discrepancies?handler=Resolve");
        Assert.Equal("conflict.version", CodesOf(await stale.Content.ReadAsStringAsync()));
        var investigated = await nurse.GetStringAsync("/Stock/Discrepancies");
        await OkAsync(nurse, "/Stock/Discrepancies?handler=Resolve", "/Stock/Discrepancies#d-" + discrepancy, new() { ["Id"] = discrepancy, ["Version"] = DiscrepancyPattern().Match(investigated).Groups[2].Value, ["Note"] = "broken vial, loss recorded", ["Adjust"] = "true", ["Witness"] = witness }, page: "/Stock/Discrepancies");
        Assert.Contains(WebNumber.Show(onHand - 1, "mL"), await nurse.GetStringAsync("/Stock"), StringComparison.Ordinal);

        // The registers list the day with the DEA record fields: to whom, when, how much, by whom, the witness.
        var auditor = await _app.SignedInAsync("auditor");
        var dispensing = await auditor.GetStringAsync("/exports/stock/dispensing.csv");
        var header = dispensing.Split("\r\n")[0];
        foreach (var field in new[] { "Date", "Patient", "Session", "Lot", "Volume drawn (mL)", "Drug drawn (mg)", "Drug given (mg)", "Drug wasted (mg)", "Drawn by", "Draw witnessed by", "Waste witnessed by" })
        {
            Assert.Contains(field, header, StringComparison.Ordinal);
        }

        // The demo clinic's own sessions are in the register too; the day's session is one row.
        var row = Assert.Single(dispensing.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1), r => r.Contains(id.ToString(), StringComparison.Ordinal));
        Assert.Contains(id.ToString(), row, StringComparison.Ordinal);
        Assert.Contains("KD-2099", row, StringComparison.Ordinal);
        Assert.Contains(",Night safe," + drawMl.ToString("0.######", CultureInfo.InvariantCulture) + ",", row, StringComparison.Ordinal);
        var receipts = await auditor.GetStringAsync("/exports/stock/receipts.csv");
        Assert.Contains("Wholesaler Inc., 1 Main St, DEA RW0000000", receipts, StringComparison.Ordinal);
        Assert.Contains("INV-77", receipts, StringComparison.Ordinal);
        Assert.Contains("drug-waste container", await auditor.GetStringAsync("/exports/stock/waste.csv"), StringComparison.Ordinal);
        Assert.Contains("broken vial, loss recorded", await auditor.GetStringAsync("/exports/stock/discrepancies.csv"), StringComparison.Ordinal);
        Assert.Contains("0409-2053-10", await auditor.GetStringAsync("/exports/stock/inventory.csv"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync("/exports/stock/nothing.csv")).StatusCode);

        using var inTurkish = new HttpRequestMessage(HttpMethod.Get, "/exports/stock/dispensing.csv");
        inTurkish.Headers.AcceptLanguage.ParseAdd("tr");
        var tr = await (await auditor.SendAsync(inTurkish)).Content.ReadAsStringAsync();
        Assert.Contains("Çekilen hacim (mL)", tr, StringComparison.Ordinal);
        Assert.Contains(id.ToString(), tr, StringComparison.Ordinal);

        // The same registers as PDF, in English and in Turkish: every DEA field's header and the day's row.
        string[] dea = ["Date", "Patient", "Session", "Lot", "Volume drawn (mL)", "Drug drawn (mg)", "Drug given (mg)", "Drug wasted (mg)", "Drawn by", "Draw witnessed by", "Wasted by", "Waste witnessed by"];
        foreach (var language in new[] { "en", "tr" })
        {
            var t = Interop.Text.Strings.For(CultureInfo.GetCultureInfo(language == "tr" ? "tr-TR" : "en-GB"));
            var (pages, text) = await PdfTextAsync(auditor, "/exports/stock/dispensing.pdf", language);
            foreach (var field in dea)
            {
                Assert.Contains(Squeezed(t[field].Value), text, StringComparison.Ordinal);
            }

            Assert.Contains(Squeezed(t["Dispensing and administration register"].Value), text, StringComparison.Ordinal);
            Assert.Contains("KD-2099", text, StringComparison.Ordinal);
            Assert.Contains(id.ToString(), text, StringComparison.Ordinal);
            Assert.Contains("Nightsafe", text, StringComparison.Ordinal);
            Assert.Contains(Squeezed(t["Page"].Value + " 1 " + t["of|pages"].Value + " " + pages), text, StringComparison.Ordinal);
            var (_, inventory) = await PdfTextAsync(auditor, "/exports/stock/inventory.pdf", language);
            Assert.Contains("0409-2053-10", inventory, StringComparison.Ordinal);
            Assert.Contains(Squeezed(t["On hand (mL)"].Value), inventory, StringComparison.Ordinal);
        }

        Assert.Contains("Çekilenhacim(mL)", (await PdfTextAsync(auditor, "/exports/stock/dispensing.pdf", "tr")).Text, StringComparison.Ordinal);
        var (_, receiptsPdf) = await PdfTextAsync(auditor, "/exports/stock/receipts.pdf", "en");
        Assert.Contains("RW0000000", receiptsPdf, StringComparison.Ordinal);
        Assert.Contains("INV-77", receiptsPdf, StringComparison.Ordinal);
        Assert.Contains("brokenvial", (await PdfTextAsync(auditor, "/exports/stock/discrepancies.pdf", "en")).Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync("/exports/stock/nothing.pdf")).StatusCode);
        // The periodic inventory lists the count beside the ledger's figure at that moment; the loss draft the missing 1 mL.
        string Inv(double ml) => ml.ToString("0.######", CultureInfo.InvariantCulture);
        var ledgerAtCount = 30 - Math.Round(drawMl, 2);
        var inventoryRow = Assert.Single((await auditor.GetStringAsync("/exports/stock/biennial.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1), r => r.Contains("KD-2099", StringComparison.Ordinal));
        Assert.Contains(",KD-2099,2099-12-31,Night safe," + Inv(ledgerAtCount - 1) + "," + Inv((ledgerAtCount - 1) * 50) + "," + Inv(ledgerAtCount) + ",", inventoryRow, StringComparison.Ordinal);
        var loss = (await auditor.GetStringAsync("/exports/stock/loss.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["Registrant", "Address", "Discovered", "Code", "Product", "Strength (mg/mL)", "Dosage form", "Lot", "Location", "Quantity lost (mL)", "Quantity lost (mg)", "Vials (equivalent)"], loss[0].Split(',').Take(12));
        Assert.Contains(",0409-2053-10,Ketamine HCl 50 mg/mL 10 mL,50,injection,KD-2099,Night safe,1,50,0.1,", Assert.Single(loss.Skip(1)), StringComparison.Ordinal);
        Assert.Contains(Squeezed(Interop.Text.Strings.For(CultureInfo.GetCultureInfo("tr-TR"))["Loss report draft (DEA Form 106)"].Value), (await PdfTextAsync(auditor, "/exports/stock/loss.pdf", "tr")).Text, StringComparison.Ordinal);

        // The US DEA template (the default) leaves the clinic's own preparation check out of the dispensing register;
        // the complete template, chosen by the administrator, puts it in.
        Assert.DoesNotContain("Prepared by", header, StringComparison.Ordinal);
        var admin = await _app.SignedInAsync("admin");
        var unknown = await admin.PostFormAsync("/Admin/Stock", new() { ["ExpectedVersion"] = "0", ["Preparation"] = "default", ["Template"] = "nowhere", ["Reason"] = "test" });
        Assert.Contains("nowhere", WebUtility.HtmlDecode(await unknown.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var chosen = await admin.PostFormAsync("/Admin/Stock", new() { ["ExpectedVersion"] = "0", ["Preparation"] = "default", ["Template"] = "complete", ["Reason"] = "internal audit" });
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Contains("Prepared by", (await auditor.GetStringAsync("/exports/stock/dispensing.csv")).Split("\r\n")[0], StringComparison.Ordinal);

        // Reading the register on screen is audited like a download.
        await auditor.GetStringAsync("/Stock");
        await using (var db = _app.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser))
        {
            var auditorId = Startup.DemoAccounts.Single(a => a.UserName == "auditor").Id;
            Assert.True(await db.AuditEvents.AnyAsync(a => a.UserId == auditorId && a.Action == "read" && a.EntityType == "stock-register" && a.EntityId == "overview"));
            Assert.True(await db.AuditEvents.AnyAsync(a => a.UserId == auditorId && a.Action == "export" && a.EntityId == "loss"));
        }

        // An administrator does not read the stock: the browser is sent to the access-denied page, no PDF.
        using var denied = await (await _app.SignedInAsync("admin")).GetAsync("/exports/stock/dispensing.pdf");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/Account/Denied", denied.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    private static string Squeezed(string text) => text.Replace(" ", string.Empty, StringComparison.Ordinal);

    // The text of a PDF download in a language as drawn, letter by letter without spaces (PdfPig), with its page count:
    // a table's cells come one after the other, each whole over its wrapped lines.
    private static async Task<(int Pages, string Text)> PdfTextAsync(HttpClient client, string url, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptLanguage.ParseAdd(language);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        return (pdf.NumberOfPages, string.Concat(pdf.GetPages().SelectMany(p => p.Letters).Select(l => l.Value).Where(v => !string.IsNullOrWhiteSpace(v))));
    }

    [Fact]
    public async Task HoldOnTheOverview_QuarantinedLotIsRefusedForADraw_ReleasedItIsDrawn()
    {
        var nurse = await _app.SignedInAsync("nurse");
        var witness = DemoSeed.DemoSecondNurse.Value.ToString();
        await OkAsync(nurse, "/Stock/Receive?handler=Product", "/Stock/Receive", new() { ["NewName"] = "Ketamine HCl 50 mg/mL 10 mL", ["NewStrength"] = "50", ["NewVialVolume"] = "10" });
        await OkAsync(nurse, "/Stock/Receive?handler=Location", "/Stock/Receive", new() { ["NewName"] = "Night safe", ["NewKind"] = "Safe" });
        var receive = await nurse.GetStringAsync("/Stock/Receive");
        var location = OptionOf(receive, "receive-location", "Night safe");
        await OkAsync(nurse, "/Stock/Receive", "/Stock", Receipt(OptionOf(receive, "Product", "Ketamine HCl 50 mg/mL 10 mL"), location, witness));
        var lot = OptionOf(await nurse.GetStringAsync("/Stock"), "hold-lot", "KD-2099");

        // Auditors read the overview but do not see or post the form; a hold without a reason is refused by code.
        var auditor = await _app.SignedInAsync("auditor");
        Assert.DoesNotContain("hold-form", await auditor.GetStringAsync("/Stock"), StringComparison.Ordinal);
        var noReason = await nurse.PostFormAsync("/Stock", new() { ["Lot"] = lot, ["Hold"] = "Quarantined", ["Reason"] = " " }, "/Stock?handler=Hold");
        Assert.Equal("stock.text-length", CodesOf(await noReason.Content.ReadAsStringAsync()));
        await OkAsync(nurse, "/Stock?handler=Hold", "/Stock#lots", new() { ["Lot"] = lot, ["Hold"] = "Quarantined", ["Reason"] = "carton damaged on delivery" });
        Assert.Matches("KD-2099</td>\\s*<td>[^<]*</td>\\s*<td>quarantined</td>", await nurse.GetStringAsync("/Stock"));

        var id = await NewTodaySessionAsync(_app);
        var custody = $"/Stock/Session/{id}";
        var draw = new Dictionary<string, string> { ["Lot"] = lot, ["Location"] = location, ["Volume"] = "2", ["Witness"] = witness };
        var held = await nurse.PostFormAsync(custody, draw, custody + "?handler=Draw");
        Assert.Equal("stock.lot-on-hold", CodesOf(await held.Content.ReadAsStringAsync()));

        await OkAsync(nurse, "/Stock?handler=Hold", "/Stock#lots", new() { ["Lot"] = lot, ["Hold"] = "None", ["Reason"] = "vials inspected, intact" });
        await OkAsync(nurse, custody + "?handler=Draw", custody, draw, page: custody);
        Assert.Contains(WebNumber.Show(28, "mL"), await nurse.GetStringAsync("/Stock"), StringComparison.Ordinal);
    }

    public void Dispose() => _app.Dispose();

    private static Dictionary<string, string> Receipt(string product, string location, string witness) => new()
    {
        ["Product"] = product,
        ["Location"] = location,
        ["LotNumber"] = "KD-2099",
        ["Expiry"] = "2099-12-31",
        ["Vials"] = "3",
        ["Supplier"] = "Wholesaler Inc., 1 Main St, DEA RW0000000",
        ["Reference"] = "INV-77",
        ["Witness"] = witness,
    };

    // POSTs a step and expects the redirect of a recorded one (a refusal shows the page again with its codes).
    private static async Task OkAsync(HttpClient client, string action, string redirect, Dictionary<string, string> fields, string? page = null)
    {
        var r = await client.PostFormAsync(page ?? action.Split('?')[0], fields, action);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Redirect, $"{action}: {(int)r.StatusCode} {ErrorOf(body)}");
        Assert.Equal(redirect, r.Headers.Location!.OriginalString);
    }

    private static string CodesOf(string html) => StockErrorPattern().Match(html).Groups[1].Value;

    private static string ErrorOf(string html) => WebUtility.HtmlDecode(StockErrorPattern().Match(html).Groups[2].Value);

    private static string OptionOf(string html, string select, string label)
    {
        var options = html[html.IndexOf($"id=\"{select}\"", StringComparison.Ordinal)..];
        options = options[..options.IndexOf("</select>", StringComparison.Ordinal)];
        return OptionPattern().Matches(options).First(m => WebUtility.HtmlDecode(m.Groups[2].Value).Contains(label, StringComparison.Ordinal)).Groups[1].Value;
    }

    [GeneratedRegex("data-codes=\"([^\"]*)\" data-testid=\"stock-error\">([^<]*)<")]
    private static partial Regex StockErrorPattern();

    [GeneratedRegex("<option value=\"([^\"]+)\"[^>]*>([^<]*)<")]
    private static partial Regex OptionPattern();

    [GeneratedRegex("data-testid=\"prep-label\"")]
    private static partial Regex LabelPattern();

    [GeneratedRegex("data-testid=\"custody-remainder\" data-value=\"([^\"]+)\"")]
    private static partial Regex RemainderPattern();

    [GeneratedRegex("name=\"Id\" value=\"([^\"]+)\" />\\s*<input type=\"hidden\" name=\"Version\" value=\"(\\d+)\"")]
    private static partial Regex DiscrepancyPattern();
}
