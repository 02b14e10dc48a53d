using System;
using System.Linq;
using CsCheck;
using SmartKey.Firmware.Storage;
using SmartKey.Hal.Simulated;
using Xunit;

namespace SmartKey.Tests.Storage;

public class RecordStoreTests
{
    private static NorFlash Flash() => new NorFlash(512, 8);

    private static RecordStore Mounted(NorFlash flash)
    {
        var store = new RecordStore(flash, 0, 8);
        Assert.Equal(StoreResult.Ok, store.Mount());
        return store;
    }

    private static byte[] Value(int key, int version, int length = 40) =>
        Enumerable.Range(0, length).Select(i => (byte)(key * 31 + version * 7 + i)).ToArray();

    private static byte[] ReadValue(RecordStore store, int type, int key)
    {
        var buffer = new byte[RecordStore.MaxPayloadLength];
        var r = store.Read(type, key, buffer, out int length);
        return r == StoreResult.Ok ? buffer[..length] : Array.Empty<byte>();
    }

    [Fact]
    public void WritesReadBackAndSurviveRemount()
    {
        var flash = Flash();
        var store = Mounted(flash);
        Assert.Equal(StoreResult.Ok, store.Write(RecordType.Settings, 0, Value(0, 1), 0, 40));
        Assert.Equal(StoreResult.Ok, store.Write(RecordType.Binding, 3, Value(3, 1), 0, 40));
        Assert.Equal(StoreResult.Ok, store.Write(RecordType.Binding, 3, Value(3, 2), 0, 40));
        Assert.Equal(StoreResult.Ok, store.Delete(RecordType.Settings, 0));
        var again = Mounted(flash);
        Assert.Equal(Value(3, 2), ReadValue(again, RecordType.Binding, 3));
        Assert.Equal(StoreResult.NotFound, again.Read(RecordType.Settings, 0, new byte[64], out _));
        Assert.Equal(new[] { 3 }, again.KeysOf(RecordType.Binding));
        Assert.Equal(0, again.CorruptRecords);
    }

    [Fact]
    public void BadArgumentsChangeNothing()
    {
        var flash = Flash();
        var store = Mounted(flash);
        int ops = flash.Operations;
        Assert.Equal(StoreResult.BadArgument, store.Write(RecordType.Settings, 0, new byte[2000], 0, 2000));
        Assert.Equal(StoreResult.BadArgument, store.Write(RecordType.Settings, 0, new byte[4], 2, 4));
        Assert.Equal(StoreResult.NotFound, store.Delete(RecordType.Binding, 9));
        Assert.Equal(ops, flash.Operations);
        Assert.Equal(StoreResult.NotMounted, new RecordStore(flash, 0, 8).Write(1, 1, new byte[1], 0, 1));
    }

    [Fact]
    public void GarbageCollectionKeepsEveryCurrentValueAndSpreadsWear()
    {
        var flash = Flash();
        var store = Mounted(flash);
        var rng = new Random(3);
        var expected = new System.Collections.Generic.Dictionary<int, byte[]>();
        for (int i = 0; i < 2000; i++)
        {
            int key = rng.Next(6);
            var v = Value(key, i, rng.Next(1, 60));
            Assert.Equal(StoreResult.Ok, store.Write(RecordType.Binding, key, v, 0, v.Length));
            expected[key] = v;
        }

        var again = Mounted(flash);
        foreach (var (key, v) in expected) Assert.Equal(v, ReadValue(again, RecordType.Binding, key));
        int[] erases = Enumerable.Range(0, 8).Select(flash.EraseCountOf).ToArray();
        Assert.True(erases.Min() > 0 && erases.Max() - erases.Min() <= 2, "wear: " + string.Join(",", erases));
        // Write amplification: bytes written stay within a small factor of the payload appended.
        Assert.True(flash.BytesWritten < 2000 * 80 * 3, "bytes written " + flash.BytesWritten);
    }

    [Fact]
    public void PowerCutAtEveryStepOfAnUpdateLeavesOldOrNew()
    {
        int tried = PowerCut.AtEveryStep(
            flash =>
            {
                var s = Mounted(flash);
                s.Write(RecordType.Binding, 1, Value(1, 1), 0, 40);
                s.Write(RecordType.Settings, 0, Value(0, 1), 0, 40);
                return s;
            },
            s => s.Write(RecordType.Binding, 1, Value(1, 2), 0, 40),
            (_, flash, completed) =>
            {
                var s = Mounted(flash);
                var v = ReadValue(s, RecordType.Binding, 1);
                Assert.True(v.SequenceEqual(Value(1, 1)) || v.SequenceEqual(Value(1, 2)));
                if (completed) Assert.Equal(Value(1, 2), v);
                Assert.Equal(Value(0, 1), ReadValue(s, RecordType.Settings, 0));
                Assert.Equal(0, s.DamagedKeys);
            },
            Flash);
        Assert.Equal(2 * 2, tried); // record + commit byte, whole and torn
    }

    [Fact]
    public void PowerCutAtEveryStepOfGarbageCollection()
    {
        // Fill the store until the next write must collect the oldest sector, then cut that write everywhere.
        static RecordStore Full(NorFlash flash)
        {
            var s = Mounted(flash);
            for (int i = 0; i < 62; i++) s.Write(RecordType.Binding, i % 5, Value(i % 5, i), 0, 40);
            return s;
        }

        byte[][] expectedBefore = new byte[5][];
        var reference = Full(Flash());
        for (int k = 0; k < 5; k++) expectedBefore[k] = ReadValue(reference, RecordType.Binding, k);
        int tried = PowerCut.AtEveryStep(Full,
            s => { for (int i = 0; i < 12; i++) s.Write(RecordType.Binding, 7, Value(7, i), 0, 40); },
            (_, flash, completed) =>
            {
                var s = Mounted(flash);
                for (int k = 0; k < 5; k++) Assert.Equal(expectedBefore[k], ReadValue(s, RecordType.Binding, k));
                var seven = ReadValue(s, RecordType.Binding, 7);
                Assert.True(seven.Length == 0 || Enumerable.Range(0, 12).Any(i => seven.SequenceEqual(Value(7, i))));
                Assert.Equal(0, s.DamagedKeys);
            },
            Flash);
        Assert.True(tried > 40, "cut points: " + tried);
    }

    [Fact]
    public void RottedRecordsAreReportedAndFailClosed()
    {
        var flash = Flash();
        var store = Mounted(flash);
        store.Write(RecordType.Binding, 1, Value(1, 1), 0, 40);
        store.Write(RecordType.Binding, 1, Value(1, 2), 0, 40);   // current version, at 16 + 60
        store.Write(RecordType.Binding, 2, Value(2, 1), 0, 40);
        flash.FlipBit(16 + 60 + 20, 3);                             // inside the payload of binding 1 v2
        var again = Mounted(flash);
        Assert.Equal(1, again.CorruptRecords);
        Assert.Equal(1, again.DamagedKeys);
        Assert.Equal(StoreResult.Damaged, again.Read(RecordType.Binding, 1, new byte[64], out _)); // never the stale v1
        Assert.Equal(Value(2, 1), ReadValue(again, RecordType.Binding, 2));                      // the scan went on
        Assert.Equal(StoreResult.Ok, again.Write(RecordType.Binding, 1, Value(1, 3), 0, 40));    // repaired by a rewrite
        Assert.Equal(Value(1, 3), ReadValue(Mounted(flash), RecordType.Binding, 1));
    }

    [Fact]
    public void GarbageAnywhereNeverCrashesTheMount()
    {
        // CsCheck property: a failing flash is shrunk to the fewest, shortest pokes and printed with its seed.
        var pokes = Gen.Select(Gen.Int[0, 512 * 8 - 9], Gen.Byte.Array[1, 7]).Array[1, 20];
        int trials = 0;
        Gen.Select(pokes, Gen.Int[0, 7].Nullable(0.8), Gen.Int[0, 10_000]).Sample((junk, erase, version) =>
        {
            var flash = Flash();
            var store = Mounted(flash);
            for (int i = 0; i < 20; i++) store.Write(RecordType.Binding, i % 4, Value(i % 4, i), 0, 40);
            foreach (var (at, bytes) in junk) flash.Poke(at, bytes);
            if (erase is int sector) flash.EraseSector(sector);
            var again = new RecordStore(flash, 0, 8);
            Assert.Equal(StoreResult.Ok, again.Mount());
            foreach (int key in again.KeysOf(RecordType.Binding)) again.Read(RecordType.Binding, key, new byte[RecordStore.MaxPayloadLength], out _);
            var w = again.Write(RecordType.Settings, 0, Value(0, version), 0, 40);
            Assert.True(w == StoreResult.Ok || w == StoreResult.FlashError, w.ToString());
            System.Threading.Interlocked.Increment(ref trials);
        }, iter: 300);

        Assert.Equal(300, trials);
    }
}
