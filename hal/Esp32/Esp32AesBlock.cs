using System;
using System.Security.Cryptography;

namespace SmartKey.Hal.Esp32
{
    /// <summary>The native AES in ECB mode, one 16-byte block per call.</summary>
    public sealed class Esp32AesBlock : IAesBlock
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
            byte[] result = _aes.Encrypt(_block);
            Array.Copy(result, 0, output, outputOffset, 16);
        }
    }
}
