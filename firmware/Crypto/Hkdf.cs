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
        /// HKDF with a caller's HMAC instance and buffers: no allocation (for the per-session key schedule).
        /// prk must hold 32 bytes; block is a 32-byte scratch.
        /// </summary>
        public static void DeriveInto(HmacSha256 mac, byte[] salt, byte[] ikm, byte[] info, int infoLength, byte[] prk, byte[] block, byte[] output, int length)
        {
            mac.SetKey(salt, 0, salt.Length);
            mac.Compute(ikm, 0, ikm.Length, prk, 0);
            mac.SetKey(prk, 0, prk.Length);
            int done = 0;
            for (int counter = 1; done < length; counter++)
            {
                mac.Begin();
                if (counter > 1) mac.Update(block, 0, Sha256.HashLength);
                mac.Update(info, 0, infoLength);
                block[0] = (byte)counter;
                mac.Update(block, 0, 1);
                mac.Final(block, 0);
                int take = length - done < Sha256.HashLength ? length - done : Sha256.HashLength;
                System.Array.Copy(block, 0, output, done, take);
                done += take;
            }

            System.Array.Clear(prk, 0, prk.Length);
            System.Array.Clear(block, 0, block.Length);
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
