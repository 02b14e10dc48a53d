namespace SmartKey.Firmware.Crypto
{
    /// <summary>Comparisons whose running time does not depend on where the inputs differ.</summary>
    public static class ConstantTime
    {
        public static bool AreEqual(byte[] a, int aOffset, byte[] b, int bOffset, int count)
        {
            int diff = 0;
            for (int i = 0; i < count; i++)
            {
                diff |= a[aOffset + i] ^ b[bOffset + i];
            }

            return diff == 0;
        }

        public static bool AreEqual(byte[] a, byte[] b)
        {
            if (a == null || b == null || a.Length != b.Length)
            {
                return false;
            }

            return AreEqual(a, 0, b, 0, a.Length);
        }
    }
}
