using System;
using System.Collections.Generic;
using System.Linq;
using SmartKey.OtaServer.Devices;
using SmartKey.OtaServer.Releases;

namespace SmartKey.OtaServer.Rollouts;

/// <summary>
/// Which locks a rollout is for: the release's hardware (always) and, optionally, one hardware id, a range of
/// running versions (inclusive) and an explicit list of serials (null = no list; empty = nobody). A lock
/// is a target only once it has reported (its version is known) and while it runs an older version than
/// the release.
/// </summary>
public sealed record TargetFilter(string? HardwareId, string? MinVersion, string? MaxVersion, IReadOnlyList<string>? Serials)
{
    public void Validate()
    {
        if (MinVersion != null && !VersionOrder.IsValid(MinVersion)) throw new ArgumentException($"minimum version '{MinVersion}' is not a version");
        if (MaxVersion != null && !VersionOrder.IsValid(MaxVersion)) throw new ArgumentException($"maximum version '{MaxVersion}' is not a version");
        if (MinVersion != null && MaxVersion != null && VersionOrder.Compare(MinVersion, MaxVersion) > 0) throw new ArgumentException("the minimum version is above the maximum");
        if (Serials != null && Serials.Any(s => !ManufacturingRecord.SerialPattern().IsMatch(s))) throw new ArgumentException("a target serial is not a serial number");
    }

    public bool Matches(Device d, Release release)
    {
        if (d.LastSeenAt == null || !VersionOrder.IsValid(d.Firmware)) return false;
        if (d.HardwareId != release.HardwareId) return false;
        if (HardwareId != null && d.HardwareId != HardwareId) return false;
        if (MinVersion != null && VersionOrder.Compare(d.Firmware!, MinVersion) < 0) return false;
        if (MaxVersion != null && VersionOrder.Compare(d.Firmware!, MaxVersion) > 0) return false;
        if (Serials != null && !Serials.Contains(d.Serial, StringComparer.Ordinal)) return false;
        return VersionOrder.Compare(d.Firmware!, release.Version) < 0;
    }

    public static List<string> SplitSerials(string? text) => text == null ? new List<string>() : text.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();

    public static string JoinSerials(IEnumerable<string> serials) => string.Join(",", serials);
}
