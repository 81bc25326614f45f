using System.Globalization;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Interop.Charts;

/// <summary>
/// The words on KetaCare's charts, in one language. <see cref="English"/> and <see cref="Turkish"/> ship with
/// KetaCare; a clinic may copy one with <c>with</c> to change wording. Numbers on charts are always written with the
/// invariant culture (decimal point), whatever the language, so a dose never reads differently across machines.
/// </summary>
public sealed record ChartText
{
    /// <summary>English.</summary>
    public static ChartText English { get; } = new();

    /// <summary>Turkish.</summary>
    public static ChartText Turkish { get; } = new()
    {
        Language = "tr",
        TimeMinutes = "Zaman (dk)",
        ClockTime = "Saat (UTC)",
        TimeHours = "Zaman (sa)",
        TimeDays = "Gün (ilk seanstan itibaren)",
        Concentration = "Konsantrasyon (ng/mL)",
        Plasma = "plazma",
        EffectSite = "etki bölgesi",
        PredictedPlasma = "Tahmini plazma",
        PredictedEffectSite = "Tahmini etki bölgesi",
        ConcentrationTitle = "Tahmini ketamin konsantrasyonu",
        Bands = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["analgesia"] = "akut analjezi",
            ["dissociation"] = "disosiyasyon",
            ["anaesthesia"] = "anestezi",
        },
        PumpRate = "Pompa hızı",
        RateMlPerHour = "Hız (mL/sa)",
        RateMgPerKgPerHour = "Hız (mg/kg/sa)",
        VitalSigns = "Vital bulgular",
        HeartRate = "Nabız (/dk)",
        Systolic = "Sistolik KB (mmHg)",
        Diastolic = "Diyastolik KB (mmHg)",
        SpO2 = "SpO₂ (%)",
        Scores = "Skorlar",
        PainNrs = "Ağrı NRS (0–10)",
        Rass = "Sedasyon RASS (−5…+4)",
        Moaas = "Sedasyon MOAA/S (0–5)",
        Alert = "uyarı",
        AdverseEvent = "advers olay",
        SessionTitle = "Seans zaman çizelgesi",
        CourseTitle = "Tedavi sonucu",
        PainBefore = "Ağrı NRS seans öncesi",
        PainAfter = "Ağrı NRS seans sonrası",
        PainTrajectory = "Ağrı NRS (seanslar ve izlem)",
        Baseline = "başlangıç",
        ModerateResponse = "%30 azalma (IMMPACT)",
        SubstantialResponse = "%50 azalma (IMMPACT)",
        ObservedReduction = "Gözlenen azalma (%)",
        PredictedRelief = "Tahmini rahatlama, maksimum etkinin %'si (Dahan 2011)",
        ReliefAxis = "%",
        DosePerSession = "Seans başına verilen doz (mg)",
        DoseAxis = "Doz (mg)",
        Median = "medyan",
        Threshold = "eşik",
        PopulationTitle = "Popülasyon konsantrasyon bantları",
        NoPrediction = "tahmin yok",
    };

    /// <summary>Language code ("en", "tr").</summary>
    public string Language { get; init; } = "en";

    /// <summary>X axis in minutes.</summary>
    public string TimeMinutes { get; init; } = "Time (min)";

    /// <summary>X axis of a session timeline: the clock time of day.</summary>
    public string ClockTime { get; init; } = "Clock time (UTC)";

    /// <summary>X axis in hours.</summary>
    public string TimeHours { get; init; } = "Time (h)";

    /// <summary>X axis in days of a course.</summary>
    public string TimeDays { get; init; } = "Day (from the first session)";

    /// <summary>Concentration axis.</summary>
    public string Concentration { get; init; } = "Concentration (ng/mL)";

    /// <summary>"plasma", appended to a regimen's label.</summary>
    public string Plasma { get; init; } = "plasma";

    /// <summary>"effect site", appended to a regimen's label.</summary>
    public string EffectSite { get; init; } = "effect site";

    /// <summary>Predicted plasma series.</summary>
    public string PredictedPlasma { get; init; } = "Predicted plasma";

    /// <summary>Predicted effect-site series.</summary>
    public string PredictedEffectSite { get; init; } = "Predicted effect site";

    /// <summary>Title of the concentration preview.</summary>
    public string ConcentrationTitle { get; init; } = "Predicted ketamine concentration";

    /// <summary>Band names by <see cref="ConcentrationBand.Key"/>.</summary>
    public IReadOnlyDictionary<string, string> Bands { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["analgesia"] = "acute analgesia",
        ["dissociation"] = "dissociation",
        ["anaesthesia"] = "anaesthesia",
    };

    /// <summary>Pump rate panel.</summary>
    public string PumpRate { get; init; } = "Pump rate";

    /// <summary>Rate axis, mL/h.</summary>
    public string RateMlPerHour { get; init; } = "Rate (mL/h)";

    /// <summary>Rate axis, mg/kg/h.</summary>
    public string RateMgPerKgPerHour { get; init; } = "Rate (mg/kg/h)";

    /// <summary>Vital signs panel.</summary>
    public string VitalSigns { get; init; } = "Vital signs";

    /// <summary>Heart rate series.</summary>
    public string HeartRate { get; init; } = "HR (/min)";

    /// <summary>Systolic series.</summary>
    public string Systolic { get; init; } = "SBP (mmHg)";

    /// <summary>Diastolic series.</summary>
    public string Diastolic { get; init; } = "DBP (mmHg)";

    /// <summary>SpO₂ series.</summary>
    public string SpO2 { get; init; } = "SpO₂ (%)";

    /// <summary>Scores panel.</summary>
    public string Scores { get; init; } = "Scores";

    /// <summary>Pain NRS series.</summary>
    public string PainNrs { get; init; } = "Pain NRS (0–10)";

    /// <summary>RASS series.</summary>
    public string Rass { get; init; } = "Sedation RASS (−5…+4)";

    /// <summary>MOAA/S series.</summary>
    public string Moaas { get; init; } = "Sedation MOAA/S (0–5)";

    /// <summary>Alert marker.</summary>
    public string Alert { get; init; } = "alert";

    /// <summary>Adverse event marker.</summary>
    public string AdverseEvent { get; init; } = "adverse event";

    /// <summary>Title of the session timeline.</summary>
    public string SessionTitle { get; init; } = "Session timeline";

    /// <summary>Title of the course outcome chart.</summary>
    public string CourseTitle { get; init; } = "Course outcome";

    /// <summary>Pain before a session.</summary>
    public string PainBefore { get; init; } = "Pain NRS before session";

    /// <summary>Pain after a session.</summary>
    public string PainAfter { get; init; } = "Pain NRS after session";

    /// <summary>Pain over the course.</summary>
    public string PainTrajectory { get; init; } = "Pain NRS (sessions and follow-up)";

    /// <summary>Baseline line.</summary>
    public string Baseline { get; init; } = "baseline";

    /// <summary>30 % responder line.</summary>
    public string ModerateResponse { get; init; } = "30 % reduction (IMMPACT)";

    /// <summary>50 % responder line.</summary>
    public string SubstantialResponse { get; init; } = "50 % reduction (IMMPACT)";

    /// <summary>Observed reduction from baseline.</summary>
    public string ObservedReduction { get; init; } = "Observed reduction (%)";

    /// <summary>Predicted relief.</summary>
    public string PredictedRelief { get; init; } = "Predicted relief, % of maximal effect (Dahan 2011)";

    /// <summary>Relief axis.</summary>
    public string ReliefAxis { get; init; } = "%";

    /// <summary>Dose bars.</summary>
    public string DosePerSession { get; init; } = "Dose given per session (mg)";

    /// <summary>Dose axis.</summary>
    public string DoseAxis { get; init; } = "Dose (mg)";

    /// <summary>Median line of a population.</summary>
    public string Median { get; init; } = "median";

    /// <summary>Threshold line.</summary>
    public string Threshold { get; init; } = "threshold";

    /// <summary>Title of the population chart.</summary>
    public string PopulationTitle { get; init; } = "Population concentration bands";

    /// <summary>Shown when the concentration cannot be predicted.</summary>
    public string NoPrediction { get; init; } = "no prediction";

    /// <summary>Turkish for a Turkish culture (tr, tr-TR), English otherwise.</summary>
    public static ChartText For(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return culture.TwoLetterISOLanguageName == "tr" ? Turkish : English;
    }

    /// <summary>Turkish for "tr", English for "en"; null for any other code.</summary>
    public static ChartText? ForLanguage(string? code) => code?.Trim().ToUpperInvariant() switch
    {
        "TR" => Turkish,
        "EN" => English,
        _ => null,
    };

    /// <summary>"acute analgesia 70–160 ng/mL (Zanos 2018)".</summary>
    public string BandLabel(ConcentrationBand band)
    {
        ArgumentNullException.ThrowIfNull(band);
        var name = Bands.TryGetValue(band.Key, out var n) ? n : band.Key;
        return $"{name} {SafeNumber.Format(band.LowNgPerMl)}–{SafeNumber.Format(band.HighNgPerMl)} ng/mL ({band.Citation})";
    }
}
