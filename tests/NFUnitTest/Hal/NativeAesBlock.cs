using System;
using System.Security.Cryptography;
using SmartKey.Hal;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>The device's native AES as an IAesBlock, for the on-target CCM test (no ESP32 hal needed).</summary>
    public sealed class NativeAesBlock : IAesBlock
    {
        private readonly Aes _aes = new Aes(CipherMode.ECB);
        private readonly byte[] _block = new byte[16];

        public void SetKey(byte[] key)
        {
            _aes.Key = key;
        }

        public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            Array.Copy(input, inputOffset, _block, 0, 16);
            Array.Copy(_aes.Encrypt(_block), 0, output, outputOffset, 16);
        }
    }
}
