using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Stock;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Tests;

/// <summary>The stock rule of an infusion's start: a recorded preparation when required, always at the program's concentration.</summary>
public sealed class PreparationGateTests
{
    private static readonly SessionId Session = SessionId.New();
    private static readonly Concentration Programmed = Concentration.FromMilligramsPerMilliliter(2);

    [Fact]
    public void Check_NoPreparationAndRequired_RefusesNamingTheSession()
    {
        var f = PreparationGate.Check(true, Programmed, [], Session);
        Assert.NotNull(f);
        Assert.Equal(FindingCodes.StockPreparationRequired, f.Code);
        Assert.Equal(FindingSeverity.HardStop, f.Severity);
        Assert.Equal(Session.ToString(), f.Args.Single(a => a.Name == "session").Text);
    }

    [Fact]
    public void Check_NoPreparationAndNotRequired_Passes() =>
        Assert.Null(PreparationGate.Check(false, Programmed, [], Session));

    [Theory]
    [InlineData(true, 2.0)]
    [InlineData(false, 2.0)]
    [InlineData(true, 2.0019)]
    [InlineData(true, 1.9981)]
    public void Check_PreparationAtTheProgramsConcentrationWithinTolerance_Passes(bool required, double mgPerMl) =>
        Assert.Null(PreparationGate.Check(required, Programmed, [Concentration.FromMilligramsPerMilliliter(mgPerMl)], Session));

    [Theory]
    [InlineData(true, 2.0021)]
    [InlineData(true, 1.9979)]
    [InlineData(false, 2.0021)]
    [InlineData(false, 4)]
    public void Check_PreparationBeyondTheTolerance_RefusesWithBothConcentrations(bool required, double mgPerMl)
    {
        var f = PreparationGate.Check(required, Programmed, [Concentration.FromMilligramsPerMilliliter(mgPerMl)], Session);
        Assert.NotNull(f);
        Assert.Equal(FindingCodes.StockPreparationNotProgrammed, f.Code);
        Assert.Equal(mgPerMl, f.Args.Single(a => a.Name == "prepared").Number);
        Assert.Equal(2, f.Args.Single(a => a.Name == "programmed").Number);
    }

    [Theory]
    [InlineData(62.5625)]
    [InlineData(62.4375)]
    public void Check_ExactlyAtTheTolerance_Passes(double mgPerMl)
    {
        // 62.5 × 0.1 % = 0.0625 and 62.5 ± 0.0625 are exact in binary, so the boundary itself is reached: it passes.
        var programmed = Concentration.FromMilligramsPerMilliliter(62.5);
        Assert.True(PreparationGate.Matches(Concentration.FromMilligramsPerMilliliter(mgPerMl), programmed));
        Assert.Null(PreparationGate.Check(true, programmed, [Concentration.FromMilligramsPerMilliliter(mgPerMl)], Session));
    }

    [Fact]
    public void Check_NoListOfPreparations_IsAProgrammingError() =>
        Assert.Throws<ArgumentNullException>(() => PreparationGate.Check(true, Programmed, null!, Session));

    [Fact]
    public void Check_Mismatch_NamesBothConcentrationsInMgPerMl()
    {
        var f = PreparationGate.Check(false, Programmed, [Concentration.FromMilligramsPerMilliliter(3)], Session)!;
        Assert.Equal("mg/mL", f.Args.Single(a => a.Name == "prepared").Unit);
        Assert.Equal("mg/mL", f.Args.Single(a => a.Name == "programmed").Unit);
    }

    [Fact]
    public void Template_ChosenByItsId_UnknownOrUnsetIsTheUsDeaTemplate()
    {
        Assert.Same(RegisterTemplate.Complete, new StockSettings(null, "complete").RegisterTemplate);
        Assert.Same(RegisterTemplate.UsDea, new StockSettings(null, "us-dea").RegisterTemplate);
        Assert.Same(RegisterTemplate.UsDea, new StockSettings(null).RegisterTemplate);
        Assert.Same(RegisterTemplate.UsDea, new StockSettings(true, "nowhere").RegisterTemplate);
    }

    [Fact]
    public void Check_ASecondBagAtAnotherConcentration_Refuses() =>
        Assert.Equal(
            FindingCodes.StockPreparationNotProgrammed,
            PreparationGate.Check(true, Programmed, [Programmed, Concentration.FromMilligramsPerMilliliter(1)], Session)?.Code);

    [Fact]
    public void Defaults_NeverSet_RequiredOnlyOnceTheClinicKeepsTheRegister()
    {
        Assert.True(StockSettings.Default.RequiresPreparation(keepsRegister: true));
        Assert.False(StockSettings.Default.RequiresPreparation(keepsRegister: false));
        Assert.False(new StockSettings(false).RequiresPreparation(keepsRegister: true));
        Assert.True(new StockSettings(true).RequiresPreparation(keepsRegister: false));
    }
}
