using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Interop.Charts;
using KetaCare.Web.Infrastructure;
using KetaCare.Interop.Text;
using Microsoft.Extensions.DependencyInjection;
using static KetaCare.Web.Tests.Sessions.SessionPages;

namespace KetaCare.Web.Tests.Sessions;

/// <summary>The session screen through its HTTP forms, checked against the session stored by the services.</summary>
public sealed class SessionScreenTests : IClassFixture<SessionScreenTests.App>
{
    private static readonly Dictionary<string, string> NormalVitals = new() { ["Hr"] = "78", ["Sbp"] = "132", ["Dbp"] = "80", ["SpO2"] = "98", ["Rr"] = "14", ["Pain"] = "5", ["Sedation"] = "0", ["Scale"] = "Rass", ["Cadss"] = "8" };

    private readonly WebAppFactory _app;

    public SessionScreenTests(App app) => _app = app.Factory;

    [Fact]
    public async Task WholeSession_ThroughTheForms_StoredAsEntered()
    {
        var id = await NewTodaySessionAsync(_app);
        var nurse = await _app.SignedInAsync("nurse");
        var nurse2 = await _app.SignedInAsync("nurse2");

        var first = await nurse.GetStringAsync(Url(id));
        Assert.Equal("Scheduled", StateOn(first));
        Assert.Contains("data-shortcut=\"v\" data-testid=\"obs-hr\"", first, StringComparison.Ordinal);

        await PostOkAsync(nurse, id, "PreAssess", WithChecklist(_app, new() { ["Hr"] = "76", ["Sbp"] = "128", ["Dbp"] = "78", ["SpO2"] = "98", ["Rr"] = "14", ["Pain"] = "7", ["Sedation"] = "0", ["Scale"] = "Rass" }));
        var s = await StoredAsync(_app, id);
        Assert.Equal((SessionState.PreAssessment, true), (s.State, s.PreAssessmentPassed));

        await PostOkAsync(nurse, id, "Program");
        var program = (await StoredAsync(_app, id)).Program!;
        Assert.Equal(DemoSeed.DemoNurse, program.ProgrammedBy);
        var reading = Reading(program);
        var programmed = $"data-testid=\"program-rate\" data-value=\"{program.RateMlPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";
        Assert.Contains(programmed, await nurse.GetStringAsync(Url(id)), StringComparison.Ordinal);

        // The check is blind: the checker does not see the programmed values until the check is recorded.
        var blind = await nurse2.GetStringAsync(Url(id));
        Assert.DoesNotContain(programmed, blind, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"program-hidden\"", blind, StringComparison.Ordinal);

        Assert.Contains("check.same-user", await PostRefusedAsync(nurse, id, "Check", reading));
        Assert.Null((await StoredAsync(_app, id)).Program!.Check);

        await PostOkAsync(nurse2, id, "Check", reading);
        await PrepareDrugAsync(_app, id);
        Assert.Equal(DemoSeed.DemoSecondNurse, (await StoredAsync(_app, id)).Program!.Check!.By);
        Assert.Contains(programmed, await nurse2.GetStringAsync(Url(id)), StringComparison.Ordinal);

        // The nurse starts; a soft limit of the drug library (the dose check decides) needs the physician's override.
        var start = await PostAsync(nurse, id, "Start");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var afterStart = await nurse.GetStringAsync(Url(id));
        var soft = (await StoredAsync(_app, id)).State == SessionState.PreAssessment;
        if (soft)
        {
            Assert.NotEmpty(FlashCodes(afterStart));
            var physician = await _app.SignedInAsync("physician");
            await PostOkAsync(physician, id, "StartOverride", new() { ["OverrideReason"] = "reviewed: tolerated the last dose well" });
        }

        s = await StoredAsync(_app, id);
        Assert.Equal(SessionState.Running, s.State);
        Assert.Equal(soft, s.Authorization!.Overrides.Count > 0);
        var running = await nurse.GetStringAsync(Url(id));
        Assert.Contains("data-testid=\"session-clock\" data-clock-since=", running, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"ketacare-refresh\" content=\"30\" />", running, StringComparison.Ordinal);

        await PostOkAsync(nurse, id, "Observe", new() { ["Hr"] = "88", ["Sbp"] = "190", ["Dbp"] = "100", ["SpO2"] = "97", ["Rr"] = "16", ["Sedation"] = "-1", ["Cadss"] = "12" });
        var alerted = await nurse.GetStringAsync(Url(id));
        Assert.Contains("data-testid=\"alert-banner\" data-suggested-action=\"Pause\"", alerted, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"alert-log-row\" data-alert-id=\"systolic-high\"", alerted, StringComparison.Ordinal);

        await PostOkAsync(nurse, id, "Pause", new() { ["Reason"] = "systolic 190" });
        Assert.Equal("Paused", StateOn(await nurse.GetStringAsync(Url(id))));

        // The latest vitals are above the alert threshold: no resume until they are back inside (or a physician overrides).
        Assert.Contains("vital.systolic-high", await PostRefusedAsync(nurse, id, "Resume"));
        Assert.Equal(SessionState.Paused, (await StoredAsync(_app, id)).State);
        await PostOkAsync(nurse, id, "Observe", NormalVitals);
        await PostOkAsync(nurse, id, "Resume");
        await PostOkAsync(nurse, id, "Rate", new() { ["Rate"] = "30", ["Reason"] = "blood pressure" });
        await PostOkAsync(nurse, id, "Observe", NormalVitals);
        await PostOkAsync(nurse, id, "AdverseEvent", new() { ["AeType"] = "Hypertension", ["AeGrade"] = "2", ["AeAction"] = "Paused", ["AeOutcome"] = "Resolved", ["AeDescription"] = "190/100 mmHg" });

        // Completing an infusion needs the volume the pump shows.
        Assert.Contains("dose.pump-volume-out-of-range", await PostRefusedAsync(nurse, id, "Complete"));
        Assert.Equal(SessionState.Running, (await StoredAsync(_app, id)).State);
        await PostOkAsync(nurse, id, "Complete", new() { ["PumpVolume"] = "1" });
        Assert.Equal(1, (await StoredAsync(_app, id)).PumpVolumeMl);
        await PostOkAsync(nurse, id, "Recovery");
        await PostOkAsync(nurse, id, "Observe", NormalVitals);

        // Minutes after the end of the infusion the patient is not ready to go home: the nurse's discharge is refused …
        var aldrete = new Dictionary<string, string> { ["Activity"] = "2", ["Respiration"] = "2", ["Circulation"] = "2", ["Consciousness"] = "2", ["Oxygen"] = "1", ["Escort"] = "true" };
        Assert.Contains("discharge.observation-time", await PostRefusedAsync(nurse, id, "Discharge", aldrete));
        Assert.Equal(SessionState.Recovery, (await StoredAsync(_app, id)).State);

        // … and the physician may discharge early only with a reason, which is kept.
        var doctor = await _app.SignedInAsync("physician");
        await PostOkAsync(doctor, id, "Discharge", new(aldrete) { ["OverrideReason"] = "reviewed at the bedside: alert, walking, escort present" });

        s = await StoredAsync(_app, id);
        Assert.Equal(SessionState.Discharged, s.State);
        Assert.Equal(
            [SessionState.Scheduled, SessionState.PreAssessment, SessionState.Running, SessionState.Paused, SessionState.Running, SessionState.Completed, SessionState.Recovery, SessionState.Discharged],
            s.Transitions.Select(t => t.To));
        Assert.Equal([program.RateMlPerHour, program.RateMlPerHour, 30], s.Segments.Select(g => g.RateMlPerHour));
        Assert.Equal(["start", "resume", "rate change: blood pressure"], s.Segments.Select(g => g.Reason));
        Assert.Equal("systolic 190", s.Transitions.Single(t => t.To == SessionState.Paused).Reason);
        Assert.Equal([190, 132, 132, 132], s.Observations.ActiveValues.Skip(1).Select(o => o.Systolic!.Value));
        Assert.Equal(new SedationScore(SedationScale.Rass, -1), s.Observations.ActiveValues.ElementAt(1).Sedation);
        Assert.Contains(s.Alerts, a => a.Alert.Id == "systolic-high" && a.Alert.Action == SuggestedAction.Pause);
        var ae = Assert.Single(s.AdverseEvents.ActiveValues);
        Assert.Equal((AdverseEventType.Hypertension, 2, AdverseEventAction.Paused, AdverseEventOutcome.Resolved), (ae.Type, ae.Grade, ae.Action, ae.Outcome));
        Assert.Equal(9, s.DischargeAldrete!.Total);
        Assert.Equal(DemoSeed.DemoPhysician, s.Transitions[^1].By);
        Assert.All(s.Transitions.Skip(1).SkipLast(1).Where(t => t.To != SessionState.Running || !soft), t => Assert.Equal(DemoSeed.DemoNurse, t.By));

        var done = await nurse.GetStringAsync(Url(id));
        Assert.Equal("Discharged", StateOn(done));
        Assert.DoesNotContain("ketacare-refresh", done, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"form-observe\"", done, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondCheck_ByTheProgrammer_RefusedAsSameUser()
    {
        var id = await NewTodaySessionAsync(_app);
        var nurse = await _app.SignedInAsync("nurse");
        await PostOkAsync(nurse, id, "PreAssess", WithChecklist(_app, NormalVitals));
        await PostOkAsync(nurse, id, "Program");
        var program = (await StoredAsync(_app, id)).Program!;
        var version = (await StoredAsync(_app, id)).Version;

        var codes = await PostRefusedAsync(nurse, id, "Check", Reading(program));

        Assert.Equal(["check.same-user"], codes);
        var stored = await StoredAsync(_app, id);
        Assert.Null(stored.Program!.Check);
        Assert.Equal(version, stored.Version);
    }

    [Theory]
    [InlineData("physician")]
    [InlineData("auditor")]
    public async Task Observe_NotANurse_DeniedAndNothingStored(string user)
    {
        var id = await NewTodaySessionAsync(_app);
        var nurse = await _app.SignedInAsync("nurse");
        await PostOkAsync(nurse, id, "PreAssess", WithChecklist(_app, NormalVitals));
        var before = await StoredAsync(_app, id);
        var other = await _app.SignedInAsync(user);

        var page = await other.GetStringAsync(Url(id));
        Assert.DoesNotContain("id=\"form-observe\"", page, StringComparison.Ordinal);
        // A form carrying the right version and token, as a crafted request would: only the role refuses it.
        var r = await PostAsync(other, id, "Observe", NormalVitals, before.Version);
        var pause = await PostAsync(other, id, "Program", version: before.Version);

        foreach (var response in new[] { r, pause })
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/Denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        var after = await StoredAsync(_app, id);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Observations.All.Count, after.Observations.All.Count);
        Assert.Null(after.Program);
    }

    [Fact]
    public async Task Observe_StaleVersion_RefusedWithTheConcurrencyMessageAndNothingStored()
    {
        var id = await NewTodaySessionAsync(_app);
        var nurse = await _app.SignedInAsync("nurse");
        await PostOkAsync(nurse, id, "PreAssess", WithChecklist(_app, NormalVitals));
        var seen = (await StoredAsync(_app, id)).Version;
        var nurse2 = await _app.SignedInAsync("nurse2");
        await PostOkAsync(nurse2, id, "Observe", NormalVitals);
        var before = await StoredAsync(_app, id);

        var r = await PostAsync(nurse, id, "Observe", new() { ["Hr"] = "90", ["Sbp"] = "140", ["Dbp"] = "85", ["SpO2"] = "97" }, version: seen);

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains(Errors(html), e => e.Contains("changed by someone else since you opened it", StringComparison.Ordinal));
        Assert.Equal(before.Version, VersionOn(html));
        var after = await StoredAsync(_app, id);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Observations.All.Count, after.Observations.All.Count);
        Assert.Contains("value=\"90\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateChange_TurkishUiCommaDecimal_StoredAsOnePointFive()
    {
        var id = await RunningSessionAsync();
        var nurse = await _app.SignedInAsync("nurse");
        var culture = await nurse.PostFormAsync("/Account/ChangePassword", new() { ["culture"] = "tr", ["returnUrl"] = Url(id) }, "/culture");
        Assert.Equal(HttpStatusCode.Redirect, culture.StatusCode);

        // "1.500" is 1.5 in English and 1500 in Turkish: refused, not guessed (the 1000× dose hazard).
        var ambiguous = await PostAsync(nurse, id, "Rate", new() { ["Rate"] = "1.500", ["Reason"] = "bulantı" });
        Assert.Equal(HttpStatusCode.OK, ambiguous.StatusCode);
        Assert.Single((await StoredAsync(_app, id)).Segments);

        await PostOkAsync(nurse, id, "Rate", new() { ["Rate"] = "1,5", ["Reason"] = "bulantı" });
        await PostOkAsync(nurse, id, "Observe", new() { ["Hr"] = "80", ["Sbp"] = "130", ["Dbp"] = "80", ["SpO2"] = "98", ["Sedation"] = "4", ["Scale"] = "Moaas" });

        var s = await StoredAsync(_app, id);
        Assert.Equal(1.5, s.Segments[^1].RateMlPerHour);
        Assert.Equal(new SedationScore(SedationScale.Moaas, 4), s.Observations.ActiveValues.Last().Sedation);
        var page = await nurse.GetStringAsync(Url(id));
        Assert.Contains("1,5 mL/sa", page, StringComparison.Ordinal);
        Assert.Contains("Sürüyor", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Observe_ValueOutOfRange_ErrorNamesFieldAndRangeAndNothingStored()
    {
        var id = await NewTodaySessionAsync(_app);
        var nurse = await _app.SignedInAsync("nurse");
        var r = await PostAsync(nurse, id, "PreAssess", new() { ["Hr"] = "76", ["Sbp"] = "128", ["Dbp"] = "78", ["SpO2"] = "101", ["Pain"] = "7" });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains(Errors(await r.Content.ReadAsStringAsync()), e => e.StartsWith("SpO₂: 101 is outside the allowed range 0 to 100", StringComparison.Ordinal));
        var s = await StoredAsync(_app, id);
        Assert.Equal(SessionState.Scheduled, s.State);
        Assert.Empty(s.Observations.All);
    }

    [Fact]
    public async Task Dashboard_TodaysSession_ListedWithItsStateForClinicalRolesOnly()
    {
        var id = await NewTodaySessionAsync(_app);
        var nurse = await _app.SignedInAsync("nurse");
        var html = await nurse.GetStringAsync("/");
        Assert.Contains($"data-testid=\"today-session\" data-session-id=\"{id}\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/Sessions/{id}\"", html, StringComparison.Ordinal);

        var admin = await _app.SignedInAsync("admin");
        var adminHtml = await admin.GetStringAsync("/");
        Assert.DoesNotContain("data-testid=\"today-session\"", adminHtml, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"role-links\"", adminHtml, StringComparison.Ordinal);
        Assert.Contains("href=\"/Admin\"", adminHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_RunningSessionWithAnAlert_ListedAsNeedingAttention()
    {
        var id = await RunningSessionAsync();
        var nurse = await _app.SignedInAsync("nurse");
        Assert.DoesNotContain($"data-testid=\"active-alert\" data-session-id=\"{id}\"", await nurse.GetStringAsync("/"), StringComparison.Ordinal);

        await PostOkAsync(nurse, id, "Observe", new() { ["Hr"] = "80", ["Sbp"] = "130", ["Dbp"] = "80", ["SpO2"] = "89" });

        var html = await nurse.GetStringAsync("/");
        Assert.Contains($"data-testid=\"active-alert\" data-session-id=\"{id}\"", html, StringComparison.Ordinal);
        Assert.Contains("data-code=\"vital.spo2-low\"", html, StringComparison.Ordinal);
        Assert.Contains("data-suggested-action=\"Stop\"", await nurse.GetStringAsync(Url(id)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Observation_MarkedEnteredInError_StaysReadableWithTheReasonAndItsAlertNoLongerActive()
    {
        var id = await RunningSessionAsync();
        var nurse = await _app.SignedInAsync("nurse");
        await PostOkAsync(nurse, id, "Observe", new() { ["Hr"] = "80", ["Sbp"] = "130", ["Dbp"] = "80", ["SpO2"] = "89", ["Note"] = "probe off the finger" });
        var wrong = (await StoredAsync(_app, id)).Observations.All.Single(e => e.Value.SpO2 == 89);

        await PostRefusedAsync(nurse, id, "ObservationError", new() { ["Entry"] = wrong.Id.Value.ToString(), ["Reason"] = string.Empty });
        Assert.True((await StoredAsync(_app, id)).Observations.All.Single(e => e.Id == wrong.Id).IsActive);

        await PostOkAsync(nurse, id, "ObservationError", new() { ["Entry"] = wrong.Id.Value.ToString(), ["Reason"] = "probe had slipped off" });
        var stored = (await StoredAsync(_app, id)).Observations.All.Where(e => e.Id == wrong.Id).ToList();
        Assert.Contains(stored, e => !e.IsActive && e.Reason == "probe had slipped off");
        Assert.Contains("SpO2 89", string.Join(" ", stored.Select(e => e.Value.SpO2?.ToString(System.Globalization.CultureInfo.InvariantCulture) is { } v ? "SpO2 " + v : string.Empty)), StringComparison.Ordinal);
        Assert.DoesNotContain($"data-testid=\"active-alert\" data-session-id=\"{id}\"", await nurse.GetStringAsync("/"), StringComparison.Ordinal);

        var physician = await _app.SignedInAsync("physician");
        var other = (await StoredAsync(_app, id)).Observations.All.First(e => e.IsActive);
        var version = (await StoredAsync(_app, id)).Version;
        var denied = await PostAsync(physician, id, "ObservationError", new() { ["Entry"] = other.Id.Value.ToString(), ["Reason"] = "x" }, version);
        Assert.Contains("/Account/Denied", denied.Headers.Location?.OriginalString ?? string.Empty, StringComparison.Ordinal);
        Assert.True((await StoredAsync(_app, id)).Observations.All.Single(e => e.Id == other.Id && e.Revision == other.Revision).IsActive);
    }

    [Fact]
    public async Task SecondCheck_ConcentrationMisread_ClearsTheProgramForReprogramming()
    {
        var id = await NewTodaySessionAsync(_app);
        var nurse = await _app.SignedInAsync("nurse");
        var nurse2 = await _app.SignedInAsync("nurse2");
        await PostOkAsync(nurse, id, "PreAssess", WithChecklist(_app, NormalVitals));
        await PostOkAsync(nurse, id, "Program");
        var program = (await StoredAsync(_app, id)).Program!;
        var misread = Reading(program);
        misread["CheckConcentration"] = WebNumber.Show(program.Preparation.Concentration.MilligramsPerMilliliter * 10);

        Assert.Equal(["check.mismatch"], await PostRefusedAsync(nurse2, id, "Check", misread));

        var stored = await StoredAsync(_app, id);
        Assert.Null(stored.Program);
        Assert.Equal(SessionState.PreAssessment, stored.State);
        Assert.Contains("program.missing", await PostRefusedAsync(nurse, id, "Start"));
        await PostOkAsync(nurse, id, "Program");
        await PostOkAsync(nurse2, id, "Check", Reading((await StoredAsync(_app, id)).Program!));
        Assert.NotNull((await StoredAsync(_app, id)).Program!.Check);
    }

    [Fact]
    public async Task Resume_StopAlertNotAcknowledged_RefusedUntilAcknowledgedAndVitalsBackInside()
    {
        var id = await RunningSessionAsync();
        var nurse = await _app.SignedInAsync("nurse");
        await PostOkAsync(nurse, id, "Observe", new() { ["Hr"] = "80", ["Sbp"] = "130", ["Dbp"] = "80", ["SpO2"] = "89", ["Rr"] = "12" });
        await PostOkAsync(nurse, id, "Pause", new() { ["Reason"] = "SpO2 89" });

        Assert.Equal(["gate.unacknowledged-alert"], await PostRefusedAsync(nurse, id, "Resume"));

        var index = (await StoredAsync(_app, id)).Alerts.Select((a, i) => (a, i)).Single(x => x.a.Alert.Id == "spo2-low").i;
        Assert.Contains($"data-alert-id=\"spo2-low\" data-alert-index=\"{index}\"", await nurse.GetStringAsync(Url(id)), StringComparison.Ordinal);
        await PostOkAsync(nurse, id, "Acknowledge", new() { ["AlertIndex"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture), ["ActionTaken"] = "probe repositioned, oxygen 2 L/min" });
        Assert.Contains("vital.spo2-low", await PostRefusedAsync(nurse, id, "Resume"));

        await PostOkAsync(nurse, id, "Observe", NormalVitals);
        await PostOkAsync(nurse, id, "Resume");
        var s = await StoredAsync(_app, id);
        Assert.Equal(SessionState.Running, s.State);
        Assert.Equal("probe repositioned, oxygen 2 L/min", Assert.Single(s.Acknowledgements).ActionTaken);
    }

    [Fact]
    public async Task Discharge_PhysicianWithoutAReason_DeniedAndNothingStored()
    {
        var id = await RunningSessionAsync();
        var nurse = await _app.SignedInAsync("nurse");
        await PostOkAsync(nurse, id, "Complete", new() { ["PumpVolume"] = "0" });
        await PostOkAsync(nurse, id, "Recovery");
        var before = await StoredAsync(_app, id);
        var physician = await _app.SignedInAsync("physician");

        var r = await PostAsync(physician, id, "Discharge", new() { ["Activity"] = "2", ["Respiration"] = "2", ["Circulation"] = "2", ["Consciousness"] = "2", ["Oxygen"] = "2", ["Escort"] = "true" }, before.Version);

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/Account/Denied", r.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal((SessionState.Recovery, before.Version), ((await StoredAsync(_app, id)).State, (await StoredAsync(_app, id)).Version));
    }

    [Fact]
    public async Task Timeline_RunningSession_SvgOfTheSessionShownAsAnImage()
    {
        var id = await RunningSessionAsync();
        var nurse = await _app.SignedInAsync("nurse");
        await PostOkAsync(nurse, id, "Observe", new() { ["Hr"] = "84", ["Sbp"] = "136", ["Dbp"] = "82", ["SpO2"] = "97", ["Pain"] = "4" });
        var page = await nurse.GetStringAsync(Url(id));
        Assert.Contains($"data-testid=\"timeline-chart\" width=\"1000\" height=\"900\" src=\"/Sessions/{id}?handler=Timeline&amp;v=", page, StringComparison.Ordinal);

        var auditor = await _app.SignedInAsync("auditor");
        var r = await auditor.GetAsync(Url(id) + "?handler=Timeline");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("image/svg+xml", r.Content.Headers.ContentType!.MediaType);
        var svg = await r.Content.ReadAsStringAsync();
        Assert.Contains("<svg xmlns", svg, StringComparison.Ordinal);
        Assert.Contains(ChartText.English.PumpRate, svg, StringComparison.Ordinal);

        var culture = await auditor.PostFormAsync("/Account/ChangePassword", new() { ["culture"] = "tr", ["returnUrl"] = "/" }, "/culture");
        Assert.Equal(HttpStatusCode.Redirect, culture.StatusCode);
        Assert.Contains(ChartText.For(CultureInfo.GetCultureInfo("tr-TR")).PumpRate, await auditor.GetStringAsync(Url(id) + "?handler=Timeline"), StringComparison.Ordinal);

        // A session with nothing recorded yet draws empty panels rather than failing.
        var scheduled = await nurse.GetAsync(Url(await NewTodaySessionAsync(_app)) + "?handler=Timeline");
        Assert.Equal(HttpStatusCode.OK, scheduled.StatusCode);
        Assert.Contains("<svg xmlns", await scheduled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exposure_RunningSession_TableOfPlasmaAndEffectSite_NoneBeforeAnyDrug()
    {
        var id = await RunningSessionAsync();
        var nurse = await _app.SignedInAsync("nurse");

        var page = await nurse.GetStringAsync(Url(id));

        Assert.Contains("data-testid=\"exposure-table\"", page, StringComparison.Ordinal);
        var auc = Regex.Match(page, "data-testid=\"exposure-auc\"><td>[^<]*</td><td class=\"num\" data-value=\"([^\"]+)\"");
        Assert.True(auc.Success && double.Parse(auc.Groups[1].Value, CultureInfo.InvariantCulture) > 0, "a running infusion has a positive AUC so far");
        Assert.Contains("data-testid=\"exposure-cmax\"", page, StringComparison.Ordinal);

        var scheduled = await nurse.GetStringAsync(Url(await NewTodaySessionAsync(_app)));
        Assert.Contains("data-testid=\"exposure-unavailable\"", scheduled, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"exposure-table\"", scheduled, StringComparison.Ordinal);
    }

    [Fact]
    public void SessionLabels_Every_HasATurkishTranslation() =>
        Assert.All(SessionLabels.All, l => Assert.Contains(l, TurkishTexts.Keys));

    /// <summary>A new session taken to Running through the forms (the physician starts, overriding any soft limit).</summary>
    [Fact]
    public async Task RunningSession_Screen_LeadsWithProgramAndObservationBeforeTheActionsAndLabelsEveryFieldUniquely()
    {
        var id = await RunningSessionAsync();
        var nurse = await _app.SignedInAsync("nurse");

        var html = await nurse.GetStringAsync(Url(id));

        int At(string marker) => html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(At("id=\"session-header\"") < At("id=\"pump-program\"") && At("id=\"pump-program\"") < At("id=\"observe\"") && At("id=\"observe\"") < At("id=\"actions\""), "header, pump program, observation, then actions");
        var labels = System.Text.RegularExpressions.Regex.Matches(html, "<label for=\"[^\"]+\">([^<]+)<").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value).Trim()).ToList();
        Assert.True(labels.Count > 8, $"{labels.Count} labels");
        Assert.Empty(labels.GroupBy(l => l).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Fact]
    public async Task CheckedProgram_NeedingAnOverride_NurseIsToldAPhysicianStartsAndIsOfferedNoStart()
    {
        var id = await NewTodaySessionAsync(_app);
        var nurse = await _app.SignedInAsync("nurse");
        var nurse2 = await _app.SignedInAsync("nurse2");
        await PostOkAsync(nurse, id, "PreAssess", WithChecklist(_app, NormalVitals));
        await PostOkAsync(nurse, id, "Program");
        await PostOkAsync(nurse2, id, "Check", Reading((await StoredAsync(_app, id)).Program!));
        await PrepareDrugAsync(_app, id);

        var forNurse = await nurse.GetStringAsync(Url(id));
        var forPhysician = await (await _app.SignedInAsync("physician")).GetStringAsync(Url(id));

        Assert.Contains("data-testid=\"start-needs-physician\"", forNurse, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"btn-start\"", forNurse, StringComparison.Ordinal);
        Assert.Contains("id=\"btn-start-override\"", forPhysician, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"start-needs-physician\"", forPhysician, StringComparison.Ordinal);
    }

    private async Task<Clinic.SessionId> RunningSessionAsync()
    {
        var id = await NewTodaySessionAsync(_app);
        var nurse = await _app.SignedInAsync("nurse");
        var nurse2 = await _app.SignedInAsync("nurse2");
        var physician = await _app.SignedInAsync("physician");
        await PostOkAsync(nurse, id, "PreAssess", WithChecklist(_app, NormalVitals));
        await PostOkAsync(nurse, id, "Program");
        var p = (await StoredAsync(_app, id)).Program!;
        await PostOkAsync(nurse2, id, "Check", Reading(p));
        await PrepareDrugAsync(_app, id);
        await PostOkAsync(physician, id, "StartOverride", new() { ["OverrideReason"] = "reviewed" });
        Assert.Equal(SessionState.Running, (await StoredAsync(_app, id)).State);
        return id;
    }

    [Fact]
    public async Task PreAssess_ChecklistUnanswered_RefusedWithEachMissingItem()
    {
        var id = await NewTodaySessionAsync(_app);
        var nurse = await _app.SignedInAsync("nurse");

        var codes = await PostRefusedAsync(nurse, id, "PreAssess", NormalVitals);

        Assert.Superset(new HashSet<string>([FindingCodes.PreFastingMissing, FindingCodes.PreEscortNotConfirmed, FindingCodes.PreNoDrivingNotAcknowledged, FindingCodes.PreNewMedicationsNotAsked]), codes.ToHashSet());
        var s = await StoredAsync(_app, id);
        Assert.False(s.PreAssessmentPassed);
        Assert.Null(s.Checklist);
    }

    [Fact]
    public async Task PreAssess_FastingTimeUnreadable_ErrorNamesTheFieldAndNothingStored()
    {
        var id = await NewTodaySessionAsync(_app);
        var nurse = await _app.SignedInAsync("nurse");

        var r = await PostAsync(nurse, id, "PreAssess", new(WithChecklist(_app, NormalVitals)) { ["FastingSince"] = "yesterday" });

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains(Errors(await r.Content.ReadAsStringAsync()), e => e.StartsWith("Fasting since: \"yesterday\" is not a time", StringComparison.Ordinal));
        Assert.Empty((await StoredAsync(_app, id)).Observations.All);
    }

    [Fact]
    public async Task Start_ShortFastAndANewBenzodiazepine_ShownOnTheScreenAndThePhysicianStartsWithAReason()
    {
        var id = await NewTodaySessionAsync(_app);
        var nurse = await _app.SignedInAsync("nurse");
        var nurse2 = await _app.SignedInAsync("nurse2");
        var physician = await _app.SignedInAsync("physician");
        var clock = _app.Services.GetRequiredService<TimeProvider>();
        var twoHoursAgo = _app.Services.GetRequiredService<ClinicTime>().Local(clock.GetUtcNow().AddHours(-2)).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var fields = new Dictionary<string, string>(WithChecklist(_app, NormalVitals)) { ["FastingSince"] = twoHoursAgo, ["NoNewMedications"] = "false", ["NewMedication"] = "lorazepam", ["NewMedicationInteractions"] = "Benzodiazepine" };

        await PostOkAsync(nurse, id, "PreAssess", fields);

        var s = await StoredAsync(_app, id);
        Assert.Equal("lorazepam", s.Checklist!.NewMedications!.Single().Name);
        Assert.Equal([FindingCodes.PreFastingShort, FindingCodes.PreNewMedicationInteraction], s.ChecklistFindings.Select(f => f.Code));
        var page = await nurse.GetStringAsync(Url(id));
        Assert.Contains("data-testid=\"session-checklist\"", page, StringComparison.Ordinal);
        Assert.Contains($"data-code=\"{FindingCodes.PreFastingShort}\"", page, StringComparison.Ordinal);
        await PostOkAsync(nurse, id, "Program");
        await PostOkAsync(nurse2, id, "Check", Reading((await StoredAsync(_app, id)).Program!));
        await PrepareDrugAsync(_app, id);

        await PostAsync(nurse, id, "Start");
        Assert.Equal(SessionState.PreAssessment, (await StoredAsync(_app, id)).State);
        await PostOkAsync(physician, id, "StartOverride", new() { ["OverrideReason"] = "clear fluids only" });

        var started = await StoredAsync(_app, id);
        Assert.Equal(SessionState.Running, started.State);
        Assert.Contains(started.Overrides, o => o.Codes.Contains(FindingCodes.PreFastingShort) && o.Reason == "clear fluids only");
    }

    [Fact]
    public async Task Give_PremedicationThenRescueAboveTheSoftLimit_NurseRefusedPhysicianWithAReason()
    {
        var id = await NewTodaySessionAsync(_app);
        var nurse = await _app.SignedInAsync("nurse");
        var physician = await _app.SignedInAsync("physician");
        await PostOkAsync(nurse, id, "PreAssess", WithChecklist(_app, NormalVitals));

        await PostOkAsync(nurse, id, "Give", new() { ["OrderIndex"] = "0", ["GiveDose"] = "4" });
        Assert.Contains(await PostRefusedAsync(nurse, id, "Give", new() { ["OrderIndex"] = "1", ["GiveDose"] = "2.5" }), c => c == "limit." + Clinic.Dosing.AncillaryDrugs.DoseLimitId);
        Assert.Contains(await PostRefusedAsync(physician, id, "Give", new() { ["OrderIndex"] = "1", ["GiveDose"] = "6", ["OverrideReason"] = "agitated" }), c => c == "limit." + Clinic.Dosing.AncillaryDrugs.DoseLimitId);
        await PostOkAsync(physician, id, "Give", new() { ["OrderIndex"] = "1", ["GiveDose"] = "2.5", ["OverrideReason"] = "agitated" });

        var s = await StoredAsync(_app, id);
        Assert.Equal([(Clinic.Dosing.AncillaryDrug.Ondansetron, 4.0, DemoSeed.DemoNurse), (Clinic.Dosing.AncillaryDrug.Midazolam, 2.5, DemoSeed.DemoPhysician)], s.AncillaryDoses.Select(d => (d.Drug, d.DoseMg, d.By)));
        Assert.Contains(s.Overrides, o => o.Step == "ancillary" && o.Reason == "agitated");
        var page = await nurse.GetStringAsync(Url(id));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(page, "data-testid=\"given-row\""));
        var timeline = await nurse.GetStringAsync(Url(id) + "?handler=Timeline");
        Assert.Contains("ondansetron 4 mg", timeline, StringComparison.Ordinal);
        Assert.Contains("midazolam 2.5 mg", timeline, StringComparison.Ordinal);
        var bad = await PostAsync(nurse, id, "Give", new() { ["OrderIndex"] = "1", ["GiveDose"] = "a lot" });
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains(Errors(await bad.Content.ReadAsStringAsync()), e => e.StartsWith("Dose (mg):", StringComparison.Ordinal));
    }

    /// <summary>The four values a checker reads on the pump and the label, as typed into the blind check form.</summary>
    private static Dictionary<string, string> Reading(Clinic.Dosing.PumpProgram program) => new()
    {
        ["CheckRate"] = WebNumber.Show(program.RateMlPerHour),
        ["CheckVtbi"] = WebNumber.Show(program.VtbiMl),
        ["CheckConcentration"] = WebNumber.Show(program.Preparation.Concentration.MilligramsPerMilliliter),
        ["CheckWeight"] = WebNumber.Show(program.Weight.Kilograms),
    };

    /// <summary>One app (demo data, a session today) for the class.</summary>
    public sealed class App : IDisposable
    {
        public WebAppFactory Factory { get; } = new();

        public void Dispose() => Factory.Dispose();
    }
}
