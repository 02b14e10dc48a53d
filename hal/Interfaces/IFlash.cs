namespace SmartKey.Hal
{
    /// <summary>
    /// NOR-like flash: an erase sets a whole sector to 0xFF, a write can only clear bits.
    /// Addresses are byte offsets from the start of the region the record store owns.
    /// A power cut may interrupt any write or erase; callers must make every update recoverable.
    /// </summary>
    public interface IFlash
    {
        int SectorSize { get; }

        int SectorCount { get; }

        FlashResult Read(int address, byte[] buffer, int offset, int count);

        FlashResult Write(int address, byte[] data, int offset, int count);

        FlashResult EraseSector(int sector);
    }
}
