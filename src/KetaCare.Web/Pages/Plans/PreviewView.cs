using KetaCare.Clinic;
using KetaCare.Clinic.Plans;
using KetaCare.Interop.Charts;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Web.Pages.Plans;

/// <summary>Cmax, Tmax and time in each band of one predicted series.</summary>
/// <param name="Key">Output key ("plasma", "effect", …).</param>
/// <param name="Label">The output's label.</param>
/// <param name="CmaxNgPerMl">Peak, ng/mL.</param>
/// <param name="TmaxMinutes">Time of the peak, min from the start.</param>
/// <param name="TimeInBand">Minutes inside each clinical band.</param>
public sealed record SeriesFigures(string Key, string Label, double CmaxNgPerMl, double TmaxMinutes, IReadOnlyList<(ConcentrationBand Band, double Minutes)> TimeInBand);

/// <summary>How the plan pages show the clinic's <see cref="PlanPreview"/>: figures per series and the chart.</summary>
public static class PreviewView
{
    /// <summary>Width and height of the concentration chart, px.</summary>
    public const int ChartWidth = 900, ChartHeight = 450;

    /// <summary>Figures of every output of the session's prediction (plasma, effect site, metabolites).</summary>
    public static IReadOnlyList<SeriesFigures> Figures(this SessionPreview session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Simulation is { } s
            ? [.. s.Keys.Select(k =>
                {
                    var m = s.Metrics(k);
                    var bands = ConcentrationBands.All.Select(b => (b, Math.Max(0, s.TimeAbove(k, Concentration.FromNanogramsPerMilliliter(b.LowNgPerMl)).Minutes - s.TimeAbove(k, Concentration.FromNanogramsPerMilliliter(b.HighNgPerMl)).Minutes))).ToList();
                    return new SeriesFigures(k, s.System.Output(k)?.Label ?? k, m.Cmax.NanogramsPerMilliliter, m.Tmax.Minutes, bands);
                })]
            : [];
    }

    /// <summary>The concentration chart of both sessions on the clinical bands, as SVG; null when neither could be predicted.</summary>
    /// <param name="preview">The preview.</param>
    /// <param name="first">Legend label of the first session.</param>
    /// <param name="highest">Legend label of the highest planned session.</param>
    /// <param name="text">The chart's wording (language).</param>
    public static string? ChartSvg(this PlanPreview preview, string first, string highest, ChartText text)
    {
        ArgumentNullException.ThrowIfNull(preview);
        var profiles = new[] { (first, preview.First.Simulation), (highest, preview.Highest.Simulation) }
            .Where(p => p.Simulation is not null)
            .Select(p => new LabelledProfile(p.Item1, p.Simulation!))
            .ToList();
        return profiles.Count == 0 ? null : ConcentrationChart.Svg(profiles, ChartWidth, ChartHeight, text);
    }
}
