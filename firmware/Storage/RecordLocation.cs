namespace SmartKey.Firmware.Storage
{
    /// <summary>Where the current version of one record lives (the store's RAM index entry).</summary>
    internal sealed class RecordLocation
    {
        public int Sector;
        public int Offset;
        public uint Sequence;
        public int Length;
        public bool Deleted;
        /// <summary>The newest version failed its CRC: the value is unknown (fail closed).</summary>
        public bool Damaged;
    }
}
