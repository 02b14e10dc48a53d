namespace SmartKey.Firmware.Storage
{
    public enum StoreResult
    {
        Ok = 0,
        NotFound = 1,
        TooLarge = 2,
        /// <summary>Live data does not fit even after garbage collection.</summary>
        Full = 3,
        FlashError = 4,
        BadArgument = 5,
        NotMounted = 6,
        /// <summary>The newest version of the record failed its CRC: its value is unknown.</summary>
        Damaged = 7,
    }
}
