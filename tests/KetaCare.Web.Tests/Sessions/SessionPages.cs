using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Web.Infrastructure;
using KetaCare.Web.Pages.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Web.Tests.Sessions;

/// <summary>The session screen driven the way a browser does: GET the page, POST a form with its token and version.</summary>
internal static partial class SessionPages
{
    public static string Url(SessionId id) => "/Sessions/" + id.Value.ToString();

    /// <summary>A fresh session booked today on the demo CRPS patient's plan (the demo data makes its pre-assessment passable).</summary>
    public static async Task<SessionId> NewTodaySessionAsync(WebAppFactory app)
    {
        var database = app.Services.GetRequiredService<ClinicDatabase>();
        var clock = app.Services.GetRequiredService<TimeProvider>();
        var today = app.Services.GetRequiredService<ClinicTime>().Today(clock);
        var demo = await DemoToday.EnsureAsync(database, clock, today);
        Assert.True(demo.IsSuccess, demo.Error);
        await using var db = database.Open(DemoSeed.SeedUser, clock);
        var planId = (await db.Sessions.AsNoTracking().FirstAsync(s => s.Id == demo.Value)).PlanId;
        var session = await new SessionWorkflow(db, clock, DemoSeed.Staff).ScheduleAsync(planId, today, DemoSeed.DemoNurse);
        Assert.True(session.IsSuccess, session.Error);

        // Every test books one more session of the same course: once it has ten, it is a long course that needs a urinary screen.
        var patient = (await db.Sessions.AsNoTracking().FirstAsync(s => s.Id == session.Value.Id)).PatientId;
        var investigated = await DemoToday.InvestigationsIfDueAsync(db, clock, patient, today, default);
        Assert.True(investigated.IsSuccess, investigated.Error);
        return session.Value.Id;
    }

    /// <summary>
    /// <paramref name="fields"/> with a passing pre-session checklist: fasting since 8 h before the app's now (clinic
    /// time), escort, no driving, no new medications.
    /// </summary>
    public static Dictionary<string, string> WithChecklist(WebAppFactory app, Dictionary<string, string> fields)
    {
        var clock = app.Services.GetRequiredService<TimeProvider>();
        var fasting = app.Services.GetRequiredService<ClinicTime>().Local(clock.GetUtcNow().AddHours(-8)).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        return new(fields) { ["FastingSince"] = fasting, ["EscortConfirmed"] = "true", ["NoDriving"] = "true", ["NoNewMedications"] = "true" };
    }

    /// <summary>The session as stored, read through the service.</summary>
    public static async Task<InfusionSession> StoredAsync(WebAppFactory app, SessionId id)
    {
        var database = app.Services.GetRequiredService<ClinicDatabase>();
        await using var db = database.Open(DemoSeed.SeedUser);
        var s = await new SessionService(db, TimeProvider.System).GetAsync(id, DemoSeed.SeedUser);
        Assert.True(s.IsSuccess, s.Error);
        return s.Value;
    }

    /// <summary>
    /// The session's drug drawn from the demo safe and its bag prepared at the program's concentration: the demo clinic
    /// keeps the controlled-substance register, so an infusion starts only with a recorded preparation.
    /// </summary>
    public static async Task PrepareDrugAsync(WebAppFactory app, SessionId id)
    {
        var session = await StoredAsync(app, id);
        await using var db = app.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
        var prepared = await DemoSeed.PrepareDrugAsync(db, app.Services.GetRequiredService<TimeProvider>(), session, DemoSeed.DemoSafe);
        Assert.True(prepared.IsSuccess, prepared.Error);
    }

    /// <summary>The stored patient of a session (name and record number as registered).</summary>
    public static async Task<KetaCare.Clinic.Persistence.PatientRecord> PatientOfAsync(this WebAppFactory app, SessionId id)
    {
        var patient = (await StoredAsync(app, id)).PatientId;
        await using var db = app.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Patients, p => p.Id == patient);
    }

    /// <summary>POSTs <paramref name="fields"/> to a handler of the session page with the token and the version the page shows (or <paramref name="version"/>).</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, SessionId id, string handler, Dictionary<string, string>? fields = null, long? version = null)
    {
        var page = await client.GetStringAsync(Url(id));
        var token = FormPosts.AntiforgeryToken(page) ?? throw new InvalidOperationException("no form on the session page");
        var all = new Dictionary<string, string>(fields ?? [])
        {
            ["__RequestVerificationToken"] = token,
            ["Version"] = (version ?? VersionOn(page)).ToString(CultureInfo.InvariantCulture),
        };
        return await client.PostAsync(Url(id) + "?handler=" + handler, new FormUrlEncodedContent(all));
    }

    /// <summary>
    /// POSTs and expects success: the redirect back to the session page, which then shows no refusal (a refused step
    /// redirects too, with its findings in the flash message).
    /// </summary>
    public static async Task PostOkAsync(HttpClient client, SessionId id, string handler, Dictionary<string, string>? fields = null)
    {
        var r = await PostAsync(client, id, handler, fields);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Redirect, $"{handler}: {(int)r.StatusCode} {string.Join(" | ", Errors(body))}");
        Assert.Equal(Url(id), r.Headers.Location!.OriginalString);
        var after = await client.GetStringAsync(Url(id));
        Assert.True(FlashError(after) is null, $"{handler}: refused [{string.Join(' ', FlashCodes(after))}] {FlashError(after)}");
    }

    /// <summary>POSTs a step the session refuses: the redirect back, then the refusal's finding codes as the page shows them.</summary>
    public static async Task<IReadOnlyList<string>> PostRefusedAsync(HttpClient client, SessionId id, string handler, Dictionary<string, string>? fields = null)
    {
        var r = await PostAsync(client, id, handler, fields);
        Assert.True(r.StatusCode == HttpStatusCode.Redirect, $"{handler}: {(int)r.StatusCode} {string.Join(" | ", Errors(await r.Content.ReadAsStringAsync()))}");
        Assert.Equal(Url(id), r.Headers.Location!.OriginalString);
        var after = await client.GetStringAsync(Url(id));
        Assert.True(FlashError(after) is not null, $"{handler}: expected a refusal, the page shows none");
        return FlashCodes(after);
    }

    /// <summary>The refusal in the flash message after a redirect, or null.</summary>
    public static string? FlashError(string html) =>
        FlashPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[2].Value) : null;

    /// <summary>The finding codes of the refusal in the flash message (empty when none or uncoded).</summary>
    public static IReadOnlyList<string> FlashCodes(string html) =>
        FlashPattern().Match(html) is { Success: true } m ? m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];

    /// <summary>The errors shown next to the forms.</summary>
    public static IReadOnlyList<string> Errors(string html) =>
        [.. ErrorPattern().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    public static long VersionOn(string html) =>
        long.Parse(VersionPattern().Match(html).Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>The value of <c>data-state</c> on the state badge.</summary>
    public static string StateOn(string html) => StatePattern().Match(html).Groups[1].Value;

    [GeneratedRegex("data-testid=\"form-error\">([^<]*)<")]
    private static partial Regex ErrorPattern();

    [GeneratedRegex("<p class=\"flash error\" role=\"alert\"(?: data-codes=\"([^\"]*)\")? data-testid=\"flash-error\">([^<]*)<")]
    private static partial Regex FlashPattern();

    [GeneratedRegex("name=\"Version\" value=\"(\\d+)\"")]
    private static partial Regex VersionPattern();

    [GeneratedRegex("data-testid=\"state-badge\" data-state=\"(\\w+)\"")]
    private static partial Regex StatePattern();
}
