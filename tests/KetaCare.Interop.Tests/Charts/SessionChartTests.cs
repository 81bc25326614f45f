using System.Globalization;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Charts;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Interop.Tests.Charts;

public sealed class SessionChartTests
{
    [Fact]
    public async Task TimelineData_PredictedPlasma_EqualsAnIndependentEngineRunOfTheDeliveredSegments()
    {
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, plan, sessions) = await db.CrpsAsync();
        var session = sessions[1];

        var data = SessionTimelineChart.Data(session, plan, patient, RateUnit.MgPerKgPerHour, null);

        // The same drug, built here from the stored segments as the pump delivered them (it stops at the VTBI), run
        // once at two sample times (during and after the infusion).
        var origin = session.Segments[0].Start;
        var delivered = session.DeliveredSegments(session.Segments[^1].End!.Value);
        Assert.Equal(session.Program!.VtbiMl, delivered.Sum(s => s.RateMlPerHour * (s.End!.Value - s.Start).TotalHours), 6);
        var regimen = new Regimen(delivered.Select(s => new Administration(
            Duration.FromMinutes((s.Start - origin).TotalMinutes),
            DoseExpression.AtRate(DoseRate.FromMilligramsPerHour(s.RateMlPerHour * s.ConcentrationMgPerMl), Duration.FromMinutes((s.End!.Value - s.Start).TotalMinutes)))));
        var covariates = patient.Snapshot().CovariatesOn(session.ScheduledFor).Value;
        double[] samples = [30, 90];
        var independent = Simulator.Run(new SimulationRequest(ModelLibrary.Get(plan.ModelId, "model").Value, covariates, regimen), samples).Value.NgPerMl("plasma");

        for (var i = 0; i < samples.Length; i++)
        {
            var k = Array.IndexOf(data.PredictionMinutes, samples[i]);
            Assert.True(k >= 0, "sample time on the chart's grid");
            Assert.True(independent[i] > 10, "a concentration worth comparing");

            // Same engine, same exact solver; only the grid differs: agreement to rounding.
            Assert.Equal(independent[i], data.PlasmaNgPerMl[k], independent[i] * 1e-9);
        }
    }

    [Fact]
    public async Task TimelineData_RateAndObservations_FollowTheSession()
    {
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, plan, sessions) = await db.CrpsAsync();
        var session = sessions[0];
        var segment = session.Segments.Single();

        var mgkg = SessionTimelineChart.Data(session, plan, patient, RateUnit.MgPerKgPerHour, null);
        var ml = SessionTimelineChart.Data(session, plan, patient, RateUnit.MlPerHour, null);

        Assert.Equal(segment.RateMlPerHour * segment.ConcentrationMgPerMl / session.Weight!.Weight.Kilograms, mgkg.Rate[0], 12);
        Assert.Equal(segment.RateMlPerHour, ml.Rate[0], 12);
        // The pump stopped at the VTBI (after VTBI ÷ rate hours), before the segment was closed on the screen.
        Assert.Equal(session.Program!.VtbiMl / segment.RateMlPerHour * 60, ml.RateMinutes[1], 9);
        Assert.True(ml.RateMinutes[1] <= (segment.End!.Value - segment.Start).TotalMinutes);
        Assert.Equal(session.Observations.ActiveValues.Count(o => o.HeartRate is not null), mgkg.HeartRate.Count);
        Assert.Equal(session.Observations.ActiveValues.Count(o => o.PainNrs is not null), mgkg.Pain.Count);
        Assert.Null(mgkg.EffectNgPerMl);
    }

    [Fact]
    public async Task TimelineSvg_UnderTurkishCulture_LabelsThePanelsAndWritesDecimalPoints()
    {
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, plan, sessions) = await db.CrpsAsync();
        var before = CultureInfo.CurrentCulture;
        string svg;
        try
        {
            // Hazard: a decimal comma on a rate axis ("0,4 mg/kg/h") read as 4.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("tr-TR");
            svg = SessionTimelineChart.Svg(sessions[0], plan, patient, 1000, 900);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }

        var text = ChartAssert.SvgText(svg);
        foreach (var label in new[] { "Pump rate", "Rate (mg/kg/h)", "Predicted plasma", "HR (/min)", "SBP (mmHg)", "SpO₂ (%)", "Pain NRS (0–10)", "Sedation RASS (−5…+4)", "Clock time (UTC)" })
        {
            Assert.Contains(label, text, StringComparison.Ordinal);
        }

        var ticks = text.Split('\n').Select(t => t.Trim()).ToList();
        Assert.Contains("0.1", ticks);
        var startsAt = sessions[0].Segments[0].Start.UtcDateTime.ToString("HH:", CultureInfo.InvariantCulture);
        Assert.True(ticks.Any(t => t.Length == 5 && t[2] == ':' && t.StartsWith(startsAt, StringComparison.Ordinal)), $"no clock-time tick at {startsAt}..: " + string.Join(" | ", ticks.Where(t => t.Contains(':', StringComparison.Ordinal)))); // clock-time ticks
        Assert.DoesNotContain("0,1", ticks);
    }

    [Fact]
    public async Task TimelinePng_RequestedSize_HasSignatureAndSize()
    {
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, plan, sessions) = await db.CrpsAsync();

        ChartAssert.Png(SessionTimelineChart.Png(sessions[1], plan, patient, 1000, 900, ChartText.For(CultureInfo.GetCultureInfo("tr-TR")), RateUnit.MlPerHour), 1000, 900);
    }

    [Fact]
    public async Task CourseSvg_DemoCourse_ShowsPainResponderLinesPredictedReliefAndDoses()
    {
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, _, _) = await db.CrpsAsync();
        await using var c = db.Open();
        var outcome = (await new OutcomeService(c, db.Clock).CourseAsync(patient.Id, SeededDatabase.Reader, TestContext.Current.CancellationToken)).Value;

        var text = ChartAssert.SvgText(CourseOutcomeChart.Svg(outcome, 1000, 800));
        var turkish = ChartAssert.SvgText(CourseOutcomeChart.Svg(outcome, 1000, 800, ChartText.For(CultureInfo.GetCultureInfo("tr-TR"))));

        foreach (var label in new[] { "Pain NRS before session", "Pain NRS after session", "baseline NRS 7", "30 % reduction (IMMPACT)", "50 % reduction (IMMPACT)", "Predicted relief, % of maximal effect (Dahan 2011)", "Observed reduction (%)", "Dose given per session (mg)" })
        {
            Assert.Contains(label, text, StringComparison.Ordinal);
        }

        Assert.Contains("Ağrı NRS seans öncesi", turkish, StringComparison.Ordinal);
        Assert.Contains(ChartImage.Tick(Math.Round(outcome.PerSession[0].DoseGiven.Milligrams, 1)), text.Split('\n').Select(t => t.Trim()));
        ChartAssert.Png(CourseOutcomeChart.Png(outcome, 800, 700), 800, 700);
    }

    [Fact]
    public async Task CourseSvg_SessionStillScheduledFarAhead_DoesNotStretchTheDayAxis()
    {
        // A scheduled, ungiven session 300 days out once made the axis run to day 330.
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, _, _) = await db.CrpsAsync();
        await using var c = db.Open();
        var outcome = (await new OutcomeService(c, db.Clock).CourseAsync(patient.Id, SeededDatabase.Reader, TestContext.Current.CancellationToken)).Value;
        var ahead = new KetaCare.Clinic.Outcomes.SessionPain(KetaCare.Clinic.SessionId.New(), outcome.PerSession[^1].Date.AddDays(300), null, null, KetaCare.Pharmacology.Units.Mass.Zero);
        var withAhead = outcome with { PerSession = [.. outcome.PerSession, ahead] };

        Assert.DoesNotContain(ahead, CourseOutcomeChart.Held(withAhead));
        Assert.Equal(CourseOutcomeChart.Held(outcome).Count, CourseOutcomeChart.Held(withAhead).Count);
        var ticks = ChartAssert.SvgText(CourseOutcomeChart.Svg(withAhead, 1000, 800)).Split('\n')
            .Select(t => double.TryParse(t.Trim(), System.Globalization.NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN)
            .Where(v => !double.IsNaN(v));
        Assert.True(ticks.Max() < 200, $"an axis still reaches {ticks.Max()}");
    }
}
