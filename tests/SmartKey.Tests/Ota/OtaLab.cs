using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using SmartKey.Firmware.Ota;
using SmartKey.Ota;
using SmartKey.Phone;
using SmartKey.Tests.Protocol;

namespace SmartKey.Tests.Ota;

/// <summary>A paired lock that trusts the vendor test key, and images signed for it.</summary>
public sealed class OtaLab
{
    public const string Hardware = "smartkey-esp32-v1";
    public static readonly ECDsa Vendor = Key(1);
    public static readonly ECDsa Stranger = Key(2);

    public OtaLab(ulong seed = 1)
    {
        Lab = new Lab(seed, otaTrustKey: ImageSigner.PublicPoint(Vendor));
    }

    public Lab Lab { get; }

    public string Running => Lab.Device.Core.Firmware.Version;

    /// <summary>A deterministic P-256 key (test keys: never enrol them on a real lock).</summary>
    public static ECDsa Key(int n)
    {
        var d = SHA256.HashData(Encoding.ASCII.GetBytes("smartkey test ota key " + n));
        d[0] &= 0x7F;
        var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
        key.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d, Q = key.ExportParameters(false).Q });
        return key;
    }

    public static byte[] Payload(string version, int size = 3000, bool crash = false)
    {
        var text = Encoding.ASCII.GetBytes("SMARTKEY-FW " + version + " ");
        var payload = new byte[size];
        for (int i = 0; i < size; i++) payload[i] = (byte)(i * 31 + 7);
        text.CopyTo(payload, 0);
        if (crash) SmartKey.Simulator.SimulatedDevice.CrashMarker.CopyTo(payload, text.Length);
        return payload;
    }

    public static byte[] Image(string version, uint counter = 1, string hardware = Hardware, ECDsa? key = null, int size = 3000, bool crash = false) =>
        ImageSigner.Sign(Payload(version, size, crash), version, counter, hardware, key ?? Vendor);

    /// <summary>Sends the image over an owner session; returns the last reply.</summary>
    public PhoneSession.OtaReply Send(byte[] image, OtaOffer? offer = null, int maxChunks = int.MaxValue) =>
        Lab.WithSession(Lab.Owner!, s => s.SendImage(image, offer ?? ImageSigner.OfferFor(image), maxChunks: maxChunks));

    /// <summary>Lets the lock reboot into a marked image and run its self-test.</summary>
    public void Settle() => Lab.Device.Advance(8000);
}
