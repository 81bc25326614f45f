using System.Globalization;
using System.Text.RegularExpressions;
using KetaCare.Clinic;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Sessions;
using Microsoft.Extensions.DependencyInjection;
using KetaCare.Web.Infrastructure;
using Microsoft.Playwright;
using static KetaCare.Web.Tests.BrowserTests.BrowserSteps;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// A whole course for a new patient in a real browser: a nurse and a physician on their own devices (separate
/// browser contexts), a second nurse for the pump check. What the pages show is asserted at each step, and at the
/// end the records the services read back.
/// </summary>
[Trait("Kind", "Browser")]
public sealed class CourseBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Course_NewPatientFromRegistrationToFollowUp_StoredAsEnteredInTheBrowser()
    {
        var nurse = await app.NewPageAsync();
        var physician = await app.NewPageAsync();
        var nurse2 = await app.NewPageAsync();
        var problems = new List<string>();
        foreach (var page in new[] { nurse, physician, nurse2 })
        {
            CollectConsoleProblems(page, problems);
        }

        await BrowserApp.SignInAsync(nurse, "nurse");
        await BrowserApp.SignInAsync(physician, "physician");
        await BrowserApp.SignInAsync(nurse2, "nurse2");

        // The nurse registers the patient with today's weight and height and records what a nurse records.
        var mrn = "BR-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var patient = await RegisterAsync(nurse, mrn, "64", "165");
        var url = $"/Patients/{patient.Value}";
        await Assertions.Expect(nurse.GetByTestId("weight-row")).ToHaveCountAsync(1);
        await RecordAsync(nurse, patient, "pregnancy", f => f.Locator("#Pregnancy_State").SelectOptionAsync(nameof(PregnancyState.NotOfChildbearingPotential)));
        await Assertions.Expect(nurse.GetByTestId("pregnancy-row")).ToHaveCountAsync(1);
        await RecordAsync(nurse, patient, "medication", async f =>
        {
            await f.Locator("#Medication_Name").FillAsync("paracetamol");
            await f.Locator("#Medication_DoseText").FillAsync("1 g up to four times daily");
        });
        await RecordAsync(nurse, patient, "medication", async f =>
        {
            await f.Locator("#Medication_Name").FillAsync("pseudoephedrine");
            await f.Locator("#Medication_DoseText").FillAsync("60 mg as needed");
            await f.Locator("input[name='Medication.Interactions'][value=Sympathomimetic]").CheckAsync();
        });
        await Assertions.Expect(nurse.GetByTestId("medication-row")).ToHaveCountAsync(2);

        // The physician records the diagnosis, the treatments that failed, a finding and the off-label consent (as DEMO-0001).
        await RecordAsync(physician, patient, "condition", async f =>
        {
            await f.Locator("#Condition_Code").FillAsync("G90.512");
            await f.Locator("#Condition_Onset").FillAsync("2024-09-01");
            await f.Locator("#Condition_Description").FillAsync("CRPS type I, right lower limb, after an ankle fracture");
        });
        await Assertions.Expect(physician.GetByTestId("condition-row")).ToContainTextAsync("G90.512");
        await RecordAsync(physician, patient, "treatment", async f =>
        {
            await f.Locator("#Treatment_Drug").FillAsync("pregabalin");
            await f.Locator("#Treatment_Class").SelectOptionAsync(nameof(TreatmentClass.Gabapentinoid));
            await f.Locator("#Treatment_DoseText").FillAsync("150 mg twice daily");
            await f.Locator("#Treatment_Days").FillAsync("120");
            await f.Locator("#Treatment_Outcome").SelectOptionAsync(nameof(TreatmentOutcome.Ineffective));
        });
        await RecordAsync(physician, patient, "treatment", async f =>
        {
            await f.Locator("#Treatment_Drug").FillAsync("graded motor imagery");
            await f.Locator("#Treatment_Class").SelectOptionAsync(nameof(TreatmentClass.NonPharmacological));
            await f.Locator("#Treatment_Days").FillAsync("90");
            await f.Locator("#Treatment_Outcome").SelectOptionAsync(nameof(TreatmentOutcome.Partial));
        });
        await Assertions.Expect(physician.GetByTestId("treatment-row")).ToHaveCountAsync(2);
        await RecordAsync(physician, patient, "finding", async f =>
        {
            await f.Locator("#Finding_Kind").SelectOptionAsync(nameof(FindingKind.Hypertension));
            await f.Locator("#Finding_Severity").SelectOptionAsync(nameof(Severity.Mild));
            await f.Locator("#Finding_Active").SelectOptionAsync("no");
            await f.Locator("#Finding_Note").FillAsync("controlled on ramipril; ECG normal");
        });
        await Assertions.Expect(physician.GetByTestId("finding-row")).ToHaveCountAsync(1);
        // Controlled hypertension: the monitoring schedule asks for an ECG before the first course.
        await Assertions.Expect(physician.Locator("[data-testid=monitoring-row][data-kind=Ecg]")).ToHaveAttributeAsync("data-status", "Due");
        await RecordAsync(physician, patient, "ecg", async f =>
        {
            await f.GetByTestId("ecg-rhythm").SelectOptionAsync(nameof(EcgRhythm.Sinus));
            await f.GetByTestId("ecg-qtc").FillAsync("428");
            await f.GetByTestId("ecg-interpretation").SelectOptionAsync(nameof(EcgInterpretation.Normal));
        });
        await Assertions.Expect(physician.GetByTestId("ecg-row")).ToContainTextAsync("428");
        await Assertions.Expect(physician.Locator("[data-testid=monitoring-row][data-kind=Ecg]")).ToHaveAttributeAsync("data-status", "Done");

        // The liver panel taken at the referral, 80 days ago: it counts for a course that starts within 90 days of it.
        var today = app.Factory.Services.GetRequiredService<KetaCare.Web.Infrastructure.ClinicTime>().Today(app.Factory.Services.GetRequiredService<TimeProvider>());
        var panelDate = today.AddDays(-80);
        await RecordAsync(physician, patient, "liver", async f =>
        {
            await f.GetByTestId("liver-date").FillAsync(panelDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            await f.GetByTestId("liver-alt").FillAsync("31");
            await f.GetByTestId("liver-ast").FillAsync("26");
            await f.GetByTestId("liver-bilirubin").FillAsync("0.6");
            await f.GetByTestId("liver-ggt").FillAsync("42");
            await f.GetByTestId("liver-alp").FillAsync("88");
        });
        await Assertions.Expect(physician.GetByTestId("liver-row")).ToHaveCountAsync(1);
        await RecordAsync(physician, patient, "consent", f => f.Locator("#Consent_Document").FillAsync("consent-" + mrn + ".pdf"));
        await Assertions.Expect(physician.GetByTestId("consent-row")).ToContainTextAsync("consent-" + mrn + ".pdf");

        // Screening by the nurse: the decongestant (a sympathomimetic) makes it a physician's decision, who signs off.
        await nurse.GotoAsync(url);
        await nurse.GetByTestId("open-screen").ClickAsync();
        await nurse.GetByTestId("screen-protocol").SelectOptionAsync("outpatient-seed");
        await nurse.GetByTestId("screen-button").ClickAsync();
        await ArrivesAtAsync(nurse, ScreenResultUrl());
        await Assertions.Expect(nurse.GetByTestId("screen-result")).ToHaveAttributeAsync("data-result", nameof(EligibilityResult.NeedsPhysicianReview));
        await Assertions.Expect(nurse.GetByTestId("screen-finding").Filter(new() { HasText = "pseudoephedrine" })).Not.ToHaveCountAsync(0);
        await Assertions.Expect(nurse.GetByTestId("screen-tests")).ToContainTextAsync("ECG");
        Assert.Equal(await nurse.GetByTestId("screen-finding").CountAsync(), await nurse.GetByTestId("screen-finding-source").CountAsync());
        await Assertions.Expect(nurse.GetByTestId("awaiting-review")).ToBeVisibleAsync();
        await Assertions.Expect(nurse.GetByTestId("screen-protocol")).ToHaveValueAsync("outpatient-seed");
        await Assertions.Expect(nurse.GetByTestId("review-form")).ToHaveCountAsync(0);
        await physician.GotoAsync(nurse.Url);
        await physician.GetByTestId("review-form").Locator("input[name=Approved][value=yes]").CheckAsync();
        await physician.GetByTestId("review-reason").FillAsync("decongestant stopped a week before the first session; ECG normal");
        await physician.GetByTestId("review-button").ClickAsync();
        await Assertions.Expect(physician.GetByTestId("screen-review")).ToContainTextAsync("decongestant stopped");
        await nurse.ReloadAsync();
        await Assertions.Expect(nurse.GetByTestId("screen-review")).ToContainTextAsync("ECG normal");
        await BrowserApp.ScreenshotAsync(nurse, "screening");

        // The physician previews a start dose above the soft peak limit and prescribes with a reason.
        await physician.GotoAsync(url);
        await physician.GetByTestId("new-plan").ClickAsync();
        await physician.GetByTestId("plan-protocol").SelectOptionAsync("outpatient-seed");
        await physician.GetByTestId("plan-start-dose").FillAsync("1");
        await physician.GetByTestId("preview-button").ClickAsync();
        await Assertions.Expect(physician.GetByTestId("plan-preview")).ToBeVisibleAsync();
        Assert.True(await ImageWidthAsync(physician.GetByTestId("preview-chart")) > 0, "the preview chart did not load");
        var first = physician.GetByTestId("preview-first");
        await Assertions.Expect(first.Locator("[data-testid=limit-finding][data-limit=pk-peak][data-severity=Soft]")).ToHaveCountAsync(1);
        await Assertions.Expect(physician.GetByTestId("preview-highest").Locator("[data-testid=limit-finding], [data-testid=limit-none]").First).ToBeVisibleAsync();
        await Assertions.Expect(first.Locator("[data-testid=preview-figures] tr[data-output=plasma]")).ToHaveCountAsync(1);
        await Assertions.Expect(first.Locator("[data-testid=preview-occupancy] tr[data-target=nmda-forebrain]")).ToHaveCountAsync(1);
        await BrowserApp.ScreenshotAsync(physician, "plan-preview");
        await BrowserApp.TabletScreenshotAsync(physician, "plan-preview");
        await physician.GetByTestId("override-reason").FillAsync("predicted peak just above 250 ng/mL; monitored outpatient infusion");
        await physician.GetByTestId("prescribe-button").ClickAsync();
        await ArrivesAtAsync(physician, PlanUrl());
        await Assertions.Expect(physician.GetByTestId("plan-current-dose")).ToContainTextAsync("1 mg/kg/h");
        await Assertions.Expect(physician.GetByTestId("plan-history")).ToContainTextAsync("monitored outpatient infusion");

        // A session today, booked on the plan page; the nurse finds it on her dashboard.
        await physician.GetByTestId("schedule-button").ClickAsync();
        await Assertions.Expect(physician.GetByTestId("plan-sessions").GetByTestId("session-row")).ToHaveCountAsync(1);
        await nurse.GotoAsync("/");
        var booked = nurse.GetByTestId("today-session").Filter(new() { HasText = mrn });
        await Assertions.Expect(booked.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "Scheduled");
        await booked.GetByTestId("today-session-link").ClickAsync();
        await ArrivesAtAsync(nurse, SessionUrl());
        var sessionId = new SessionId(IdIn(nurse, "/Sessions/"));
        var session = "/Sessions/" + sessionId.Value;
        var badge = nurse.Locator("#state-badge");
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "Scheduled");
        await Assertions.Expect(nurse.GetByTestId("patient-mrn")).ToHaveTextAsync(mrn);

        // Pre-assessment with the baseline, then the pump program.
        await VitalsAsync(nurse.Locator("#form-preassess"), hr: "76", sbp: "128", dbp: "78", pain: "7", sedation: "0", cadss: "0");
        await ChecklistAsync(nurse.Locator("#form-preassess"), app.Factory);
        await nurse.Locator("#btn-preassess").ClickAsync();
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "PreAssessment");
        await nurse.Locator("#btn-program").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("program-check")).ToHaveAttributeAsync("data-checked", "false");
        var rate = (await nurse.GetByTestId("program-rate").InnerTextAsync()).Replace(" mL/h", string.Empty, StringComparison.Ordinal).Trim();
        var vtbi = (await nurse.GetByTestId("program-vtbi").InnerTextAsync()).Replace(" mL", string.Empty, StringComparison.Ordinal).Trim();
        var concentration = (await nurse.GetByTestId("program-concentration").InnerTextAsync()).Split(" mg/mL", 2)[0].Trim();

        // The second nurse reads the pump and the label on her own device, blind: the programmed values stay hidden
        // from her until her check is recorded.
        await nurse2.GotoAsync(session);
        await Assertions.Expect(nurse2.GetByTestId("program-hidden")).ToBeVisibleAsync();
        await Assertions.Expect(nurse2.GetByTestId("program-rate")).ToHaveCountAsync(0);
        await nurse2.GetByTestId("check-rate").FillAsync(rate);
        await nurse2.GetByTestId("check-vtbi").FillAsync(vtbi);
        await nurse2.GetByTestId("check-concentration").FillAsync(concentration);
        await nurse2.GetByTestId("check-weight").FillAsync("64");
        await nurse2.Locator("#btn-check").ClickAsync();
        await Assertions.Expect(nurse2.GetByTestId("program-check")).ToHaveAttributeAsync("data-checked", "true");

        // The clinic keeps the controlled-substance register: the bag is drawn and prepared before the start (the
        // register's own browser test walks those pages).
        await Sessions.SessionPages.PrepareDrugAsync(app.Factory, sessionId);

        // The premedication the protocol orders (ondansetron before the infusion) is given and recorded with who and when.
        await nurse.GotoAsync(session);
        await nurse.Locator("[data-testid=order-row][data-purpose=Premedication]").First.GetByTestId("give-button").ClickAsync();
        await Assertions.Expect(nurse.Locator("[data-testid=given-row][data-purpose=Premedication]")).ToHaveCountAsync(1);

        // The dose is above a soft limit: the nurse is not offered a start she may not make, but told why and who
        // may; the physician overrides and starts.
        await nurse.GotoAsync(session);
        await Assertions.Expect(nurse.GetByTestId("start-needs-physician")).ToBeVisibleAsync();
        await Assertions.Expect(nurse.Locator("#btn-start")).ToHaveCountAsync(0);
        await Assertions.Expect(nurse.Locator("[data-testid=start-findings] li[data-code='limit.pk-peak']")).ToHaveCountAsync(1);
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "PreAssessment");
        await physician.GotoAsync(session);
        await physician.Locator("#override-reason").FillAsync("reviewed: predicted peak 5 % above the soft limit");
        await physician.Locator("#btn-start-override").ClickAsync();
        await Assertions.Expect(physician.Locator("#state-badge")).ToHaveAttributeAsync("data-state", "Running");

        // Running: a systolic of 190 raises the alert banner with the pause suggestion; pause and resume.
        await nurse.GotoAsync(session);
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "Running");
        await Assertions.Expect(nurse.Locator("#current-rate")).Not.ToHaveAttributeAsync("data-rate-ml-h", "0");
        await VitalsAsync(nurse.Locator("#form-observe"), hr: "88", sbp: "190", dbp: "100", sedation: "-1", cadss: "12");
        await nurse.Locator("#btn-observe").ClickAsync();
        var banner = nurse.Locator("#alert-banner");
        await Assertions.Expect(banner).ToHaveAttributeAsync("data-suggested-action", "Pause");
        await Assertions.Expect(banner).ToHaveAttributeAsync("role", "alert");
        await Assertions.Expect(banner.Locator("[data-testid=alert-item][data-action=Pause]")).ToContainTextAsync("190");
        await Assertions.Expect(nurse.GetByTestId("observation-row")).ToHaveCountAsync(2);
        Assert.True(await ImageWidthAsync(nurse.Locator("#timeline-chart")) > 0, "the timeline chart did not load");
        await BrowserApp.ScreenshotAsync(nurse, "session-running");
        await BrowserApp.TabletScreenshotAsync(nurse, "session-running");
        await nurse.Locator("#alert-pause").ClickAsync();
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "Paused");
        await Assertions.Expect(nurse.Locator("#current-rate")).ToHaveAttributeAsync("data-rate-ml-h", "0");

        // The latest vitals (systolic 190) are outside the alert threshold: the nurse cannot resume; the physician
        // resumes with a reason.
        await nurse.Locator("#btn-resume").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("flash-error")).ToHaveAttributeAsync("data-codes", new Regex(@"(^| )vital\.systolic-high( |$)"));
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "Paused");
        await physician.GotoAsync(session);
        await physician.GetByTestId("resume-override").FillAsync("systolic 190 on a cuff too small; manual 150/90");
        await physician.Locator("#btn-resume").ClickAsync();
        await Assertions.Expect(physician.Locator("#state-badge")).ToHaveAttributeAsync("data-state", "Running");

        // Normal vital signs and pain clear the banner; complete with the volume the pump shows, recovery, a recovery
        // observation.
        await nurse.GotoAsync(session);
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "Running");
        await VitalsAsync(nurse.Locator("#form-observe"), hr: "78", sbp: "132", dbp: "80", pain: "4", sedation: "0", cadss: "8");
        await nurse.Locator("#btn-observe").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("observation-row")).ToHaveCountAsync(3);
        await Assertions.Expect(banner).ToHaveCountAsync(0);

        // An emergence reaction: the midazolam rescue order is given while the infusion runs.
        await nurse.Locator("[data-testid=order-row][data-drug=Midazolam][data-purpose=Rescue]").GetByTestId("give-button").ClickAsync();
        await Assertions.Expect(nurse.Locator("[data-testid=given-row][data-drug=Midazolam][data-purpose=Rescue]")).ToHaveCountAsync(1);
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "Running");
        await nurse.GetByTestId("complete-volume").FillAsync("1");
        await nurse.Locator("#btn-complete").ClickAsync();
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "Completed");
        await nurse.Locator("#btn-recovery").ClickAsync();
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "Recovery");
        await VitalsAsync(nurse.Locator("#form-observe"), hr: "74", sbp: "126", dbp: "76", pain: "3", sedation: "0", cadss: "2", note: "oriented, tolerating fluids");
        await nurse.Locator("#btn-observe").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("observation-row")).ToHaveCountAsync(4);

        // Minutes after the end the patient is not ready (60 minutes of observation): the nurse's discharge is refused,
        // and what stands in the way is listed; the physician discharges early with a reason.
        await Assertions.Expect(nurse.GetByTestId("discharge-findings").Locator("[data-code='discharge.observation-time']")).ToHaveCountAsync(1);
        await nurse.Locator("#aldrete-oxygen").SelectOptionAsync("1");
        await nurse.Locator("#escort").CheckAsync();
        await nurse.Locator("#btn-discharge").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("flash-error")).ToHaveAttributeAsync("data-codes", new Regex(@"(^| )discharge\.observation-time( |$)"));
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "Recovery");
        await physician.GotoAsync(session);
        await physician.Locator("#aldrete-oxygen").SelectOptionAsync("1");
        await physician.Locator("#escort").CheckAsync();
        await physician.GetByTestId("discharge-override").FillAsync("seen at the bedside: alert, walking steadily, escort present");
        await physician.Locator("#btn-discharge").ClickAsync();
        await Assertions.Expect(physician.Locator("#state-badge")).ToHaveAttributeAsync("data-state", "Discharged");
        await nurse.GotoAsync(session);
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "Discharged");
        await Assertions.Expect(nurse.GetByTestId("discharge-aldrete")).ToHaveTextAsync("9 / 10");
        await Assertions.Expect(nurse.Locator("#form-observe")).ToHaveCountAsync(0);
        Assert.True(await ImageWidthAsync(nurse.Locator("#timeline-chart")) > 0, "the timeline chart did not load");
        await BrowserApp.ScreenshotAsync(nurse, "session-discharged");

        // The next dose now waits for the physician: the plan is on her dashboard's titration list.
        await physician.GotoAsync("/");
        await Assertions.Expect(physician.GetByTestId("titration-due-item").Filter(new() { HasText = mrn })).ToHaveCountAsync(1);

        // The physician records a follow-up pain score and sees the course outcome.
        await physician.GotoAsync(url);
        await Assertions.Expect(physician.GetByTestId("chart-sessions").GetByTestId("session-row")).ToHaveCountAsync(1);
        await physician.GetByTestId("open-outcomes").ClickAsync();
        await physician.GetByTestId("followup-nrs").FillAsync("3");
        await physician.Locator("#Note").FillAsync("telephone follow-up");
        await physician.GetByTestId("save-followup").ClickAsync();
        await Assertions.Expect(physician.GetByTestId("trajectory-row").Filter(new() { HasText = "follow-up" })).ToHaveCountAsync(1);
        await Assertions.Expect(physician.GetByTestId("outcome-table").GetByTestId("outcome-row")).ToHaveCountAsync(1);
        await Assertions.Expect(physician.GetByTestId("baseline")).ToHaveTextAsync("7");
        Assert.True(await ImageWidthAsync(physician.GetByTestId("outcome-chart")) > 0, "the outcome chart did not load");
        await BrowserApp.ScreenshotAsync(physician, "outcomes");

        // A second course, booked to start in 30 days: a repeated course needs a liver panel taken within 90 days of
        // its start (the one on the chart will be 110 days old) and a urinary screen; the chart and the dashboard say so.
        await physician.GotoAsync(url);
        await physician.GetByTestId("new-plan").ClickAsync();
        await physician.GetByTestId("plan-protocol").SelectOptionAsync("outpatient-seed");
        await physician.GetByTestId("plan-start-dose").FillAsync("1");
        await physician.GetByTestId("preview-button").ClickAsync();
        await physician.GetByTestId("override-reason").FillAsync("second course after a good response; same dose as the first");
        await physician.GetByTestId("prescribe-button").ClickAsync();
        await ArrivesAtAsync(physician, PlanUrl());
        var secondStart = today.AddDays(30);
        await physician.GetByTestId("schedule-date").FillAsync(secondStart.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await physician.GetByTestId("schedule-button").ClickAsync();
        await Assertions.Expect(physician.GetByTestId("plan-sessions").GetByTestId("session-row")).ToHaveCountAsync(1);
        await physician.GotoAsync(url);
        var liverDue = physician.Locator("[data-testid=monitoring-row][data-kind=LiverPanel]");
        await Assertions.Expect(liverDue).ToHaveAttributeAsync("data-status", "Due");
        await Assertions.Expect(liverDue).ToContainTextAsync("Repeated course");
        await Assertions.Expect(physician.Locator("[data-testid=monitoring-row][data-kind=UrinaryScreen]")).ToHaveAttributeAsync("data-status", "Due");
        await physician.GotoAsync("/");
        await Assertions.Expect(physician.GetByTestId("investigation-due-item").Filter(new() { HasText = mrn }).Locator("[data-kind=LiverPanel]")).ToHaveAttributeAsync("data-status", "Due");

        // What the browser did is what the services read back.
        var stored = await StoredSessionAsync(app, sessionId);
        Assert.Equal(SessionState.Discharged, stored.State);
        Assert.Equal(
            [SessionState.Scheduled, SessionState.PreAssessment, SessionState.Running, SessionState.Paused, SessionState.Running, SessionState.Completed, SessionState.Recovery, SessionState.Discharged],
            stored.Transitions.Select(t => t.To));
        Assert.Equal([128, 190, 132, 126], stored.Observations.ActiveValues.Select(o => o.Systolic!.Value));
        Assert.Equal(4, stored.Observations.ActiveValues.Count());
        var alert = Assert.Single(stored.Alerts, a => a.Alert.Id == "systolic-high");
        Assert.Equal(SuggestedAction.Pause, alert.Alert.Action);
        Assert.Contains("190", stored.Transitions.Single(t => t.To == SessionState.Paused).Reason, StringComparison.Ordinal);
        Assert.Equal(DemoSeed.DemoNurse, stored.Program!.ProgrammedBy);
        Assert.Equal(DemoSeed.DemoSecondNurse, stored.Program.Check!.By);
        Assert.Contains(stored.Authorization!.Overrides, o => o.By == DemoSeed.DemoPhysician && o.Reason.Contains("5 % above", StringComparison.Ordinal));
        Assert.Equal(9, stored.DischargeAldrete!.Total);
        Assert.All(stored.Transitions.Where(t => t.To == SessionState.Running), t => Assert.Equal(DemoSeed.DemoPhysician, t.By));
        Assert.Equal(DemoSeed.DemoPhysician, stored.Transitions[^1].By);
        Assert.Equal(1, stored.PumpVolumeMl);

        await using (var db = app.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser))
        {
            var (assessment, review) = Assert.Single(await new TreatmentService(db, TimeProvider.System).AssessmentsAsync(patient, DemoSeed.SeedUser));
            Assert.Equal(EligibilityResult.NeedsPhysicianReview, assessment.Evaluation.Result);
            Assert.Equal(DemoSeed.DemoNurse, assessment.RecordedBy);
            Assert.True(review!.Approved);
            Assert.Equal(DemoSeed.DemoPhysician, review.By);
        }

        var chart = await StoredChartAsync(app, patient);
        Assert.Equal(mrn, chart.Demographics.MedicalRecordNumber);
        var consent = Assert.Single(chart.Consents.ActiveValues);
        Assert.Equal(ConsentKind.OffLabelKetamineForPain, consent.Kind);
        Assert.Equal("consent-" + mrn + ".pdf", consent.DocumentReference);
        Assert.Equal(64, Assert.Single(chart.Measurements.ActiveValues).Weight.Kilograms, 9);
        Assert.Equal(2, chart.PriorTreatments.ActiveValues.Count());
        Assert.Equal(new LiverPanel(panelDate, 31, 26, 0.6, 42, 88), Assert.Single(chart.LiverPanels.ActiveValues));
        Assert.Equal(new EcgRecord(Assert.Single(chart.Ecgs.ActiveValues).RecordedOn, EcgRhythm.Sinus, 428, EcgInterpretation.Normal), chart.Ecgs.ActiveValues.Single());
        Assert.Contains(chart.Medications.ActiveValues, m => m.Name == "pseudoephedrine" && m.Interactions == InteractionClass.Sympathomimetic);
        var plans = await StoredPlansAsync(app, patient);
        Assert.Equal(2, plans.Count); // the course given, and the second one booked ahead
        var plan = plans.Single(p => p.Id == stored.PlanId);
        Assert.Equal(1, plan.StartDose.Value, 12);
        Assert.Equal(plan.Id, stored.PlanId);
        Assert.Empty(problems);
    }

    /// <summary>Types a row of vital signs into the observation fields of <paramref name="form"/> (SpO₂ 98 and RR 14 unless given).</summary>
    /// <summary>Answers the pre-session checklist so that it passes: fasting since 8 h before the app's now, escort, no driving, no new medications.</summary>
    internal static async Task ChecklistAsync(ILocator form, WebAppFactory app)
    {
        var clock = app.Services.GetRequiredService<TimeProvider>();
        var fasting = app.Services.GetRequiredService<ClinicTime>().Local(clock.GetUtcNow().AddHours(-8)).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        await form.Locator("#fasting-since").FillAsync(fasting);
        await form.Locator("#escort-confirmed").CheckAsync();
        await form.Locator("#no-driving").CheckAsync();
        await form.Locator("#no-new-medications").CheckAsync();
    }

    internal static async Task VitalsAsync(ILocator form, string hr, string sbp, string dbp, string? pain = null, string sedation = "0", string? cadss = null, string? note = null)
    {
        await form.Locator("#obs-hr").FillAsync(hr);
        await form.Locator("#obs-sbp").FillAsync(sbp);
        await form.Locator("#obs-dbp").FillAsync(dbp);
        await form.Locator("#obs-spo2").FillAsync("98");
        await form.Locator("#obs-rr").FillAsync("14");
        await form.Locator("#obs-sedation").FillAsync(sedation);
        await form.Locator("#obs-scale").SelectOptionAsync("Rass");
        if (pain is not null)
        {
            await form.Locator("#obs-pain").FillAsync(pain);
        }

        if (cadss is not null)
        {
            await form.Locator("#obs-cadss").FillAsync(cadss);
        }

        if (note is not null)
        {
            await form.Locator("#obs-note").FillAsync(note);
        }
    }
}
