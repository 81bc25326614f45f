using KetaCare.Clinic.Outcomes;
using KetaCare.Clinic.Services;
using ScottPlot;

namespace KetaCare.Interop.Charts;

/// <summary>
/// Course outcome: three stacked panels on one axis of days from the first session — pain NRS before and after each
/// session and over the course (with follow-ups), the baseline and the IMMPACT responder lines at 30 % and 50 %
/// reduction (clinical-reference: Scales and codes (dworkin2008)); the observed reduction beside the predicted relief of the Dahan 2011
/// model (from <see cref="OutcomeService.Compute"/>); and the dose given per session as bars. Stateless and thread-safe.
/// </summary>
public static class CourseOutcomeChart
{
    /// <summary>PNG of a course outcome.</summary>
    /// <param name="outcome">The course outcome.</param>
    /// <param name="width">Width, px (100–8000).</param>
    /// <param name="height">Height, px (100–8000).</param>
    /// <param name="text">Wording (default English).</param>
    public static byte[] Png(CourseOutcome outcome, int width, int height, ChartText? text = null) =>
        ChartImage.Png(Build(outcome, text ?? ChartText.English), width, height);

    /// <summary>SVG of a course outcome; see <see cref="Png"/>.</summary>
    public static string Svg(CourseOutcome outcome, int width, int height, ChartText? text = null) =>
        ChartImage.Svg(Build(outcome, text ?? ChartText.English), width, height);

    /// <summary>The origin of the day axis: midnight UTC of the first session's date, else of the first score.</summary>
    internal static DateTimeOffset Origin(CourseOutcome outcome)
    {
        if (Held(outcome) is { Count: > 0 } held)
        {
            return new DateTimeOffset(held.Min(s => s.Date).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        var first = outcome.Trajectory.Count > 0 ? outcome.Trajectory[0].At : DateTimeOffset.UnixEpoch;
        return new DateTimeOffset(first.UtcDateTime.Date, TimeSpan.Zero);
    }

    /// <summary>
    /// The sessions that took place (a dose was given or a pain score was taken); a session still scheduled, or
    /// cancelled, has no place on the chart and must not stretch its day axis.
    /// </summary>
    internal static IReadOnlyList<SessionPain> Held(CourseOutcome outcome) =>
        [.. outcome.PerSession.Where(s => s.DoseGiven.Milligrams > 0 || s.Before is not null || s.After is not null)];

    private static Multiplot Build(CourseOutcome outcome, ChartText text)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var origin = Origin(outcome);
        double Day(DateTimeOffset t) => (t - origin).TotalDays;
        double SessionDay(DateOnly d) => (new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - origin).TotalDays + 0.5;

        var pain = new Plot();
        var relief = new Plot();
        var dose = new Plot();
        Plot[] panels = [pain, relief, dose];

        if (outcome.Trajectory.Count > 0)
        {
            var t = pain.Add.Scatter(outcome.Trajectory.Select(p => Day(p.At)).ToArray(), outcome.Trajectory.Select(p => (double)p.Nrs).ToArray());
            t.LegendText = text.PainTrajectory;
            t.Color = Colors.Gray;
            t.MarkerSize = 4;
        }

        Markers(pain, outcome.PerSession.Where(s => s.Before is not null).Select(s => (SessionDay(s.Date) - 0.15, (double)s.Before!.Value)), text.PainBefore, Colors.DarkRed, MarkerShape.FilledTriangleDown);
        Markers(pain, outcome.PerSession.Where(s => s.After is not null).Select(s => (SessionDay(s.Date) + 0.15, (double)s.After!.Value)), text.PainAfter, Colors.Green, MarkerShape.FilledTriangleUp);
        if (outcome.Baseline is { } b)
        {
            Line(pain, b, $"{text.Baseline} NRS {b}", Colors.Black, LinePattern.Solid);
            Line(pain, b * (1 - (OutcomesMath.ModerateReductionPercent / 100)), text.ModerateResponse, Colors.Orange, LinePattern.Dashed);
            Line(pain, b * (1 - (OutcomesMath.SubstantialReductionPercent / 100)), text.SubstantialResponse, Colors.Green, LinePattern.Dashed);
        }

        pain.YLabel(text.PainNrs);
        pain.Axes.SetLimitsY(0, 10.5);
        pain.Title(text.CourseTitle);

        if (outcome.Predicted.IsSuccess && outcome.Predicted.Value.Count > 0)
        {
            var c = outcome.Predicted.Value;
            var xs = c.Select(r => Day(r.At)).ToArray();
            var predicted = relief.Add.Scatter(xs, c.Select(r => r.PredictedFractionOfMaxEffect * 100).ToArray());
            predicted.LegendText = text.PredictedRelief;
            predicted.Color = Colors.RoyalBlue;
            predicted.LinePattern = LinePattern.Dashed;
            var observed = c.Where(r => r.ObservedReductionPercent is not null).ToList();
            Markers(relief, observed.Select(r => (Day(r.At), r.ObservedReductionPercent!.Value)), text.ObservedReduction, Colors.Black, MarkerShape.FilledCircle);
        }
        else
        {
            relief.Add.Text($"{text.NoPrediction}: {(outcome.Predicted.IsSuccess ? string.Empty : outcome.Predicted.Error)}", 0.2, 50);
        }

        Line(relief, OutcomesMath.ModerateReductionPercent, text.ModerateResponse, Colors.Orange, LinePattern.Dashed);
        Line(relief, OutcomesMath.SubstantialReductionPercent, text.SubstantialResponse, Colors.Green, LinePattern.Dashed);
        relief.YLabel(text.ReliefAxis);
        relief.Axes.SetLimitsY(Math.Min(0, outcome.Predicted.IsSuccess ? outcome.Predicted.Value.Select(r => r.ObservedReductionPercent ?? 0).DefaultIfEmpty(0).Min() - 5 : 0), 105);

        var held = Held(outcome);
        if (held.Count > 0)
        {
            var bars = dose.Add.Bars(held.Select(s => new Bar
            {
                Position = SessionDay(s.Date),
                Value = s.DoseGiven.Milligrams,
                Size = 0.6,
                FillColor = Colors.SteelBlue,
                Label = ChartImage.Tick(Math.Round(s.DoseGiven.Milligrams, 1)),
            }).ToArray());
            bars.LegendText = text.DosePerSession;
            bars.ValueLabelStyle.FontSize = 11;
        }

        dose.YLabel(text.DoseAxis);
        dose.XLabel(text.TimeDays);
        dose.Axes.SetLimitsY(0, Math.Max(10, held.Select(s => s.DoseGiven.Milligrams).DefaultIfEmpty(0).Max() * 1.25));

        var last = new[] { outcome.Trajectory.Select(p => Day(p.At)), held.Select(s => SessionDay(s.Date)) }.SelectMany(x => x).DefaultIfEmpty(1).Max();
        foreach (var p in panels)
        {
            p.Axes.SetLimitsX(-0.5, last + 1);
            p.ShowLegend(Alignment.UpperRight);
            p.Layout.Fixed(new PixelPadding(80, 30, p == dose ? 50 : 20, p == pain ? 40 : 10));
            ChartImage.Style(p);
        }

        var multiplot = new Multiplot(pain);
        multiplot.AddPlot(relief);
        multiplot.AddPlot(dose);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        return multiplot;
    }

    private static void Markers(Plot plot, IEnumerable<(double X, double Y)> points, string label, Color color, MarkerShape shape) =>
        ChartImage.Points(plot, [.. points], label, color, shape, connect: false);

    private static void Line(Plot plot, double y, string label, Color color, LinePattern pattern)
    {
        var h = plot.Add.HorizontalLine(y);
        h.LegendText = label;
        h.Color = color;
        h.LinePattern = pattern;
        h.LineWidth = 1.5f;
    }
}
