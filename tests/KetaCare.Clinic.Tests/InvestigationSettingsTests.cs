using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// The clinic's revisable investigation settings: each field's name, range, unit and whole-number rule as the
/// administrator's page and the API document them (the table below is the specification, written out by hand), the
/// value really set, and the refusal's sentence and finding.
/// </summary>
public class InvestigationSettingsTests
{
    /// <summary>Field, min, max, unit in the English sentence, unit in the finding, whole numbers only, a value inside.</summary>
    public static TheoryData<string, double, double, string, string, bool, double> Spec => new()
    {
        { "altUpper", 20, 200, "U/L", "U/L", false, 60.5 },
        { "astUpper", 20, 200, "U/L", "U/L", false, 55.5 },
        { "bilirubinUpper", 0.5, 3, "mg/dL", "mg/dL", false, 1.4 },
        { "ggtUpper", 20, 300, "U/L", "U/L", false, 70.5 },
        { "alpUpper", 50, 400, "U/L", "U/L", false, 140.5 },
        { "transaminaseReviewMultiple", 1.5, 10, "", "", false, 4.5 },
        { "cholestasisReviewMultiple", 1.2, 5, "", "", false, 2.5 },
        { "qtcProlongedMaleMs", 400, 500, "ms", "ms", false, 445.5 },
        { "qtcProlongedFemaleMs", 400, 520, "ms", "ms", false, 465.5 },
        { "qtcReviewMs", 450, 600, "ms", "ms", false, 520.5 },
        { "urinarySymptomReviewTotal", 1, 15, "", "", true, 6 },
        { "liverPanelValidDays", 7, 365, "days", "days", true, 120 },
        { "liverPanelEveryCourses", 1, 10, "", "", true, 3 },
        { "ecgValidDays", 30, 730, "days", "days", true, 200 },
        { "urinaryScreenValidDays", 7, 365, "days", "days", true, 60 },
        { "longCourseSessions", 2, 50, "sessions", "", true, 12 },
    };

    [Theory]
    [MemberData(nameof(Spec))]
    public void EveryField_AcceptsItsRangeAndSetsTheValue_RefusesOutside(string field, double min, double max, string sentenceUnit, string findingUnit, bool whole, double inside)
    {
        var f = Assert.Single(InvestigationSettings.Fields, x => x.Field == field);
        Assert.Equal((min, max, whole), (f.Min, f.Max, f.Whole));

        // The QTc review threshold and the prolonged thresholds bound each other, so each edge is tried with the other at its far end.
        var start = field switch
        {
            "qtcReviewMs" => InvestigationSettings.Default.With(new Dictionary<string, double> { ["qtcProlongedMaleMs"] = 400, ["qtcProlongedFemaleMs"] = 400 }).Value,
            "qtcProlongedMaleMs" or "qtcProlongedFemaleMs" => InvestigationSettings.Default.With(new Dictionary<string, double> { ["qtcReviewMs"] = 600 }).Value,
            _ => InvestigationSettings.Default,
        };
        foreach (var ok in new[] { min, max, inside })
        {
            var set = start.With(new Dictionary<string, double> { [field] = ok });
            Assert.True(set.IsSuccess, set.Error);
            Assert.Equal(ok, f.Get(set.Value));
        }

        var below = min - (whole ? 1 : 0.01);
        var refused = start.With(new Dictionary<string, double> { [field] = below });
        Assert.False(refused.IsSuccess);
        var unit = sentenceUnit.Length > 0 ? " " + sentenceUnit : string.Empty;
        Assert.Equal(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{field}: {below} is outside the allowed range {min} to {max}{unit}."), refused.Error);
        var finding = Assert.Single(refused.Findings);
        Assert.Equal(FindingCodes.SettingOutOfRange, finding.Code);
        Assert.Equal(field, finding.Args.Single(a => a.Name == "field").Text);
        Assert.Equal((below, findingUnit), (finding.Args.Single(a => a.Name == "value").Number, finding.Args.Single(a => a.Name == "value").Unit));
        Assert.Equal(min, finding.Args.Single(a => a.Name == "min").Number);
        Assert.Equal((max, findingUnit), (finding.Args.Single(a => a.Name == "max").Number, finding.Args.Single(a => a.Name == "max").Unit));

        Assert.False(start.With(new Dictionary<string, double> { [field] = max + (whole ? 1 : 0.01) }).IsSuccess);
        Assert.False(start.With(new Dictionary<string, double> { [field] = double.NaN }).IsSuccess);
        Assert.Equal(!whole, start.With(new Dictionary<string, double> { [field] = min + 0.5 }).IsSuccess);
    }

    [Fact]
    public void EveryField_IsInTheSpecification()
    {
        var specified = Spec.Select(row => row.Data.Item1).ToHashSet();
        Assert.Equal(specified.Order(), InvestigationSettings.Fields.Select(f => f.Field).Order());
    }

    [Fact]
    public void QtcReview_BelowAProlongedThreshold_IsRefusedWithThatThresholdAsTheLowerBound()
    {
        var refused = InvestigationSettings.Default.With(new Dictionary<string, double> { ["qtcProlongedFemaleMs"] = 480, ["qtcReviewMs"] = 470 });
        Assert.Equal("qtcReviewMs: 470 is outside the allowed range 480 to 600 ms.", refused.Error);
        var finding = Assert.Single(refused.Findings);
        Assert.Equal("qtcReviewMs", finding.Args.Single(a => a.Name == "field").Text);
        Assert.Equal(480, finding.Args.Single(a => a.Name == "min").Number);

        Assert.True(InvestigationSettings.Default.With(new Dictionary<string, double> { ["qtcProlongedMaleMs"] = 490, ["qtcReviewMs"] = 490 }).IsSuccess);
        Assert.False(InvestigationSettings.Default.With(new Dictionary<string, double> { ["qtcProlongedMaleMs"] = 490, ["qtcReviewMs"] = 489 }).IsSuccess);
    }

    [Fact]
    public void FieldsNotGiven_KeepTheirValues()
    {
        var set = InvestigationSettings.Default.With(new Dictionary<string, double> { ["altUpper"] = 60 }).Value;
        Assert.Equal(60, set.RangeOf(LabTest.Alt).Upper);
        Assert.Equal(InvestigationSettings.Default.RangeOf(LabTest.Ast), set.RangeOf(LabTest.Ast));
        Assert.Equal(InvestigationSettings.Default.RangeOf(LabTest.Alt).Lower, set.RangeOf(LabTest.Alt).Lower);
        Assert.Equal(InvestigationSettings.Default.LiverPanelValidDays, set.LiverPanelValidDays);
    }
}
