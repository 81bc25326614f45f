using BenchmarkDotNet.Running;

namespace KetaCare.Benchmarks;

/// <summary>
/// The BenchmarkDotNet suites of the engine (e.g. <c>--filter *Solver*</c>). The peer-comparison workloads are
/// run by the shipped tool itself, <c>ketacare bench W1|W2 N</c> (docs/performance.md).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
