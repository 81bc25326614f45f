using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Eligibility;

/// <summary>A reference range of a lab test: the lower and upper limits of normal, in the test's unit.</summary>
/// <param name="Lower">Lower limit of normal.</param>
/// <param name="Upper">Upper limit of normal (ULN).</param>
public sealed record ReferenceRange(double Lower, double Upper);

/// <summary>
/// Reference ranges, thresholds and the monitoring schedule of investigations. Every value is a labelled assumption a
/// clinic changes to its laboratory's ranges and its own policy (clinical-reference: Investigations); the hazards they
/// watch for are sourced (<see cref="LiverSource"/>, <see cref="UrinarySource"/>, <see cref="Source.Cohen2018"/>).
/// </summary>
public sealed record InvestigationSettings
{
    /// <summary>
    /// The defaults, built on each access (a few allocations) rather than held in a static, so that mutation testing,
    /// which runs every mutant in one process, sees a mutated default take effect.
    /// </summary>
    public static InvestigationSettings Default => new();

    /// <summary>
    /// Adult reference ranges (typical values; a laboratory's own ranges replace them). Assumption: ALT 7–40 U/L,
    /// AST 8–40 U/L, total bilirubin 0.1–1.2 mg/dL, GGT 8–60 U/L, ALP 40–130 U/L.
    /// </summary>
    public IReadOnlyDictionary<LabTest, ReferenceRange> Ranges { get; init; } = new Dictionary<LabTest, ReferenceRange>
    {
        [LabTest.Alt] = new(7, 40),
        [LabTest.Ast] = new(8, 40),
        [LabTest.TotalBilirubin] = new(0.1, 1.2),
        [LabTest.Ggt] = new(8, 60),
        [LabTest.Alp] = new(40, 130),
    };

    /// <summary>ALT or AST above this multiple of the upper limit is a suspected liver injury a physician must review. Assumption: 3.</summary>
    public double TransaminaseReviewMultiple { get; init; } = 3;

    /// <summary>Total bilirubin or ALP above this multiple of the upper limit needs a physician's review. Assumption: 2.</summary>
    public double CholestasisReviewMultiple { get; init; } = 2;

    /// <summary>QTc above this, ms, is prolonged (a warning) in men and when sex is not recorded. Assumption: 450 ms.</summary>
    public double QtcProlongedMaleMs { get; init; } = 450;

    /// <summary>QTc above this, ms, is prolonged (a warning) in women. Assumption: 470 ms.</summary>
    public double QtcProlongedFemaleMs { get; init; } = 470;

    /// <summary>QTc above this, ms, needs a physician's review. Assumption: 500 ms.</summary>
    public double QtcReviewMs { get; init; } = 500;

    /// <summary>A urinary-symptom total at or above this needs a physician's review. Assumption: 4 of 15.</summary>
    public int UrinarySymptomReviewTotal { get; init; } = 4;

    /// <summary>A liver panel counts for a course when taken at most this many days before it, and is repeated this often while a course runs. Assumption: 90 days.</summary>
    public int LiverPanelValidDays { get; init; } = 90;

    /// <summary>From the second course on, a liver panel is due before every this-many-th course. Assumption: 1 (every course).</summary>
    public int LiverPanelEveryCourses { get; init; } = 1;

    /// <summary>An ECG counts for a course when recorded at most this many days before it. Assumption: 365 days.</summary>
    public int EcgValidDays { get; init; } = 365;

    /// <summary>A urinary screen counts for a course when done at most this many days before it, and is repeated this often while a course runs. Assumption: 90 days.</summary>
    public int UrinaryScreenValidDays { get; init; } = 90;

    /// <summary>A course of this many sessions or more is "long": it needs a urinary screen even when it is the first. Assumption: 10 (the 10-day regimens).</summary>
    public int LongCourseSessions { get; init; } = 10;

    /// <summary>The range of <paramref name="test"/>.</summary>
    public ReferenceRange RangeOf(LabTest test) => Ranges[test];

    /// <summary>
    /// Every value a clinic may change, by its field name, with the range it must stay in and its unit: wide enough for
    /// any laboratory's reference ranges and any clinic's policy, narrow enough that a typing error (an ALT limit of
    /// 4000, a QTc threshold of 45 ms, an interval of 0 days) cannot silence a screen. The ranges are assumptions.
    /// Whole-number fields (scores, days, counts) accept whole numbers only.
    /// </summary>
    // Built on use, not once, so that a change to any entry takes effect in every caller (and in mutation testing).
    public static IReadOnlyList<InvestigationField> Fields =>
    [
        Upper("altUpper", LabTest.Alt, 20, 200),
        Upper("astUpper", LabTest.Ast, 20, 200),
        Upper("bilirubinUpper", LabTest.TotalBilirubin, 0.5, 3),
        Upper("ggtUpper", LabTest.Ggt, 20, 300),
        Upper("alpUpper", LabTest.Alp, 50, 400),
        new("transaminaseReviewMultiple", 1.5, 10, "×", false, s => s.TransaminaseReviewMultiple, (s, v) => s with { TransaminaseReviewMultiple = v }),
        new("cholestasisReviewMultiple", 1.2, 5, "×", false, s => s.CholestasisReviewMultiple, (s, v) => s with { CholestasisReviewMultiple = v }),
        new("qtcProlongedMaleMs", 400, 500, "ms", false, s => s.QtcProlongedMaleMs, (s, v) => s with { QtcProlongedMaleMs = v }),
        new("qtcProlongedFemaleMs", 400, 520, "ms", false, s => s.QtcProlongedFemaleMs, (s, v) => s with { QtcProlongedFemaleMs = v }),
        new("qtcReviewMs", 450, 600, "ms", false, s => s.QtcReviewMs, (s, v) => s with { QtcReviewMs = v }),
        new("urinarySymptomReviewTotal", 1, 15, string.Empty, true, s => s.UrinarySymptomReviewTotal, (s, v) => s with { UrinarySymptomReviewTotal = (int)v }),
        new("liverPanelValidDays", 7, 365, "days", true, s => s.LiverPanelValidDays, (s, v) => s with { LiverPanelValidDays = (int)v }),
        new("liverPanelEveryCourses", 1, 10, string.Empty, true, s => s.LiverPanelEveryCourses, (s, v) => s with { LiverPanelEveryCourses = (int)v }),
        new("ecgValidDays", 30, 730, "days", true, s => s.EcgValidDays, (s, v) => s with { EcgValidDays = (int)v }),
        new("urinaryScreenValidDays", 7, 365, "days", true, s => s.UrinaryScreenValidDays, (s, v) => s with { UrinaryScreenValidDays = (int)v }),
        new("longCourseSessions", 2, 50, "sessions", true, s => s.LongCourseSessions, (s, v) => s with { LongCourseSessions = (int)v }),
    ];

    /// <summary>
    /// The settings with each value of <paramref name="values"/> (by field name) checked against its range, or the
    /// first refusal: <see cref="FindingCodes.SettingOutOfRange"/> naming the field, the value and the allowed range (a
    /// fraction in a whole-number field is out of range too). A QTc review threshold below either prolonged threshold is
    /// refused with the prolonged threshold as its lower bound. Fields not given keep this settings' values.
    /// </summary>
    public Outcome<InvestigationSettings> With(IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = this;
        foreach (var f in Fields)
        {
            if (!values.TryGetValue(f.Field, out var v))
            {
                continue;
            }

            if (!double.IsFinite(v) || v < f.Min || v > f.Max || (f.Whole && v != Math.Floor(v)))
            {
                return OutOfRange(f.Field, v, f.Min, f.Max, f.Unit);
            }

            result = f.Set(result, v);
        }

        var prolonged = Math.Max(result.QtcProlongedMaleMs, result.QtcProlongedFemaleMs);
        return result.QtcReviewMs < prolonged
            ? OutOfRange("qtcReviewMs", result.QtcReviewMs, prolonged, Fields.Single(f => f.Field == "qtcReviewMs").Max, "ms")
            : Outcome<InvestigationSettings>.Ok(result);
    }

    private static Refusal OutOfRange(string field, double value, double min, double max, string unit) => new(
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{field}: {value} is outside the allowed range {min} to {max}{(unit.Length > 0 && unit != "×" ? " " + unit : string.Empty)}."),
        [Finding.Refused(FindingCodes.SettingOutOfRange, FindingArg.Of("field", field), FindingArg.Of("value", value, Unit(unit)), FindingArg.Of("min", min), FindingArg.Of("max", max, Unit(unit)))]);

    // Days and sessions are words a reader's language has; a multiple has no unit in the sentence.
    private static string Unit(string unit) => unit is "×" or "sessions" ? string.Empty : unit;

    private static InvestigationField Upper(string field, LabTest test, double min, double max) => new(
        field, min, max, LabTestInfo.Of(test).Unit, false, s => s.RangeOf(test).Upper,
        (s, v) => s with { Ranges = new Dictionary<LabTest, ReferenceRange>(s.Ranges.ToDictionary()) { [test] = s.RangeOf(test) with { Upper = v } } });

    /// <summary>Source of the liver rules: the hazard (Noppers 2011); the thresholds and schedule are assumptions.</summary>
    public static Source LiverSource => new("clinical-reference: Investigations (noppers2011)", "Noppers 2011: liver injury in 3 of 6 CRPS patients on a second 100-hour S-ketamine infusion; reference ranges, the 3× and 2× ULN thresholds and the schedule are clinic-changeable assumptions", Certainty.Assumption);

    /// <summary>Source of the ECG rules: Cohen 2018 asks for an ECG with cardiovascular risk; the QTc thresholds and the yearly repeat are assumptions.</summary>
    public static Source EcgSource => new("clinical-reference: Investigations (cohen2018)", "Cohen 2018: ECG before infusion with cardiovascular risk; QTc thresholds 450/470/500 ms and the yearly repeat are clinic-changeable assumptions", Certainty.Assumption);

    /// <summary>Source of the urinary rules: the label's lower urinary tract symptoms with chronic use; the questionnaire, threshold and schedule are assumptions.</summary>
    public static Source UrinarySource => new("clinical-reference: Investigations (ketalar-label)", "Ketalar label: lower urinary tract symptoms with chronic use; the local questionnaire, its review threshold and the screening schedule are clinic-changeable assumptions", Certainty.Assumption);
}

/// <summary>
/// What the latest investigations on the chart say: abnormal values as findings with their sources. Pure; every
/// threshold is a setting of <see cref="InvestigationSettings"/>.
/// </summary>
public static class InvestigationRules
{
    /// <summary>Findings of the latest liver panel, ECG, urinalysis and urinary-symptom questionnaire; none when all are normal or absent.</summary>
    /// <param name="patient">The chart.</param>
    /// <param name="settings">Ranges and thresholds; <see cref="InvestigationSettings.Default"/> when null.</param>
    /// <param name="after">When set, only latest results dated after this day count (what changed since a screening).</param>
    public static IReadOnlyList<RuleFinding> Evaluate(PatientSnapshot patient, InvestigationSettings? settings = null, DateOnly? after = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        settings ??= InvestigationSettings.Default;
        var from = after ?? DateOnly.MinValue;
        var findings = new List<RuleFinding>();
        if (patient.LatestLiverPanel is { } panel && panel.CollectedOn > from)
        {
            findings.AddRange(Liver(panel, settings));
        }

        if (patient.LatestEcg is { } ecg && ecg.RecordedOn > from)
        {
            findings.AddRange(Ecg(ecg, patient.Demographics.Sex, settings));
        }

        if (patient.LatestUrinalysis is { } dip && dip.CollectedOn > from && dip.IsPositive)
        {
            findings.Add(RuleFinding.Of("urinalysis", FindingLevel.Review, InvestigationSettings.UrinarySource, "Urine dipstick on {date}: blood {blood}, leukocytes {leukocytes}; a physician must exclude ketamine-associated cystitis or infection.", FindingArg.Of("date", Iso(dip.CollectedOn)), FindingArg.Of("blood", Words(dip.Blood)), FindingArg.Of("leukocytes", Words(dip.Leukocytes))));
        }

        if (patient.LatestUrinarySymptoms is { } q && q.CompletedOn > from && (q.Total >= settings.UrinarySymptomReviewTotal || q.Haematuria > 0))
        {
            findings.Add(RuleFinding.Of("urinary-symptoms", FindingLevel.Review, InvestigationSettings.UrinarySource, "Urinary symptoms on {date}: score {total} of 15 (haematuria {haematuria}); review at {threshold} or more or any haematuria: a physician must assess for ketamine-associated uropathy.", FindingArg.Of("date", Iso(q.CompletedOn)), FindingArg.Of("total", q.Total), FindingArg.Of("haematuria", q.Haematuria), FindingArg.Of("threshold", settings.UrinarySymptomReviewTotal)));
        }

        return findings;
    }

    /// <summary>The flag of one lab value against its range: below, within, above, or above the review multiple.</summary>
    public static LabFlag Flag(LabTest test, double value, InvestigationSettings? settings = null)
    {
        settings ??= InvestigationSettings.Default;
        var range = settings.RangeOf(test);
        var reviewMultiple = test is LabTest.Alt or LabTest.Ast ? settings.TransaminaseReviewMultiple
            : test is LabTest.TotalBilirubin or LabTest.Alp ? settings.CholestasisReviewMultiple
            : double.PositiveInfinity;
        return value > range.Upper * reviewMultiple ? LabFlag.HighNeedsReview
            : value > range.Upper ? LabFlag.High
            : value < range.Lower ? LabFlag.Low
            : LabFlag.Normal;
    }

    private static IEnumerable<RuleFinding> Liver(LiverPanel panel, InvestigationSettings s)
    {
        foreach (var (test, value) in panel.Results)
        {
            var info = LabTestInfo.Of(test);
            var uln = s.RangeOf(test).Upper;
            var args = new[] { FindingArg.Of("test", info.Name), FindingArg.Of("date", Iso(panel.CollectedOn)), FindingArg.Of("value", value, info.Unit), FindingArg.Of("uln", uln, info.Unit), FindingArg.Of("multiple", Math.Round(value / uln, 1)) };
            switch (Flag(test, value, s))
            {
                case LabFlag.HighNeedsReview:
                    yield return RuleFinding.Of("liver-injury", FindingLevel.Review, InvestigationSettings.LiverSource, "{test} on {date}: {value}, {multiple}× the upper limit {uln}; suspected liver injury (repeated infusions, Noppers 2011): a physician must review before further ketamine.", args);
                    break;
                case LabFlag.High:
                    yield return RuleFinding.Of("liver-tests-raised", FindingLevel.Warning, InvestigationSettings.LiverSource, "{test} on {date}: {value}, above the upper limit {uln}; repeat before the next course.", args);
                    break;
            }
        }
    }

    private static IEnumerable<RuleFinding> Ecg(EcgRecord ecg, Sex? sex, InvestigationSettings s)
    {
        var date = FindingArg.Of("date", Iso(ecg.RecordedOn));
        if (ecg.Interpretation == EcgInterpretation.AbnormalSignificant)
        {
            yield return RuleFinding.Of("ecg-abnormal", FindingLevel.Review, InvestigationSettings.EcgSource, "ECG on {date}: clinically significant abnormality ({rhythm}); a physician must review before ketamine.", date, FindingArg.Of("rhythm", Words(ecg.Rhythm)));
        }

        if (ecg.QtcMs is { } qtc)
        {
            var prolonged = sex == Sex.Female ? s.QtcProlongedFemaleMs : s.QtcProlongedMaleMs;
            if (qtc > s.QtcReviewMs)
            {
                yield return RuleFinding.Of("qtc-prolonged", FindingLevel.Review, InvestigationSettings.EcgSource, "ECG on {date}: QTc {qtc}, above {limit}; a physician must review before ketamine.", date, FindingArg.Of("qtc", qtc, "ms"), FindingArg.Of("limit", s.QtcReviewMs, "ms"));
            }
            else if (qtc > prolonged)
            {
                yield return RuleFinding.Of("qtc-prolonged", FindingLevel.Warning, InvestigationSettings.EcgSource, "ECG on {date}: QTc {qtc}, above {limit} (prolonged); monitor the ECG during infusions.", date, FindingArg.Of("qtc", qtc, "ms"), FindingArg.Of("limit", prolonged, "ms"));
            }
        }
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Words(Enum value) => value switch
    {
        DipstickResult.Plus1 => "1+",
        DipstickResult.Plus2 => "2+",
        DipstickResult.Plus3 => "3+",
        _ => string.Concat(value.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString())),
    };
}

/// <summary>One changeable value of <see cref="InvestigationSettings"/>: its field name, allowed range and unit, and how to read and set it.</summary>
/// <param name="Field">Field name, as refusals and forms name it ("altUpper").</param>
/// <param name="Min">Lowest allowed value.</param>
/// <param name="Max">Highest allowed value.</param>
/// <param name="Unit">Unit ("U/L", "ms", "days"; "×" for a multiple; empty for a score or count).</param>
/// <param name="Whole">True for whole numbers only.</param>
/// <param name="Get">Reads the value.</param>
/// <param name="Set">Returns settings with the value set.</param>
public sealed record InvestigationField(string Field, double Min, double Max, string Unit, bool Whole, Func<InvestigationSettings, double> Get, Func<InvestigationSettings, double, InvestigationSettings> Set);

/// <summary>How a lab value compares with its reference range.</summary>
public enum LabFlag
{
    /// <summary>Within the range.</summary>
    Normal,

    /// <summary>Below the lower limit.</summary>
    Low,

    /// <summary>Above the upper limit.</summary>
    High,

    /// <summary>Above the review multiple of the upper limit.</summary>
    HighNeedsReview,
}
