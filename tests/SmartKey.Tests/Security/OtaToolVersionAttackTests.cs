using System;
using System.IO;
using SmartKey.Firmware.Ota;
using SmartKey.Ota;
using SmartKey.Tests.Ota;
using Xunit;

namespace SmartKey.Tests.Security;

/// <summary>Item 13: a garbage running version must not switch the downgrade check off.</summary>
public class OtaToolVersionAttackTests
{
    private static int SmartKeyOta(params string[] args) =>
        (int)typeof(ImageSigner).Assembly.EntryPoint!.Invoke(null, new object[] { args })!;

    [Theory]
    [InlineData("banana")]
    [InlineData("1.2")]
    [InlineData("")]
    [InlineData("1.2.3.4.5")]
    public void VerifyWithAnUnparseableRunningVersionIsAnErrorNotValid(string running)
    {
        string dir = Path.Combine(Path.GetTempPath(), "sk-ota-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string image = Path.Combine(dir, "fw.img"), pub = Path.Combine(dir, "vendor.pub.pem");
            File.WriteAllBytes(image, OtaLab.Image("0.9.0"));                      // a downgrade for any real lock
            File.WriteAllText(pub, OtaLab.Vendor.ExportSubjectPublicKeyInfoPem());
            Assert.Equal(0, SmartKeyOta("verify", image, "--key", pub, "--hardware-id", OtaLab.Hardware, "--running-version", "0.1.0"));
            Assert.Equal(2, SmartKeyOta("verify", image, "--key", pub, "--hardware-id", OtaLab.Hardware, "--running-version", running));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void TheLocksVerifierTreatsAnUnknownRunningVersionAsNothingNewer()
    {
        Assert.False(ImageVerifier.IsNewer(9, 9, 9, 0, "banana"));
        Assert.False(ImageVerifier.IsNewer(9, 9, 9, 0, null!));
        Assert.True(ImageVerifier.IsNewer(1, 0, 1, 0, "1.0.0"));
    }
}
