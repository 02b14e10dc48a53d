using System;
using System.Linq;

namespace SmartKey.Phone;

/// <summary>
/// The text of the label's QR code (docs/protocol.md §4, "The label"): `SMARTKEY:1:&lt;serial&gt;:&lt;setup code&gt;`,
/// 1 the label format, the serial 1..32 printable characters without spaces or ':'. An app that scans
/// anything else says so and does not pair.
/// </summary>
public static class LabelText
{
    public const string Prefix = "SMARTKEY:1:";
    public const int MaxSerialLength = SmartKey.Firmware.Identity.DeviceIdentity.MaxSerialLength;

    public static string Format(string serial, string setupCode) => Prefix + serial + ":" + setupCode;

    public static bool IsSerial(string serial) =>
        serial.Length is > 0 and <= MaxSerialLength && serial.All(c => c is > ' ' and <= '~' && c != ':');

    /// <summary>The serial and setup code of a label's QR text; FormatException with what is wrong otherwise.</summary>
    public static (string Serial, string SetupCode) Parse(string text)
    {
        string shown = text.Length > 40 ? text[..40] + "…" : text;
        if (!text.StartsWith("SMARTKEY:", StringComparison.Ordinal))
            throw new FormatException($"'{shown}' is not a SmartKey label (its QR text starts SMARTKEY:1:)");
        string[] parts = text.Split(':');
        if (parts[1] != "1")
            throw new FormatException($"'{shown}' is label format {parts[1]}; this app reads format 1 (SMARTKEY:1:<serial>:<setup code>)");
        if (parts.Length != 4)
            throw new FormatException($"'{shown}' is not SMARTKEY:1:<serial>:<setup code> (it has {parts.Length - 1} ':' instead of 3)");
        if (!IsSerial(parts[2]))
            throw new FormatException($"'{parts[2]}' in the label is not a serial (1..{MaxSerialLength} printable characters without spaces)");
        if (!SetupCode.IsWellFormed(parts[3]))
            throw new FormatException($"'{parts[3]}' in the label is not a setup code ({SetupCode.MinimumDigits} to 32 digits)");
        return (parts[2], parts[3]);
    }
}
