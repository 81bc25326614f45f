using System.Text.RegularExpressions;
using KetaCare.Clinic;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>Steps the browser tests share (what a user does on the patient pages) and reads of what the app stored.</summary>
internal static partial class BrowserSteps
{
    /// <summary>The image's natural width once it has loaded, 0 when it failed to load (a broken chart).</summary>
    public static Task<int> ImageWidthAsync(ILocator image) =>
        image.EvaluateAsync<int>("img => img.decode().then(() => img.naturalWidth, () => 0)");

    /// <summary>Collects the console errors and warnings of a page (a CSP violation or a failed resource shows up there).</summary>
    public static void CollectConsoleProblems(IPage page, List<string> into)
    {
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                lock (into)
                {
                    into.Add(m.Text + " " + m.Location);
                }
            }
        };
    }

    /// <summary>Fills the registration form from the patient list and submits it; the fields are typed as given.</summary>
    /// <summary>Sets the password on a portal invitation link's page and signs in with it, as the patient does.</summary>
    public static async Task AcceptInvitationAndSignInAsync(IPage page, string link, string userName, string password)
    {
        await page.GotoAsync(link);
        await page.GetByTestId("invitation-password").FillAsync(password);
        await page.GetByTestId("invitation-accept").ClickAsync();
        await Assertions.Expect(page.GetByTestId("invitation-accepted")).ToContainTextAsync(userName);
        await page.GotoAsync("/Account/SignIn");
        await page.Locator("#UserName").FillAsync(userName);
        await page.Locator("#Password").FillAsync(password);
        await page.Locator("form button[type=submit].primary").ClickAsync();
        await Assertions.Expect(page.GetByTestId("portal-diary-link")).ToBeVisibleAsync();
    }

    public static async Task SubmitRegistrationAsync(IPage page, string recordNumber, string weight, string? height = null, string sex = "Female")
    {
        await page.GotoAsync("/Patients");
        await page.GetByTestId("register-patient").ClickAsync();
        await page.GetByTestId("register-mrn").FillAsync(recordNumber);
        await page.GetByTestId("register-given").FillAsync("Derya");
        await page.GetByTestId("register-family").FillAsync("Tarayıcı");
        await page.GetByTestId("register-born").FillAsync("1979-04-12");
        await page.GetByTestId("register-sex").SelectOptionAsync(sex);
        await page.GetByTestId("register-weight").FillAsync(weight);
        if (height is not null)
        {
            await page.GetByTestId("register-height").FillAsync(height);
        }

        await page.GetByTestId("register-submit").ClickAsync();
    }

    /// <summary>Registers a patient through the form and returns its id from the chart the app redirects to.</summary>
    public static async Task<PatientId> RegisterAsync(IPage page, string recordNumber, string weight, string? height = null, string sex = "Female")
    {
        await SubmitRegistrationAsync(page, recordNumber, weight, height, sex);
        await ArrivesAtAsync(page, ChartUrl());
        await Assertions.Expect(page.GetByTestId("chart-demographics")).ToContainTextAsync(recordNumber);
        return new PatientId(Guid.Parse(ChartUrl().Match(page.Url).Groups[1].Value));
    }

    /// <summary>Opens the chart-entry page, lets <paramref name="fill"/> fill the form of <paramref name="kind"/>, saves and waits for the chart.</summary>
    public static async Task RecordAsync(IPage page, PatientId patient, string kind, Func<ILocator, Task> fill)
    {
        await page.GotoAsync($"/Patients/{patient.Value}/Record");
        var form = page.GetByTestId("form-" + kind);
        await fill(form);
        await form.GetByTestId("save-" + kind).ClickAsync();
        await ArrivesAtAsync(page, ChartUrl());
    }

    /// <summary>The id in /Patients/{id}, /Plans/{id} or /Sessions/{id} of the current URL.</summary>
    public static Guid IdIn(IPage page, string prefix)
    {
        var m = Regex.Match(page.Url, Regex.Escape(prefix) + "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})", RegexOptions.None, TimeSpan.FromSeconds(1));
        Assert.True(m.Success, $"no {prefix} id in {page.Url}");
        return Guid.Parse(m.Groups[1].Value);
    }

    /// <summary>
    /// Waits until the page is at <paramref name="url"/> (after a form's redirect); when it is not, the failure names
    /// where the page is and the errors it shows, instead of a bare timeout.
    /// </summary>
    public static async Task ArrivesAtAsync(IPage page, Regex url)
    {
        try
        {
            await Assertions.Expect(page).ToHaveURLAsync(url);
        }
        catch (PlaywrightException e)
        {
            var errors = await page.Locator("[data-testid=form-error], .flash.error").AllInnerTextsAsync();
            Assert.Fail($"expected a page at {url} but the browser is at {page.Url} showing [{string.Join(" | ", errors)}]: {e.Message}");
        }
    }

    /// <summary>The chart page of a patient, with or without a fragment.</summary>
    [GeneratedRegex("/Patients/([0-9a-f-]{36})(#.*)?$")]
    public static partial Regex ChartUrl();

    /// <summary>A plan page.</summary>
    [GeneratedRegex("/Plans/[0-9a-f-]{36}$")]
    public static partial Regex PlanUrl();

    /// <summary>A session page.</summary>
    [GeneratedRegex("/Sessions/[0-9a-f-]{36}$")]
    public static partial Regex SessionUrl();

    /// <summary>A screening result page.</summary>
    [GeneratedRegex("/Patients/[0-9a-f-]{36}/Screen\\?assessment=[0-9a-f-]{36}(&.*)?$")]
    public static partial Regex ScreenResultUrl();

    private static ClinicDatabase Database(BrowserApp app) => app.Factory.Services.GetRequiredService<ClinicDatabase>();

    /// <summary>The stored chart, read through the patient service.</summary>
    public static async Task<Patient> StoredChartAsync(BrowserApp app, PatientId id)
    {
        await using var db = Database(app).Open(DemoSeed.SeedUser);
        var chart = await new PatientService(db, TimeProvider.System).OpenChartAsync(id, DemoSeed.SeedUser);
        Assert.True(chart.IsSuccess, chart.Error);
        return chart.Value;
    }

    /// <summary>Patients whose record number is exactly <paramref name="recordNumber"/>.</summary>
    public static async Task<int> CountPatientsAsync(BrowserApp app, string recordNumber)
    {
        await using var db = Database(app).Open(DemoSeed.SeedUser);
        return (await new PatientService(db, TimeProvider.System).SearchAsync(recordNumber)).Count(p => p.MedicalRecordNumber == recordNumber);
    }

    /// <summary>The stored plans of a patient.</summary>
    public static async Task<IReadOnlyList<TreatmentPlan>> StoredPlansAsync(BrowserApp app, PatientId id)
    {
        await using var db = Database(app).Open(DemoSeed.SeedUser);
        return await new TreatmentService(db, TimeProvider.System).PlansAsync(id, DemoSeed.SeedUser);
    }

    /// <summary>The stored session, read through the session service.</summary>
    public static async Task<InfusionSession> StoredSessionAsync(BrowserApp app, SessionId id)
    {
        await using var db = Database(app).Open(DemoSeed.SeedUser);
        var s = await new SessionService(db, TimeProvider.System).GetAsync(id, DemoSeed.SeedUser);
        Assert.True(s.IsSuccess, s.Error);
        return s.Value;
    }
}
