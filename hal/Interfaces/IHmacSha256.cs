namespace SmartKey.Hal
{
    /// <summary>HMAC-SHA256 (native on the ESP32).</summary>
    public interface IHmacSha256
    {
        /// <summary>Writes the 32-byte tag of data[offset..offset+count) under key into mac[macOffset..].</summary>
        void Compute(byte[] key, byte[] data, int offset, int count, byte[] mac, int macOffset);
    }
}
