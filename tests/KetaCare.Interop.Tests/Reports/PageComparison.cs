namespace KetaCare.Interop.Tests.Reports;

/// <summary>How a rendered page differs from its reference.</summary>
/// <param name="DifferingPixels">Pixels that differ (see <see cref="PageComparison"/>).</param>
/// <param name="TotalPixels">Pixels of the larger page.</param>
/// <param name="Diff">The reference faded, with every differing pixel black; where the sizes differ, all of it black.</param>
internal sealed record PageDifference(int DifferingPixels, int TotalPixels, PageImage Diff)
{
    /// <summary>Fraction of the page that differs.</summary>
    public double Fraction => (double)DifferingPixels / TotalPixels;

    /// <summary>True when the page passes: at most <see cref="PageComparison.MaxDifferingFraction"/> of it differs.</summary>
    public bool WithinTolerance => Fraction <= PageComparison.MaxDifferingFraction;
}

/// <summary>
/// Compares a rasterised page with its reference within a stated tolerance. A pixel differs when no pixel within
/// <see cref="Radius"/> of it on the other page has a grey level within <see cref="PixelThreshold"/> of its own — looked
/// at both ways, so that ink added and ink lost both count; a page fails when more than
/// <see cref="MaxDifferingFraction"/> of its pixels differ.
/// </summary>
/// <remarks>
/// Chosen from measurements at 60 dpi (PageComparisonTests proves each bound). Pixel for pixel, moving every glyph by a
/// fraction of a pixel (0.05 pt) already changes 0.08 % of a page by more than a quarter of the grey range: glyph
/// edges are anti-aliased anew at every sub-pixel position. Looking one pixel around absorbs that (0 differing pixels
/// for shifts up to 1.2 pt, for vector anti-aliasing off and for Poppler's solid thin lines), so the fraction can
/// be strict: 0.01 %, 35 pixels of an A4 page. What breaks a layout moves ink by two pixels or more, or adds or
/// removes it, and changes hundreds to thousands of pixels: a missing 8 pt header line about 200, a missing 0.5 pt
/// light-grey table rule (contrast about 40 of 255, hence the threshold of 32) over 1,000, a table row, a signature
/// line or a column running over the margin more than 1,000, a table moved by 3 pt about 6,000. The one rendering
/// change that fails is Poppler's "shape" thin-line mode, which draws the 0.5 pt rules several times darker: a rule
/// that strong or that faint is what a missing rule looks like.
/// </remarks>
internal static class PageComparison
{
    /// <summary>Grey levels (of 255) two pixels may differ by and still match.</summary>
    public const int PixelThreshold = 32;

    /// <summary>How far (pixels, each direction) a pixel's match may lie: the anti-aliasing of a sub-pixel move.</summary>
    public const int Radius = 1;

    /// <summary>A page fails when more than this fraction of its pixels differ (0.01 %).</summary>
    public const double MaxDifferingFraction = 0.0001;

    /// <summary>Compares <paramref name="actual"/> with <paramref name="expected"/>; pages of different sizes differ everywhere.</summary>
    public static PageDifference Compare(PageImage expected, PageImage actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (expected.Width != actual.Width || expected.Height != actual.Height)
        {
            var (w, h) = (Math.Max(expected.Width, actual.Width), Math.Max(expected.Height, actual.Height));
            return new PageDifference(w * h, w * h, new PageImage(w, h, new byte[w * h]));
        }

        var diff = new byte[expected.Pixels.Length];
        var differing = 0;
        for (var y = 0; y < expected.Height; y++)
        {
            for (var x = 0; x < expected.Width; x++)
            {
                var i = (y * expected.Width) + x;
                if (!HasMatchNear(actual, x, y, expected.Pixels[i]) || !HasMatchNear(expected, x, y, actual.Pixels[i]))
                {
                    differing++;
                    diff[i] = 0;
                }
                else
                {
                    // The reference at a quarter of its contrast, so the black differences stand out against it.
                    diff[i] = (byte)(192 + (expected.Pixels[i] / 4));
                }
            }
        }

        return new PageDifference(differing, diff.Length, expected with { Pixels = diff });
    }

    private static bool HasMatchNear(PageImage page, int x, int y, byte grey)
    {
        for (var yy = Math.Max(0, y - Radius); yy <= Math.Min(page.Height - 1, y + Radius); yy++)
        {
            for (var xx = Math.Max(0, x - Radius); xx <= Math.Min(page.Width - 1, x + Radius); xx++)
            {
                if (Math.Abs(page.Pixels[(yy * page.Width) + xx] - grey) <= PixelThreshold)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
