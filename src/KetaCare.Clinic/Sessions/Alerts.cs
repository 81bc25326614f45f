using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Sessions;

/// <summary>What an alert suggests.</summary>
public enum SuggestedAction
{
    /// <summary>Pause the infusion and reassess.</summary>
    Pause,

    /// <summary>Stop the infusion.</summary>
    Stop,
}

/// <summary>
/// Vital-sign thresholds, each at two levels. Crossing the alert level raises an alert during the session and, when
/// starting or resuming, needs a physician's override with a reason; crossing the hard level raises a stop alert and
/// refuses the start or resume outright. The published sources give monitoring (SpO₂, NIBP, ECG; Cohen 2018) but no
/// numbers, so every value is a labelled assumption a clinic configures (versioned, with a reason). The
/// deep-sedation levels follow the scales' own wording (RASS −4 "deep sedation", Sessler 2002). A value exactly at an
/// "above"/"below" threshold does not cross it ("above 180" crosses at 181); "at or below" thresholds cross at the value.
/// </summary>
public sealed record AlertThresholds
{
    /// <summary>Defaults.</summary>
    public static AlertThresholds Default { get; } = new();

    /// <summary>Systolic above this, mmHg → pause; override needed to start (assumption: 180).</summary>
    public int SystolicAbove { get; init; } = 180;

    /// <summary>Systolic above this, mmHg → stop; start refused (assumption: 200, stage-3 hypertension territory).</summary>
    public int SystolicHardAbove { get; init; } = 200;

    /// <summary>Systolic below this, mmHg → pause (hypotension; assumption: 90).</summary>
    public int SystolicBelow { get; init; } = 90;

    /// <summary>Systolic below this, mmHg → stop; start refused (assumption: 80).</summary>
    public int SystolicHardBelow { get; init; } = 80;

    /// <summary>Diastolic above this, mmHg → pause (assumption: 110).</summary>
    public int DiastolicAbove { get; init; } = 110;

    /// <summary>Diastolic above this, mmHg → stop; start refused (assumption: 120).</summary>
    public int DiastolicHardAbove { get; init; } = 120;

    /// <summary>SpO₂ below this, % → stop; override needed to start (assumption: 92).</summary>
    public int SpO2Below { get; init; } = 92;

    /// <summary>SpO₂ below this, % → stop; start refused (assumption: 90, the usual definition of hypoxaemia).</summary>
    public int SpO2HardBelow { get; init; } = 90;

    /// <summary>Heart rate above this, /min → pause (assumption: 130).</summary>
    public int HeartRateAbove { get; init; } = 130;

    /// <summary>Heart rate above this, /min → stop; start refused (assumption: 150).</summary>
    public int HeartRateHardAbove { get; init; } = 150;

    /// <summary>Heart rate below this, /min → pause (bradycardia; assumption: 50).</summary>
    public int HeartRateBelow { get; init; } = 50;

    /// <summary>Heart rate below this, /min → stop; start refused (assumption: 40).</summary>
    public int HeartRateHardBelow { get; init; } = 40;

    /// <summary>Respiratory rate below this, /min → stop (respiratory depression; assumption: 10).</summary>
    public int RespiratoryRateBelow { get; init; } = 10;

    /// <summary>Respiratory rate below this, /min → stop; start refused (assumption: 8).</summary>
    public int RespiratoryRateHardBelow { get; init; } = 8;

    /// <summary>Respiratory rate above this, /min → pause (assumption: 24).</summary>
    public int RespiratoryRateAbove { get; init; } = 24;

    /// <summary>Respiratory rate above this, /min → stop; start refused (assumption: 30).</summary>
    public int RespiratoryRateHardAbove { get; init; } = 30;

    /// <summary>RASS at or below this → stop and start refused (−4 is "deep sedation" on the scale, Sessler 2002).</summary>
    public int RassAtOrBelow { get; init; } = -4;

    /// <summary>RASS at or below this → pause; override needed to start (−3 "moderate sedation", Sessler 2002).</summary>
    public int RassSoftAtOrBelow { get; init; } = -3;

    /// <summary>RASS at or above this → pause; override needed to start (+2 "agitated", Sessler 2002).</summary>
    public int RassAtOrAbove { get; init; } = 2;

    /// <summary>RASS at or above this → stop and start refused (+3 "very agitated", Sessler 2002).</summary>
    public int RassHardAtOrAbove { get; init; } = 3;

    /// <summary>MOAA/S at or below this → stop and start refused (assumption: 1, responds only to pain or not at all).</summary>
    public int MoaasAtOrBelow { get; init; } = 1;

    /// <summary>MOAA/S at or below this → pause; override needed to start (assumption: 2, responds only to shaking).</summary>
    public int MoaasSoftAtOrBelow { get; init; } = 2;

    /// <summary>CADSS total above this → pause; override needed to start (assumption: 30 of 92).</summary>
    public int CadssAbove { get; init; } = 30;

    /// <summary>CADSS total above this → stop; start refused (assumption: 60 of 92).</summary>
    public int CadssHardAbove { get; init; } = 60;

    /// <summary>Source.</summary>
    public Source Source { get; init; } = Source.Assumption("vital-sign thresholds: no published source gives numbers for ketamine infusions for pain; clinic-configurable defaults (RASS and MOAA/S levels follow the scales' wording)");
}

/// <summary>An alert raised by an observation.</summary>
/// <param name="Id">Stable id, the code without its "vital." prefix ("systolic-high", "spo2-low", "deep-sedation", …).</param>
/// <param name="Measured">The measured value.</param>
/// <param name="Threshold">The threshold crossed.</param>
/// <param name="Action">Suggested action.</param>
/// <param name="Message">The finding's canonical form (kept for records written before findings were coded).</param>
/// <param name="Source">Where the threshold comes from.</param>
public sealed record VitalAlert(string Id, int Measured, int Threshold, SuggestedAction Action, string Message, Source Source)
{
    /// <summary>True when the hard level was crossed (start and resume are refused outright).</summary>
    public bool Hard { get; init; }

    /// <summary>The scale of a sedation alert ("RASS", "MOAA/S"); null otherwise.</summary>
    public string? Scale { get; init; }

    /// <summary>The coded finding: hard stop at the hard level, needs override at the alert level.</summary>
    public Finding Finding => VitalSignAlerts.ToFinding(this);
}

/// <summary>Evaluates an observation against the thresholds. Pure and deterministic.</summary>
public static class VitalSignAlerts
{
    private const string Prefix = "vital.";

    /// <summary>All alerts raised by <paramref name="observation"/>, most severe action first.</summary>
    public static IReadOnlyList<VitalAlert> Evaluate(Observation observation, AlertThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var t = thresholds ?? AlertThresholds.Default;
        var alerts = new List<VitalAlert>();

        // "Below" checks: the hard level first, so one parameter raises one alert at its most severe level.
        void Low(string code, int? measured, int soft, int hard, SuggestedAction softAction, string? scale = null, bool inclusive = false)
        {
            if (measured is not { } v)
            {
                return;
            }

            var isHard = inclusive ? v <= hard : v < hard;
            var isSoft = inclusive ? v <= soft : v < soft;
            if (isHard || isSoft)
            {
                alerts.Add(Alert(code, v, isHard ? hard : soft, isHard ? SuggestedAction.Stop : softAction, isHard, scale, t.Source));
            }
        }

        void High(string code, int? measured, int soft, int hard, SuggestedAction softAction, bool inclusive = false)
        {
            if (measured is not { } v)
            {
                return;
            }

            var isHard = inclusive ? v >= hard : v > hard;
            var isSoft = inclusive ? v >= soft : v > soft;
            if (isHard || isSoft)
            {
                alerts.Add(Alert(code, v, isHard ? hard : soft, isHard ? SuggestedAction.Stop : softAction, isHard, null, t.Source));
            }
        }

        Low(FindingCodes.VitalSpO2Low, observation.SpO2, t.SpO2Below, t.SpO2HardBelow, SuggestedAction.Stop);
        Low(FindingCodes.VitalRespiratoryRateLow, observation.RespiratoryRate, t.RespiratoryRateBelow, t.RespiratoryRateHardBelow, SuggestedAction.Stop);
        if (observation.Sedation is { Scale: SedationScale.Rass } rass)
        {
            Low(FindingCodes.VitalDeepSedation, rass.Value, t.RassSoftAtOrBelow, t.RassAtOrBelow, SuggestedAction.Pause, "RASS", inclusive: true);
            High(FindingCodes.VitalAgitation, rass.Value, t.RassAtOrAbove, t.RassHardAtOrAbove, SuggestedAction.Pause, inclusive: true);
        }

        if (observation.Sedation is { Scale: SedationScale.Moaas } moaas)
        {
            Low(FindingCodes.VitalDeepSedation, moaas.Value, t.MoaasSoftAtOrBelow, t.MoaasAtOrBelow, SuggestedAction.Pause, "MOAA/S", inclusive: true);
        }

        High(FindingCodes.VitalSystolicHigh, observation.Systolic, t.SystolicAbove, t.SystolicHardAbove, SuggestedAction.Pause);
        Low(FindingCodes.VitalSystolicLow, observation.Systolic, t.SystolicBelow, t.SystolicHardBelow, SuggestedAction.Pause);
        High(FindingCodes.VitalDiastolicHigh, observation.Diastolic, t.DiastolicAbove, t.DiastolicHardAbove, SuggestedAction.Pause);
        High(FindingCodes.VitalHeartRateHigh, observation.HeartRate, t.HeartRateAbove, t.HeartRateHardAbove, SuggestedAction.Pause);
        Low(FindingCodes.VitalHeartRateLow, observation.HeartRate, t.HeartRateBelow, t.HeartRateHardBelow, SuggestedAction.Pause);
        High(FindingCodes.VitalRespiratoryRateHigh, observation.RespiratoryRate, t.RespiratoryRateAbove, t.RespiratoryRateHardAbove, SuggestedAction.Pause);
        High(FindingCodes.VitalCadssHigh, observation.Cadss, t.CadssAbove, t.CadssHardAbove, SuggestedAction.Pause);

        return [.. alerts.OrderByDescending(a => a.Action == SuggestedAction.Stop).ThenByDescending(a => a.Hard)];
    }

    /// <summary>The coded finding of an alert (also for alerts stored before findings were coded).</summary>
    public static Finding ToFinding(VitalAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var code = Prefix + alert.Id;
        var unit = UnitOf(code);
        var args = new List<FindingArg> { FindingArg.Of("value", alert.Measured, unit), FindingArg.Of("limit", alert.Threshold, unit) };
        if (alert.Scale is { } scale)
        {
            args.Add(FindingArg.Of("scale", scale));
        }

        return new Finding(code, alert.Hard ? FindingSeverity.HardStop : FindingSeverity.NeedsOverride, args, alert.Source);
    }

    /// <summary>The unit of a vital-sign code's values ("mmHg", "%", "/min", or none for scores).</summary>
    public static string UnitOf(string code) => code switch
    {
        FindingCodes.VitalSystolicHigh or FindingCodes.VitalSystolicLow or FindingCodes.VitalDiastolicHigh => "mmHg",
        FindingCodes.VitalSpO2Low => "%",
        FindingCodes.VitalHeartRateHigh or FindingCodes.VitalHeartRateLow or FindingCodes.VitalRespiratoryRateLow or FindingCodes.VitalRespiratoryRateHigh => "/min",
        _ => string.Empty,
    };

    private static VitalAlert Alert(string code, int value, int threshold, SuggestedAction action, bool hard, string? scale, Source source)
    {
        var id = code[Prefix.Length..];
        var alert = new VitalAlert(id, value, threshold, action, string.Empty, source) { Hard = hard, Scale = scale };
        return alert with { Message = alert.Finding.ToString() };
    }
}
