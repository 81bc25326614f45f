using System.Buffers.Binary;
using System.Xml.Linq;

namespace KetaCare.Interop.Tests.Charts;

internal static class ChartAssert
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Parses the SVG (throws when it is not well-formed XML) and returns every text it shows.</summary>
    public static string SvgText(string svg)
    {
        var doc = XDocument.Parse(svg);
        Assert.Equal("svg", doc.Root!.Name.LocalName);
        return string.Join("\n", doc.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));
    }

    /// <summary>Checks the PNG signature and the IHDR width and height.</summary>
    public static void Png(byte[] png, int width, int height)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(PngSignature), "PNG signature");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }
}
