using System.Globalization;
using KetaCare.Tests;

namespace KetaCare.Interop.Tests.Reports;

/// <summary>A rasterised page: one grey level a pixel (0 black, 255 white), rows top to bottom.</summary>
internal sealed record PageImage(int Width, int Height, byte[] Pixels)
{
    /// <summary>Reads a binary portable greymap (P5, maxval 255), as pdftoppm -gray writes it.</summary>
    public static PageImage FromPgm(byte[] pgm)
    {
        ArgumentNullException.ThrowIfNull(pgm);

        // Header: "P5", width, height, maxval, separated by whitespace (and # comments), then one whitespace byte.
        var pos = 0;
        string Token()
        {
            while (pos < pgm.Length && (char.IsWhiteSpace((char)pgm[pos]) || pgm[pos] == '#'))
            {
                if (pgm[pos] == '#')
                {
                    while (pos < pgm.Length && pgm[pos] != '\n')
                    {
                        pos++;
                    }
                }
                else
                {
                    pos++;
                }
            }

            var start = pos;
            while (pos < pgm.Length && !char.IsWhiteSpace((char)pgm[pos]))
            {
                pos++;
            }

            return System.Text.Encoding.ASCII.GetString(pgm, start, pos - start);
        }

        var magic = Token();
        var width = int.Parse(Token(), CultureInfo.InvariantCulture);
        var height = int.Parse(Token(), CultureInfo.InvariantCulture);
        var maxval = int.Parse(Token(), CultureInfo.InvariantCulture);
        pos++;
        if (magic != "P5" || maxval != 255 || pgm.Length - pos != width * height)
        {
            throw new InvalidDataException($"not an 8-bit binary greymap: {magic}, {width}×{height}, maxval {maxval}, {pgm.Length - pos} pixel bytes.");
        }

        return new PageImage(width, height, pgm[pos..]);
    }

    /// <summary>Reads a grey PNG written by <see cref="ToPng"/>.</summary>
    public static PageImage FromPng(byte[] png) =>
        Png.TryDecode(png, out var p) && p.Channels == 1
            ? new PageImage(p.Width, p.Height, p.Samples)
            : throw new InvalidDataException("not an 8-bit grey PNG.");

    /// <summary>The page as an 8-bit grey PNG.</summary>
    public byte[] ToPng() => Png.Encode(new PngPixels(Width, Height, 1, Pixels));

    /// <summary>The page moved right by <paramref name="dx"/> and down by <paramref name="dy"/> pixels; what comes in is white paper.</summary>
    public PageImage Shifted(int dx, int dy)
    {
        var moved = new byte[Pixels.Length];
        Array.Fill(moved, (byte)255);
        for (var y = Math.Max(0, dy); y < Math.Min(Height, Height + dy); y++)
        {
            for (var x = Math.Max(0, dx); x < Math.Min(Width, Width + dx); x++)
            {
                moved[(y * Width) + x] = Pixels[((y - dy) * Width) + x - dx];
            }
        }

        return this with { Pixels = moved };
    }
}
