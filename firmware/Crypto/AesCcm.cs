using SmartKey.Hal;

namespace SmartKey.Firmware.Crypto
{
    /// <summary>
    /// AES-CCM (NIST SP 800-38C, RFC 3610) built on the hal's AES block primitive: CBC-MAC over B0, the
    /// associated data and the payload, then CTR encryption of payload and tag. Nonces of 7..13 bytes,
    /// tags of 4..16 even bytes; anything else is refused. Decryption checks the tag in constant time and
    /// leaves no plaintext behind when it fails.
    /// </summary>
    public sealed class AesCcm
    {
        public const int BlockLength = 16;

        private readonly IAesBlock _aes;
        private readonly byte[] _mac = new byte[BlockLength];
        private readonly byte[] _counter = new byte[BlockLength];
        private readonly byte[] _stream = new byte[BlockLength];
        private readonly byte[] _block = new byte[BlockLength];
        private readonly byte[] _expectedTag = new byte[BlockLength];

        public AesCcm(IAesBlock aes)
        {
            _aes = aes;
        }

        public void SetKey(byte[] key)
        {
            _aes.SetKey(key);
        }

        public static bool IsValidNonceLength(int length)
        {
            return length >= 7 && length <= 13;
        }

        public static bool IsValidTagLength(int length)
        {
            return length >= 4 && length <= 16 && (length & 1) == 0;
        }

        public bool Encrypt(byte[] nonce, byte[] aad, int aadOffset, int aadLength,
            byte[] plaintext, int offset, int length, byte[] ciphertext, int ciphertextOffset, byte[] tag, int tagOffset, int tagLength)
        {
            if (!CheckParameters(nonce, length, tagLength))
            {
                return false;
            }

            Mac(nonce, aad, aadOffset, aadLength, plaintext, offset, length, tagLength);
            Crypt(nonce, plaintext, offset, length, ciphertext, ciphertextOffset);
            StartCounter(nonce, 0);
            Encipher(_counter, _stream);
            for (int i = 0; i < tagLength; i++)
            {
                tag[tagOffset + i] = (byte)(_mac[i] ^ _stream[i]);
            }

            return true;
        }

        public bool Decrypt(byte[] nonce, byte[] aad, int aadOffset, int aadLength,
            byte[] ciphertext, int offset, int length, byte[] tag, int tagOffset, int tagLength, byte[] plaintext, int plaintextOffset)
        {
            if (!CheckParameters(nonce, length, tagLength))
            {
                return false;
            }

            Crypt(nonce, ciphertext, offset, length, plaintext, plaintextOffset);
            Mac(nonce, aad, aadOffset, aadLength, plaintext, plaintextOffset, length, tagLength);
            StartCounter(nonce, 0);
            Encipher(_counter, _stream);
            for (int i = 0; i < tagLength; i++)
            {
                _expectedTag[i] = (byte)(_mac[i] ^ _stream[i]);
            }

            if (!ConstantTime.AreEqual(_expectedTag, 0, tag, tagOffset, tagLength))
            {
                System.Array.Clear(plaintext, plaintextOffset, length);
                return false;
            }

            return true;
        }

        private static bool CheckParameters(byte[] nonce, int length, int tagLength)
        {
            if (nonce == null || !IsValidNonceLength(nonce.Length) || !IsValidTagLength(tagLength) || length < 0)
            {
                return false;
            }

            int q = 15 - nonce.Length;
            return q >= 4 || length < (1 << (8 * q));
        }

        private void Mac(byte[] nonce, byte[] aad, int aadOffset, int aadLength, byte[] payload, int offset, int length, int tagLength)
        {
            int q = 15 - nonce.Length;
            _block[0] = (byte)((aadLength > 0 ? 0x40 : 0) | (((tagLength - 2) / 2) << 3) | (q - 1));
            System.Array.Copy(nonce, 0, _block, 1, nonce.Length);
            for (int i = 0; i < q; i++)
            {
                _block[15 - i] = i < 4 ? (byte)(length >> (8 * i)) : (byte)0;
            }

            Encipher(_block, _mac);
            if (aadLength > 0)
            {
                // Length prefix of the associated data, then the data, zero-padded to whole blocks.
                System.Array.Clear(_block, 0, BlockLength);
                int used;
                if (aadLength < 0xFF00)
                {
                    _block[0] = (byte)(aadLength >> 8);
                    _block[1] = (byte)aadLength;
                    used = 2;
                }
                else
                {
                    _block[0] = 0xFF;
                    _block[1] = 0xFE;
                    Bytes.WriteUInt32BigEndian((uint)aadLength, _block, 2);
                    used = 6;
                }

                int done = 0;
                while (done < aadLength)
                {
                    int take = BlockLength - used;
                    if (take > aadLength - done)
                    {
                        take = aadLength - done;
                    }

                    System.Array.Copy(aad, aadOffset + done, _block, used, take);
                    done += take;
                    used += take;
                    if (used == BlockLength || done == aadLength)
                    {
                        AbsorbBlock(used);
                        used = 0;
                    }
                }
            }

            for (int done = 0; done < length; done += BlockLength)
            {
                int take = length - done < BlockLength ? length - done : BlockLength;
                System.Array.Copy(payload, offset + done, _block, 0, take);
                AbsorbBlock(take);
            }
        }

        /// <summary>XORs the first `used` bytes of _block (zero padding after) into the CBC-MAC and enciphers.</summary>
        private void AbsorbBlock(int used)
        {
            for (int i = 0; i < used; i++)
            {
                _mac[i] ^= _block[i];
            }

            Encipher(_mac, _mac);
            System.Array.Clear(_block, 0, BlockLength);
        }

        private void Crypt(byte[] nonce, byte[] input, int offset, int length, byte[] output, int outputOffset)
        {
            for (int done = 0, counter = 1; done < length; done += BlockLength, counter++)
            {
                StartCounter(nonce, counter);
                Encipher(_counter, _stream);
                int take = length - done < BlockLength ? length - done : BlockLength;
                for (int i = 0; i < take; i++)
                {
                    output[outputOffset + done + i] = (byte)(input[offset + done + i] ^ _stream[i]);
                }
            }
        }

        private void StartCounter(byte[] nonce, int counter)
        {
            int q = 15 - nonce.Length;
            _counter[0] = (byte)(q - 1);
            System.Array.Copy(nonce, 0, _counter, 1, nonce.Length);
            for (int i = 0; i < q; i++)
            {
                _counter[15 - i] = i < 4 ? (byte)(counter >> (8 * i)) : (byte)0;
            }
        }

        private void Encipher(byte[] input, byte[] output)
        {
            _aes.EncryptBlock(input, 0, output, 0);
        }
    }
}
