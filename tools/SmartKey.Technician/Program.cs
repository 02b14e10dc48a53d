using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using SmartKey.Technician;

var root = new RootCommand("SmartKey technician tool: provisioning kits (service line, nanoff deployment, label) for the end of the line");

var serial = new Option<string>("--serial") { Description = "the lock's serial number (on the label)", Required = true };
var otaKeys = new Option<string[]>("--ota-key") { Description = "vendor public signing key (PEM); once or twice", Required = true, AllowMultipleArgumentsPerToken = false };
var code = new Option<string?>("--setup-code") { Description = "the setup code (default: a fresh random 10-digit code)" };
var output = new Option<string>("--out") { Description = "folder for service.txt, deploy.json, label.svg and label.txt", Required = true };
var port = new Option<string>("--serialport") { Description = "the lock's USB serial port, written into deploy.json", DefaultValueFactory = _ => "COM3" };

var provision = new Command("provision", "make the provisioning kit of one lock");
foreach (var option in new Option[] { serial, otaKeys, code, output, port }) provision.Options.Add(option);
provision.SetAction(p =>
{
    try
    {
        var keys = p.GetValue(otaKeys)!.Select(ProvisioningKit.ReadPublicPoint).ToList();
        var kit = ProvisioningKit.Create(p.GetValue(serial)!, p.GetValue(code), keys);
        foreach (string path in kit.WriteTo(p.GetValue(output)!, p.GetValue(port)!)) Console.WriteLine("wrote " + path);
        Console.WriteLine($"label: serial {kit.Serial}, setup code {kit.SetupCode}");
        Console.WriteLine($"next: nanoff --filedeployment {Path.Combine(p.GetValue(output)!, "deploy.json")}, then reset the lock; it answers 'ok provisioned ...' on its console");
        return 0;
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException or FormatException)
    {
        Console.Error.WriteLine("error: " + e.Message);
        return 2;
    }
});
root.Subcommands.Add(provision);
return SmartKey.Tools.ToolRunner.Run(root, args, Console.Out, Console.Error);
