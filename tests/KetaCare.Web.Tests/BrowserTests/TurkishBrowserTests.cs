using Microsoft.Playwright;
using static KetaCare.Web.Tests.BrowserTests.BrowserSteps;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// A Turkish browser (locale tr-TR) with the interface switched to Turkish: decimals typed with a comma are read as
/// decimals, and "1.500" — 1.5 in English, 1500 in Turkish — is refused rather than guessed.
/// </summary>
[Trait("Kind", "Browser")]
public sealed class TurkishBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task TurkishInterface_CommaDecimals_StoredAsDecimalsAndAmbiguousNumberRefused()
    {
        var nurse = await TurkishPageAsync("nurse");
        var physician = await TurkishPageAsync("physician");

        // Registration with "72,5" kg: the chart shows it the Turkish way and 72.5 kg is stored.
        var mrn = "TR-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var patient = await RegisterAsync(nurse, mrn, "72,5", "168");
        await Assertions.Expect(nurse.GetByTestId("weight-row")).ToContainTextAsync("72,5");
        var stored = Assert.Single((await StoredChartAsync(app, patient)).Measurements.ActiveValues);
        Assert.Equal(72.5, stored.Weight.Kilograms, 12);
        Assert.Equal(168, stored.HeightCm!.Value, 12);

        // "1.500" kg is ambiguous: the form says so, in the field's Turkish name, and no patient is stored.
        var refused = "TR-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await SubmitRegistrationAsync(nurse, refused, "1.500");
        var error = nurse.GetByTestId("form-error");
        await Assertions.Expect(error).ToContainTextAsync("Ağırlık (kg)");
        await Assertions.Expect(error).ToContainTextAsync("\"1.500\"");
        await Assertions.Expect(error).ToContainTextAsync("1500");
        Assert.EndsWith("/Patients/New", nurse.Url, StringComparison.Ordinal);
        Assert.Equal(0, await CountPatientsAsync(app, refused));

        // The plan preview with a start dose of "0,25" mg/kg/h previews and prescribes 0.25 (after the off-label consent).
        await RecordAsync(physician, patient, "consent", f => f.Locator("#Consent_Document").FillAsync("onam-" + mrn + ".pdf"));
        await Assertions.Expect(physician.GetByTestId("consent-row")).ToHaveCountAsync(1);
        await physician.GotoAsync($"/Patients/{patient.Value}/Plan/New");
        await physician.GetByTestId("plan-protocol").SelectOptionAsync("outpatient-seed");
        await physician.GetByTestId("plan-start-dose").FillAsync("1.500");
        await physician.GetByTestId("preview-button").ClickAsync();
        await Assertions.Expect(physician.GetByTestId("form-error")).ToContainTextAsync("1500");
        await Assertions.Expect(physician.GetByTestId("plan-preview")).ToHaveCountAsync(0);

        await physician.GetByTestId("plan-start-dose").FillAsync("0,25");
        await physician.GetByTestId("preview-button").ClickAsync();
        await Assertions.Expect(physician.GetByTestId("preview-first").Locator("h3")).ToContainTextAsync("0,25 mg/kg/sa");
        await Assertions.Expect(physician.GetByTestId("plan-preview")).ToContainTextAsync("72,5 kg");
        await Assertions.Expect(physician.GetByTestId("prescribe-section")).ToContainTextAsync("Reçete");
        await Assertions.Expect(physician.GetByTestId("preview-first").GetByTestId("limit-none")).ToHaveCountAsync(1);
        await Assertions.Expect(physician.GetByTestId("override-reason")).ToHaveCountAsync(0);

        await physician.GetByTestId("prescribe-button").ClickAsync();
        await ArrivesAtAsync(physician, PlanUrl());
        await Assertions.Expect(physician.GetByTestId("plan-current-dose")).ToContainTextAsync("0,25 mg/kg/sa");
        var plan = Assert.Single(await StoredPlansAsync(app, patient));
        Assert.Equal(0.25, plan.StartDose.Value, 12);
    }

    /// <summary>A tr-TR browser signed in as <paramref name="user"/> with the interface switched to Turkish by the language select.</summary>
    private async Task<IPage> TurkishPageAsync(string user)
    {
        var page = await app.NewPageAsync("tr-TR");
        await BrowserApp.SignInAsync(page, user);
        await page.Locator("#culture").SelectOptionAsync("tr");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "tr");
        await Assertions.Expect(page.Locator("header nav a[href='/Patients']")).ToHaveTextAsync("Hastalar");
        await Assertions.Expect(page.Locator("header nav a[href='/']")).ToHaveTextAsync("Pano");
        return page;
    }
}
