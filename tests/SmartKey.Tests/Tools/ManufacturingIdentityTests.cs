using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SmartKey.Ota;
using SmartKey.Phone;
using SmartKey.Technician;
using SmartKey.Technician.Pki;
using Xunit;

namespace SmartKey.Tests.Tools;

/// <summary>The manufacturing CA and each lock's broker identity in its kit: files, deployment, record, CLI.</summary>
public sealed class ManufacturingIdentityTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("smartkey-identity-").FullName;
    private readonly ECDsa _vendor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly CertificateAuthority _factory = CertificateAuthority.Create("Test Manufacturing CA", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(30));
    private readonly CertificateAuthority _operator = CertificateAuthority.Create("Test Operator CA", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(30));

    public void Dispose()
    {
        _vendor.Dispose();
        _factory.Dispose();
        _operator.Dispose();
        Directory.Delete(_folder, true);
    }

    private ProvisioningKit Kit(string serial, string code = "4071936285") =>
        ProvisioningKit.Create(serial, code, new[] { ImageSigner.PublicPoint(_vendor) }, _factory, _operator.Certificate, "smartkey-esp32-v1", DateTimeOffset.UtcNow);

    [Fact]
    public void CaInitWritesCertificateOwnerOnlyKeyAndEmptyListOnceAndLoadsBack()
    {
        string ca = Path.Combine(_folder, "ca");
        var written = _factory.Save(ca);
        Assert.Equal(new[] { "ca.cert.pem", "ca.key.pem", "crl.pem" }, written.Select(Path.GetFileName));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(ca, "ca.key.pem")));
        using var loaded = CertificateAuthority.Load(ca);
        Assert.Equal(_factory.Certificate.RawData, loaded.Certificate.RawData);
        Assert.True(loaded.Certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, loaded.Certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        var crl = CertificateRevocationListBuilder.LoadPem(File.ReadAllText(Path.Combine(ca, "crl.pem")), out var number);
        Assert.Equal(1, (int)number);
        Assert.Throws<IOException>(() => _factory.Save(ca));
        Assert.Equal(loaded.Certificate.ExportCertificatePem() + "\n", File.ReadAllText(Path.Combine(ca, "ca.cert.pem")));

        // A key that is not the certificate's is refused.
        File.WriteAllText(Path.Combine(ca, "ca.key.pem"), _vendor.ExportPkcs8PrivateKeyPem());
        Assert.Throws<CryptographicException>(() => CertificateAuthority.Load(ca));
        Assert.Throws<IOException>(() => CertificateAuthority.Load(Path.Combine(_folder, "no-such-ca")));
    }

    [Fact]
    public void TheKitCarriesTheLocksOwnCertificateKeyAndTheBrokerCaToItsDrive()
    {
        var kit = Kit("SK-ID-0001");
        var written = kit.WriteTo(_folder, "COM5");
        Assert.Equal(new[] { "service.txt", "mqtt-ca.der", "mqtt-client.der", "mqtt-client.key", "deploy.json", "label.svg", "label.png", "label.txt", "manufacturing.json" }, written.Select(Path.GetFileName));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "deploy.json")));
        var deployed = json.RootElement.GetProperty("files").EnumerateArray()
            .Select(f => (to: f.GetProperty("DestinationFilePath").GetString()!, from: Path.GetFileName(f.GetProperty("SourceFilePath").GetString()!))).ToArray();
        Assert.Equal(new[] { ("I:\\service.txt", "service.txt"), ("I:\\mqtt-ca.der", "mqtt-ca.der"), ("I:\\mqtt-client.der", "mqtt-client.der"), ("I:\\mqtt-client.key", "mqtt-client.key") }, deployed);

        Assert.Equal(_operator.Certificate.RawData, File.ReadAllBytes(Path.Combine(_folder, "mqtt-ca.der")));
        using var certificate = X509CertificateLoader.LoadCertificate(File.ReadAllBytes(Path.Combine(_folder, "mqtt-client.der")));
        Assert.Equal("CN=SK-ID-0001", certificate.Subject);
        Assert.Equal(_factory.Certificate.Subject, certificate.Issuer);
        Assert.Equal("1.3.6.1.5.5.7.3.2", certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Single().Value);
        Assert.True(certificate.NotAfter > DateTime.UtcNow.AddYears(24));
        using (var chain = new X509Chain())
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(_factory.Certificate);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            Assert.True(chain.Build(certificate));
        }

        string keyPem = File.ReadAllText(Path.Combine(_folder, "mqtt-client.key"));
        Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----", keyPem);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, "mqtt-client.key")));
        using var key = ECDsa.Create();
        key.ImportFromPem(keyPem);
        using var certificateKey = certificate.GetECDsaPublicKey()!;
        Assert.Equal(certificateKey.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
        Assert.Equal(256, key.KeySize);

        // The host link reads the same three files the ESP32 app reads from I:.
        var endpoint = SmartKey.Hal.Simulated.Mqtt.BrokerEndpoint.FromLockFiles("127.0.0.1", 8883, Path.Combine(_folder, "mqtt-ca.der"), Path.Combine(_folder, "mqtt-client.der"), Path.Combine(_folder, "mqtt-client.key"));
        Assert.True(endpoint.ClientCertificate!.HasPrivateKey);
        Assert.Throws<IOException>(() => SmartKey.Hal.Simulated.Mqtt.BrokerEndpoint.FromLockFiles("127.0.0.1", 8883, Path.Combine(_folder, "mqtt-ca.der"), Path.Combine(_folder, "missing.der"), Path.Combine(_folder, "mqtt-client.key")));
        Assert.Throws<CryptographicException>(() => SmartKey.Hal.Simulated.Mqtt.BrokerEndpoint.FromLockFiles("127.0.0.1", 8883, Path.Combine(_folder, "mqtt-ca.der"), Path.Combine(_folder, "mqtt-client.der"), Path.Combine(_folder, "label.txt")));
    }

    [Fact]
    public void TheManufacturingRecordHasTheDocumentedFieldsAndNoSecret()
    {
        var kit = Kit("SK-ID-0002", "5820417396");
        kit.WriteTo(_folder, "COM5");
        string text = File.ReadAllText(Path.Combine(_folder, ManufacturingRecord.FileName));
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal(new[] { "format", "serial", "hardwareId", "certificateSha256", "otaTrustKeyIds", "issuedAt" }, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("smartkey-manufacturing-record/1", root.GetProperty("format").GetString());
        Assert.Equal("SK-ID-0002", root.GetProperty("serial").GetString());
        Assert.Equal("smartkey-esp32-v1", root.GetProperty("hardwareId").GetString());
        Assert.Equal(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(_folder, "mqtt-client.der")))).ToLowerInvariant(), root.GetProperty("certificateSha256").GetString());
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$", root.GetProperty("issuedAt").GetString());
        Assert.True(Math.Abs((DateTimeOffset.Parse(root.GetProperty("issuedAt").GetString()!) - DateTimeOffset.UtcNow).TotalMinutes) < 5);

        // The OTA key id is the KEYHASH TLV of an image the vendor key signs (MCUboot's computation).
        var keyIds = root.GetProperty("otaTrustKeyIds").EnumerateArray().Select(e => e.GetString()).ToArray();
        var image = ImageSigner.Sign(new byte[256], "1.0.1", 1, "smartkey-esp32-v1", _vendor);
        byte[] keyHash = ImageInspector.Inspect(image).Tlvs.Single(t => t.type == SmartKey.Firmware.Ota.ImageFormat.TlvKeyHash).value;
        Assert.Equal(new[] { Convert.ToHexString(keyHash).ToLowerInvariant() }, keyIds);

        var (w0, l) = SetupCode.Verifier("5820417396", "SK-ID-0002");
        string keyBody = string.Concat(File.ReadAllText(Path.Combine(_folder, "mqtt-client.key")).Split('\n').Where(line => !line.StartsWith("-----")));
        foreach (string secret in new[] { "5820417396", Convert.ToHexString(w0).ToLowerInvariant(), Convert.ToHexString(l).ToLowerInvariant(), keyBody, "PRIVATE" })
            Assert.DoesNotContain(secret, text);
    }

    [Fact]
    public void ALocksCertificateNeverOutlivesItsCa()
    {
        using var shortLived = CertificateAuthority.Create("Short CA", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
        var kit = ProvisioningKit.Create("SK-ID-0003", null, new[] { ImageSigner.PublicPoint(_vendor) }, shortLived, _operator.Certificate, "smartkey-esp32-v1", DateTimeOffset.UtcNow);
        Assert.Equal(shortLived.Certificate.NotAfter, kit.ClientIdentity!.Certificate.NotAfter);
    }

    [Theory]
    [InlineData("SK/1")]
    [InlineData("SK+1")]
    [InlineData("SK#1")]
    [InlineData("smartkey-ota-server")]
    [InlineData("SMARTKEY-anything")]
    public void SerialsThatWouldWidenABrokerRuleAreRefused(string serial)
    {
        var error = Assert.Throws<ArgumentException>(() => Kit(serial));
        Assert.Contains("serial", error.Message);
    }

    [Fact]
    public void TheCommandLineMakesTheCaProvisionsALockAndRevokesIt()
    {
        string ca = Path.Combine(_folder, "factory-ca"), kit = Path.Combine(_folder, "kit"), vendor = Path.Combine(_folder, "vendor.pub.pem"), brokerCa = Path.Combine(_folder, "broker-ca.pem");
        File.WriteAllText(vendor, _vendor.ExportSubjectPublicKeyInfoPem());
        File.WriteAllText(brokerCa, _operator.Certificate.ExportCertificatePem());
        string config = Path.Combine(RepoPaths.Root, "nf.config");

        Assert.Equal(0, Tech(out string init, "ca", "init", "--out", ca));
        Assert.Contains("ca.key.pem", init);
        Assert.Equal(2, Tech(out string again, "ca", "init", "--out", ca));
        Assert.Contains("exists", again);
        Assert.Equal(0, Tech(out string made, "provision", "--serial", "SK-CLI-0001", "--ota-key", vendor, "--out", kit, "--ca", ca, "--broker-ca", brokerCa, "--nf-config", config));
        Assert.Contains("CN=SK-CLI-0001", made);
        using var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(kit, "manufacturing.json")));
        Assert.Equal("smartkey-esp32-v1", record.RootElement.GetProperty("hardwareId").GetString());
        Assert.Equal(2, Tech(out string noCa, "provision", "--serial", "SK-CLI-0002", "--ota-key", vendor, "--out", Path.Combine(_folder, "kit2"), "--ca", Path.Combine(_folder, "nope"), "--broker-ca", brokerCa, "--nf-config", config));
        Assert.Contains("ca init", noCa);
        Assert.False(Directory.Exists(Path.Combine(_folder, "kit2")));

        Assert.Equal(0, Tech(out string revoked, "ca", "revoke", "--ca", ca, "--cert", Path.Combine(kit, "mqtt-client.der")));
        Assert.Contains("CN=SK-CLI-0001", revoked);
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(kit, "mqtt-client.der"));
        var crl = CertificateRevocationListBuilder.LoadPem(File.ReadAllText(Path.Combine(ca, "crl.pem")), out var number);
        Assert.Equal(2, (int)number);
        Assert.True(crl.RemoveEntry(certificate.SerialNumberBytes.Span));
        Assert.False(crl.RemoveEntry(certificate.SerialNumberBytes.Span));
        Assert.Equal(2, Tech(out string foreign, "ca", "revoke", "--ca", ca, "--cert", brokerCa));
        Assert.Contains("was not issued by", foreign);
    }

    private static int Tech(out string output, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "smartkey-tech.dll"));
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        output = process.StandardOutput.ReadToEnd() + stderr.Result;
        process.WaitForExit();
        return process.ExitCode;
    }
}
