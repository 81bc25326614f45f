using System.Globalization;
using System.Text.RegularExpressions;
using KetaCare.Clinic.Findings;
using KetaCare.Interop.Text;
using KetaCare.Pharmacology;

namespace KetaCare.Interop.Tests.Text;

/// <summary>
/// The engine's warnings and the titration advisor's reasons read in both languages with every argument in place:
/// a new code without a translation, or a translation that drops or renames a placeholder, fails here.
/// </summary>
public partial class CodedReasonTextTests
{
    private static readonly CultureInfo Turkish = CultureInfo.GetCultureInfo("tr-TR");

    public static TheoryData<string> EngineCodes() => [.. EngineWarningCodes.All];

    // The codes of the titration advisor and of a plan's dose-change record.
    public static TheoryData<string> ReasonCodes() => [.. FindingCodes.All.Where(c => c.StartsWith("titration.", StringComparison.Ordinal)
        || c is FindingCodes.PlanTitrationAccepted or FindingCodes.PlanTitrationOverridden or FindingCodes.PlanAboveSoftLimit or FindingCodes.PlanSoftLimitOverride)];

    [Fact]
    public void Codes_AreEnumerated()
    {
        Assert.Equal(48, EngineWarningCodes.All.Count);
        Assert.Equal(35, EngineWarningCodes.All.Count(c => c.Split('.')[0] is "parse" or "unit" or "dose" || c.EndsWith("unknown", StringComparison.Ordinal)));
        Assert.Equal(19, ReasonCodes().Count);
    }

    [Theory]
    [MemberData(nameof(EngineCodes))]
    public void EngineWarning_EveryCode_ReadsInBothLanguagesWithEveryArgument(string code)
    {
        var template = EngineWarningCodes.Templates[code];
        var names = Placeholders(template).Distinct().ToList();
        var warning = EngineWarning.Of(code, [.. names.Select((n, i) => WarningArg.Of(n, 1.5 + i, "mg/h"))]);

        var en = FindingText.Render(warning, CultureInfo.InvariantCulture);
        var tr = FindingText.Render(warning, Turkish);

        Assert.Equal(warning.Message, en);
        AssertEveryArgument(names, en, tr);
        Assert.Equal(Placeholders(template).Order(), Placeholders(Strings.For(Turkish)[template].Value).Order());
    }

    [Theory]
    [MemberData(nameof(ReasonCodes))]
    public void TitrationReason_EveryCode_ReadsInBothLanguagesWithEveryArgument(string code)
    {
        var template = FindingText.Template(code)!;
        var names = Placeholders(template);
        var finding = Finding.Of(code, FindingSeverity.Info, null, [.. names.Select((n, i) => FindingArg.Of(n, 1.5 + i, "mg/h"))]);

        var en = FindingText.Render(finding, CultureInfo.InvariantCulture);
        var tr = FindingText.Render(finding, Turkish);

        AssertEveryArgument(names, en, tr);
        Assert.Equal(names.Order(), Placeholders(Strings.For(Turkish)[template].Value).Order());
    }

    [Fact]
    public void EngineWarning_Turkish_TranslatesTheRouteAndWritesNumbersAsTheReaderDoes()
    {
        var route = EngineWarning.Of(EngineWarningCodes.RouteAssumed, WarningArg.Of("route", "Intranasal"), WarningArg.Of("source", "Yanagihara 2003"));
        Assert.Equal("İntranazal: emilim değerleri modelin kendisine ait değil (Yanagihara 2003).", FindingText.Render(route, Turkish));
        Assert.Equal("Intranasal: the absorption numbers are not the model's own (Yanagihara 2003).", FindingText.Render(route, CultureInfo.InvariantCulture));

        var age = EngineWarning.Of(EngineWarningCodes.AgeNotGiven, WarningArg.Of("model", "domino1984"), WarningArg.Of("min", 18.5, "years"), WarningArg.Of("max", 65, "years"));
        Assert.Equal("domino1984: yaş girilmedi; model 18,5 yıl ile 65 yıl arası yaşlarda kuruldu.", FindingText.Render(age, Turkish));

        var target = EngineWarning.Of(EngineWarningCodes.TciTargetNotReached, WarningArg.Of("target", 1000, "ng/mL"), WarningArg.Of("minutes", 60, "min"),
            WarningArg.Of("site", "effect site"), WarningArg.Of("reached", 812.5, "ng/mL"), WarningArg.Of("rate", 140, "mg/h"));
        Assert.Equal("1000 ng/mL hedefine 60 dk içinde ulaşılamıyor (sonda etki bölgesi 812,5 ng/mL; azami hız 140 mg/sa).", FindingText.Render(target, Turkish));
    }

    [Theory]
    [MemberData(nameof(EngineCodes))]
    public void EngineWarning_EveryCode_WithWordArguments_ReadsInBothLanguages(string code)
    {
        // The refusals of the unit parser quote what the user typed and name the field: words, not numbers.
        var names = Placeholders(EngineWarningCodes.Templates[code]).Distinct().ToList();
        var warning = EngineWarning.Of(code, [.. names.Select(n => n == "field" ? WarningArg.Of(n, "dose 2 duration") : WarningArg.Of(n, "«" + n + "»"))]);

        var en = FindingText.Render(warning, CultureInfo.InvariantCulture);
        var tr = FindingText.Render(warning, Turkish);

        Assert.Equal(warning.Message, en);
        Assert.DoesNotContain("{", en + tr, StringComparison.Ordinal);
        Assert.NotEqual(en, tr);
        foreach (var n in names.Where(n => n != "field"))
        {
            Assert.Contains("«" + n + "»", en, StringComparison.Ordinal);
            Assert.Contains("«" + n + "»", tr, StringComparison.Ordinal);
        }

        if (names.Contains("field"))
        {
            Assert.StartsWith("dose 2 duration: ", en, StringComparison.Ordinal);
            Assert.StartsWith("doz 2 süresi: ", tr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ParseRefusal_Turkish_TranslatesTheFieldAndTheKind_AndQuotesTheTextAsTyped()
    {
        var unit = QuantityParserRefusal("5 mg/kgg");
        Assert.Equal("doz 1: \"mg/kgg\" birimi \"kgg\" ile bitiyor; bu bir zaman birimi değil (s, min, h, d). Bilinen birimler: mg, mcg, g, ng; mg/kg; mg/h, mg/min; mg/kg/h, mcg/kg/min; ng/mL, mg/L, mg/mL, µM; mL, L; mL/h; s, min, h, d.",
            FindingText.Render(unit, Turkish));

        var kind = Pharmacology.Units.QuantityParser.ParseDuration("5 mg", "weight").Reason!;
        Assert.Equal("ağırlık: \"5 mg\" bir doz (miktar); burada ise bir süre gerekli, ör. \"60 min\".", FindingText.Render(kind, Turkish));

        var weight = Pharmacology.Units.QuantityParser.ParseBodyWeight("700").Reason!;
        Assert.Equal("ağırlık: 700 kg, izin verilen 0,3–500 kg aralığının dışında.", FindingText.Render(weight, Turkish));

        var dose = Pharmacology.Units.DoseExpression.Parse("5 mg over 15 d", "dose 3").Reason!;
        Assert.Equal("doz 3: 15 gün, bir uygulamanın sürebileceği 14 günden uzun; kürü ayrı uygulamalara bölün.", FindingText.Render(dose, Turkish));

        // A field the catalogue does not know is shown as it is, never dropped.
        Assert.Equal("frobnicate 2", FindingText.Field("frobnicate 2", Turkish));
        Assert.Equal("weight", FindingText.Field("weight", CultureInfo.InvariantCulture));

        static EngineWarning QuantityParserRefusal(string text) => Pharmacology.Units.QuantityParser.Parse(text, "dose 1").Reason!;
    }

    [Theory]
    [InlineData("witness", "tanık: ")]
    [InlineData("lotNumber", "lot numarası: ")]
    [InlineData("checkedBy", "kontrol eden: ")]
    [InlineData("finalVolume", "son hacim: ")]
    public void StockRefusal_Turkish_NamesTheRegisterFieldInTurkish(string field, string turkishStart)
    {
        // The register's refusals name API-style fields; a Turkish nurse must read the field in Turkish.
        var finding = Clinic.Findings.Finding.Refused(Clinic.Findings.FindingCodes.StockTextLength, Clinic.Findings.FindingArg.Of("field", field), Clinic.Findings.FindingArg.Of("max", 200));
        Assert.StartsWith(turkishStart, FindingText.Render(finding, Turkish), StringComparison.Ordinal);
        Assert.StartsWith(field + ": ", FindingText.Render(finding, CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void ChartRefusal_Turkish_NamesTheFieldAndTheRangeInTurkish()
    {
        var birth = Clinic.Patients.ChartInput.Date(new DateOnly(2099, 1, 1), "birthDate", Clinic.Patients.ChartInput.EarliestDate, new DateOnly(2026, 12, 5)).Refusal;
        Assert.Equal("doğum tarihi: 01.01.2099, izin verilen 01.01.1900 ile 05.12.2026 aralığının dışında.", FindingText.Render(birth.Findings, birth.Error, Turkish));
        Assert.StartsWith("birthDate: ", FindingText.Render(birth.Findings, birth.Error, CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var name = Clinic.Patients.ChartInput.Name(new string('a', 101), "familyName").Refusal;
        Assert.Equal("soyadı: 101 karakter, izin verilen 100 karakterden uzun.", FindingText.Render(name.Findings, name.Error, Turkish));

        var code = Clinic.Patients.Icd10Code.Parse("X1", "ICD-10").Refusal;
        Assert.Equal("ICD-10: \"X1\" bir ICD-10-CM kodu değil; bir harf, iki rakam ve en çok dört karakter daha beklenir, ör. G90.511.", FindingText.Render(code.Findings, code.Error, Turkish));
    }

    [Fact]
    public void ChartEntryRefusal_Turkish_NamesTheEntryAndTheSubstance()
    {
        var nka = new Finding[] { Finding.Refused(Clinic.Findings.FindingCodes.PatientAllergyContradictsNoKnownAllergies, FindingArg.Of("field", "noKnownAllergies"), FindingArg.Of("substance", "latex")) };
        Assert.Equal(
            "bilinen alerji yok: kartta geçerli bir latex alerjisi var; önce onu etkin değil, geçmiş ya da çürütülmüş olarak işaretleyin.",
            FindingText.Render(nka, "English", Turkish));
        Assert.Equal(
            "noKnownAllergies: the chart has an allergy to latex that applies; mark it inactive, resolved or refuted first.",
            FindingText.Render(nka, "English", CultureInfo.InvariantCulture));

        var entry = new Finding[] { Finding.Refused(Clinic.Findings.FindingCodes.ChartEntryNotActive, FindingArg.Of("field", "entry"), FindingArg.Of("id", "3f2c")) };
        Assert.Equal("kayıt 3f2c: bu kimlikle etkin bir kayıt yok.", FindingText.Render(entry, "English", Turkish));

        var consent = new Finding[] { Finding.Refused(Clinic.Findings.FindingCodes.PlanConsentMissing, FindingArg.Of("field", "consent")) };
        Assert.Equal(
            "onam: plan başlamadan önce endikasyon dışı ketamin için aydınlatılmış onam kaydedilmelidir (FDA onayı yalnızca anestezik olarak).",
            FindingText.Render(consent, "English", Turkish));
    }

    [Fact]
    public void EligibilityNotCurrent_NestsItsCodedCauseInTheReadersLanguage()
    {
        // Hazard: the pre-assessment says in Turkish that the screening is not current and then why in English.
        var expired = new Finding[]
        {
            Finding.Refused(FindingCodes.PreEligibilityNotCurrent, FindingArg.Of("cause", FindingCodes.EligibilityExpired), FindingArg.Of("assessed", "2026-06-01"), FindingArg.Of("days", 30)),
        };
        Assert.Equal(
            "infüzyon öncesi: uygunluk değerlendirmesi güncel değil (uygunluk: 01.06.2026 tarihinde değerlendirildi; 30 gün geçerli; yeniden tarayın).",
            FindingText.Render(expired, "English", Turkish));
        Assert.Equal(
            "pre-assessment: the eligibility assessment is not current (eligibility: assessed on 2026-06-01; valid for 30 days; screen again).",
            FindingText.Render(expired, "English", CultureInfo.InvariantCulture));

        var review = new Finding[] { Finding.Refused(FindingCodes.PreEligibilityNotCurrent, FindingArg.Of("cause", FindingCodes.EligibilityReviewNeeded)) };
        Assert.Equal(
            "infüzyon öncesi: uygunluk değerlendirmesi güncel değil (uygunluk: tedaviyi onaylayan bir hekim değerlendirmesi gerekiyor).",
            FindingText.Render(review, "English", Turkish));

        var notNeeded = new Finding[] { Finding.Refused(FindingCodes.ReviewNotNeeded, FindingArg.Of("field", "review"), FindingArg.Of("result", "NotEligible")) };
        Assert.Equal(
            "hekim değerlendirmesi: değerlendirmenin sonucu \"Uygun değil\"; yalnızca \"Hekim değerlendirmesi gerekli\" sonucu değerlendirilir.",
            FindingText.Render(notNeeded, "English", Turkish));
        Assert.Equal(
            "review: the assessment's result is NotEligible; only NeedsPhysicianReview is reviewed.",
            FindingText.Render(notNeeded, "English", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void PlanStatusAndCeiling_Turkish_StatusWordsAndDosesInTurkish()
    {
        var status = new Finding[] { Finding.Refused(FindingCodes.PlanStatusChange, FindingArg.Of("field", "plan"), FindingArg.Of("from", "Discontinued"), FindingArg.Of("to", "Completed")) };
        Assert.Equal("plan: durum \"Sonlandırıldı\" iken \"Tamamlandı\" olarak değiştirilemez.", FindingText.Render(status, "English", Turkish));
        Assert.Equal("plan: cannot change status from Discontinued to Completed.", FindingText.Render(status, "English", CultureInfo.InvariantCulture));

        var ceiling = new Finding[] { Finding.Refused(FindingCodes.PlanDoseAboveCeiling, FindingArg.Of("field", "dose"), FindingArg.Of("value", 2.01, "mg/kg/h"), FindingArg.Of("limit", 2, "mg/kg/h")) };
        Assert.Equal("doz: 2,01 mg/kg/sa, protokolün tavanı olan 2 mg/kg/sa değerinin üstünde ya da başka bir birimde.", FindingText.Render(ceiling, "English", Turkish));
        Assert.Equal("dose: 2.01 mg/kg/h is above the protocol's ceiling 2 mg/kg/h or in another unit.", FindingText.Render(ceiling, "English", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ProtocolAndPreparation_Turkish_UnitsBoundsAndPreparationInTurkish()
    {
        var level = new Finding[]
        {
            Finding.Refused(FindingCodes.ProtocolLevelAboveHardLimit, FindingArg.Of("field", "step"), FindingArg.Of("value", 2.5, "mg/kg/h"), FindingArg.Of("low", "at least 0"), FindingArg.Of("max", 2, "mg/kg/h"), FindingArg.Of("source", "Cohen 2018")),
        };
        Assert.Equal("adım: 2,5 mg/kg/sa izin verilen aralığın dışında: en az 0 ve en çok 2 mg/kg/sa (ilaç kütüphanesinin kesin sınırı; Cohen 2018).", FindingText.Render(level, "English", Turkish));
        Assert.Equal(
            "step: 2.5 mg/kg/h is outside the allowed range: at least 0 and at most 2 mg/kg/h (hard limit of the drug library; Cohen 2018).",
            FindingText.Render(level, "English", CultureInfo.InvariantCulture));

        var unit = new Finding[] { Finding.Refused(FindingCodes.ProtocolLevelOutOfRange, FindingArg.Of("field", "start"), FindingArg.Of("value", 0, "mg"), FindingArg.Of("low", "greater than 0"), FindingArg.Of("unit", "mg/kg/h")) };
        Assert.Equal("başlangıç: 0 mg izin verilen aralığın dışında: 0'dan büyük mg/kg/sa.", FindingText.Render(unit, "English", Turkish));

        var dilute = new Finding[] { Finding.Refused(FindingCodes.PreparationNeedsDilution, FindingArg.Of("field", "preparation"), FindingArg.Of("preparation", "vial-100")) };
        Assert.Equal(
            "müstahzar: " + TextFormat.Preparation(Clinic.Dosing.DrugLibrary.Default.Preparation("vial-100").Value, Turkish) + " IV kullanımdan önce seyreltilmelidir (Ketalar prospektüsü).",
            FindingText.Render(dilute, "English", Turkish));
        Assert.Equal("preparation: Vial 100 mg/mL, 5 mL must be diluted before IV use (Ketalar label).", FindingText.Render(dilute, "English", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void DoseChange_Turkish_JoinsTheAcceptanceAndTheAdvisorsReasons()
    {
        var source = new Clinic.Source("assumption", "titration rules", Pharmacology.Models.Certainty.Assumption);
        IReadOnlyList<Finding> findings =
        [
            Finding.Of(FindingCodes.PlanTitrationAccepted, FindingSeverity.Info, null),
            Finding.Of(FindingCodes.TitrationStepUp, FindingSeverity.Info, source, FindingArg.Of("dose", 0.75, "mg/kg/h"), FindingArg.Of("max", 2, "mg/kg/h")),
        ];
        Assert.Equal("Titrasyon önerisi kabul edildi: Tolere edildi, seanslar arası ağrı azalması sabit tutma eşiğinin altında: bir düzey yukarı, 0,75 mg/kg/sa (azami 2 mg/kg/sa).",
            FindingText.Render(findings, "unused", Turkish));
    }

    private static void AssertEveryArgument(IReadOnlyList<string> names, string en, string tr)
    {
        Assert.DoesNotContain("{", en + tr, StringComparison.Ordinal);
        Assert.NotEqual(en, tr);
        for (var i = 0; i < names.Count; i++)
        {
            var value = 1.5 + i;
            Assert.Contains(value.ToString(CultureInfo.InvariantCulture) + " mg/h", en, StringComparison.Ordinal);
            Assert.Contains(value.ToString(Turkish) + " mg/sa", tr, StringComparison.Ordinal);
        }
    }

    private static List<string> Placeholders(string template) => [.. Placeholder().Matches(template).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"\{([A-Za-z0-9]+)\}")]
    private static partial Regex Placeholder();
}
