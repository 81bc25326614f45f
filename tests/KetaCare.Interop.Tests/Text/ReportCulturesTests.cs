using System.Globalization;
using KetaCare.Interop.Reports;
using KetaCare.Interop.Tests.Reports;
using KetaCare.Interop.Text;

namespace KetaCare.Interop.Tests.Text;

/// <summary>
/// The Turkish the <c>ketacare</c> tool writes without ICU (<see cref="ReportCultures.BuiltTurkish"/>) against ICU's
/// tr-TR, which this test process has: the same words, numbers, units and per cent signs, down to a whole document.
/// Hazard: a Turkish register or analytics file from the command line with English words or decimal points, or none.
/// </summary>
public sealed class ReportCulturesTests
{
    private static readonly CultureInfo Icu = CultureInfo.GetCultureInfo("tr-TR");

    public static TheoryData<double> Values => new(0, 0.000123, 0.05, 0.5, 1, 12.3456, 70, 1234.5, 98765.4321, -9.8);

    [Theory]
    [MemberData(nameof(Values))]
    public void BuiltTurkish_NumbersAndQuantities_AsIcuWritesThem(double value)
    {
        Assert.Equal(TextFormat.Number(value, Icu), TextFormat.Number(value, ReportCultures.BuiltTurkish));
        Assert.Equal(TextFormat.Number(value, Icu, 3), TextFormat.Number(value, ReportCultures.BuiltTurkish, 3));
        Assert.Equal(TextFormat.Quantity(value, "%", Icu), TextFormat.Quantity(value, "%", ReportCultures.BuiltTurkish));
        Assert.Equal(TextFormat.Quantity(value, "mg/kg/h", Icu), TextFormat.Quantity(value, "mg/kg/h", ReportCultures.BuiltTurkish));
        Assert.Equal(value.ToString("N2", Icu), value.ToString("N2", ReportCultures.BuiltTurkish));
    }

    [Fact]
    public void BuiltTurkish_TheTextCatalogueInTurkish()
    {
        var built = Strings.For(ReportCultures.BuiltTurkish);
        var icu = Strings.For(Icu);

        Assert.True(Strings.IsTurkish(ReportCultures.BuiltTurkish));
        Assert.Equal(icu["Clinic analytics"].Value, built["Clinic analytics"].Value);
        Assert.NotEqual("Clinic analytics", built["Clinic analytics"].Value);
        Assert.Equal(icu["pain above {0} of the pre-course baseline", "%70"].Value, built["pain above {0} of the pre-course baseline", "%70"].Value);
    }

    [Fact]
    public void BuiltTurkish_AnalyticsPdf_TheSameTextAsWithIcu()
    {
        var report = KnownAnalyticsCohort.Report();

        string Text(CultureInfo c) => Pdftotext.Text(AnalyticsDocuments.Pdf(report, c, KnownAnalyticsCohort.PrintedAt, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(Text(Icu), Text(ReportCultures.BuiltTurkish));
    }

    [Fact]
    public void Of_EnOrTrAnyCase_OtherwiseNull()
    {
        Assert.Same(CultureInfo.InvariantCulture, ReportCultures.Of(" EN "));
        Assert.Same(ReportCultures.Turkish, ReportCultures.Of("tr"));
        Assert.Null(ReportCultures.Of("de"));
        Assert.Null(ReportCultures.Of(null));
    }
}
