using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SmartKey.Ota;
using SmartKey.Phone;
using SmartKey.Simulator;
using SmartKey.Technician;
using Xunit;

namespace SmartKey.Tests.Tools;

/// <summary>The technician's provisioning kit: its service line provisions a lock an owner then pairs with the label's code.</summary>
public sealed class TechnicianTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "smartkey-kit-" + Guid.NewGuid());
    private readonly ECDsa _vendor = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _vendor.Dispose();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
    }

    [Fact]
    public void TheKitsServiceFileProvisionsALockThatPairsWithTheLabelsCode()
    {
        var kit = ProvisioningKit.Create("SK-TECH-0001", null, new[] { ImageSigner.PublicPoint(_vendor) });
        var written = kit.WriteTo(_folder, "COM7");
        Assert.Equal(5, written.Count);          // service.txt, deploy.json, label.svg, label.png, label.txt

        // What the ESP32 app does with I:\service.txt: its bytes go into the service console.
        var device = new SimulatedDevice(EmbeddedConfig.Load(), 21);
        device.Boot();
        device.Hardware.Console.Type(File.ReadAllBytes(Path.Combine(_folder, ProvisioningKit.ServiceFileName)));
        device.Advance(20);
        Assert.Equal("ok provisioned SK-TECH-0001", device.Hardware.Console.TakeOutput().Trim());
        Assert.Equal(ImageSigner.PublicPoint(_vendor), device.Core.Identity.Current!.OtaTrustKeys[0]);

        var phone = new SmartKeyPhone(new SimulatedPhoneTransport(device));
        phone.Connect();
        var owner = phone.Pair(kit.SetupCode, kit.Serial, "owner");
        Assert.True(owner.IsOwner);
    }

    [Fact]
    public void DeployJsonCopiesTheServiceFileToTheLocksDrive()
    {
        var kit = ProvisioningKit.Create("SK-TECH-0002", "4071936285", new[] { ImageSigner.PublicPoint(_vendor) });
        kit.WriteTo(_folder, "COM9");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "deploy.json")));
        Assert.Equal("COM9", json.RootElement.GetProperty("serialport").GetString());
        var file = json.RootElement.GetProperty("files").EnumerateArray().Single();
        Assert.Equal("I:\\service.txt", file.GetProperty("DestinationFilePath").GetString());
        Assert.Equal(kit.ServiceLine + "\n", File.ReadAllText(file.GetProperty("SourceFilePath").GetString()!));

        string svg = File.ReadAllText(Path.Combine(_folder, "label.svg"));
        Assert.Contains("<svg", svg);
        Assert.Contains("<rect", svg);
        Assert.Equal("SMARTKEY:1:SK-TECH-0002:4071936285", kit.LabelPayload);
        Assert.Contains("setup code 4071936285", File.ReadAllText(Path.Combine(_folder, "label.txt")));
    }

    [Fact]
    public void TheServiceLineCarriesTheVerifierNeverTheCode()
    {
        var kit = ProvisioningKit.Create("SK-TECH-0003", "5820417396", new[] { ImageSigner.PublicPoint(_vendor) });
        var (w0, l) = SetupCode.Verifier("5820417396", "SK-TECH-0003");
        string[] words = kit.ServiceLine.Split(' ');
        Assert.Equal(new[] { "provision", "SK-TECH-0003", Convert.ToHexString(w0).ToLowerInvariant(), Convert.ToHexString(l).ToLowerInvariant(), Convert.ToHexString(ImageSigner.PublicPoint(_vendor)).ToLowerInvariant() }, words);
        Assert.DoesNotContain("5820417396", kit.ServiceLine);
        Assert.True(kit.ServiceLine.Length < SmartKey.Firmware.Console.ServiceConsole.MaxLineLength);
    }

    public static IEnumerable<object?[]> BadRequests() => new[]
    {
        new object?[] { "SK 0001", null, 1, "serial" },
        new object?[] { "", null, 1, "serial" },
        new object?[] { new string('S', 33), null, 1, "serial" },
        new object?[] { "SK:1", null, 1, "serial" },
        new object?[] { "SK-1", "1234", 1, "8 to 32 digits" },
        new object?[] { "SK-1", "12345678a", 1, "8 to 32 digits" },
        new object?[] { "SK-1", "11111111", 1, "too easy" },
        new object?[] { "SK-1", "23456789", 1, "too easy" },
        new object?[] { "SK-1", null, 0, "OTA trust keys" },
        new object?[] { "SK-1", null, 3, "OTA trust keys" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void BadRequestsAreRefusedWithAReason(string serial, string? code, int keys, string reason)
    {
        var points = Enumerable.Range(0, keys).Select(_ => ImageSigner.PublicPoint(_vendor)).ToList();
        var error = Assert.Throws<ArgumentException>(() => ProvisioningKit.Create(serial, code, points));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void AKeyThatIsNotAP256PointIsRefused()
    {
        byte[] point = ImageSigner.PublicPoint(_vendor);
        point[64] ^= 1;     // off the curve
        Assert.Throws<ArgumentException>(() => ProvisioningKit.Create("SK-1", null, new[] { point }));
    }

    [Fact]
    public void KeyFilesAreReadAsPemAndOthersRefused()
    {
        Directory.CreateDirectory(_folder);
        string pub = Path.Combine(_folder, "vendor.pub.pem");
        string priv = Path.Combine(_folder, "vendor.pem");
        string garbage = Path.Combine(_folder, "garbage.pem");
        string p384 = Path.Combine(_folder, "p384.pem");
        File.WriteAllText(pub, _vendor.ExportSubjectPublicKeyInfoPem());
        File.WriteAllText(priv, _vendor.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(garbage, "not a key");
        using (var other = ECDsa.Create(ECCurve.NamedCurves.nistP384)) File.WriteAllText(p384, other.ExportSubjectPublicKeyInfoPem());

        Assert.Equal(ImageSigner.PublicPoint(_vendor), ProvisioningKit.ReadPublicPoint(pub));
        Assert.Contains("is a private key", Assert.Throws<ArgumentException>(() => ProvisioningKit.ReadPublicPoint(priv)).Message);
        Assert.Throws<FormatException>(() => ProvisioningKit.ReadPublicPoint(garbage));
        Assert.Throws<FormatException>(() => ProvisioningKit.ReadPublicPoint(p384));
    }

    [Fact]
    public void AKitIsNeverWrittenOverAnother()
    {
        var first = ProvisioningKit.Create("SK-TECH-0004", null, new[] { ImageSigner.PublicPoint(_vendor) });
        first.WriteTo(_folder, "COM3");
        string before = File.ReadAllText(Path.Combine(_folder, ProvisioningKit.ServiceFileName));
        var second = ProvisioningKit.Create("SK-TECH-0005", null, new[] { ImageSigner.PublicPoint(_vendor) });
        Assert.Throws<IOException>(() => second.WriteTo(_folder, "COM3"));
        Assert.Equal(before, File.ReadAllText(Path.Combine(_folder, ProvisioningKit.ServiceFileName)));
    }
}
