using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Models.Library;
using KetaCare.Pharmacology.Population;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Solvers;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tests.Population;

public class PopulationTests
{
    private static readonly string[] Names = ["V1", "k10", "k12", "k21", "k13", "k31"];

    private static PopulationSpec Spec(double omega = 0.09) => new()
    {
        WeightKg = CovariateDistribution.TruncatedNormal(75, 15, 40, 150),
        Omega = OmegaMatrix.Diagonal("test", [.. Names.Select(n => (n, omega))]),
    };

    private static double Type7(double[] sorted, double p)
    {
        var h = p * (sorted.Length - 1);
        var k = (long)Math.Floor(h);
        var f = h - k;
        var lo = sorted[k];
        var hi = k + 1 < sorted.Length ? sorted[k + 1] : lo;
        return lo + (f * (hi - lo));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StreamingQuantiles_RowsThatDriftAndJump_EqualSortReferenceExactly(bool portable)
    {
        // Both kernels are tested whatever the machine: the portable one is forced on an AVX-512 machine.
        using var scope = portable ? SimdPaths.ForcePortable() : null;
        var rng = new Xoshiro256StarStar(7);
        double[] probs = [0, 0.05, 0.5, 0.95, 1, 0.333];
        foreach (var n in new[] { 1, 2, 17, 1000, 20_001 })
        {
            var q = new StreamingQuantiles(n, probs);
            var level = new double[n];
            var rate = new double[n];
            for (var i = 0; i < n; i++)
            {
                level[i] = Math.Exp(rng.NextGaussian());
                rate[i] = 0.5 + rng.NextDouble();
            }

            var result = new double[probs.Length];
            for (var row = 0; row < 60; row++)
            {
                var values = new double[n];
                for (var i = 0; i < n; i++)
                {
                    // Smooth rise, a kink at row 30, a jump at row 45, ties at row 50.
                    var t = row < 30 ? row : 30 - ((row - 30) * 0.5);
                    values[i] = row == 50 ? 1.0 : (level[i] * t * rate[i]) + (row >= 45 ? 3 * level[i] : 0);
                }

                q.Next(values, result);
                var sorted = values.Order().ToArray();
                for (var j = 0; j < probs.Length; j++)
                {
                    Assert.Equal(Type7(sorted, probs[j]), result[j]);
                }
            }
        }
    }

    [Fact]
    public void Selection_Select_MatchesSortedOrder()
    {
        var rng = new Xoshiro256StarStar(3);
        for (var trial = 0; trial < 50; trial++)
        {
            var n = 1 + rng.NextInt(500);
            var values = Enumerable.Range(0, n).Select(_ => (double)rng.NextInt(20)).ToArray();
            var k = rng.NextInt(n);
            var sorted = values.Order().ToArray();
            Assert.Equal(sorted[k], Selection.Select(values, k));
        }
    }

    [Fact]
    public void Sample_SameSeed_GivesSameSubjectsAndDifferentSeedDoesNot()
    {
        var model = new Domino1984();
        var a = PopulationSampler.Sample(model, Spec(), 500, 42).Value;
        var b = PopulationSampler.Sample(model, Spec(), 500, 42).Value;
        var c = PopulationSampler.Sample(model, Spec(), 500, 43).Value;
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(a.WeightKg(i), b.WeightKg(i));
            for (var j = 0; j < 6; j++)
            {
                Assert.Equal(a.Eta(i, j), b.Eta(i, j));
            }
        }

        Assert.NotEqual(a.WeightKg(0), c.WeightKg(0));
    }

    [Fact]
    public void Sample_TruncationAndEmpiricalLists_AreRespected()
    {
        var model = new Domino1984();
        var spec = Spec() with
        {
            WeightKg = CovariateDistribution.TruncatedNormal(75, 40, 60, 90),
            AgeYears = CovariateDistribution.Empirical([25.0, 40.0, 61.0]),
            Sex = SexDistribution.Bernoulli(0.25),
        };
        var pop = PopulationSampler.Sample(model, spec, 20_000, 1).Value;
        var females = 0;
        for (var i = 0; i < pop.Count; i++)
        {
            Assert.InRange(pop.WeightKg(i), 60, 90);
            Assert.Contains(pop.AgeYears(i)!.Value, new[] { 25.0, 40.0, 61.0 });
            females += pop.SexOf(i) == Sex.Female ? 1 : 0;
        }

        Assert.InRange(females / 20_000.0, 0.235, 0.265);
        Assert.Throws<ArgumentOutOfRangeException>(() => CovariateDistribution.TruncatedNormal(75, 15, 500, 600));
    }

    [Fact]
    public void Sample_CorrelatedOmega_ReproducesCovarianceWithinSamplingError()
    {
        var model = new Domino1984();
        double[] omega =
        [
            0.09, 0.03, 0.00,
            0.03, 0.16, -0.04,
            0.00, -0.04, 0.04,
        ];
        var spec = Spec() with { Omega = new OmegaMatrix(["V1", "k10", "k12"], omega, "test") };
        const int n = 200_000;
        var pop = PopulationSampler.Sample(model, spec, n, 99).Value;
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                double sr = 0, sc = 0, src = 0;
                for (var i = 0; i < n; i++)
                {
                    sr += pop.Eta(i, r);
                    sc += pop.Eta(i, c);
                    src += pop.Eta(i, r) * pop.Eta(i, c);
                }

                var cov = (src / n) - (sr / n * (sc / n));
                // SE of a sample covariance ≈ sqrt((σr²σc² + σrc²)/n); allow 5 SE.
                var se = Math.Sqrt(((omega[(r * 3) + r] * omega[(c * 3) + c]) + (omega[(r * 3) + c] * omega[(r * 3) + c])) / n);
                Assert.True(Math.Abs(cov - omega[(r * 3) + c]) < 5 * se, $"cov[{r},{c}] = {cov}, expected {omega[(r * 3) + c]}");
            }
        }
    }

    [Fact]
    public void Sample_EveryModelsOwnOmega_IsAccepted_AndItsNamesAreEtaNamesTheModelReads()
    {
        Assert.Equal(["V1", "k12", "k21", "k13", "k31", "k10"], new Domino1984().EtaNames);
        foreach (var model in ModelLibrary.All)
        {
            var p = model.Population;
            var spec = new PopulationSpec { WeightKg = CovariateDistribution.Fixed((p.WeightKg.Min + p.WeightKg.Max) / 2), AgeYears = CovariateDistribution.Fixed((p.AgeYears.Min + p.AgeYears.Max) / 2) };
            var pop = PopulationSampler.Sample(model, spec, 50, 3);
            Assert.True(pop.IsSuccess, $"{model.Id}: {pop.Error}");
            foreach (var name in model.Omega?.Names ?? [])
            {
                Assert.Contains(name, model.EtaNames);
            }
        }
    }

    [Fact]
    public void Sample_OmegaOnANameTheModelDrawsNoEtaFor_IsAnError()
    {
        var spec = Spec() with { Omega = OmegaMatrix.FromCv("test", ("CL", 30)) };

        var r = PopulationSampler.Sample(new Domino1984(), spec, 10, 1);

        Assert.False(r.IsSuccess);
        Assert.Contains("domino1984 draws no eta for \"CL\"", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_IndefiniteOmega_IsAnError()
    {
        var spec = Spec() with { Omega = new OmegaMatrix(["V1", "k10"], [0.09, 0.2, 0.2, 0.09], "test") };
        var r = PopulationSampler.Sample(new Domino1984(), spec, 10, 1);
        Assert.False(r.IsSuccess);
        Assert.Contains("positive semi-definite", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Cholesky_Factor_ReproducesMatrix()
    {
        double[] a = [4, 2, 0.4, 2, 5, 1, 0.4, 1, 3];
        var l = Cholesky.Factor(3, a).Value;
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                var s = 0.0;
                for (var k = 0; k < 3; k++)
                {
                    s += l[(i * 3) + k] * l[(j * 3) + k];
                }

                Assert.Equal(a[(i * 3) + j], s, 1e-14);
            }
        }
    }

    [Fact]
    public void SmallExpm_MatchesPadeExponential()
    {
        double[] a = [-1.6, 0.25, 0.015, 1, 0.6, -0.25, 0, 0, 0.59, 0, -0.015, 0, 0, 0, 0, 0];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] *= 7.5;
        }

        var e = new double[16];
        SmallExpm.Compute(4, a, e);
        var reference = MatrixExponential.Compute(4, a);
        for (var i = 0; i < 16; i++)
        {
            Assert.True(Math.Abs(e[i] - reference[i]) <= 1e-12 * Math.Max(1, Math.Abs(reference[i])), $"entry {i}: {e[i]} vs {reference[i]}");
        }
    }

    public static TheoryData<string, bool> Regimens()
    {
        var data = new TheoryData<string, bool>();
        foreach (var kind in new[] { "infusion", "course", "bolus-im", "bolus-iv", "offgrid" })
        {
            data.Add(kind, false);
            data.Add(kind, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Regimens))]
    public void Run_SmallPopulation_EqualsSubjectBySubjectSimulator(string kind, bool portable)
    {
        using var scope = portable ? SimdPaths.ForcePortable() : null;
        var model = new Domino1984();
        var pop = PopulationSampler.Sample(model, Spec(), 37, 2024).Value;
        var regimen = kind switch
        {
            "infusion" => Regimen.Single(DoseExpression.Infusion(DosePerKg.FromMilligramsPerKilogram(0.5), Duration.FromMinutes(60))),
            "course" => new Regimen(Enumerable.Range(0, 3).Select(d => new Administration(Duration.FromMinutes(240.0 * d),
                DoseExpression.Infusion(DosePerKg.FromMilligramsPerKilogram(0.5 + (0.25 * d)), Duration.FromMinutes(60))))),
            "bolus-im" => new Regimen([
                new Administration(Duration.FromMinutes(10), DoseExpression.Bolus(Mass.FromMilligrams(20))),
                new Administration(Duration.FromMinutes(30), DoseExpression.Bolus(DosePerKg.FromMilligramsPerKilogram(1)), Route.Intramuscular),
            ]),
            "bolus-iv" => new Regimen([
                new Administration(Duration.Zero, DoseExpression.Bolus(Mass.FromMilligrams(15))),
                new Administration(Duration.FromMinutes(10), DoseExpression.Bolus(DosePerKg.FromMilligramsPerKilogram(0.2))),
                new Administration(Duration.FromMinutes(5), DoseExpression.Infusion(DosePerKg.FromMilligramsPerKilogram(0.5), Duration.FromMinutes(30))),
                new Administration(Duration.FromMinutes(20), DoseExpression.Infusion(Mass.FromMilligrams(10), Duration.FromMinutes(30))),
            ]),
            _ => Regimen.Single(DoseExpression.Infusion(Mass.FromMilligrams(35), Duration.FromMinutes(47.3))),
        };
        var step = kind == "offgrid" ? Duration.FromMinutes(2.5) : Duration.FromMinutes(1);
        var until = Duration.FromHours(12);
        var request = new PopulationRequest(model, pop, regimen)
        {
            Until = until,
            Step = step,
            Percentiles = [0, 5, 50, 95, 100],
            Thresholds = [Concentration.FromNanogramsPerMilliliter(100)],
            Targets =
            [
                new StaysWithin("70–200 ng/mL, 30–60 min", Concentration.FromNanogramsPerMilliliter(70), Concentration.FromNanogramsPerMilliliter(200), Duration.FromMinutes(30), Duration.FromMinutes(60)),
                new PeakAbove("peak > 150 ng/mL", Concentration.FromNanogramsPerMilliliter(150)),
            ],
        };
        var summary = PopulationSimulator.Run(request, null, Ct).Value;

        var series = new double[pop.Count][];
        for (var i = 0; i < pop.Count; i++)
        {
            var etas = Enumerable.Range(0, 6).ToDictionary(j => pop.EtaNames[j], j => pop.Eta(i, j));
            var sim = Simulator.Run(new SimulationRequest(model, pop.CovariatesOf(i), regimen) { Until = until, Step = step, Etas = etas }).Value;
            series[i] = [.. sim.MgPerLiter("plasma")];
        }

        Assert.Equal(series[0].Length, summary.Times.Count);
        var worst = 0.0;
        for (var k = 0; k < summary.Times.Count; k++)
        {
            var column = series.Select(s => s[k]).Order().ToArray();
            for (var j = 0; j < summary.Percentiles.Count; j++)
            {
                var expected = Type7(column, summary.Percentiles[j] / 100.0);
                worst = Math.Max(worst, RelErr(summary.PercentileMgPerLiter(j, k), expected));
            }

            worst = Math.Max(worst, RelErr(summary.MeanMgPerLiter[k], column.Average()));
            Assert.Equal(column.Count(v => v > 0.1) / (double)pop.Count, summary.FractionAbove(0)[k]);
            Assert.Equal(column.Count(v => v < 0.1) / (double)pop.Count, summary.FractionBelow(0)[k]);
        }

        Assert.True(worst <= 1e-9, $"worst relative difference {worst:E3}");
        var within = series.Count(s => Enumerable.Range(0, s.Length).Where(k => summary.Times[k] >= 30 && summary.Times[k] <= 60).All(k => s[k] >= 0.07 && s[k] <= 0.2));
        Assert.Equal(within, summary.Targets[0].Count);
        Assert.Equal(series.Count(s => s.Max() > 0.15), summary.Targets[1].Count);
    }

    [Fact]
    public void Run_StaysWithinOverSeveralBitWords_CountsAsSubjectBySubject()
    {
        // 203 subjects: four 64-subject words of the target's bit set, the last partly used, and a scalar tail.
        var model = new Domino1984();
        var pop = PopulationSampler.Sample(model, Spec(), 203, 77).Value;
        var regimen = Regimen.Single(DoseExpression.Infusion(DosePerKg.FromMilligramsPerKilogram(0.5), Duration.FromMinutes(60)));
        var until = Duration.FromHours(2);
        var target = new StaysWithin("80–180 ng/mL, 20–60 min", Concentration.FromNanogramsPerMilliliter(80), Concentration.FromNanogramsPerMilliliter(180), Duration.FromMinutes(20), Duration.FromMinutes(60));
        var summary = PopulationSimulator.Run(new PopulationRequest(model, pop, regimen) { Until = until, Targets = [target] }, null, Ct).Value;

        var expected = 0;
        for (var i = 0; i < pop.Count; i++)
        {
            var etas = Enumerable.Range(0, 6).ToDictionary(j => pop.EtaNames[j], j => pop.Eta(i, j));
            var c = Simulator.Run(new SimulationRequest(model, pop.CovariatesOf(i), regimen) { Until = until, Etas = etas }).Value.MgPerLiter("plasma");
            expected += Enumerable.Range(20, 41).All(k => c[k] >= 0.08 && c[k] <= 0.18) ? 1 : 0;
        }

        Assert.InRange(expected, 1, pop.Count - 1);
        Assert.Equal(expected, summary.Targets[0].Count);
    }

    [Fact]
    public void Run_ResultDoesNotDependOnThreadCount()
    {
        var model = new Domino1984();
        var pop = PopulationSampler.Sample(model, Spec(), 40_000, 5).Value;
        var regimen = Regimen.Single(DoseExpression.Infusion(DosePerKg.FromMilligramsPerKilogram(0.5), Duration.FromMinutes(60)));
        PopulationRequest Request(int threads) => new(model, pop, regimen) { Until = Duration.FromHours(2), MaxDegreeOfParallelism = threads };
        var one = PopulationSimulator.Run(Request(1), null, Ct).Value;
        var all = PopulationSimulator.Run(Request(0), null, Ct).Value;
        for (var j = 0; j < 3; j++)
        {
            Assert.True(one.PercentileSeries(j).SequenceEqual(all.PercentileSeries(j)));
        }

        Assert.True(one.MeanMgPerLiter.SequenceEqual(all.MeanMgPerLiter));
    }

    [Fact]
    public void Run_BuildingASubject_LeavesNoGarbageBeyondItsShareOfTheArrays()
    {
        // One thread (below the parallel sizes, so everything runs on this thread and its allocations are counted):
        // what one more subject costs is its share of the structure-of-arrays (Φ, Γ, state, rows, peak, scale, rate:
        // about 170 bytes for Domino with one infusion) and its covariates record, not a built system and schedule
        // (about 3 KiB each).
        var model = new Domino1984();
        var regimen = Regimen.Single(DoseExpression.Infusion(DosePerKg.FromMilligramsPerKilogram(0.5), Duration.FromMinutes(60)));
        long Allocated(int n)
        {
            var pop = PopulationSampler.Sample(model, Spec(), n, 5).Value;
            var request = new PopulationRequest(model, pop, regimen) { Until = Duration.FromMinutes(10), MaxDegreeOfParallelism = 1 };
            Assert.True(PopulationSimulator.Run(request, null, Ct).IsSuccess);
            var before = GC.GetAllocatedBytesForCurrentThread();
            Assert.True(PopulationSimulator.Run(request, null, Ct).IsSuccess);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var perSubject = (Allocated(6_000) - Allocated(2_000)) / 4_000.0;
        Assert.InRange(perSubject, 0, 400);
    }

    [Fact]
    public void Run_ReleasingThePopulation_GivesTheSameResultAndEmptiesIt()
    {
        var model = new Domino1984();
        var regimen = Regimen.Single(DoseExpression.Infusion(DosePerKg.FromMilligramsPerKilogram(0.5), Duration.FromMinutes(60)));
        var kept = PopulationSampler.Sample(model, Spec(), 3_000, 11).Value;
        var released = PopulationSampler.Sample(model, Spec(), 3_000, 11).Value;
        var a = PopulationSimulator.Run(new PopulationRequest(model, kept, regimen) { Until = Duration.FromHours(3) }, null, Ct).Value;
        var request = new PopulationRequest(model, released, regimen) { Until = Duration.FromHours(3), ReleasePopulationAfterBuild = true };
        var b = PopulationSimulator.Run(request, null, Ct).Value;
        for (var j = 0; j < 3; j++)
        {
            Assert.True(a.PercentileSeries(j).SequenceEqual(b.PercentileSeries(j)));
        }

        Assert.False(kept.IsReleased);
        Assert.True(released.IsReleased);
        Assert.Equal(3_000, released.Count);
        Assert.Throws<IndexOutOfRangeException>(() => released.WeightKg(0));
        var again = PopulationSimulator.Run(request, null, Ct);
        Assert.False(again.IsSuccess);
        Assert.StartsWith("population:", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ReportsProgressAndErrors()
    {
        var model = new Domino1984();
        var pop = PopulationSampler.Sample(model, Spec(), 100, 5).Value;
        var regimen = Regimen.Single(DoseExpression.Infusion(DosePerKg.FromMilligramsPerKilogram(0.5), Duration.FromMinutes(60)));
        var seen = new List<double>();
        var progress = new SyncProgress(seen);
        Assert.True(PopulationSimulator.Run(new PopulationRequest(model, pop, regimen) { MaxDegreeOfParallelism = 1 }, progress, Ct).IsSuccess);
        Assert.Equal(1.0, seen.Max(), 12);

        Assert.False(PopulationSimulator.Run(new PopulationRequest(model, pop, regimen) { Percentiles = [101] }, null, Ct).IsSuccess);
        Assert.False(PopulationSimulator.Run(new PopulationRequest(model, pop, regimen) { Output = "effect" }, null, Ct).IsSuccess);
        var typical = VirtualPopulation.FromSubjects([new Covariates(BodyWeight.FromKilograms(70))], [], []);
        var noIiv = PopulationSimulator.Run(new PopulationRequest(model, typical, regimen), null, Ct).Value;
        Assert.Contains(noIiv.Warnings, w => w.Code == EngineWarningCodes.PopulationNoVariability && w.Arg("model")!.Text == model.Id);
        Assert.Equal(noIiv.PercentileMgPerLiter(0, 60), noIiv.PercentileMgPerLiter(2, 60));

        var heavy = VirtualPopulation.FromSubjects([new Covariates(BodyWeight.FromKilograms(70)), new Covariates(BodyWeight.FromKilograms(400))], [], []);
        var refused = PopulationSimulator.Run(new PopulationRequest(model, heavy, regimen), null, Ct);
        Assert.False(refused.IsSuccess);
        Assert.StartsWith("subject 2:", refused.Error, StringComparison.Ordinal);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static double RelErr(double a, double b) => Math.Abs(a - b) / Math.Max(Math.Abs(b), 1e-12);

    private sealed class SyncProgress(List<double> seen) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (seen)
            {
                seen.Add(value);
            }
        }
    }
}
