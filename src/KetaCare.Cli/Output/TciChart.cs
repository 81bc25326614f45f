using KetaCare.Pharmacology.Tci;
using ScottPlot;

namespace KetaCare.Cli.Output;

/// <summary>PNG/SVG chart of a TCI plan: predicted plasma and effect site with the target line, and the manual pump rates on a second axis.</summary>
internal static class TciChart
{
    public static void Save(TciView v, string path)
    {
        var plan = v.Plan;
        var s = plan.Settings;
        var hours = plan.End.Minutes > 180;
        double X(double minutes) => hours ? minutes / 60 : minutes;

        var plot = new Plot();
        var xs = new double[plan.Steps.Count + 1];
        var plasma = new double[xs.Length];
        var effect = new double[xs.Length];
        var initial = plan.Steps[0];
        xs[0] = X(initial.Start.Minutes);
        for (var m = 0; m < plan.Steps.Count; m++)
        {
            xs[m + 1] = X(plan.Steps[m].End.Minutes);
            plasma[m + 1] = plan.Steps[m].PlasmaAtEnd.NanogramsPerMilliliter;
            effect[m + 1] = plan.Steps[m].EffectAtEnd?.NanogramsPerMilliliter ?? 0;
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
        var top = v.PeakPlasma.NanogramsPerMilliliter;
        if (plan.Steps[0].EffectAtEnd is not null)
        {
            var ce = plot.Add.ScatterLine(xs, effect);
            ce.LegendText = $"Effect site (predicted, {v.EffectSite?.Id})";
            ce.LineWidth = 2;
            ce.Color = Colors.OrangeRed;
            top = Math.Max(top, v.PeakEffect?.NanogramsPerMilliliter ?? 0);
        }

        // Drawn after the curves, which sit on it once the target is reached.
        var target = plot.Add.HorizontalLine(s.Target.NanogramsPerMilliliter);
        target.LegendText = $"target {s.Target} ({(s.Site == TciSite.EffectSite ? "effect site" : "plasma")})";
        target.Color = Colors.Green;
        target.LinePattern = LinePattern.Dashed;

        if (plan.Manual is { } manual)
        {
            // Stairs: each manual rate from its start to its end.
            var rx = new List<double>();
            var ry = new List<double>();
            foreach (var step in manual.Steps)
            {
                rx.Add(X(step.Start.Minutes));
                ry.Add(step.PumpRate.MillilitersPerHour);
                rx.Add(X(step.End.Minutes));
                ry.Add(step.PumpRate.MillilitersPerHour);
            }

            var rates = plot.Add.ScatterLine(rx.ToArray(), ry.ToArray());
            rates.LegendText = "Manual pump rate (mL/h, right axis)";
            rates.LineWidth = 2;
            rates.Color = Colors.RoyalBlue.WithAlpha(0.7);
            rates.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "Manual pump rate (mL/h)";
            plot.Axes.SetLimitsY(0, Math.Max(1, ry.Max()) * 1.15, plot.Axes.Right);
        }

        plot.Title($"{v.Model.Id}, {v.Patient.Weight}: TCI {s.Target} {(s.Site == TciSite.EffectSite ? "effect site" : "plasma")}, bag {Format.N(s.Concentration.MilligramsPerMilliliter)} mg/mL");
        plot.XLabel(hours ? "Time (h)" : "Time (min)");
        plot.YLabel("Concentration (ng/mL)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.SetLimitsX(xs[0], xs[^1]);
        plot.Axes.SetLimitsY(0, Math.Max(top, s.Target.NanogramsPerMilliliter) * 1.15, plot.Axes.Left);
        ChartFile.Save(plot, path);
    }
}
