using System;
using System.IO;
using System.Security.Cryptography;
using System.Linq;
using System.Text;
using SmartKey.Firmware.Ota;

namespace SmartKey.Ota;

/// <summary>
/// Builds MCUboot images as imgtool does (header, zero-padded to the header size, payload, protected TLVs: security counter 0x50 and
/// the SmartKey hardware id 0xa0; TLVs: SHA256 0x10, KEYHASH 0x01 = SHA-256 of the DER public key,
/// ECDSA_SIG 0x22 = DER ECDSA P-256 signature of the hash), signed with .NET's in-box ECDsa.
/// </summary>
public static class ImageSigner
{
    /// <param name="flags">The header's flags, as imgtool sets them for --compression, --rom-fixed, -E, --load-addr: locks take none
    /// (ImageFormat.SupportedFlags); other values only make images the lock, verify and the release upload must refuse.</param>
    public static byte[] Sign(byte[] payload, string version, uint securityCounter, string hardwareId, ECDsa key, int headerSize = ImageFormat.HeaderLength, uint flags = 0)
    {
        if (!SmartKey.Firmware.Text.Versions.TryParse(version, out int major, out int minor, out int revision, out long build))
            throw new ArgumentException($"'{version}' is not a version: major.minor.revision[.build] (0-255, 0-255, 0-65535, 0-4294967295)", nameof(version));
        if (payload.Length == 0) throw new ArgumentException("the payload is empty", nameof(payload));
        if (hardwareId.Length is < 1 or > OtaOffer.MaxHardwareId || hardwareId.Any(c => c < 0x21 || c > 0x7E))
            throw new ArgumentException("the hardware id is 1 to 32 printable ASCII characters", nameof(hardwareId));
        if (key.KeySize != 256) throw new ArgumentException("the signing key must be ECDSA P-256", nameof(key));
        if (headerSize is < ImageFormat.HeaderLength or > 4096)
            throw new ArgumentException($"header size {headerSize} is outside 32 to 4096 bytes (the target's MCUboot header size, e.g. 0x20, 0x200, 0x400)");

        var prot = new TlvWriter(ImageFormat.ProtectedTlvInfoMagic);
        prot.Add(ImageFormat.TlvSecurityCounter, BitConverter.GetBytes(securityCounter));
        prot.Add(ImageFormat.TlvHardwareId, Encoding.ASCII.GetBytes(hardwareId));
        byte[] protectedArea = prot.ToArray();

        var image = new MemoryStream();
        var header = new byte[headerSize];
        BitConverter.GetBytes(ImageFormat.Magic).CopyTo(header, 0);
        BitConverter.GetBytes((ushort)headerSize).CopyTo(header, 8);
        BitConverter.GetBytes((ushort)protectedArea.Length).CopyTo(header, 10);
        BitConverter.GetBytes((uint)payload.Length).CopyTo(header, 12);
        BitConverter.GetBytes(flags).CopyTo(header, 16);
        header[20] = (byte)major;
        header[21] = (byte)minor;
        BitConverter.GetBytes((ushort)revision).CopyTo(header, 22);
        BitConverter.GetBytes((uint)build).CopyTo(header, 24);
        image.Write(header);
        image.Write(payload);
        image.Write(protectedArea);
        byte[] digest = SHA256.HashData(image.ToArray());

        var tlvs = new TlvWriter(ImageFormat.TlvInfoMagic);
        tlvs.Add(ImageFormat.TlvSha256, digest);
        tlvs.Add(ImageFormat.TlvKeyHash, SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
        tlvs.Add(ImageFormat.TlvEcdsaSignature, key.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence));
        image.Write(tlvs.ToArray());
        return image.ToArray();
    }

    /// <summary>
    /// imgtool's image trailer size for a swap upgrade without encryption: 128 sectors x 3 status bytes per write
    /// unit, four fields of max-align (8) bytes (image_ok, copy_done, swap_info, swap_size), the 16-byte magic.
    /// </summary>
    public static int TrailerLength(int align) =>
        align is 1 or 2 or 4 or 8 or 16 or 32 ? 128 * 3 * align + 4 * 8 + 16 : throw new ArgumentException($"alignment {align} is not 1, 2, 4, 8, 16 or 32");

    /// <summary>A size as imgtool takes it: decimal or 0x-prefixed hexadecimal.</summary>
    public static int ParseSize(string text, string option)
    {
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (int.TryParse(hex ? text[2..] : text, hex ? System.Globalization.NumberStyles.AllowHexSpecifier : System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out int value)) return value;
        throw new ArgumentException($"{option} '{text}' is not a size in bytes (decimal, or hexadecimal with 0x)");
    }

    /// <summary>Refuses an image that would not fit in a slot of slotSize bytes with MCUboot's image trailer (slotSize 0: no slot given).</summary>
    public static void CheckFits(int imageLength, int slotSize, int align)
    {
        int trailer = TrailerLength(align);
        if (slotSize < 0) throw new ArgumentException($"slot size {slotSize} is negative");
        if (slotSize > 0 && imageLength + trailer > slotSize)
            throw new ArgumentException($"the image ({imageLength} bytes) and MCUboot's image trailer ({trailer} bytes) do not fit in the {slotSize}-byte slot (0x{slotSize:x}): shrink the payload or use a larger slot");
    }

    /// <summary>The offer the OTA server announces for a signed image.</summary>
    public static OtaOffer OfferFor(byte[] image)
    {
        var info = ImageInspector.Inspect(image);
        if (info.Error != OtaError.None) throw new InvalidDataException("not a valid image: " + info.ErrorText);
        return new OtaOffer
        {
            Major = info.Header!.Major, Minor = info.Header.Minor, Revision = info.Header.Revision, Build = info.Header.Build,
            ImageSize = image.Length, SecurityCounter = info.SecurityCounter ?? 0, ImageHash = info.Hash!, HardwareId = info.HardwareId ?? "",
        };
    }

    /// <summary>The uncompressed public point (65 bytes) of a P-256 key, as the lock stores its trust keys.</summary>
    public static byte[] PublicPoint(ECDsa key)
    {
        var q = key.ExportParameters(false).Q;
        var point = new byte[65];
        point[0] = 4;
        q.X!.CopyTo(point, 1);
        q.Y!.CopyTo(point, 33);
        return point;
    }

    private sealed class TlvWriter
    {
        private readonly ushort _magic;
        private readonly MemoryStream _body = new();

        public TlvWriter(ushort magic) => _magic = magic;

        public void Add(int type, byte[] value)
        {
            _body.Write(BitConverter.GetBytes((ushort)type));
            _body.Write(BitConverter.GetBytes((ushort)value.Length));
            _body.Write(value);
        }

        public byte[] ToArray()
        {
            var area = new byte[4 + _body.Length];
            BitConverter.GetBytes(_magic).CopyTo(area, 0);
            BitConverter.GetBytes((ushort)area.Length).CopyTo(area, 2);
            _body.ToArray().CopyTo(area, 4);
            return area;
        }
    }
}
