using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using SmartKey.Technician.Label;
using Xunit;

namespace SmartKey.Tests.Tools;

/// <summary>
/// Issue 26, item 5: the label as printed, SVG and PNG, with the serial and the setup code beside the QR
/// (docs/protocol.md §4, "The label"). The PNG is decoded as a PNG, its QR is read by a real decoder (ZXing.Net)
/// and its text is read back glyph by glyph; the SVG is parsed as XML.
/// </summary>
public sealed class LabelTests
{
    public static TheoryData<string, string> Labels() => new()
    {
        { "SK-0001", "4071936285" },
        { "sk_lower.case&<>~!", "24680135792468013579" },
        { new string('W', 32), "93817264" },
    };

    /// <summary>Decodes an 8-bit greyscale PNG without filters, checking every chunk's CRC: the greyscale pixels and their size.</summary>
    private static (byte[] pixels, int width, int height) ReadPng(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        int at = 8, width = 0, height = 0;
        using var idat = new MemoryStream();
        while (true)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            string type = Encoding.ASCII.GetString(png, at + 4, 4);
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length)), Png.Crc32(png.AsSpan(at + 4, 4 + length)));
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(new byte[] { 8, 0, 0, 0, 0 }, data[8..].ToArray());
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            else if (type == "IEND")
            {
                break;
            }

            at += 12 + length;
        }

        using var z = new ZLibStream(new MemoryStream(idat.ToArray()), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        byte[] rows = raw.ToArray();
        Assert.Equal((width + 1) * height, rows.Length);
        var pixels = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            Assert.Equal(0, rows[y * (width + 1)]);
            Array.Copy(rows, y * (width + 1) + 1, pixels, y * width, width);
        }

        return (pixels, width, height);
    }

    /// <summary>Reads a line of text back from the pixels by matching each cell against every glyph.</summary>
    private static string ReadText(byte[] pixels, int width, LabelArt.TextLine line)
    {
        var text = new StringBuilder();
        for (int i = 0; i < line.Text.Length; i++)
        {
            int left = line.X + i * (Glyphs.Width + 1) * line.Scale;
            bool Dark(int gx, int gy) => pixels[(line.Y + gy * line.Scale + line.Scale / 2) * width + left + gx * line.Scale + line.Scale / 2] < 128;
            var matches = Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c)
                .Where(c => Enumerable.Range(0, Glyphs.Height).All(gy => Enumerable.Range(0, Glyphs.Width).All(gx => Glyphs.IsSet(c, gx, gy) == Dark(gx, gy)))).ToList();
            text.Append(matches.Count == 1 ? matches[0] : '?');
        }

        return text.ToString();
    }

    [Theory]
    [MemberData(nameof(Labels))]
    public void ThePngCarriesAQrThatScansAndTheSerialAndCodeInText(string serial, string code)
    {
        var label = LabelArt.For(serial, code);
        var (pixels, width, height) = ReadPng(label.Png());
        Assert.Equal((label.Width, label.Height), (width, height));

        var source = new ZXing.RGBLuminanceSource(pixels, width, height, ZXing.RGBLuminanceSource.BitmapFormat.Gray8);
        var result = new ZXing.QrCode.QRCodeReader().decode(new ZXing.BinaryBitmap(new ZXing.Common.HybridBinarizer(source)));
        Assert.NotNull(result);
        Assert.Equal($"SMARTKEY:1:{serial}:{code}", result.Text);
        Assert.Equal(ZXing.QrCode.Internal.ErrorCorrectionLevel.M.ToString(), result.ResultMetadata[ZXing.ResultMetadataType.ERROR_CORRECTION_LEVEL]);

        string[] printed = label.Lines.Select(l => ReadText(pixels, width, l)).ToArray();
        Assert.Equal(new[] { "SmartKey", "serial", serial, "setup code", code }, printed);
        Assert.All(label.Lines, l => Assert.True(l.X >= label.QrPixels, "text overlaps the QR"));
    }

    [Theory]
    [MemberData(nameof(Labels))]
    public void TheSvgIsWellFormedAndPrintsTheSameAsThePng(string serial, string code)
    {
        var label = LabelArt.For(serial, code);
        var svg = XDocument.Parse(label.Svg());
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(new[] { "SmartKey", "serial", serial, "setup code", code }, svg.Descendants(ns + "text").Select(t => t.Value));
        string path = svg.Descendants(ns + "path").Single().Attribute("d")!.Value;
        Assert.Equal(label.Modules.Sum(row => row.Count(dark => dark)), path.Count(c => c == 'M'));
        Assert.Equal(label.Width.ToString(), svg.Root!.Attribute("width")!.Value);
    }

    [Fact]
    public void EveryPrintableCharacterHasItsOwnGlyph()
    {
        var shapes = Enumerable.Range(' ', '~' - ' ' + 1).Select(c => Convert.ToHexString(Glyphs.Of((char)c))).ToList();
        Assert.Equal(shapes.Count, shapes.Distinct().Count());
        Assert.Equal(1, shapes.Count(s => s.Trim('0').Length == 0));     // only the space is blank
        Assert.Throws<ArgumentException>(() => Glyphs.Of('é'));
    }
}
