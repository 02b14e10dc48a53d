using System;
using SmartKey.Firmware.Text;

namespace SmartKey.OtaServer.Releases;

/// <summary>Firmware versions ordered as the lock orders them (firmware/Text/Versions).</summary>
public static class VersionOrder
{
    public static bool IsValid(string? version) => version != null && Versions.TryParse(version, out _, out _, out _, out _);

    public static int Compare(string a, string b)
    {
        if (!Versions.TryParse(a, out int am, out int an, out int ar, out long ab)) throw new FormatException($"'{a}' is not a version");
        if (!Versions.TryParse(b, out int bm, out int bn, out int br, out long bb)) throw new FormatException($"'{b}' is not a version");
        return Versions.Compare(am, an, ar, ab, bm, bn, br, bb);
    }
}
