using SmartKey.Hal;

namespace SmartKey.Firmware.Crypto
{
    /// <summary>
    /// The hal's HMAC-SHA256 seam served by the portable HmacSha256, for a hal without a native one
    /// (HalBundle.Hmac null). Each call keys afresh: two compressions more than a cached key.
    /// </summary>
    public sealed class ManagedHmacSha256 : IHmacSha256
    {
        private readonly HmacSha256 _mac = new HmacSha256();

        public void Compute(byte[] key, byte[] data, int offset, int count, byte[] mac, int macOffset)
        {
            _mac.SetKey(key, 0, key.Length);
            _mac.Compute(data, offset, count, mac, macOffset);
        }

        /// <summary>The hal's HMAC when it has one, else a managed one.</summary>
        public static IHmacSha256 Or(IHmacSha256 native)
        {
            if (native != null)
            {
                return native;
            }

            return new ManagedHmacSha256();
        }
    }
}
