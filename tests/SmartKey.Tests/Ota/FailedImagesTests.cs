using System.Linq;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Storage;
using SmartKey.Tests.Storage;
using Xunit;

namespace SmartKey.Tests.Ota;

/// <summary>The failed-image record (format 2): what it keeps across a reboot, the format 1 record it drops, and a factory reset cut at every step.</summary>
public class FailedImagesTests
{
    private static byte[] Hash(int n) => Enumerable.Range(0, 32).Select(i => (byte)(n * 7 + i)).ToArray();

    [Fact]
    public void RememberedImagesSurviveARebootNewestEightKept()
    {
        var world = new StorageWorld(StorageWorld.NewFlash());
        var failed = new FailedImages(world.Store);
        for (int n = 1; n <= FailedImages.Capacity + 2; n++) Assert.Equal(StoreResult.Ok, failed.Remember(Hash(n), OtaError.SelfTestFailed));
        var again = new FailedImages(world.Reboot().Store);
        again.Load();
        Assert.Equal(FailedImages.Capacity, again.Count);
        Assert.False(again.Contains(Hash(1)));
        Assert.False(again.Contains(Hash(2)));
        Assert.True(again.Contains(Hash(3)));
        Assert.True(again.Contains(Hash(FailedImages.Capacity + 2)));
    }

    /// <summary>Format 1 (count | hashes, no format byte) may hold a hash remembered for a damaged copy of a good image: dropped.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void AFormatOneRecordIsDroppedOnLoad(int count)
    {
        var world = new StorageWorld(StorageWorld.NewFlash());
        byte[] old = new byte[1 + count * 32];
        old[0] = (byte)count;
        for (int i = 0; i < count; i++) Hash(i + 1).CopyTo(old, 1 + i * 32);
        Assert.Equal(StoreResult.Ok, world.Store.Write(RecordType.FailedImages, 0, old, 0, old.Length));
        var failed = new FailedImages(world.Store);
        failed.Load();
        Assert.Equal(0, failed.Count);
        Assert.False(failed.Contains(Hash(1)));
        Assert.Equal(StoreResult.Ok, failed.Remember(Hash(9), OtaError.WrongHardware));   // the next failure writes format 2
        var reloaded = new FailedImages(world.Reboot().Store);
        reloaded.Load();
        Assert.Equal(1, reloaded.Count);
        Assert.True(reloaded.Contains(Hash(9)));
    }

    [Fact]
    public void AFactoryResetCutAtAnyStepEitherKeepsEverythingOrForgetsTheFailedImages()
    {
        int wiped = 0, kept = 0;
        int tried = PowerCut.AtEveryStep(
            flash =>
            {
                var w = new StorageWorld(flash);
                w.Provision();
                w.AddBinding(1, BindingRole.Owner);
                var failed = new FailedImages(w.Store);
                failed.Remember(Hash(1), OtaError.SelfTestFailed);
                failed.Remember(Hash(2), OtaError.Downgrade);
                return w;
            },
            w => Assert.Equal(StoreResult.Ok, w.Reset.Run()),
            (w, flash, completed) =>
            {
                var r = w.Reboot();                                   // mounting finishes a reset that was cut
                var failed = new FailedImages(r.Store);
                failed.Load();
                bool reset = r.Bindings.Count == 0;
                if (completed) Assert.True(reset);
                Assert.Equal(reset ? 0 : 2, failed.Count);
                if (reset) wiped++;
                else kept++;
            },
            StorageWorld.NewFlash);
        Assert.True(wiped > 0 && kept > 0, $"wiped {wiped}, kept {kept} of {tried}");
    }
}
