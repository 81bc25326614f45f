using BenchmarkDotNet.Attributes;
using KetaCare.Clinic;
using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Benchmarks;

/// <summary>
/// The clinic analytics over 10,000 courses of 20 sessions (target: &lt; 2 s) on course facts already built, and the
/// parts of one session's and one patient's computation: a session's exposure simulation, and the individual update
/// of a patient with 8 sessions (target: &lt; 100 ms a patient).
/// </summary>
[MemoryDiagnoser]
public class AnalyticsBenchmarks
{
    private static readonly Indication[] Indications = Enum.GetValues<Indication>();
    private readonly PkModel _model = ModelLibrary.Get("domino1984").Value;
    private readonly Covariates _patient = new(BodyWeight.FromKilograms(70), 45, Sex.Female, 165);
    private List<CourseFacts> _courses = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _courses = [.. Enumerable.Range(0, 10_000).Select(i =>
        {
            var sessions = Enumerable.Range(0, 20).Select(_ =>
            {
                var rate = 0.25 + (rng.NextDouble() * 1.75);
                var cadss = (int)(rng.NextDouble() * 50);
                return new SessionFacts($"{rate:0.##} mg/kg/h", rate, 600 * rate, 320 * rate, 250 * rate, cadss, cadss > 30, rng.NextDouble() < 0.1);
            }).ToList();
            var auc = sessions.Average(s => s.PlasmaAuc);
            var reduction = (75 * auc / (400 + auc)) + (15 * (rng.NextDouble() - 0.5));
            var relapse = rng.NextDouble() < 0.7 ? new TimeToEvent(rng.NextDouble() * 120, rng.NextDouble() < 0.7) : (TimeToEvent?)null;
            return new CourseFacts(ClinicAnalytics.Pseudonym(i), rng.NextDouble() < 0.6 ? Sex.Female : Sex.Male, (AgeBand)rng.Next(3), i % 3 == 0 ? "rema2012" : "outpatient-seed", Indications[rng.Next(Indications.Length)], new DateOnly(2024, 1, 1).AddDays(rng.Next(700)), sessions, 8, reduction, relapse)
            {
                TopDoseLevel = sessions.MaxBy(s => s.DoseMgPerKg)!.DoseLevel,
            };
        })];
    }

    [Benchmark(Description = "ClinicAnalytics.Analyse, 10,000 courses × 20 sessions")]
    public AnalyticsReport Analyse() => ClinicAnalytics.Analyse(_courses, AnalyticsFilter.All, ExposureAxis.PlasmaAuc, AnalyticsSettings.Default, 30);

    [Benchmark(Description = "One session's exposure simulation (1-h infusion, 1-min grid to 24 h after)")]
    public double SessionExposure()
    {
        var regimen = new Regimen([new Administration(Duration.Zero, DoseExpression.AtRate(DoseRate.FromMilligramsPerHour(70), Duration.FromHours(1)))]);
        var run = Simulator.Run(new SimulationRequest(_model, _patient, regimen) { EffectSite = EffectSites.Olofsen2012Analgesia, Until = Duration.FromHours(25) }).Value;
        return run.Metrics("plasma").AucNgHoursPerMl + run.Metrics("effect").Cmax.NanogramsPerMilliliter + run.TimeAbove("plasma", Concentration.FromNanogramsPerMilliliter(70)).Minutes;
    }

    [Benchmark(Description = "Individual update: 8 sessions' predicted CADSS times, both MAP estimates, the unit exposure")]
    public double IndividualUpdate()
    {
        var prior = IndividualPrior.Default;
        var protocol = ProtocolLibrary.SeedOutpatient;
        var cadss = new List<IndividualObservation>();
        var relief = new List<IndividualObservation>();
        for (var k = 0; k < 8; k++)
        {
            var rate = 0.5 + (0.25 * k);
            var regimen = new Regimen([new Administration(Duration.Zero, DoseExpression.AtRate(DoseRate.FromMilligramsPerHour(70 * rate), Duration.FromHours(1)))]);
            var run = Simulator.Run(new SimulationRequest(_model, _patient, regimen) { EffectSite = EffectSites.Olofsen2012Analgesia }, [0, 15, 30, 55, 60 + (24 * 60)]).Value;
            var ce = run.NgPerMl("effect");
            for (var i = 1; i <= 3; i++)
            {
                cadss.Add(new IndividualObservation(new SessionId(Guid.Empty), DateTimeOffset.UnixEpoch, ce[i], prior.Cadss(ce[i], 180)));
            }

            var auc = run.Metrics("effect").AucNgHoursPerMl;
            relief.Add(new IndividualObservation(new SessionId(Guid.Empty), DateTimeOffset.UnixEpoch, auc, prior.Relief(auc, 350)));
        }

        var d = PosteriorEstimate.Map(prior.DissociationEc50, prior.DissociationOmega, prior.CadssSd, cadss, prior.Cadss);
        var r = PosteriorEstimate.Map(prior.ReliefEc50, prior.ReliefOmega, prior.ReliefSd, relief, prior.Relief);
        var unit = Individualisation.UnitExposure(protocol, protocol.InfusionDuration!.Value, _model, _patient);
        return d.Value + r.Value + unit.Peak;
    }
}
