using SmartKey.Hal;

namespace SmartKey.Firmware.Crypto
{
    /// <summary>HKDF-SHA256 (RFC 5869).</summary>
    public static class Hkdf
    {
        public const int MaxOutputLength = 255 * Sha256.HashLength;

        public static byte[] Extract(byte[] salt, byte[] ikm)
        {
            byte[] key = salt == null || salt.Length == 0 ? new byte[Sha256.HashLength] : salt;
            return HmacSha256.Compute(key, ikm);
        }

        /// <summary>False when length is not 1..8160 (255 blocks); output is then untouched.</summary>
        public static bool TryExpand(byte[] prk, byte[] info, int length, byte[] output, int offset)
        {
            if (length <= 0 || length > MaxOutputLength || prk == null || prk.Length < Sha256.HashLength)
            {
                return false;
            }

            HmacSha256 mac = new HmacSha256(prk);
            byte[] t = new byte[Sha256.HashLength];
            byte[] counter = new byte[1];
            int done = 0;
            for (int block = 1; done < length; block++)
            {
                mac.Begin();
                if (block > 1)
                {
                    mac.Update(t, 0, t.Length);
                }

                if (info != null)
                {
                    mac.Update(info, 0, info.Length);
                }

                counter[0] = (byte)block;
                mac.Update(counter, 0, 1);
                mac.Final(t, 0);
                int take = length - done < t.Length ? length - done : t.Length;
                System.Array.Copy(t, 0, output, offset + done, take);
                done += take;
            }

            Bytes.Wipe(t);
            return true;
        }

        /// <summary>
        /// HKDF through the hal's HMAC (native on the device) with the caller's buffers: no allocation in
        /// portable code (for the per-session key schedule). info holds infoLength bytes and one more for the
        /// block counter; prk holds 32 bytes; input is a scratch of exactly 32 + infoLength + 1 bytes
        /// (T(i-1) || info || i); output gets length bytes. Every HMAC input is a whole array, so the ESP32's
        /// HMACSHA256.HashData(key, message) needs no copy of it.
        /// </summary>
        public static void DeriveInto(IHmacSha256 hmac, byte[] salt, byte[] ikm, byte[] info, int infoLength, byte[] prk, byte[] input, byte[] output, int length)
        {
            hmac.Compute(salt, ikm, 0, ikm.Length, prk, 0);
            System.Array.Copy(info, 0, input, Sha256.HashLength, infoLength);
            int done = 0;
            for (int counter = 1; done < length; counter++)
            {
                // T(1) = HMAC(prk, info || 1); T(i) = HMAC(prk, T(i-1) || info || i), T(i-1) already in input[0..32).
                if (counter == 1)
                {
                    info[infoLength] = 1;
                    hmac.Compute(prk, info, 0, infoLength + 1, input, 0);
                }
                else
                {
                    input[Sha256.HashLength + infoLength] = (byte)counter;
                    hmac.Compute(prk, input, 0, Sha256.HashLength + infoLength + 1, input, 0);
                }

                int take = length - done < Sha256.HashLength ? length - done : Sha256.HashLength;
                System.Array.Copy(input, 0, output, done, take);
                done += take;
            }

            System.Array.Clear(prk, 0, prk.Length);
            System.Array.Clear(input, 0, input.Length);
        }

        public static byte[] DeriveKey(byte[] salt, byte[] ikm, byte[] info, int length)
        {
            byte[] prk = Extract(salt, ikm);
            byte[] output = new byte[length];
            bool ok = TryExpand(prk, info, length, output, 0);
            Bytes.Wipe(prk);
            if (!ok)
            {
                throw new System.ArgumentOutOfRangeException("length");
            }

            return output;
        }
    }
}
