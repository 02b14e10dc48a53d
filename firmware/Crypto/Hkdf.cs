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
