using System.Buffers.Binary;
using System.IO.Compression;

namespace KetaCare.Tests;

/// <summary>
/// The pixels of an 8-bit PNG: <see cref="Channels"/> samples per pixel (1 grey, 3 RGB), rows top to bottom, no padding.
/// </summary>
internal sealed record PngPixels(int Width, int Height, int Channels, byte[] Samples);

/// <summary>
/// Just enough PNG for the tests' images (screenshots, rasterised report pages): reads and writes 8-bit grey and RGB
/// and writes 8-bit indexed, non-interlaced. Written out here so the tests need no imaging package; a PNG outside
/// that subset is refused, never guessed at.
/// </summary>
internal static class Png
{
    /// <summary>PNG colour type: one grey sample per pixel.</summary>
    public const byte Grey = 0;

    /// <summary>PNG colour type: red, green and blue samples per pixel.</summary>
    public const byte Rgb = 2;

    /// <summary>PNG colour type: one palette index per pixel.</summary>
    public const byte Indexed = 3;

    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>Decodes an 8-bit grey or RGB, non-interlaced PNG; false for anything else.</summary>
    public static bool TryDecode(byte[] png, out PngPixels pixels)
    {
        pixels = new PngPixels(0, 0, 0, []);
        if (png.Length < 33 || !png.AsSpan(0, 8).SequenceEqual(Signature))
        {
            return false;
        }

        int width = 0, height = 0, channels = 0;
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
                channels = body[9] switch { Grey => 1, Rgb => 3, _ => 0 };
                if (body[8] != 8 || channels == 0 || body[12] != 0)
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

        if (width <= 0 || height <= 0)
        {
            return false;
        }

        var stride = width * channels;
        var filtered = new byte[height * (stride + 1)];
        idat.Position = 0;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            z.ReadExactly(filtered);
        }

        var samples = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = filtered[y * (stride + 1)];
            for (var i = 0; i < stride; i++)
            {
                var (a, b, c) = Neighbours(samples, stride, channels, y, i);
                samples[(y * stride) + i] = (byte)(filtered[(y * (stride + 1)) + 1 + i] + Predict(filter, a, b, c));
            }
        }

        pixels = new PngPixels(width, height, channels, samples);
        return true;
    }

    /// <summary>Encodes grey or RGB pixels, each row with the filter that leaves the smallest residues (libpng's heuristic).</summary>
    public static byte[] Encode(PngPixels pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var colourType = pixels.Channels switch
        {
            1 => Grey,
            3 => Rgb,
            _ => throw new ArgumentException($"{pixels.Channels} channels: only grey (1) and RGB (3) are written.", nameof(pixels)),
        };
        var (w, h, n, s) = (pixels.Width, pixels.Height, pixels.Channels, pixels.Samples);
        var stride = w * n;
        var rows = new byte[h * (stride + 1)];
        var candidate = new byte[stride];
        for (var y = 0; y < h; y++)
        {
            var best = long.MaxValue;
            for (byte filter = 0; filter <= 4; filter++)
            {
                long cost = 0;
                for (var i = 0; i < stride; i++)
                {
                    var (a, b, c) = Neighbours(s, stride, n, y, i);
                    candidate[i] = (byte)(s[(y * stride) + i] - Predict(filter, a, b, c));
                    cost += Math.Abs((int)(sbyte)candidate[i]);
                }

                if (cost < best)
                {
                    best = cost;
                    rows[y * (stride + 1)] = filter;
                    candidate.CopyTo(rows, (y * (stride + 1)) + 1);
                }
            }
        }

        return Write(w, h, colourType, rows, palette: null);
    }

    /// <summary>Encodes palette indices (one byte a pixel) with their RGB palette; rows are not filtered.</summary>
    public static byte[] EncodeIndexed(int width, int height, byte[] indices, IReadOnlyList<int> palette)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(palette);

        // Filter type 0 per row: indexed pixels compress well without prediction.
        var rows = new byte[height * (width + 1)];
        for (var y = 0; y < height; y++)
        {
            indices.AsSpan(y * width, width).CopyTo(rows.AsSpan((y * (width + 1)) + 1));
        }

        return Write(width, height, Indexed, rows, [.. palette.SelectMany(c => new[] { (byte)(c >> 16), (byte)(c >> 8), (byte)c })]);
    }

    private static byte[] Write(int width, int height, byte colourType, byte[] filteredRows, byte[]? palette)
    {
        using var output = new MemoryStream();
        output.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = colourType;
        Chunk(output, "IHDR", header);
        if (palette is not null)
        {
            Chunk(output, "PLTE", palette);
        }

        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                z.Write(filteredRows);
            }

            Chunk(output, "IDAT", compressed.ToArray());
        }

        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    // The samples left (a), above (b) and above-left (c) of sample i of row y, zero outside the image.
    private static (int A, int B, int C) Neighbours(byte[] samples, int stride, int channels, int y, int i) =>
        (i >= channels ? samples[(y * stride) + i - channels] : 0,
         y > 0 ? samples[((y - 1) * stride) + i] : 0,
         i >= channels && y > 0 ? samples[((y - 1) * stride) + i - channels] : 0);

    private static int Predict(byte filter, int a, int b, int c) => filter switch
    {
        1 => a,
        2 => b,
        3 => (a + b) / 2,
        4 => Paeth(a, b, c),
        _ => 0,
    };

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
