using System.Net;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Services;

namespace KetaCare.Web.Tests.Patients;

/// <summary>Patient list, registration, the chart and its entries: stored through the services, read back from them.</summary>
public sealed class PatientChartTests(PatientsApp app) : IClassFixture<PatientsApp>
{
    [Theory]
    [InlineData("nurse")]
    [InlineData("physician")]
    [InlineData("auditor")]
    public async Task List_ClinicalRoles_ShowEveryDemoPatient(string user)
    {
        var client = await app.Factory.SignedInAsync(user);
        var html = await client.GetStringAsync("/Patients");
        foreach (var mrn in new[] { "DEMO-0001", "DEMO-0002", "DEMO-0003" })
        {
            Assert.Contains($"data-testid=\"patient-row\" data-mrn=\"{mrn}\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task List_Search_ShowsOnlyMatchingPatients()
    {
        var client = await app.Factory.SignedInAsync("nurse");
        var html = await client.GetStringAsync("/Patients?q=Kaya");
        Assert.Contains("data-mrn=\"DEMO-0003\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-mrn=\"DEMO-0001\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chart_Opened_WritesAReadAuditEventForTheUser()
    {
        var patient = await app.PatientAsync("DEMO-0002");
        var client = await app.Factory.SignedInAsync("auditor");
        var auditor = KetaCare.Web.Infrastructure.Startup.DemoAccounts.Single(a => a.UserName == "auditor").Id;
        int Count(KetaCare.Clinic.Persistence.KetaCareDbContext db) =>
            db.AuditEvents.Count(e => e.PatientId == patient.Id && e.UserId == auditor && e.Action == "read" && e.Detail == "chart opened");
        await using var db = app.Database.Open(DemoSeed.SeedUser);
        var before = Count(db);

        var html = await client.GetStringAsync($"/Patients/{patient.Id.Value}");

        Assert.Contains("Painful diabetic polyneuropathy", html, StringComparison.Ordinal);
        Assert.Equal(before + 1, Count(db));
    }

    [Fact]
    public async Task Chart_DemoCrps_ShowsEverySection()
    {
        var patient = await app.PatientAsync("DEMO-0001");
        var client = await app.Factory.SignedInAsync("nurse");
        var html = await client.GetStringAsync($"/Patients/{patient.Id.Value}");
        foreach (var section in new[] { "chart-demographics", "chart-weights", "chart-conditions", "chart-treatments", "chart-medications", "chart-findings", "chart-consents", "chart-assessments", "chart-plans", "chart-sessions", "chart-outcomes" })
        {
            Assert.Contains($"data-testid=\"{section}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("G90.512", html, StringComparison.Ordinal);
        Assert.Contains("pregabalin", html, StringComparison.Ordinal);
        await using (var db = app.Database.Open(KetaCare.Clinic.Services.DemoSeed.SeedUser))
        {
            // Two seeded sessions, plus the session booked for today by the Development/Testing demo step.
            var stored = await new KetaCare.Clinic.Services.SessionService(db, TimeProvider.System).ForPatientAsync(patient.Id, KetaCare.Clinic.Services.DemoSeed.SeedUser);
            Assert.True(stored.Count >= 2);
            Assert.Equal(stored.Count, PatientsApp.TestIds(html, "session-row").Count);
        }

        Assert.Contains("href=\"/Sessions/", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_TurkishUiCommaDecimals_Stores72Point5Kg()
    {
        // Hazard: a weight typed with the Turkish decimal comma read as 725 kg or 72 kg.
        var client = await app.Factory.SignedInAsync("nurse");
        await PatientsApp.UseLanguageAsync(client, "tr");
        var r = await client.PostFormAsync("/Patients/New", new()
        {
            ["Demographics.RecordNumber"] = "KC-TR-1",
            ["Demographics.GivenName"] = "Deniz",
            ["Demographics.FamilyName"] = "Arslan",
            ["Demographics.BirthDate"] = "1975-06-15",
            ["Demographics.Sex"] = "Female",
            ["WeightKg"] = "72,5",
            ["HeightCm"] = "170",
        });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var patient = await app.PatientAsync("KC-TR-1");
        var chart = await app.ChartAsync(patient.Id);
        Assert.Equal(72.5, Assert.Single(chart.Measurements.ActiveValues).Weight.Kilograms, 12);

        var page = $"/Patients/{patient.Id.Value}/Record";
        var recorded = await client.PostFormAsync(page, new() { ["Version"] = chart.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Weight.MeasuredOn"] = "2026-01-10", ["Weight.Kg"] = "73,25" }, page + "?handler=Weight");
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        var after = await app.ChartAsync(patient.Id);
        Assert.Contains(after.Measurements.ActiveValues, m => m.Weight.Kilograms == 73.25 && m.MeasuredOn == new DateOnly(2026, 1, 10));
        var html = await client.GetStringAsync($"/Patients/{patient.Id.Value}");
        Assert.Contains("72,5", html, StringComparison.Ordinal);
        Assert.Contains("Ağırlık ve boy", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("900", "500")]
    [InlineData("1.500", "1500")]
    [InlineData("", "required")]
    public async Task RecordWeight_BadValue_ShowsFieldAndRangeAndStoresNothing(string typed, string expected)
    {
        var p = await app.RegisterAsync("KC-BAD-" + Guid.NewGuid().ToString("N")[..6], BodyMeasurement.Create(new DateOnly(2026, 1, 1), 70).Value);
        var client = await app.Factory.SignedInAsync("nurse");
        var page = $"/Patients/{p.Id.Value}/Record";

        var r = await client.PostFormAsync(page, new() { ["Version"] = p.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Weight.MeasuredOn"] = "2026-01-10", ["Weight.Kg"] = typed }, page + "?handler=Weight");

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var error = Assert.Single(PatientsApp.TestIds(await r.Content.ReadAsStringAsync(), "form-error"));
        Assert.StartsWith("Weight (kg)", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        var after = await app.ChartAsync(p.Id);
        Assert.Equal(p.Version, after.Version);
        Assert.Single(after.Measurements.All);
    }

    [Fact]
    public async Task RecordCondition_StaleVersion_RefusedWithTheConcurrencyMessage()
    {
        var p = await app.RegisterAsync("KC-STALE-1", BodyMeasurement.Create(new DateOnly(2026, 1, 1), 70).Value);
        var client = await app.Factory.SignedInAsync("nurse");
        var page = $"/Patients/{p.Id.Value}/Record";
        var stale = (p.Version - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var r = await client.PostFormAsync(page, new() { ["Version"] = stale, ["Condition.Code"] = "G90.512", ["Condition.Onset"] = "2024-09-01" }, page + "?handler=Condition");

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("changed by someone else since you opened it", PatientsApp.TestIds(await r.Content.ReadAsStringAsync(), "form-error").Single(), StringComparison.Ordinal);
        var after = await app.ChartAsync(p.Id);
        Assert.Equal(p.Version, after.Version);
        Assert.Empty(after.Conditions.All);
    }

    [Fact]
    public async Task RecordEveryKind_ThenAmendAndMarkInError_KeepsTheHistory()
    {
        var p = await app.RegisterAsync("KC-ALL-1", BodyMeasurement.Create(new DateOnly(2026, 1, 1), 70).Value);
        var client = await app.Factory.SignedInAsync("physician");
        var page = $"/Patients/{p.Id.Value}/Record";
        var version = p.Version;
        async Task Post(string handler, Dictionary<string, string> fields)
        {
            fields["Version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var r = await client.PostFormAsync(page, fields, page + "?handler=" + handler);
            Assert.True(r.StatusCode == HttpStatusCode.Redirect, handler + ": " + string.Join(" | ", PatientsApp.TestIds(await r.Content.ReadAsStringAsync(), "form-error")));
            version++;
        }

        await Post("Condition", new() { ["Condition.Code"] = "g90512", ["Condition.Onset"] = "2024-09-01", ["Condition.Description"] = "CRPS I, left arm" });
        await Post("Treatment", new() { ["Treatment.Class"] = "Gabapentinoid", ["Treatment.Drug"] = "pregabalin", ["Treatment.Days"] = "120", ["Treatment.Outcome"] = "Ineffective" });
        await Post("Medication", new() { ["Medication.Name"] = "clarithromycin", ["Medication.Interactions"] = "Cyp3A4Inhibitor" });
        await Post("Finding", new() { ["Finding.Kind"] = "Hypertension", ["Finding.Severity"] = "Mild", ["Finding.Active"] = "no" });
        await Post("Pregnancy", new() { ["Pregnancy.State"] = "NotOfChildbearingPotential", ["Pregnancy.AssessedOn"] = "2026-01-05" });
        await Post("Consent", new() { ["Consent.SignedOn"] = "2026-01-05", ["Consent.Document"] = "consent-1.pdf" });

        var chart = await app.ChartAsync(p.Id);
        Assert.Equal("G90.512", Assert.Single(chart.Conditions.ActiveValues).Code.Code);
        Assert.Equal(120, Assert.Single(chart.PriorTreatments.ActiveValues).Duration.Hours / 24, 9);
        Assert.Equal(InteractionClass.Cyp3A4Inhibitor, Assert.Single(chart.Medications.ActiveValues).Interactions);
        Assert.False(Assert.Single(chart.Findings.ActiveValues).IsActive);
        Assert.Equal(PregnancyState.NotOfChildbearingPotential, Assert.Single(chart.PregnancyStatuses.ActiveValues).State);
        Assert.Equal(ConsentKind.OffLabelKetamineForPain, Assert.Single(chart.Consents.ActiveValues).Kind);

        var weight = Assert.Single(chart.Measurements.Active);
        var amendPage = $"{page}?kind=weight&entry={weight.Id.Value}";
        var form = await client.GetStringAsync(amendPage);
        Assert.Contains("value=\"70\"", form, StringComparison.Ordinal);
        var amended = await client.PostFormAsync(amendPage, new() { ["Version"] = chart.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Kind"] = "weight", ["Entry"] = weight.Id.Value.ToString(), ["Reason"] = "scale was not zeroed", ["Weight.MeasuredOn"] = "2026-01-01", ["Weight.Kg"] = "68.4" }, page + "?handler=Weight");
        Assert.Equal(HttpStatusCode.Redirect, amended.StatusCode);

        var medication = Assert.Single((await app.ChartAsync(p.Id)).Medications.Active);
        var marked = await client.PostFormAsync(amendPage, new() { ["Version"] = (chart.Version + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), ["Kind"] = "medication", ["Entry"] = medication.Id.Value.ToString(), ["Reason"] = "wrong patient" }, page + "?handler=EnteredInError");
        Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);

        var after = await app.ChartAsync(p.Id);
        Assert.Equal(68.4, Assert.Single(after.Measurements.ActiveValues).Weight.Kilograms, 12);
        Assert.Contains(after.Measurements.All, e => e.Status == KetaCare.Clinic.EntryStatus.Amended && e.Value.Weight.Kilograms == 70);
        Assert.Empty(after.Medications.ActiveValues);
        Assert.Contains(after.Medications.All, e => e.Status == KetaCare.Clinic.EntryStatus.EnteredInError && e.Reason == "wrong patient");
        var html = await client.GetStringAsync($"/Patients/{p.Id.Value}");
        Assert.Contains("scale was not zeroed", html, StringComparison.Ordinal);
        Assert.Contains("wrong patient", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allergies_RecordedOnTheRecordPage_ShowInTheChartsBannerAndTable()
    {
        var p = await app.RegisterAsync("KC-ALG-1", BodyMeasurement.Create(new DateOnly(2026, 1, 1), 70).Value);
        var client = await app.Factory.SignedInAsync("nurse");
        var page = $"/Patients/{p.Id.Value}/Record";
        Assert.Contains("data-state=\"not-recorded\"", await client.GetStringAsync($"/Patients/{p.Id.Value}"), StringComparison.Ordinal);

        // Nothing chosen: refused naming the field, nothing stored.
        var blank = await client.PostFormAsync(page, new() { ["Version"] = p.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) }, $"/Patients/{p.Id.Value}/Record?handler=Allergy");
        Assert.StartsWith("Substance:", PatientsApp.TestIds(await blank.Content.ReadAsStringAsync(), "form-error").Single(), StringComparison.Ordinal);
        Assert.Empty((await app.ChartAsync(p.Id)).Allergies.All);

        string V(long v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nka = await client.PostFormAsync(page, new() { ["Version"] = V(p.Version), ["NoKnownAllergies.StatedOn"] = "2026-01-02" }, $"/Patients/{p.Id.Value}/Record?handler=NoKnownAllergies");
        Assert.Equal(HttpStatusCode.Redirect, nka.StatusCode);
        Assert.Contains("data-state=\"none\"", await client.GetStringAsync($"/Patients/{p.Id.Value}"), StringComparison.Ordinal);

        var allergy = new Dictionary<string, string>
        {
            ["Version"] = V((await app.ChartAsync(p.Id)).Version), ["Allergy.Substance"] = "other", ["Allergy.OtherSubstance"] = "Ketalar", ["Allergy.Category"] = "Medication",
            ["Allergy.Type"] = "Allergy", ["Allergy.Criticality"] = "High", ["Allergy.ClinicalStatus"] = "Active", ["Allergy.Verification"] = "Confirmed",
            ["Allergy.Reaction"] = "urticaria", ["Allergy.Severity"] = "Moderate", ["Allergy.Onset"] = "2019-05-01",
        };
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(page, allergy, $"/Patients/{p.Id.Value}/Record?handler=Allergy")).StatusCode);

        var chart = await app.ChartAsync(p.Id);
        var recorded = Assert.Single(chart.Allergies.ActiveValues);
        Assert.Equal(("Ketalar", AllergyCriticality.High, "urticaria", new DateOnly(2019, 5, 1), DemoSeed.DemoNurse), (recorded.Substance.Display, recorded.Criticality, recorded.Reaction, recorded.Onset!.Value, recorded.VerifiedBy!.Value));
        Assert.Equal(AllergyState.Allergies, chart.Snapshot().AllergyState);
        var html = await client.GetStringAsync($"/Patients/{p.Id.Value}");
        Assert.Contains("data-ketamine=\"True\"", html, StringComparison.Ordinal);
        Assert.Single(PatientsApp.TestIds(html, "allergy-row"));
    }

    [Fact]
    public async Task Investigations_RecordedOnTheRecordPage_ShowFlaggedOnTheChart_AndBadValuesAreRefusedNamingTheField()
    {
        var p = await app.RegisterAsync("KC-INV-1", BodyMeasurement.Create(new DateOnly(2026, 1, 1), 70).Value);
        var client = await app.Factory.SignedInAsync("nurse");
        var page = $"/Patients/{p.Id.Value}/Record";
        string V(long v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // A value outside the accepted range: refused naming the test and the range, nothing stored.
        var bad = await client.PostFormAsync(page, new() { ["Version"] = V(p.Version), ["Liver.CollectedOn"] = "2026-01-03", ["Liver.Alt"] = "-5" }, $"/Patients/{p.Id.Value}/Record?handler=Liver");
        Assert.StartsWith("ALT:", PatientsApp.TestIds(await bad.Content.ReadAsStringAsync(), "form-error").Single(), StringComparison.Ordinal);
        var empty = await client.PostFormAsync(page, new() { ["Version"] = V(p.Version), ["Liver.CollectedOn"] = "2026-01-03" }, $"/Patients/{p.Id.Value}/Record?handler=Liver");
        Assert.StartsWith("liverPanel:", PatientsApp.TestIds(await empty.Content.ReadAsStringAsync(), "form-error").Single(), StringComparison.Ordinal);
        Assert.Empty((await app.ChartAsync(p.Id)).LiverPanels.All);

        var liver = await client.PostFormAsync(page, new() { ["Version"] = V(p.Version), ["Liver.CollectedOn"] = "2026-01-03", ["Liver.Alt"] = "130", ["Liver.Ast"] = "38", ["Liver.Bilirubin"] = "0.7" }, $"/Patients/{p.Id.Value}/Record?handler=Liver");
        Assert.Equal(HttpStatusCode.Redirect, liver.StatusCode);
        var ecg = await client.PostFormAsync(page, new() { ["Version"] = V((await app.ChartAsync(p.Id)).Version), ["Ecg.RecordedOn"] = "2026-01-03", ["Ecg.Rhythm"] = "Sinus", ["Ecg.QtcMs"] = "452", ["Ecg.Interpretation"] = "Normal" }, $"/Patients/{p.Id.Value}/Record?handler=Ecg");
        Assert.Equal(HttpStatusCode.Redirect, ecg.StatusCode);
        var urinary = await client.PostFormAsync(page, new() { ["Version"] = V((await app.ChartAsync(p.Id)).Version), ["Urinary.CompletedOn"] = "2026-01-03", ["Urinary.Frequency"] = "1", ["Urinary.Urgency"] = "0", ["Urinary.Dysuria"] = "0", ["Urinary.Haematuria"] = "0", ["Urinary.BladderPain"] = "2" }, $"/Patients/{p.Id.Value}/Record?handler=Urinary");
        Assert.Equal(HttpStatusCode.Redirect, urinary.StatusCode);
        var dip = await client.PostFormAsync(page, new() { ["Version"] = V((await app.ChartAsync(p.Id)).Version), ["Urinalysis.CollectedOn"] = "2026-01-03", ["Urinalysis.Blood"] = "Trace", ["Urinalysis.Leukocytes"] = "Negative" }, $"/Patients/{p.Id.Value}/Record?handler=Urinalysis");
        Assert.Equal(HttpStatusCode.Redirect, dip.StatusCode);

        var chart = (await app.ChartAsync(p.Id)).Snapshot();
        Assert.Equal(new LiverPanel(new DateOnly(2026, 1, 3), 130, 38, 0.7, null, null), chart.LatestLiverPanel);
        Assert.Equal(new EcgRecord(new DateOnly(2026, 1, 3), EcgRhythm.Sinus, 452, EcgInterpretation.Normal), chart.LatestEcg);
        Assert.Equal(3, chart.LatestUrinarySymptoms!.Total);
        Assert.Equal(new Urinalysis(new DateOnly(2026, 1, 3), DipstickResult.Trace, DipstickResult.Negative), chart.LatestUrinalysis);
        var html = await client.GetStringAsync($"/Patients/{p.Id.Value}");
        Assert.Contains("130 ↑↑", Assert.Single(PatientsApp.TestIds(html, "liver-row")), StringComparison.Ordinal);
        Assert.Single(PatientsApp.TestIds(html, "ecg-row"));
        Assert.Single(PatientsApp.TestIds(html, "urinary-row"));
        Assert.Single(PatientsApp.TestIds(html, "urinalysis-row"));
    }

    [Fact]
    public async Task CorrectDemographics_WithReason_KeepsThePreviousOnesInTheHistory()
    {
        var p = await app.RegisterAsync("KC-DEM-1", BodyMeasurement.Create(new DateOnly(2026, 1, 1), 70).Value);
        var client = await app.Factory.SignedInAsync("nurse");
        var page = $"/Patients/{p.Id.Value}/Record?kind=demographics";
        Assert.Contains("value=\"KC-DEM-1\"", await client.GetStringAsync(page), StringComparison.Ordinal);
        var fields = new Dictionary<string, string>
        {
            ["Version"] = p.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Kind"] = "demographics",
            ["Demographics.RecordNumber"] = "KC-DEM-1", ["Demographics.GivenName"] = "Deniz", ["Demographics.FamilyName"] = "Tester",
            ["Demographics.BirthDate"] = "1980-01-20", ["Demographics.Sex"] = "Male",
        };
        var action = $"/Patients/{p.Id.Value}/Record?handler=Demographics";

        var noReason = await client.PostFormAsync(page, fields, action);
        Assert.Contains("reason", PatientsApp.TestIds(await noReason.Content.ReadAsStringAsync(), "form-error").Single(), StringComparison.Ordinal);
        Assert.Equal("Test", (await app.ChartAsync(p.Id)).Demographics.FamilyName);

        fields["Reason"] = "spelling on the referral letter";
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(page, fields, action)).StatusCode);
        var after = await app.ChartAsync(p.Id);
        Assert.Equal(("Tester", new DateOnly(1980, 1, 20)), (after.Demographics.FamilyName, after.Demographics.BirthDate));
        var (previous, reason, _, by) = Assert.Single(after.DemographicsHistory);
        Assert.Equal(("Test", "spelling on the referral letter", KetaCare.Clinic.Services.DemoSeed.DemoNurse), (previous.FamilyName, reason, by));
    }

    [Fact]
    public async Task FollowUpNrs_MarkedEnteredInError_StaysReadableAndLeavesTheCourse()
    {
        var p = await app.RegisterAsync("KC-FU-1", BodyMeasurement.Create(new DateOnly(2026, 1, 1), 70).Value);
        var client = await app.Factory.SignedInAsync("nurse");
        var outcomes = $"/Patients/{p.Id.Value}/Outcomes";
        var saved = await client.PostFormAsync(outcomes, new() { ["Version"] = p.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ["At"] = "2026-02-01T10:00", ["Nrs"] = "6" }, outcomes + "?handler=FollowUp");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var chart = await app.ChartAsync(p.Id);
        var entry = Assert.Single(chart.FollowUpPains.Active);
        var page = $"/Patients/{p.Id.Value}/Record?kind=followup&entry={entry.Id.Value}";
        Assert.Contains("data-testid=\"form-entered-in-error\"", await client.GetStringAsync(page), StringComparison.Ordinal);

        var marked = await client.PostFormAsync(page, new() { ["Version"] = chart.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Kind"] = "followup", ["Entry"] = entry.Id.Value.ToString(), ["Reason"] = "score of another patient" }, $"/Patients/{p.Id.Value}/Record?handler=EnteredInError");

        Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
        var after = await app.ChartAsync(p.Id);
        Assert.Empty(after.FollowUpPains.ActiveValues);
        Assert.Contains(after.FollowUpPains.All, e => e.Status == KetaCare.Clinic.EntryStatus.EnteredInError && e.Reason == "score of another patient");
        Assert.Contains("score of another patient", await client.GetStringAsync($"/Patients/{p.Id.Value}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordEntry_Auditor_IsDenied()
    {
        var patient = await app.PatientAsync("DEMO-0001");
        var client = await app.Factory.SignedInAsync("auditor");
        var r = await client.GetAsync($"/Patients/{patient.Id.Value}/Record");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/Account/Denied", r.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
