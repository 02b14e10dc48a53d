using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using SmartKey.Firmware.Ota;

namespace SmartKey.Ota;

/// <summary>Parses an image with the firmware's own parser (ImageHeader, TlvIterator) and lists every field.</summary>
public static class ImageInspector
{
    public sealed record Info(ImageHeader? Header, List<(bool isProtected, int type, byte[] value)> Tlvs, byte[]? Hash, uint? SecurityCounter,
        string? HardwareId, bool HashMatches, byte Error, string ErrorText);

    public static Info Inspect(byte[] image)
    {
        var tlvs = new List<(bool, int, byte[])>();
        byte error = ImageHeader.TryParse(image, 0, image.Length, int.MaxValue, out var header);
        if (error != OtaError.None) return new Info(null, tlvs, null, null, null, false, error, Describe(error));
        if (header.HashedLength + ImageFormat.TlvInfoLength > image.Length) return new Info(header, tlvs, null, null, null, false, OtaError.Truncated, Describe(OtaError.Truncated));
        int at = header.HeaderSize + header.ImageSize;
        byte[]? hash = null;
        uint? counter = null;
        string? hardware = null;
        foreach (var (isProtected, magic, length) in new[] { (true, ImageFormat.ProtectedTlvInfoMagic, header.ProtectedTlvSize), (false, ImageFormat.TlvInfoMagic, image.Length - header.HashedLength) })
        {
            if (isProtected && length == 0) continue;
            int start = isProtected ? at : header.HashedLength;
            error = TlvIterator.TryOpen(image, start, image.Length - start, magic, out var iterator, out int area);
            if (error != OtaError.None) return new Info(header, tlvs, hash, counter, hardware, false, error, Describe(error));
            if (area != length) return new Info(header, tlvs, hash, counter, hardware, false, OtaError.BadTlv, "TLV area length does not match the image");
            while (iterator.Next(out int type, out int offset, out int len, out error))
            {
                byte[] value = image[offset..(offset + len)];
                tlvs.Add((isProtected, type, value));
                if (type == ImageFormat.TlvSha256) hash = value;
                if (type == ImageFormat.TlvSecurityCounter && len == 4) counter = BitConverter.ToUInt32(value);
                if (type == ImageFormat.TlvHardwareId) hardware = Encoding.ASCII.GetString(value);
            }

            if (error != OtaError.None) return new Info(header, tlvs, hash, counter, hardware, false, error, Describe(error));
        }

        bool matches = hash != null && SHA256.HashData(image.AsSpan(0, header.HashedLength)).AsSpan().SequenceEqual(hash);
        return new Info(header, tlvs, hash, counter, hardware, matches, OtaError.None, "ok");
    }

    public static string TlvName(int type) => type switch
    {
        ImageFormat.TlvKeyHash => "KEYHASH",
        ImageFormat.TlvSha256 => "SHA256",
        ImageFormat.TlvEcdsaSignature => "ECDSA_SIG",
        ImageFormat.TlvSecurityCounter => "SEC_CNT",
        ImageFormat.TlvHardwareId => "HW_ID (custom)",
        _ => "0x" + type.ToString("x2"),
    };

    public static string Describe(byte error) => error switch
    {
        OtaError.None => "ok",
        OtaError.BadOffer => "malformed offer",
        OtaError.BatteryLow => "battery too low for an update",
        OtaError.Downgrade => "not newer than the running firmware",
        OtaError.SecurityCounterTooLow => "security counter below the lock's (anti-rollback)",
        OtaError.WrongHardware => "built for another hardware",
        OtaError.TooLarge => "larger than the slot",
        OtaError.BadChunk => "chunk out of order",
        OtaError.BadMagic => "not an MCUboot image (bad magic)",
        OtaError.BadHeader => "bad image header",
        OtaError.BadTlv => "bad TLV area",
        OtaError.Truncated => "truncated image",
        OtaError.HashMismatch => "hash does not match (corrupted or tampered)",
        OtaError.UnknownKey => "signed with a key the lock does not trust",
        OtaError.BadSignature => "bad signature",
        OtaError.SlotError => "firmware slot error",
        OtaError.SelfTestFailed => "the new image failed its self-test",
        OtaError.Busy => "an update is already being applied",
        OtaError.NotDownloading => "no download in progress",
        OtaError.OfferMismatch => "image does not match its offer",
        _ => "error " + error,
    };
}
