using System.Globalization;
using KetaCare.Interop.Reports;
using KetaCare.Pharmacology.Units;
using ScottPlot;
using SkiaSharp;

namespace KetaCare.Interop.Charts;

/// <summary>
/// Turns ScottPlot plots into PNG bytes and SVG text at a pixel size, with KetaCare's chart style: DejaVu Sans (or
/// Liberation Sans) from the system's fonts so Turkish letters render, and tick labels written with the invariant
/// culture. Every KetaCare chart goes through here, so the CLI, the web app and the PDFs look the same.
/// Not thread-safe for one plot; separate plots may be rendered in parallel.
/// </summary>
public static class ChartImage
{
    /// <summary>Smallest width or height accepted, px.</summary>
    public const int MinPixels = 100;

    /// <summary>Largest width or height accepted, px.</summary>
    public const int MaxPixels = 8000;

    private static readonly Lazy<string> Family = new(() =>
    {
        var fonts = SystemFonts.Sans;
        Fonts.AddFontFile(fonts.Family, fonts.RegularPath, bold: false, italic: false);
        Fonts.AddFontFile(fonts.Family, fonts.BoldPath, bold: true, italic: false);
        return fonts.Family;
    });

    /// <summary>Applies the style: the font, invariant tick labels on every axis, a white background.</summary>
    public static void Style(Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        plot.Font.Set(Family.Value);
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Tick };
            axis.Label.FontName = Family.Value;
            axis.TickLabelStyle.FontName = Family.Value;
        }

        plot.Axes.Title.Label.FontName = Family.Value;
        plot.Legend.FontName = Family.Value;
    }

    /// <summary>PNG of one plot.</summary>
    public static byte[] Png(Plot plot, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        return Png((canvas, rect) => plot.Render(canvas, rect), width, height);
    }

    /// <summary>SVG of one plot (UTF-8 XML text).</summary>
    public static string Svg(Plot plot, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        return Svg((canvas, rect) => plot.Render(canvas, rect), width, height);
    }

    /// <summary>PNG of stacked panels.</summary>
    public static byte[] Png(Multiplot plots, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plots);
        return Png((canvas, rect) => plots.Render(canvas, rect), width, height);
    }

    /// <summary>SVG of stacked panels.</summary>
    public static string Svg(Multiplot plots, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plots);
        return Svg((canvas, rect) => plots.Render(canvas, rect), width, height);
    }

    /// <summary>Writes a plot to a .png or .svg file (by extension).</summary>
    public static void Save(Plot plot, string path, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            File.WriteAllText(path, Svg(plot, width, height));
        }
        else
        {
            File.WriteAllBytes(path, Png(plot, width, height));
        }
    }

    /// <summary>Adds observed values as markers (joined by thin lines when <paramref name="connect"/>); nothing when there are none.</summary>
    internal static void Points(Plot plot, IReadOnlyList<(double X, double Y)> points, string label, Color color, MarkerShape shape, bool connect)
    {
        if (points.Count == 0)
        {
            return;
        }

        var s = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
        s.LegendText = label;
        s.Color = color;
        s.MarkerShape = shape;
        s.MarkerSize = connect ? 7 : 9;
        s.LineWidth = connect ? 1 : 0;
    }

    /// <summary>A tick label: invariant culture, safe notation (no trailing zero, leading zero kept).</summary>
    internal static string Tick(double value) =>
        Math.Abs(value) < 1e-12 ? "0" : Math.Abs(value) >= 10_000 ? value.ToString("0", CultureInfo.InvariantCulture) : SafeNumber.Format(value, 6);

    private static byte[] Png(Action<SKCanvas, PixelRect> render, int width, int height)
    {
        CheckSize(width, height);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.White);
        render(surface.Canvas, new PixelRect(0, width, height, 0));
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static string Svg(Action<SKCanvas, PixelRect> render, int width, int height)
    {
        CheckSize(width, height);
        using var stream = new MemoryStream();
        using (var wstream = new SKManagedWStream(stream))
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), wstream))
        {
            canvas.Clear(SKColors.White);
            render(canvas, new PixelRect(0, width, height, 0));
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void CheckSize(int width, int height)
    {
        if (width is < MinPixels or > MaxPixels || height is < MinPixels or > MaxPixels)
        {
            throw new ArgumentOutOfRangeException(nameof(width), string.Create(CultureInfo.InvariantCulture, $"chart size: {width} × {height} px; width and height must be {MinPixels} to {MaxPixels} px."));
        }
    }
}
