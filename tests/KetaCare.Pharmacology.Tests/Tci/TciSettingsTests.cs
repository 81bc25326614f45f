using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;
using static KetaCare.Pharmacology.Tests.Tci.TciFixtures;

namespace KetaCare.Pharmacology.Tests.Tci;

/// <summary>Bad settings come back as errors naming the field and its allowed range, never as exceptions or plans.</summary>
public sealed class TciSettingsTests
{
    private static readonly TciSettings Valid = new() { Target = NgPerMl(150) };

    public static TheoryData<string, string> BadSettings => new()
    {
        { "target 0", "target: must be greater than 0 ng/mL and at most 50000 ng/mL" },
        { "target 10× plausibility", "target: must be greater than 0 ng/mL and at most 50000 ng/mL" },
        { "concentration 0", "concentration: must be greater than 0 mg/mL and at most 100 mg/mL" },
        { "concentration 1 g/mL", "concentration: must be greater than 0 mg/mL and at most 100 mg/mL" },
        { "max rate 0", "maxRate: must be greater than 0 mL/h and at most 2000 mL/h" },
        { "period 0", "updatePeriod: must be between 1 s and 600 s" },
        { "period 20 min", "updatePeriod: must be between 1 s and 600 s" },
        { "duration 0", "duration: must be greater than 0 and at most 14 d" },
        { "duration 15 d", "duration: must be greater than 0 and at most 14 d" },
        { "too many updates", "updatePeriod: 14 d at 1 s is more than 250000 updates" },
        { "max plasma below target", "maxPlasma: must be at least the target 150 ng/mL" },
        { "per-kg cap 0", "maxRatePerKg: must be greater than 0 mg/kg/h and at most 20 mg/kg/h" },
        { "per-kg cap without weight", "weight: required when maxRatePerKg is set" },
        { "steps 13", "steps: must be between 0 and 12" },
        { "steps −1", "steps: must be between 0 and 12" },
        { "resolution 0", "manualRateResolution: must be greater than 0 mL/h and at most 10 mL/h" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Plan_BadSetting_ReturnsErrorNamingFieldAndRange(string name, string expected)
    {
        var settings = name switch
        {
            "target 0" => Valid with { Target = Concentration.Zero },
            "target 10× plausibility" => Valid with { Target = NgPerMl(500_000) },
            "concentration 0" => Valid with { Concentration = Concentration.Zero },
            "concentration 1 g/mL" => Valid with { Concentration = Concentration.FromMilligramsPerMilliliter(1000) },
            "max rate 0" => Valid with { MaxRate = FlowRate.FromMillilitersPerHour(0) },
            "period 0" => Valid with { UpdatePeriod = Duration.Zero },
            "period 20 min" => Valid with { UpdatePeriod = Duration.FromMinutes(20) },
            "duration 0" => Valid with { Duration = Duration.Zero },
            "duration 15 d" => Valid with { Duration = Duration.FromDays(15) },
            "too many updates" => Valid with { Duration = Duration.FromDays(14), UpdatePeriod = Duration.FromSeconds(1) },
            "max plasma below target" => Valid with { MaxPlasma = NgPerMl(100) },
            "per-kg cap 0" => Valid with { MaxRatePerKg = WeightNormalizedRate.FromMilligramsPerKilogramPerHour(0), Weight = BodyWeight.FromKilograms(70) },
            "per-kg cap without weight" => Valid with { MaxRatePerKg = WeightNormalizedRate.FromMilligramsPerKilogramPerHour(2) },
            "steps 13" => Valid with { Steps = 13 },
            "steps −1" => Valid with { Steps = -1 },
            "resolution 0" => Valid with { ManualRateResolution = FlowRate.FromMillilitersPerHour(0) },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        var result = TciPlanner.Plan(Build(), settings);
        Assert.False(result.IsSuccess);
        Assert.StartsWith(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ModelOverload_FillsWeightForThePerKgCap()
    {
        var result = TciPlanner.Plan(Domino, Patient(70), Valid with { Target = NgPerMl(1000), MaxRatePerKg = WeightNormalizedRate.FromMilligramsPerKilogramPerHour(2) });
        Assert.True(result.IsSuccess, result.Error);
        Assert.All(result.Value.Steps, s => Assert.True(s.Rate.MilligramsPerHour <= 140 + 1e-9));
    }

    [Fact]
    public void Plan_ModelOverload_PatientOutsideTheModel_IsAnError()
    {
        var result = TciPlanner.Plan(Domino, Patient(300), Valid);
        Assert.False(result.IsSuccess);
        Assert.Contains("weight 300 kg", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreThoseDocumented()
    {
        Assert.Equal(TciSite.Plasma, Valid.Site);
        Assert.Equal(60, Valid.Duration.Minutes);
        Assert.Equal(10, Valid.UpdatePeriod.Seconds, 9);
        Assert.Equal(1, Valid.Concentration.MilligramsPerMilliliter);
        Assert.Equal(1200, Valid.MaxRate.MillilitersPerHour, 9);
        Assert.Equal(4, Valid.Steps);
        Assert.Null(Valid.MaxPlasma);
        Assert.Null(Valid.MaxRatePerKg);
    }
}
