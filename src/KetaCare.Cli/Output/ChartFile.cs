using ScottPlot;

namespace KetaCare.Cli.Output;

/// <summary>Writes a chart to a .png or .svg file at a fixed size; shared by the commands that take --plot.</summary>
internal static class ChartFile
{
    private const int Width = 1000, Height = 560;

    public static bool IsSupported(string fileName) =>
        fileName.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".svg", StringComparison.OrdinalIgnoreCase);

    /// <summary>Saves <paramref name="plot"/>; throws <see cref="DirectoryNotFoundException"/> when the folder does not exist.</summary>
    public static void Save(Plot plot, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The folder \"{directory}\" does not exist.");
        }

        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            plot.SaveSvg(path, Width, Height);
        }
        else
        {
            plot.SavePng(path, Width, Height);
        }
    }
}
