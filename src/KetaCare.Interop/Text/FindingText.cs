using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Interop.Text;

/// <summary>
/// Turns coded findings into sentences in English or Turkish, with numbers in the reader's culture and units in the
/// language's own abbreviations. The one place findings become words: the web pages, the API's problem details, the
/// CLI and the reports all call it. Every code of <see cref="FindingCodes"/> and every dose-limit id has both texts (a
/// test enforces it). Thread-safe.
/// </summary>
public static class FindingText
{
    // Placeholders: {name} is replaced by the finding's parameter of that name (number with unit, or token).
    private static readonly FrozenDictionary<string, (string En, string Tr)> Templates = new Dictionary<string, (string En, string Tr)>(StringComparer.Ordinal)
    {
        [FindingCodes.NotFound] = ("{what} {id}: not found.", "{what} {id}: bulunamadı."),
        [FindingCodes.VersionConflict] = ("{what}: changed by someone else since you opened it; nothing was saved — reload it and apply your change again.", "{what}: siz açtıktan sonra başka biri değiştirdi; hiçbir şey kaydedilmedi — yeniden yükleyip değişikliğinizi tekrar uygulayın."),
        [FindingCodes.SessionState] = ("session: cannot go from {from} to {to}.", "seans: {from} durumundan {to} durumuna geçilemez."),
        [FindingCodes.ReasonRequired] = ("{field}: a reason of 1 to {max} characters is required.", "{field}: 1 ile {max} karakter arasında bir gerekçe gereklidir."),
        [FindingCodes.PreAssessmentNotPassed] = ("session: the pre-assessment checks have not passed.", "seans: infüzyon öncesi kontroller geçilmedi."),
        [FindingCodes.SingleDoseProtocol] = ("session: {protocol} is a single-dose protocol; it has no pump or rate.", "seans: {protocol} tek dozluk bir protokoldür; pompası ve hızı yoktur."),
        [FindingCodes.InfusionProtocol] = ("session: {protocol} is an infusion; start it with its pump program.", "seans: {protocol} bir infüzyondur; pompa programıyla başlatın."),
        [FindingCodes.RoleRequired] = ("only an active {role} may do this; the override was not accepted.", "bunu yalnızca aktif bir {role} yapabilir; geçersiz kılma kabul edilmedi."),
        [FindingCodes.PreVitalsMissing] = ("pre-assessment: vital signs (BP, HR, SpO₂) not recorded.", "infüzyon öncesi: yaşam bulguları (KB, KH, SpO₂) kaydedilmedi."),
        [FindingCodes.PrePainMissing] = ("pre-assessment: pain NRS not recorded.", "infüzyon öncesi: ağrı NRS kaydedilmedi."),
        [FindingCodes.PrePatientMismatch] = ("pre-assessment: the chart is another patient's.", "infüzyon öncesi: dosya başka bir hastaya ait."),
        [FindingCodes.PreConsentMissing] = ("pre-assessment: no valid off-label consent on {date}.", "infüzyon öncesi: {date} tarihinde geçerli endikasyon dışı kullanım onamı yok."),
        [FindingCodes.PreEligibilityMissing] = ("pre-assessment: no eligibility assessment.", "infüzyon öncesi: uygunluk değerlendirmesi yok."),
        [FindingCodes.PreEligibilityNotCurrent] = ("pre-assessment: the eligibility assessment is not current ({detail}).", "infüzyon öncesi: uygunluk değerlendirmesi güncel değil ({detail})."),
        [FindingCodes.PrePregnant] = ("pre-assessment: the patient is pregnant; ketamine is avoided in pregnancy.", "infüzyon öncesi: hasta gebe; gebelikte ketaminden kaçınılır."),
        [FindingCodes.PrePregnancyTestMissing] = ("pre-assessment: a negative pregnancy test on {date} is required.", "infüzyon öncesi: {date} tarihli negatif gebelik testi gereklidir."),
        [FindingCodes.PreWeightMissing] = ("pre-assessment: no weight valid on the session date ({detail}).", "infüzyon öncesi: seans tarihinde geçerli kilo yok ({detail})."),
        [FindingCodes.DosingWeightUnavailable] = ("dosing weight: the protocol doses on the {rule} body weight, which needs a height and sex on the chart.", "dozlama kilosu: protokol {rule} vücut ağırlığıyla dozlar; bunun için dosyada boy ve cinsiyet gerekir."),
        [FindingCodes.ProgramMissing] = ("pump program: none recorded yet; program the pump, then have it checked.", "pompa programı: henüz kaydedilmedi; pompayı programlayın, sonra kontrol ettirin."),
        [FindingCodes.ProgramDoseMismatch] = ("pump program: programmed for {programmed}, but this session's dose is {planned}.", "pompa programı: {programmed} için programlandı, ancak bu seansın dozu {planned}."),
        [FindingCodes.ProgramWeightMismatch] = ("pump program: computed for {programmed}, but the session's weight is {session}; program again.", "pompa programı: {programmed} için hesaplandı, seansın kilosu {session}; yeniden programlayın."),
        [FindingCodes.ProgramRateRoundsToZero] = ("rate: {rate} rounds to 0 at the pump's increment of {increment}; use a lower concentration.", "hız: {rate}, pompanın {increment} adımında 0'a yuvarlanır; daha düşük bir konsantrasyon kullanın."),
        [FindingCodes.ProgramNotChecked] = ("pump program: needs an independent second check before starting.", "pompa programı: başlamadan önce bağımsız ikinci kontrol gerekir."),
        [FindingCodes.CheckSameUser] = ("second check: must be done by another person than the one who programmed the pump.", "ikinci kontrol: pompayı programlayan kişiden başka biri yapmalıdır."),
        [FindingCodes.CheckCheckerNotEligible] = ("second check: the checker must be an active, registered nurse or physician.", "ikinci kontrol: kontrol eden kişi aktif, kayıtlı bir hemşire veya hekim olmalıdır."),
        [FindingCodes.CheckAlreadyDone] = ("second check: already done.", "ikinci kontrol: zaten yapıldı."),
        [FindingCodes.CheckMismatch] = ("second check: {field} read {read}, programmed {programmed} — the program was cleared; program the pump again.", "ikinci kontrol: {field} okunan {read}, programlanan {programmed} — program silindi; pompayı yeniden programlayın."),
        [FindingCodes.DoseCheckStale] = ("dose check: it was run for another rate, VTBI, weight or preparation; check again.", "doz kontrolü: başka bir hız, VTBI, kilo veya hazırlık için yapıldı; yeniden kontrol edin."),
        [FindingCodes.DoseNotPositive] = ("{field}: must be greater than 0.", "{field}: 0'dan büyük olmalıdır."),
        [FindingCodes.RateOutOfRange] = ("rate: {value} is outside what the pump can run ({min} to {max}); pause instead of a rate below the pump's increment.", "hız: {value}, pompanın çalıştırabileceği aralığın dışında ({min}–{max}); pompanın adımından düşük hız yerine duraklatın."),
        [FindingCodes.RateAboveProgram] = ("rate: {value} is above the checked program's {limit}; a higher rate needs a new program, dose check and second check.", "hız: {value}, kontrol edilmiş programın {limit} değerinin üzerinde; daha yüksek hız yeni program, doz kontrolü ve ikinci kontrol gerektirir."),
        [FindingCodes.VitalSpO2Low] = ("SpO₂ {value} is below {limit}.", "SpO₂ {value}, {limit} değerinin altında."),
        [FindingCodes.VitalSystolicHigh] = ("systolic BP {value} is above {limit}.", "sistolik KB {value}, {limit} değerinin üzerinde."),
        [FindingCodes.VitalSystolicLow] = ("systolic BP {value} is below {limit} (hypotension).", "sistolik KB {value}, {limit} değerinin altında (hipotansiyon)."),
        [FindingCodes.VitalDiastolicHigh] = ("diastolic BP {value} is above {limit}.", "diyastolik KB {value}, {limit} değerinin üzerinde."),
        [FindingCodes.VitalHeartRateHigh] = ("heart rate {value} is above {limit}.", "kalp hızı {value}, {limit} değerinin üzerinde."),
        [FindingCodes.VitalHeartRateLow] = ("heart rate {value} is below {limit} (bradycardia).", "kalp hızı {value}, {limit} değerinin altında (bradikardi)."),
        [FindingCodes.VitalRespiratoryRateLow] = ("respiratory rate {value} is below {limit} (respiratory depression).", "solunum hızı {value}, {limit} değerinin altında (solunum depresyonu)."),
        [FindingCodes.VitalRespiratoryRateHigh] = ("respiratory rate {value} is above {limit}.", "solunum hızı {value}, {limit} değerinin üzerinde."),
        [FindingCodes.VitalDeepSedation] = ("{scale} {value} is sedation at or below {limit}.", "{scale} {value}, {limit} veya altında sedasyon."),
        [FindingCodes.VitalAgitation] = ("RASS {value} is agitation at or above {limit} (emergence reaction).", "RASS {value}, {limit} veya üzerinde ajitasyon (derlenme reaksiyonu)."),
        [FindingCodes.VitalCadssHigh] = ("CADSS {value} is above {limit} (dissociation).", "CADSS {value}, {limit} değerinin üzerinde (disosiyasyon)."),
        [FindingCodes.ObservationEmpty] = ("observation: enter at least one value.", "gözlem: en az bir değer girin."),
        [FindingCodes.ObservationTimeOutOfRange] = ("observation time: must lie between {earliest} and now ({latest}).", "gözlem zamanı: {earliest} ile şimdi ({latest}) arasında olmalıdır."),
        [FindingCodes.GateVitalsMissing] = ("record a complete vitals set (BP, HR, SpO₂, RR) within the last {window} first.", "önce son {window} içinde tam bir yaşam bulguları seti (KB, KH, SpO₂, SH) kaydedin."),
        [FindingCodes.GateUnacknowledgedAlert] = ("{count} stop-level alert(s) not acknowledged: acknowledge each with the action taken before resuming or raising the rate.", "{count} durdurma düzeyinde uyarı onaylanmadı: devam etmeden veya hızı artırmadan önce her birini yapılan işlemle onaylayın."),
        [FindingCodes.AlertNotOpen] = ("alert {alert}: no open alert with this number.", "uyarı {alert}: bu numarada açık uyarı yok."),
        [FindingCodes.DischargeObservationTime] = ("discharge: {elapsed} since the end of the drug; the minimum is {required} (ready at {readyAt}).", "taburculuk: ilacın bitiminden bu yana {elapsed}; en az {required} gerekir (hazır: {readyAt})."),
        [FindingCodes.DischargeRecoveryVitalsMissing] = ("discharge: record a complete vitals set after the end of the infusion first.", "taburculuk: önce infüzyon bitiminden sonra tam bir yaşam bulguları seti kaydedin."),
        [FindingCodes.DischargeAldreteLow] = ("discharge: modified Aldrete {total} is below {threshold}.", "taburculuk: modifiye Aldrete {total}, {threshold} değerinin altında."),
        [FindingCodes.DischargeEscortMissing] = ("discharge: an escort must be present.", "taburculuk: bir refakatçi bulunmalıdır."),
        [FindingCodes.DischargeEffectSiteHigh] = ("discharge: predicted effect-site concentration {value} is above {limit} (predicted ready at {readyAt}).", "taburculuk: öngörülen etki bölgesi konsantrasyonu {value}, {limit} değerinin üzerinde (öngörülen hazır olma: {readyAt})."),
        [FindingCodes.DischargePredictionUnavailable] = ("discharge: the effect-site prediction could not run ({detail}).", "taburculuk: etki bölgesi öngörüsü yapılamadı ({detail})."),
        [FindingCodes.PumpVolumeDifference] = ("dose: the pump shows {pump} infused but {computed} was computed (tolerance {tolerance}); check the pump and the line.", "doz: pompa {pump} infüze gösteriyor, hesaplanan {computed} (tolerans {tolerance}); pompayı ve seti kontrol edin."),
        [FindingCodes.PumpVolumeOutOfRange] = ("pump volume: {value} is outside 0 to {max}.", "pompa hacmi: {value}, 0 ile {max} aralığının dışında."),
        [FindingCodes.FirstSessionAboveStart] = ("start dose: {value} is above the protocol's start dose {limit}; start low, or override with a reason.", "başlangıç dozu: {value}, protokolün başlangıç dozu {limit} üzerinde; düşük başlayın veya gerekçeyle geçersiz kılın."),
        [FindingCodes.StartAboveCeiling] = ("start dose: {value} is above the protocol's ceiling {limit}.", "başlangıç dozu: {value}, protokolün tavanı {limit} üzerinde."),
        [FindingCodes.StartDoseUnit] = ("start dose: {value} is not in the protocol's unit ({unit}).", "başlangıç dozu: {value} protokolün biriminde değil ({unit})."),
        [FindingCodes.SimulationAboveLimit] = ("{what}: {value} is above the clinical hard limit of {limit}.", "{what}: {value}, {limit} klinik kesin sınırının üzerinde."),
        [FindingCodes.TciRateCapped] = ("TCI: the schedule needed up to {needed}; rates were capped at the hard limit {limit}, so the target is reached later.", "TCI: plan {needed} değerine kadar hız gerektirdi; hızlar {limit} kesin sınırında sınırlandı, hedefe daha geç ulaşılır."),
        [FindingCodes.LimitPrefix + "rate-mg-kg-h"] = ("rate: {value} is above the limit of {limit}.", "hız: {value}, {limit} sınırının üzerinde."),
        [FindingCodes.LimitPrefix + "rate-mg-h"] = ("absolute rate: {value} is above the limit of {limit}.", "mutlak hız: {value}, {limit} sınırının üzerinde."),
        [FindingCodes.LimitPrefix + "bolus-mg-kg"] = ("bolus: {value} is above the limit of {limit}.", "bolus: {value}, {limit} sınırının üzerinde."),
        [FindingCodes.LimitPrefix + "single-dose-mg"] = ("single dose: {value} is above the limit of {limit}.", "tek doz: {value}, {limit} sınırının üzerinde."),
        [FindingCodes.LimitPrefix + "session-total"] = ("session total: {value} is above the limit of {limit} (rate limit × duration × weight).", "seans toplamı: {value}, {limit} sınırının üzerinde (hız sınırı × süre × kilo)."),
        [FindingCodes.LimitPrefix + "session-total-mg"] = ("session total: {value} is above the absolute limit of {limit}.", "seans toplamı: {value}, {limit} mutlak sınırının üzerinde."),
        [FindingCodes.LimitPrefix + "vtbi"] = ("VTBI: {value} is above the limit of {limit}.", "VTBI: {value}, {limit} sınırının üzerinde."),
        [FindingCodes.LimitPrefix + "preparation"] = ("preparation: {value} must be diluted before IV use.", "hazırlık: {value}, IV kullanımdan önce seyreltilmelidir."),
        [FindingCodes.LimitPrefix + "dose-unit"] = ("dose: {value} is not in the protocol's unit.", "doz: {value} protokolün biriminde değil."),
        [FindingCodes.LimitPrefix + "dose-zero"] = ("dose: must be greater than 0.", "doz: 0'dan büyük olmalıdır."),
        [FindingCodes.LimitPrefix + "pk-peak"] = ("predicted peak plasma concentration: {value} is above the limit of {limit}.", "öngörülen tepe plazma konsantrasyonu: {value}, {limit} sınırının üzerinde."),
        [FindingCodes.LimitPrefix + "pk-unavailable"] = ("predicted peak: the PK check could not run; give only with a recorded reason.", "öngörülen tepe: FK kontrolü yapılamadı; yalnızca kayıtlı bir gerekçeyle verin."),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Units as Turkish clinicians write them; English keeps the ISMP forms.
    private static readonly FrozenDictionary<string, string> TurkishUnits = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["mg/kg/h"] = "mg/kg/sa",
        ["mg/h"] = "mg/sa",
        ["mL/h"] = "mL/sa",
        ["min"] = "dk",
        ["/min"] = "/dk",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every code with a text (the finding codes and the "limit." codes of the dose check).</summary>
    public static IReadOnlyCollection<string> Codes => Templates.Keys;

    /// <summary>True when <paramref name="code"/> has English and Turkish texts.</summary>
    public static bool Has(string code) => Templates.ContainsKey(code);

    /// <summary>The finding as a sentence in <paramref name="culture"/> (Turkish for "tr", English otherwise).</summary>
    /// <param name="finding">The finding.</param>
    /// <param name="culture">The reader's culture: language and number format.</param>
    /// <param name="time">Formats a moment for the reader (e.g. the clinic's local HH:mm); UTC HH:mm when null.</param>
    public static string Render(Finding finding, CultureInfo culture, Func<DateTimeOffset, string>? time = null)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(culture);
        var turkish = culture.TwoLetterISOLanguageName == "tr";
        if (!Templates.TryGetValue(finding.Code, out var t))
        {
            // An unknown code (a newer server's) is still shown, in its canonical form, never dropped.
            return finding.ToString();
        }

        var template = turkish ? t.Tr : t.En;
        var sb = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }

            var close = template.IndexOf('}', open);
            sb.Append(template, i, open - i);
            var name = template[(open + 1)..close];
            sb.Append(finding.Arg(name) is { } arg ? Value(arg, culture, turkish, time) : "?");
            i = close + 1;
        }

        return sb.ToString();
    }

    /// <summary>A refusal's findings as sentences, joined by spaces; the refusal's text when it has no findings.</summary>
    public static string Render(IReadOnlyList<Finding> findings, string fallback, CultureInfo culture, Func<DateTimeOffset, string>? time = null)
    {
        ArgumentNullException.ThrowIfNull(findings);
        return findings.Count == 0 ? fallback : string.Join(" ", findings.Select(f => Render(f, culture, time)));
    }

    /// <summary>A dose-limit finding as a sentence.</summary>
    public static string Render(LimitFinding finding, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return Render(finding.ToFinding(), culture);
    }

    /// <summary>A unit in the reader's language ("mL/h" → "mL/sa" in Turkish).</summary>
    public static string Unit(string unit, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(culture);
        return culture.TwoLetterISOLanguageName == "tr" && TurkishUnits.TryGetValue(unit, out var tr) ? tr : unit;
    }

    private static string Value(FindingArg arg, CultureInfo culture, bool turkish, Func<DateTimeOffset, string>? time)
    {
        if (arg.Number is { } n)
        {
            var number = double.IsFinite(n) ? SafeNumber.FormatFor(culture, n) : "—";
            if (arg.Unit.Length == 0)
            {
                return number;
            }

            var unit = turkish && TurkishUnits.TryGetValue(arg.Unit, out var tr) ? tr : arg.Unit;

            // "92 %" in English; Turkish writes the percent sign first ("%92").
            return unit == "%" && turkish ? "%" + number : number + " " + unit;
        }

        var text = arg.Text ?? string.Empty;
        if (DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return time?.Invoke(at) ?? at.ToString("HH:mm", CultureInfo.InvariantCulture);
        }

        return text;
    }
}
