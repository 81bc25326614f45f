using System.Runtime.CompilerServices;
using BenchmarkDotNet.Running;

namespace KetaCare.Benchmarks;

/// <summary>
/// <c>workload W1|W2 N [--csv FILE] [--all] [--threads K]</c> runs a peer-comparison workload
/// (described in docs/performance.md, Workloads) and prints the peers' output format; anything else goes to
/// BenchmarkDotNet (e.g. <c>--filter *Solver*</c>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && string.Equals(args[0], "workload", StringComparison.OrdinalIgnoreCase))
        {
            return WorkloadRunner.Run(args[1..], Console.Out, Console.Error);
        }

        return RunBenchmarks(args);
    }

    // Kept out of Main so that a workload run never loads BenchmarkDotNet.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int RunBenchmarks(string[] args)
    {
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
