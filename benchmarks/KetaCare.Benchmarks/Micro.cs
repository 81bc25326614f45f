using System.Diagnostics;
using KetaCare.Pharmacology.Population;

namespace KetaCare.Benchmarks;

public static class Micro
{
    public static void Run()
    {
        var n = 100_000;
        var rng = new Xoshiro256StarStar(1);
        var row = new double[n];
        for (var i = 0; i < n; i++)
        {
            row[i] = Math.Exp(rng.NextGaussian());
        }

        var q = new StreamingQuantiles(n, [0.05, 0.5, 0.95]);
        double[] lo = [0.19, 0.999, 5.1];
        double[] hi = [0.1901, 1.0001, 5.1003];
        var below = new long[3];
        var count = new int[3];
        int[] js = [0, 1, 2];
        for (var rep = 0; rep < 3; rep++)
        {
            var sw = Stopwatch.StartNew();
            for (var k = 0; k < 1000; k++)
            {
                q.Gather(row, js, lo, hi, below, count);
            }

            Console.WriteLine($"gather: {sw.Elapsed.TotalMicroseconds / 1000:F1} us per row of {n}; counts {count[0]} {count[1]} {count[2]} below {below[1]}");
            sw.Restart();
            var s = 0.0;
            for (var k = 0; k < 1000; k++)
            {
                var acc = System.Numerics.Vector<double>.Zero;
                for (var i = 0; i < n; i += System.Numerics.Vector<double>.Count)
                {
                    acc += new System.Numerics.Vector<double>(row, i);
                }

                s += System.Numerics.Vector.Sum(acc);
            }

            Console.WriteLine($"sum: {sw.Elapsed.TotalMicroseconds / 1000:F1} us per row {s}");
        }
    }
}
