using System.Text.Json;

namespace SmartKey.OtaServer.Devices;

/// <summary>Integer reads that answer false for any non-number instead of throwing.</summary>
internal static class Json
{
    public static bool Int(JsonElement v, out int value)
    {
        value = 0;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out value);
    }

    public static bool Long(JsonElement v, out long value)
    {
        value = 0;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out value);
    }
}
