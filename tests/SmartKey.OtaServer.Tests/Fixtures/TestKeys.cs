using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using SmartKey.Firmware.Ota;
using SmartKey.Ota;

namespace SmartKey.OtaServer.Tests.Fixtures;

/// <summary>Deterministic test signing keys (never enrol them on a real lock) and images signed with them by smartkey-ota's signer.</summary>
public static class TestKeys
{
    public const string Hardware = "smartkey-esp32-v1";
    public static readonly ECDsa Vendor = Key(1);
    public static readonly ECDsa Stranger = Key(2);

    public static ECDsa Key(int n)
    {
        var d = SHA256.HashData(Encoding.ASCII.GetBytes("smartkey ota-server test key " + n));
        d[0] &= 0x7F;
        var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
        key.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d, Q = key.ExportParameters(false).Q });
        return key;
    }

    public static string VendorPoint => Convert.ToHexString(ImageSigner.PublicPoint(Vendor)).ToLowerInvariant();

    public static byte[] Payload(string version, int size, bool crash)
    {
        var payload = new byte[size];
        for (int i = 0; i < size; i++) payload[i] = (byte)(i * 31 + 7);
        var text = Encoding.ASCII.GetBytes("SMARTKEY-FW " + version + " ");
        text.CopyTo(payload, 0);
        if (crash) SmartKey.Simulator.SimulatedDevice.CrashMarker.CopyTo(payload, text.Length);
        return payload;
    }

    public static byte[] Image(string version, uint counter = 1, string hardware = Hardware, ECDsa? key = null, int size = 3000, bool crash = false) =>
        ImageSigner.Sign(Payload(version, size, crash), version, counter, hardware, key ?? Vendor);

    /// <summary>A well-formed image whose TLV area has the hash and key hash but no signature.</summary>
    public static byte[] Unsigned(string version)
    {
        byte[] signed = Image(version);
        ImageHeader.TryParse(signed, 0, signed.Length, int.MaxValue, out var header);
        var info = ImageInspector.Inspect(signed);
        var body = new MemoryStream();
        foreach (var tlv in info.Tlvs.Where(t => !t.isProtected && t.type != ImageFormat.TlvEcdsaSignature))
        {
            body.Write(BitConverter.GetBytes((ushort)tlv.type));
            body.Write(BitConverter.GetBytes((ushort)tlv.value.Length));
            body.Write(tlv.value);
        }

        var image = new MemoryStream();
        image.Write(signed, 0, header.HashedLength);
        image.Write(BitConverter.GetBytes(ImageFormat.TlvInfoMagic));
        image.Write(BitConverter.GetBytes((ushort)(4 + body.Length)));
        image.Write(body.ToArray());
        return image.ToArray();
    }

    public static string Record(string serial, string hardware = Hardware) =>
        $"{{\"format\":\"smartkey-manufacturing-record/1\",\"serial\":\"{serial}\",\"hardwareId\":\"{hardware}\",\"certificateSha256\":\"{Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes("cert " + serial))).ToLowerInvariant()}\",\"otaTrustKeyIds\":[\"{Convert.ToHexString(SHA256.HashData(Vendor.ExportSubjectPublicKeyInfo())).ToLowerInvariant()}\"],\"issuedAt\":\"2026-01-15T10:00:00Z\"}}";
}
