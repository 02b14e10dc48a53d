namespace SmartKey.Firmware.Storage
{
    /// <summary>
    /// How the flash region is split: the record store first (a quarter of the sectors, at least 4), then
    /// the unlock log (an eighth, at least 2, and enough for the configured entry count). The rest is spare.
    /// </summary>
    public sealed class FlashLayout
    {
        public readonly int RecordFirstSector;
        public readonly int RecordSectorCount;
        public readonly int LogFirstSector;
        public readonly int LogSectorCount;

        public FlashLayout(int sectorCount, int sectorSize, int logMaxEntries)
        {
            RecordFirstSector = 0;
            RecordSectorCount = sectorCount / 4 < 4 ? 4 : sectorCount / 4;
            LogFirstSector = RecordSectorCount;
            int perSector = sectorSize / SmartKey.Firmware.Log.LogEntry.Length;
            int needed = (logMaxEntries + perSector - 1) / perSector + 1;
            LogSectorCount = sectorCount / 8 < needed ? needed : sectorCount / 8;
            if (LogSectorCount < 2) LogSectorCount = 2;
            if (LogFirstSector + LogSectorCount > sectorCount)
            {
                throw new System.ArgumentException("flash too small for the record store and the unlock log");
            }
        }
    }
}
