using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using SmartKey.OtaServer.Releases;

namespace SmartKey.OtaServer.Devices;

/// <summary>
/// A lock's telemetry record (docs/telemetry.md), reduced to what the server keeps: firmware version,
/// battery (state, percent, millivolts) and error codes with counts. Any other key, at any level, is
/// dropped and only counted (DroppedFields); a record without the required fields, or that is not JSON or not
/// UTF-8 (Json.IsBadInput), is malformed: null, never an exception.
/// </summary>
public sealed record TelemetryMessage(string Firmware, string BatteryState, int BatteryPercent, int BatteryMillivolts, IReadOnlyList<(int code, int count)> Errors, int DroppedFields)
{
    public const int MaxBytes = 1024;
    private static readonly string[] BatteryStates = { "ok", "low", "critical" };

    public string ErrorsText => string.Join(",", Errors.Select(e => e.code + ":" + e.count));

    public static TelemetryMessage? TryParse(string topicSerial, byte[] payload)
    {
        if (payload.Length == 0 || payload.Length > MaxBytes) return null;
        try
        {
            using var doc = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 4 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            int dropped = 0;
            string? serial = null, firmware = null, state = null;
            int percent = -1, millivolts = -1;
            var errors = new List<(int, int)>();
            foreach (var p in root.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "serial" when p.Value.ValueKind == JsonValueKind.String:
                        serial = p.Value.GetString();
                        break;
                    case "firmware" when p.Value.ValueKind == JsonValueKind.String:
                        firmware = p.Value.GetString();
                        break;
                    case "battery" when p.Value.ValueKind == JsonValueKind.Object:
                        foreach (var b in p.Value.EnumerateObject())
                        {
                            if (b.Name == "state" && b.Value.ValueKind == JsonValueKind.String) state = b.Value.GetString();
                            else if (b.Name == "percent" && Json.Int(b.Value, out int pc)) percent = pc;
                            else if (b.Name == "millivolts" && Json.Int(b.Value, out int mv)) millivolts = mv;
                            else dropped++;
                        }

                        break;
                    case "errors" when p.Value.ValueKind == JsonValueKind.Object:
                        foreach (var e in p.Value.EnumerateObject())
                        {
                            if (e.Name.Length is >= 1 and <= 3 && e.Name.All(char.IsAsciiDigit) && e.Value.ValueKind == JsonValueKind.Number && e.Value.TryGetInt32(out int n) && n >= 0)
                                errors.Add((int.Parse(e.Name), n));
                            else dropped++;
                        }

                        break;
                    default:
                        dropped++;
                        break;
                }
            }

            if (serial != topicSerial || !VersionOrder.IsValid(firmware) || firmware!.Length > 32 || !BatteryStates.Contains(state)
                || percent is < 0 or > 100 || millivolts is < 0 or > 20000)
                return null;
            return new TelemetryMessage(firmware, state!, percent, millivolts, errors.OrderBy(e => e.Item1).ToList(), dropped);
        }
        catch (Exception e) when (Json.IsBadInput(e))
        {
            return null;
        }
    }
}
