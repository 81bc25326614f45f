using System.Globalization;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Interop.Reports;
using KetaCare.Interop.Text;
using KetaCare.Pharmacology.Units;
using UglyToad.PdfPig;

namespace KetaCare.Interop.Tests.Reports;

public sealed class PdfReportTests
{
    internal static (int Pages, string Text) ReadPdf(byte[] pdf) => Read(pdf);

    private static (int Pages, string Text) Read(byte[] pdf)
    {
        using var doc = PdfDocument.Open(pdf);
        return (doc.NumberOfPages, string.Join("\n", doc.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text)))));
    }

    [Fact]
    public async Task SessionReport_DemoSession_ShowsThePatientTheRateSegmentFiguresAndTheSigners()
    {
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, _, sessions) = await db.CrpsAsync();
        var session = sessions[1];
        await using var c = db.Open();

        var pdf = await new ReportService(c, db.Clock).SessionReportAsync(session.Id, SeededDatabase.Reader, TestContext.Current.CancellationToken);

        Assert.True(pdf.IsSuccess, pdf.IsSuccess ? null : pdf.Error);
        var (pages, text) = Read(pdf.Value);
        Assert.True(pages > 1);
        Assert.Contains("Elif Yılmaz", text, StringComparison.Ordinal);
        Assert.Contains(patient.Demographics.MedicalRecordNumber, text, StringComparison.Ordinal);
        var segment = session.Segments.Single();
        Assert.Contains(SafeNumber.Format(segment.RateMlPerHour) + " mL/h", text, StringComparison.Ordinal);
        Assert.Contains(SafeNumber.Format(segment.Rate.MilligramsPerHour), text, StringComparison.Ordinal);
        Assert.Contains(session.DoseGiven(db.Clock.GetUtcNow()).ToString(), text, StringComparison.Ordinal);
        Assert.Contains(session.Program!.Check!.By.ToString(), text, StringComparison.Ordinal);
        Assert.Contains("Modified Aldrete 10/10", text, StringComparison.Ordinal);

        // The predicted exposure is the one the clinic computes for the same record, printed as the report prints numbers.
        var covariates = patient.Snapshot().CovariatesOn(session.ScheduledFor).Value;
        var plan = (await new TreatmentService(c, db.Clock).GetPlanAsync(session.PlanId, SeededDatabase.Reader, TestContext.Current.CancellationToken)).Value;
        var exposure = SessionExposure.Compute(session, plan.ModelId, covariates).Value;
        Assert.Contains("Predicted exposure", text, StringComparison.Ordinal);
        Assert.Contains("AUC (ng·h/mL) " + TextFormat.Number(exposure.Plasma.AucNgHoursPerMl, CultureInfo.GetCultureInfo("en-GB"), 4), text, StringComparison.Ordinal);
        Assert.Contains($"Page 1 of {pages}", text, StringComparison.Ordinal);
        // The allergy line heads every page beside the patient (the demo patient stated none on 2025-12-29).
        Assert.Equal(pages, System.Text.RegularExpressions.Regex.Count(text, "No known allergies \\(stated 2025-12-29\\)"));
    }

    [Theory]
    [InlineData("en", "Latest investigations", "QTc 480 ms, above 470 ms (prolonged)", "Urine dipstick")]
    [InlineData("tr", "Son tetkikler", "QTc 480 ms", "İdrar çubuk testi")]
    public async Task SessionReport_LatestInvestigationsUpToTheSessionDay_WithDatesAndFlags_InTheReadersLanguage(string language, string heading, string ecg, string urine)
    {
        var culture = CultureInfo.GetCultureInfo(language == "tr" ? "tr-TR" : "en-GB");
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, _, sessions) = await db.CrpsAsync();
        var session = sessions[1];
        var day = session.ScheduledFor;
        await using (var w = db.Open())
        {
            var service = new PatientService(w, db.Clock);
            var version = patient.Version;
            async Task Record<T>(T value)
                where T : notnull
            {
                var r = await service.RecordAsync(patient.Id, version, value, SeededDatabase.Reader, TestContext.Current.CancellationToken);
                Assert.True(r.IsSuccess, r.IsSuccess ? null : r.Error);
                version++;
            }

            await Record(new LiverPanel(day.AddDays(-40), 20, 22, 0.5, null, null));
            await Record(new LiverPanel(day.AddDays(-3), 130, 38, 0.7, null, null));
            await Record(new EcgRecord(day.AddDays(-3), EcgRhythm.Sinus, 480, EcgInterpretation.Normal));
            await Record(new Urinalysis(day.AddDays(-2), DipstickResult.Plus1, DipstickResult.Negative));
            await Record(new LiverPanel(day.AddDays(1), 999, 38, 0.7, null, null)); // after the session: not in its report
        }

        await using var c = db.Open();
        var pdf = await new ReportService(c, db.Clock, culture).SessionReportAsync(session.Id, SeededDatabase.Reader, TestContext.Current.CancellationToken);

        var (_, text) = Read(pdf.Value);
        Assert.Contains(heading, text, StringComparison.Ordinal);
        Assert.Contains(TextFormat.Date(day.AddDays(-3), culture), text, StringComparison.Ordinal);
        Assert.Contains("130 HH", text, StringComparison.Ordinal);
        Assert.DoesNotContain(TextFormat.Date(day.AddDays(-40), culture), text, StringComparison.Ordinal);
        Assert.DoesNotContain("999", text, StringComparison.Ordinal);
        Assert.Contains(ecg, text, StringComparison.Ordinal);
        Assert.Contains(urine, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionReport_SignersInTheUserDirectory_AreNamedNotNumbered()
    {
        await using var db = await SeededDatabase.CreateAsync();
        var (_, _, sessions) = await db.CrpsAsync();
        var session = sessions[1];
        await using (var w = db.Open())
        {
            w.Users.Add(new KetaCare.Clinic.Users.ClinicUser { Id = session.Program!.Check!.By.Value, UserName = "mehmet", NormalizedUserName = "MEHMET", DisplayName = "Nurse Mehmet Öz" });
            await w.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var c = db.Open();
        var pdf = await new ReportService(c, db.Clock).SessionReportAsync(session.Id, SeededDatabase.Reader, TestContext.Current.CancellationToken);
        var (_, text) = Read(pdf.Value);
        Assert.Contains("Nurse Mehmet Öz (mehmet)", text, StringComparison.Ordinal);
        Assert.DoesNotContain(session.Program!.Check!.By.ToString(), text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "compared: pain diary (patient-reported)", "(patient-reported)")]
    [InlineData("tr", "ağrı günlüğü (hasta bildirimi)", "(hasta bildirimi)")]
    public async Task CourseReport_PatientReportedScores_AreMarkedWithTheirSource(string language, string comparedFromDiary, string mark)
    {
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, _, _) = await db.CrpsAsync();
        await using var c = db.Open();
        var patients = new PatientService(c, db.Clock);
        var version = (await patients.OpenChartAsync(patient.Id, SeededDatabase.Reader, TestContext.Current.CancellationToken)).Value.Version;
        var changed = await patients.ChangeAsync(
            patient.Id,
            version,
            p =>
            {
                p.Record(Clinic.Outcomes.FollowUpPain.Create(db.Clock.GetUtcNow(), 4, null, Clinic.Outcomes.ReportSource.Patient).Value, SeededDatabase.Reader, db.Clock);
                p.Record(new Clinic.Outcomes.PgicAssessment(new DateOnly(2026, 1, 20), Clinic.Outcomes.Pgic.Create(6).Value, Clinic.Outcomes.ReportSource.Patient), SeededDatabase.Reader, db.Clock);
                p.Record(new Clinic.Outcomes.PgicAssessment(new DateOnly(2026, 1, 19), Clinic.Outcomes.Pgic.Create(5).Value), SeededDatabase.Reader, db.Clock);
                return Clinic.Outcome.Ok();
            },
            SeededDatabase.Reader,
            TestContext.Current.CancellationToken);
        Assert.True(changed.IsSuccess, changed.Error);

        var pdf = await new ReportService(c, db.Clock, CultureInfo.GetCultureInfo(language)).CourseReportAsync(patient.Id, SeededDatabase.Reader, TestContext.Current.CancellationToken);

        var (_, text) = Read(pdf.Value);
        Assert.Contains(comparedFromDiary, text, StringComparison.Ordinal);
        // The PGIC answers are one paragraph of "; "-separated items.
        var parts = text.Split(';');
        Assert.Contains(mark, parts.Single(x => x.Contains("PGIC 6", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain(mark, parts.Single(x => x.Contains("PGIC 5", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CourseReport_DemoCourse_ShowsDosesAndTheResponderStatus()
    {
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, _, _) = await db.CrpsAsync();
        await using var c = db.Open();
        var outcome = (await new OutcomeService(c, db.Clock).CourseAsync(patient.Id, SeededDatabase.Reader, TestContext.Current.CancellationToken)).Value;

        var pdf = await new ReportService(c, db.Clock).CourseReportAsync(patient.Id, SeededDatabase.Reader, TestContext.Current.CancellationToken);

        var (_, text) = Read(pdf.Value);
        // The demo's baseline is the first session's pre-infusion 7; the compared score the last follow-up 5, not the
        // second session's in-session 3.
        Assert.Contains("NRS 7 → 5 (28.6 % reduction): non-responder Baseline: pre-infusion score of the first session, 2026-01-06; compared: follow-up, 2026-01-18.", text, StringComparison.Ordinal);
        Assert.Equal(Clinic.Outcomes.PainScoreKind.FollowUp, outcome.Responder!.Basis!.CurrentKind);
        Assert.All(outcome.PerSession, s => Assert.Contains(s.DoseGiven.ToString(), text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reports_CancelledToken_StopRenderingWithoutADocument()
    {
        // The web app cancels a report when its client leaves or its time limit passes; rendering must stop.
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, _, sessions) = await db.CrpsAsync();
        await using var c = db.Open();
        var facts = await new ReportService(c, db.Clock).FactsAsync(patient.Id, SeededDatabase.Reader, null, TestContext.Current.CancellationToken);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.Throws<OperationCanceledException>(() => PatientDocuments.Leaflet(facts.Value, ReportLanguage.English, cancelled.Token));
        Assert.Throws<OperationCanceledException>(() => PatientDocuments.Consent(facts.Value, ReportLanguage.Turkish, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ReportService(c, db.Clock).SessionReportAsync(sessions[1].Id, SeededDatabase.Reader, cancelled.Token));
        Assert.NotEmpty(PatientDocuments.Leaflet(facts.Value, ReportLanguage.English, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task LeafletAndConsent_WithTheClinicsDetails_PrintTheLetterheadContactsRegulatorInitialsAndNoInternalCodes()
    {
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, _, sessions) = await db.CrpsAsync();
        await using var c = db.Open();
        var ct = TestContext.Current.CancellationToken;
        var clinic = new KetaCare.Clinic.Clinics.ClinicIdentity("Ağrı Kliniği", "Hastane Cad. 1, Ankara", "+90 312 000 00 00", "+90 555 111 22 33 (24 saat)", "TİTCK (Türkiye)");
        Assert.True((await new SettingsService(c, db.Clock).ReviseClinicIdentityAsync(clinic, 0, "opening", SeededDatabase.Reader, ct)).IsSuccess);
        var service = new ReportService(c, db.Clock);

        var (_, leaflet) = Read((await service.LeafletAsync(patient.Id, ReportLanguage.English, SeededDatabase.Reader, cancellationToken: ct)).Value);
        var (_, consent) = Read((await service.ConsentFormAsync(patient.Id, ReportLanguage.Turkish, SeededDatabase.Reader, cancellationToken: ct)).Value);
        var (_, report) = Read((await service.SessionReportAsync(sessions[1].Id, SeededDatabase.Reader, ct)).Value);

        foreach (var expected in new[] { "Ağrı Kliniği · Hastane Cad. 1, Ankara · +90 312 000 00 00", "+90 555 111 22 33 (24 saat)", "TİTCK (Türkiye)", "born " + patient.Demographics.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) })
        {
            Assert.Contains(expected, leaflet, StringComparison.Ordinal);
        }

        Assert.Contains("Paraf: ________", consent, StringComparison.Ordinal);
        Assert.Contains("imza / tarih / saat", consent, StringComparison.Ordinal);
        Assert.Contains("Ağrı Kliniği", report, StringComparison.Ordinal);
        foreach (var text in new[] { leaflet, consent })
        {
            Assert.DoesNotContain("OffLabelKetamineForPain", text, StringComparison.Ordinal);
            Assert.DoesNotContain("clinical-reference", text, StringComparison.Ordinal);
            Assert.DoesNotContain(".md", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Leaflet_Turkish_KeepsTurkishLettersIsFilledFromThePlanAndRunsOverPages()
    {
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, plan, _) = await db.CrpsAsync();
        await using var c = db.Open();

        var pdf = await new ReportService(c, db.Clock).LeafletAsync(patient.Id, ReportLanguage.Turkish, SeededDatabase.Reader, cancellationToken: TestContext.Current.CancellationToken);

        var (pages, text) = Read(pdf.Value);
        Assert.True(pages > 1, $"{pages} page(s)");
        var turkish = CultureInfo.GetCultureInfo("tr-TR");
        foreach (var word in new[] { "ağrı", "Ağrıya", "şikâyet", "kullanmayın", "NMDA", "glutamat", "1970", "Elif Yılmaz", "DEMO-0001", TextFormat.Dose(plan.StartDose, turkish), TextFormat.Dose(plan.Protocol.Ceiling, turkish), $"Sayfa 1 / {pages}" })
        {
            Assert.Contains(word, text, StringComparison.Ordinal);
        }

        // Hazard: a Turkish reader misreads "0.5" or an English hour unit.
        Assert.DoesNotContain("mg/kg/h", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsentForm_English_NamesTheConsentKindAndFormVersion()
    {
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, _, _) = await db.CrpsAsync();
        await using var c = db.Open();

        var pdf = await new ReportService(c, db.Clock).ConsentFormAsync(patient.Id, ReportLanguage.English, SeededDatabase.Reader, cancellationToken: TestContext.Current.CancellationToken);

        var (_, text) = Read(pdf.Value);
        Assert.Contains(ConsentForm.Version, text, StringComparison.Ordinal);
        Assert.Contains("Consent to: off-label use of ketamine for chronic pain", text, StringComparison.Ordinal); // in words, not the internal kind
        Assert.Contains(ConsentForm.DocumentReference("DEMO-0001", ReportLanguage.English), text, StringComparison.Ordinal);
        Assert.Contains("off-label", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leaflet_NoPlanAndNoProtocol_IsRefusedNamingTheProtocol()
    {
        await using var db = await SeededDatabase.CreateAsync();
        await using var c = db.Open();
        var ineligible = (await new PatientService(c, db.Clock).SearchAsync("DEMO-0003", TestContext.Current.CancellationToken)).Single();
        var service = new ReportService(c, db.Clock);

        var refused = await service.LeafletAsync(ineligible.Id, ReportLanguage.English, SeededDatabase.Reader, cancellationToken: TestContext.Current.CancellationToken);
        var filled = await service.LeafletAsync(ineligible.Id, ReportLanguage.English, SeededDatabase.Reader, "outpatient-seed", TestContext.Current.CancellationToken);

        Assert.False(refused.IsSuccess);
        Assert.StartsWith("protocol:", refused.Error, StringComparison.Ordinal);
        Assert.Contains("Ayşe Kaya", Read(filled.Value).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SystemFonts_Search_FindsDejaVuOrLiberationAndNothingInAnEmptyFolder()
    {
        var empty = Directory.CreateTempSubdirectory("ketacare-nofonts-");
        try
        {
            Assert.Null(SystemFonts.Search([empty.FullName]));
        }
        finally
        {
            empty.Delete();
        }

        var found = SystemFonts.Search(SystemFonts.DefaultDirectories());
        Assert.NotNull(found);
        Assert.Contains(found.Family, new[] { "DejaVu Sans", "Liberation Sans" });
        Assert.True(File.Exists(found.RegularPath));
    }
}
