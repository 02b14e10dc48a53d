namespace SmartKey.Hal
{
    public enum SlotResult
    {
        Ok = 0,
        BadOffset = 1,
        TooLarge = 2,
        FlashError = 3,
        NoImage = 4,
        /// <summary>A swap or test boot is already pending; finish or revert it first.</summary>
        Busy = 5,
        NotTesting = 6,
    }
}
