using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SmartKey.OtaServer.Devices;

/// <summary>
/// The factory's record of one lock (written by `smartkey-tech provision`): a file holds one such JSON object
/// or an array of them.
/// <code>{"format":"smartkey-manufacturing-record/1","serial":"SK-0001","hardwareId":"…","certificateSha256":"&lt;hex&gt;","otaTrustKeyIds":["&lt;hex&gt;"],"issuedAt":"&lt;ISO 8601&gt;"}</code>
/// Parse checks every record; one bad record refuses the whole file (nothing is admitted).
/// </summary>
public sealed partial record ManufacturingRecord(string Serial, string HardwareId, string CertificateSha256, string[] OtaTrustKeyIds, string IssuedAt)
{
    public const string Format = "smartkey-manufacturing-record/1";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    public static partial Regex SerialPattern();

    [GeneratedRegex("^[\\x21-\\x7e]{1,32}$")]
    private static partial Regex HardwarePattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Hex();

    [GeneratedRegex("^[0-9a-fA-F]{16,128}$")]
    private static partial Regex KeyIdHex();

    public static IReadOnlyList<ManufacturingRecord> Parse(string json, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not JSON ({e.Message})");
        }

        using (doc)
        {
            var elements = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.EnumerateArray().ToList() : new List<JsonElement> { doc.RootElement };
            if (elements.Count == 0) throw new FormatException($"{source}: no record");
            var records = new List<ManufacturingRecord>();
            for (int i = 0; i < elements.Count; i++) records.Add(One(elements[i], $"{source} record {i + 1}"));
            var dup = records.GroupBy(r => r.Serial).FirstOrDefault(g => g.Count() > 1);
            if (dup != null) throw new FormatException($"{source}: serial {dup.Key} appears twice");
            return records;
        }
    }

    private static ManufacturingRecord One(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new FormatException($"{where}: not a JSON object");
        string format = Text(e, "format", where);
        if (format != Format) throw new FormatException($"{where}: format is '{format}', expected '{Format}'");
        string serial = Text(e, "serial", where);
        if (!SerialPattern().IsMatch(serial)) throw new FormatException($"{where}: serial '{serial}' is not 1 to 32 of A-Z a-z 0-9 . _ - (starting with a letter or digit)");
        string hardware = Text(e, "hardwareId", where);
        if (!HardwarePattern().IsMatch(hardware)) throw new FormatException($"{where}: hardwareId is 1 to 32 printable ASCII characters");
        string certificate = Text(e, "certificateSha256", where);
        if (!Sha256Hex().IsMatch(certificate)) throw new FormatException($"{where}: certificateSha256 is 64 hex digits");
        if (!e.TryGetProperty("otaTrustKeyIds", out var keys) || keys.ValueKind != JsonValueKind.Array || keys.GetArrayLength() == 0)
            throw new FormatException($"{where}: otaTrustKeyIds is a non-empty array of hex strings");
        var keyIds = new List<string>();
        foreach (var k in keys.EnumerateArray())
        {
            if (k.ValueKind != JsonValueKind.String || !KeyIdHex().IsMatch(k.GetString()!)) throw new FormatException($"{where}: otaTrustKeyIds holds a value that is not 16 to 128 hex digits");
            keyIds.Add(k.GetString()!.ToLowerInvariant());
        }

        string issued = Text(e, "issuedAt", where);
        if (!DateTimeOffset.TryParse(issued, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _) || !issued.Contains('T'))
            throw new FormatException($"{where}: issuedAt '{issued}' is not an ISO 8601 date and time");
        return new ManufacturingRecord(serial, hardware, certificate.ToLowerInvariant(), keyIds.ToArray(), issued);
    }

    private static string Text(JsonElement e, string name, string where)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String) throw new FormatException($"{where}: '{name}' (a string) is missing");
        return v.GetString()!;
    }
}
