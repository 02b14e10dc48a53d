using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using QRCoder;
using SmartKey.Firmware.Crypto.P256;
using SmartKey.Firmware.Identity;
using SmartKey.Phone;

namespace SmartKey.Technician;

/// <summary>
/// Everything one lock needs at the end of the line: its serial, a fresh setup code for the label, the
/// console line that provisions (serial, w0, L, OTA trust keys) and the label's QR payload. The setup
/// code itself never goes to the lock; it leaves this tool only on the label.
/// </summary>
public sealed class ProvisioningKit
{
    public const string ServiceFileName = "service.txt";
    public const string DeviceServicePath = "I:\\service.txt";
    public const int MaxOtaKeys = 2;

    private ProvisioningKit(string serial, string setupCode, string serviceLine)
    {
        Serial = serial;
        SetupCode = setupCode;
        ServiceLine = serviceLine;
    }

    public string Serial { get; }

    public string SetupCode { get; }

    /// <summary>`provision &lt;serial&gt; &lt;w0&gt; &lt;L&gt; &lt;ota key&gt;...`, as the lock's service console takes it.</summary>
    public string ServiceLine { get; }

    /// <summary>What the label's QR code holds (docs/protocol.md, "The label").</summary>
    public string LabelPayload => "SMARTKEY:1:" + Serial + ":" + SetupCode;

    public static ProvisioningKit Create(string serial, string? setupCode, IReadOnlyList<byte[]> otaKeys)
    {
        if (serial.Length == 0 || serial.Length > DeviceIdentity.MaxSerialLength || !serial.All(c => c is > ' ' and <= '~' && c != ':'))
            throw new ArgumentException($"serial '{serial}' must be 1..{DeviceIdentity.MaxSerialLength} printable characters without spaces or ':'");
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

    /// <summary>The uncompressed point of a P-256 public (or private) key in PEM, as the lock stores trust keys.</summary>
    public static byte[] ReadPublicPoint(string pemPath)
    {
        using var key = SmartKey.Ota.KeyFiles.Load(pemPath, requirePrivate: false);
        return SmartKey.Ota.ImageSigner.PublicPoint(key);
    }

    /// <summary>
    /// Writes service.txt (the console line), deploy.json (nanoff --filedeployment: copies service.txt to
    /// I:\service.txt), label.svg (QR code) and label.txt into the folder. Existing files are not overwritten:
    /// a kit belongs to one lock.
    /// </summary>
    public IReadOnlyList<string> WriteTo(string folder, string serialPort)
    {
        Directory.CreateDirectory(folder);
        string service = Path.GetFullPath(Path.Combine(folder, ServiceFileName));
        var files = new (string Name, string Text)[]
        {
            (ServiceFileName, ServiceLine + "\n"),
            ("deploy.json", JsonSerializer.Serialize(new
            {
                serialport = serialPort,
                files = new[] { new { DestinationFilePath = DeviceServicePath, SourceFilePath = service } },
            }, new JsonSerializerOptions { WriteIndented = true }) + "\n"),
            ("label.svg", new SvgQRCode(new QRCodeGenerator().CreateQrCode(LabelPayload, QRCodeGenerator.ECCLevel.M)).GetGraphic(8)),
            ("label.txt", $"SmartKey  serial {Serial}  setup code {SetupCode}\n"),
        };
        foreach (var (name, _) in files)
        {
            if (File.Exists(Path.Combine(folder, name))) throw new IOException($"{Path.Combine(folder, name)} exists: a kit belongs to one lock, use a new folder");
        }

        var written = new List<string>();
        foreach (var (name, text) in files)
        {
            string path = Path.Combine(folder, name);
            File.WriteAllText(path, text);
            written.Add(path);
        }

        return written;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
