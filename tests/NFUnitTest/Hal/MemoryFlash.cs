using System;
using SmartKey.Hal;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>
    /// NOR flash in RAM, as hal/Simulated's NorFlash but within the nanoFramework subset: an erase sets a sector to 0xFF,
    /// a write only clears bits (one that would set a bit is refused). Power-cut injection: operations 1..n complete, the
    /// next is cut (whole: nothing lands; torn: a prefix lands and the byte in flight gets some of its bits) and every
    /// access throws until PowerOn.
    /// </summary>
    public sealed class MemoryFlash : IFlash
    {
        private readonly byte[] _data;
        private int _cutAfter = -1;
        private bool _tear;
        private bool _powered = true;
        private int _tearState = 12345;

        public MemoryFlash(int sectorSize, int sectorCount)
        {
            SectorSize = sectorSize;
            SectorCount = sectorCount;
            _data = new byte[sectorSize * sectorCount];
            for (int i = 0; i < _data.Length; i++)
            {
                _data[i] = 0xFF;
            }
        }

        public int SectorSize { get; private set; }

        public int SectorCount { get; private set; }

        /// <summary>Writes and erases so far (the steps a power cut can land between).</summary>
        public int Operations { get; private set; }

        /// <summary>Operations 1..n (from now) complete; the next one is cut, torn or whole, and power is lost.</summary>
        public void CutPowerAfter(int operations, bool torn)
        {
            _cutAfter = Operations + operations;
            _tear = torn;
        }

        public void PowerOn()
        {
            _powered = true;
            _cutAfter = -1;
        }

        /// <summary>A copy of every byte, e.g. to look for what a factory reset must not leave behind.</summary>
        public byte[] Snapshot()
        {
            byte[] copy = new byte[_data.Length];
            Array.Copy(_data, copy, _data.Length);
            return copy;
        }

        public FlashResult Read(int address, byte[] buffer, int offset, int count)
        {
            EnsurePowered();
            if (!InRange(address, count) || offset < 0 || offset + count > buffer.Length)
            {
                return FlashResult.OutOfRange;
            }

            Array.Copy(_data, address, buffer, offset, count);
            return FlashResult.Ok;
        }

        public FlashResult Write(int address, byte[] data, int offset, int count)
        {
            EnsurePowered();
            if (!InRange(address, count) || offset < 0 || offset + count > data.Length)
            {
                return FlashResult.OutOfRange;
            }

            for (int i = 0; i < count; i++)
            {
                if ((data[offset + i] & ~_data[address + i] & 0xFF) != 0)
                {
                    return FlashResult.NotErased;
                }
            }

            if (CutNow())
            {
                int landed = _tear ? NextTear(count + 1) : 0;
                for (int i = 0; i < landed; i++)
                {
                    _data[address + i] &= data[offset + i];
                }

                if (_tear && landed < count)
                {
                    _data[address + landed] &= (byte)(data[offset + landed] | NextTear(256));
                }

                throw Lose("a write of " + count.ToString() + " bytes");
            }

            for (int i = 0; i < count; i++)
            {
                _data[address + i] &= data[offset + i];
            }

            return FlashResult.Ok;
        }

        public FlashResult EraseSector(int sector)
        {
            EnsurePowered();
            if (sector < 0 || sector >= SectorCount)
            {
                return FlashResult.OutOfRange;
            }

            int start = sector * SectorSize;
            int erased = SectorSize;
            if (CutNow())
            {
                erased = _tear ? NextTear(SectorSize + 1) : 0;
            }

            for (int i = 0; i < erased; i++)
            {
                _data[start + i] = 0xFF;
            }

            if (erased < SectorSize || !_powered)
            {
                throw Lose("an erase of sector " + sector.ToString());
            }

            return FlashResult.Ok;
        }

        private bool CutNow()
        {
            Operations++;
            if (_cutAfter >= 0 && Operations > _cutAfter)
            {
                _powered = false;
                return true;
            }

            return false;
        }

        private PowerCutException Lose(string what)
        {
            _powered = false;
            _cutAfter = -1;
            return new PowerCutException(what);
        }

        private void EnsurePowered()
        {
            if (!_powered)
            {
                throw new PowerCutException("an access while the power is off");
            }
        }

        private bool InRange(int address, int count)
        {
            return address >= 0 && count >= 0 && address + count <= _data.Length;
        }

        /// <summary>Deterministic tearing: 0..max-1 (a 31-bit LCG; signed arithmetic only, see docs/nanoclr.md).</summary>
        private int NextTear(int max)
        {
            _tearState = (_tearState * 1103515245 + 12345) & 0x7FFFFFFF;
            return (_tearState >> 8) % max;
        }
    }
}
