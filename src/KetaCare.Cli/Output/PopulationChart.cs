using System.Globalization;

namespace KetaCare.Cli.Output;

/// <summary>PNG/SVG chart of a population run: the shared population bands chart with the CLI's title.</summary>
internal static class PopulationChart
{
    public static void Save(PopulationView v, string path)
    {
        var p = v.Setup;
        var doses = string.Join("; ", p.Regimen.Administrations.Select(a => $"{a.Dose} {Pharmacology.Models.Routes.Code(a.Route)} at {Format.Time(a.Start.Minutes)}"));
        var title = string.Create(CultureInfo.InvariantCulture, $"{p.Model.Id}, {p.Count:N0} patients: {doses}");
        ChartFile.Save(Interop.Charts.PopulationChart.Plot(v.Summary, v.OutputLabel, Interop.Charts.ChartText.English, title), path);
    }
}
