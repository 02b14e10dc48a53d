using System;
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

    /// <summary>
    /// What System.Text.Json throws for bytes a lock (or an impostor) can send: JsonException for bad JSON, and
    /// InvalidOperationException from GetString() or a property's Name when a string holds invalid UTF-8 (the
    /// parser itself lets those through). A parser treats them as a malformed message.
    /// </summary>
    public static bool IsBadInput(Exception e) => e is JsonException or InvalidOperationException or ArgumentException or FormatException;
}
