using System;
using System.Security.Cryptography;
using SmartKey.Hal;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>The device's native HMAC-SHA256 as an IHmacSha256, for the on-target differential test (no ESP32 hal needed).</summary>
    public sealed class NativeHmacSha256 : IHmacSha256
    {
        public void Compute(byte[] key, byte[] data, int offset, int count, byte[] mac, int macOffset)
        {
            byte[] message = new byte[count];
            Array.Copy(data, offset, message, 0, count);
            Array.Copy(HMACSHA256.HashData(key, message), 0, mac, macOffset, 32);
        }
    }
}
