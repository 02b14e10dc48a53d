using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using SmartKey.Firmware.Ota;

namespace SmartKey.Ota;

/// <summary>
/// Parses an image with the firmware's own parser (ImageHeader, TlvIterator) and lists every field, including
/// what imgtool --pad puts after the TLV areas. Error is the structure's verdict; Problem adds what any lock
/// refuses whatever its keys (hash mismatch, no hardware id, no security counter, no signing key named).
/// </summary>
public static class ImageInspector
{
    /// <summary>MCUboot's boot magic, the last 16 bytes of a slot whose image asks to be swapped in.</summary>
    public static readonly byte[] BootMagic = Convert.FromHexString("77c295f360d2ef7f3552500f2cb67980");

    public sealed record Info(ImageHeader? Header, List<(bool isProtected, int type, byte[] value)> Tlvs, byte[]? Hash, uint? SecurityCounter,
        string? HardwareId, bool HashMatches, byte Error, string ErrorText)
    {
        /// <summary>Bytes of both TLV areas (0 when the structure is bad).</summary>
        public int TlvLength { get; init; }

        /// <summary>Bytes after the TLV areas: imgtool --pad's erased bytes and image trailer.</summary>
        public int PaddingLength { get; init; }

        /// <summary>What the image trailer at the end of a padded image asks MCUboot for, or null when there is none.</summary>
        public string? BootTrailer { get; init; }

        public byte Problem { get; init; }

        public string ProblemText { get; init; } = "ok";

        /// <summary>The image up to the end of its TLV areas: what is signed or describes the signature.</summary>
        public int SignedLength => Header == null ? 0 : Header.HeaderSize + Header.ImageSize + TlvLength;
    }

    public static Info Inspect(byte[] image)
    {
        var tlvs = new List<(bool, int, byte[])>();
        byte error = ImageHeader.TryParse(image, 0, image.Length, int.MaxValue, out var header);
        if (error == OtaError.UnsupportedFlags) return Failed(null, tlvs, error, DescribeFlags(BitConverter.ToUInt32(image, 16)));
        if (error != OtaError.None) return Failed(null, tlvs, error, Describe(error));
        if (header.HashedLength + ImageFormat.TlvInfoLength > image.Length) return Failed(header, tlvs, OtaError.Truncated, Describe(OtaError.Truncated));
        int at = header.HeaderSize + header.ImageSize;
        error = TlvIterator.TryMeasure(image, at, image.Length - at, header.ProtectedTlvSize, out int tlvLength);
        if (error != OtaError.None) return Failed(header, tlvs, error, error == OtaError.BadTlv ? "bad TLV area: no TLV info (magic 0x6907) after the protected TLVs" : Describe(error));
        if (at + tlvLength > image.Length) return Failed(header, tlvs, OtaError.Truncated, Describe(OtaError.Truncated));
        byte[]? hash = null;
        uint? counter = null;
        string? hardware = null;
        int keyTlvs = 0, signatures = 0;
        foreach (var (isProtected, magic, start, length) in new[]
                 {
                     (true, ImageFormat.ProtectedTlvInfoMagic, at, header.ProtectedTlvSize),
                     (false, ImageFormat.TlvInfoMagic, header.HashedLength, tlvLength - header.ProtectedTlvSize),
                 })
        {
            if (isProtected && length == 0) continue;
            error = TlvIterator.TryOpen(image, start, length, magic, out var iterator, out int area);
            if (error != OtaError.None) return Failed(header, tlvs, error, Describe(error));
            if (area != length) return Failed(header, tlvs, OtaError.BadTlv, "bad TLV area: the protected TLV size in the header does not match the area");
            while (iterator.Next(out int type, out int offset, out int len, out error))
            {
                byte[] value = image[offset..(offset + len)];
                tlvs.Add((isProtected, type, value));
                if (type == ImageFormat.TlvSha256) hash = value;
                if (type == ImageFormat.TlvSecurityCounter && len == 4) counter = BitConverter.ToUInt32(value);
                if (type == ImageFormat.TlvHardwareId) hardware = Encoding.ASCII.GetString(value);
                if (type is ImageFormat.TlvKeyHash or ImageFormat.TlvPublicKey) keyTlvs++;
                if (type == ImageFormat.TlvEcdsaSignature) signatures++;
            }

            if (error != OtaError.None) return Failed(header, tlvs, error, Describe(error));
        }

        bool matches = hash != null && SHA256.HashData(image.AsSpan(0, header.HashedLength)).AsSpan().SequenceEqual(hash);
        int padding = image.Length - at - tlvLength;
        var (problem, problemText) =
            hash == null ? (OtaError.BadTlv, "bad TLV area: no SHA256 TLV") :
            signatures != 1 ? (OtaError.BadTlv, "bad TLV area: no single ECDSA_SIG (0x22) TLV: sign with an ECDSA P-256 key (imgtool keygen -t ecdsa-p256)") :
            keyTlvs != 1 ? (OtaError.BadTlv, "bad TLV area: the image must name its signing key once (KEYHASH 0x01 or PUBKEY 0x02)") :
            !matches ? (OtaError.HashMismatch, Describe(OtaError.HashMismatch)) :
            hardware == null ? (OtaError.NoHardwareId, Describe(OtaError.NoHardwareId)) :
            counter == null ? (OtaError.NoSecurityCounter, Describe(OtaError.NoSecurityCounter)) :
            (OtaError.None, "ok");
        return new Info(header, tlvs, hash, counter, hardware, matches, OtaError.None, "ok")
        {
            TlvLength = tlvLength, PaddingLength = padding, BootTrailer = DescribeBootTrailer(image, padding), Problem = problem, ProblemText = problemText,
        };
    }

    /// <summary>
    /// Checks an image exactly as a lock would (the firmware's ImageVerifier, on the bytes up to the end of the TLV
    /// areas); the reason names what to change.
    /// </summary>
    public static (byte error, string reason) Verify(byte[] image, byte[] trustKey, string hardwareId, uint storedCounter, string runningVersion)
    {
        var info = Inspect(image);
        if (info.Error != OtaError.None) return (info.Error, info.ErrorText);
        var h = info.Header!;
        byte[] tlvs = image[(h.HeaderSize + h.ImageSize)..info.SignedLength];
        byte error = new ImageVerifier().Verify(h, SHA256.HashData(image.AsSpan(0, h.HashedLength)), tlvs, tlvs.Length,
            new[] { trustKey }, hardwareId, storedCounter, runningVersion);
        string reason = error switch
        {
            OtaError.None => "ok",
            OtaError.WrongHardware => $"{Describe(error)}: the image names '{info.HardwareId}', the lock is '{hardwareId}'",
            OtaError.SecurityCounterTooLow => $"{Describe(error)}: the image has {info.SecurityCounter}, the lock has {storedCounter}",
            OtaError.Downgrade => $"{Describe(error)}: the image is {h.Version}, the lock runs {runningVersion}",
            OtaError.BadTlv => info.Problem == OtaError.BadTlv ? info.ProblemText : Describe(error),
            _ => Describe(error),
        };
        return (error, reason);
    }

    private static Info Failed(ImageHeader? header, List<(bool, int, byte[])> tlvs, byte error, string text) =>
        new(header, tlvs, null, null, null, false, error, text) { Problem = error, ProblemText = text };

    /// <summary>imgtool --pad ends the slot with the boot magic; --confirm also sets image_ok (8 bytes before it at the default max-align 8).</summary>
    private static string? DescribeBootTrailer(byte[] image, int padding)
    {
        if (padding < BootMagic.Length + 8 || !image.AsSpan(image.Length - BootMagic.Length).SequenceEqual(BootMagic))
            return padding == 0 ? null : "none (no boot magic at the end)";
        return image[^24] == 0x01 ? "boot magic, image_ok set (imgtool --confirm: a permanent swap)" : "boot magic, image_ok unset (imgtool --pad/--test: a test swap)";
    }

    /// <summary>MCUboot's header flags (bootutil/image.h), by name: what a refusal of UnsupportedFlags names.</summary>
    private static readonly (uint flag, string name)[] FlagNames =
    {
        (0x1, "PIC"), (0x4, "ENCRYPTED_AES128"), (0x8, "ENCRYPTED_AES256"), (0x10, "NON_BOOTABLE"), (0x20, "RAM_LOAD"),
        (0x100, "ROM_FIXED"), (0x200, "COMPRESSED_LZMA1"), (0x400, "COMPRESSED_LZMA2"), (0x800, "COMPRESSED_ARM_THUMB_FLT"),
    };

    /// <summary>"unsupported image flags 0x400 (COMPRESSED_LZMA2): ...", naming each set flag the lock does not take.</summary>
    public static string DescribeFlags(uint flags)
    {
        var names = new List<string>();
        uint unsupported = flags & ~ImageFormat.SupportedFlags;
        uint known = 0;
        foreach (var (flag, name) in FlagNames)
        {
            known |= flag;
            if ((unsupported & flag) != 0) names.Add(name);
        }

        if ((unsupported & ~known) != 0) names.Add("unknown 0x" + (unsupported & ~known).ToString("x"));
        return $"unsupported image flags 0x{unsupported:x} ({string.Join(", ", names)}): {Describe(OtaError.UnsupportedFlags)}";
    }

    public static string TlvName(int type) => type switch
    {
        ImageFormat.TlvKeyHash => "KEYHASH",
        ImageFormat.TlvPublicKey => "PUBKEY",
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
        OtaError.Downgrade => "not newer than the running firmware (sign with a higher -v/--version)",
        OtaError.SecurityCounterTooLow => "security counter below the lock's (anti-rollback; sign with -s/--security-counter at least the lock's)",
        OtaError.WrongHardware => "built for another hardware id",
        OtaError.TooLarge => "larger than the slot",
        OtaError.BadChunk => "chunk out of order",
        OtaError.BadMagic => "not an MCUboot image (bad magic)",
        OtaError.BadHeader => "bad image header (header size 32 to 4096)",
        OtaError.UnsupportedFlags => "the image header sets a flag the lock does not take (compressed, encrypted, RAM-load, ROM_FIXED, non-bootable or unknown; sign without -E/--compression/--load-addr/--rom-fixed/--non-bootable)",
        OtaError.BadTlv => "bad TLV area",
        OtaError.Truncated => "truncated image",
        OtaError.HashMismatch => "hash mismatch: the image changed after signing (corrupted or tampered)",
        OtaError.UnknownKey => "untrusted signing key: sign with the vendor key the lock was provisioned with",
        OtaError.BadSignature => "bad signature",
        OtaError.SlotError => "firmware slot error",
        OtaError.SelfTestFailed => "the new image failed its self-test",
        OtaError.Busy => "an update is already being applied",
        OtaError.NotDownloading => "no download in progress",
        OtaError.OfferMismatch => "image does not match its offer",
        OtaError.NoHardwareId => "the image names no hardware id (sign with imgtool --custom-tlv 0xa0 <hardware id>, or smartkey-ota --hardware-id)",
        OtaError.NoSecurityCounter => "the image has no security counter (sign with imgtool -s <counter> or -s auto)",
        _ => "error " + error,
    };
}
