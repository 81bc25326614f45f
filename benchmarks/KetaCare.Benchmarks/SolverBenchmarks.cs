using BenchmarkDotNet.Attributes;
using KetaCare.Cli.Commands;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Models.Library;
using KetaCare.Pharmacology.Population;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Solvers;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Benchmarks;

/// <summary>One patient, Domino 1984, 0.5 mg/kg over 60 min, 24 h at 1-min resolution (target: &lt; 1 ms).</summary>
[MemoryDiagnoser]
public class SolverBenchmarks
{
    private readonly SimulationRequest _request = new(new Domino1984(), new Covariates(BodyWeight.FromKilograms(70)), PeerWorkloads.RegimenOf("W1"))
    {
        Until = Duration.FromHours(24),
        Step = Duration.FromMinutes(1),
    };

    [Benchmark(Description = "Simulator.Run, exact, 24 h at 1 min (1441 points)")]
    public SimulationResult SinglePatientExact() => Simulator.Run(_request).Value;

    [Benchmark(Description = "Simulator.Run, Dormand-Prince, 24 h at 1 min")]
    public SimulationResult SinglePatientDormandPrince() => Simulator.Run(_request with { Solver = SolverKind.DormandPrince }).Value;
}

/// <summary>Matrix exponentials the engine computes: a subject's Van Loan matrix (Domino: 5 states → 10×10) and the population's 4×4.</summary>
public class MatrixExponentialBenchmarks
{
    private double[] _vanLoan = [];
    private double[] _small = [];
    private readonly double[] _out = new double[16];

    [GlobalSetup]
    public void Setup()
    {
        var system = new Domino1984().Build(new Covariates(BodyWeight.FromKilograms(70)));
        var n = system.Order;
        var m = 2 * n;
        _vanLoan = new double[m * m];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                _vanLoan[(i * m) + j] = system[i, j];
            }

            _vanLoan[(i * m) + n + i] = 1;
        }

        _small = new double[16];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                _small[(i * 4) + j] = system[i, j];
            }
        }

        _small[3] = 1;
    }

    [Benchmark(Description = "Padé 13 expm, 10×10 (Propagator of the full Domino system, 1 min)")]
    public double[] Pade10() => MatrixExponential.Compute(10, _vanLoan);

    [Benchmark(Description = "Propagator (Van Loan + Padé), full Domino system, 1 min")]
    public Propagator Propagator() => new(5, new Domino1984().Build(Covariates.Reference70Kg).Matrix, 1.0);

    [Benchmark(Description = "Taylor expm, 4×4 (population: 3 states + 1 input), 1 min")]
    public double[] Small4()
    {
        SmallExpm.Compute(4, _small, _out);
        return _out;
    }
}

/// <summary>A block of the population workload: W1 for 4,096 subjects (build, propagators, stepping, summaries).</summary>
[MemoryDiagnoser]
public class PopulationBenchmarks
{
    private PopulationRequest _request = null!;

    [Params(1, 0)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = new Domino1984();
        _request = new PopulationRequest(model, PeerWorkloads.Draw(model, 4096), PeerWorkloads.RegimenOf("W1"))
        {
            Until = Duration.FromHours(24),
            Targets = [new PeakAbove("peak > 300 ng/mL", Concentration.FromNanogramsPerMilliliter(300))],
            MaxDegreeOfParallelism = Threads,
        };
    }

    [Benchmark(Description = "PopulationSimulator.Run, W1, N = 4096")]
    public PopulationSummary Block4096() => PopulationSimulator.Run(_request).Value;
}
