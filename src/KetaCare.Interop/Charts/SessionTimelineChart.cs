using KetaCare.Clinic;
using KetaCare.Clinic.Outcomes;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Sessions;
using KetaCare.Interop.Text;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;
using ScottPlot;

namespace KetaCare.Interop.Charts;

/// <summary>Unit of the pump-rate panel.</summary>
public enum RateUnit
{
    /// <summary>Weight-normalised drug rate, mg/kg/h (the prescription's unit).</summary>
    MgPerKgPerHour,

    /// <summary>Pump rate, mL/h (what the pump shows).</summary>
    MlPerHour,
}

/// <summary>A value observed at a time, minutes from the session's origin.</summary>
/// <param name="Minutes">Minutes from <see cref="TimelineData.Origin"/> (negative before the start).</param>
/// <param name="Value">The value.</param>
internal readonly record struct TimedValue(double Minutes, double Value);

/// <summary>A labelled moment on the timeline.</summary>
/// <param name="Minutes">Minutes from the origin.</param>
/// <param name="Label">What happened.</param>
internal readonly record struct TimedMark(double Minutes, string Label);

/// <summary>Everything the session timeline draws, computed from the session, its plan and the patient.</summary>
internal sealed record TimelineData(
    DateTimeOffset Origin,
    double[] RateMinutes,
    double[] Rate,
    double[] PredictionMinutes,
    double[] PlasmaNgPerMl,
    double[]? EffectNgPerMl,
    string? PredictionNote,
    IReadOnlyList<TimedValue> HeartRate,
    IReadOnlyList<TimedValue> Systolic,
    IReadOnlyList<TimedValue> Diastolic,
    IReadOnlyList<TimedValue> SpO2,
    IReadOnlyList<TimedValue> Pain,
    IReadOnlyList<TimedValue> Rass,
    IReadOnlyList<TimedValue> Moaas,
    IReadOnlyList<TimedMark> Alerts,
    IReadOnlyList<TimedMark> AdverseEvents,
    double EndMinutes)
{
    /// <summary>Premedication and rescue doses given: minutes from the origin and "midazolam 1 mg".</summary>
    public IReadOnlyList<TimedMark> AncillaryDoses { get; init; } = [];
}

/// <summary>
/// Session timeline: four stacked panels on one time axis (minutes from the start of the infusion) — the pump rate as
/// a step plot, the predicted plasma (and effect-site, when the plan's model has its own ke0) concentration from the
/// drug actually given (the delivered rate segments run through the engine with the plan's model and the patient's
/// covariates on the session date), the vital signs, and the pain and sedation scores; alerts and adverse events are
/// vertical lines across all panels. Stateless and thread-safe.
/// </summary>
public static class SessionTimelineChart
{
    /// <summary>PNG of the timeline.</summary>
    /// <param name="session">The session.</param>
    /// <param name="plan">Its plan (for the PK model).</param>
    /// <param name="patient">The patient (covariates on the session date).</param>
    /// <param name="width">Width, px (100–8000).</param>
    /// <param name="height">Height, px (100–8000).</param>
    /// <param name="text">Wording (default English).</param>
    /// <param name="unit">Unit of the rate panel.</param>
    /// <param name="asOf">Time up to which a running segment counts (default: the latest time recorded in the session); a finished session ends at its last record.</param>
    public static byte[] Png(InfusionSession session, TreatmentPlan plan, Patient patient, int width, int height, ChartText? text = null, RateUnit unit = RateUnit.MgPerKgPerHour, DateTimeOffset? asOf = null) =>
        ChartImage.Png(Build(Data(session, plan, patient, unit, asOf), text ?? ChartText.English, unit), width, height);

    /// <summary>SVG of the timeline; see <see cref="Png"/>.</summary>
    public static string Svg(InfusionSession session, TreatmentPlan plan, Patient patient, int width, int height, ChartText? text = null, RateUnit unit = RateUnit.MgPerKgPerHour, DateTimeOffset? asOf = null) =>
        ChartImage.Svg(Build(Data(session, plan, patient, unit, asOf), text ?? ChartText.English, unit), width, height);

    /// <summary>The data the chart draws (exposed to tests).</summary>
    internal static TimelineData Data(InfusionSession session, TreatmentPlan plan, Patient patient, RateUnit unit, DateTimeOffset? asOf)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(patient);
        var observations = session.Observations.ActiveValues.OrderBy(o => o.At).ToList();
        var events = session.AdverseEvents.ActiveValues.OrderBy(e => e.OnsetAt).ToList();
        var recorded = new[] { session.Segments.Select(s => s.End ?? s.Start), observations.Select(o => o.At), events.Select(e => e.OnsetAt), session.Transitions.Select(t => t.At), session.AncillaryDoses.Select(g => g.At) }
            .SelectMany(x => x).DefaultIfEmpty(session.ScheduledFor.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)).Max();
        var until = asOf ?? recorded;
        var origin = session.Segments.Select(s => s.Start).Concat(session.SingleDoses.Select(d => d.At)).DefaultIfEmpty(observations.Count > 0 ? observations[0].At : until).Min();
        double M(DateTimeOffset t) => (t - origin).TotalMinutes;

        var covariates = patient.Snapshot().CovariatesOn(session.ScheduledFor);
        var kg = session.Weight?.Weight.Kilograms ?? (covariates.IsSuccess ? covariates.Value.Weight.Kilograms : double.NaN);
        var rx = new List<double>();
        var ry = new List<double>();
        // The pump's rate as it ran: a segment ends where the VTBI was reached, and later segments delivered nothing.
        foreach (var seg in session.DeliveredSegments(until))
        {
            var end = seg.End ?? until;
            var rate = unit == RateUnit.MlPerHour ? seg.RateMlPerHour : seg.RateMlPerHour * seg.ConcentrationMgPerMl / kg;
            if (rx.Count > 0 && rx[^1] < M(seg.Start))
            {
                rx.Add(rx[^1]);
                ry.Add(0);
                rx.Add(M(seg.Start));
                ry.Add(0);
            }

            rx.AddRange([M(seg.Start), M(end)]);
            ry.AddRange([rate, rate]);
        }

        if (rx.Count > 0)
        {
            rx.Add(rx[^1]);
            ry.Add(0);
        }

        // A finished session's axis ends at its last record, whatever asOf is; a running one at asOf.
        var lastMinute = Math.Max(M(session.Segments.Any(x => x.End is null) ? until : recorded), rx.DefaultIfEmpty(0).Max());
        var endMinutes = Math.Max(lastMinute, 10);
        var (px, plasma, effect, note) = Predict(session, plan, covariates, origin, until, endMinutes);

        List<TimedValue> Series(Func<Observation, int?> pick) =>
            [.. observations.Where(o => pick(o) is not null).Select(o => new TimedValue(M(o.At), pick(o)!.Value))];

        return new TimelineData(
            origin,
            [.. rx],
            [.. ry],
            px,
            plasma,
            effect,
            note,
            Series(o => o.HeartRate),
            Series(o => o.Systolic),
            Series(o => o.Diastolic),
            Series(o => o.SpO2),
            Series(o => o.PainNrs),
            Series(o => o.Sedation is { Scale: SedationScale.Rass } s ? s.Value : null),
            Series(o => o.Sedation is { Scale: SedationScale.Moaas } s ? s.Value : null),
            [.. session.ActiveAlerts.Select(a => new TimedMark(M(a.At), a.Alert.Id))],
            [.. events.Select(e => new TimedMark(M(e.OnsetAt), $"{e.Type} (grade {e.Grade})"))],
            endMinutes + 5)
        {
            AncillaryDoses = [.. session.AncillaryDoses.Where(g => g.At <= until).Select(g => new TimedMark(M(g.At), SessionLabels.Words(g.Drug) + " " + SafeNumber.Format(g.DoseMg) + " mg"))],
        };
    }

    /// <summary>
    /// The predicted concentrations on a 1-min grid from the start to <paramref name="endMinutes"/> + 30 min: the
    /// closed rate segments and single doses as the clinic's outcome analysis builds them, plus a running segment up to
    /// <paramref name="until"/>.
    /// </summary>
    private static (double[] Minutes, double[] Plasma, double[]? Effect, string? Note) Predict(InfusionSession session, TreatmentPlan plan, Clinic.Outcome<Covariates> covariates, DateTimeOffset origin, DateTimeOffset until, double endMinutes)
    {
        if (!covariates.IsSuccess)
        {
            return ([], [], null, covariates.Error);
        }

        var model = ModelLibrary.Get(plan.ModelId, "model");
        if (!model.IsSuccess)
        {
            return ([], [], null, model.Error);
        }

        var given = OutcomeAnalysis.RegimenGiven([session], origin, runningUntil: until);
        if (given.Administrations.Count == 0)
        {
            return ([], [], null, "no drug given yet");
        }

        var ownKe0 = model.Value.EffectSiteOptions.FirstOrDefault(o => !o.Borrowed);
        var request = new SimulationRequest(model.Value, covariates.Value, given)
        {
            Until = Duration.FromMinutes(Math.Ceiling(endMinutes) + 30),
            Step = Duration.FromMinutes(1),
            EffectSite = ownKe0,
        };
        var run = Simulator.Run(request);
        if (!run.IsSuccess)
        {
            return ([], [], null, run.Error);
        }

        var r = run.Value;
        return ([.. r.Times], r.NgPerMl("plasma"), r.Has("effect") ? r.NgPerMl("effect") : null, null);
    }

    private static Multiplot Build(TimelineData d, ChartText text, RateUnit unit)
    {
        var rate = new Plot();
        var conc = new Plot();
        var vitals = new Plot();
        var scores = new Plot();
        Plot[] panels = [rate, conc, vitals, scores];
        // Baseline observations and premedication come before the start: the axis begins at the earliest of them.
        var start = Math.Min(0, new[] { d.HeartRate, d.Systolic, d.SpO2, d.Pain, d.Rass, d.Moaas }.SelectMany(s => s).Select(v => v.Minutes).Concat(d.AncillaryDoses.Select(m => m.Minutes)).DefaultIfEmpty(0).Min()) - 2;
        var end = Math.Max(d.EndMinutes, d.PredictionMinutes.DefaultIfEmpty(0).Max());

        if (d.RateMinutes.Length > 0)
        {
            var line = rate.Add.ScatterLine(d.RateMinutes, d.Rate);
            line.LegendText = text.PumpRate;
            line.LineWidth = 2;
            line.Color = Colors.RoyalBlue;
            line.MarkerSize = 0;
        }

        rate.YLabel(unit == RateUnit.MlPerHour ? text.RateMlPerHour : text.RateMgPerKgPerHour);
        rate.Axes.SetLimitsY(0, Math.Max(d.Rate.DefaultIfEmpty(0).Max() * 1.25, 0.1));
        rate.Title(text.SessionTitle + ", " + d.Origin.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture));

        var top = Math.Max(ConcentrationBands.AcuteAnalgesia.HighNgPerMl * 1.1, d.PlasmaNgPerMl.Concat(d.EffectNgPerMl ?? []).DefaultIfEmpty(0).Max() * 1.1);
        ConcentrationChart.Shade(conc, text, top);
        if (d.PlasmaNgPerMl.Length > 0)
        {
            var cp = conc.Add.ScatterLine(d.PredictionMinutes, d.PlasmaNgPerMl);
            cp.LegendText = text.PredictedPlasma;
            cp.LineWidth = 2;
            cp.Color = Colors.Black;
            if (d.EffectNgPerMl is { } effect)
            {
                var ce = conc.Add.ScatterLine(d.PredictionMinutes, effect);
                ce.LegendText = text.PredictedEffectSite;
                ce.LineWidth = 2;
                ce.Color = Colors.OrangeRed;
                ce.LinePattern = LinePattern.Dashed;
            }
        }
        else
        {
            conc.Add.Text($"{text.NoPrediction}: {d.PredictionNote}", start + 1, top * 0.5);
        }

        conc.YLabel(text.Concentration);
        conc.Axes.SetLimitsY(0, top);

        ChartPoints(vitals, d.HeartRate, text.HeartRate, Colors.Crimson, MarkerShape.FilledCircle);
        ChartPoints(vitals, d.Systolic, text.Systolic, Colors.DarkBlue, MarkerShape.FilledTriangleDown);
        ChartPoints(vitals, d.Diastolic, text.Diastolic, Colors.SteelBlue, MarkerShape.FilledTriangleUp);
        ChartPoints(vitals, d.SpO2, text.SpO2, Colors.Green, MarkerShape.FilledSquare);
        vitals.YLabel(text.VitalSigns);
        var vmax = new[] { d.HeartRate, d.Systolic, d.Diastolic, d.SpO2 }.SelectMany(s => s).Select(v => v.Value).DefaultIfEmpty(100).Max();
        vitals.Axes.SetLimitsY(0, Math.Max(vmax * 1.15, 120));

        ChartPoints(scores, d.Pain, text.PainNrs, Colors.Purple, MarkerShape.FilledDiamond);
        ChartPoints(scores, d.Rass, text.Rass, Colors.DarkOrange, MarkerShape.FilledCircle);
        ChartPoints(scores, d.Moaas, text.Moaas, Colors.Brown, MarkerShape.FilledSquare);
        scores.YLabel(text.Scores);
        scores.Axes.SetLimitsY(-5.5, 10.5);
        scores.XLabel(text.ClockTime);

        var first = true;
        foreach (var p in panels)
        {
            foreach (var (marks, color, label) in new[] { (d.Alerts, Colors.Red, text.Alert), (d.AdverseEvents, Colors.DarkMagenta, text.AdverseEvent), (d.AncillaryDoses, Colors.Teal, text.PremedicationOrRescue) })
            {
                var legend = true;
                foreach (var m in marks)
                {
                    var v = p.Add.VerticalLine(m.Minutes);
                    v.Color = color.WithAlpha(0.7);
                    v.LinePattern = LinePattern.Dotted;
                    if (first)
                    {
                        v.Text = m.Label;
                        v.LabelFontSize = 10;
                    }

                    if (legend && p == conc)
                    {
                        v.LegendText = label;
                        legend = false;
                    }
                }
            }

            first = false;
            p.Axes.SetLimitsX(start, end);
            p.ShowLegend(Alignment.UpperRight);
            p.Layout.Fixed(new PixelPadding(80, 30, p == scores ? 50 : 20, p == rate ? 40 : 10));
            ChartImage.Style(p);

            // The axis reads as the clock on the ward (what the nurse wrote down), not as minutes from the start.
            p.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                LabelFormatter = m => d.Origin.AddMinutes(m).ToUniversalTime().ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            };
        }

        var multiplot = new Multiplot(rate);
        foreach (var p in panels.Skip(1))
        {
            multiplot.AddPlot(p);
        }

        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        return multiplot;
    }

    private static void ChartPoints(Plot plot, IReadOnlyList<TimedValue> values, string label, Color color, MarkerShape shape) =>
        ChartImage.Points(plot, [.. values.Select(v => (v.Minutes, v.Value))], label, color, shape, connect: true);
}
