namespace SmartKey.Firmware.Keys
{
    public enum KeyResult
    {
        Ok = 0,
        NotFound = 1,
        Full = 2,
        InvalidArgument = 3,
        StorageError = 4,
        /// <summary>The last owner cannot be revoked (a factory reset removes every binding instead).</summary>
        LastOwner = 5,
    }
}
