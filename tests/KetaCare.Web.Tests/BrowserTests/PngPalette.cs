using KetaCare.Tests;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// Shrinks a Chromium screenshot (8-bit RGB PNG) to an indexed PNG of its 256 most frequent colours, every other
/// colour drawn as its nearest palette colour. Pages are flat colours plus anti-aliasing, so text and charts stay
/// legible while the file is two to three times smaller — screenshots are documentation kept in the repository.
/// </summary>
internal static class PngPalette
{
    /// <summary>The indexed PNG, or the input unchanged when it is not an 8-bit RGB, non-interlaced PNG.</summary>
    public static byte[] Reduce(byte[] png)
    {
        if (!Png.TryDecode(png, out var pixels) || pixels.Channels != 3)
        {
            return png;
        }

        var rgb = pixels.Samples;
        var counts = new Dictionary<int, int>();
        for (var i = 0; i < rgb.Length; i += 3)
        {
            var c = (rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2];
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        var palette = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(256).Select(kv => kv.Key).ToArray();
        var index = new Dictionary<int, byte>();
        for (var i = 0; i < palette.Length; i++)
        {
            index[palette[i]] = (byte)i;
        }

        var indices = new byte[pixels.Width * pixels.Height];
        for (var p = 0; p < indices.Length; p++)
        {
            var c = (rgb[p * 3] << 16) | (rgb[(p * 3) + 1] << 8) | rgb[(p * 3) + 2];
            if (!index.TryGetValue(c, out var k))
            {
                k = Nearest(palette, c);
                index[c] = k;
            }

            indices[p] = k;
        }

        return Png.EncodeIndexed(pixels.Width, pixels.Height, indices, palette);
    }

    private static byte Nearest(int[] palette, int c)
    {
        var (r, g, b) = (c >> 16, (c >> 8) & 0xFF, c & 0xFF);
        var best = 0;
        var bestDistance = int.MaxValue;
        for (var i = 0; i < palette.Length; i++)
        {
            var p = palette[i];
            var (dr, dg, db) = ((p >> 16) - r, ((p >> 8) & 0xFF) - g, (p & 0xFF) - b);
            var d = (dr * dr) + (dg * dg) + (db * db);
            if (d < bestDistance)
            {
                (best, bestDistance) = (i, d);
            }
        }

        return (byte)best;
    }
}
