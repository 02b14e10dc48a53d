using System;
using System.IO;

namespace SmartKey.Hal.Simulated;

/// <summary>
/// NOR flash as the record store sees it: erase sets a sector to 0xFF, a write can only clear bits
/// (a write that would set one is refused), every sector counts its erases, and the image can live in
/// a file. Fault injection: cut power after the Nth operation (write or erase), optionally in the middle
/// of the next one, leaving torn bytes; after a cut every access throws until PowerOn().
/// </summary>
public sealed class NorFlash : IFlash
{
    private readonly byte[] _data;
    private readonly int[] _eraseCounts;
    private readonly string? _backingFile;
    private readonly SeededEntropy _tearing;
    private int _cutAfterOperations = -1;
    private bool _tearOnCut;
    private bool _powered = true;

    public NorFlash(int sectorSize, int sectorCount, string? backingFile = null, ulong tearSeed = 1)
    {
        if (sectorSize <= 0 || sectorCount <= 0) throw new ArgumentOutOfRangeException(nameof(sectorSize));
        SectorSize = sectorSize;
        SectorCount = sectorCount;
        _data = new byte[sectorSize * sectorCount];
        _eraseCounts = new int[sectorCount];
        _tearing = new SeededEntropy(tearSeed);
        _backingFile = backingFile;
        Array.Fill(_data, (byte)0xFF);
        if (backingFile != null && File.Exists(backingFile))
        {
            byte[] image = File.ReadAllBytes(backingFile);
            if (image.Length != _data.Length)
                throw new InvalidDataException($"{backingFile} holds {image.Length} bytes, expected {_data.Length}");
            image.CopyTo(_data, 0);
        }
    }

    public int SectorSize { get; }

    public int SectorCount { get; }

    public int Size => _data.Length;

    /// <summary>Writes must start and end on this boundary (1 = any byte).</summary>
    public int WriteAlignment { get; set; } = 1;

    public int Operations { get; private set; }

    public int WriteCount { get; private set; }

    public long BytesWritten { get; private set; }

    public int TotalErases { get; private set; }

    public long BytesRead { get; private set; }

    public bool IsPowered => _powered;

    public int EraseCountOf(int sector) => _eraseCounts[sector];

    /// <summary>The raw image, e.g. to scan for residue after a factory reset.</summary>
    public byte[] Snapshot() => (byte[])_data.Clone();

    /// <summary>Operations 1..n complete; operation n+1 is cut (torn: partly applied) and power is lost.</summary>
    public void CutPowerAfter(int operations, bool tearTheNext)
    {
        _cutAfterOperations = Operations + operations;
        _tearOnCut = tearTheNext;
    }

    public void CancelPowerCut() => _cutAfterOperations = -1;

    public void PowerOn()
    {
        _powered = true;
        _cutAfterOperations = -1;
    }

    /// <summary>Flips one bit in place: bit rot or a cosmic ray, for corruption tests.</summary>
    public void FlipBit(int address, int bit) => _data[address] ^= (byte)(1 << bit);

    /// <summary>Writes raw bytes without NOR rules (test set-up of corrupted images).</summary>
    public void Poke(int address, byte[] bytes) => bytes.CopyTo(_data, address);

    public FlashResult Read(int address, byte[] buffer, int offset, int count)
    {
        EnsurePowered("read");
        if (!InRange(address, count) || offset < 0 || offset + count > buffer.Length) return FlashResult.OutOfRange;
        Array.Copy(_data, address, buffer, offset, count);
        BytesRead += count;
        return FlashResult.Ok;
    }

    public FlashResult Write(int address, byte[] data, int offset, int count)
    {
        EnsurePowered("write");
        if (!InRange(address, count) || offset < 0 || offset + count > data.Length) return FlashResult.OutOfRange;
        if (address % WriteAlignment != 0 || count % WriteAlignment != 0) return FlashResult.Misaligned;
        for (int i = 0; i < count; i++)
            if ((data[offset + i] & ~_data[address + i] & 0xFF) != 0) return FlashResult.NotErased;

        if (CutNow())
        {
            // Torn write: a prefix lands, the byte in flight gets a random subset of its cleared bits.
            int landed = _tearOnCut ? _tearing.NextInt(count + 1) : 0;
            for (int i = 0; i < landed; i++) _data[address + i] &= data[offset + i];
            if (_tearOnCut && landed < count)
                _data[address + landed] &= (byte)(data[offset + landed] | (byte)_tearing.Next());
            Persist(address, count);
            throw Lose("write of " + count + " bytes at " + address);
        }

        for (int i = 0; i < count; i++) _data[address + i] &= data[offset + i];
        WriteCount++;
        BytesWritten += count;
        Persist(address, count);
        return FlashResult.Ok;
    }

    public FlashResult EraseSector(int sector)
    {
        EnsurePowered("erase");
        if (sector < 0 || sector >= SectorCount) return FlashResult.OutOfRange;
        int start = sector * SectorSize;
        if (CutNow())
        {
            // Interrupted erase: part of the sector is already 0xFF, the rest still holds old data.
            int erased = _tearOnCut ? _tearing.NextInt(SectorSize + 1) : 0;
            Array.Fill(_data, (byte)0xFF, start, erased);
            Persist(start, SectorSize);
            throw Lose("erase of sector " + sector);
        }

        Array.Fill(_data, (byte)0xFF, start, SectorSize);
        _eraseCounts[sector]++;
        TotalErases++;
        Persist(start, SectorSize);
        return FlashResult.Ok;
    }

    private bool CutNow()
    {
        Operations++;
        return _cutAfterOperations >= 0 && Operations > _cutAfterOperations;
    }

    private PowerLossException Lose(string where)
    {
        _powered = false;
        _cutAfterOperations = -1;
        return new PowerLossException(where);
    }

    private void EnsurePowered(string what)
    {
        if (!_powered) throw new PowerLossException(what + " while the power is off");
    }

    private bool InRange(int address, int count) => address >= 0 && count >= 0 && address + count <= _data.Length;

    private void Persist(int address, int count)
    {
        if (_backingFile == null) return;
        using var file = new FileStream(_backingFile, FileMode.OpenOrCreate, FileAccess.Write);
        if (file.Length != _data.Length)
        {
            file.SetLength(0);
            file.Write(_data, 0, _data.Length);
            return;
        }

        file.Position = address;
        file.Write(_data, address, count);
    }
}
