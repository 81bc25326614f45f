using BenchmarkDotNet.Attributes;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Models.Library;
using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Benchmarks;

/// <summary>A 60-min TCI plan for a 70-kg adult with Domino 1984, 10-s updates, 4 manual steps (target: &lt; 50 ms).</summary>
[MemoryDiagnoser]
public class TciBenchmarks
{
    private readonly PkModel _model = new Domino1984();
    private readonly Covariates _patient = new(BodyWeight.FromKilograms(70), 45);

    [Params(TciSite.Plasma, TciSite.EffectSite)]
    public TciSite Site { get; set; }

    [Benchmark(Description = "TciPlanner.Plan, 60 min, 150 ng/mL")]
    public TciPlan Plan60Minutes() => TciPlanner.Plan(_model, _patient, new TciSettings
    {
        Target = Concentration.FromNanogramsPerMilliliter(150),
        Site = Site,
        Duration = Duration.FromMinutes(60),
    }, EffectSites.Olofsen2012Analgesia).Value;
}
