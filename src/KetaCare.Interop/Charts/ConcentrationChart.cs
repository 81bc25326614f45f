using KetaCare.Clinic;
using KetaCare.Pharmacology.Simulation;
using ScottPlot;

namespace KetaCare.Interop.Charts;

/// <summary>One simulated regimen to draw, with its label ("first session", "highest planned session").</summary>
/// <param name="Label">Legend label; empty to show the model's output names only.</param>
/// <param name="Result">The engine's simulation of the regimen.</param>
public sealed record LabelledProfile(string Label, SimulationResult Result);

/// <summary>
/// Concentration preview: the predicted plasma concentration (and the effect site and metabolites when the model
/// has them) of one or more regimens over time, on the shaded bands of <see cref="ConcentrationBands"/>. Bands whose
/// lower edge lies above the plotted range are left out (the anaesthesia band appears only when a curve nears it).
/// Time in minutes, or in hours beyond 3 h. Stateless and thread-safe.
/// </summary>
public static class ConcentrationChart
{
    private static readonly Color[] Palette = [Colors.Black, Colors.RoyalBlue, Colors.OrangeRed, Colors.Purple, Colors.Teal, Colors.Brown];

    /// <summary>PNG, <paramref name="width"/> × <paramref name="height"/> px.</summary>
    /// <param name="profiles">The regimens (at least one).</param>
    /// <param name="width">Width, px (100–8000).</param>
    /// <param name="height">Height, px (100–8000).</param>
    /// <param name="text">Wording (default English).</param>
    /// <param name="title">Title (default: the wording's concentration title).</param>
    public static byte[] Png(IReadOnlyList<LabelledProfile> profiles, int width, int height, ChartText? text = null, string? title = null) =>
        ChartImage.Png(Plot(profiles, text, title), width, height);

    /// <summary>SVG text, <paramref name="width"/> × <paramref name="height"/> px; see <see cref="Png"/>.</summary>
    public static string Svg(IReadOnlyList<LabelledProfile> profiles, int width, int height, ChartText? text = null, string? title = null) =>
        ChartImage.Svg(Plot(profiles, text, title), width, height);

    /// <summary>The styled plot, for callers that save it themselves.</summary>
    public static Plot Plot(IReadOnlyList<LabelledProfile> profiles, ChartText? text = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        if (profiles.Count == 0)
        {
            throw new ArgumentException("profiles: at least one regimen is needed.", nameof(profiles));
        }

        text ??= ChartText.English;
        var plot = new Plot();
        var end = profiles.Max(p => p.Result.Times[^1]);
        var hours = end > 180;
        var top = ConcentrationBands.AcuteAnalgesia.HighNgPerMl * 1.1;
        var lines = new List<(double[] Xs, double[] Ys, string Label, Color Color, LinePattern Pattern)>();
        for (var i = 0; i < profiles.Count; i++)
        {
            var p = profiles[i];
            var xs = p.Result.Times.Select(t => hours ? t / 60 : t).ToArray();
            var color = Palette[i % Palette.Length];
            foreach (var o in p.Result.System.Outputs.Where(o => o.Key != "relief-site"))
            {
                var ys = p.Result.NgPerMl(o.Key);
                var name = o.Key switch
                {
                    "plasma" => text.Plasma,
                    "effect" => text.EffectSite,
                    _ => o.Label,
                };
                var pattern = o.Key switch
                {
                    "plasma" => LinePattern.Solid,
                    "effect" => LinePattern.Dashed,
                    _ => LinePattern.Dotted,
                };
                lines.Add((xs, ys, p.Label.Length == 0 ? name : $"{p.Label}: {name}", color, pattern));
                top = Math.Max(top, ys.DefaultIfEmpty(0).Max() * 1.1);
            }
        }

        Shade(plot, text, top);
        foreach (var (xs, ys, label, color, pattern) in lines)
        {
            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = label;
            line.LineWidth = 2;
            line.Color = color;
            line.LinePattern = pattern;
        }

        plot.Title(title ?? text.ConcentrationTitle);
        plot.XLabel(hours ? text.TimeHours : text.TimeMinutes);
        plot.YLabel(text.Concentration);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.SetLimits(0, hours ? end / 60 : end, 0, top);
        ChartImage.Style(plot);
        return plot;
    }

    /// <summary>Shades every band whose lower edge is below <paramref name="top"/>, ng/mL.</summary>
    internal static void Shade(Plot plot, ChartText text, double top)
    {
        Color[] fills = [Colors.Green.WithAlpha(0.15), Colors.Orange.WithAlpha(0.12), Colors.Purple.WithAlpha(0.10)];
        var bands = ConcentrationBands.All;
        for (var i = 0; i < bands.Count; i++)
        {
            if (bands[i].LowNgPerMl < top)
            {
                var span = plot.Add.VerticalSpan(bands[i].LowNgPerMl, Math.Min(bands[i].HighNgPerMl, top), fills[i % fills.Length]);
                span.LegendText = text.BandLabel(bands[i]);
            }
        }
    }
}
