using System.Globalization;
using KetaCare.Cli.Commands;
using KetaCare.Pharmacology.Models.Library;
using KetaCare.Pharmacology.Population;

namespace KetaCare.Cli.Tests;

public class BenchCommandTests
{
    private const int N = 1000;

    private static string G10(double v) => v.ToString("G10", CultureInfo.InvariantCulture);

    [Fact]
    public void Bench_W1_PrintsTheEnginesPercentilesInThePeersFormat()
    {
        var model = new Domino1984();
        var expected = PopulationSimulator.Run(PeerWorkloads.Request(model, PeerWorkloads.Draw(model, N), "W1", threads: 0), cancellationToken: TestContext.Current.CancellationToken).Value;

        var run = Cli.Run("bench", "W1", "1000");

        Assert.Equal(0, run.ExitCode);
        var lines = run.OutLines;
        Assert.Equal("# peer=ketacare workload=W1 N=1000 pop=rng", lines[0]);
        Assert.Equal("t p05 p50 p95", lines[1]);
        // W1's check times are those of the peers within 24 h: 30, 60, 120, 360 and 1440 min.
        Assert.Equal(["30", "60", "120", "360", "1440"], lines[2..^1].Select(l => l.Split(' ')[0]));
        foreach (var line in lines[2..^1])
        {
            var k = int.Parse(line.Split(' ')[0], CultureInfo.InvariantCulture);
            Assert.Equal($"{k} {G10(expected.PercentileNgPerMl(0, k))} {G10(expected.PercentileNgPerMl(1, k))} {G10(expected.PercentileNgPerMl(2, k))}", line);
        }

        Assert.Equal("frac_peak_gt_300 " + expected.Targets[0].Fraction.ToString("F6", CultureInfo.InvariantCulture), lines[^1]);
        Assert.StartsWith("timing ketacare W1 N=1000:", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_SubjectsFileOfTheDrawnPopulation_GivesTheSamePercentiles()
    {
        // The peers' shared CSV holds individual parameters; written from the drawn etas, it must read back as the same subjects.
        var model = new Domino1984();
        var drawn = PeerWorkloads.Draw(model, N);
        var typical = PeerWorkloads.EtaNames.Select(x => model.Parameters.Single(p => p.Name == x).Value).ToArray();
        using var file = Cli.TempFile(".csv");
        using (var w = new StreamWriter(file.Path))
        {
            w.WriteLine("id,weight,V1,k10,k12,k21,k13,k31");
            for (var i = 0; i < N; i++)
            {
                var weight = drawn.WeightKg(i);
                var values = Enumerable.Range(0, 6).Select(j => typical[j] * Math.Exp(drawn.Eta(i, drawn.EtaNames.ToList().IndexOf(PeerWorkloads.EtaNames[j]))) * (j == 0 ? weight : 1));
                w.WriteLine(string.Join(',', new[] { i.ToString(CultureInfo.InvariantCulture), weight.ToString("R", CultureInfo.InvariantCulture) }.Concat(values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
            }
        }

        var fromFile = Cli.Run("bench", "W1", "1000", "--subjects", file.Path);
        var fromDraw = Cli.Run("bench", "W1", "1000");

        Assert.Equal(0, fromFile.ExitCode);
        Assert.Equal(fromDraw.OutLines[1..], fromFile.OutLines[1..]);
        Assert.EndsWith("pop=csv", fromFile.OutLines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("W3", "10", "workload:")]
    [InlineData("W1", "0", "n:")]
    [InlineData("W1", "ten", "n:")]
    public void Bench_BadArguments_UsageErrorNamingTheArgument(string workload, string n, string named)
    {
        var run = Cli.Run("bench", workload, n);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(named, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_SubjectsFileShorterThanN_UsageErrorNamingTheRows()
    {
        using var file = Cli.TempFile(".csv");
        File.WriteAllText(file.Path, "id,weight,V1,k10,k12,k21,k13,k31\n0,70,4.41,0.4381,0.5921,0.247,0.59,0.0146\n");

        var run = Cli.Run("bench", "W1", "2", "--subjects", file.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("has 1 rows, 2 wanted", run.Error, StringComparison.Ordinal);
    }
}
