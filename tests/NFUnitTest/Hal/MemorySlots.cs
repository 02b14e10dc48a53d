using System;
using SmartKey.Hal;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>
    /// Two firmware slots in RAM with MCUboot's test-boot rule (as hal/Simulated's SimFirmwareSlots, within the
    /// nanoFramework subset): the secondary is written in order, marked for a test boot, and BootloaderReset swaps it in.
    /// </summary>
    public sealed class MemorySlots : IFirmwareSlots
    {
        private byte[] _primary;
        private byte[] _secondary = new byte[0];
        private int _imageSize;

        public MemorySlots(byte[] primaryImage, int capacity)
        {
            _primary = primaryImage;
            SecondaryCapacity = capacity;
            State = SlotState.Confirmed;
        }

        public SlotState State { get; private set; }

        public string RunningVersion
        {
            get { return null; }
        }

        public int SecondaryCapacity { get; private set; }

        public int NextOffset { get; private set; }

        /// <summary>Slot writes so far.</summary>
        public int Writes { get; private set; }

        public byte[] PrimaryImage
        {
            get { return _primary; }
        }

        public SlotResult BeginImage(int imageSize)
        {
            if (State == SlotState.TestPending || State == SlotState.Testing)
            {
                return SlotResult.Busy;
            }

            if (imageSize <= 0 || imageSize > SecondaryCapacity)
            {
                return SlotResult.TooLarge;
            }

            _secondary = new byte[imageSize];
            for (int i = 0; i < imageSize; i++)
            {
                _secondary[i] = 0xFF;
            }

            _imageSize = imageSize;
            NextOffset = 0;
            return SlotResult.Ok;
        }

        public SlotResult WriteChunk(int offset, byte[] data, int dataOffset, int count)
        {
            if (_imageSize == 0)
            {
                return SlotResult.NoImage;
            }

            if (offset != NextOffset)
            {
                return SlotResult.BadOffset;
            }

            if (count < 0 || offset + count > _imageSize)
            {
                return SlotResult.TooLarge;
            }

            Array.Copy(data, dataOffset, _secondary, offset, count);
            NextOffset += count;
            Writes++;
            return SlotResult.Ok;
        }

        public SlotResult ResumeImage(int imageSize, byte[] expectedHeader)
        {
            return SlotResult.NoImage;
        }

        public SlotResult MarkForTest()
        {
            if (_imageSize == 0 || NextOffset != _imageSize)
            {
                return SlotResult.NoImage;
            }

            State = SlotState.TestPending;
            return SlotResult.Ok;
        }

        public SlotResult ConfirmRunning()
        {
            if (State != SlotState.Testing)
            {
                return SlotResult.NotTesting;
            }

            State = SlotState.Confirmed;
            return SlotResult.Ok;
        }

        public SlotResult RequestRevert()
        {
            return State == SlotState.Testing ? SlotResult.Ok : SlotResult.NotTesting;
        }

        /// <summary>What MCUboot does at reset: a pending test image is swapped in and boots in test mode.</summary>
        public void BootloaderReset()
        {
            if (State == SlotState.TestPending)
            {
                byte[] old = _primary;
                _primary = _secondary;
                _secondary = old;
                State = SlotState.Testing;
            }

            _imageSize = 0;
            NextOffset = 0;
        }
    }
}
