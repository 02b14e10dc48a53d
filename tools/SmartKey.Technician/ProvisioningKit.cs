using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SmartKey.Firmware.Crypto.P256;
using SmartKey.Firmware.Identity;
using SmartKey.Phone;

namespace SmartKey.Technician;

/// <summary>
/// Everything one lock needs at the end of the line: its serial, a fresh setup code for the label, the
/// console line that provisions (serial, w0, L, OTA trust keys) and the label's QR payload. The setup
/// code itself never goes to the lock; it leaves this tool only on the label. With a manufacturing CA the kit
/// also holds the lock's broker identity (a P-256 key and a client certificate with CN = serial, and the
/// broker's CA certificate), which deploy.json copies to the lock's drive, and the manufacturing record.
/// </summary>
public sealed class ProvisioningKit
{
    public const string ServiceFileName = "service.txt";
    public const string DeviceServicePath = "I:\\service.txt";
    public const int MaxOtaKeys = 2;

    /// <summary>Broker user names (certificate CNs) of this prefix belong to backend services (smartkey-ota-server).</summary>
    public const string ReservedIdentityPrefix = "smartkey-";

    /// <summary>Kit file → where deploy.json puts it on the lock (the ESP32 app reads these paths).</summary>
    public static readonly IReadOnlyList<(string KitFile, string DevicePath)> IdentityFiles = new[]
    {
        ("mqtt-ca.der", "I:\\mqtt-ca.der"),
        ("mqtt-client.der", "I:\\mqtt-client.der"),
        ("mqtt-client.key", "I:\\mqtt-client.key"),
    };

    /// <summary>How long a lock's client certificate is valid: its service life (the CRL revokes it earlier).</summary>
    public static readonly TimeSpan CertificateLifetime = TimeSpan.FromDays(25 * 365);

    private ProvisioningKit(string serial, string setupCode, string serviceLine)
    {
        Serial = serial;
        SetupCode = setupCode;
        ServiceLine = serviceLine;
    }

    /// <summary>The lock's broker identity (null for a kit made without a manufacturing CA, e.g. the in-process demo).</summary>
    public Pki.IssuedCertificate? ClientIdentity { get; private set; }

    /// <summary>DER of the CA that signed the broker's certificate: the lock trusts the broker through it.</summary>
    public byte[]? BrokerCaDer { get; private set; }

    public ManufacturingRecord? Record { get; private set; }

    public string Serial { get; }

    public string SetupCode { get; }

    /// <summary>`provision &lt;serial&gt; &lt;w0&gt; &lt;L&gt; &lt;ota key&gt;...`, as the lock's service console takes it.</summary>
    public string ServiceLine { get; }

    /// <summary>What the label's QR code holds (docs/protocol.md, "The label").</summary>
    public string LabelPayload => Phone.LabelText.Format(Serial, SetupCode);

    public static ProvisioningKit Create(string serial, string? setupCode, IReadOnlyList<byte[]> otaKeys)
    {
        if (serial.Length == 0 || serial.Length > DeviceIdentity.MaxSerialLength || !serial.All(c => c is > ' ' and <= '~' && c != ':'))
            throw new ArgumentException($"serial '{serial}' must be 1..{DeviceIdentity.MaxSerialLength} printable characters without spaces or ':'");
        if (serial.IndexOfAny(new[] { '/', '+', '#' }) >= 0)
            throw new ArgumentException($"serial '{serial}' must not contain '/', '+' or '#': it is a level of the lock's MQTT topics and its broker user name");
        if (serial.StartsWith(ReservedIdentityPrefix, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"serial '{serial}' must not start with '{ReservedIdentityPrefix}': that names the backend's broker identities");
        if (otaKeys.Count == 0 || otaKeys.Count > MaxOtaKeys)
            throw new ArgumentException($"give 1..{MaxOtaKeys} OTA trust keys (the vendor's public signing keys)");
        string code = setupCode ?? Phone.SetupCode.Generate();
        if (!Phone.SetupCode.IsWellFormed(code)) throw new ArgumentException("a setup code is 8 to 32 digits");
        if (Phone.SetupCode.IsWeak(code)) throw new ArgumentException("setup code " + code + " is too easy to guess (all one digit or a run)");
        foreach (byte[] key in otaKeys)
        {
            if (key.Length != 65 || !new PointCodec().TryDecode(key, 0, key.Length, new AffinePoint()))
                throw new ArgumentException("an OTA trust key is not a P-256 public point");
        }

        var (w0, l) = Phone.SetupCode.Verifier(code, serial);
        string line = string.Join(" ", new[] { "provision", serial, Hex(w0), Hex(l) }.Concat(otaKeys.Select(Hex)));
        return new ProvisioningKit(serial, code, line);
    }

    /// <summary>
    /// A kit with the lock's broker identity: the manufacturing CA issues a fresh P-256 key and a client
    /// certificate with subject CN = serial; the record names its fingerprint, the hardware id and OTA key ids.
    /// </summary>
    public static ProvisioningKit Create(string serial, string? setupCode, IReadOnlyList<byte[]> otaKeys, Pki.CertificateAuthority manufacturing, X509Certificate2 brokerCa, string hardwareId, DateTimeOffset now)
    {
        if (hardwareId.Length == 0 || !hardwareId.All(c => c is > ' ' and <= '~'))
            throw new ArgumentException($"hardware id '{hardwareId}' must be printable characters without spaces (nf.config firmware.hardware_id)");
        var kit = Create(serial, setupCode, otaKeys);
        var notAfter = now + CertificateLifetime;
        if (notAfter > manufacturing.Certificate.NotAfter) notAfter = manufacturing.Certificate.NotAfter;     // never outlives its CA
        kit.ClientIdentity = manufacturing.IssueClient(serial, now.AddHours(-1), notAfter);
        kit.BrokerCaDer = brokerCa.RawData;
        kit.Record = ManufacturingRecord.For(serial, hardwareId, kit.ClientIdentity.Sha256, otaKeys, now);
        return kit;
    }

    /// <summary>
    /// The uncompressed point of a P-256 public key in PEM, as the lock stores trust keys. A private key is refused: the
    /// vendor's signing key has no business on the production line, and a kit made from it suggests it has left its vault.
    /// </summary>
    public static byte[] ReadPublicPoint(string pemPath)
    {
        if (SmartKey.Ota.KeyFiles.HoldsPrivateKey(pemPath))
            throw new ArgumentException($"{pemPath} is a private key: --ota-key takes the vendor's public key (smartkey-ota keygen writes it as <name>.pub.pem); keep the private key off the production line");
        using var key = SmartKey.Ota.KeyFiles.Load(pemPath, requirePrivate: false);
        return SmartKey.Ota.ImageSigner.PublicPoint(key);
    }

    /// <summary>
    /// Writes service.txt (the console line), deploy.json (nanoff --filedeployment: copies service.txt to
    /// I:\service.txt, and with an identity the three MQTT files to I:\mqtt-*), label.svg and label.png (the QR with the
    /// serial and code beside it), label.txt and, with an identity, mqtt-ca.der, mqtt-client.der, mqtt-client.key and
    /// manufacturing.json. The folder is owner-only (0700) and every file 0600 from its first byte (OwnerOnlyFiles):
    /// service.txt (w0, L), label.txt, label.svg and label.png (the setup code) and mqtt-client.key are secrets, the
    /// rest is no one else's business either.
    /// Existing files are not overwritten: a kit belongs to one lock.
    /// </summary>
    public IReadOnlyList<string> WriteTo(string folder, string serialPort)
    {
        OwnerOnlyFiles.CreateFolder(folder);
        var deployed = new List<object> { new { DestinationFilePath = DeviceServicePath, SourceFilePath = Path.GetFullPath(Path.Combine(folder, ServiceFileName)) } };
        var files = new List<(string Name, byte[] Bytes)> { (ServiceFileName, Text(ServiceLine + "\n")) };
        if (ClientIdentity != null)
        {
            files.Add((IdentityFiles[0].KitFile, BrokerCaDer!));
            files.Add((IdentityFiles[1].KitFile, ClientIdentity.CertificateDer));
            files.Add((IdentityFiles[2].KitFile, Text(ClientIdentity.PrivateKeyPem + "\n")));
            foreach (var (kitFile, devicePath) in IdentityFiles)
                deployed.Add(new { DestinationFilePath = devicePath, SourceFilePath = Path.GetFullPath(Path.Combine(folder, kitFile)) });
        }

        files.Add(("deploy.json", Text(JsonSerializer.Serialize(new { serialport = serialPort, files = deployed }, new JsonSerializerOptions { WriteIndented = true }) + "\n")));
        var label = Label.LabelArt.For(Serial, SetupCode);            // the QR with the serial and code printed beside it
        files.Add(("label.svg", Text(label.Svg())));
        files.Add(("label.png", label.Png()));
        files.Add(("label.txt", Text($"SmartKey  serial {Serial}  setup code {SetupCode}\n")));
        if (Record != null) files.Add((ManufacturingRecord.FileName, Text(Record.ToJson())));
        foreach (var (name, _) in files)
        {
            if (File.Exists(Path.Combine(folder, name))) throw new IOException($"{Path.Combine(folder, name)} exists: a kit belongs to one lock, use a new folder");
        }

        var written = new List<string>();
        foreach (var (name, bytes) in files)
        {
            string path = Path.Combine(folder, name);
            OwnerOnlyFiles.Write(path, bytes);
            written.Add(path);
        }

        return written;
    }

    private static byte[] Text(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
