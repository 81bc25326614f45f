using KetaCare.Clinic.Sessions;

namespace KetaCare.Clinic.Tests;

public class VitalSignAlertsTests
{
    private static readonly DateTimeOffset T = Build.Start;

    private static IReadOnlyList<VitalAlert> Alerts(int sbp = 120, int dbp = 80, int hr = 80, int spo2 = 98, SedationScore? sedation = null, AlertThresholds? t = null) =>
        VitalSignAlerts.Evaluate(Observation.Create(T, sbp, dbp, hr, spo2, sedation: sedation).Value, t);

    [Theory]
    [InlineData(180, 80, null)]
    [InlineData(181, 80, "systolic-high")]
    [InlineData(170, 110, null)]
    [InlineData(170, 111, "diastolic-high")]
    public void BloodPressure_AroundThreshold_PauseAbove(int sbp, int dbp, string? id)
    {
        var a = Alerts(sbp, dbp);
        if (id is null)
        {
            Assert.Empty(a);
        }
        else
        {
            Assert.Equal((id, SuggestedAction.Pause), (a.Single().Id, a.Single().Action));
        }
    }

    [Theory]
    [InlineData(92, false)]
    [InlineData(91, true)]
    public void SpO2_BelowNinetyTwo_Stop(int spo2, bool alert)
    {
        var a = Alerts(spo2: spo2);
        Assert.Equal(alert, a.Any(x => x.Id == "spo2-low" && x.Action == SuggestedAction.Stop));
    }

    [Theory]
    [InlineData(130, false)]
    [InlineData(131, true)]
    public void HeartRate_AboveOneThirty_Pause(int hr, bool alert) =>
        Assert.Equal(alert, Alerts(hr: hr).Any(x => x.Id == "heart-rate-high" && x.Action == SuggestedAction.Pause));

    [Theory]
    [InlineData(SedationScale.Rass, -3, false)]
    [InlineData(SedationScale.Rass, -4, true)]
    [InlineData(SedationScale.Rass, -5, true)]
    [InlineData(SedationScale.Moaas, 2, false)]
    [InlineData(SedationScale.Moaas, 1, true)]
    [InlineData(SedationScale.Moaas, 0, true)]
    public void Sedation_Deep_Stop(SedationScale scale, int value, bool alert) =>
        Assert.Equal(alert, Alerts(sedation: new SedationScore(scale, value)).Any(x => x.Id == "deep-sedation" && x.Action == SuggestedAction.Stop));

    [Fact]
    public void Thresholds_Configured_Used()
    {
        var t = AlertThresholds.Default with { SystolicAbove = 160 };
        Assert.Empty(Alerts(sbp: 161));
        Assert.Equal(160, Alerts(sbp: 161, t: t).Single().Threshold);
    }

    [Fact]
    public void Evaluate_SeveralAlerts_StopActionsFirst()
    {
        var a = Alerts(sbp: 200, dbp: 120, hr: 140, spo2: 85);
        Assert.Equal(4, a.Count);
        Assert.Equal(SuggestedAction.Stop, a[0].Action);
    }

    [Fact]
    public void Evaluate_AnyAlert_CitesLabelledAssumption() =>
        Assert.Equal(Pharmacology.Models.Certainty.Assumption, Alerts(sbp: 200).Single().Source.Certainty);

    [Fact]
    public void Evaluate_PartialObservation_OnlyRecordedFieldsChecked() =>
        Assert.Empty(VitalSignAlerts.Evaluate(Observation.Create(T, painNrs: 8).Value));
}

public class ObservationTests
{
    private static readonly DateTimeOffset T = Build.Start;

    [Theory]
    [InlineData(39, 20, 80, 98, 14, 5, "systolic BP", "40 to 300")]
    [InlineData(301, 80, 80, 98, 14, 5, "systolic BP", "40 to 300")]
    [InlineData(120, 19, 80, 98, 14, 5, "diastolic BP", "20 to 200")]
    [InlineData(120, 80, 19, 98, 14, 5, "heart rate", "20 to 250")]
    [InlineData(120, 80, 251, 98, 14, 5, "heart rate", "20 to 250")]
    [InlineData(120, 80, 80, 101, 14, 5, "SpO2", "0 to 100")]
    [InlineData(120, 80, 80, 98, 81, 5, "respiratory rate", "0 to 80")]
    [InlineData(120, 80, 80, 98, 14, 11, "pain NRS", "0 to 10")]
    [InlineData(120, 80, 80, 98, 14, -1, "pain NRS", "0 to 10")]
    public void Create_FieldOutOfRange_ErrorNamesFieldAndRange(int sbp, int dbp, int hr, int spo2, int rr, int nrs, string field, string range)
    {
        var r = Observation.Create(T, sbp, dbp, hr, spo2, rr, painNrs: nrs);
        Assert.False(r.IsSuccess);
        Assert.StartsWith(field + ":", r.Error, StringComparison.Ordinal);
        Assert.Contains(range, r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SedationScale.Rass, 5, "RASS")]
    [InlineData(SedationScale.Rass, -6, "RASS")]
    [InlineData(SedationScale.Moaas, 6, "MOAA/S")]
    [InlineData(SedationScale.Moaas, -1, "MOAA/S")]
    public void Create_SedationOutOfRange_NamesScale(SedationScale scale, int value, string field)
    {
        var r = Observation.Create(T, sedation: new SedationScore(scale, value));
        Assert.StartsWith(field + ":", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(92, true)]
    [InlineData(93, false)]
    public void Create_Cadss_ZeroToNinetyTwo(int cadss, bool ok) =>
        Assert.Equal(ok, Observation.Create(T, cadss: cadss).IsSuccess);

    [Theory]
    [InlineData(4, SedationScale.Rass)]
    [InlineData(-5, SedationScale.Rass)]
    [InlineData(0, SedationScale.Moaas)]
    [InlineData(5, SedationScale.Moaas)]
    public void Create_SedationAtScaleEnds_Accepted(int value, SedationScale scale) =>
        Assert.True(Observation.Create(T, sedation: new SedationScore(scale, value)).IsSuccess);

    [Fact]
    public void Create_SystolicWithoutDiastolic_Refused() =>
        Assert.False(Observation.Create(T, systolic: 120).IsSuccess);

    [Fact]
    public void Create_SystolicNotAboveDiastolic_Refused() =>
        Assert.False(Observation.Create(T, 80, 80).IsSuccess);

    [Fact]
    public void Create_NonUtcTime_Refused() =>
        Assert.False(Observation.Create(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.FromHours(3)), painNrs: 3).IsSuccess);

    [Theory]
    [InlineData(3, 2, 2, 2, 2, "activity")]
    [InlineData(2, 2, 2, 2, -1, "oxygen saturation")]
    public void AldreteCreate_ItemOutOfRange_NamesItem(int a, int r, int c, int k, int o, string item) =>
        Assert.Contains(item, AldreteScore.Create(a, r, c, k, o).Error, StringComparison.Ordinal);

    [Theory]
    [InlineData(2, 2, 2, 2, 1, 9, true)]
    [InlineData(2, 2, 2, 1, 1, 8, false)]
    public void Aldrete_Total_DischargeAtNine(int a, int r, int c, int k, int o, int total, bool allows)
    {
        var s = AldreteScore.Create(a, r, c, k, o).Value;
        Assert.Equal((total, allows), (s.Total, s.AllowsDischarge));
    }
}
