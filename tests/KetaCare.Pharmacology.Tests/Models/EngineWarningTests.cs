using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tests.Models;

/// <summary>The engine's warnings are codes with typed arguments; the English message is only their invariant reading.</summary>
public class EngineWarningTests
{
    private static readonly PkModel Domino = ModelLibrary.Get("domino1984", "model").Value;

    [Fact]
    public void Codes_EachHasATemplate()
    {
        Assert.NotEmpty(EngineWarningCodes.All);
        Assert.Equal(EngineWarningCodes.All.Order(), EngineWarningCodes.Templates.Keys.Order());
    }

    [Fact]
    public void Of_UnknownCode_Throws() =>
        Assert.Throws<ArgumentException>(() => EngineWarning.Of("model.no-such-warning"));

    [Fact]
    public void Message_FillsTheTemplateInvariantly()
    {
        var w = EngineWarning.Of(EngineWarningCodes.Ke0Borrowed, WarningArg.Of("ke0", 0.0587, "/min"), WarningArg.Of("source", "Olofsen 2012"), WarningArg.Of("model", "domino1984"));
        Assert.Equal("effect site: ke0 0.0587/min (Olofsen 2012) was not estimated with domino1984; it is borrowed.", w.Message);
        Assert.Equal(w.Message, w.ToString());
    }

    [Fact]
    public void CheckPatient_NoAge_WarnsWithTheStudiedAgesAsNumbers()
    {
        var w = Assert.Single(Domino.CheckPatient(new Covariates(BodyWeight.FromKilograms(70)))).Warning;

        Assert.Equal(EngineWarningCodes.AgeNotGiven, w.Code);
        Assert.Equal((Domino.Population.AgeYears.Min, "years"), (w.Arg("min")!.Number!.Value, w.Arg("min")!.Unit));
        Assert.Equal(Domino.Population.AgeYears.Max, w.Arg("max")!.Number);
        Assert.Equal(Domino.Id, w.Arg("model")!.Text);
    }

    [Fact]
    public void CheckPatient_OutsideStudiedOrHardRange_CodesSayWhichAndHowFar()
    {
        var studied = Domino.Population.WeightKg;
        var between = (studied.Max + Domino.Limits.WeightKg.Max) / 2;
        var extrapolated = Domino.CheckPatient(new Covariates(BodyWeight.FromKilograms(between), 40)).Single().Warning;
        Assert.Equal(EngineWarningCodes.WeightExtrapolated, extrapolated.Code);
        Assert.Equal(Math.Round(between, 1), extrapolated.Arg("value")!.Number);

        var refused = Domino.CheckPatient(new Covariates(BodyWeight.FromKilograms(70), Domino.Limits.AgeYears.Max + 5)).Single(f => f.Refused);
        Assert.Equal(EngineWarningCodes.AgeRefused, refused.Warning.Code);
        Assert.Equal(Domino.Limits.AgeYears.Max, refused.Warning.Arg("hardMax")!.Number);
    }
}
