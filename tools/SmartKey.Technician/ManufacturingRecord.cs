using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmartKey.Technician;

/// <summary>
/// What the backend learns about one lock at the end of the line, to admit it (docs/telemetry.md,
/// "Manufacturing record"): serial, hardware id, the SHA-256 of its client certificate and the key ids of the
/// OTA keys it trusts. Never the setup code, the verifier or the device's private key.
/// </summary>
public sealed class ManufacturingRecord
{
    public const string FileName = "manufacturing.json";
    public const string FormatName = "smartkey-manufacturing-record/1";

    [JsonPropertyName("format")]
    public string Format { get; init; } = FormatName;

    [JsonPropertyName("serial")]
    public required string Serial { get; init; }

    [JsonPropertyName("hardwareId")]
    public required string HardwareId { get; init; }

    [JsonPropertyName("certificateSha256")]
    public required string CertificateSha256 { get; init; }

    [JsonPropertyName("otaTrustKeyIds")]
    public required IReadOnlyList<string> OtaTrustKeyIds { get; init; }

    [JsonPropertyName("issuedAt")]
    public required string IssuedAt { get; init; }

    /// <summary>An OTA trust key's id as MCUboot's KEYHASH TLV computes it: SHA-256 of the key's DER SubjectPublicKeyInfo.</summary>
    public static string KeyId(byte[] uncompressedPoint)
    {
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = uncompressedPoint[1..33], Y = uncompressedPoint[33..65] },
        });
        return Convert.ToHexString(SHA256.HashData(key.ExportSubjectPublicKeyInfo())).ToLowerInvariant();
    }

    public static ManufacturingRecord For(string serial, string hardwareId, string certificateSha256, IEnumerable<byte[]> otaKeys, DateTimeOffset issuedAt) => new()
    {
        Serial = serial,
        HardwareId = hardwareId,
        CertificateSha256 = certificateSha256,
        OtaTrustKeyIds = otaKeys.Select(KeyId).ToArray(),
        IssuedAt = issuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
    };

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }) + "\n";
}
