using System;
using System.Linq;
using System.Security.Cryptography;
using SmartKey.Firmware.Ota;
using SmartKey.Ota;

namespace SmartKey.OtaServer.Releases;

/// <summary>
/// Runs the lock's own parser (ImageHeader, TlvIterator) and verifier (ImageVerifier) over an uploaded image,
/// exactly as a lock trusting the configured keys would after its last chunk. The downgrade and anti-rollback
/// references are the newest release for the same hardware: a new release must be newer than it and carry
/// a security counter not below it.
/// </summary>
public static class ReleaseCheck
{
    public sealed record Verdict(byte Error, string Reason, ImageHeader? Header, string? HardwareId, uint SecurityCounter, byte[]? Hash)
    {
        public bool Accepted => Error == OtaError.None;
    }

    /// <summary>The version a first release for a hardware id is compared with: every real version is newer (the lock's verifier fails closed on an unparseable one).</summary>
    private const string NoReleaseYet = "0.0.0";

    public static Verdict Verify(byte[] image, byte[][] trustKeys, string[] hardwareIds, int maxImageBytes, Func<string, (string version, uint counter)?> newestFor)
    {
        if (image.Length == 0) return Refuse(OtaError.Truncated, "empty upload");
        byte parsed = ImageHeader.TryParse(image, 0, image.Length, maxImageBytes, out var header);
        if (parsed == OtaError.UnsupportedFlags) return Refuse(parsed, ImageInspector.DescribeFlags(BitConverter.ToUInt32(image, 16)));
        if (parsed != OtaError.None) return Refuse(parsed, ImageInspector.Describe(parsed));
        if (header.HashedLength + ImageFormat.TlvInfoLength > image.Length) return Refuse(OtaError.Truncated, ImageInspector.Describe(OtaError.Truncated));
        int trailerStart = header.HeaderSize + header.ImageSize;
        int trailerLength = image.Length - trailerStart;
        if (trailerLength > ImageFormat.MaxTrailerLength) return Refuse(OtaError.BadTlv, "TLV area larger than a lock accepts");

        var info = ImageInspector.Inspect(image);
        if (info.Error != OtaError.None) return Refuse(info.Error, info.ErrorText);
        if (!info.Tlvs.Any(t => t.type == ImageFormat.TlvEcdsaSignature)) return Refuse(OtaError.BadTlv, "unsigned image (no ECDSA_SIG TLV)");

        string? hardware = info.HardwareId;
        bool known = hardware != null && hardwareIds.Contains(hardware, StringComparer.Ordinal);
        var newest = known ? newestFor(hardware!) : null;
        byte[] trailer = image[trailerStart..];
        byte[] digest = SHA256.HashData(image.AsSpan(0, header.HashedLength));
        var verifier = new ImageVerifier();
        byte verdict = verifier.Verify(header, digest, trailer, trailerLength, trustKeys, known ? hardware : "", newest?.counter ?? 0, newest?.version ?? NoReleaseYet);
        if (verdict != OtaError.None)
        {
            string reason = ImageInspector.Describe(verdict);
            if (verdict == OtaError.WrongHardware) reason += $" ('{hardware}' is not one of {string.Join(", ", hardwareIds)})";
            if (verdict == OtaError.Downgrade) reason += $" (newest release for {hardware} is {newest?.version})";
            if (verdict == OtaError.SecurityCounterTooLow) reason += $" (newest release for {hardware} has counter {newest?.counter})";
            return Refuse(verdict, reason);
        }

        return new Verdict(OtaError.None, "ok", header, hardware, verifier.SecurityCounter, digest);
    }

    private static Verdict Refuse(byte error, string reason) => new(error, reason, null, null, 0, null);
}
