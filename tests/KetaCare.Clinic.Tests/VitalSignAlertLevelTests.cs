using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// Every vital-sign threshold at both of its levels, one value each side: the alert raised (id, value, the level
/// crossed, action, hard, scale, source) and its coded finding (code, severity, value and limit with their unit).
/// </summary>
public class VitalSignAlertLevelTests
{
    /// <summary>An observation of one value (blood pressure comes in pairs: the other one well inside its levels).</summary>
    private static Observation One(string field, int value) => Observation.Create(
        Build.Start,
        systolic: field switch { "sbp" => value, "dbp" => 160, _ => null },
        diastolic: field switch { "dbp" => value, "sbp" => 50, _ => null },
        heartRate: field == "hr" ? value : null,
        spO2: field == "spo2" ? value : null,
        respiratoryRate: field == "rr" ? value : null,
        sedation: field switch
        {
            "rass" => new SedationScore(SedationScale.Rass, value),
            "moaas" => new SedationScore(SedationScale.Moaas, value),
            _ => null,
        },
        cadss: field == "cadss" ? value : null).Value;

    [Theory]
    [InlineData("spo2", 92)]
    [InlineData("rr", 10)]
    [InlineData("rr", 24)]
    [InlineData("rass", -2)]
    [InlineData("rass", 1)]
    [InlineData("moaas", 3)]
    [InlineData("sbp", 180)]
    [InlineData("sbp", 90)]
    [InlineData("dbp", 110)]
    [InlineData("hr", 130)]
    [InlineData("hr", 50)]
    [InlineData("cadss", 30)]
    public void Evaluate_AtTheAlertLevelOfAnAboveOrBelowThreshold_NoAlert(string field, int value) =>
        Assert.Empty(VitalSignAlerts.Evaluate(One(field, value)));

    [Theory]
    [InlineData("spo2", 91, "spo2-low", 92, SuggestedAction.Stop, false, null, "%")]
    [InlineData("spo2", 90, "spo2-low", 92, SuggestedAction.Stop, false, null, "%")]
    [InlineData("spo2", 89, "spo2-low", 90, SuggestedAction.Stop, true, null, "%")]
    [InlineData("rr", 9, "rr-low", 10, SuggestedAction.Stop, false, null, "/min")]
    [InlineData("rr", 8, "rr-low", 10, SuggestedAction.Stop, false, null, "/min")]
    [InlineData("rr", 7, "rr-low", 8, SuggestedAction.Stop, true, null, "/min")]
    [InlineData("rr", 25, "rr-high", 24, SuggestedAction.Pause, false, null, "/min")]
    [InlineData("rr", 30, "rr-high", 24, SuggestedAction.Pause, false, null, "/min")]
    [InlineData("rr", 31, "rr-high", 30, SuggestedAction.Stop, true, null, "/min")]
    [InlineData("rass", -3, "deep-sedation", -3, SuggestedAction.Pause, false, "RASS", "")]
    [InlineData("rass", -4, "deep-sedation", -4, SuggestedAction.Stop, true, "RASS", "")]
    [InlineData("rass", -5, "deep-sedation", -4, SuggestedAction.Stop, true, "RASS", "")]
    [InlineData("rass", 2, "agitation", 2, SuggestedAction.Pause, false, null, "")]
    [InlineData("rass", 3, "agitation", 3, SuggestedAction.Stop, true, null, "")]
    [InlineData("rass", 4, "agitation", 3, SuggestedAction.Stop, true, null, "")]
    [InlineData("moaas", 2, "deep-sedation", 2, SuggestedAction.Pause, false, "MOAA/S", "")]
    [InlineData("moaas", 1, "deep-sedation", 1, SuggestedAction.Stop, true, "MOAA/S", "")]
    [InlineData("moaas", 0, "deep-sedation", 1, SuggestedAction.Stop, true, "MOAA/S", "")]
    [InlineData("sbp", 181, "systolic-high", 180, SuggestedAction.Pause, false, null, "mmHg")]
    [InlineData("sbp", 200, "systolic-high", 180, SuggestedAction.Pause, false, null, "mmHg")]
    [InlineData("sbp", 201, "systolic-high", 200, SuggestedAction.Stop, true, null, "mmHg")]
    [InlineData("sbp", 89, "systolic-low", 90, SuggestedAction.Pause, false, null, "mmHg")]
    [InlineData("sbp", 80, "systolic-low", 90, SuggestedAction.Pause, false, null, "mmHg")]
    [InlineData("sbp", 79, "systolic-low", 80, SuggestedAction.Stop, true, null, "mmHg")]
    [InlineData("dbp", 111, "diastolic-high", 110, SuggestedAction.Pause, false, null, "mmHg")]
    [InlineData("dbp", 120, "diastolic-high", 110, SuggestedAction.Pause, false, null, "mmHg")]
    [InlineData("dbp", 121, "diastolic-high", 120, SuggestedAction.Stop, true, null, "mmHg")]
    [InlineData("hr", 131, "heart-rate-high", 130, SuggestedAction.Pause, false, null, "/min")]
    [InlineData("hr", 150, "heart-rate-high", 130, SuggestedAction.Pause, false, null, "/min")]
    [InlineData("hr", 151, "heart-rate-high", 150, SuggestedAction.Stop, true, null, "/min")]
    [InlineData("hr", 49, "heart-rate-low", 50, SuggestedAction.Pause, false, null, "/min")]
    [InlineData("hr", 40, "heart-rate-low", 50, SuggestedAction.Pause, false, null, "/min")]
    [InlineData("hr", 39, "heart-rate-low", 40, SuggestedAction.Stop, true, null, "/min")]
    [InlineData("cadss", 31, "cadss-high", 30, SuggestedAction.Pause, false, null, "")]
    [InlineData("cadss", 60, "cadss-high", 30, SuggestedAction.Pause, false, null, "")]
    [InlineData("cadss", 61, "cadss-high", 60, SuggestedAction.Stop, true, null, "")]
    public void Evaluate_PastALevel_OneAlertAtTheMostSevereLevelWithItsFinding(string field, int value, string id, int limit, SuggestedAction action, bool hard, string? scale, string unit)
    {
        var a = Assert.Single(VitalSignAlerts.Evaluate(One(field, value)));

        Assert.Equal((id, value, limit, action, hard, scale), (a.Id, a.Measured, a.Threshold, a.Action, a.Hard, a.Scale));
        Assert.Same(AlertThresholds.Default.Source, a.Source);
        List<FindingArg> args = [FindingArg.Of("value", value, unit), FindingArg.Of("limit", limit, unit)];
        if (scale is not null)
        {
            args.Add(FindingArg.Of("scale", scale));
        }

        var expected = new Finding("vital." + id, hard ? FindingSeverity.HardStop : FindingSeverity.NeedsOverride, args, AlertThresholds.Default.Source);
        Assert.Equal(expected, a.Finding);
        Assert.Equal(expected.ToString(), a.Message);
    }

    [Fact]
    public void Evaluate_Message_IsTheCanonicalFinding() =>
        Assert.Equal("vital.spo2-low(value=89 %, limit=90 %)", Assert.Single(VitalSignAlerts.Evaluate(One("spo2", 89))).Message);

    [Fact]
    public void Evaluate_SeveralAlerts_StopsFirstHardBeforeSoftOtherwiseInCheckOrder()
    {
        var o = Observation.Create(Build.Start, systolic: 181, diastolic: 90, heartRate: 151, spO2: 91, respiratoryRate: 25, sedation: new SedationScore(SedationScale.Rass, -3)).Value;

        var ids = VitalSignAlerts.Evaluate(o).Select(a => a.Id);

        Assert.Equal(["heart-rate-high", "spo2-low", "deep-sedation", "systolic-high", "rr-high"], ids);
    }

    [Fact]
    public void Evaluate_ConfiguredThresholds_TheirLevelsAndSource()
    {
        var source = Source.Assumption("clinic revision 2");
        var t = AlertThresholds.Default with { SpO2Below = 95, SpO2HardBelow = 93, Source = source };

        var soft = Assert.Single(VitalSignAlerts.Evaluate(One("spo2", 94), t));
        var hard = Assert.Single(VitalSignAlerts.Evaluate(One("spo2", 92), t));

        Assert.Equal((95, false, source), (soft.Threshold, soft.Hard, soft.Source));
        Assert.Equal((93, true, source), (hard.Threshold, hard.Hard, hard.Source));
        Assert.Equal(source, hard.Finding.Source);
    }

    [Fact]
    public void Evaluate_NothingMeasured_NoAlert() => Assert.Empty(VitalSignAlerts.Evaluate(Observation.Create(Build.Start, painNrs: 5).Value));

    [Fact]
    public void Evaluate_Null_Throws() => Assert.Throws<ArgumentNullException>(() => VitalSignAlerts.Evaluate(null!));

    [Fact]
    public void ToFinding_AlertStoredBeforeCoding_CodeFromIdUnitFromCode()
    {
        var stored = new VitalAlert("systolic-low", 75, 80, SuggestedAction.Stop, "Systolic 75 mmHg below 80", AlertThresholds.Default.Source) { Hard = true };

        Assert.Equal(
            Finding.Of(FindingCodes.VitalSystolicLow, FindingSeverity.HardStop, AlertThresholds.Default.Source, FindingArg.Of("value", 75, "mmHg"), FindingArg.Of("limit", 80, "mmHg")),
            VitalSignAlerts.ToFinding(stored));
        Assert.Throws<ArgumentNullException>(() => VitalSignAlerts.ToFinding(null!));
    }

    [Theory]
    [InlineData(FindingCodes.VitalSystolicHigh, "mmHg")]
    [InlineData(FindingCodes.VitalSystolicLow, "mmHg")]
    [InlineData(FindingCodes.VitalDiastolicHigh, "mmHg")]
    [InlineData(FindingCodes.VitalSpO2Low, "%")]
    [InlineData(FindingCodes.VitalHeartRateHigh, "/min")]
    [InlineData(FindingCodes.VitalHeartRateLow, "/min")]
    [InlineData(FindingCodes.VitalRespiratoryRateLow, "/min")]
    [InlineData(FindingCodes.VitalRespiratoryRateHigh, "/min")]
    [InlineData(FindingCodes.VitalDeepSedation, "")]
    [InlineData(FindingCodes.VitalAgitation, "")]
    [InlineData(FindingCodes.VitalCadssHigh, "")]
    public void UnitOf_EveryVitalCode(string code, string unit) => Assert.Equal(unit, VitalSignAlerts.UnitOf(code));

    [Fact]
    public void Default_Thresholds_AreLabelledAssumptions()
    {
        Assert.Equal(Certainty.Assumption, AlertThresholds.Default.Source.Certainty);
        Assert.StartsWith("vital-sign thresholds: ", AlertThresholds.Default.Source.Reference, StringComparison.Ordinal);
    }
}
