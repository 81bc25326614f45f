namespace KetaCare.Clinic.Patients;

/// <summary>The analytes of the liver panel, each LOINC-coded with a fixed unit (clinical-reference: Investigations (loinc-table)).</summary>
public enum LabTest
{
    /// <summary>Alanine aminotransferase, U/L (LOINC 1742-6).</summary>
    Alt,

    /// <summary>Aspartate aminotransferase, U/L (LOINC 1920-8).</summary>
    Ast,

    /// <summary>Total bilirubin, mg/dL (LOINC 1975-2, a mass concentration).</summary>
    TotalBilirubin,

    /// <summary>Gamma-glutamyl transferase, U/L (LOINC 2324-2).</summary>
    Ggt,

    /// <summary>Alkaline phosphatase, U/L (LOINC 6768-6).</summary>
    Alp,
}

/// <summary>What a lab test is: its LOINC code, short name, unit, and the range a typed value must fall in (input sanity, not a clinical limit).</summary>
/// <param name="Test">The test.</param>
/// <param name="Loinc">LOINC code.</param>
/// <param name="Name">Short name as printed ("ALT").</param>
/// <param name="Unit">UCUM-style unit the value is in ("U/L", "mg/dL").</param>
/// <param name="MaxValue">Largest value accepted as typed (a larger one is a typing slip).</param>
public sealed record LabTestInfo(LabTest Test, string Loinc, string Name, string Unit, double MaxValue)
{
    /// <summary>Every liver test, in the panel's order.</summary>
    public static IReadOnlyList<LabTestInfo> All { get; } =
    [
        new(LabTest.Alt, "1742-6", "ALT", "U/L", 10_000),
        new(LabTest.Ast, "1920-8", "AST", "U/L", 10_000),
        new(LabTest.TotalBilirubin, "1975-2", "Total bilirubin", "mg/dL", 50),
        new(LabTest.Ggt, "2324-2", "GGT", "U/L", 10_000),
        new(LabTest.Alp, "6768-6", "ALP", "U/L", 10_000),
    ];

    /// <summary>The information of <paramref name="test"/>.</summary>
    public static LabTestInfo Of(LabTest test) => All[(int)test];

    /// <summary>The test with this LOINC code, or null.</summary>
    public static LabTestInfo? ByLoinc(string? loinc) => All.FirstOrDefault(t => string.Equals(t.Loinc, loinc, StringComparison.Ordinal));
}

/// <summary>
/// A liver panel as the laboratory reported it: the date of collection and whichever of ALT, AST, total bilirubin, GGT
/// and ALP were measured, each in its test's unit (<see cref="LabTestInfo"/>). At least one value is required.
/// </summary>
/// <param name="CollectedOn">Date the blood was taken.</param>
/// <param name="Alt">ALT, U/L.</param>
/// <param name="Ast">AST, U/L.</param>
/// <param name="TotalBilirubin">Total bilirubin, mg/dL.</param>
/// <param name="Ggt">GGT, U/L.</param>
/// <param name="Alp">ALP, U/L.</param>
public sealed record LiverPanel(DateOnly CollectedOn, double? Alt, double? Ast, double? TotalBilirubin, double? Ggt, double? Alp)
{
    /// <summary>The measured values, in the panel's order.</summary>
    public IEnumerable<(LabTest Test, double Value)> Results
    {
        get
        {
            foreach (var (test, value) in new[] { (LabTest.Alt, Alt), (LabTest.Ast, Ast), (LabTest.TotalBilirubin, TotalBilirubin), (LabTest.Ggt, Ggt), (LabTest.Alp, Alp) })
            {
                if (value is { } v)
                {
                    yield return (test, v);
                }
            }
        }
    }

    /// <summary>The value of <paramref name="test"/>, or null when it was not measured.</summary>
    public double? ValueOf(LabTest test) => test switch
    {
        LabTest.Alt => Alt,
        LabTest.Ast => Ast,
        LabTest.TotalBilirubin => TotalBilirubin,
        LabTest.Ggt => Ggt,
        _ => Alp,
    };

    /// <summary>This panel with <paramref name="test"/> set to <paramref name="value"/> (import builds a panel one Observation at a time).</summary>
    public LiverPanel With(LabTest test, double value) => test switch
    {
        LabTest.Alt => this with { Alt = value },
        LabTest.Ast => this with { Ast = value },
        LabTest.TotalBilirubin => this with { TotalBilirubin = value },
        LabTest.Ggt => this with { Ggt = value },
        _ => this with { Alp = value },
    };
}

/// <summary>The heart rhythm read on an ECG.</summary>
public enum EcgRhythm
{
    /// <summary>Sinus rhythm.</summary>
    Sinus,

    /// <summary>Atrial fibrillation or flutter.</summary>
    AtrialFibrillation,

    /// <summary>Any other rhythm (described in the note).</summary>
    Other,
}

/// <summary>The reader's overall interpretation of an ECG.</summary>
public enum EcgInterpretation
{
    /// <summary>Normal.</summary>
    Normal,

    /// <summary>Abnormal, not clinically significant.</summary>
    AbnormalNotSignificant,

    /// <summary>Abnormal and clinically significant.</summary>
    AbnormalSignificant,
}

/// <summary>A 12-lead ECG: rhythm, the heart-rate-corrected QT interval (LOINC 8636-3, ms) and the interpretation.</summary>
/// <param name="RecordedOn">Date recorded.</param>
/// <param name="Rhythm">Rhythm.</param>
/// <param name="QtcMs">QTc in milliseconds, when measured.</param>
/// <param name="Interpretation">The reader's interpretation.</param>
/// <param name="Note">Free-text detail.</param>
public sealed record EcgRecord(DateOnly RecordedOn, EcgRhythm Rhythm, double? QtcMs, EcgInterpretation Interpretation, string? Note = null)
{
    /// <summary>LOINC code of the QTc (Q-T interval corrected).</summary>
    public const string QtcLoinc = "8636-3";

    /// <summary>Shortest QTc accepted as typed, ms (input sanity).</summary>
    public const double MinQtcMs = 200;

    /// <summary>Longest QTc accepted as typed, ms (input sanity).</summary>
    public const double MaxQtcMs = 800;
}

/// <summary>A semi-quantitative urine dipstick reading.</summary>
public enum DipstickResult
{
    /// <summary>Negative.</summary>
    Negative,

    /// <summary>Trace.</summary>
    Trace,

    /// <summary>1+.</summary>
    Plus1,

    /// <summary>2+.</summary>
    Plus2,

    /// <summary>3+.</summary>
    Plus3,
}

/// <summary>
/// A urine dipstick: blood (haemoglobin, LOINC 5794-3), leukocyte esterase (LOINC 5799-2) and, when read, nitrite
/// (LOINC 5802-4).
/// </summary>
/// <param name="CollectedOn">Date of the sample.</param>
/// <param name="Blood">Blood.</param>
/// <param name="Leukocytes">Leukocyte esterase.</param>
/// <param name="Nitrite">Nitrite, when read.</param>
public sealed record Urinalysis(DateOnly CollectedOn, DipstickResult Blood, DipstickResult Leukocytes, DipstickResult? Nitrite = null)
{
    /// <summary>LOINC code of blood on the dipstick.</summary>
    public const string BloodLoinc = "5794-3";

    /// <summary>LOINC code of leukocyte esterase on the dipstick.</summary>
    public const string LeukocytesLoinc = "5799-2";

    /// <summary>LOINC code of nitrite on the dipstick.</summary>
    public const string NitriteLoinc = "5802-4";

    /// <summary>True when blood or leukocytes read 1+ or more, or nitrite anything but negative.</summary>
    public bool IsPositive => Blood >= DipstickResult.Plus1 || Leukocytes >= DipstickResult.Plus1 || Nitrite is > DipstickResult.Negative;
}

/// <summary>
/// A short urinary-symptom questionnaire for ketamine-associated lower urinary tract symptoms: frequency, urgency,
/// pain on passing urine, blood in the urine and bladder pain, each 0 (none) to 3 (severe); total 0–15. A local
/// instrument, not a validated published one (clinical-reference: Investigations, assumption; a clinic may replace it).
/// </summary>
/// <param name="CompletedOn">Date completed.</param>
/// <param name="Frequency">Passing urine more often than usual, 0–3.</param>
/// <param name="Urgency">Sudden need to pass urine, 0–3.</param>
/// <param name="Dysuria">Pain or burning on passing urine, 0–3.</param>
/// <param name="Haematuria">Blood seen in the urine, 0–3.</param>
/// <param name="BladderPain">Pain over the bladder, 0–3.</param>
public sealed record UrinarySymptoms(DateOnly CompletedOn, int Frequency, int Urgency, int Dysuria, int Haematuria, int BladderPain)
{
    /// <summary>Highest score of one item.</summary>
    public const int MaxItem = 3;

    /// <summary>The items with their names, in order.</summary>
    public IEnumerable<(string Item, int Score)> Items =>
        [("frequency", Frequency), ("urgency", Urgency), ("dysuria", Dysuria), ("haematuria", Haematuria), ("bladderPain", BladderPain)];

    /// <summary>Sum of the five items, 0–15.</summary>
    public int Total => Frequency + Urgency + Dysuria + Haematuria + BladderPain;
}

/// <summary>The investigations the monitoring schedule tracks.</summary>
public enum InvestigationKind
{
    /// <summary>Liver panel.</summary>
    LiverPanel,

    /// <summary>ECG.</summary>
    Ecg,

    /// <summary>Urinary screen (the symptom questionnaire; a dipstick when done).</summary>
    UrinaryScreen,
}
