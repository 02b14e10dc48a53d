using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using SmartKey.Technician;

namespace SmartKey.Simulator.Fleet;

/// <summary>
/// The factory's manufacturing records of the virtual locks (`fleet --manufacturing-out`), in the format
/// `smartkey-tech provision` writes and `smartkey-ota-server device admit` reads: one JSON array. Over TLS each record
/// carries the SHA-256 of the lock's own client certificate (issued before the run); on plain MQTT a lock has no
/// certificate and the field is 64 zeros.
/// </summary>
public static class FleetRecords
{
    public const string NoCertificate = "0000000000000000000000000000000000000000000000000000000000000000";

    public static void Write(Fleet fleet, string path, DateTimeOffset now)
    {
        var options = fleet.Options;
        var records = fleet.Locks.Select(l => ManufacturingRecord.For(l.Serial, options.HardwareId,
            options.Identities == null ? NoCertificate : Convert.ToHexString(SHA256.HashData(options.Identities.For(l.Serial).RawData)).ToLowerInvariant(),
            options.TrustKeys, now)).ToArray();
        string json = JsonSerializer.Serialize(records, new JsonSerializerOptions { WriteIndented = true }) + "\n";
        string full = Path.GetFullPath(path);
        string temporary = full + ".tmp";
        File.WriteAllText(temporary, json);
        File.Move(temporary, full, overwrite: true);
    }
}
