using System.Diagnostics;
using System.Text.RegularExpressions;
using KetaCare.Clinic;
using KetaCare.Clinic.Users;
using KetaCare.Web.Pages.Sessions;
using KetaCare.Web.Tests.Matrix;
using Microsoft.Playwright;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// The Turkish interface leaves no English behind: every page each role may open, and the states a walk through a
/// session reaches — a validation error, the alert banner, a refusal — and the Turkish session report and course
/// summary. English is found by its common words (the, and, of, with…) and its hour units (mL/h), not only by the
/// catalogue's own sentences, so a text that never reached the catalogue is found too. Citations of published works
/// keep their language and are marked lang="en"; what users typed (the demo data's notes) is theirs.
/// </summary>
[Trait("Kind", "Browser")]
public sealed partial class TurkishWalkBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    // The page's words without citations (lang="en"), scripts, identifiers (code), the stored values an edit form
    // holds (textarea: a record is edited as it was written) and the domain sentences still built in English
    // ([data-untranslated], only of the kinds in KnownUntranslated), plus the words a user reads in placeholders,
    // titles and accessible labels.
    private const string VisibleText = """
        () => {
          const c = document.body.cloneNode(true);
          c.querySelectorAll('[lang=en], script, style, code, textarea, [data-untranslated]').forEach(e => e.remove());
          const attributes = [...c.querySelectorAll('[placeholder], [title], [aria-label]')]
            .map(e => ['placeholder', 'title', 'aria-label'].map(a => e.getAttribute(a) || '').join(' '));
          return [...c.querySelectorAll('*')].length ? c.innerText + '\n' + c.textContent + '\n' + attributes.join('\n') : '';
        }
        """;

    // Free text the demo data was typed with: what a clinician wrote stays in their words.
    private static readonly string[] DemoFreeText =
    [
        "pre-infusion baseline", "recovery: oriented, tolerating fluids", "telephone follow-up",
        "demo: predicted peak reviewed with the patient's previous sessions", "CRPS type I, left upper limb, after a wrist fracture",
        "1 g up to four times daily", "1 g twice daily", "150 mg twice daily", "25 mg at night", "600 mg three times daily",
        "controlled on ramipril", "uncontrolled: 186/112 mmHg at screening", "graded motor imagery",
        "skin redness under cannula dressings", "good week", "walking less", "pain back in the evenings",
        "drug-waste container with activated charcoal",
    ];

    // Kinds of English text a page may still mark as untranslated ([data-untranslated]): none. Text stored before it
    // was coded is marked lang="en" instead, and the demo has none.
    private static readonly string[] KnownUntranslated = [];

    private const string UntranslatedKinds = "() => [...new Set([...document.querySelectorAll('[data-untranslated]')].map(e => e.dataset.untranslated))]";

    [Fact]
    public async Task EveryPageOfEveryRole_InTurkish_ShowsNoEnglish()
    {
        var ids = await DemoIds.LoadAsync(app.Factory);
        var found = new List<string>();
        foreach (var role in ClinicRoles.Stored)
        {
            var page = await app.RolePageAsync(role, "tr-TR");
            foreach (var path in TabletBrowserTests.Pages(role))
            {
                await page.GotoAsync(DemoIds.Resolve(ids, path));
                found.AddRange(English(await page.EvaluateAsync<string>(VisibleText)).Select(e => $"{role} {path}: {e}"));
                found.AddRange((await page.EvaluateAsync<string[]>(UntranslatedKinds)).Except(KnownUntranslated).Select(k => $"{role} {path}: untranslated kind \"{k}\""));
            }

            await page.Context.CloseAsync();
        }

        Assert.True(found.Count == 0, Report(found, "on Turkish pages"));
    }

    [Fact]
    public async Task SessionStatesAndReports_InTurkish_ShowNoEnglish()
    {
        var found = new List<string>();
        var nurse = await app.RolePageAsync(ClinicRoles.Nurse, "tr-TR");
        var nurse2 = await app.RolePageAsync(ClinicRoles.Nurse, "tr-TR");
        await BrowserApp.SignInAsync(nurse2, "nurse2");
        var physician = await app.RolePageAsync(ClinicRoles.Physician, "tr-TR");
        async Task Check(IPage page, string state) => found.AddRange(English(await page.EvaluateAsync<string>(VisibleText)).Select(e => $"{state}: {e}"));

        await nurse.GotoAsync("/");
        await nurse.GetByTestId("today-session").Filter(new() { HasText = DemoToday.PatientRecordNumber }).GetByTestId("today-session-link").ClickAsync();
        await BrowserSteps.ArrivesAtAsync(nurse, BrowserSteps.SessionUrl());
        var id = new SessionId(BrowserSteps.IdIn(nurse, "/Sessions/"));
        var session = "/Sessions/" + id.Value;
        var badge = nurse.Locator("#state-badge");

        // A validation error: a heart rate that is not a number.
        await CourseBrowserTests.VitalsAsync(nurse.Locator("#form-preassess"), hr: "7x", sbp: "128", dbp: "78", pain: "7");
        await nurse.Locator("#btn-preassess").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("flash-error").Or(nurse.Locator(".error, [role=alert]")).First).ToBeVisibleAsync();
        await Check(nurse, "validation error");

        // Baseline, pump program, a blind second check by the second nurse, the physician's override start.
        await CourseBrowserTests.VitalsAsync(nurse.Locator("#form-preassess"), hr: "76", sbp: "128", dbp: "78", pain: "7");
        await CourseBrowserTests.ChecklistAsync(nurse.Locator("#form-preassess"), app.Factory);
        await nurse.Locator("#btn-preassess").ClickAsync();
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "PreAssessment");
        await nurse.Locator("#btn-program").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("program-check")).ToHaveAttributeAsync("data-checked", "false");
        await Check(nurse, "pump programmed");
        var program = (await BrowserSteps.StoredSessionAsync(app, id)).Program!;
        await nurse2.GotoAsync(session);
        await nurse2.GetByTestId("check-rate").FillAsync(Number(program.RateMlPerHour));
        await nurse2.GetByTestId("check-vtbi").FillAsync(Number(program.VtbiMl));
        await nurse2.GetByTestId("check-concentration").FillAsync(Number(program.Preparation.Concentration.MilligramsPerMilliliter));
        await nurse2.GetByTestId("check-weight").FillAsync(Number(program.Weight.Kilograms));
        await nurse2.Locator("#btn-check").ClickAsync();
        await Assertions.Expect(nurse2.GetByTestId("program-check")).ToHaveAttributeAsync("data-checked", "true");
        await Sessions.SessionPages.PrepareDrugAsync(app.Factory, id);
        await nurse.GotoAsync(session);
        await Check(nurse, "ready to start");
        await physician.GotoAsync(session);
        if (await physician.Locator("#btn-start-override").CountAsync() > 0)
        {
            await physician.Locator("#override-reason").FillAsync("gözden geçirildi");
            await physician.Locator("#btn-start-override").ClickAsync();
        }
        else
        {
            await nurse.Locator("#btn-start").ClickAsync();
        }

        // The alert banner: a systolic of 190.
        await nurse.GotoAsync(session);
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "Running");
        await CourseBrowserTests.VitalsAsync(nurse.Locator("#form-observe"), hr: "88", sbp: "190", dbp: "100", sedation: "-1", cadss: "12");
        await nurse.Locator("#btn-observe").ClickAsync();
        await Assertions.Expect(nurse.Locator("#alert-banner")).ToHaveAttributeAsync("data-suggested-action", "Pause");
        await Check(nurse, "alert banner");

        // A refusal: the nurse may not resume while the latest vitals are outside the thresholds.
        await nurse.Locator("#alert-pause").ClickAsync();
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "Paused");
        await nurse.Locator("#btn-resume").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("flash-error")).ToHaveAttributeAsync("data-codes", new Regex(@"(^| )vital\.systolic-high( |$)"));
        await Check(nurse, "refusal");

        // The reports the Turkish user downloads.
        var patient = (await BrowserSteps.StoredSessionAsync(app, id)).PatientId;
        foreach (var (name, url) in new[] { ("session report", $"/exports/sessions/{id.Value}/report.pdf"), ("course summary", $"/exports/patients/{patient.Value}/course.pdf") })
        {
            var response = await nurse.Context.APIRequest.GetAsync(url);
            Assert.True(response.Ok, $"{name}: HTTP {response.Status}");
            var text = PdfText(await response.BodyAsync(), name);
            if (text is not null)
            {
                Assert.Contains("Hasta", text, StringComparison.Ordinal);
                found.AddRange(English(text).Select(e => $"{name} (PDF): {e}"));
            }
        }

        foreach (var p in new[] { nurse, nurse2, physician })
        {
            await p.Context.CloseAsync();
        }

        Assert.True(found.Count == 0, Report(found, "in Turkish states"));
    }

    [Fact]
    public async Task ValidationErrors_InTurkish_ShowNoEnglish()
    {
        var found = new List<string>();
        var ids = await DemoIds.LoadAsync(app.Factory);
        var physician = await app.RolePageAsync(ClinicRoles.Physician, "tr-TR");
        var admin = await app.RolePageAsync(ClinicRoles.Admin, "tr-TR");
        async Task Check(IPage page, string state, string testId, params string[] turkish)
        {
            var error = page.GetByTestId(testId);
            await Assertions.Expect(error).ToBeVisibleAsync();
            foreach (var t in turkish)
            {
                await Assertions.Expect(error).ToContainTextAsync(t);
            }

            found.AddRange(English(await page.EvaluateAsync<string>(VisibleText)).Select(e => $"{state}: {e}"));
        }

        // The simulator: a dose typed with its unit in the amount, and a seed that is not a whole number.
        await physician.GotoAsync("/Simulator");
        await physician.GetByTestId("sim-dose-amount-0").FillAsync("0.5 mg/kgg");
        await physician.GetByTestId("sim-pop").CheckAsync();
        await physician.GetByTestId("sim-pop-seed").FillAsync("12x");
        await physician.GetByTestId("sim-run").ClickAsync();
        await Check(physician, "simulator, bad dose and seed", "sim-error", "doz 1 miktarı", "\"0.5 mg/kgg\"", "tohum: \"12x\"");

        // A unit the form does not offer (a hand-made request), and a model that does not exist.
        await physician.GotoAsync("/Simulator?model=domino1984&weight=70&hours=4&mode=regimen&route=iv&doses[0].amount=0.5&doses[0].unit=mg%2Fkgg&doses[0].over=40");
        await Check(physician, "simulator, unknown unit", "sim-error", "doz 1 birimi", "\"mg/kgg\"");
        await physician.GotoAsync("/Simulator?model=nomodel&weight=70&hours=4");
        await Check(physician, "simulator, unknown model", "sim-error", "\"nomodel\" bilinen bir model değil");

        // The new-plan preview: a start dose typed with a unit, and a model that does not exist.
        var plan = $"/Patients/{ids["{patient}"]}/Plan/New?ProtocolId=outpatient-seed&PreparationId=bag-1";
        await physician.GotoAsync(plan + "&ModelId=domino1984&StartDose=" + Uri.EscapeDataString("0.5 mg/kgg"));
        await Check(physician, "new plan, bad dose", "form-error", "\"0.5 mg/kgg\"");
        await physician.GotoAsync(plan + "&ModelId=nomodel&StartDose=0.5");
        await Check(physician, "new plan, unknown model", "form-error", "\"nomodel\" bilinen bir model değil");

        // An admin form: a protocol revision with a course length that is not a number; nothing is saved.
        await admin.GotoAsync("/Admin/Protocols/rema2012");
        await admin.GetByTestId("protocol-sessions").FillAsync("12x");
        await admin.GetByTestId("protocol-reason").FillAsync("kür uzunluğu gözden geçirildi");
        await admin.GetByTestId("protocol-save").ClickAsync();
        await Check(admin, "admin protocol, bad sessions", "protocol-error", "seanslar", "\"12x\"");

        // A course length that is a number but out of range: refused naming the allowed range.
        await admin.GetByTestId("protocol-sessions").FillAsync("999");
        await admin.GetByTestId("protocol-reason").FillAsync("kür uzunluğu gözden geçirildi");
        await admin.GetByTestId("protocol-save").ClickAsync();
        await Check(admin, "admin protocol, sessions out of range", "protocol-error", "seanslar: 999", "1–50");

        // A premedication or rescue order above the drug library's hard limit: refused naming the order's dose field.
        await admin.GetByTestId("protocol-sessions").FillAsync("5");
        await admin.GetByTestId("protocol-order-drug").Last.SelectOptionAsync("Midazolam");
        await admin.GetByTestId("protocol-order-route").Last.SelectOptionAsync("iv");
        await admin.GetByTestId("protocol-order-dose").Last.FillAsync("6");
        await admin.GetByTestId("protocol-reason").FillAsync("kurtarma istemi eklendi");
        await admin.GetByTestId("protocol-save").ClickAsync();
        await Check(admin, "admin protocol, order above the hard limit", "protocol-error", "dozu: 6 mg", "en çok 5 mg");

        // Patient registration: a birth date in the future (refused by the chart's limits), then a weight out of range.
        async Task Register(string born, string weight)
        {
            await physician.GotoAsync("/Patients/New");
            await physician.GetByTestId("register-mrn").FillAsync("TR-CHECK-1");
            await physician.GetByTestId("register-given").FillAsync("Ayşe");
            await physician.GetByTestId("register-family").FillAsync("Yılmaz");
            await physician.GetByTestId("register-born").FillAsync(born);
            await physician.GetByTestId("register-weight").FillAsync(weight);
            await physician.GetByTestId("register-submit").ClickAsync();
        }

        await Register("2099-01-01", "70");
        await Check(physician, "registration, birth date in the future", "form-error", "doğum tarihi", "01.01.2099");
        await Register("1980-01-01", "700");
        await Check(physician, "registration, weight out of range", "form-error", "700");

        foreach (var p in new[] { physician, admin })
        {
            await p.Context.CloseAsync();
        }

        Assert.True(found.Count == 0, Report(found, "in Turkish validation errors"));
    }

    [Theory]
    [InlineData("Rate changed.", true)]
    [InlineData("infüzyon: 5 mL/h", true)]
    [InlineData("Süre 60 min", true)]
    [InlineData("The dose is above the limit", true)]
    [InlineData("Hız 5 mL/sa; doz 0,5 mg/kg/sa, süre 60 dk. Not: hasta iyi.", false)]
    [InlineData("Seans raporu · pre-infusion baseline", false)]
    public void English_FindsCommonEnglishWordsAndHourUnits(string text, bool english) => Assert.Equal(english, English(text).Count > 0);

    // Each English text once, with the first place it was seen: "where: what".
    private static string Report(List<string> found, string where)
    {
        var distinct = found.GroupBy(f => f[(f.IndexOf(": ", StringComparison.Ordinal) + 2)..], StringComparer.Ordinal).Select(g => g.First()).ToList();
        return $"{distinct.Count} English text(s) {where}:\n" + string.Join("\n", distinct.Take(300));
    }

    /// <summary>The places in <paramref name="text"/> that read as English, each with a little context.</summary>
    private static List<string> English(string text)
    {
        foreach (var free in DemoFreeText)
        {
            text = text.Replace(free, " ", StringComparison.Ordinal);
        }

        var hits = new List<string>();
        foreach (var regex in new[] { EnglishWord(), HourUnit(), EnglishCatalogueText() })
        {
            foreach (Match m in regex.Matches(text))
            {
                var from = Math.Max(0, m.Index - 40);
                var to = Math.Min(text.Length, m.Index + m.Length + 40);
                hits.Add($"\"{m.Value}\" in …{Regex.Replace(text[from..to], @"\s+", " ")}…");
            }
        }

        return hits;
    }

    // Common English words that are not Turkish words. Left out: "not" (Turkish for a note), "can" (a
    // Turkish name), "on" (ten), "a", "in", "at".
    [GeneratedRegex(@"(?<![\p{L}\p{N}\-/])(the|and|of|with|is|are|for|to|from|was|were|has|have|this|that|by|or|be|your|you|will|may|must|than|after|before|only|none|yet|changed|recorded)(?![\p{L}\p{N}\-/])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnglishWord();

    // Turkish writes the hour "sa" and the minute "dk": mL/sa, mg/kg/sa, 60 dk.
    [GeneratedRegex(@"(?<![\p{L}])(mL/h|mg/h|mg/kg/h|/h|\d\s?min|\d\s?h)(?![\p{L}])", RegexOptions.CultureInvariant)]
    private static partial Regex HourUnit();

    // The catalogue's own English sentences that read differently in Turkish (long enough not to be a code or a name).
    private static Regex EnglishCatalogueText() => CatalogueText.Value;

    private static readonly Lazy<Regex> CatalogueText = new(() =>
    {
        var english = TurkishTexts.English.Values
            .Where(en => en.Contains(' ', StringComparison.Ordinal) && en.Length >= 12 && !en.Contains('{', StringComparison.Ordinal))
            .Where(en => TurkishTexts.English.Where(kv => kv.Value == en).All(kv => TurkishTexts.Of(kv.Key) != en))
            .Distinct()
            .Select(Regex.Escape);
        return new Regex(string.Join("|", english), RegexOptions.CultureInvariant);
    });

    private static string Number(double v) => KetaCare.Pharmacology.Units.SafeNumber.FormatFor(TurkishTexts.Culture, v, 6);

    /// <summary>The PDF's text by pdftotext; null (the check skipped, the reason printed) when it is not installed, unless KETACARE_REQUIRE_ALL=1.</summary>
    private static string? PdfText(byte[] pdf, string name)
    {
        const string tool = "/usr/bin/pdftotext";
        if (!File.Exists(tool))
        {
            var reason = $"{name}: {tool} is not installed (Debian package poppler-utils); the PDF's text was not checked";
            Assert.False(Environment.GetEnvironmentVariable("KETACARE_REQUIRE_ALL") == "1", reason + " (KETACARE_REQUIRE_ALL=1).");
            Console.WriteLine(reason + ".");
            return null;
        }

        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, pdf);
            using var process = Process.Start(new ProcessStartInfo(tool, [file, "-"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            return text;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
