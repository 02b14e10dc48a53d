using System;
using System.Linq;
using System.Text.Json;

namespace SmartKey.OtaServer.Devices;

/// <summary>A lock's OTA status {"state","error","offset","size"} (docs/telemetry.md, docs/ota.md); other keys are dropped and counted; anything else is null, never an exception.</summary>
public sealed record StatusMessage(string State, int Error, long Offset, long Size, int DroppedFields)
{
    public static readonly string[] States = { "idle", "downloading", "verifying", "testing", "confirmed", "reverted", "failed" };

    public static StatusMessage? TryParse(byte[] payload)
    {
        if (payload.Length == 0 || payload.Length > 256) return null;
        try
        {
            using var doc = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 2 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            string? state = null;
            int error = -1, dropped = 0;
            long offset = -1, size = -1;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "state" && p.Value.ValueKind == JsonValueKind.String) state = p.Value.GetString();
                else if (p.Name == "error" && Json.Int(p.Value, out int e)) error = e;
                else if (p.Name == "offset" && Json.Long(p.Value, out long o)) offset = o;
                else if (p.Name == "size" && Json.Long(p.Value, out long s)) size = s;
                else dropped++;
            }

            if (!States.Contains(state) || error is < 0 or > 255 || offset < 0 || size < 0) return null;
            return new StatusMessage(state!, error, offset, size, dropped);
        }
        catch (Exception e) when (Json.IsBadInput(e))
        {
            return null;
        }
    }
}
