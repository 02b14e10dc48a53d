using System;
using System.Security.Cryptography;

namespace SmartKey.Hal.Esp32
{
    /// <summary>The native HMAC-SHA256.</summary>
    public sealed class Esp32HmacSha256 : IHmacSha256
    {
        public void Compute(byte[] key, byte[] data, int offset, int count, byte[] mac, int macOffset)
        {
            byte[] message = data;
            if (offset != 0 || count != data.Length)
            {
                message = new byte[count];
                Array.Copy(data, offset, message, 0, count);
            }

            byte[] tag = HMACSHA256.HashData(key, message);
            Array.Copy(tag, 0, mac, macOffset, 32);
        }
    }
}
