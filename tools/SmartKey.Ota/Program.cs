using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using SmartKey.Firmware.Ota;
using SmartKey.Ota;

var root = new RootCommand("SmartKey OTA tools: keys, signing, verification and inspection of MCUboot-format images");

int Run(Func<int> action)
{
    try
    {
        return action();
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException or FormatException or InvalidDataException)
    {
        Console.Error.WriteLine("error: " + e.Message);
        return 2;
    }
}

var keyPath = new Option<string>("--key", "-k") { Description = "PEM key file", Required = true };
var keygen = new Command("keygen", "create a P-256 signing key (PKCS#8 PEM) and its public key (.pub.pem)");
keygen.Options.Add(keyPath);
keygen.SetAction(p => Run(() =>
{
    string path = p.GetValue(keyPath)!;
    if (File.Exists(path)) throw new IOException($"{path} exists: refusing to overwrite a signing key");
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
    if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    File.WriteAllText(Path.ChangeExtension(path, null) + ".pub.pem", key.ExportSubjectPublicKeyInfoPem());
    Console.WriteLine($"wrote {path} (keep it secret) and {Path.ChangeExtension(path, null)}.pub.pem");
    Console.WriteLine("public point for provisioning: " + Convert.ToHexString(ImageSigner.PublicPoint(key)).ToLowerInvariant());
    return 0;
}));

var input = new Argument<string>("input") { Description = "firmware payload (binary)" };
var output = new Argument<string>("output") { Description = "signed image to write" };
var version = new Option<string>("--version") { Description = "major.minor.revision[.build]", Required = true };
var counter = new Option<uint>("--security-counter") { Description = "anti-rollback counter (never lower than a released image's)", Required = true };
var hardware = new Option<string>("--hardware-id") { Description = "hardware the image is built for (nf.config firmware.hardware_id)", Required = true };
var headerSize = new Option<string>("--header-size", "-H") { Description = "header size in bytes, as the target's MCUboot expects (imgtool -H; 0x20, 0x200, 0x400...)", DefaultValueFactory = _ => "0x20" };
var slotSize = new Option<string>("--slot-size", "-S") { Description = "slot size in bytes: refuse an image that does not fit with MCUboot's image trailer (imgtool -S)", DefaultValueFactory = _ => "0" };
var align = new Option<int>("--align") { Description = "flash write alignment for the trailer size (imgtool --align: 1, 2, 4, 8, 16 or 32)", DefaultValueFactory = _ => 1 };
var force = new Option<bool>("--force") { Description = "overwrite an existing output file" };
var sign = new Command("sign", "sign a payload into an MCUboot image");
sign.Arguments.Add(input);
sign.Arguments.Add(output);
foreach (var o in new Option[] { keyPath, version, counter, hardware, headerSize, slotSize, align, force }) sign.Options.Add(o);
sign.SetAction(p => Run(() =>
{
    string from = p.GetValue(input)!, to = p.GetValue(output)!;
    if (Path.GetFullPath(from) == Path.GetFullPath(to)) throw new ArgumentException($"{to} is the input: write the signed image to another file");
    if (File.Exists(to) && !p.GetValue(force)) throw new IOException($"{to} exists: pass --force to overwrite it");
    using var key = KeyFiles.Load(p.GetValue(keyPath)!, requirePrivate: true);
    byte[] image = ImageSigner.Sign(File.ReadAllBytes(from), p.GetValue(version)!, p.GetValue(counter), p.GetValue(hardware)!, key,
        ImageSigner.ParseSize(p.GetValue(headerSize)!, "--header-size"));
    ImageSigner.CheckFits(image.Length, ImageSigner.ParseSize(p.GetValue(slotSize)!, "--slot-size"), p.GetValue(align));
    File.WriteAllBytes(to, image);
    var offer = ImageSigner.OfferFor(image);
    Console.WriteLine($"signed {to}: {image.Length} bytes, version {offer.Version}, security counter {offer.SecurityCounter}, hash {Convert.ToHexString(offer.ImageHash).ToLowerInvariant()}");
    return 0;
}));

var image = new Argument<string>("image") { Description = "signed image" };
var running = new Option<string>("--running-version") { Description = "the version the lock runs (for the downgrade check)", DefaultValueFactory = _ => "0.0.0" };
var stored = new Option<uint>("--stored-counter") { Description = "the lock's stored security counter", DefaultValueFactory = _ => 0u };
var verify = new Command("verify", "check an image exactly as a lock would (hash, key, signature, hardware, counter, version)");
verify.Arguments.Add(image);
foreach (var o in new Option[] { keyPath, hardware, running, stored }) verify.Options.Add(o);
verify.SetAction(p => Run(() =>
{
    string runningVersion = p.GetValue(running)!;
    if (!SmartKey.Firmware.Text.Versions.TryParse(runningVersion, out _, out _, out _, out _))
        throw new FormatException($"--running-version '{runningVersion}' is not a version (major.minor.revision[.build], e.g. 1.2.0)");
    byte[] bytes = File.ReadAllBytes(p.GetValue(image)!);
    using var key = KeyFiles.Load(p.GetValue(keyPath)!, requirePrivate: false);
    var (error, reason) = ImageInspector.Verify(bytes, ImageSigner.PublicPoint(key), p.GetValue(hardware)!, p.GetValue(stored), runningVersion);
    Console.WriteLine(error == OtaError.None ? "valid" : "INVALID: " + reason);
    return error == OtaError.None ? 0 : 1;
}));

var inspect = new Command("inspect", "print every header field and TLV of an image");
inspect.Arguments.Add(image);
inspect.SetAction(p => Run(() =>
{
    byte[] bytes = File.ReadAllBytes(p.GetValue(image)!);
    var info = ImageInspector.Inspect(bytes);
    if (info.Header is { } h)
    {
        Console.WriteLine($"magic           0x{ImageFormat.Magic:x8}");
        Console.WriteLine($"load address    0x{BitConverter.ToUInt32(bytes, 4):x8}");
        Console.WriteLine($"header size     {h.HeaderSize} (0x{h.HeaderSize:x})");
        Console.WriteLine($"protected TLVs  {h.ProtectedTlvSize} bytes");
        Console.WriteLine($"image size      {h.ImageSize}");
        Console.WriteLine($"flags           0x{h.Flags:x8}");
        Console.WriteLine($"version         {h.Major}.{h.Minor}.{h.Revision}+{h.Build}");
    }

    foreach (var (isProtected, type, value) in info.Tlvs)
        Console.WriteLine($"TLV {(isProtected ? "protected " : "")}{ImageInspector.TlvName(type),-15} {value.Length,4} B  " +
            (type == ImageFormat.TlvSecurityCounter && value.Length == 4 ? BitConverter.ToUInt32(value).ToString() : type == ImageFormat.TlvHardwareId ? System.Text.Encoding.ASCII.GetString(value) : Convert.ToHexString(value).ToLowerInvariant()));
    if (info.Error == OtaError.None)
    {
        Console.WriteLine($"hash            {(info.HashMatches ? "matches the image" : "DOES NOT MATCH")}");
        if (info.PaddingLength > 0)
            Console.WriteLine($"padding         {info.PaddingLength} bytes after the TLVs, to {bytes.Length} (0x{bytes.Length:x}); image trailer: {info.BootTrailer} (not signed; a lock erases it and marks its own test boot)");
    }

    bool ok = info.Error == OtaError.None && info.Problem == OtaError.None;
    Console.WriteLine($"result          {(ok ? "ok (structure and hash; verify checks the signature and the lock's policy)" : "INVALID: " + (info.Error != OtaError.None ? info.ErrorText : info.ProblemText))}");
    return ok ? 0 : 1;
}));

root.Subcommands.Add(keygen);
root.Subcommands.Add(sign);
root.Subcommands.Add(verify);
root.Subcommands.Add(inspect);
return SmartKey.Tools.ToolRunner.Run(root, args, Console.Out, Console.Error);
