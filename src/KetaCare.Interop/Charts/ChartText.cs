using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Interop.Text;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Interop.Charts;

/// <summary>
/// The words on KetaCare's charts, in one language, taken from <see cref="Strings"/> like every other text
/// (<see cref="For"/>); a clinic may copy one with <c>with</c> to change wording. Numbers on charts are always written
/// with the invariant culture (decimal point), whatever the language, so a dose never reads differently across machines.
/// </summary>
public sealed record ChartText
{
    /// <summary>English.</summary>
    public static ChartText English { get; } = For(CultureInfo.InvariantCulture);

    /// <summary>Language code ("en", "tr").</summary>
    public required string Language { get; init; }

    /// <summary>X axis in minutes.</summary>
    public required string TimeMinutes { get; init; }

    /// <summary>X axis of a session timeline: the clock time of day.</summary>
    public required string ClockTime { get; init; }

    /// <summary>X axis in hours.</summary>
    public required string TimeHours { get; init; }

    /// <summary>X axis in days of a course.</summary>
    public required string TimeDays { get; init; }

    /// <summary>Concentration axis.</summary>
    public required string Concentration { get; init; }

    /// <summary>"plasma", appended to a regimen's label.</summary>
    public required string Plasma { get; init; }

    /// <summary>"effect site", appended to a regimen's label.</summary>
    public required string EffectSite { get; init; }

    /// <summary>Predicted plasma series.</summary>
    public required string PredictedPlasma { get; init; }

    /// <summary>Predicted effect-site series.</summary>
    public required string PredictedEffectSite { get; init; }

    /// <summary>Title of the concentration preview.</summary>
    public required string ConcentrationTitle { get; init; }

    /// <summary>Band names by <see cref="ConcentrationBand.Key"/>.</summary>
    public required IReadOnlyDictionary<string, string> Bands { get; init; }

    /// <summary>Pump rate panel.</summary>
    public required string PumpRate { get; init; }

    /// <summary>Rate axis, mL/h.</summary>
    public required string RateMlPerHour { get; init; }

    /// <summary>Rate axis, mg/kg/h.</summary>
    public required string RateMgPerKgPerHour { get; init; }

    /// <summary>Vital signs panel.</summary>
    public required string VitalSigns { get; init; }

    /// <summary>Heart rate series.</summary>
    public required string HeartRate { get; init; }

    /// <summary>Systolic series.</summary>
    public required string Systolic { get; init; }

    /// <summary>Diastolic series.</summary>
    public required string Diastolic { get; init; }

    /// <summary>SpO₂ series.</summary>
    public required string SpO2 { get; init; }

    /// <summary>Scores panel.</summary>
    public required string Scores { get; init; }

    /// <summary>Pain NRS series.</summary>
    public required string PainNrs { get; init; }

    /// <summary>RASS series.</summary>
    public required string Rass { get; init; }

    /// <summary>MOAA/S series.</summary>
    public required string Moaas { get; init; }

    /// <summary>Alert marker.</summary>
    public required string Alert { get; init; }

    /// <summary>Adverse event marker.</summary>
    public required string AdverseEvent { get; init; }

    /// <summary>Premedication or rescue dose marker.</summary>
    public required string PremedicationOrRescue { get; init; }

    /// <summary>Title of the session timeline.</summary>
    public required string SessionTitle { get; init; }

    /// <summary>Title of the course outcome chart.</summary>
    public required string CourseTitle { get; init; }

    /// <summary>Pain before a session.</summary>
    public required string PainBefore { get; init; }

    /// <summary>Pain after a session.</summary>
    public required string PainAfter { get; init; }

    /// <summary>Pain over the course.</summary>
    public required string PainTrajectory { get; init; }

    /// <summary>Baseline line.</summary>
    public required string Baseline { get; init; }

    /// <summary>30 % responder line.</summary>
    public required string ModerateResponse { get; init; }

    /// <summary>50 % responder line.</summary>
    public required string SubstantialResponse { get; init; }

    /// <summary>Observed reduction from baseline.</summary>
    public required string ObservedReduction { get; init; }

    /// <summary>Predicted relief.</summary>
    public required string PredictedRelief { get; init; }

    /// <summary>Relief axis.</summary>
    public required string ReliefAxis { get; init; }

    /// <summary>Dose bars.</summary>
    public required string DosePerSession { get; init; }

    /// <summary>Dose axis.</summary>
    public required string DoseAxis { get; init; }

    /// <summary>Median line of a population.</summary>
    public required string Median { get; init; }

    /// <summary>Threshold line.</summary>
    public required string Threshold { get; init; }

    /// <summary>Title of the population chart.</summary>
    public required string PopulationTitle { get; init; }

    /// <summary>Shown when the concentration cannot be predicted.</summary>
    public required string NoPrediction { get; init; }

    /// <summary>The chart words in <paramref name="culture"/>'s language (English for a language without translations).</summary>
    public static ChartText For(CultureInfo culture)
    {
        var t = Strings.For(culture);
        return new()
        {
            Language = Strings.IsTurkish(culture) ? "tr" : "en",
            TimeMinutes = t["Time (min)"],
            ClockTime = t["Clock time (UTC)"],
            TimeHours = t["Time (h)"],
            TimeDays = t["Day (from the first session)"],
            Concentration = t["Concentration (ng/mL)"],
            Plasma = t["plasma|sentence"],
            EffectSite = t["effect site|sentence"],
            PredictedPlasma = t["Predicted plasma"],
            PredictedEffectSite = t["Predicted effect site"],
            ConcentrationTitle = t["Predicted ketamine concentration"],
            Bands = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["analgesia"] = t["acute analgesia"],
                ["dissociation"] = t["dissociation"],
                ["anaesthesia"] = t["anaesthesia"],
            },
            PumpRate = t["Pump rate"],
            RateMlPerHour = t["Rate (mL/h)"],
            RateMgPerKgPerHour = t["Rate (mg/kg/h)"],
            VitalSigns = t["Vital signs"],
            HeartRate = t["HR (/min)"],
            Systolic = t["SBP (mmHg)"],
            Diastolic = t["DBP (mmHg)"],
            SpO2 = t["SpO₂ (%)"],
            Scores = t["Scores"],
            PainNrs = t["Pain NRS (0–10)"],
            Rass = t["Sedation RASS (−5…+4)"],
            Moaas = t["Sedation MOAA/S (0–5)"],
            Alert = t["alert|sentence"],
            AdverseEvent = t["adverse event|sentence"],
            PremedicationOrRescue = t["premedication or rescue|sentence"],
            SessionTitle = t["Session timeline"],
            CourseTitle = t["Course outcome"],
            PainBefore = t["Pain NRS before session"],
            PainAfter = t["Pain NRS after session"],
            PainTrajectory = t["Pain NRS (sessions and follow-up)"],
            Baseline = t["baseline"],
            ModerateResponse = t["30 % reduction (IMMPACT)"],
            SubstantialResponse = t["50 % reduction (IMMPACT)"],
            ObservedReduction = t["Observed reduction (%)"],
            PredictedRelief = t["Predicted relief, % of maximal effect (Dahan 2011)"],
            ReliefAxis = t["%"],
            DosePerSession = t["Dose given per session (mg)"],
            DoseAxis = t["Dose (mg)"],
            Median = t["median"],
            Threshold = t["threshold"],
            PopulationTitle = t["Population concentration bands"],
            NoPrediction = t["no prediction"],
        };
    }

    /// <summary>The chart words for "tr" or "en"; null for any other code.</summary>
    public static ChartText? ForLanguage(string? code) => code?.Trim().ToUpperInvariant() switch
    {
        "TR" => For(CultureInfo.GetCultureInfo("tr")),
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
