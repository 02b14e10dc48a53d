using System;
using System.Security.Cryptography;
using SmartKey.Firmware.Ota;

namespace SmartKey.Fuzz;

/// <summary>
/// An OTA image as the lock checks it (the path of `smartkey-ota verify` and the update agent): header,
/// protected and unprotected TLV areas, hash, key and signature against a fixed trust key, and the offer
/// decoder on the same bytes. Only an image signed by that key may be called valid.
/// </summary>
public sealed class OtaImageTarget : IFuzzTarget
{
    public const string HardwareId = "smartkey-esp32-rev1";

    /// <summary>The fuzzing key: a fixed scalar, so the checked-in seeds stay valid (never a real vendor key).</summary>
    public static ECDsa Key()
    {
        var d = new byte[32];
        d[31] = 0x5A;
        d[0] = 0x11;
        var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
        return key;
    }

    private static readonly byte[] TrustKey = SmartKey.Ota.ImageSigner.PublicPoint(Key());

    public string Name => "ota";

    public void Run(byte[] image)
    {
        OtaOffer.Decode(image, 0, image.Length);
        byte error = ImageHeader.TryParse(image, 0, image.Length, 1 << 20, out var header);
        if (error != OtaError.None) return;
        if (header.HeaderSize < ImageFormat.HeaderLength || header.ImageSize <= 0) throw new InvariantBroken("header accepted with impossible sizes");
        if (header.HashedLength > image.Length) return;
        byte[] trailer = image[(header.HeaderSize + header.ImageSize)..];
        var verifier = new ImageVerifier();
        error = verifier.Verify(header, SHA256.HashData(image.AsSpan(0, header.HashedLength)), trailer, trailer.Length, new[] { TrustKey }, HardwareId, 0, "0.0.0");
        if (error == OtaError.None && !SignedByTrustKey(image, header)) throw new InvariantBroken("an image not signed by the trust key was called valid");
    }

    /// <summary>Independent of the firmware's parser: does the image end in a SHA256 + signature that .NET's ECDSA accepts?</summary>
    private static bool SignedByTrustKey(byte[] image, ImageHeader header)
    {
        using var key = Key();
        byte[] digest = SHA256.HashData(image.AsSpan(0, header.HashedLength));
        // Scan the unprotected area for a DER signature TLV: type 0x22, length, value.
        for (int at = header.HashedLength + 4; at + 4 <= image.Length; at++)
        {
            int type = image[at] | (image[at + 1] << 8), length = image[at + 2] | (image[at + 3] << 8);
            if (type == ImageFormat.TlvEcdsaSignature && at + 4 + length <= image.Length &&
                key.VerifyHash(digest, image.AsSpan(at + 4, length), DSASignatureFormat.Rfc3279DerSequence))
                return true;
        }

        return false;
    }
}
