using System;

namespace SmartKey.Hal.Simulated;

/// <summary>
/// Two image slots and an MCUboot-style trailer. The simulated bootloader runs in BootloaderReset():
/// a pending test image is swapped in and boots in test mode; a test image that was not confirmed
/// before the next reset is swapped back out (reverted).
/// </summary>
public sealed class SimFirmwareSlots : IFirmwareSlots
{
    private byte[] _primary;
    private byte[] _secondary;
    private int _imageSize;
    private bool _revertRequested;
    private int _writtenBeforeReset;

    public SimFirmwareSlots(byte[] primaryImage, int slotCapacity = 1536 * 1024)
    {
        SecondaryCapacity = slotCapacity;
        _primary = (byte[])primaryImage.Clone();
        _secondary = Array.Empty<byte>();
    }

    public SlotState State { get; private set; } = SlotState.Confirmed;

    /// <summary>The version in the primary image's MCUboot header (offset 20: major u8, minor u8, revision u16, build u32), or null.</summary>
    public string? RunningVersion
    {
        get
        {
            if (_primary.Length < 32 || BitConverter.ToUInt32(_primary, 0) != 0x96f3b83d) return null;
            uint build = BitConverter.ToUInt32(_primary, 24);
            return $"{_primary[20]}.{_primary[21]}.{BitConverter.ToUInt16(_primary, 22)}" + (build != 0 ? "." + build : "");
        }
    }

    /// <summary>Slot writes and state changes so far (for cutting power at each).</summary>
    public int Operations { get; private set; }

    private int _cutAfter = -1;

    /// <summary>Operations 1..n complete; the next one is cut (a write lands partly), power is lost.</summary>
    public void CutPowerAfter(int operations) => _cutAfter = Operations + operations;

    private void Step(string what)
    {
        Operations++;
        if (_cutAfter >= 0 && Operations > _cutAfter)
        {
            _cutAfter = -1;
            throw new PowerLossException("slot " + what);
        }
    }

    public int SecondaryCapacity { get; }

    public int NextOffset { get; private set; }

    public byte[] PrimaryImage => (byte[])_primary.Clone();

    public int SlotWrites { get; private set; }

    /// <summary>Fault injection: a worn-out secondary slot, every write fails (FlashError).</summary>
    public bool BadFlash { get; set; }

    /// <summary>Fault injection: one bit of the secondary slot changes (flash wear, or someone at the flash while the lock is off).</summary>
    public void FlipSecondaryBit(int offset, int bit) => _secondary[offset] ^= (byte)(1 << bit);

    public SlotResult BeginImage(int imageSize)
    {
        if (State == SlotState.TestPending || State == SlotState.Testing) return SlotResult.Busy;
        if (imageSize <= 0 || imageSize > SecondaryCapacity) return SlotResult.TooLarge;
        Step("erase");
        _secondary = new byte[imageSize];
        Array.Fill(_secondary, (byte)0xFF);
        _imageSize = imageSize;
        NextOffset = 0;
        return SlotResult.Ok;
    }

    public SlotResult WriteChunk(int offset, byte[] data, int dataOffset, int count)
    {
        if (State == SlotState.TestPending || State == SlotState.Testing) return SlotResult.Busy;
        if (_imageSize == 0) return SlotResult.NoImage;
        if (offset != NextOffset) return SlotResult.BadOffset;
        if (count < 0 || offset + count > _imageSize) return SlotResult.TooLarge;
        if (BadFlash) return SlotResult.FlashError;
        if (_cutAfter >= 0 && Operations + 1 > _cutAfter)
        {
            Array.Copy(data, dataOffset, _secondary, offset, count / 2);   // half of it reached the flash
            Step("write");
        }

        Step("write");
        Array.Copy(data, dataOffset, _secondary, offset, count);
        NextOffset += count;
        SlotWrites++;
        return SlotResult.Ok;
    }

    public SlotResult ResumeImage(int imageSize, byte[] expectedHeader)
    {
        if (State == SlotState.TestPending || State == SlotState.Testing) return SlotResult.Busy;
        if (_secondary.Length != imageSize || _writtenBeforeReset < expectedHeader.Length) return SlotResult.NoImage;
        for (int i = 0; i < expectedHeader.Length; i++)
            if (_secondary[i] != expectedHeader[i]) return SlotResult.NoImage;
        _imageSize = imageSize;
        NextOffset = _writtenBeforeReset;
        return SlotResult.Ok;
    }

    public SlotResult MarkForTest()
    {
        if (State == SlotState.TestPending || State == SlotState.Testing) return SlotResult.Busy;
        if (_imageSize == 0 || NextOffset != _imageSize) return SlotResult.NoImage;
        Step("mark for test");
        State = SlotState.TestPending;
        return SlotResult.Ok;
    }

    public SlotResult ConfirmRunning()
    {
        if (State != SlotState.Testing) return SlotResult.NotTesting;
        Step("confirm");
        State = SlotState.Confirmed;
        _revertRequested = false;
        return SlotResult.Ok;
    }

    public SlotResult RequestRevert()
    {
        if (State != SlotState.Testing) return SlotResult.NotTesting;
        _revertRequested = true;
        return SlotResult.Ok;
    }

    /// <summary>What MCUboot does at reset.</summary>
    public void BootloaderReset()
    {
        int written = NextOffset;
        var before = State;
        if (State == SlotState.TestPending)
        {
            Swap();
            State = SlotState.Testing;
        }
        else if (State == SlotState.Testing || _revertRequested)
        {
            Swap();
            State = SlotState.Reverted;
            _revertRequested = false;
        }

        // A partly written secondary survives the reset (it is flash); the session does not.
        _writtenBeforeReset = State == before ? written : 0;
        _imageSize = 0;
        NextOffset = 0;
    }

    private void Swap() => (_primary, _secondary) = (_secondary, _primary);
}
