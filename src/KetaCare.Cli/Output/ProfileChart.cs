using ScottPlot;

namespace KetaCare.Cli.Output;

/// <summary>PNG/SVG chart of a profile's concentrations with the analgesic band shaded.</summary>
internal static class ProfileChart
{
    public static void Save(Profile p, string path)
    {
        var plot = new Plot();
        var times = p.Result.Times;
        var hours = times[^1] > 180;
        var xs = times.Select(t => hours ? t / 60 : t).ToArray();

        var band = plot.Add.VerticalSpan(Band.LowNgPerMl, Band.HighNgPerMl, Colors.Green.WithAlpha(0.15));
        band.LegendText = Band.Label;

        var palette = new[] { Colors.Black, Colors.OrangeRed, Colors.RoyalBlue, Colors.Purple, Colors.Teal, Colors.Brown };
        var i = 0;
        foreach (var s in p.Series.Where(s => s.Key != "relief-site"))
        {
            var line = plot.Add.ScatterLine(xs, s.NgPerMl);
            line.LegendText = s.Label;
            line.LineWidth = 2;
            line.Color = palette[i++ % palette.Length];
        }

        var r = p.Request;
        var doses = string.Join("; ", r.Regimen.Administrations.Select(a => $"{a.Dose} {Pharmacology.Models.Routes.Code(a.Route)} at {Format.Time(a.Start.Minutes)}"));
        plot.Title($"{r.Model.Id}, {r.Patient.Weight}: {doses}");
        plot.XLabel(hours ? "Time (h)" : "Time (min)");
        plot.YLabel("Concentration (ng/mL)");
        plot.ShowLegend(Alignment.UpperRight);
        var top = Math.Max(Band.HighNgPerMl * 1.1, p.Series.Where(s => s.Key != "relief-site").Max(s => s.Metrics.Cmax.NanogramsPerMilliliter) * 1.1);
        plot.Axes.SetLimits(0, xs[^1], 0, top);

        ChartFile.Save(plot, path);
    }
}
