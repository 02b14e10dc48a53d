using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SmartKey.Firmware.Config;
using SmartKey.Technician;
using SmartKey.Technician.Pki;

var root = new RootCommand("SmartKey technician tool: the manufacturing CA, and provisioning kits (service line, broker identity, nanoff deployment, label) for the end of the line");

var serial = new Option<string>("--serial") { Description = "the lock's serial number (on the label; the CN of its client certificate)", Required = true };
var otaKeys = new Option<string[]>("--ota-key") { Description = "vendor public signing key (PEM); once or twice", Required = true, AllowMultipleArgumentsPerToken = false };
var code = new Option<string?>("--setup-code") { Description = "the setup code (default: a fresh random 10-digit code)" };
var output = new Option<string>("--out") { Description = "folder for the kit (service.txt, mqtt-*, deploy.json, label.svg, label.png, label.txt, manufacturing.json)", Required = true };
var port = new Option<string>("--serialport") { Description = "the lock's USB serial port, written into deploy.json (default: the first USB serial device here, else /dev/ttyUSB0 on Linux, COM3 on Windows)", DefaultValueFactory = _ => SerialPorts.Default() };
var caFolder = new Option<string>("--ca") { Description = "the manufacturing CA's folder (smartkey-tech ca init)", Required = true };
var brokerCa = new Option<string>("--broker-ca") { Description = "the CA certificate (PEM or DER) that signed the broker's certificate; the lock trusts the broker through it", Required = true };
var nfConfig = new Option<string?>("--nf-config") { Description = $"the device settings whose firmware.hardware_id goes into the manufacturing record (default ${SmartKey.Tools.NfConfigFile.Variable}, else nf.config in the working directory)" };

int Fail(Exception e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 2;
}

bool Expected(Exception e) => e is SmartKey.Tools.UsageError or IOException or UnauthorizedAccessException or CryptographicException or ArgumentException or FormatException;

var provision = new Command("provision", "make the provisioning kit of one lock: its identity, its broker identity, its label and its manufacturing record");
foreach (var option in new Option[] { serial, otaKeys, code, output, port, caFolder, brokerCa, nfConfig }) provision.Options.Add(option);
provision.SetAction(p =>
{
    try
    {
        var keys = p.GetValue(otaKeys)!.Select(ProvisioningKit.ReadPublicPoint).ToList();
        string configPath = SmartKey.Tools.NfConfigFile.Chosen(p.GetValue(nfConfig)) ?? "nf.config";
        if (!DeviceConfig.TryParse(SmartKey.Tools.NfConfigFile.Read(configPath, "--nf-config"), out DeviceConfig config, out ConfigError configError))
            throw new FormatException(configPath + ": " + configError);
        using var ca = CertificateAuthority.Load(p.GetValue(caFolder)!);
        using var trusted = X509CertificateLoader.LoadCertificateFromFile(p.GetValue(brokerCa)!);
        var kit = ProvisioningKit.Create(p.GetValue(serial)!, p.GetValue(code), keys, ca, trusted, config.HardwareId, DateTimeOffset.UtcNow);
        foreach (string path in kit.WriteTo(p.GetValue(output)!, p.GetValue(port)!)) Console.WriteLine("wrote " + path);
        Console.WriteLine($"serial port in deploy.json: {p.GetValue(port)}" + (p.GetResult(port) is { Implicit: false } ? "" : " (the default here; --serialport to change)"));
        Console.WriteLine($"label: serial {kit.Serial}, setup code {kit.SetupCode}");
        Console.WriteLine($"client certificate: CN={kit.Serial}, SHA-256 {kit.ClientIdentity!.Sha256} (in {ManufacturingRecord.FileName} for the backend)");
        Console.WriteLine($"next: nanoff --filedeployment {Path.Combine(p.GetValue(output)!, "deploy.json")}, then reset the lock; it answers 'ok provisioned ...' on its console; then delete mqtt-client.key from the kit");
        return 0;
    }
    catch (Exception e) when (Expected(e))
    {
        return Fail(e);
    }
});
root.Subcommands.Add(provision);

var deployPort = new Option<string>("--serialport") { Description = "the lock's USB serial port (default: the first USB serial device here, else /dev/ttyUSB0 on Linux, COM3 on Windows)", DefaultValueFactory = _ => SerialPorts.Default() };
var deployConfig = new Option<string?>("--nf-config") { Description = $"the device settings to put on the lock's drive (default ${SmartKey.Tools.NfConfigFile.Variable}, else nf.config in the working directory)" };
var deployOut = new Option<string>("--out") { Description = "the deployment file to write", DefaultValueFactory = _ => "deploy.json" };
var deploy = new Command("deploy-config", "write nanoff's deploy.json that copies nf.config to the lock's drive (I:\\nf.config), for this serial port");
foreach (var option in new Option[] { deployPort, deployConfig, deployOut }) deploy.Options.Add(option);
deploy.SetAction(p =>
{
    try
    {
        string configPath = SmartKey.Tools.NfConfigFile.Chosen(p.GetValue(deployConfig)) ?? "nf.config";
        if (!DeviceConfig.TryParse(SmartKey.Tools.NfConfigFile.Read(configPath, "--nf-config"), out _, out ConfigError configError))
            throw new FormatException(configPath + ": " + configError);
        File.WriteAllText(p.GetValue(deployOut)!, SerialPorts.NfConfigDeployment(configPath, p.GetValue(deployPort)!));
        Console.WriteLine($"wrote {p.GetValue(deployOut)} for serial port {p.GetValue(deployPort)}" + (p.GetResult(deployPort) is { Implicit: false } ? "" : " (the default here; --serialport to change)"));
        Console.WriteLine($"next: nanoff --filedeployment {p.GetValue(deployOut)}");
        return 0;
    }
    catch (Exception e) when (Expected(e))
    {
        return Fail(e);
    }
});
root.Subcommands.Add(deploy);

var caOut = new Option<string>("--out") { Description = "new folder for ca.cert.pem, ca.key.pem (keep it offline) and crl.pem", Required = true };
var caName = new Option<string>("--name") { Description = "the CA's common name", DefaultValueFactory = _ => "SmartKey Manufacturing CA" };
var caYears = new Option<int>("--years") { Description = "validity in years (longer than any lock's service life)", DefaultValueFactory = _ => 30 };
var init = new Command("init", "make the manufacturing CA: a P-256 key and a self-signed CA certificate, and an empty revocation list");
foreach (var option in new Option[] { caOut, caName, caYears }) init.Options.Add(option);
init.SetAction(p =>
{
    try
    {
        int years = p.GetValue(caYears);
        if (years is < 1 or > 50) throw new ArgumentException("--years must be 1..50");
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.Create(p.GetValue(caName)!, now.AddHours(-1), now.AddYears(years));
        foreach (string path in ca.Save(p.GetValue(caOut)!)) Console.WriteLine("wrote " + path);
        Console.WriteLine("give the broker ca.cert.pem (cafile) and crl.pem (crlfile); never ca.key.pem");
        return 0;
    }
    catch (Exception e) when (Expected(e))
    {
        return Fail(e);
    }
});

var revokeCa = new Option<string>("--ca") { Description = "the CA's folder", Required = true };
var revokeCerts = new Option<string[]>("--cert") { Description = "a lock's client certificate (its kit's mqtt-client.der, or PEM); repeatable; none: only re-sign the list" };
var revoke = new Command("revoke", "add locks' certificates to the CA's revocation list crl.pem and re-sign it (also run it before the list's next update)");
foreach (var option in new Option[] { revokeCa, revokeCerts }) revoke.Options.Add(option);
revoke.SetAction(p =>
{
    try
    {
        using var ca = CertificateAuthority.Load(p.GetValue(revokeCa)!);
        var certificates = (p.GetValue(revokeCerts) ?? Array.Empty<string>()).Select(X509CertificateLoader.LoadCertificateFromFile).ToList();
        string path = ca.Revoke(p.GetValue(revokeCa)!, certificates, DateTimeOffset.UtcNow);
        foreach (var c in certificates) Console.WriteLine($"revoked {c.Subject} (serial number {c.SerialNumber})");
        Console.WriteLine($"wrote {path}, valid until {DateTimeOffset.UtcNow + CertificateAuthority.RevocationListLifetime:yyyy-MM-dd}: copy it to the broker's crlfile and reload the broker (SIGHUP)");
        return 0;
    }
    catch (Exception e) when (Expected(e))
    {
        return Fail(e);
    }
});

var caCommand = new Command("ca", "the manufacturing certificate authority");
caCommand.Subcommands.Add(init);
caCommand.Subcommands.Add(revoke);
root.Subcommands.Add(caCommand);
return SmartKey.Tools.ToolRunner.Run(root, args, Console.Out, Console.Error);
