using System.Buffers.Binary;
using System.IO.Compression;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// Shrinks a Chromium screenshot (8-bit RGB PNG) to an indexed PNG of its 256 most frequent colours, every other
/// colour drawn as its nearest palette colour. Pages are flat colours plus anti-aliasing, so text and charts stay
/// legible while the file is two to three times smaller — screenshots are documentation kept in the repository.
/// </summary>
internal static class PngPalette
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>The indexed PNG, or the input unchanged when it is not an 8-bit RGB, non-interlaced PNG.</summary>
    public static byte[] Reduce(byte[] png)
    {
        if (!TryReadRgb(png, out var width, out var height, out var rgb))
        {
            return png;
        }

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

        var rows = new byte[height * (width + 1)];
        for (var y = 0; y < height; y++)
        {
            // Filter type 0 per row: indexed pixels compress well without prediction.
            for (var x = 0; x < width; x++)
            {
                var o = ((y * width) + x) * 3;
                var c = (rgb[o] << 16) | (rgb[o + 1] << 8) | rgb[o + 2];
                if (!index.TryGetValue(c, out var k))
                {
                    k = Nearest(palette, c);
                    index[c] = k;
                }

                rows[(y * (width + 1)) + 1 + x] = k;
            }
        }

        using var output = new MemoryStream();
        output.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 3; // indexed colour
        Chunk(output, "IHDR", header);
        Chunk(output, "PLTE", [.. palette.SelectMany(c => new[] { (byte)(c >> 16), (byte)(c >> 8), (byte)c })]);
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                z.Write(rows);
            }

            Chunk(output, "IDAT", compressed.ToArray());
        }

        Chunk(output, "IEND", []);
        return output.ToArray();
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

    private static bool TryReadRgb(byte[] png, out int width, out int height, out byte[] rgb)
    {
        (width, height, rgb) = (0, 0, []);
        if (png.Length < 33 || !png.AsSpan(0, 8).SequenceEqual(Signature))
        {
            return false;
        }

        using var idat = new MemoryStream();
        var pos = 8;
        while (pos + 8 <= png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var body = png.AsSpan(pos + 8, length);
            if (type == "IHDR")
            {
                (width, height) = (BinaryPrimitives.ReadInt32BigEndian(body), BinaryPrimitives.ReadInt32BigEndian(body[4..]));
                if (body[8] != 8 || body[9] != 2 || body[12] != 0)
                {
                    return false;
                }
            }
            else if (type == "IDAT")
            {
                idat.Write(body);
            }

            pos += 12 + length;
        }

        var stride = width * 3;
        var filtered = new byte[height * (stride + 1)];
        idat.Position = 0;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            z.ReadExactly(filtered);
        }

        rgb = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = filtered[y * (stride + 1)];
            for (var i = 0; i < stride; i++)
            {
                var x = filtered[(y * (stride + 1)) + 1 + i];
                int a = i >= 3 ? rgb[(y * stride) + i - 3] : 0;
                int b = y > 0 ? rgb[((y - 1) * stride) + i] : 0;
                int c = i >= 3 && y > 0 ? rgb[((y - 1) * stride) + i - 3] : 0;
                var predictor = filter switch
                {
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => 0,
                };
                rgb[(y * stride) + i] = (byte)(x + predictor);
            }
        }

        return width > 0 && height > 0;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void Chunk(Stream output, string type, byte[] body)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, body.Length);
        System.Text.Encoding.ASCII.GetBytes(type, head.AsSpan(4));
        output.Write(head);
        output.Write(body);
        var crc = 0xFFFFFFFFu;
        foreach (var x in head.AsSpan(4).ToArray().Concat(body))
        {
            crc = CrcTable[(crc ^ x) & 0xFF] ^ (crc >> 8);
        }

        var tail = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc ^ 0xFFFFFFFFu);
        output.Write(tail);
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
