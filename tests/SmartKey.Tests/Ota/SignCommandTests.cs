using System;
using System.IO;
using SmartKey.Firmware.Ota;
using SmartKey.Ota;
using Xunit;

namespace SmartKey.Tests.Ota;

/// <summary>smartkey-ota sign as a process: imgtool's header and slot sizes, and files it must not overwrite.</summary>
public sealed class SignCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smartkey-sign-").FullName;
    private readonly string _key;
    private readonly string _payload;

    public SignCommandTests()
    {
        _key = Path.Combine(_dir, "vendor.pem");
        File.WriteAllText(_key, OtaLab.Vendor.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(_dir, "vendor.pub.pem"), OtaLab.Vendor.ExportSubjectPublicKeyInfoPem());
        _payload = Path.Combine(_dir, "fw.bin");
        File.WriteAllBytes(_payload, OtaLab.Payload("1.1.0", size: 16384));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private OtaTool.Result Sign(string output, params string[] more) =>
        OtaTool.Run([ "sign", _payload, output, "-k", _key, "--version", "1.1.0", "--security-counter", "3", "--hardware-id", OtaLab.Hardware, .. more ]);

    [Fact]
    public void HeaderSizeIsTheTargetsAndTheImageVerifies()
    {
        string output = Path.Combine(_dir, "fw.img");
        var r = Sign(output, "--header-size", "0x200");
        Assert.True(r.Exit == 0, r.Output + r.Error);
        byte[] image = File.ReadAllBytes(output);
        var info = ImageInspector.Inspect(image);
        Assert.Equal(0x200, info.Header!.HeaderSize);
        Assert.Equal(0x200 + 16384, info.Header.HashedLength - info.Header.ProtectedTlvSize);
        Assert.All(image[32..0x200], b => Assert.Equal(0, b));                   // imgtool --pad-header: zeros
        var verify = OtaTool.Run("verify", output, "-k", Path.Combine(_dir, "vendor.pub.pem"), "--hardware-id", OtaLab.Hardware, "--running-version", "1.0.0");
        Assert.Equal("valid", verify.Output.Trim());

        var bad = Sign(Path.Combine(_dir, "small.img"), "--header-size", "16");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("header size 16 is outside 32 to 4096 bytes", bad.Error);
        Assert.False(File.Exists(Path.Combine(_dir, "small.img")));
    }

    [Fact]
    public void SlotSizeRefusesAnImageThatDoesNotFitWithItsTrailer()
    {
        // 32 + 16384 + 33 (protected TLVs) + 152 or so (TLVs, the signature's DER length varies by 2) + 432 (trailer at align 1).
        string output = Path.Combine(_dir, "fw.img");
        var fits = Sign(output, "--slot-size", "0x4400");
        Assert.True(fits.Exit == 0, fits.Output + fits.Error);
        int length = File.ReadAllBytes(output).Length;
        Assert.True(length + ImageSigner.TrailerLength(1) <= 0x4400);

        string tooBig = Path.Combine(_dir, "big.img");
        // ECDSA signatures differ in DER length by a few bytes from one signing to the next: 16 bytes short never fits.
        var refused = Sign(tooBig, "--slot-size", (length + ImageSigner.TrailerLength(1) - 16).ToString());
        Assert.Equal(2, refused.Exit);
        Assert.Contains("MCUboot's image trailer (432 bytes) do not fit", refused.Error);
        Assert.False(File.Exists(tooBig));

        var aligned = Sign(tooBig, "--slot-size", "0x4400", "--align", "8");   // 3120-byte trailer at align 8
        Assert.Equal(2, aligned.Exit);
        Assert.Contains("(3120 bytes)", aligned.Error);
        Assert.False(File.Exists(tooBig));
    }

    [Fact]
    public void NeverOverwritesItsInputAndAnOutputOnlyWithForce()
    {
        byte[] payload = File.ReadAllBytes(_payload);
        var self = Sign(_payload, "--force");
        Assert.Equal(2, self.Exit);
        Assert.Contains("is the input", self.Error);
        Assert.Equal(payload, File.ReadAllBytes(_payload));

        string output = Path.Combine(_dir, "fw.img");
        File.WriteAllText(output, "an older image");
        var kept = Sign(output);
        Assert.Equal(2, kept.Exit);
        Assert.Contains("exists: pass --force to overwrite it", kept.Error);
        Assert.Equal("an older image", File.ReadAllText(output));

        var forced = Sign(output, "--force");
        Assert.True(forced.Exit == 0, forced.Output + forced.Error);
        Assert.Equal(OtaError.None, ImageInspector.Inspect(File.ReadAllBytes(output)).Error);
    }
}
