using KetaCare.Pharmacology.Tci;
using ScottPlot;

namespace KetaCare.Cli.Output;

/// <summary>
/// PNG/SVG chart of a TCI plan: predicted plasma and effect site with the target (a step line when re-planned,
/// with the change times marked), and the manual pump rates on a second axis.
/// </summary>
internal static class TciChart
{
    public static void Save(TciSession session, string path)
    {
        var v = session.First;
        var plan = v.Plan;
        var s = plan.Settings;
        var steps = session.Steps;
        var hours = session.End.Minutes > 180;
        double X(double minutes) => hours ? minutes / 60 : minutes;

        var plot = new Plot();
        var xs = new double[steps.Count + 1];
        var plasma = new double[xs.Length];
        var effect = new double[xs.Length];
        var initial = steps[0];
        xs[0] = X(initial.Start.Minutes);
        for (var m = 0; m < steps.Count; m++)
        {
            xs[m + 1] = X(steps[m].End.Minutes);
            plasma[m + 1] = steps[m].PlasmaAtEnd.NanogramsPerMilliliter;
            effect[m + 1] = steps[m].EffectAtEnd?.NanogramsPerMilliliter ?? 0;
        }

        // The first point is the start state; a re-planned start is not drawn from zero.
        plasma[0] = plasma[1];
        effect[0] = effect[1];
        if (plan.Start.Minutes == 0)
        {
            plasma[0] = 0;
            effect[0] = 0;
        }

        var cp = plot.Add.ScatterLine(xs, plasma);
        cp.LegendText = "Plasma (predicted)";
        cp.LineWidth = 2;
        cp.Color = Colors.Black;
        var top = session.PeakPlasma.NanogramsPerMilliliter;
        if (steps[0].EffectAtEnd is not null)
        {
            var ce = plot.Add.ScatterLine(xs, effect);
            ce.LegendText = $"Effect site (predicted, {v.EffectSite?.Id})";
            ce.LineWidth = 2;
            ce.Color = Colors.OrangeRed;
            top = Math.Max(top, session.PeakEffect?.NanogramsPerMilliliter ?? 0);
        }

        // Drawn after the curves, which sit on it once the target is reached.
        var siteName = s.Site == TciSite.EffectSite ? "effect site" : "plasma";
        if (session.Replanned)
        {
            var tx = new List<double>();
            var ty = new List<double>();
            foreach (var seg in session.Segments)
            {
                tx.Add(X(seg.Start.Minutes));
                ty.Add(seg.Target.NanogramsPerMilliliter);
                tx.Add(X(seg.End.Minutes));
                ty.Add(seg.Target.NanogramsPerMilliliter);
                top = Math.Max(top, seg.Target.NanogramsPerMilliliter);
            }

            var targets = plot.Add.ScatterLine(tx.ToArray(), ty.ToArray());
            targets.LegendText = $"target ({siteName})";
            targets.Color = Colors.Green;
            targets.LinePattern = LinePattern.Dashed;
            foreach (var seg in session.Segments.Skip(1))
            {
                var mark = plot.Add.VerticalLine(X(seg.Start.Minutes));
                mark.Color = Colors.Gray;
                mark.LinePattern = LinePattern.Dotted;
                mark.Text = $"{Format.Clock(seg.Start.Minutes)} {seg.Reason}";
            }
        }
        else
        {
            var target = plot.Add.HorizontalLine(s.Target.NanogramsPerMilliliter);
            target.LegendText = $"target {s.Target} ({siteName})";
            target.Color = Colors.Green;
            target.LinePattern = LinePattern.Dashed;
        }

        // Stairs: each manual rate from its start to its end, segment by segment.
        var rx = new List<double>();
        var ry = new List<double>();
        foreach (var seg in session.Segments)
        {
            foreach (var step in seg.View.Plan.Manual?.Steps ?? [])
            {
                if (step.Start.Minutes >= seg.End.Minutes - 1e-9)
                {
                    break;
                }

                rx.Add(X(step.Start.Minutes));
                ry.Add(step.PumpRate.MillilitersPerHour);
                rx.Add(X(Math.Min(step.End.Minutes, seg.End.Minutes)));
                ry.Add(step.PumpRate.MillilitersPerHour);
            }
        }

        if (rx.Count > 0)
        {

            var rates = plot.Add.ScatterLine(rx.ToArray(), ry.ToArray());
            rates.LegendText = "Manual pump rate (mL/h, right axis)";
            rates.LineWidth = 2;
            rates.Color = Colors.RoyalBlue.WithAlpha(0.7);
            rates.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "Manual pump rate (mL/h)";
            plot.Axes.SetLimitsY(0, Math.Max(1, ry.Max()) * 1.15, plot.Axes.Right);
        }

        plot.Title($"{v.Model.Id}, {v.Patient.Weight}: TCI {s.Target} {siteName}{(session.Replanned ? ", re-planned" : string.Empty)}, bag {Format.N(s.Concentration.MilligramsPerMilliliter)} mg/mL");
        plot.XLabel(hours ? "Time (h)" : "Time (min)");
        plot.YLabel("Concentration (ng/mL)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.SetLimitsX(xs[0], xs[^1]);
        plot.Axes.SetLimitsY(0, Math.Max(top, s.Target.NanogramsPerMilliliter) * 1.15, plot.Axes.Left);
        ChartFile.Save(plot, path);
    }
}
