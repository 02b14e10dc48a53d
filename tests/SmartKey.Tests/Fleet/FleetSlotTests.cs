using SmartKey.Hal;
using SmartKey.Simulator.Fleet;
using SmartKey.Tests.Ota;
using Xunit;

namespace SmartKey.Tests.Fleet;

/// <summary>The fleet's light slot keeps the MCUboot semantics of SimFirmwareSlots without keeping the image.</summary>
public sealed class FleetSlotTests
{
    private static readonly byte[] Image = OtaLab.Image("1.2.0", size: 9000);

    [Fact]
    public void A_marked_image_boots_in_test_mode_and_an_unconfirmed_one_is_reverted()
    {
        var slot = new FleetSlot("1.0.0");
        Assert.Equal(SlotResult.Ok, slot.BeginImage(Image.Length));
        Assert.Equal(SlotResult.Ok, slot.WriteChunk(0, Image, 0, Image.Length));
        Assert.Equal(SlotResult.Ok, slot.MarkForTest());
        slot.BootloaderReset();
        Assert.Equal((SlotState.Testing, "1.2.0"), (slot.State, slot.RunningVersion));
        slot.BootloaderReset();
        Assert.Equal((SlotState.Reverted, "1.0.0"), (slot.State, slot.RunningVersion));
    }

    [Fact]
    public void A_confirmed_image_stays_and_a_partial_one_resumes_after_a_reset()
    {
        var slot = new FleetSlot("1.0.0");
        slot.BeginImage(Image.Length);
        slot.WriteChunk(0, Image, 0, 4096);
        slot.BootloaderReset();
        Assert.Equal(SlotResult.NoImage, slot.ResumeImage(Image.Length, new byte[32]));
        Assert.Equal(SlotResult.Ok, slot.ResumeImage(Image.Length, Image[..32]));
        Assert.Equal(4096, slot.NextOffset);
        Assert.Equal(SlotResult.BadOffset, slot.WriteChunk(0, Image, 0, 10));
        Assert.Equal(SlotResult.Ok, slot.WriteChunk(4096, Image, 4096, Image.Length - 4096));
        slot.MarkForTest();
        slot.BootloaderReset();
        Assert.Equal(SlotResult.Ok, slot.ConfirmRunning());
        slot.BootloaderReset();
        Assert.Equal((SlotState.Confirmed, "1.2.0"), (slot.State, slot.RunningVersion));
    }

    [Fact]
    public void A_bad_flash_fails_every_write_past_its_point()
    {
        var slot = new FleetSlot("1.0.0") { FailWritesPast = 0.5 };
        slot.BeginImage(Image.Length);
        Assert.Equal(SlotResult.Ok, slot.WriteChunk(0, Image, 0, 4000));
        Assert.Equal(SlotResult.FlashError, slot.WriteChunk(4000, Image, 4000, 4000));
        Assert.Equal(4000, slot.NextOffset);
    }
}
