using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests;

/// <summary>The drug library: its preparations, the limits it derives from a protocol and the preparation rules.</summary>
public class DrugLibraryTests
{
    private static DoseLimits Limits(Protocol protocol) => DoseLimits.ForProtocol(protocol);

    [Fact]
    public void ForProtocol_SeedOutpatient_CohenRateCeilingNoSoftLimitDefaultRateCapOverOneHour()
    {
        var l = Limits(ProtocolLibrary.SeedOutpatient);

        Assert.Equal(DoseLimits.CohenInfusionCeiling, l.HardMgPerKgPerHour);
        Assert.Null(l.SoftMgPerKgPerHour); // the protocol's ceiling equals the hard limit: nothing in between
        Assert.Equal(DoseLimits.AbsoluteRateCeiling, l.HardMgPerHour);
        Assert.Equal(DoseLimits.CohenBolusCeiling, l.HardBolusMgPerKg);
        Assert.Equal(new Limit(200, DoseLimits.AbsoluteRateCeiling.Source), l.HardMgPerSession);
        Assert.Null(l.SoftMgPerHour);
        Assert.Null(l.HardSingleDoseMg);
    }

    [Fact]
    public void ForProtocol_Schwartzman2009_PublishedMaximaAreTheHardLimitsWithTheProtocolsSource()
    {
        var p = ProtocolLibrary.Schwartzman2009;
        var l = Limits(p);

        Assert.Equal(new Limit(0.35, p.Sources[0]), l.HardMgPerKgPerHour);
        Assert.Null(l.SoftMgPerKgPerHour);
        Assert.Equal(new Limit(25, p.Sources[0]), l.HardMgPerHour);
        Assert.Equal(new Limit(100, p.Sources[0]), l.HardMgPerSession); // 25 mg/h over its 4 h
        Assert.Equal(DoseLimits.CohenBolusCeiling, l.HardBolusMgPerKg);
    }

    [Fact]
    public void ForProtocol_Rema2012_CeilingBelowCohenIsASoftLimitUnderCohensHardLimit()
    {
        var p = ProtocolLibrary.Rema2012;
        var l = Limits(p);

        Assert.Equal(DoseLimits.CohenInfusionCeiling, l.HardMgPerKgPerHour); // no published maxima: Cohen's ceiling stays hard
        Assert.Equal(new Limit(0.6, p.Sources[0]), l.SoftMgPerKgPerHour);
        Assert.Equal(DoseLimits.AbsoluteRateCeiling, l.HardMgPerHour);
        Assert.Equal(new Limit(800, DoseLimits.AbsoluteRateCeiling.Source), l.HardMgPerSession); // 200 mg/h over 4 h
    }

    [Fact]
    public void ForProtocol_PublishedMaximumButCeilingAtCohen_CohenStaysTheHardLimit()
    {
        var p = ProtocolLibrary.SeedOutpatient with { MaxRateMgPerHour = 150 };
        var l = Limits(p);

        Assert.Equal(DoseLimits.CohenInfusionCeiling, l.HardMgPerKgPerHour);
        Assert.Null(l.SoftMgPerKgPerHour);
        Assert.Equal(new Limit(150, p.Sources[0]), l.HardMgPerHour);
        Assert.Equal(new Limit(150, p.Sources[0]), l.HardMgPerSession);
    }

    [Fact]
    public void ForProtocol_InfusionWithoutDuration_SessionCapIsOneHourOfTheRateCap()
    {
        var p = ProtocolLibrary.Rema2012 with { InfusionDuration = null };

        Assert.Equal(new Limit(200, DoseLimits.AbsoluteRateCeiling.Source), Limits(p).HardMgPerSession);
    }

    [Fact]
    public void ForProtocol_WeightBasedInjection_OnlyTheCohenBolusLimit()
    {
        var l = Limits(ProtocolLibrary.ClinicIntramuscular);

        Assert.Equal(new DoseLimits { HardBolusMgPerKg = DoseLimits.CohenBolusCeiling }, l);
    }

    [Fact]
    public void ForProtocol_FixedDose_ItsCeilingIsTheHardSingleDoseNamingTheProtocol()
    {
        var l = Limits(ProtocolLibrary.ClinicIntranasal);

        Assert.Equal(new DoseLimits { HardSingleDoseMg = new Limit(50, Source.Assumption("clinic-in-example: the protocol's ceiling as its hard limit")) }, l);
    }

    [Fact]
    public void ForProtocol_Null_Throws() => Assert.Throws<ArgumentNullException>(() => DoseLimits.ForProtocol(null!));

    [Fact]
    public void DefaultLimits_NumbersAndTheirSources()
    {
        Assert.Equal(200, DoseLimits.AbsoluteRateCeiling.Value);
        Assert.Equal(Certainty.Assumption, DoseLimits.AbsoluteRateCeiling.Source.Certainty);
        Assert.Contains("Cohen 2018", DoseLimits.AbsoluteRateCeiling.Source.Reference, StringComparison.Ordinal);
        Assert.Equal(new Limit(2.0, Source.Cohen2018), DoseLimits.CohenInfusionCeiling);
        Assert.Equal(new Limit(0.35, Source.Cohen2018), DoseLimits.CohenBolusCeiling);

        var pk = PkThresholds.Default;
        Assert.Equal((250.0, 1200.0, Certainty.Assumption), (pk.SoftPeakNgPerMl, pk.HardPeakNgPerMl, pk.Source.Certainty));
        Assert.Contains("Zanos 2018", pk.Source.Reference, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vial-10", ContainerKind.Vial, 10, 20, false)]
    [InlineData("vial-50", ContainerKind.Vial, 50, 10, false)]
    [InlineData("vial-100", ContainerKind.Vial, 100, 5, true)]
    [InlineData("bag-1", ContainerKind.Bag, 1, 250, false)]
    [InlineData("bag-2", ContainerKind.Bag, 2, 100, false)]
    [InlineData("syringe-5", ContainerKind.Syringe, 5, 50, false)]
    public void Default_Preparation_KindStrengthVolumeAndDilution(string id, ContainerKind kind, double mgPerMl, double ml, bool mustDilute)
    {
        var p = DrugLibrary.Default.Preparation(id).Value;

        Assert.Equal((id, kind, mgPerMl, ml, mustDilute), (p.Id, p.Kind, p.Concentration.MilligramsPerMilliliter, p.ContainerVolume.Milliliters, p.RequiresDilutionForIv));
    }

    [Fact]
    public void Default_VersionPreparationOrderAndSources()
    {
        var lib = DrugLibrary.Default;

        Assert.Equal("drugs-2026.1", lib.Version);
        Assert.Equal(["vial-10", "vial-50", "vial-100", "bag-1", "bag-2", "syringe-5"], lib.Preparations.Select(p => p.Id));
        var label = lib.Preparation("vial-100").Value.Source;
        Assert.Equal(("clinical-reference: Product label (ketalar-label)", Certainty.Primary), (label.Section, label.Certainty));
        Assert.Contains("100 must be diluted for IV", label.Reference, StringComparison.Ordinal);
        var clinic = lib.Preparation("bag-1").Value.Source;
        Assert.Equal(Certainty.Assumption, clinic.Certainty);
        Assert.Contains("clinic-prepared bags and syringes", clinic.Reference, StringComparison.Ordinal);
        Assert.Equal(PkThresholds.Default, lib.Pk);
    }

    [Fact]
    public void Default_LimitsForEverySeedProtocol_AreTheDerivedOnes()
    {
        foreach (var p in ProtocolLibrary.Default.Protocols)
        {
            Assert.Equal(DoseLimits.ForProtocol(p), DrugLibrary.Default.Limits[p.Id]);
        }
    }

    [Fact]
    public void Preparation_Unknown_RefusedNamingTheIdAndTheKnownOnes()
    {
        var r = DrugLibrary.Default.Preparation("vial-200");

        Assert.False(r.IsSuccess);
        Assert.Equal("preparation: \"vial-200\" is not in the drug library; known: vial-10, vial-50, vial-100, bag-1, bag-2, syringe-5.", r.Error);
        Assert.Equal("preparation.not-in-library(field=preparation, id=vial-200, known=vial-10, vial-50, vial-100, bag-1, bag-2, syringe-5)", r.Refusal.Findings.Single().ToString());
    }

    [Fact]
    public void Preparation_IdDiffersInCase_Refused() => Assert.False(DrugLibrary.Default.Preparation("BAG-1").IsSuccess);

    [Fact]
    public void Preparation_ToString_KindStrengthAndVolume() =>
        Assert.Equal("Bag 1 mg/mL, 250 mL", DrugLibrary.Default.Preparation("bag-1").Value.ToString());

    [Fact]
    public void LimitsFor_ProtocolInTheLibrary_TheLibrarysEntry()
    {
        var own = new DoseLimits { HardMgPerKgPerHour = new Limit(1, Source.Assumption("clinic")) };
        var lib = new DrugLibrary("t", [], new Dictionary<string, DoseLimits> { ["rema2012"] = own }, PkThresholds.Default);

        Assert.Same(own, lib.LimitsFor(ProtocolLibrary.Rema2012));
        Assert.Equal(DoseLimits.ForProtocol(ProtocolLibrary.Schwartzman2009), lib.LimitsFor(ProtocolLibrary.Schwartzman2009));
        Assert.Throws<ArgumentNullException>(() => lib.LimitsFor(null!));
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("")]
    public void Constructor_BlankVersion_Throws(string version) =>
        Assert.Throws<ArgumentException>(() => new DrugLibrary(version, [], new Dictionary<string, DoseLimits>(), PkThresholds.Default));

    [Fact]
    public void CheckPreparation_HundredMgPerMlVialIntravenous_RefusedAsMustBeDiluted()
    {
        var r = DrugLibrary.CheckPreparation(DrugLibrary.Default.Preparation("vial-100").Value, Route.Intravenous);

        Assert.False(r.IsSuccess);
        Assert.Equal("preparation: Vial 100 mg/mL, 5 mL must be diluted before IV use (Ketalar label).", r.Error);
        Assert.Equal("preparation.needs-dilution(field=preparation, preparation=vial-100)", r.Refusal.Findings.Single().ToString());
    }

    [Theory]
    [InlineData("vial-100", Route.Intramuscular)]
    [InlineData("vial-50", Route.Intravenous)]
    [InlineData("bag-1", Route.Intravenous)]
    public void CheckPreparation_DilutedOrNotIntravenous_Allowed(string id, Route route) =>
        Assert.True(DrugLibrary.CheckPreparation(DrugLibrary.Default.Preparation(id).Value, route).IsSuccess);

    [Fact]
    public void CheckPreparation_Null_Throws() => Assert.Throws<ArgumentNullException>(() => DrugLibrary.CheckPreparation(null!, Route.Intravenous));
}
