namespace SmartKey.Firmware.Text
{
    /// <summary>Lower-case hex without allocation surprises (no BitConverter formatting on the device).</summary>
    public static class Hex
    {
        private const string Digits = "0123456789abcdef";

        public static int Nibble(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            return -1;
        }

        public static string Encode(byte[] data, int offset, int count)
        {
            char[] chars = new char[count * 2];
            for (int i = 0; i < count; i++)
            {
                byte b = data[offset + i];
                chars[2 * i] = Digits[b >> 4];
                chars[2 * i + 1] = Digits[b & 0x0F];
            }

            return new string(chars);
        }

        public static string Encode(byte[] data)
        {
            return Encode(data, 0, data.Length);
        }

        /// <summary>Decodes an even-length hex string; false on any other character.</summary>
        public static bool TryDecode(string text, out byte[] data)
        {
            data = null;
            if (text == null || (text.Length & 1) != 0)
            {
                return false;
            }

            byte[] result = new byte[text.Length / 2];
            for (int i = 0; i < result.Length; i++)
            {
                int hi = Nibble(text[2 * i]);
                int lo = Nibble(text[2 * i + 1]);
                if (hi < 0 || lo < 0)
                {
                    return false;
                }

                result[i] = (byte)((hi << 4) | lo);
            }

            data = result;
            return true;
        }
    }
}
