using System.IO;
using SmartKey.Firmware.Ota;
using SmartKey.Hal;
using SmartKey.Ota;
using SmartKey.Tests.Ota;
using Xunit;

namespace SmartKey.Tests.Security;

/// <summary>
/// Issue 21 item 6: a vendor-signed image whose header asks MCUboot for compression (or ROM_FIXED, or a flag defined
/// later) was judged valid by the lock, by smartkey-ota verify and by the release upload, though the lock cannot boot
/// it: the flags were a deny-list. They are an allow-list now (none), refused with their names.
/// </summary>
public class UnbootableImageAttackTests
{
    public static TheoryData<uint, string> Flags() => new()
    {
        { 0x400, "COMPRESSED_LZMA2" },
        { 0x200, "COMPRESSED_LZMA1" },
        { 0x800, "COMPRESSED_ARM_THUMB_FLT" },
        { 0x100, "ROM_FIXED" },
        { 0x1, "PIC" },
        { 0x40000, "unknown 0x40000" },
    };

    [Theory]
    [MemberData(nameof(Flags))]
    public void AVendorSignedImageWithAFlagTheLockDoesNotTakeIsRefusedOverBleBeforeAByteIsWritten(uint flags, string name)
    {
        var ota = new OtaLab();
        byte[] image = ImageSigner.Sign(OtaLab.Payload("2.0.0"), "2.0.0", 2, OtaLab.Hardware, OtaLab.Vendor, flags: flags);
        var offer = ImageSigner.OfferFor(WithoutFlags(image));  // what a server that ignored the flags would offer (the SHA256 TLV as it is)
        var reply = ota.Send(image, offer);
        Assert.Equal((OtaError.UnsupportedFlags, OtaState.Failed), (reply.Error, reply.State));
        Assert.Equal(0, ota.Lab.Device.Hardware.Slots.SlotWrites);
        Assert.NotEqual(SlotState.TestPending, ota.Lab.Device.Hardware.Slots.State);
        ota.Settle();
        Assert.Equal("1.0.0", ota.Running);
        Assert.StartsWith($"unsupported image flags 0x{flags:x} ({name})", ImageInspector.DescribeFlags(flags));
    }

    [Fact]
    public void SmartkeyOtaVerifyRefusesImgtoolsCompressedImageNamingTheFlag()
    {
        string vectors = RepoPaths.Vector("mcuboot", "compressed-lzma2.bin");
        var r = OtaTool.Run("verify", vectors, "-k", RepoPaths.Vector("mcuboot", "signing-key.pub.pem"), "--hardware-id", OtaLab.Hardware,
            "--running-version", "1.0.0", "--stored-counter", "0");
        Assert.Equal(1, r.Exit);
        Assert.StartsWith("INVALID: unsupported image flags 0x400 (COMPRESSED_LZMA2)", r.Output);
        Assert.True(File.Exists(vectors));
    }

    private static byte[] WithoutFlags(byte[] image)
    {
        var copy = (byte[])image.Clone();
        System.Array.Clear(copy, 16, 4);
        return copy;
    }
}
