namespace SmartKey.Hal
{
    /// <summary>HMAC-SHA256 (native on the ESP32).</summary>
    public interface IHmacSha256
    {
        /// <summary>
        /// Writes the 32-byte tag of data[offset..offset+count) under key into mac[macOffset..]; mac may be the
        /// data array (the tag is written after the data is read).
        /// </summary>
        void Compute(byte[] key, byte[] data, int offset, int count, byte[] mac, int macOffset);
    }
}
