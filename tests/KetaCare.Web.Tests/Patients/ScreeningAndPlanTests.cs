using System.Globalization;
using System.Net;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Services;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Web.Tests.Patients;

/// <summary>Eligibility screening with its physician sign-off, the plan preview and prescribing, the plan page.</summary>
public sealed class ScreeningAndPlanTests(PatientsApp app) : IClassFixture<PatientsApp>
{
    private static string Inv(long v) => v.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Screen_NurseRunsIt_ShowsTheStoredResultWithEveryFindingAndSource()
    {
        var patient = await app.PatientAsync("DEMO-0003");
        var chart = await app.ChartAsync(patient.Id);
        var condition = Assert.Single(chart.Conditions.Active);
        var client = await app.Factory.SignedInAsync("nurse");
        var page = $"/Patients/{patient.Id.Value}/Screen";

        var r = await client.PostFormAsync(page, new() { ["ConditionId"] = condition.Id.Value.ToString(), ["ProtocolId"] = "outpatient-seed" });

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var html = await client.GetStringAsync(r.Headers.Location!.OriginalString);
        await using var db = app.Database.Open(DemoSeed.SeedUser);
        var stored = (await new TreatmentService(db, TimeProvider.System).AssessmentsAsync(patient.Id, DemoSeed.SeedUser))[0].Assessment;
        Assert.Contains(stored.Id.Value.ToString(), r.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(EligibilityResult.NotEligible, stored.Evaluation.Result);
        Assert.Contains($"data-result=\"{stored.Evaluation.Result}\"", html, StringComparison.Ordinal);
        Assert.Equal("Not eligible", Assert.Single(PatientsApp.TestIds(html, "screen-result-value")));
        var sources = PatientsApp.TestIds(html, "screen-finding-source");
        Assert.Equal(stored.Evaluation.Findings.Count, sources.Count);
        foreach (var f in stored.Evaluation.Findings)
        {
            Assert.Contains($"data-rule=\"{f.RuleId}\" data-level=\"{f.Level}\"", html, StringComparison.Ordinal);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(f.Message), html, StringComparison.Ordinal);
        }

        Assert.Contains(sources, s => s.Contains("Cohen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Review_NeedsReviewResult_NurseIsDeniedAndPhysicianSignsOff()
    {
        var p = await app.RegisterAsync(
            "KC-REVIEW-1",
            BodyMeasurement.Create(new DateOnly(2026, 1, 1), 80).Value,
            new Condition(Icd10Code.Parse("G90.512").Value, "CRPS I", new DateOnly(2024, 1, 1)),
            new PriorTreatment(TreatmentClass.Gabapentinoid, "pregabalin", null, Duration.FromDays(120), TreatmentOutcome.Ineffective),
            new Medication("pseudoephedrine", null, InteractionClass.Sympathomimetic));
        var condition = Assert.Single(p.Conditions.Active).Id.Value.ToString();
        var nurse = await app.Factory.SignedInAsync("nurse");
        var page = $"/Patients/{p.Id.Value}/Screen";
        var run = await nurse.PostFormAsync(page, new() { ["ConditionId"] = condition });
        var resultPage = run.Headers.Location!.OriginalString;
        var html = await nurse.GetStringAsync(resultPage);
        Assert.Contains("data-result=\"NeedsPhysicianReview\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"awaiting-review\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"review-form\"", html, StringComparison.Ordinal);
        var assessment = resultPage[(resultPage.IndexOf("assessment=", StringComparison.Ordinal) + "assessment=".Length)..];
        var action = $"{page}?handler=Review&assessment={assessment}";

        var denied = await nurse.PostFormAsync(resultPage, new() { ["Approved"] = "yes", ["Reason"] = "nurse tries" }, action);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/Account/Denied", denied.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var physician = await app.Factory.SignedInAsync("physician");
        Assert.Contains("data-testid=\"review-form\"", await physician.GetStringAsync(resultPage), StringComparison.Ordinal);
        var signed = await physician.PostFormAsync(resultPage, new() { ["Approved"] = "yes", ["Reason"] = "decongestant stopped a week before the first session" }, action);
        Assert.Equal(HttpStatusCode.Redirect, signed.StatusCode);

        await using var db = app.Database.Open(DemoSeed.SeedUser);
        var review = (await new TreatmentService(db, TimeProvider.System).AssessmentsAsync(p.Id, DemoSeed.SeedUser)).Single().Review;
        Assert.NotNull(review);
        Assert.True(review.Approved);
        Assert.Equal(DemoSeed.DemoPhysician, review.By);
        Assert.Contains("decongestant stopped", await physician.GetStringAsync(resultPage), StringComparison.Ordinal);

        // A second review is refused; a Turkish physician reads why in Turkish.
        var turkish = await app.Factory.SignedInAsync("physician");
        turkish.DefaultRequestHeaders.AcceptLanguage.ParseAdd("tr");
        var again = await turkish.PostFormAsync(resultPage, new() { ["Approved"] = "no", ["Reason"] = "second thoughts" }, action);
        var againHtml = await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("zaten değerlendirildi; yeni bir karar için yeni bir değerlendirme yapın.", againHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("already reviewed", againHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_DoseAboveTheSoftPeak_ShowsLimitFindingsFiguresAndOccupancy()
    {
        var patient = await app.PatientAsync("DEMO-0001");
        var client = await app.Factory.SignedInAsync("physician");
        var html = await client.GetStringAsync($"/Patients/{patient.Id.Value}/Plan/New?ProtocolId=outpatient-seed&ModelId=domino1984&PreparationId=bag-1&StartDose=1");

        Assert.Contains("data-testid=\"plan-preview\"", html, StringComparison.Ordinal);
        Assert.Contains("data-limit=\"pk-peak\" data-severity=\"Soft\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"preview-figures\"", html, StringComparison.Ordinal);
        Assert.Contains("data-output=\"plasma\"", html, StringComparison.Ordinal);
        Assert.Contains("data-output=\"effect\"", html, StringComparison.Ordinal);
        Assert.Contains("data-target=\"nmda-forebrain\"", html, StringComparison.Ordinal);
        Assert.Contains("data-target=\"mu-opioid\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"override-reason\"", html, StringComparison.Ordinal);
        Assert.Contains("70–160 ng/mL", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"preview-highest\"", html, StringComparison.Ordinal);

        var chartUrl = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "<img[^>]*src=\"([^\"]+)\"[^>]*data-testid=\"preview-chart\"").Groups[1].Value);
        Assert.Contains("handler=Chart", chartUrl, StringComparison.Ordinal);
        var chart = await client.GetAsync(chartUrl);
        Assert.Equal("image/svg+xml", chart.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<svg", await chart.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prescribe_AboveAHardLimit_IsRefusedAndNothingIsStored()
    {
        var patient = await app.PatientAsync("DEMO-0001");
        var before = (await app.PlansAsync(patient.Id)).Count;
        var client = await app.Factory.SignedInAsync("physician");
        var page = $"/Patients/{patient.Id.Value}/Plan/New?ProtocolId=outpatient-seed&StartDose=2,5";
        var preview = await client.GetStringAsync(page);
        Assert.Contains("data-testid=\"hard-stop\"", preview, StringComparison.Ordinal);
        Assert.Contains("data-limit=\"rate-mg-kg-h\" data-severity=\"Hard\"", preview, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"prescribe-button\"", preview, StringComparison.Ordinal);

        var r = await client.PostFormAsync(page, new() { ["ProtocolId"] = "outpatient-seed", ["ModelId"] = "domino1984", ["PreparationId"] = "bag-1", ["StartDose"] = "2,5", ["OverrideReason"] = "trying" });

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Single(PatientsApp.TestIds(html, "form-error"));
        Assert.Contains("limit.rate-mg-kg-h", ErrorCodes(html));
        Assert.Equal(before, (await app.PlansAsync(patient.Id)).Count);
    }

    [Fact]
    public async Task Prescribe_AboveASoftLimit_NeedsAReasonWhichIsKeptWithThePlan()
    {
        var patient = await app.PatientAsync("DEMO-0002");
        await app.WeighTodayAsync(patient.Id); // the demo weight is months old: dosing refuses it (dose.weight-stale)
        var before = (await app.PlansAsync(patient.Id)).Count;
        var client = await app.Factory.SignedInAsync("physician");
        var page = $"/Patients/{patient.Id.Value}/Plan/New?ProtocolId=outpatient-seed&StartDose=1";
        var fields = new Dictionary<string, string> { ["ProtocolId"] = "outpatient-seed", ["ModelId"] = "domino1984", ["PreparationId"] = "bag-1", ["StartDose"] = "1" };

        var refused = await client.PostFormAsync(page, fields);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Single(PatientsApp.TestIds(html, "form-error"));
        Assert.Contains("limit.pk-peak", ErrorCodes(html));
        Assert.Equal(before, (await app.PlansAsync(patient.Id)).Count);

        fields["OverrideReason"] = "previous sessions at 0.6 mg/kg/h were well tolerated";
        var prescribed = await client.PostFormAsync(page, fields);
        Assert.Equal(HttpStatusCode.Redirect, prescribed.StatusCode);
        var plans = await app.PlansAsync(patient.Id);
        Assert.Equal(before + 1, plans.Count);
        var plan = plans[^1];
        Assert.Equal("/Plans/" + plan.Id.Value, prescribed.Headers.Location!.OriginalString);
        Assert.Equal(1, plan.StartDose.Value, 12);
        Assert.Equal(DemoSeed.DemoPhysician, plan.PrescribedBy);
        Assert.Contains(plan.DoseChanges, c => c.Reason.Contains("pk-peak", StringComparison.Ordinal) && c.Reason.Contains("well tolerated", StringComparison.Ordinal));
        var planHtml = await client.GetStringAsync(prescribed.Headers.Location!.OriginalString);
        Assert.Contains("well tolerated", planHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prescribe_Nurse_IsDenied()
    {
        var patient = await app.PatientAsync("DEMO-0001");
        var client = await app.Factory.SignedInAsync("nurse");
        var get = await client.GetAsync($"/Patients/{patient.Id.Value}/Plan/New");
        Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
        Assert.StartsWith("/Account/Denied", get.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanPage_NurseSchedulesAndCannotDecide_PhysicianAccepts()
    {
        var patient = await app.PatientAsync("DEMO-0001");
        var plan = (await app.PlansAsync(patient.Id))[0];
        var page = "/Plans/" + plan.Id.Value;
        var nurse = await app.Factory.SignedInAsync("nurse");
        var html = await nurse.GetStringAsync(page);
        Assert.Contains("data-testid=\"titration-proposal\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"accept-button\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"plan-preview\"", html, StringComparison.Ordinal);
        var chart = await nurse.GetAsync(page + "?handler=Chart");
        Assert.Equal("image/svg+xml", chart.Content.Headers.ContentType!.MediaType);

        var denied = await nurse.PostFormAsync(page, new() { ["Version"] = Inv(plan.Version) }, page + "?handler=Accept");
        Assert.StartsWith("/Account/Denied", denied.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(plan.Version, (await app.PlansAsync(patient.Id))[0].Version);

        var scheduled = await nurse.PostFormAsync(page, new() { ["Date"] = "2026-12-01" }, page + "?handler=Schedule");
        Assert.Equal(HttpStatusCode.Redirect, scheduled.StatusCode);
        await using (var db = app.Database.Open(DemoSeed.SeedUser))
        {
            var sessions = await new SessionService(db, TimeProvider.System).ForPatientAsync(patient.Id, DemoSeed.SeedUser);
            Assert.Contains(sessions, s => s.PlanId == plan.Id && s.ScheduledFor == new DateOnly(2026, 12, 1) && s.PlannedDose == plan.CurrentDose);
        }

        var physician = await app.Factory.SignedInAsync("physician");
        Assert.Contains("data-testid=\"accept-button\"", await physician.GetStringAsync(page), StringComparison.Ordinal);
        var accepted = await physician.PostFormAsync(page, new() { ["Version"] = Inv(plan.Version) }, page + "?handler=Accept");
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var after = (await app.PlansAsync(patient.Id))[0];
        Assert.Equal(plan.TitrationDecisions.Count + 1, after.TitrationDecisions.Count);
        Assert.Equal(DemoSeed.DemoPhysician, after.TitrationDecisions[^1].By);
    }

    /// <summary>The finding codes of the refusal shown beside the form (its <c>data-codes</c>).</summary>
    private static string[] ErrorCodes(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "data-codes=\"([^\"]*)\" data-testid=\"form-error\"").Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
