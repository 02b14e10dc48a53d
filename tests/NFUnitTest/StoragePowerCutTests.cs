using nanoFramework.TestFramework;
using SmartKey.Firmware.Storage;
using SmartKey.NFUnitTest.Hal;

namespace SmartKey.NFUnitTest
{
    /// <summary>
    /// The record store (firmware/Storage) on the interpreter: power is cut at every flash step of an update (whole, then
    /// torn in the middle of the step), and after each cut the store mounts and holds the old value or the new one, never
    /// a damaged one (as tests/SmartKey.Tests/Storage/RecordStoreTests does on the host).
    /// </summary>
    [TestClass]
    public class StoragePowerCutTests
    {
        private const int SectorSize = 512, Sectors = 8;

        [TestMethod]
        public void AnUpdateCutAtEveryStepMountsWithTheOldOrTheNewValue()
        {
            int steps = StepsOf(false);
            Assert.AreEqual(2, steps, "an update is two flash steps: the record, then its commit byte");
            int tried = 0;
            for (int t = 0; t < 2; t++)
            {
                for (int cut = 0; cut < steps; cut++)
                {
                    MemoryFlash flash = new MemoryFlash(SectorSize, Sectors);
                    RecordStore store = WithOldValues(flash);
                    flash.CutPowerAfter(cut, t == 1);
                    Assert.ThrowsException(typeof(PowerCutException), () => store.Write(RecordType.Binding, 1, Value(1, 2, 40), 0, 40), "the cut lands");
                    flash.PowerOn();
                    RecordStore again = Mounted(flash);
                    byte[] binding = ReadValue(again, RecordType.Binding, 1);
                    Assert.IsTrue(Same(binding, Value(1, 1, 40)) || Same(binding, Value(1, 2, 40)), "old or new after a cut at step " + cut.ToString());
                    Assert.IsTrue(Same(ReadValue(again, RecordType.Settings, 0), Value(0, 1, 40)), "the other record is untouched");
                    Assert.AreEqual(0, again.DamagedKeys, "damaged keys");
                    tried++;
                }
            }

            Assert.AreEqual(4, tried, "cut points");
        }

        [TestMethod]
        public void WritesThatCollectASectorCutAtEveryStepLoseNothingElse()
        {
            MemoryFlash reference = new MemoryFlash(SectorSize, Sectors);
            RecordStore full = Full(reference);
            byte[][] before = new byte[5][];
            for (int k = 0; k < 5; k++)
            {
                before[k] = ReadValue(full, RecordType.Binding, k);
            }

            int at = reference.Operations;
            WriteSevens(full);
            int steps = reference.Operations - at;
            Assert.IsTrue(Same(ReadValue(Mounted(reference), RecordType.Binding, 7), Value(7, 11, 40)), "uncut: the last value");
            int tried = 0;
            for (int t = 0; t < 2; t++)
            {
                for (int cut = 0; cut < steps; cut++)
                {
                    MemoryFlash flash = new MemoryFlash(SectorSize, Sectors);
                    RecordStore store = Full(flash);
                    flash.CutPowerAfter(cut, t == 1);
                    Assert.ThrowsException(typeof(PowerCutException), () => WriteSevens(store), "the cut lands");
                    flash.PowerOn();
                    RecordStore again = Mounted(flash);
                    for (int k = 0; k < 5; k++)
                    {
                        Assert.IsTrue(Same(before[k], ReadValue(again, RecordType.Binding, k)), "key " + k.ToString() + " after a cut at step " + cut.ToString());
                    }

                    byte[] seven = ReadValue(again, RecordType.Binding, 7);
                    bool known = seven.Length == 0;
                    for (int i = 0; i < 12 && !known; i++)
                    {
                        known = Same(seven, Value(7, i, 40));
                    }

                    Assert.IsTrue(known, "key 7 holds one of its values after a cut at step " + cut.ToString());
                    Assert.AreEqual(0, again.DamagedKeys, "damaged keys");
                    tried++;
                }
            }

            Assert.IsTrue(tried > 40, "cut points: " + tried.ToString());
        }

        private static int StepsOf(bool torn)
        {
            MemoryFlash flash = new MemoryFlash(SectorSize, Sectors);
            RecordStore store = WithOldValues(flash);
            int before = flash.Operations;
            Assert.AreEqual((int)StoreResult.Ok, (int)store.Write(RecordType.Binding, 1, Value(1, 2, 40), 0, 40), "uncut update");
            Assert.IsTrue(Same(ReadValue(Mounted(flash), RecordType.Binding, 1), Value(1, 2, 40)), "uncut: the new value");
            return flash.Operations - before;
        }

        private static RecordStore WithOldValues(MemoryFlash flash)
        {
            RecordStore s = Mounted(flash);
            s.Write(RecordType.Binding, 1, Value(1, 1, 40), 0, 40);
            s.Write(RecordType.Settings, 0, Value(0, 1, 40), 0, 40);
            return s;
        }

        private static RecordStore Full(MemoryFlash flash)
        {
            RecordStore s = Mounted(flash);
            for (int i = 0; i < 62; i++)
            {
                s.Write(RecordType.Binding, i % 5, Value(i % 5, i, 40), 0, 40);
            }

            return s;
        }

        private static void WriteSevens(RecordStore store)
        {
            for (int i = 0; i < 12; i++)
            {
                store.Write(RecordType.Binding, 7, Value(7, i, 40), 0, 40);
            }
        }

        private static RecordStore Mounted(MemoryFlash flash)
        {
            RecordStore store = new RecordStore(flash, 0, Sectors);
            Assert.AreEqual((int)StoreResult.Ok, (int)store.Mount(), "mount");
            return store;
        }

        private static byte[] Value(int key, int version, int length)
        {
            byte[] v = new byte[length];
            for (int i = 0; i < length; i++)
            {
                v[i] = (byte)(key * 31 + version * 7 + i);
            }

            return v;
        }

        private static byte[] ReadValue(RecordStore store, int type, int key)
        {
            byte[] buffer = new byte[RecordStore.MaxPayloadLength];
            int length;
            if (store.Read(type, key, buffer, out length) != StoreResult.Ok)
            {
                return new byte[0];
            }

            byte[] value = new byte[length];
            System.Array.Copy(buffer, value, length);
            return value;
        }

        private static bool Same(byte[] a, byte[] b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
