using System.Globalization;
using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Outcomes;
using KetaCare.Interop.Text;
using ScottPlot;

namespace KetaCare.Interop.Charts;

/// <summary>
/// The clinic analytics charts: relief against exposure with the fitted Emax curve and its 95 % band, and the
/// Kaplan–Meier curve of time to relapse with its 95 % limits. Words from <see cref="Strings"/> in the reader's
/// language; numbers invariant. Stateless and thread-safe.
/// </summary>
public static class AnalyticsCharts
{
    /// <summary>SVG of the exposure–response chart.</summary>
    public static string ExposureResponseSvg(AnalyticsReport report, CultureInfo culture, int width = 760, int height = 420) =>
        ChartImage.Svg(ExposureResponse(report, culture), width, height);

    /// <summary>PNG of the exposure–response chart.</summary>
    public static byte[] ExposureResponsePng(AnalyticsReport report, CultureInfo culture, int width = 1400, int height = 780) =>
        ChartImage.Png(ExposureResponse(report, culture), width, height);

    /// <summary>SVG of the time-to-relapse chart.</summary>
    public static string RelapseSvg(AnalyticsReport report, CultureInfo culture, int width = 760, int height = 380) =>
        ChartImage.Svg(Relapse(report, culture), width, height);

    /// <summary>PNG of the time-to-relapse chart.</summary>
    public static byte[] RelapsePng(AnalyticsReport report, CultureInfo culture, int width = 1400, int height = 700) =>
        ChartImage.Png(Relapse(report, culture), width, height);

    /// <summary>The x-axis label of an exposure measure.</summary>
    public static string AxisLabel(ExposureAxis axis, CultureInfo culture) =>
        axis == ExposureAxis.PlasmaAuc ? Strings.For(culture)["Mean predicted plasma AUC per session (ng·h/mL)"] : Strings.For(culture)["Mean dose per session (mg/kg)"];

    private static Plot ExposureResponse(AnalyticsReport report, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(report);
        var t = Strings.For(culture);
        var plot = new Plot();
        ChartImage.Points(plot, [.. report.Points.Select(p => (p.Exposure, p.ReliefPercent))], t["Courses"], Colors.SteelBlue, MarkerShape.FilledCircle, connect: false);
        var top = report.Points.Select(p => p.Exposure).DefaultIfEmpty(1).Max();
        if (report.Fit.IsSuccess)
        {
            // Drawn over the exposures observed only: below them E0 and the band are extrapolation.
            var low = report.Points.Min(p => p.Exposure);
            var curve = report.Fit.Value.Curve(Enumerable.Range(0, 101).Select(i => low + ((top - low) * i / 100.0)));
            var xs = curve.Select(c => c.X).ToArray();
            var band = plot.Add.FillY(xs, curve.Select(c => c.Low).ToArray(), curve.Select(c => c.High).ToArray());
            band.FillColor = Colors.Orange.WithAlpha(0.25);
            band.LegendText = t["95 % confidence band"];
            var line = plot.Add.Scatter(xs, curve.Select(c => c.Y).ToArray());
            line.Color = Colors.DarkOrange;
            line.MarkerSize = 0;
            line.LineWidth = 2;
            line.LegendText = t["Emax fit"];
        }

        var moderate = plot.Add.HorizontalLine(OutcomesMath.ModerateReductionPercent);
        moderate.LinePattern = LinePattern.Dashed;
        moderate.Color = Colors.Gray;
        moderate.LegendText = t["Responder line (30 %)"];
        plot.Title(t["Relief against exposure"]);
        plot.XLabel(AxisLabel(report.Axis, culture));
        plot.YLabel(t["Reduction from baseline (%)"]);
        plot.Axes.SetLimits(0, top * 1.05, Math.Min(-10, report.Points.Select(p => p.ReliefPercent).DefaultIfEmpty(0).Min() - 5), 105);
        plot.ShowLegend(Alignment.LowerRight);
        ChartImage.Style(plot);
        return plot;
    }

    private static Plot Relapse(AnalyticsReport report, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(report);
        var t = Strings.For(culture);
        var plot = new Plot();
        var steps = report.Relapse.Steps;
        if (steps.Count > 0)
        {
            double[] xs = [0, .. steps.Select(s => s.Time)];
            void Step(double[] ys, string label, Color color, LinePattern pattern, float width)
            {
                var s = plot.Add.Scatter(xs, ys);
                s.ConnectStyle = ConnectStyle.StepHorizontal;
                s.MarkerSize = 0;
                s.Color = color;
                s.LinePattern = pattern;
                s.LineWidth = width;
                s.LegendText = label;
            }

            Step([1, .. steps.Select(s => s.Survival)], t["Relapse-free"], Colors.Navy, LinePattern.Solid, 2);
            Step([1, .. steps.Select(s => s.Low)], t["95 % limits"], Colors.Navy.WithAlpha(0.5), LinePattern.Dashed, 1);
            Step([1, .. steps.Select(s => s.High)], string.Empty, Colors.Navy.WithAlpha(0.5), LinePattern.Dashed, 1);
            var censored = steps.Where(s => s.Censored > 0).ToList();
            ChartImage.Points(plot, [.. censored.Select(s => (s.Time, s.Survival))], t["Censored"], Colors.Black, MarkerShape.Cross, connect: false);
        }

        var half = plot.Add.HorizontalLine(0.5);
        half.LinePattern = LinePattern.Dotted;
        half.Color = Colors.Gray;
        plot.Title(t["Time to relapse after a course"]);
        plot.XLabel(t["Days after the last session"]);
        plot.YLabel(t["Share still relapse-free"]);
        plot.Axes.SetLimits(0, Math.Max(7, steps.Select(s => s.Time).DefaultIfEmpty(0).Max() * 1.05), 0, 1.05);
        plot.ShowLegend(Alignment.UpperRight);
        ChartImage.Style(plot);
        return plot;
    }
}
