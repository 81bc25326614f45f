using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tests.Models;

/// <summary>Laws every model in <see cref="ModelLibrary"/> must obey: metadata, population checks, mass balance.</summary>
public sealed class ModelLibraryTests
{
    public static TheoryData<string> Ids() => [.. ModelLibrary.All.Select(m => m.Id)];

    public static TheoryData<string, Route> IdsAndRoutes()
    {
        var data = new TheoryData<string, Route>();
        foreach (var m in ModelLibrary.All)
        {
            foreach (var r in Enum.GetValues<Route>())
            {
                data.Add(m.Id, r);
            }
        }

        return data;
    }

    [Fact]
    public void All_InClinicalOrder_ListsTheEightModels()
    {
        string[] expected = ["domino1984", "clements1981", "hijazi2003", "herd2007", "hornik2018", "flint2017", "simons2022", "perezruixo2021"];
        Assert.Equal(expected, ModelLibrary.All.Select(m => m.Id));
    }

    [Fact]
    public void All_Ids_AreUniqueIgnoringCase()
    {
        var ids = ModelLibrary.All.Select(m => m.Id.ToUpperInvariant()).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Metadata_EveryModel_HasCitationPopulationParametersWithUnitsAndNotes(string id)
    {
        var m = ModelLibrary.Find(id)!;
        Assert.False(string.IsNullOrWhiteSpace(m.Title));
        Assert.False(string.IsNullOrWhiteSpace(m.Structure));
        Assert.Matches(@"(19|20)\d\d", m.Citation);
        Assert.True(m.Citation.Length > 40, "citation looks truncated");
        Assert.True(Enum.IsDefined(m.Certainty));
        Assert.NotEqual(Certainty.Assumption, m.Certainty);
        Assert.False(string.IsNullOrWhiteSpace(m.Population.Description));
        Assert.False(string.IsNullOrWhiteSpace(m.Population.SamplingSite));
        Assert.True(m.Population.AgeYears.Min < m.Population.AgeYears.Max);
        Assert.True(m.Population.WeightKg.Min < m.Population.WeightKg.Max);
        Assert.False(string.IsNullOrWhiteSpace(m.Limits.Rationale));
        Assert.False(string.IsNullOrWhiteSpace(m.Covariates));
        Assert.NotEmpty(m.Parameters);
        Assert.All(m.Parameters, p =>
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Name));
            Assert.False(string.IsNullOrWhiteSpace(p.Unit));
            Assert.False(string.IsNullOrWhiteSpace(p.Description));
            Assert.True(double.IsFinite(p.Value) && p.Value > 0, $"{p.Name} = {p.Value}");
        });
        Assert.NotEmpty(m.Notes);
        Assert.NotEmpty(m.EffectSiteOptions);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Limits_EveryModel_ContainTheStudiedRange(string id)
    {
        var m = ModelLibrary.Find(id)!;
        Assert.InRange(m.Population.AgeYears.Min, m.Limits.AgeYears.Min, m.Limits.AgeYears.Max);
        Assert.InRange(m.Population.AgeYears.Max, m.Limits.AgeYears.Min, m.Limits.AgeYears.Max);
        Assert.InRange(m.Population.WeightKg.Min, m.Limits.WeightKg.Min, m.Limits.WeightKg.Max);
        Assert.InRange(m.Population.WeightKg.Max, m.Limits.WeightKg.Min, m.Limits.WeightKg.Max);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void EffectSiteOptions_NoModelButHerd_ClaimsItsOwnKe0(string id)
    {
        var m = ModelLibrary.Find(id)!;
        var own = m.EffectSiteOptions.Where(o => !o.Borrowed).Select(o => o.Id).ToList();
        Assert.Equal(id == "herd2007" ? ["herd2008"] : [], own);
        Assert.Contains(m.EffectSiteOptions, o => o.Id == "olofsen2012" && o.Borrowed);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Omega_WherePublished_NamesOnlyParametersTheModelUses(string id)
    {
        var m = ModelLibrary.Find(id)!;
        if (m.Omega is not { } omega)
        {
            return;
        }

        var patient = ModelTestKit.Reference(m);
        var typical = m.Build(patient);
        foreach (var name in omega.Names)
        {
            // An eta of +0.5 on a used parameter must change the system matrix.
            var shifted = m.Build(patient, new SubjectOptions { Etas = new Dictionary<string, double> { [name] = 0.5 } });
            var changed = Enumerable.Range(0, typical.Order).Any(i => Enumerable.Range(0, typical.Order).Any(j => typical[i, j] != shifted[i, j]));
            Assert.True(changed, $"{id}: eta on {name} has no effect");
        }

        var n = omega.Names.Count;
        for (var i = 0; i < n; i++)
        {
            Assert.True(omega.Covariance[(i * n) + i] > 0);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void CheckPatient_CentreOfStudiedRange_HasNoFinding(string id)
    {
        var m = ModelLibrary.Find(id)!;
        Assert.Empty(m.CheckPatient(ModelTestKit.Reference(m)));
        var system = m.Build(ModelTestKit.Reference(m));
        Assert.True(system.CentralVolume.Liters > 0);
        Assert.True(system.ParentClearanceLitersPerMinute > 0);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void CheckPatient_AgeFarAboveHardLimit_IsRefused(string id)
    {
        var m = ModelLibrary.Find(id)!;
        var reference = ModelTestKit.Reference(m);
        var old = reference with { AgeYears = Math.Min(m.Limits.AgeYears.Max + 5, 120) };
        if (old.AgeYears <= m.Limits.AgeYears.Max)
        {
            return; // the hard limit is already the top of the human range
        }

        Assert.True(m.Refuses(old));
        Assert.Throws<ArgumentException>(() => m.Build(old));
        Assert.False(Simulator.Run(new SimulationRequest(m, old, Regimen.Single(DoseExpression.Bolus(Mass.FromMilligrams(10))))).IsSuccess);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void CheckPatient_WeightAboveHardLimit_IsRefused(string id)
    {
        var m = ModelLibrary.Find(id)!;
        var heavy = ModelTestKit.Reference(m) with { Weight = BodyWeight.FromKilograms(m.Limits.WeightKg.Max + 10) };
        var finding = Assert.Single(m.CheckPatient(heavy));
        Assert.True(finding.Refused);
        Assert.Contains("weight", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void CheckPatient_BetweenStudiedAndHardLimits_WarnsWithoutRefusing(string id)
    {
        var m = ModelLibrary.Find(id)!;
        var reference = ModelTestKit.Reference(m);
        var weight = (m.Population.WeightKg.Max + m.Limits.WeightKg.Max) / 2;
        var age = (m.Population.AgeYears.Max + m.Limits.AgeYears.Max) / 2;
        Assert.True(weight > m.Population.WeightKg.Max && age > m.Population.AgeYears.Max, "every model leaves room to extrapolate upwards");
        var findings = m.CheckPatient(reference with { Weight = BodyWeight.FromKilograms(weight), AgeYears = age });
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.False(f.Refused));
    }

    [Theory]
    [MemberData(nameof(IdsAndRoutes))]
    public void Balance_EveryModelAndRoute_ConservesMass(string id, Route route)
    {
        var m = ModelLibrary.Find(id)!;
        var patient = ModelTestKit.Reference(m);
        var dose = route is Route.Intravenous or Route.Subcutaneous
            ? DoseExpression.Infusion(Mass.FromMilligrams(20), Duration.FromMinutes(40))
            : DoseExpression.Bolus(Mass.FromMilligrams(20));
        var r = ModelTestKit.Run(m, patient, dose, route, 12 * 60, 30);
        var balance = r.Balance();
        Assert.True(balance.EnteredMg > 0);
        Assert.True(balance.RelativeError <= 1e-9, $"{id}/{route.Code()}: relative error {balance.RelativeError}");

        // Mid-run too, while drug is still in depots and transit chains.
        Assert.True(r.Balance(2).RelativeError <= 1e-9);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Balance_IvBolusWithDormandPrince_AgreesWithExactSolver(string id)
    {
        var m = ModelLibrary.Find(id)!;
        var request = new SimulationRequest(m, ModelTestKit.Reference(m), Regimen.Single(DoseExpression.Bolus(Mass.FromMilligrams(20))))
        {
            Until = Duration.FromHours(6),
            Step = Duration.FromMinutes(30),
        };
        var exact = Simulator.Run(request).Value;
        var ode = Simulator.Run(request with { Solver = SolverKind.DormandPrince }).Value;
        foreach (var key in exact.Keys)
        {
            var a = exact.MgPerLiter(key);
            var b = ode.MgPerLiter(key);
            for (var k = 1; k < a.Count; k++)
            {
                Assert.Equal(a[k], b[k], 1e-6 * Math.Max(a[k], 1e-3));
            }
        }
    }
}
