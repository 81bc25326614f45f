using KetaCare.Interop.Charts;
using ScottPlot;

namespace KetaCare.Cli.Output;

/// <summary>Writes a chart to a .png or .svg file at a fixed size; shared by the commands that take --plot.</summary>
internal static class ChartFile
{
    private const int Width = 1000, Height = 560;

    public static bool IsSupported(string fileName) =>
        fileName.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".svg", StringComparison.OrdinalIgnoreCase);

    /// <summary>Saves <paramref name="plot"/> in KetaCare's chart style (font, invariant ticks); throws <see cref="DirectoryNotFoundException"/> when the folder does not exist.</summary>
    public static void Save(Plot plot, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The folder \"{directory}\" does not exist.");
        }

        ChartImage.Style(plot);
        ChartImage.Save(plot, path, Width, Height);
    }

    /// <summary>
    /// The common end of a report command: with machine output, warnings go to stderr so a redirected stdout
    /// does not lose them; then the chart, if one was asked for. Returns the exit code.
    /// </summary>
    public static int Finish(CliContext context, bool machine, IEnumerable<string> warnings, FileInfo? plot, Action<string> save)
    {
        if (machine)
        {
            foreach (var warning in warnings)
            {
                context.Error.WriteLine("warning: " + warning);
            }
        }

        if (plot is not null)
        {
            try
            {
                save(plot.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return context.UsageError($"--plot: cannot write \"{plot.FullName}\": {e.Message}");
            }

            (machine ? context.Error : context.Out).WriteLine($"Chart written to {plot.FullName}");
        }

        return ExitCodes.Success;
    }
}
