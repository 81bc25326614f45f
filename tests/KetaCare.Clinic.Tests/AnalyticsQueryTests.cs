using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Tests;

/// <summary>The one reading of the analytics filter that the page, the API, the downloads and the CLI share.</summary>
public sealed class AnalyticsQueryTests
{
    [Fact]
    public void Parse_EveryFieldAnyCase_TheFilterAndAxis()
    {
        var r = new AnalyticsQuery(" 2025-01-01", "2025-06-30", " rema2012 ", "complexregionalpainsyndrome", "FEMALE", "from60", "dosemgperkg").Parse();

        Assert.True(r.IsSuccess, r.Error);
        Assert.Equal(new AnalyticsFilter(new DateOnly(2025, 1, 1), new DateOnly(2025, 6, 30), "rema2012", Indication.ComplexRegionalPainSyndrome, Pharmacology.Models.Sex.Female, AgeBand.From60), r.Value.Filter);
        Assert.Equal(ExposureAxis.DoseMgPerKg, r.Value.Axis);
    }

    [Fact]
    public void Parse_Empty_NoFilterAndThePlasmaAucAxis()
    {
        var r = new AnalyticsQuery(null, " ", null, null, null, null, null).Parse();

        Assert.Equal((AnalyticsFilter.All, ExposureAxis.PlasmaAuc), r.Value);
    }

    [Fact]
    public void Parse_EveryFieldUnreadable_OneCodedFindingPerFieldNamingWhatItAccepts()
    {
        var r = new AnalyticsQuery("2025-13-01", "1.1.2025", null, "back pain", "Other", "7", "Auc").Parse();

        Assert.Equal(
            [
                (FindingCodes.AnalyticsFilterDate, "from", "2025-13-01", null),
                (FindingCodes.AnalyticsFilterDate, "to", "1.1.2025", null),
                (FindingCodes.AnalyticsFilterChoice, "indication", "back pain", string.Join(", ", Enum.GetNames<Indication>())),
                (FindingCodes.AnalyticsFilterChoice, "sex", "Other", "Female, Male"),
                (FindingCodes.AnalyticsFilterChoice, "ageBand", "7", "Under40, From40To59, From60"),
                (FindingCodes.AnalyticsFilterChoice, "axis", "Auc", "PlasmaAuc, DoseMgPerKg"),
            ],
            r.Findings.Select(f => (f.Code, f.Arg("field")!.Text, f.Arg("text")!.Text, f.Arg("allowed")?.Text)));
    }

    [Fact]
    public void Parse_ToBeforeFrom_RefusedOnToWithTheFirstDate_AndFieldsNamedAsTheFaceNamesThem()
    {
        var r = new AnalyticsQuery("2025-06-01", "2025-01-01", null, null, null, null, null).Parse(f => "--" + f);

        var f = Assert.Single(r.Findings);
        Assert.Equal((FindingCodes.AnalyticsFilterDatesOrder, "--to", "2025-06-01"), (f.Code, f.Arg("field")!.Text, f.Arg("from")!.Text));
    }

    [Fact]
    public void QueryString_GivenFieldsOnlyEscaped()
    {
        Assert.Equal("?protocol=a%20b&sex=Female", new AnalyticsQuery(null, "", "a b", null, "Female", null, null).QueryString());
        Assert.Equal(string.Empty, new AnalyticsQuery(null, null, null, null, null, null, null).QueryString());
    }
}
