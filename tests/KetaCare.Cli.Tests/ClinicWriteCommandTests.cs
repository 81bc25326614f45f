using KetaCare.Clinic;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Users;
using Microsoft.AspNetCore.Identity;

namespace KetaCare.Cli.Tests;

/// <summary>The clinic write commands (<c>ketacare patients add|record</c>, …) on a temporary SQLite file, checked against the services.</summary>
public sealed class ClinicWriteCommandTests : IDisposable
{
    private const string Nurse = "00000000-0000-0000-0000-0000000000b1";
    private const string Checker = "00000000-0000-0000-0000-0000000000b2";
    private const string Physician = "00000000-0000-0000-0000-0000000000b3";
    private const string Unregistered = "00000000-0000-0000-0000-0000000000b9";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ketacare-cli-" + Guid.NewGuid().ToString("N"));

    public ClinicWriteCommandTests()
    {
        Assert.Equal(0, Cli.Run("db", "migrate", "--database", DbPath).ExitCode);
        Assert.Equal(0, Cli.Run("db", "seed", "--database", DbPath).ExitCode);
        RegisterStaff();
    }

    /// <summary>The nurse, the checking nurse and the physician as registered, active accounts (the checker must be one).</summary>
    private void RegisterStaff()
    {
        using var db = ClinicDatabase.Sqlite(DbPath).Open(new UserId(Guid.Parse(Nurse)), TimeProvider.System);
        var roles = ClinicRoles.All.ToDictionary(r => r, r => db.Roles.FirstOrDefault(x => x.Name == r) ?? db.Roles.Add(new IdentityRole<Guid>(r) { Id = Guid.NewGuid(), NormalizedName = r.ToUpperInvariant() }).Entity, StringComparer.Ordinal);
        foreach (var (id, name, role) in new[] { (Nurse, "nurse", ClinicRoles.Nurse), (Checker, "checker", ClinicRoles.Nurse), (Physician, "doctor", ClinicRoles.Physician) })
        {
            db.Users.Add(new ClinicUser { Id = Guid.Parse(id), UserName = name, NormalizedUserName = name.ToUpperInvariant(), DisplayName = name, SecurityStamp = Guid.NewGuid().ToString("N") });
            db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = Guid.Parse(id), RoleId = roles[role].Id });
        }

        db.SaveChanges();
    }

    private string DbPath => Path.Combine(_folder, "clinic.db");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Stock_ReceiveCountBalanceRegister_WitnessedStepsThroughTheService()
    {
        string[] Db(params string[] args) => [.. args, "--by", Nurse, "--database", DbPath];
        Assert.Equal(0, Cli.Run(Db("stock", "product", "--name", "Ketamine 50 mg/mL 10 mL", "--concentration", "50 mg/mL", "--vial", "10 mL", "--code", "0409-2053-10")).ExitCode);
        Assert.Equal(0, Cli.Run(Db("stock", "location", "--name", "Night safe", "--kind", "Safe")).ExitCode);
        string[] Receive(string witness) => Db("stock", "receive", "--product", "Ketamine 50 mg/mL 10 mL", "--location", "Night safe", "--lot", "K42", "--expiry", "2099-01-31", "--vials", "2", "--supplier", "Wholesaler", "--reference", "INV-42", "--witness", witness);

        var self = Cli.Run(Receive(Nurse));
        Assert.NotEqual(0, self.ExitCode);
        Assert.Contains("[stock.witness-same-person]", self.Error, StringComparison.Ordinal);
        var unregistered = Cli.Run(Receive(Unregistered));
        Assert.Contains("[stock.user-not-staff]", unregistered.Error, StringComparison.Ordinal);
        var received = Cli.Run(Receive(Checker));
        Assert.True(received.ExitCode == 0, received.Error);
        Assert.Contains("received 20 mL (1000 mg) of lot K42 into Night safe", received.Out, StringComparison.Ordinal);

        var count = Cli.Run(Db("stock", "count", "--lot", "K42", "--location", "Night safe", "--counted", "15 mL", "--witness", Physician));
        Assert.True(count.ExitCode == 0, count.Error);
        Assert.Contains("count 15 mL, ledger 20 mL: discrepancy", count.Out, StringComparison.Ordinal);
        var balance = Cli.Run(Db("stock", "balance"));
        Assert.Contains("20 mL", balance.Out, StringComparison.Ordinal);
        Assert.Contains("1000 mg", balance.Out, StringComparison.Ordinal);
        var register = Cli.Run(Db("stock", "register", "--lot", "K42"));
        Assert.Contains("Receipt", register.Out, StringComparison.Ordinal);
        Assert.Contains("Count", register.Out, StringComparison.Ordinal);
        Assert.Contains("Wholesaler; INV-42", register.Out, StringComparison.Ordinal);
        Assert.NotEqual(0, Cli.Run(Db("stock", "count", "--lot", "K42", "--location", "Night safe", "--counted", "fifteen", "--witness", Physician)).ExitCode);
    }

    [Fact]
    public void Stock_TransferDrawHoldWasteReturnResolve_EachStepThroughTheServiceAndRefusalsByCode()
    {
        Run(0, "stock", "product", "--name", "Ketamine 50 mg/mL 10 mL", "--concentration", "50 mg/mL", "--vial", "10 mL");
        Run(0, "stock", "location", "--name", "Night safe", "--kind", "Safe");
        Run(0, "stock", "location", "--name", "Cabinet", "--kind", "Cabinet");
        Run(0, "stock", "receive", "--product", "Ketamine 50 mg/mL 10 mL", "--location", "Night safe", "--lot", "K7", "--expiry", "2099-01-31", "--vials", "2", "--supplier", "Wholesaler", "--reference", "INV-7", "--witness", Checker);

        Assert.Contains("transferred 10 mL of lot K7 from Night safe to Cabinet", Run(0, "stock", "transfer", "--lot", "K7", "--location", "Night safe", "--to", "Cabinet", "--volume", "10 mL", "--witness", Checker).Out, StringComparison.Ordinal);
        Assert.Contains("[stock.same-location]", Run(1, "stock", "transfer", "--lot", "K7", "--location", "Cabinet", "--to", "Cabinet", "--volume", "1 mL", "--witness", Checker).Error, StringComparison.Ordinal);
        Assert.Contains("--to:", Run(2, "stock", "transfer", "--lot", "K7", "--location", "Cabinet", "--to", "Attic", "--volume", "1 mL", "--witness", Checker).Error, StringComparison.Ordinal);
        Assert.Contains("--volume:", Run(2, "stock", "transfer", "--lot", "K7", "--location", "Night safe", "--to", "Cabinet", "--volume", "a little", "--witness", Checker).Error, StringComparison.Ordinal);

        NewPatient("KC-0700");
        Run(0, "screen", "KC-0700");
        Run(0, "plan", "prescribe", "KC-0700", "--protocol", "outpatient-seed", "--route", "iv", "--model", "domino1984", "--concentration", "1 mg/mL", "--start-dose", "0.5 mg/kg/h");
        var session = SessionId(Run(0, "session", "schedule", "KC-0700", "--at", Today + "T08:00:00Z").Out);
        string[] Draw(string volume) => ["stock", "draw", "--session", session, "--lot", "K7", "--location", "Cabinet", "--volume", volume, "--witness", Checker];
        Assert.Contains("drew 2 mL (100 mg) of lot K7 from Cabinet", Run(0, Draw("2 mL")).Out, StringComparison.Ordinal);
        Assert.Contains("[stock.insufficient]", Run(1, Draw("9 mL")).Error, StringComparison.Ordinal);
        Assert.Contains("--session:", Run(2, ["stock", "draw", "--session", "tomorrow", "--lot", "K7", "--location", "Cabinet", "--volume", "1 mL", "--witness", Checker]).Error, StringComparison.Ordinal);

        // No pump program yet: the preparation is refused by the service; the remainder cannot be wasted before the drug has ended.
        Assert.Contains("[stock.no-program]", Run(1, "stock", "prepare", "--session", session, "--diluent", "NaCl 0.9 %", "--final-volume", "100 mL", "--final-concentration", "1 mg/mL", "--checked-by", Checker).Error, StringComparison.Ordinal);
        Assert.Contains("[stock.session-state]", Run(1, "stock", "waste", "--session", session, "--volume", "0", "--method", "drug disposal kit", "--witness", Checker).Error, StringComparison.Ordinal);

        // A quarantined lot is not drawn, but may be returned; released, it is drawn again.
        Assert.Contains("lot K7 quarantined", Run(0, "stock", "hold", "--lot", "K7", "--hold", "Quarantined", "--reason", "cracked vial in the delivery").Out, StringComparison.Ordinal);
        Assert.Contains("[stock.lot-on-hold]", Run(1, Draw("1 mL")).Error, StringComparison.Ordinal);
        Assert.Contains("returned 5 mL (250 mg) of lot K7 from Night safe to Wholesaler", Run(0, "stock", "return", "--lot", "K7", "--location", "Night safe", "--volume", "5 mL", "--supplier", "Wholesaler", "--reference", "RA-7", "--witness", Checker).Out, StringComparison.Ordinal);
        Assert.Contains("[stock.text-length]", Run(1, "stock", "hold", "--lot", "K7", "--hold", "None", "--reason", " ").Error, StringComparison.Ordinal);
        Assert.Contains("lot K7 released", Run(0, "stock", "hold", "--lot", "K7", "--hold", "None", "--reason", "checked, vials intact").Out, StringComparison.Ordinal);
        Run(0, Draw("1 mL"));
        Assert.Contains("wasted 1 mL (50 mg) of lot K7 at Cabinet", Run(0, "stock", "waste", "--lot", "K7", "--location", "Cabinet", "--volume", "1 mL", "--method", "drug disposal kit", "--reason", "vial dropped", "--witness", Physician).Out, StringComparison.Ordinal);
        Assert.Contains("--session:", Run(2, "stock", "waste", "--session", session, "--lot", "K7", "--volume", "1 mL", "--witness", Physician).Error, StringComparison.Ordinal);

        // A count 1 mL short opens a discrepancy; resolved with an adjustment, the balance follows the count, once.
        var count = Run(0, "stock", "count", "--lot", "K7", "--location", "Night safe", "--counted", "4 mL", "--witness", Physician).Out;
        var discrepancy = System.Text.RegularExpressions.Regex.Match(count, "discrepancy ([0-9a-f-]{36}) opened").Groups[1].Value;
        Assert.Contains("note added, investigating", Run(0, "stock", "investigate", "--discrepancy", discrepancy, "--note", "CCTV reviewed, nothing seen").Out, StringComparison.Ordinal);
        Assert.Contains("[stock.text-length]", Run(1, "stock", "investigate", "--discrepancy", discrepancy, "--note", " ").Error, StringComparison.Ordinal);
        Assert.Contains("--discrepancy:", Run(2, "stock", "investigate", "--discrepancy", "last one", "--note", "x").Error, StringComparison.Ordinal);
        string[] Resolve() => ["stock", "resolve", "--discrepancy", discrepancy, "--resolution", "spilled when drawn, not recorded", "--adjust", "--witness", Physician];
        Assert.Contains("[stock.witness-same-person]", Run(1, "stock", "resolve", "--discrepancy", discrepancy, "--resolution", "x", "--witness", Nurse).Error, StringComparison.Ordinal);
        Assert.Contains("the balance was adjusted by -1 mL", Run(0, Resolve()).Out, StringComparison.Ordinal);
        Assert.Contains("[stock.discrepancy-resolved]", Run(1, Resolve()).Error, StringComparison.Ordinal);
        Assert.Contains("--discrepancy:", Run(2, "stock", "resolve", "--discrepancy", Guid.NewGuid().ToString(), "--resolution", "x", "--witness", Physician).Error, StringComparison.Ordinal);

        var balance = Run(0, "stock", "balance").Out.Split('\n');
        Assert.Contains(balance, l => l.Contains("Night safe", StringComparison.Ordinal) && l.Contains("4 mL", StringComparison.Ordinal));
        Assert.Contains(balance, l => l.Contains("Cabinet", StringComparison.Ordinal) && l.Contains("6 mL", StringComparison.Ordinal));
        var register = Run(0, "stock", "register", "--lot", "K7").Out;
        foreach (var kind in new[] { "TransferOut", "TransferIn", "Draw", "Return", "Waste", "Adjustment" })
        {
            Assert.Contains(kind, register, StringComparison.Ordinal);
        }

        // The registers as files: the loss draft as PDF, the discrepancy report as CSV in Turkish with the investigation.
        var pdf = Path.Combine(Path.GetTempPath(), "ketacare-loss-" + Guid.NewGuid().ToString("N") + ".pdf");
        var csv = Path.ChangeExtension(pdf, ".csv");
        try
        {
            Assert.Contains("loss register written to", Run(0, "stock", "report", "--name", "loss", "--out", pdf).Out, StringComparison.Ordinal);
            Assert.Equal("%PDF"u8.ToArray(), File.ReadAllBytes(pdf)[..4]);
            Run(0, "stock", "report", "--name", "discrepancies", "--format", "csv", "--lang", "tr", "--out", csv);
            var discrepancies = File.ReadAllText(csv);
            Assert.Contains("Sayılan (mL)", discrepancies, StringComparison.Ordinal);
            Assert.Contains("CCTV reviewed, nothing seen", discrepancies, StringComparison.Ordinal);
            Assert.Contains("--name:", Run(2, "stock", "report", "--name", "everything", "--out", csv).Error, StringComparison.Ordinal);
            Assert.Contains("--format:", Run(2, "stock", "report", "--name", "loss", "--format", "docx", "--out", csv).Error, StringComparison.Ordinal);
            Assert.Contains("--out:", Run(2, "stock", "report", "--name", "loss").Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(pdf);
            File.Delete(csv);
        }
    }

    [Fact]
    public async Task PatientsAddAndRecord_EveryEntryKind_IsOnTheChartReadThroughTheService()
    {
        var add = Cli.Run("patients", "add", "--record", "KC-0100", "--family", "Öztürk", "--given", "Zeynep", "--born", "1980-02-29", "--sex", "f", "--weight", "70 kg", "--height", "168 cm", "--by", Nurse, "--database", DbPath);
        Assert.True(add.ExitCode == 0, add.Error);
        Assert.Contains("record KC-0100", add.Out, StringComparison.Ordinal);

        string[][] entries =
        [
            ["--condition", "G90.512", "--onset", "2024-09-01", "--description", "CRPS type I, left arm"],
            ["--weight", "72.5 kg", "--on", "2026-01-02"],
            ["--prior-treatment", "pregabalin", "--class", "gabapentinoid", "--duration", "120 d", "--result", "ineffective", "--dose", "150 mg twice daily"],
            ["--medication", "clarithromycin", "--dose", "500 mg bid", "--interactions", "cyp3a4-inhibitor"],
            ["--finding", "hypertension", "--severity", "mild", "--active", "no", "--note", "controlled"],
            ["--pregnancy", "not-pregnant", "--on", "2026-01-02"],
            ["--no-known-allergies", "--on", "2026-01-02"],
            ["--allergy", "latex", "--criticality", "low", "--verification", "confirmed", "--reaction", "rash"],
            ["--consent", "off-label", "--signed", "2026-01-02", "--document", "consent-KC-0100.pdf"],
            ["--liver-panel", "alt=130,ast=38,bilirubin=0.7", "--on", "2026-01-02"],
            ["--ecg", "sinus", "--qtc", "452 ms", "--interpretation", "normal", "--on", "2026-01-02"],
            ["--urinary-symptoms", "1,0,0,0,2", "--on", "2026-01-02"],
            ["--urinalysis", "blood=plus1, leukocytes=Negative,nitrite=trace", "--on", "2026-01-02"],
        ];
        foreach (var e in entries)
        {
            var run = Cli.Run([.. new[] { "patients", "record", "KC-0100" }, .. e, "--by", Nurse, "--database", DbPath]);
            Assert.True(run.ExitCode == 0, string.Join(' ', e) + ": " + run.Error);
            Assert.StartsWith("recorded on KC-0100: ", run.Out, StringComparison.Ordinal);
        }

        var p = await ChartAsync("KC-0100");
        Assert.Equal(("Öztürk", "Zeynep", new DateOnly(1980, 2, 29)), (p.Demographics.FamilyName, p.Demographics.GivenName, p.Demographics.BirthDate));
        Assert.Equal(2, p.Measurements.Active.Count());
        Assert.Contains(p.Measurements.Active, m => m.Value.MeasuredOn == new DateOnly(2026, 1, 2) && m.Value.Weight.Kilograms == 72.5);
        Assert.Contains(p.Measurements.Active, m => m.Value.HeightCm == 168);
        var c = Assert.Single(p.Conditions.Active).Value;
        Assert.Equal(("G90.512", new DateOnly(2024, 9, 1), "CRPS type I, left arm"), (c.Code.Code, c.Onset, c.Description));
        var t = Assert.Single(p.PriorTreatments.Active).Value;
        Assert.Equal((TreatmentClass.Gabapentinoid, TreatmentOutcome.Ineffective, 120.0), (t.Class, t.Outcome, t.Duration.Hours / 24));
        Assert.Equal(InteractionClass.Cyp3A4Inhibitor, Assert.Single(p.Medications.Active).Value.Interactions);
        Assert.False(Assert.Single(p.Findings.Active).Value.IsActive);
        Assert.Equal(PregnancyState.NotPregnant, Assert.Single(p.PregnancyStatuses.Active).Value.State);
        Assert.True(Assert.Single(p.Consents.Active).Value.IsValidOn(new DateOnly(2026, 1, 3)));
        var latex = Assert.Single(p.Allergies.ActiveValues);
        Assert.Equal((AllergySubstance.Latex, AllergyCategory.Environment, AllergyCriticality.Low, "rash"), (latex.Substance, latex.Category, latex.Criticality, latex.Reaction));
        Assert.NotNull(latex.VerifiedBy); // confirmed by the user who recorded it
        Assert.Equal(AllergyState.Allergies, p.Snapshot().AllergyState);
        Assert.Equal(new LiverPanel(new DateOnly(2026, 1, 2), 130, 38, 0.7, null, null), Assert.Single(p.LiverPanels.ActiveValues));
        Assert.Equal(new EcgRecord(new DateOnly(2026, 1, 2), EcgRhythm.Sinus, 452, EcgInterpretation.Normal), Assert.Single(p.Ecgs.ActiveValues));
        Assert.Equal(3, Assert.Single(p.UrinarySymptomScores.ActiveValues).Total);
        Assert.Equal(new Urinalysis(new DateOnly(2026, 1, 2), DipstickResult.Plus1, DipstickResult.Negative, DipstickResult.Trace), Assert.Single(p.Urinalyses.ActiveValues));
        Assert.Equal(15, p.Version);
        var shown = Run(0, "patients", "show", "KC-0100");
        Assert.Contains("  allergies: latex", shown.Out, StringComparison.Ordinal);
        Assert.Contains("ALT 130 U/L (HighNeedsReview)", shown.Out, StringComparison.Ordinal);
        Assert.Contains("Ecg: Done (CardiacHistory)", shown.Out, StringComparison.Ordinal); // controlled hypertension asks for an ECG
        Assert.Contains("2026-01-02: blood Plus1, leukocytes Negative, nitrite Trace", shown.Out, StringComparison.Ordinal);
        Assert.Contains("noKnownAllergies: the chart has an allergy to latex", Run(1, "patients", "record", "KC-0100", "--no-known-allergies").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void PatientsAddAndRecord_BadInputs_ExitTwoNamingTheOption_AndATakenRecordOrStaleVersionIsRefused()
    {
        Run(0, "patients", "add", "--record", "KC-0200", "--family", "A", "--given", "B", "--born", "1970-01-01", "--weight", "80 kg");

        Assert.Contains("--born:", Run(2, "patients", "add", "--record", "KC-0201", "--family", "A", "--given", "B", "--born", "01/02/1970", "--weight", "80 kg").Error, StringComparison.Ordinal);
        Assert.Contains("--weight", Run(2, "patients", "add", "--record", "KC-0201", "--family", "A", "--given", "B", "--born", "1970-01-01", "--weight", "80,5 kg").Error, StringComparison.Ordinal);
        Assert.Contains("--sex:", Run(2, "patients", "add", "--record", "KC-0201", "--family", "A", "--given", "B", "--born", "1970-01-01", "--weight", "80 kg", "--sex", "x").Error, StringComparison.Ordinal);
        Assert.Contains("already registered", Run(1, "patients", "add", "--record", "KC-0200", "--family", "A", "--given", "B", "--born", "1970-01-01", "--weight", "80 kg").Error, StringComparison.Ordinal);

        Assert.Contains("--onset:", Run(2, "patients", "record", "KC-0200", "--condition", "G90.512").Error, StringComparison.Ordinal);
        Assert.Contains("--class:", Run(2, "patients", "record", "KC-0200", "--prior-treatment", "x", "--class", "magic", "--duration", "1 d", "--result", "partial").Error, StringComparison.Ordinal);
        Assert.Contains("--consent:", Run(2, "patients", "record", "KC-0200", "--consent", "surgery", "--document", "x").Error, StringComparison.Ordinal);
        Assert.Contains("--liver-panel: \"alt=abc\"", Run(2, "patients", "record", "KC-0200", "--liver-panel", "alt=abc").Error, StringComparison.Ordinal);
        Assert.Contains("alt: -1 is outside the accepted range 0–10000 U/L", Run(1, "patients", "record", "KC-0200", "--liver-panel", "alt=-1").Error, StringComparison.Ordinal);
        Assert.Contains("--qtc:", Run(2, "patients", "record", "KC-0200", "--ecg", "sinus", "--interpretation", "normal", "--qtc", "0.45 s").Error, StringComparison.Ordinal);
        Assert.Contains("--urinary-symptoms:", Run(2, "patients", "record", "KC-0200", "--urinary-symptoms", "1,2,3").Error, StringComparison.Ordinal);
        Assert.Contains("--urinalysis: \"blood=Negative\" needs blood and leukocytes", Run(2, "patients", "record", "KC-0200", "--urinalysis", "blood=Negative").Error, StringComparison.Ordinal);
        Assert.Contains("--urinalysis blood: \"4+\" is not one of", Run(2, "patients", "record", "KC-0200", "--urinalysis", "blood=4+,leukocytes=Negative").Error, StringComparison.Ordinal);
        Assert.Contains("--urinalysis: \"ph=6\"", Run(2, "patients", "record", "KC-0200", "--urinalysis", "ph=6,blood=Negative,leukocytes=Negative").Error, StringComparison.Ordinal);
        Assert.Contains("collectedOn:", Run(1, "patients", "record", "KC-0200", "--urinalysis", "blood=Negative,leukocytes=Negative", "--on", "2099-01-01").Error, StringComparison.Ordinal);
        Assert.Contains("one entry at a time", Run(2, "patients", "record", "KC-0200", "--medication", "a", "--consent", "off-label").Error, StringComparison.Ordinal);
        Assert.Contains("RECORD:", Run(2, "patients", "record", "NOPE", "--medication", "a").Error, StringComparison.Ordinal);

        Run(0, "patients", "record", "KC-0200", "--medication", "paracetamol", "--expect-version", "2");
        var stale = Run(1, "patients", "record", "KC-0200", "--medication", "ibuprofen", "--expect-version", "2");
        Assert.Contains("[conflict.version]", stale.Error, StringComparison.Ordinal);
        Assert.Contains("changed by someone else", stale.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanPrescribeShowAndTitration_ThroughTheCli_MatchTheStoredPlan()
    {
        NewPatient("KC-0300");
        string[] prescribe = ["plan", "prescribe", "KC-0300", "--protocol", "outpatient-seed", "--route", "iv", "--model", "domino1984", "--concentration", "1 mg/mL"];

        var soft = Run(1, [.. prescribe, "--start-dose", "1.9 mg/kg/h"]);
        var hard = Run(1, [.. prescribe, "--start-dose", "2.5 mg/kg/h"]);
        var comma = Run(2, [.. prescribe, "--start-dose", "0,5 mg/kg/h"]);
        var route = Run(2, ["plan", "prescribe", "KC-0300", "--protocol", "outpatient-seed", "--route", "im", "--model", "domino1984", "--concentration", "1 mg/mL", "--start-dose", "0.5 mg/kg/h"]);
        var conc = Run(2, ["plan", "prescribe", "KC-0300", "--protocol", "outpatient-seed", "--route", "iv", "--model", "domino1984", "--concentration", "3 mg/mL", "--start-dose", "0.5 mg/kg/h"]);
        Assert.Empty(await PlansAsync("KC-0300"));
        var ok = Run(0, [.. prescribe, "--start-dose", "0.5 mg/kg/h"]);

        Assert.Contains("[Soft] pk-peak:", soft.Out, StringComparison.Ordinal);
        Assert.Contains("[limit.pk-peak]", soft.Error, StringComparison.Ordinal);
        Assert.Contains("--override-reason", soft.Error, StringComparison.Ordinal);
        Assert.Contains("[limit.rate-mg-kg-h]", hard.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("--override-reason", hard.Error, StringComparison.Ordinal);
        Assert.Contains("--start-dose", comma.Error, StringComparison.Ordinal);
        Assert.Contains("--route:", route.Error, StringComparison.Ordinal);
        Assert.Contains("--concentration:", conc.Error, StringComparison.Ordinal);
        Assert.Contains("within every dose limit", ok.Out, StringComparison.Ordinal);
        Assert.Contains("predicted peak plasma concentration: ", ok.Out, StringComparison.Ordinal);
        var plan = Assert.Single(await PlansAsync("KC-0300"));
        Assert.Equal(("outpatient-seed", "0.5 mg/kg/h", "bag-1", "domino1984"), (plan.Protocol.Id, plan.StartDose.ToString(), plan.Preparation.Id, plan.ModelId));
        Assert.Contains($"prescribed plan {plan.Id}", ok.Out, StringComparison.Ordinal);

        var show = Run(0, "plan", "show", "KC-0300");
        Assert.Contains($"plan {plan.Id}", show.Out, StringComparison.Ordinal);
        Assert.Contains("current dose 0.5 mg/kg/h", show.Out, StringComparison.Ordinal);

        var propose = Run(0, "plan", "propose", "KC-0300");
        Assert.Contains("proposal for the next session of outpatient-seed: Start 0.5 mg/kg/h", propose.Out, StringComparison.Ordinal);
        Run(0, "plan", "accept", "KC-0300");
        Assert.Contains("--reason", Run(2, "plan", "override", "KC-0300", "--dose", "0.6 mg/kg/h").Error, StringComparison.Ordinal);
        Assert.Contains("--dose", Run(2, "plan", "override", "KC-0300", "--dose", "lots", "--reason", "x").Error, StringComparison.Ordinal);
        Run(0, "plan", "override", "KC-0300", "--dose", "0.4 mg/kg/h", "--reason", "anxious about dissociation");
        var stored = Assert.Single(await PlansAsync("KC-0300"));
        Assert.Equal(2, stored.TitrationDecisions.Count);
        Assert.Equal(("0.4 mg/kg/h", true, "anxious about dissociation"), (stored.CurrentDose.ToString(), stored.TitrationDecisions[1].Overridden, stored.TitrationDecisions[1].Reason));

        var overridden = Run(0, [.. prescribe, "--start-dose", "1.9 mg/kg/h", "--override-reason", "tolerated 1.9 mg/kg/h elsewhere"]);
        Assert.Contains("limit pk-peak overridden: tolerated 1.9 mg/kg/h elsewhere", overridden.Out, StringComparison.Ordinal);
        var plans = await PlansAsync("KC-0300");
        Assert.Equal(2, plans.Count);

        // The override is stored with the plan it allowed, written in the plan's own save.
        var aboveSoft = Assert.Single(plans, p => p.StartDose.Value > 1.8);
        Assert.Equal(1, aboveSoft.Version);
        // "Start low": a first dose above the protocol's start dose is an override of its own, recorded with the same reason.
        Assert.Contains(aboveSoft.DoseChanges, c => c.Reason.Contains("pk-peak — tolerated 1.9 mg/kg/h elsewhere", StringComparison.Ordinal)
            && c.Reason.Contains("plan.first-session-above-start — tolerated 1.9 mg/kg/h elsewhere", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Session_StateMachineThroughTheCli_ErrorsNameTheOptionAndTheSecondCheckNeedsAnotherUser()
    {
        NewPatient("KC-0400");
        Run(0, "screen", "KC-0400");
        Run(0, "plan", "prescribe", "KC-0400", "--protocol", "outpatient-seed", "--route", "iv", "--model", "domino1984", "--concentration", "1 mg/mL", "--start-dose", "0.5 mg/kg/h");
        var t = Today + "T";
        var session = SessionId(Run(0, "session", "schedule", "KC-0400", "--at", t + "08:00:00Z").Out);

        Assert.Contains("--at:", Run(2, "session", "observe", session, "--hr", "80", "--at", "25/11/2026 09:00").Error, StringComparison.Ordinal);
        Assert.Contains("SESSION:", Run(2, "session", "show", "not-a-session").Error, StringComparison.Ordinal);
        Assert.Contains("--bp:", Run(2, "session", "pre-assess", session, "--bp", "120,80", "--hr", "72", "--spo2", "98", "--nrs", "7").Error, StringComparison.Ordinal);
        Assert.Contains("--nrs:", Run(2, "session", "pre-assess", session, "--bp", "120/80", "--hr", "72", "--spo2", "98", "--nrs", "11").Error, StringComparison.Ordinal);
        Assert.Contains("--hr:", Run(2, "session", "pre-assess", session, "--bp", "120/80", "--hr", "72.5", "--spo2", "98", "--nrs", "7").Error, StringComparison.Ordinal);
        Assert.Contains("[program.missing]", Run(1, "session", "start", session).Error, StringComparison.Ordinal);
        Assert.Contains("[session.pre-assessment-not-passed]", Run(1, "session", "program", session).Error, StringComparison.Ordinal);
        Assert.Contains("--fasting-since:", Run(2, "session", "pre-assess", session, "--bp", "120/80", "--hr", "72", "--spo2", "98", "--nrs", "7", "--fasting-since", "last night").Error, StringComparison.Ordinal);
        Assert.Contains("--new-medication-interactions:", Run(2, "session", "pre-assess", session, "--bp", "120/80", "--hr", "72", "--spo2", "98", "--nrs", "7", "--new-medication", "x", "--new-medication-interactions", "grapefruit").Error, StringComparison.Ordinal);
        Assert.Contains("--no-new-medications and --new-medication", Run(2, "session", "pre-assess", session, "--bp", "120/80", "--hr", "72", "--spo2", "98", "--nrs", "7", "--no-new-medications", "--new-medication", "x").Error, StringComparison.Ordinal);
        var unanswered = Run(1, "session", "pre-assess", session, "--bp", "120/80", "--hr", "72", "--spo2", "98", "--rr", "14", "--nrs", "7", "--at", t + "08:25:00Z").Error;
        Assert.Contains("[pre.fasting-missing]", unanswered, StringComparison.Ordinal);
        Assert.Contains("[pre.escort-not-confirmed]", unanswered, StringComparison.Ordinal);
        Assert.Contains("[pre.no-driving-not-acknowledged]", unanswered, StringComparison.Ordinal);
        Assert.Contains("[pre.new-medications-not-asked]", unanswered, StringComparison.Ordinal);
        Run(0, ["session", "pre-assess", session, "--bp", "120/80", "--hr", "72", "--spo2", "98", "--rr", "14", "--nrs", "7", "--at", t + "08:30:00Z", .. Checklist(t)]);

        // The protocol's premedication (order 0, ondansetron 4 mg) and a rescue above midazolam's soft limit.
        Assert.Contains("dose given", Run(0, "session", "give", session, "--order", "0", "--dose", "4", "--at", t + "08:31:00Z").Out, StringComparison.Ordinal);
        Assert.Contains("[limit.ancillary-dose-mg]", Run(1, "session", "give", session, "--order", "1", "--dose", "3").Error, StringComparison.Ordinal);
        Assert.Contains("--dose:", Run(2, "session", "give", session, "--order", "1", "--dose", "much").Error, StringComparison.Ordinal);
        Assert.Contains("--order:", Run(2, "session", "give", session, "--order", "first", "--dose", "1").Error, StringComparison.Ordinal);
        Assert.Contains("Ondansetron 4 mg Intravenous (Premedication)", Run(0, "session", "show", session).Out, StringComparison.Ordinal);
        Run(0, "session", "program", session, "--at", t + "08:35:00Z");
        string[] reading = ["--rate", "35", "--vtbi", "35", "--concentration", "1", "--weight", "70"];

        // The blind second check: not by the programmer, not by an unregistered id, and a misread value clears the program.
        Assert.Contains("[check.same-user]", Run(1, ["session", "check", session, .. reading]).Error, StringComparison.Ordinal);
        Assert.Contains("[check.checker-not-eligible]", Cli.Run(["session", "check", session, .. reading, "--by", Unregistered, "--database", DbPath]).Error, StringComparison.Ordinal);
        var misread = RunAs(Checker, 1, "session", "check", session, "--rate", "40", "--vtbi", "35", "--concentration", "1", "--weight", "70");
        Assert.Contains("[check.mismatch]", misread.Error, StringComparison.Ordinal);
        Assert.Contains("read 40 mL/h, programmed 35 mL/h", misread.Error, StringComparison.Ordinal);
        Assert.Contains("[program.missing]", Run(1, "session", "start", session).Error, StringComparison.Ordinal);
        Run(0, "session", "program", session, "--at", t + "08:40:00Z");
        RunAs(Checker, 0, ["session", "check", session, .. reading, "--at", t + "08:45:00Z"]);

        // The demo clinic keeps the controlled-substance register: no start without the bag's recorded preparation.
        Assert.Contains("[stock.preparation-required]", Run(1, "session", "start", session, "--at", t + "08:46:00Z").Error, StringComparison.Ordinal);
        await PrepareAsync(session, t + "08:46:00Z");

        // Vitals older than 15 minutes do not count: the start is refused until a fresh set is recorded.
        Assert.Contains("[gate.vitals-missing]", Run(1, "session", "start", session, "--at", t + "09:00:00Z").Error, StringComparison.Ordinal);
        Run(0, "session", "observe", session, "--bp", "124/80", "--hr", "74", "--spo2", "98", "--rr", "14", "--at", t + "08:58:00Z");
        Run(0, "session", "start", session, "--at", t + "09:00:00Z");
        Run(0, "session", "pause", session, "--reason", "nausea", "--at", t + "09:20:00Z");
        Assert.Contains("[reason.required]", Run(1, "session", "stop", session).Error, StringComparison.Ordinal);
        Run(0, "session", "observe", session, "--bp", "122/80", "--hr", "72", "--spo2", "98", "--rr", "14", "--at", t + "09:28:00Z");
        Run(0, "session", "resume", session, "--rate", "30", "--at", t + "09:30:00Z");
        Run(0, "session", "adverse-event", session, "--type", "nausea-vomiting", "--grade", "1", "--action", "paused", "--outcome", "resolved", "--at", t + "09:20:00Z");
        Assert.Contains("--grade:", Run(2, "session", "adverse-event", session, "--type", "nausea-vomiting", "--grade", "6").Error, StringComparison.Ordinal);
        Run(0, "session", "stop", session, "--reason", "patient request", "--at", t + "09:50:00Z");

        // Shown as of a time after the last event: the day's times above may lie ahead of the wall clock.
        var show = Run(0, "session", "show", session, "--at", t + "09:55:00Z");
        var stored = await SessionAsync(session);
        Assert.Equal(SessionState.StoppedEarly, stored.State);
        Assert.Equal(2, stored.Segments.Count);
        Assert.Contains($"dose given (from the rate segments, up to the VTBI): {stored.DoseGiven(stored.Segments[^1].End!.Value)}", show.Out, StringComparison.Ordinal);
        Assert.Equal(20 * 35 / 60.0 + 20 * 30 / 60.0, stored.DoseGiven(stored.Segments[^1].End!.Value).Milligrams, 6);
        Assert.Contains("NauseaVomiting, grade 1", show.Out, StringComparison.Ordinal);
        Assert.Contains("Running → Paused", show.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WholeCourse_ThroughTheCli_MatchesTheServicesAndKeepsTheAuditChainIntact()
    {
        var add = Run(0, "patients", "add", "--record", "KC-0500", "--family", "Çelik", "--given", "Emre", "--born", "1972-03-08", "--sex", "m", "--weight", "80 kg", "--height", "180 cm");
        Assert.Contains("version 2", add.Out, StringComparison.Ordinal);
        Run(0, "patients", "record", "KC-0500", "--condition", "G90.512", "--onset", "2024-09-01", "--description", "CRPS type I, right foot");
        Run(0, "patients", "record", "KC-0500", "--prior-treatment", "amitriptyline", "--class", "tricyclic-antidepressant", "--duration", "180 d", "--result", "not-tolerated");
        Run(0, "patients", "record", "KC-0500", "--pregnancy", "not-of-childbearing-potential");
        Run(0, "patients", "record", "KC-0500", "--consent", "off-label", "--document", "consent-KC-0500.pdf");
        Run(0, "patients", "record", "KC-0500", "--liver-panel", "alt=22,ast=20,bilirubin=0.4,ggt=25,alp=70"); // a high-dose course needs one
        Assert.Contains(": eligible", Run(0, "screen", "KC-0500", "--protocol", "outpatient-seed").Out, StringComparison.Ordinal);
        var prescribed = Run(0, "plan", "prescribe", "KC-0500", "--protocol", "outpatient-seed", "--route", "iv", "--model", "domino1984", "--concentration", "1 mg/mL", "--start-dose", "0.5 mg/kg/h");
        Assert.Contains("predicted peak plasma concentration", prescribed.Out, StringComparison.Ordinal);

        var t = Today + "T";
        var session = SessionId(Run(0, "session", "schedule", "KC-0500", "--at", t + "08:00:00Z").Out);
        Run(0, ["session", "pre-assess", session, "--bp", "122/78", "--hr", "74", "--spo2", "98", "--rr", "14", "--rass", "0", "--nrs", "8", "--at", t + "08:40:00Z", .. Checklist(t)]);
        var program = Run(0, "session", "program", session);
        Assert.Contains("rate 40 mL/h; VTBI 40 mL; duration 60 min", program.Out, StringComparison.Ordinal);
        Assert.Contains("back-calculated 0.5 mg/kg/h (total 40 mg)", program.Out, StringComparison.Ordinal);
        Assert.Contains("[check.same-user]", Run(1, "session", "check", session, "--rate", "40", "--vtbi", "40", "--concentration", "1", "--weight", "80").Error, StringComparison.Ordinal);
        RunAs(Checker, 0, "session", "check", session, "--rate", "40", "--vtbi", "40", "--concentration", "1", "--weight", "80", "--at", t + "08:50:00Z");
        await PrepareAsync(session, t + "08:51:00Z");
        Run(0, "session", "observe", session, "--bp", "124/78", "--hr", "74", "--spo2", "98", "--rr", "14", "--at", t + "08:55:00Z");
        Run(0, "session", "start", session, "--at", t + "09:00:00Z");
        var calm = Run(0, "session", "observe", session, "--bp", "130/80", "--hr", "80", "--spo2", "97", "--rass", "-1", "--cadss", "8", "--at", t + "09:15:00Z");
        var alert = Run(0, "session", "observe", session, "--bp", "186/100", "--hr", "88", "--spo2", "97", "--rass", "-1", "--cadss", "12", "--at", t + "09:30:00Z");
        Assert.Contains("0 alert(s)", calm.Out, StringComparison.Ordinal);

        // The clinic's stored thresholds are the ones in force: lowered to 125 mmHg, the same reading now alerts.
        await using (var db = ClinicDatabase.Sqlite(DbPath).Open(new KetaCare.Clinic.UserId(Guid.Parse(Nurse)), TimeProvider.System))
        {
            var revised = await new KetaCare.Clinic.Services.SettingsService(db, TimeProvider.System).ReviseAlertThresholdsAsync(
                KetaCare.Clinic.Sessions.AlertThresholds.Default with { SystolicAbove = 125 }, 0, "stricter after a stroke history review", new KetaCare.Clinic.UserId(Guid.Parse(Nurse)), TestContext.Current.CancellationToken);
            Assert.True(revised.IsSuccess, revised.Error);
        }

        Assert.Contains("ALERT systolic-high:", Run(0, "session", "observe", session, "--bp", "130/80", "--hr", "80", "--spo2", "97", "--at", t + "09:20:00Z").Out, StringComparison.Ordinal);
        Assert.Contains("ALERT systolic-high:", alert.Out, StringComparison.Ordinal);
        Assert.Contains("Suggested action: Pause.", alert.Out, StringComparison.Ordinal);
        Run(0, "session", "observe", session, "--bp", "134/82", "--hr", "80", "--spo2", "98", "--nrs", "5", "--at", t + "09:55:00Z");
        Assert.Contains("[dose.pump-volume-out-of-range]", Run(1, "session", "complete", session, "--at", t + "10:00:00Z").Error, StringComparison.Ordinal);
        Run(0, "session", "complete", session, "--pump-volume", "40", "--at", t + "10:00:00Z");
        Run(0, "session", "recover", session, "--bp", "118/76", "--hr", "72", "--spo2", "98", "--rr", "14", "--nrs", "4", "--note", "oriented", "--at", t + "10:30:00Z");
        Assert.Contains("--escort", Run(2, "session", "discharge", session, "--aldrete", "2,2,2,2,2", "--escort", "maybe").Error, StringComparison.Ordinal);

        // 45 minutes after the end is before the minimum observation time of 60 minutes: refused with when the patient will be ready.
        var early = Run(1, "session", "discharge", session, "--aldrete", "2,2,2,2,2", "--escort", "yes", "--at", t + "10:45:00Z");
        Assert.Contains("[discharge.observation-time]", early.Error, StringComparison.Ordinal);
        // Only a physician overrides: the nurse's reason is refused.
        Assert.Contains("[user.role-required]", Run(1, "session", "discharge", session, "--aldrete", "2,2,2,2,2", "--escort", "yes", "--override-reason", "taxi waiting", "--at", t + "10:45:00Z").Error, StringComparison.Ordinal);
        Assert.Contains("discharged (Aldrete 10)", Run(0, "session", "discharge", session, "--aldrete", "2,2,2,2,2", "--escort", "yes", "--at", t + "11:30:00Z").Out, StringComparison.Ordinal);

        var show = Run(0, "session", "show", session, "--at", t + "11:35:00Z");
        var stored = await SessionAsync(session);
        Assert.Equal(SessionState.Discharged, stored.State);
        Assert.Equal(Checker, stored.Program!.Check!.By.ToString());
        Assert.Equal(40, stored.DoseGiven(stored.Segments[^1].End!.Value).Milligrams, 9);
        Assert.Contains("dose given (from the rate segments, up to the VTBI): 40 mg", show.Out, StringComparison.Ordinal);
        Assert.Contains("systolic-high", show.Out, StringComparison.Ordinal);

        Assert.Contains("--nrs: 11", Run(2, "outcomes", "record", "KC-0500", "--nrs", "11").Error, StringComparison.Ordinal);
        Assert.Contains("--pgic", Run(2, "outcomes", "record", "KC-0500", "--pgic", "2,5").Error, StringComparison.Ordinal);
        var recorded = Run(0, "outcomes", "record", "KC-0500", "--nrs", "3", "--pgic", "2", "--bpi", "6,2,4,5", "--interference", "4,3,5,4,3,5,4", "--at", t + "12:00:00Z");
        Assert.Contains("PGIC " + Today + " 2 (responder)", recorded.Out, StringComparison.Ordinal);
        var outcomes = Run(0, "outcomes", "KC-0500");
        var course = await CourseAsync("KC-0500");
        Assert.Equal(8, course.Baseline);
        var status = Clinic.Outcomes.OutcomeAnalysis.Describe(course.Responder!);
        Assert.Contains("responder status (IMMPACT, latest score): " + status, outcomes.Out, StringComparison.Ordinal);
        Assert.Contains("NRS 8 → 3", status, StringComparison.Ordinal);

        var audit = Cli.Run("db", "verify-audit", "--database", DbPath);
        Assert.True(audit.ExitCode == 0, audit.Error);
        Assert.Contains("Audit log intact", audit.Out, StringComparison.Ordinal);
    }

    /// <summary>Registers a CRPS patient with a consent, a failed first-line treatment and a pregnancy status, through the CLI.</summary>
    private void NewPatient(string record)
    {
        Run(0, "patients", "add", "--record", record, "--family", "Arslan", "--given", "Deniz", "--born", "1975-06-15", "--sex", "f", "--weight", "70 kg", "--height", "170 cm");
        Run(0, "patients", "record", record, "--condition", "G90.512", "--onset", "2024-09-01", "--description", "CRPS type I, left arm");
        Run(0, "patients", "record", record, "--prior-treatment", "pregabalin", "--class", "gabapentinoid", "--duration", "120 d", "--result", "ineffective");
        Run(0, "patients", "record", record, "--pregnancy", "not-of-childbearing-potential");
        Run(0, "patients", "record", record, "--consent", "off-label", "--document", "consent-" + record + ".pdf");

        // The protocols of these tests reach 2 mg/kg/h (high-dose): their courses need a liver panel.
        Run(0, "patients", "record", record, "--liver-panel", "alt=28,ast=24,bilirubin=0.5,ggt=30,alp=80");
    }

    private async Task<IReadOnlyList<Clinic.Plans.TreatmentPlan>> PlansAsync(string record)
    {
        var ct = TestContext.Current.CancellationToken;
        var user = new UserId(Guid.Parse(Nurse));
        await using var db = ClinicDatabase.Sqlite(DbPath).Open(user, TimeProvider.System);
        var summary = (await new PatientService(db, TimeProvider.System).SearchAsync(record, ct)).Single();
        return await new TreatmentService(db, TimeProvider.System).PlansAsync(summary.Id, user, ct);
    }

    /// <summary>A pre-session checklist that passes for a session on the day <paramref name="t"/> ("yyyy-MM-ddT"): fasting since 00:30 UTC.</summary>
    private static string[] Checklist(string t) => ["--fasting-since", t + "00:30:00Z", "--escort-confirmed", "--no-driving-acknowledged", "--no-new-medications"];

    private static string Today => TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string SessionId(string scheduled) =>
        System.Text.RegularExpressions.Regex.Match(scheduled, "scheduled session ([0-9a-f-]{36})").Groups[1].Value;

    // The bag drawn from the demo lot in the demo safe and prepared at the program's concentration, through the CLI.
    private async Task PrepareAsync(string session, string at)
    {
        var bag = (await SessionAsync(session)).Program!.Preparation;
        var c = bag.Concentration.MilligramsPerMilliliter;
        var ml = bag.ContainerVolume.Milliliters;
        string Inv(double x) => x.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
        Run(0, "stock", "draw", "--session", session, "--lot", DemoSeed.DemoLotNumber, "--location", DemoSeed.DemoSafe, "--volume", Inv(c * ml / 50) + " mL", "--witness", Checker, "--at", at);
        Run(0, "stock", "prepare", "--session", session, "--diluent", "NaCl 0.9 %", "--final-volume", Inv(ml) + " mL", "--final-concentration", Inv(c) + " mg/mL", "--checked-by", Checker, "--at", at);
    }

    private async Task<InfusionSession> SessionAsync(string id)
    {
        var user = new UserId(Guid.Parse(Nurse));
        await using var db = ClinicDatabase.Sqlite(DbPath).Open(user, TimeProvider.System);
        return (await new SessionService(db, TimeProvider.System).GetAsync(new SessionId(Guid.Parse(id)), user, TestContext.Current.CancellationToken)).Value;
    }

    private async Task<CourseOutcome> CourseAsync(string record)
    {
        var ct = TestContext.Current.CancellationToken;
        var user = new UserId(Guid.Parse(Nurse));
        await using var db = ClinicDatabase.Sqlite(DbPath).Open(user, TimeProvider.System);
        var summary = (await new PatientService(db, TimeProvider.System).SearchAsync(record, ct)).Single();
        return (await new OutcomeService(db, TimeProvider.System).CourseAsync(summary.Id, user, ct)).Value;
    }

    private CliRun RunAs(string by, int expected, params string[] args)
    {
        var run = Cli.Run([.. args, "--by", by, "--database", DbPath]);
        Assert.True(run.ExitCode == expected, $"{string.Join(' ', args)} → {run.ExitCode}: {run.Error}{run.Out}");
        return run;
    }

    private CliRun Run(int expected, params string[] args)
    {
        var run = Cli.Run([.. args, "--by", Nurse, "--database", DbPath]);
        Assert.True(run.ExitCode == expected, $"{string.Join(' ', args)} → {run.ExitCode}: {run.Error}{run.Out}");
        return run;
    }

    private async Task<Patient> ChartAsync(string record)
    {
        var ct = TestContext.Current.CancellationToken;
        var user = new UserId(Guid.Parse(Nurse));
        await using var db = ClinicDatabase.Sqlite(DbPath).Open(user, TimeProvider.System);
        var service = new PatientService(db, TimeProvider.System);
        var summary = (await service.SearchAsync(record, ct)).Single();
        return (await service.OpenChartAsync(summary.Id, user, ct)).Value;
    }
}
