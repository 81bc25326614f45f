using ScottPlot;

namespace KetaCare.Cli.Output;

/// <summary>PNG/SVG chart of a population run: percentile bands, the median, the analgesic band and the thresholds.</summary>
internal static class PopulationChart
{
    public static void Save(PopulationView v, string path)
    {
        var s = v.Summary;
        var hours = s.Times[^1] > 180;
        var xs = s.Times.Select(t => hours ? t / 60 : t).ToArray();
        double[] Series(int j) => [.. s.PercentileSeries(j).ToArray().Select(c => c * 1000)];

        var plot = new Plot();
        var band = plot.Add.VerticalSpan(Band.LowNgPerMl, Band.HighNgPerMl, Colors.Green.WithAlpha(0.12));
        band.LegendText = Band.Label;

        // Nested bands: outermost pair first, each inner pair drawn darker on top.
        var n = s.Percentiles.Count;
        for (var j = 0; j < n / 2; j++)
        {
            var fill = plot.Add.FillY(xs, Series(j), Series(n - 1 - j));
            fill.FillStyle.Color = Colors.RoyalBlue.WithAlpha(0.18 + (0.12 * j));
            fill.LineStyle.Width = 0;
            fill.LegendText = $"{PopulationView.PercentileLabel(s.Percentiles[j])}–{PopulationView.PercentileLabel(s.Percentiles[n - 1 - j])}";
        }

        var median = -1;
        for (var j = 0; j < n; j++)
        {
            if (s.Percentiles[j] == 50)
            {
                median = j;
            }
        }

        var top = Band.HighNgPerMl * 1.1;
        if (n > 0)
        {
            top = Math.Max(top, Series(n - 1).Max() * 1.1);
            var mid = median >= 0 ? median : (n % 2 == 1 ? n / 2 : -1);
            if (mid >= 0)
            {
                var line = plot.Add.ScatterLine(xs, Series(mid));
                line.LegendText = mid == median ? "median" : PopulationView.PercentileLabel(s.Percentiles[mid]);
                line.LineWidth = 2;
                line.Color = Colors.Black;
            }
        }

        foreach (var t in s.Thresholds)
        {
            var h = plot.Add.HorizontalLine(t.NanogramsPerMilliliter);
            h.LegendText = $"threshold {t}";
            h.Color = Colors.OrangeRed;
            h.LinePattern = LinePattern.Dashed;
            top = Math.Max(top, t.NanogramsPerMilliliter * 1.1);
        }

        var p = v.Setup;
        var doses = string.Join("; ", p.Regimen.Administrations.Select(a => $"{a.Dose} {Pharmacology.Models.Routes.Code(a.Route)} at {Format.Time(a.Start.Minutes)}"));
        plot.Title(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p.Model.Id}, {p.Count:N0} patients: {doses}"));
        plot.XLabel(hours ? "Time (h)" : "Time (min)");
        plot.YLabel($"{v.OutputLabel} concentration (ng/mL)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.SetLimits(0, xs[^1], 0, top);
        ChartFile.Save(plot, path);
    }
}
