using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Crypto.P256;

namespace SmartKey.NFUnitTest.Phone
{
    /// <summary>
    /// What a phone derives from the label's setup code (docs/protocol.md, as tools/SmartKey.Phone/SetupCode.cs):
    /// w0s || w1s = PBKDF2-HMAC-SHA256(code, "SmartKey setup v1 " + serial, 20,000 iterations, 80 bytes),
    /// w0 = w0s mod n, w1 = w1s mod n; here on the firmware's HMAC and scalar code, so it runs on the interpreter.
    /// </summary>
    public static class SetupCodeKeys
    {
        public const int Iterations = 20000;

        /// <summary>(w0, w1) for the code and serial, as two 32-byte big-endian scalars.</summary>
        public static byte[][] Derive(string code, string serial)
        {
            byte[] output = Pbkdf2(Ascii(code), Ascii("SmartKey setup v1 " + serial), Iterations, 80);
            Scalar scalar = new Scalar();
            uint[] w0 = new uint[8], w1 = new uint[8];
            scalar.ReduceWide(output, 0, 40, w0);
            scalar.ReduceWide(output, 40, 40, w1);
            byte[] w0Bytes = new byte[32], w1Bytes = new byte[32];
            Scalar.Encode(w0, w0Bytes, 0);
            Scalar.Encode(w1, w1Bytes, 0);
            return new byte[][] { w0Bytes, w1Bytes };
        }

        /// <summary>PBKDF2 (RFC 8018) with HMAC-SHA256.</summary>
        public static byte[] Pbkdf2(byte[] password, byte[] salt, int iterations, int length)
        {
            HmacSha256 mac = new HmacSha256(password);
            byte[] output = new byte[length];
            byte[] block = new byte[salt.Length + 4];
            System.Array.Copy(salt, block, salt.Length);
            byte[] u = new byte[32], t = new byte[32];
            for (int index = 1, at = 0; at < length; index++, at += 32)
            {
                block[salt.Length] = (byte)(index >> 24);
                block[salt.Length + 1] = (byte)(index >> 16);
                block[salt.Length + 2] = (byte)(index >> 8);
                block[salt.Length + 3] = (byte)index;
                mac.Compute(block, 0, block.Length, u, 0);
                System.Array.Copy(u, t, 32);
                for (int i = 1; i < iterations; i++)
                {
                    mac.Compute(u, 0, 32, u, 0);
                    for (int k = 0; k < 32; k++)
                    {
                        t[k] ^= u[k];
                    }
                }

                System.Array.Copy(t, 0, output, at, length - at < 32 ? length - at : 32);
            }

            return output;
        }

        public static byte[] Ascii(string text)
        {
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = (byte)text[i];
            }

            return bytes;
        }
    }
}
