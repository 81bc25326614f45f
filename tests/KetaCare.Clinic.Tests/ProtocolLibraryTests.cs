using System.Globalization;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests;

public class ProtocolLibraryTests
{
    [Fact]
    public void Default_EveryProtocol_ValidatesAndCitesSources()
    {
        foreach (var p in ProtocolLibrary.Default.Protocols)
        {
            Assert.True(p.Validate().IsSuccess, p.Id);
            Assert.NotEmpty(p.Sources);
        }
    }

    [Fact]
    public void Default_EveryProtocol_PassesTheEditingValidation()
    {
        // the built-in protocols must stay revisable through the protocol service
        foreach (var p in ProtocolLibrary.Default.Protocols)
        {
            var v = Services.ProtocolService.Validate(p);
            Assert.True(v.IsSuccess, p.Id + ": " + v.Error);
        }
    }

    [Fact]
    public void Schwartzman2009_Defaults_MatchPublishedRegimen()
    {
        var p = ProtocolLibrary.Schwartzman2009;
        Assert.Equal(0.35, p.Ceiling.Value);
        Assert.Equal(25, p.MaxRateMgPerHour);
        Assert.Equal(240, p.InfusionDuration!.Value.Minutes);
        Assert.Equal(10, p.NumberOfSessions);
        Assert.Equal(1, p.IntervalDays);
        Assert.Contains("midazolam", p.Premedication, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Rema2012_Escalation_PointTwoFourSix()
    {
        var p = ProtocolLibrary.Rema2012;
        var levels = new List<double> { p.Start.Value };
        while (levels[^1] < p.Ceiling.Value)
        {
            levels.Add(DoseLevel.MgPerKgPerHour(levels[^1]).Plus(p.Step).Value);
        }

        Assert.Equal([0.2, 0.4, 0.6], levels);
        Assert.Equal(240, p.InfusionDuration!.Value.Minutes);
    }

    [Fact]
    public void SeedOutpatient_Defaults_HalfToTwoMgPerKgOverOneHour()
    {
        var p = ProtocolLibrary.SeedOutpatient;
        Assert.Equal((0.5, 2.0, 60.0), (p.Start.Value, p.Ceiling.Value, p.InfusionDuration!.Value.Minutes));
        Assert.Contains(p.Sources, s => s.Certainty == Certainty.Assumption);
    }

    [Theory]
    [InlineData("clinic-im-example", Route.Intramuscular)]
    [InlineData("clinic-in-example", Route.Intranasal)]
    public void ImAndIntranasal_Library_LabelledClinicDefinedExamples(string id, Route route)
    {
        var p = ProtocolLibrary.Default.Find(id).Value;
        Assert.True(p.IsClinicDefinedExample);
        Assert.Equal(route, p.Route);
        Assert.Contains("clinic-defined", p.Name, StringComparison.Ordinal);
        Assert.Contains(p.Sources, s => s.Section.StartsWith("clinical-reference: Routes and bioavailability", StringComparison.Ordinal));
        Assert.Contains(p.Sources, s => s.Certainty == Certainty.Assumption);
    }

    [Fact]
    public void Find_ByVersion_ReturnsThatVersion()
    {
        var v2 = ProtocolLibrary.Rema2012 with { Version = 2, NumberOfSessions = 5 };
        var lib = new ProtocolLibrary("t", [ProtocolLibrary.Rema2012, v2]);
        Assert.Equal(5, lib.Find("rema2012").Value.NumberOfSessions);
        Assert.Equal(3, lib.Find("rema2012", 1).Value.NumberOfSessions);
        Assert.Equal("protocol.not-in-library", lib.Find("nope").Findings.Single().Code);
    }

    [Fact]
    public void Validate_StartAboveCeiling_Refused() =>
        Assert.False((ProtocolLibrary.Rema2012 with { Start = DoseLevel.MgPerKgPerHour(0.7) }).Validate().IsSuccess);

    [Fact]
    public void Validate_MixedUnits_Refused() =>
        Assert.False((ProtocolLibrary.Rema2012 with { Step = DoseLevel.MgPerKg(0.2) }).Validate().IsSuccess);

    [Theory]
    [InlineData("0.5 mg/kg/h", DoseBasis.MgPerKgPerHour, 0.5)]
    [InlineData("0.25 mg/kg", DoseBasis.MgPerKg, 0.25)]
    [InlineData("20 mg", DoseBasis.Milligrams, 20)]
    [InlineData(" 2 MG/KG/H ", DoseBasis.MgPerKgPerHour, 2)]
    public void DoseLevelParse_ValidText_ValueAndUnit(string text, DoseBasis basis, double value)
    {
        var d = DoseLevel.Parse(text).Value;
        Assert.Equal((basis, value), (d.Basis, d.Value));
    }

    [Theory]
    [InlineData("0,5 mg/kg/h")] // comma decimal: never read as 5
    [InlineData("0.5")]
    [InlineData("0.5 mg/kg/min")]
    [InlineData("abc mg")]
    public void DoseLevelParse_Invalid_Refused(string text) => Assert.NotEmpty(DoseLevel.Parse(text).Findings);

    [Theory]
    [InlineData("0.5", "start", "protocol.dose-format(field=start, text=0.5)")]
    [InlineData("0.5 mg/kg/min", "step", "protocol.dose-unit(field=step, text=mg/kg/min)")]
    [InlineData("2500 mg", "ceiling", "protocol.dose-implausible(field=ceiling, value=2500, max=2000)")]
    public void DoseLevelParse_Invalid_CodedNamingTheFieldAndWhatWasTyped(string text, string field, string finding) =>
        Assert.Equal(finding, DoseLevel.Parse(text, field).Findings.Single().ToString());

    [Fact]
    public void DoseLevelParse_CommaDecimalUnderTurkishCulture_RefusedNotMisread()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("tr-TR");
            Assert.False(DoseLevel.Parse("0,5 mg/kg/h").IsSuccess);
            Assert.Equal(0.5, DoseLevel.Parse("0.5 mg/kg/h").Value.Value);
            Assert.Equal("0.5 mg/kg/h", DoseLevel.MgPerKgPerHour(0.5).ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
