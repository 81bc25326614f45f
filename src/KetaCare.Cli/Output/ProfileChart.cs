using KetaCare.Interop.Charts;

namespace KetaCare.Cli.Output;

/// <summary>PNG/SVG chart of a profile: the shared concentration preview with the CLI's title (model, weight, doses).</summary>
internal static class ProfileChart
{
    public static void Save(Profile p, string path)
    {
        var r = p.Request;
        var doses = string.Join("; ", r.Regimen.Administrations.Select(a => $"{a.Dose} {Pharmacology.Models.Routes.Code(a.Route)} at {Format.Time(a.Start.Minutes)}"));
        ChartFile.Save(ConcentrationChart.Plot([new LabelledProfile(string.Empty, p.Result)], ChartText.English, $"{r.Model.Id}, {r.Patient.Weight}: {doses}"), path);
    }
}
