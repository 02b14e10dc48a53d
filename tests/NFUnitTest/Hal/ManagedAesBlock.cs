using SmartKey.Hal;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>
    /// AES (FIPS 197) encryption in managed code, 128-, 192- and 256-bit keys: the IAesBlock of an interpreter without
    /// the native one (nanoCLR for Linux throws NotSupportedException from System.Security.Cryptography.Aes). CCM only
    /// encrypts blocks, so there is no decryption. Byte-wise and table-free but for the S-box: slow, and only for tests.
    /// </summary>
    public sealed class ManagedAesBlock : IAesBlock
    {
        private static byte[] _sbox;
        private byte[] _roundKeys = new byte[0];
        private int _rounds;
        private readonly byte[] _state = new byte[16];

        public ManagedAesBlock()
        {
            if (_sbox == null)
            {
                _sbox = BuildSbox();
            }
        }

        public void SetKey(byte[] key)
        {
            int nk = key.Length / 4;
            if (key.Length != 16 && key.Length != 24 && key.Length != 32)
            {
                throw new System.ArgumentException("AES keys are 16, 24 or 32 bytes");
            }

            _rounds = nk + 6;
            int words = 4 * (_rounds + 1);
            byte[] w = new byte[words * 4];
            System.Array.Copy(key, w, key.Length);
            byte rcon = 1;
            byte[] t = new byte[4];
            for (int i = nk; i < words; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    t[j] = w[(i - 1) * 4 + j];
                }

                if (i % nk == 0)
                {
                    byte first = t[0];
                    t[0] = (byte)(_sbox[t[1]] ^ rcon);
                    t[1] = _sbox[t[2]];
                    t[2] = _sbox[t[3]];
                    t[3] = _sbox[first];
                    rcon = Times2(rcon);
                }
                else if (nk > 6 && i % nk == 4)
                {
                    for (int j = 0; j < 4; j++)
                    {
                        t[j] = _sbox[t[j]];
                    }
                }

                for (int j = 0; j < 4; j++)
                {
                    w[i * 4 + j] = (byte)(w[(i - nk) * 4 + j] ^ t[j]);
                }
            }

            _roundKeys = w;
        }

        public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            byte[] s = _state;
            for (int i = 0; i < 16; i++)
            {
                s[i] = (byte)(input[inputOffset + i] ^ _roundKeys[i]);
            }

            for (int round = 1; round <= _rounds; round++)
            {
                // SubBytes and ShiftRows (the state is column-major: byte r + 4c is row r of column c).
                byte[] sub = new byte[16];
                for (int c = 0; c < 4; c++)
                {
                    for (int r = 0; r < 4; r++)
                    {
                        sub[r + 4 * c] = _sbox[s[r + 4 * ((c + r) % 4)]];
                    }
                }

                if (round < _rounds)
                {
                    for (int c = 0; c < 4; c++)
                    {
                        byte a0 = sub[4 * c], a1 = sub[4 * c + 1], a2 = sub[4 * c + 2], a3 = sub[4 * c + 3];
                        s[4 * c] = (byte)(Times2(a0) ^ Times2(a1) ^ a1 ^ a2 ^ a3);
                        s[4 * c + 1] = (byte)(a0 ^ Times2(a1) ^ Times2(a2) ^ a2 ^ a3);
                        s[4 * c + 2] = (byte)(a0 ^ a1 ^ Times2(a2) ^ Times2(a3) ^ a3);
                        s[4 * c + 3] = (byte)(Times2(a0) ^ a0 ^ a1 ^ a2 ^ Times2(a3));
                    }
                }
                else
                {
                    System.Array.Copy(sub, s, 16);
                }

                int k = round * 16;
                for (int i = 0; i < 16; i++)
                {
                    s[i] = (byte)(s[i] ^ _roundKeys[k + i]);
                }
            }

            System.Array.Copy(s, 0, output, outputOffset, 16);
        }

        private static byte Times2(byte b)
        {
            int x = b << 1;
            return (byte)((x & 0x100) != 0 ? x ^ 0x11B : x);
        }

        private static byte[] BuildSbox()
        {
            // Multiplicative inverse in GF(2^8) via generator 3, then the affine map.
            byte[] exp = new byte[256], log = new byte[256];
            int v = 1;
            for (int i = 0; i < 255; i++)
            {
                exp[i] = (byte)v;
                log[v] = (byte)i;
                v = v ^ Times2((byte)v);
            }

            byte[] sbox = new byte[256];
            for (int i = 0; i < 256; i++)
            {
                int inv = i == 0 ? 0 : exp[(255 - log[i]) % 255];
                int x = inv;
                int result = inv;
                for (int r = 0; r < 4; r++)
                {
                    x = ((x << 1) | (x >> 7)) & 0xFF;
                    result ^= x;
                }

                sbox[i] = (byte)(result ^ 0x63);
            }

            return sbox;
        }
    }
}
