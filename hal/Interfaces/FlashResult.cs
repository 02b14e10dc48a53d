namespace SmartKey.Hal
{
    public enum FlashResult
    {
        Ok = 0,
        OutOfRange = 1,
        Misaligned = 2,
        /// <summary>The write would need to set a bit from 0 to 1: the sector must be erased first.</summary>
        NotErased = 3,
        IoError = 4,
    }
}
