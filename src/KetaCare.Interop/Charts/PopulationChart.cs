using KetaCare.Clinic;
using KetaCare.Pharmacology.Population;
using ScottPlot;

namespace KetaCare.Interop.Charts;

/// <summary>
/// Population bands: nested percentile bands of a virtual population's concentrations, the median, the thresholds
/// of the run, on the shaded <see cref="ConcentrationBands"/>. Stateless and thread-safe.
/// </summary>
public static class PopulationChart
{
    /// <summary>PNG of a population summary.</summary>
    /// <param name="summary">The engine's population summary.</param>
    /// <param name="outputLabel">Name of the summarised output ("Plasma", "Effect site").</param>
    /// <param name="width">Width, px (100–8000).</param>
    /// <param name="height">Height, px (100–8000).</param>
    /// <param name="text">Wording (default English).</param>
    /// <param name="title">Title (default: the wording's population title).</param>
    public static byte[] Png(PopulationSummary summary, string outputLabel, int width, int height, ChartText? text = null, string? title = null) =>
        ChartImage.Png(Plot(summary, outputLabel, text, title), width, height);

    /// <summary>SVG of a population summary; see <see cref="Png"/>.</summary>
    public static string Svg(PopulationSummary summary, string outputLabel, int width, int height, ChartText? text = null, string? title = null) =>
        ChartImage.Svg(Plot(summary, outputLabel, text, title), width, height);

    /// <summary>The styled plot, for callers that save it themselves.</summary>
    public static Plot Plot(PopulationSummary summary, string outputLabel, ChartText? text = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        text ??= ChartText.English;
        var s = summary;
        var hours = s.Times[^1] > 180;
        var xs = s.Times.Select(t => hours ? t / 60 : t).ToArray();
        double[] Series(int j) => [.. s.PercentileSeries(j).ToArray().Select(c => c * 1000)];

        var n = s.Percentiles.Count;
        var top = ConcentrationBands.AcuteAnalgesia.HighNgPerMl * 1.1;
        if (n > 0)
        {
            top = Math.Max(top, Series(n - 1).Max() * 1.1);
        }

        foreach (var t in s.Thresholds)
        {
            top = Math.Max(top, t.NanogramsPerMilliliter * 1.1);
        }

        var plot = new Plot();
        ConcentrationChart.Shade(plot, text, top);

        // Nested bands: outermost pair first, each inner pair drawn darker on top.
        for (var j = 0; j < n / 2; j++)
        {
            var fill = plot.Add.FillY(xs, Series(j), Series(n - 1 - j));
            fill.FillStyle.Color = Colors.RoyalBlue.WithAlpha(0.18 + (0.12 * j));
            fill.LineStyle.Width = 0;
            fill.LegendText = $"{PopulationSummary.PercentileLabel(s.Percentiles[j])}–{PopulationSummary.PercentileLabel(s.Percentiles[n - 1 - j])}";
        }

        var median = -1;
        for (var j = 0; j < n; j++)
        {
            if (s.Percentiles[j] == 50)
            {
                median = j;
            }
        }

        var mid = median >= 0 ? median : (n % 2 == 1 ? n / 2 : -1);
        if (mid >= 0)
        {
            var line = plot.Add.ScatterLine(xs, Series(mid));
            line.LegendText = mid == median ? text.Median : PopulationSummary.PercentileLabel(s.Percentiles[mid]);
            line.LineWidth = 2;
            line.Color = Colors.Black;
        }

        foreach (var t in s.Thresholds)
        {
            var h = plot.Add.HorizontalLine(t.NanogramsPerMilliliter);
            h.LegendText = $"{text.Threshold} {t}";
            h.Color = Colors.OrangeRed;
            h.LinePattern = LinePattern.Dashed;
        }

        plot.Title(title ?? text.PopulationTitle);
        plot.XLabel(hours ? text.TimeHours : text.TimeMinutes);
        plot.YLabel($"{outputLabel}: {text.Concentration}");
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.SetLimits(0, xs[^1], 0, top);
        ChartImage.Style(plot);
        return plot;
    }
}
