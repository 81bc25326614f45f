using System.Globalization;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Interop.Text;

namespace KetaCare.Interop.Tests.Text;

/// <summary>Every coded finding has words in both languages, with numbers and units as the reader writes them.</summary>
public class FindingTextTests
{
    private static readonly CultureInfo Turkish = CultureInfo.GetCultureInfo("tr-TR");

    public static TheoryData<string> AllCodes()
    {
        var data = new TheoryData<string>();
        foreach (var code in FindingCodes.All.Concat(DoseCheck.LimitIds.Select(id => FindingCodes.LimitPrefix + id)))
        {
            data.Add(code);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void Render_EveryCode_HasEnglishAndTurkishWords(string code)
    {
        // Hazard: a Turkish nurse reads an English safety message, or a raw code.
        Assert.True(FindingText.Has(code), code + " has no text");
        var finding = new Finding(code, FindingSeverity.HardStop, [FindingArg.Of("value", 1.5, "mg/kg/h"), FindingArg.Of("limit", 2, "mg/kg/h")]);
        var en = FindingText.Render(finding, CultureInfo.InvariantCulture);
        var tr = FindingText.Render(finding, Turkish);
        Assert.NotEqual(en, tr);
        Assert.DoesNotContain(code, en, StringComparison.Ordinal);
        Assert.DoesNotContain(code, tr, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Turkish_CommaDecimalsTurkishUnitsAndPercentFirst()
    {
        var spo2 = new Finding(FindingCodes.VitalSpO2Low, FindingSeverity.HardStop, [FindingArg.Of("value", 88, "%"), FindingArg.Of("limit", 90, "%")]);
        Assert.Equal("SpO₂ 88 % is below 90 %.", FindingText.Render(spo2, CultureInfo.InvariantCulture));
        Assert.Equal("SpO₂ %88, %90 değerinin altında.", FindingText.Render(spo2, Turkish));

        var rate = new Finding(FindingCodes.RateAboveProgram, FindingSeverity.HardStop, [FindingArg.Of("value", 37.5, "mL/h"), FindingArg.Of("limit", 35, "mL/h")]);
        var tr = FindingText.Render(rate, Turkish);
        Assert.Contains("37,5 mL/sa", tr, StringComparison.Ordinal);
        Assert.DoesNotContain("mL/h", tr, StringComparison.Ordinal);
        Assert.Contains("37.5 mL/h", FindingText.Render(rate, CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MomentArgument_UsesTheReadersClock()
    {
        var at = new DateTimeOffset(2026, 3, 2, 10, 45, 0, TimeSpan.Zero);
        var f = new Finding(FindingCodes.DischargeEffectSiteHigh, FindingSeverity.NeedsOverride, [FindingArg.Of("value", 80, "ng/mL"), FindingArg.Of("limit", 50, "ng/mL"), FindingArg.Of("readyAt", at.ToString("O", CultureInfo.InvariantCulture))]);
        Assert.Contains("predicted ready at 13:45", FindingText.Render(f, CultureInfo.InvariantCulture, t => t.ToOffset(TimeSpan.FromHours(3)).ToString("HH:mm", CultureInfo.InvariantCulture)), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnknownCode_ShownInItsCanonicalFormNotDropped() =>
        Assert.Equal("future.code(value=2 mg)", FindingText.Render(new Finding("future.code", FindingSeverity.Info, [FindingArg.Of("value", 2, "mg")]), CultureInfo.InvariantCulture));
}
