using System;
using System.IO;
using SmartKey.Hal;
using SmartKey.Hal.Simulated;
using Xunit;

namespace SmartKey.Tests.Hal;

public class NorFlashTests
{
    [Fact]
    public void EraseSetsFfAndWritesOnlyClearBits()
    {
        var flash = new NorFlash(256, 4);
        var buffer = new byte[4];
        Assert.Equal(FlashResult.Ok, flash.Read(0, buffer, 0, 4));
        Assert.All(buffer, b => Assert.Equal(0xFF, b));
        Assert.Equal(FlashResult.Ok, flash.Write(0, new byte[] { 0xF0, 0x0F, 0x00, 0xAA }, 0, 4));
        // Clearing more bits is allowed; setting one back is not.
        Assert.Equal(FlashResult.Ok, flash.Write(0, new byte[] { 0xE0 }, 0, 1));
        Assert.Equal(FlashResult.NotErased, flash.Write(1, new byte[] { 0xFF }, 0, 1));
        flash.Read(0, buffer, 0, 4);
        Assert.Equal(new byte[] { 0xE0, 0x0F, 0x00, 0xAA }, buffer);
        Assert.Equal(FlashResult.Ok, flash.EraseSector(0));
        Assert.Equal(1, flash.EraseCountOf(0));
        flash.Read(0, buffer, 0, 4);
        Assert.All(buffer, b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public void BoundsAndAlignmentAreRefused()
    {
        var flash = new NorFlash(256, 2) { WriteAlignment = 4 };
        Assert.Equal(FlashResult.OutOfRange, flash.Write(510, new byte[4], 0, 4));
        Assert.Equal(FlashResult.OutOfRange, flash.EraseSector(2));
        Assert.Equal(FlashResult.Misaligned, flash.Write(2, new byte[4], 0, 4));
        Assert.Equal(FlashResult.OutOfRange, flash.Read(-1, new byte[1], 0, 1));
    }

    /// <summary>A scripted sequence of erases and writes, cut at every operation index, whole and torn.</summary>
    [Fact]
    public void PowerCutAtEveryOperationOfAScriptLeavesAPrefixOfTheScript()
    {
        static void Script(NorFlash f)
        {
            f.EraseSector(0);
            for (int i = 0; i < 6; i++) f.Write(i * 8, new byte[] { 1, 2, 3, 4, 5, 6, 7, (byte)i }, 0, 8);
            f.EraseSector(1);
            f.Write(256, new byte[] { 0x55, 0xAA }, 0, 2);
        }

        var reference = new NorFlash(256, 2);
        Script(reference);
        int total = reference.Operations;
        Assert.Equal(9, total);
        int cutsTried = 0, tornDiffered = 0;
        foreach (bool torn in new[] { false, true })
        {
            for (int cut = 0; cut < total; cut++)
            {
                var flash = new NorFlash(256, 2, tearSeed: (ulong)(cut + 1));
                flash.Poke(0, new byte[512]); // old content everywhere: zeros
                flash.CutPowerAfter(cut, torn);
                Assert.Throws<PowerLossException>(() => Script(flash));
                cutsTried++;
                Assert.False(flash.IsPowered);
                Assert.Throws<PowerLossException>(() => flash.Read(0, new byte[1], 0, 1));
                flash.PowerOn();

                // Replay the completed prefix on a fresh flash: every byte outside the cut operation must match it.
                var prefix = new NorFlash(256, 2);
                prefix.Poke(0, new byte[512]);
                prefix.CutPowerAfter(cut, false);
                Assert.Throws<PowerLossException>(() => Script(prefix));
                byte[] expected = prefix.Snapshot(), actual = flash.Snapshot();
                if (!torn) Assert.Equal(expected, actual);
                else if (!expected.AsSpan().SequenceEqual(actual)) tornDiffered++;
                Assert.Equal(cut, flash.WriteCount + flash.TotalErases);
            }
        }

        Assert.Equal(2 * total, cutsTried);
        Assert.True(tornDiffered > 0, "torn cuts must leave partial data somewhere");
    }

    [Fact]
    public void TornWriteOnlyClearsBitsOfTheIntendedValue()
    {
        for (ulong seed = 1; seed <= 200; seed++)
        {
            var flash = new NorFlash(64, 1, tearSeed: seed);
            flash.CutPowerAfter(0, true);
            byte[] data = { 0x0F, 0xF0, 0x3C, 0xC3 };
            Assert.Throws<PowerLossException>(() => flash.Write(0, data, 0, 4));
            flash.PowerOn();
            var after = new byte[4];
            flash.Read(0, after, 0, 4);
            for (int i = 0; i < 4; i++) Assert.Equal(0, ~after[i] & data[i] & 0xFF); // never clears a bit the write would not
        }
    }

    [Fact]
    public void EraseCountersCountPerSector()
    {
        var flash = new NorFlash(128, 3);
        for (int i = 0; i < 5; i++) flash.EraseSector(1);
        flash.EraseSector(2);
        Assert.Equal(new[] { 0, 5, 1 }, new[] { flash.EraseCountOf(0), flash.EraseCountOf(1), flash.EraseCountOf(2) });
        Assert.Equal(6, flash.TotalErases);
    }

    [Fact]
    public void FileBackedImageSurvivesARestart()
    {
        string path = Path.Combine(Path.GetTempPath(), "smartkey-nor-" + Guid.NewGuid() + ".bin");
        try
        {
            var first = new NorFlash(128, 2, path);
            first.EraseSector(1);
            first.Write(130, new byte[] { 0x42 }, 0, 1);
            var second = new NorFlash(128, 2, path);
            var b = new byte[1];
            second.Read(130, b, 0, 1);
            Assert.Equal(0x42, b[0]);
            Assert.Equal(256, new FileInfo(path).Length);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
