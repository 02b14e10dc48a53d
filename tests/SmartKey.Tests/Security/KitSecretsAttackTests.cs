using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using SmartKey.Technician;
using SmartKey.Technician.Pki;
using SmartKey.Tests.Tools;
using Xunit;

namespace SmartKey.Tests.Security;

/// <summary>
/// Issue 21 item 9: another user on the technician's machine reads the kit (service.txt holds w0 and L, label.txt and
/// label.svg the setup code) because it was written with the default umask; and provision --ota-key took the vendor's
/// private key silently. The real smartkey-tech runs here, under a umask that grants everything (000), so the modes
/// seen are the ones the tool asks for when it creates each file.
/// </summary>
public sealed class KitSecretsAttackTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smartkey-kit-secrets-").FullName;
    private readonly ECDsa _vendor = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _vendor.Dispose();
        Directory.Delete(_dir, true);
    }

    /// <summary>smartkey-tech as a process under umask 000: exit code and stdout + stderr.</summary>
    private static (int exit, string output, string error) Tech(params string[] args)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("umask 000; exec \"$0\" \"$@\"");
        start.ArgumentList.Add(dotnet);
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "smartkey-tech.dll"));
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, stderr.Result);
    }

    private (string ca, string brokerCa, string vendorPub, string vendorPrivate, string config) Inputs()
    {
        string ca = Path.Combine(_dir, "factory-ca"), brokerCa = Path.Combine(_dir, "broker-ca.pem");
        string vendorPub = Path.Combine(_dir, "vendor.pub.pem"), vendorPrivate = Path.Combine(_dir, "vendor.pem");
        Assert.Equal(0, Tech("ca", "init", "--out", ca).exit);
        using var operatorCa = CertificateAuthority.Create("Test Operator CA", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(30));
        File.WriteAllText(brokerCa, operatorCa.Certificate.ExportCertificatePem());
        File.WriteAllText(vendorPub, _vendor.ExportSubjectPublicKeyInfoPem());
        File.WriteAllText(vendorPrivate, _vendor.ExportPkcs8PrivateKeyPem());
        return (ca, brokerCa, vendorPub, vendorPrivate, Path.Combine(RepoPaths.Root, "nf.config"));
    }

    [Fact]
    public void NoOtherUserCanOpenAnyFileOfTheKitOrOfTheCa()
    {
        var (ca, brokerCa, vendorPub, _, config) = Inputs();
        string kit = Path.Combine(_dir, "kits", "SK-SECRET-1");
        var made = Tech("provision", "--serial", "SK-SECRET-1", "--ota-key", vendorPub, "--out", kit, "--ca", ca, "--broker-ca", brokerCa, "--nf-config", config);
        Assert.True(made.exit == 0, made.output + made.error);

        string[] files = Directory.GetFiles(kit).Select(Path.GetFileName).Order().ToArray()!;
        Assert.Equal(new[] { "deploy.json", "label.png", "label.svg", "label.txt", "manufacturing.json", "mqtt-ca.der", "mqtt-client.der", "mqtt-client.key", "service.txt" }, files);
        Assert.Equal(OwnerOnlyFiles.FolderMode, File.GetUnixFileMode(kit));
        Assert.Equal(OwnerOnlyFiles.FolderMode, File.GetUnixFileMode(Path.GetDirectoryName(kit)!));   // a missing parent too
        foreach (string file in files) Assert.True(OwnerOnlyFiles.FileMode == File.GetUnixFileMode(Path.Combine(kit, file)), file + ": " + File.GetUnixFileMode(Path.Combine(kit, file)));
        Assert.Contains(made.output.Split('\n').Single(l => l.StartsWith("label:")).Split(' ')[^1], File.ReadAllText(Path.Combine(kit, "label.txt")));

        Assert.Equal(OwnerOnlyFiles.FolderMode, File.GetUnixFileMode(ca));
        Assert.Equal(OwnerOnlyFiles.FileMode, File.GetUnixFileMode(Path.Combine(ca, "ca.key.pem")));
    }

    [Fact]
    public void AKitIsNotWrittenIntoAFolderOtherUsersCanOpen()
    {
        var (ca, brokerCa, vendorPub, _, config) = Inputs();
        string shared = Path.Combine(_dir, "shared");
        Directory.CreateDirectory(shared, OwnerOnlyFiles.FolderMode | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var r = Tech("provision", "--serial", "SK-SECRET-2", "--ota-key", vendorPub, "--out", shared, "--ca", ca, "--broker-ca", brokerCa, "--nf-config", config);
        Assert.Equal(2, r.exit);
        Assert.Equal("", r.output);
        Assert.Equal($"error: {shared} can be opened by other users (mode 755): give a new folder, or one only you can open (chmod 700)", r.error.Trim());
        Assert.Empty(Directory.GetFileSystemEntries(shared));
    }

    [Fact]
    public void ProvisionRefusesTheVendorsPrivateKeyAsAnOtaKeyInOneLine()
    {
        var (ca, brokerCa, _, vendorPrivate, config) = Inputs();
        string kit = Path.Combine(_dir, "kit");
        var r = Tech("provision", "--serial", "SK-SECRET-3", "--ota-key", vendorPrivate, "--out", kit, "--ca", ca, "--broker-ca", brokerCa, "--nf-config", config);
        Assert.Equal(2, r.exit);
        Assert.Equal("", r.output);
        string line = Assert.Single(r.error.Trim().Split('\n'));
        Assert.StartsWith($"error: {vendorPrivate} is a private key: --ota-key takes the vendor's public key", line);
        Assert.False(Directory.Exists(kit));
    }
}
