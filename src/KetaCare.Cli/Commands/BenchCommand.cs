using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using KetaCare.Pharmacology.Models.Library;
using KetaCare.Pharmacology.Population;

namespace KetaCare.Cli.Commands;

/// <summary>
/// <c>ketacare bench W1|W2 N</c>: runs a peer-comparison workload (docs/performance.md, Workloads) through the
/// same engine calls as <c>ketacare population</c> and prints the peers' output format, so the installed tool
/// itself is what is timed against the peer programs. A timing breakdown goes to stderr.
/// </summary>
internal static class BenchCommand
{
    // The output times the peers print without --all.
    private static readonly long[] Checks = [30, 60, 120, 360, 1440, 8700, 13020, 14400];

    internal static Command Create(CliContext context)
    {
        var workload = new Argument<string>("workload") { Description = "W1 (one infusion, 24 h) or W2 (ten daily infusions, 10 days)." };
        var n = new Argument<string>("n") { Description = Invariant($"Number of virtual patients, 1–{PeerWorkloads.MaxSubjects:N0}.") };
        var subjects = new Option<FileInfo>("--subjects") { Description = "Read the population from the peers' shared CSV (id,weight,V1,k10,k12,k21,k13,k31) instead of drawing it." };
        var all = new Option<bool>("--all") { Description = "Print the percentiles at every minute, not only at the check times." };
        var threads = new Option<string>("--threads") { Description = "Worker threads (default: one per core)." };
        var command = new Command("bench", "Run a benchmark workload of docs/performance.md (W1, W2) and print the percentiles in the peer programs' format; timings on stderr.")
        {
            workload, n, subjects, all, threads,
        };
        command.SetAction(parse => Run(context, parse.GetValue(workload)!, parse.GetValue(n)!, parse.GetValue(subjects), parse.GetValue(all), parse.GetValue(threads)));
        return command;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static int Run(CliContext context, string workloadText, string nText, FileInfo? subjects, bool all, string? threadsText)
    {
        var clock = Stopwatch.StartNew();
        var w = PeerWorkloads.Parse(workloadText);
        if (w is null)
        {
            return context.UsageError($"workload: \"{workloadText}\" is not W1 or W2.");
        }

        if (!int.TryParse(nText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > PeerWorkloads.MaxSubjects)
        {
            return context.UsageError(Invariant($"n: \"{nText}\" is not a whole number 1–{PeerWorkloads.MaxSubjects:N0}."));
        }

        var threads = 0;
        if (threadsText is not null && (!int.TryParse(threadsText, NumberStyles.None, CultureInfo.InvariantCulture, out threads) || threads < 1 || threads > 1024))
        {
            return context.UsageError($"--threads: \"{threadsText}\" is not a whole number 1–1024.");
        }

        var model = new Domino1984();
        VirtualPopulation population;
        if (subjects is null)
        {
            population = PeerWorkloads.Draw(model, n);
        }
        else
        {
            if (!subjects.Exists)
            {
                return context.UsageError($"--subjects: {subjects.FullName} does not exist.");
            }

            using var reader = subjects.OpenText();
            var read = PeerWorkloads.Read(model, reader, n);
            if (!read.IsSuccess)
            {
                return context.UsageError(read.Error);
            }

            population = read.Value;
        }

        var populationSeconds = clock.Elapsed.TotalSeconds;
        var result = PopulationSimulator.Run(PeerWorkloads.Request(model, population, w, threads));
        if (!result.IsSuccess)
        {
            return context.Refused(result.Error);
        }

        var s = result.Value;
        var output = new StringBuilder();
        output.Append(CultureInfo.InvariantCulture, $"# peer=ketacare workload={w} N={n} pop={(subjects is null ? "rng" : "csv")}\n");
        output.Append("t p05 p50 p95\n");
        for (var k = 0; k < s.Times.Count; k++)
        {
            var t = (long)Math.Round(s.Times[k]);
            if (all || Array.IndexOf(Checks, t) >= 0)
            {
                output.Append(CultureInfo.InvariantCulture, $"{t} {G10(s.PercentileNgPerMl(0, k))} {G10(s.PercentileNgPerMl(1, k))} {G10(s.PercentileNgPerMl(2, k))}\n");
            }
        }

        output.Append(CultureInfo.InvariantCulture, $"frac_peak_gt_300 {s.Targets[0].Fraction:F6}\n");
        context.Out.Write(output.ToString());
        context.Out.Flush();
        var tm = s.Timings;
        context.Error.WriteLine(Invariant(
            $"timing ketacare {w} N={n}: population {populationSeconds:F3} s, setup(build+expm) {tm.SetupSeconds:F3} s, stepping {tm.SteppingSeconds:F3} s, summaries {tm.SummarySeconds:F3} s, full selections {tm.FullSelections}, window retries {tm.WindowRetries}, total-in-command {clock.Elapsed.TotalSeconds:F3} s, threads {(threads > 0 ? threads : Environment.ProcessorCount)}, allocated {GC.GetTotalAllocatedBytes() / 1048576.0:F1} MiB, gen0 GCs {GC.CollectionCount(0)}, GC heap committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0:F1} MiB, peak working set {Environment.WorkingSet / 1048576.0:F1} MiB"));
        return ExitCodes.Success;
    }

    private static string G10(double v) => v.ToString("G10", CultureInfo.InvariantCulture);
}
