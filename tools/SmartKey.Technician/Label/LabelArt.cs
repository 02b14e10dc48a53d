using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Text;
using QRCoder;

namespace SmartKey.Technician.Label;

/// <summary>
/// The lock's label (docs/protocol.md §4, "The label"): the QR code of SMARTKEY:1:&lt;serial&gt;:&lt;setup code&gt; with
/// the serial and the setup code printed beside it, as SVG (for a label printer's software) and PNG (for anything).
/// Both come from one layout in pixels, so they show the same thing; the PNG's text is drawn with Glyphs.
/// </summary>
public sealed class LabelArt
{
    public const int ModulePixels = 6;
    private const int Gap = 12;

    /// <summary>One line of text beside the QR: its top-left corner and the size of one glyph pixel.</summary>
    public sealed record TextLine(int X, int Y, int Scale, string Text)
    {
        public int Width => Text.Length * (Glyphs.Width + 1) * Scale;

        public int Height => Glyphs.Height * Scale;
    }

    private LabelArt(string payload, bool[][] modules, IReadOnlyList<TextLine> lines, int width, int height)
    {
        Payload = payload;
        Modules = modules;
        Lines = lines;
        Width = width;
        Height = height;
    }

    public string Payload { get; }

    /// <summary>The QR's modules with its quiet zone, row by row (true = dark).</summary>
    public bool[][] Modules { get; }

    public IReadOnlyList<TextLine> Lines { get; }

    public int Width { get; }

    public int Height { get; }

    public int QrPixels => Modules.Length * ModulePixels;

    public static LabelArt For(string serial, string setupCode)
    {
        string payload = SmartKey.Phone.LabelText.Format(serial, setupCode);
        using var data = new QRCodeGenerator().CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        bool[][] modules = data.ModuleMatrix.Select(row => Enumerable.Range(0, row.Length).Select(i => row[i]).ToArray()).ToArray();
        int qr = modules.Length * ModulePixels;
        int x = qr + Gap, y = 4 * ModulePixels;                 // the text starts where the code does, past the quiet zone
        var lines = new List<TextLine>();
        void Add(string text, int scale, int spaceAfter)
        {
            lines.Add(new TextLine(x, y, scale, text));
            y += Glyphs.Height * scale + spaceAfter;
        }

        Add("SmartKey", 3, 18);
        Add("serial", 2, 6);
        Add(serial, 3, 18);
        Add("setup code", 2, 6);
        Add(setupCode, 3, 0);
        int width = lines.Max(l => l.X + l.Width) + 4 * ModulePixels;
        return new LabelArt(payload, modules, lines, width, Math.Max(qr, y + 4 * ModulePixels));
    }

    /// <summary>width × height greyscale bytes, 0 black, 255 white.</summary>
    public byte[] Pixels()
    {
        var pixels = Enumerable.Repeat((byte)255, Width * Height).ToArray();
        for (int row = 0; row < Modules.Length; row++)
        for (int column = 0; column < Modules.Length; column++)
        {
            if (Modules[row][column]) Fill(pixels, column * ModulePixels, row * ModulePixels, ModulePixels, ModulePixels);
        }

        foreach (var line in Lines)
        {
            for (int i = 0; i < line.Text.Length; i++)
            {
                int left = line.X + i * (Glyphs.Width + 1) * line.Scale;
                for (int gy = 0; gy < Glyphs.Height; gy++)
                for (int gx = 0; gx < Glyphs.Width; gx++)
                {
                    if (Glyphs.IsSet(line.Text[i], gx, gy)) Fill(pixels, left + gx * line.Scale, line.Y + gy * line.Scale, line.Scale, line.Scale);
                }
            }
        }

        return pixels;
    }

    public byte[] Png() => Label.Png.Greyscale(Pixels(), Width, Height);

    /// <summary>The same layout as SVG: the QR as one path of modules, the text as monospace text a printer renders.</summary>
    public string Svg()
    {
        var path = new StringBuilder();
        for (int row = 0; row < Modules.Length; row++)
        for (int column = 0; column < Modules.Length; column++)
        {
            if (Modules[row][column]) path.Append(CultureInfo.InvariantCulture, $"M{column * ModulePixels} {row * ModulePixels}h{ModulePixels}v{ModulePixels}h-{ModulePixels}z");
        }

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<title>SmartKey label: serial {Escape(Lines[2].Text)}</title>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#fff\"/>\n");
        svg.Append("<path fill=\"#000\" d=\"").Append(path).Append("\"/>\n");
        foreach (var line in Lines)
        {
            // A monospace font at a size whose capitals match the PNG's 7-pixel glyphs; the baseline is the glyph's last row.
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{line.X}\" y=\"{line.Y + line.Height}\" font-family=\"DejaVu Sans Mono, Consolas, monospace\" font-size=\"{line.Height * 10 / 7}\" fill=\"#000\">{Escape(line.Text)}</text>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private void Fill(byte[] pixels, int left, int top, int width, int height)
    {
        for (int y = top; y < top + height; y++) Array.Fill(pixels, (byte)0, y * Width + left, width);
    }

    private static string Escape(string text) => SecurityElement.Escape(text);
}
