using System;
using SmartKey.Hal;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>
    /// The AES and HMAC a test's lock gets: the device's native ones (System.Security.Cryptography) where the runtime has
    /// them, as on the ESP32; the managed ones where it has not (nanoCLR for Linux throws NotSupportedException).
    /// </summary>
    public static class Ciphers
    {
        private static int _native = -1;

        /// <summary>Whether this runtime has native AES and HMAC (probed once).</summary>
        public static bool HasNative
        {
            get
            {
                if (_native < 0)
                {
                    try
                    {
                        NativeAesBlock probe = new NativeAesBlock();
                        probe.SetKey(new byte[16]);
                        probe.EncryptBlock(new byte[16], 0, new byte[16], 0);
                        new NativeHmacSha256().Compute(new byte[1], new byte[1], 0, 1, new byte[32], 0);
                        _native = 1;
                    }
                    catch (NotSupportedException)
                    {
                        _native = 0;
                    }
                    catch (NotImplementedException)
                    {
                        _native = 0;
                    }
                }

                return _native == 1;
            }
        }

        public static IAesBlock Aes()
        {
            return HasNative ? (IAesBlock)new NativeAesBlock() : new ManagedAesBlock();
        }

        public static IHmacSha256 Hmac()
        {
            return HasNative ? (IHmacSha256)new NativeHmacSha256() : new SmartKey.Firmware.Crypto.ManagedHmacSha256();
        }
    }
}
