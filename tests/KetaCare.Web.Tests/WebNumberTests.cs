using System.Globalization;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Tests;

/// <summary>Hazard guarded: a dose typed in a comma-decimal language read 10× or 1,000× wrong.</summary>
public sealed class WebNumberTests
{
    [Theory]
    [InlineData("0.5", 0.5)]
    [InlineData("0,5", 0.5)]
    [InlineData(" 12 ", 12)]
    [InlineData("0,125", 0.125)]
    [InlineData("1.25", 1.25)]
    [InlineData("70", 70)]
    public void TryParse_PointOrCommaDecimal_SameValueInEveryCulture(string text, double expected)
    {
        foreach (var culture in new[] { "en", "tr-TR", "de-DE", "" })
        {
            var before = CultureInfo.CurrentCulture;
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            try
            {
                Assert.True(WebNumber.TryParse(text, "dose", 0, 1000, out var v, out var error), error);
                Assert.Equal(expected, v, 12);
            }
            finally
            {
                CultureInfo.CurrentCulture = before;
            }
        }
    }

    [Theory]
    [InlineData("1.500", "could mean")]
    [InlineData("1,500", "could mean")]
    [InlineData("1.000,5", "more than one")]
    [InlineData("1,000.5", "more than one")]
    [InlineData(".5", "digits on both sides")]
    [InlineData("5.", "digits on both sides")]
    [InlineData("5 mg", "not a number")]
    [InlineData("", "required")]
    [InlineData("1e3", "not a number")]
    [InlineData("NaN", "not a number")]
    public void TryParse_AmbiguousOrMalformed_IsRefusedNamingTheField(string text, string reason) => InUiCulture("en", () =>
    {
        Assert.False(WebNumber.TryParse(text, "dose", 0, 10000, out _, out var error));
        Assert.StartsWith("dose: ", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    });

    [Fact]
    public void TryParse_OutsideRange_NamesTheRange() => InUiCulture("en", () =>
    {
        Assert.False(WebNumber.TryParse("2,5", "rate (mg/kg/h)", 0.05, 2, out _, out var error));
        Assert.Contains("outside the allowed range", error, StringComparison.Ordinal);
        Assert.Contains("rate (mg/kg/h)", error, StringComparison.Ordinal);
    });

    [Fact]
    public void TryParse_TurkishUser_RefusalInTurkishWithCommaDecimals() => InUiCulture("tr-TR", () =>
    {
        Assert.False(WebNumber.TryParse("1.500", "doz", 0.05, 2, out _, out var ambiguous));
        Assert.Contains("dile göre", ambiguous, StringComparison.Ordinal);
        Assert.False(WebNumber.TryParse("2,5", "hız", 0.05, 2, out _, out var outside));
        Assert.Equal("hız: 2,5, izin verilen 0,05–2 aralığının dışında.", outside);
    });

    // Messages follow the user's interface language (the test process may run under any culture).
    private static void InUiCulture(string name, Action test)
    {
        var (ui, culture) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        try
        {
            test();
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, culture);
        }
    }

    [Fact]
    public void Show_TurkishCulture_CommaDecimalWithLeadingZeroNoTrailingZero()
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("tr-TR");
        try
        {
            Assert.Equal("0,5", WebNumber.Show(0.5));
            Assert.Equal("5", WebNumber.Show(5.0));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}
