using System;
using SmartKey.Hal;
using SmartKey.Hal.Simulated;

namespace SmartKey.Simulator.Fleet;

/// <summary>
/// A virtual lock's image slots with the MCUboot semantics of SimFirmwareSlots, but without keeping the
/// image: the update agent hashes while it writes and the slot cannot be read back, so only the header
/// (for resume and for the version the bootloader reports) and the write position are kept. That keeps a
/// lock at a few hundred bytes while a 1 MB release streams through ten thousand of them.
/// A bad flash fails every write from a given offset on (a worn sector stays worn).
/// </summary>
public sealed class FleetSlot : IFirmwareSlots
{
    private const int HeaderBytes = 32;
    private readonly byte[] _secondaryHeader = new byte[HeaderBytes];
    private string _primaryVersion;
    private string? _secondaryVersion;
    private int _imageSize;
    private int _written;
    private int _writtenBeforeReset;
    private bool _revertRequested;

    public FleetSlot(string runningVersion, int capacity = 1536 * 1024)
    {
        _primaryVersion = runningVersion;
        SecondaryCapacity = capacity;
    }

    /// <summary>Writes past this share of an image fail (the injected bad flash); negative when the flash is sound.</summary>
    public double FailWritesPast { get; set; } = -1;

    public SlotState State { get; private set; } = SlotState.Confirmed;

    public string RunningVersion => _primaryVersion;

    public int SecondaryCapacity { get; }

    public int NextOffset { get; private set; }

    /// <summary>Times the agent erased the slot for a new download (a resume does not count).</summary>
    public int ImagesBegun { get; private set; }

    public SlotResult BeginImage(int imageSize)
    {
        if (State == SlotState.TestPending || State == SlotState.Testing) return SlotResult.Busy;
        if (imageSize <= 0 || imageSize > SecondaryCapacity) return SlotResult.TooLarge;
        ImagesBegun++;
        Array.Fill(_secondaryHeader, (byte)0xFF);
        _secondaryVersion = null;
        _imageSize = imageSize;
        _written = 0;
        _writtenBeforeReset = 0;
        NextOffset = 0;
        return SlotResult.Ok;
    }

    public SlotResult WriteChunk(int offset, byte[] data, int dataOffset, int count)
    {
        if (State == SlotState.TestPending || State == SlotState.Testing) return SlotResult.Busy;
        if (_imageSize == 0) return SlotResult.NoImage;
        if (offset != NextOffset) return SlotResult.BadOffset;
        if (count < 0 || offset + count > _imageSize) return SlotResult.TooLarge;
        if (FailWritesPast >= 0 && offset + count > FailWritesPast * _imageSize) return SlotResult.FlashError;
        for (int i = 0; i < count && offset + i < HeaderBytes; i++) _secondaryHeader[offset + i] = data[dataOffset + i];
        NextOffset += count;
        _written = NextOffset;
        return SlotResult.Ok;
    }

    public SlotResult ResumeImage(int imageSize, byte[] expectedHeader)
    {
        if (State == SlotState.TestPending || State == SlotState.Testing) return SlotResult.Busy;
        int compare = Math.Min(expectedHeader.Length, HeaderBytes);
        if (_imageSize != imageSize || _writtenBeforeReset < compare) return SlotResult.NoImage;
        for (int i = 0; i < compare; i++)
            if (_secondaryHeader[i] != expectedHeader[i]) return SlotResult.NoImage;
        NextOffset = _writtenBeforeReset;
        return SlotResult.Ok;
    }

    public SlotResult MarkForTest()
    {
        if (State == SlotState.TestPending || State == SlotState.Testing) return SlotResult.Busy;
        if (_imageSize == 0 || NextOffset != _imageSize) return SlotResult.NoImage;
        _secondaryVersion = HeaderVersion(_secondaryHeader);
        State = SlotState.TestPending;
        return SlotResult.Ok;
    }

    public SlotResult ConfirmRunning()
    {
        if (State != SlotState.Testing) return SlotResult.NotTesting;
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

    /// <summary>What MCUboot does at reset (as SimFirmwareSlots.BootloaderReset).</summary>
    public void BootloaderReset()
    {
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

        // A partly written secondary survives the reset (it is flash); the write session does not.
        _writtenBeforeReset = State == before ? _written : 0;
        NextOffset = 0;
    }

    private void Swap()
    {
        string? previous = _primaryVersion;
        _primaryVersion = _secondaryVersion ?? _primaryVersion;
        _secondaryVersion = previous;
        _imageSize = 0;
        _written = 0;
    }

    /// <summary>The version in an MCUboot header (offset 20: major u8, minor u8, revision u16, build u32).</summary>
    private static string? HeaderVersion(byte[] h)
    {
        if (BitConverter.ToUInt32(h, 0) != 0x96f3b83d) return null;
        uint build = BitConverter.ToUInt32(h, 24);
        return $"{h[20]}.{h[21]}.{BitConverter.ToUInt16(h, 22)}" + (build != 0 ? "." + build : "");
    }
}
