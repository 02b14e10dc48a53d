namespace SmartKey.Firmware.Text
{
    /// <summary>Bytes from the wire or the store as a string, when every byte is printable ASCII.</summary>
    public static class Ascii
    {
        public const byte Space = 0x20;
        public const byte FirstVisible = 0x21;

        /// <summary>The text, or null when a byte lies outside lowest..0x7E (lowest: Space, or FirstVisible to refuse spaces).</summary>
        public static string Decode(byte[] data, int offset, int count, byte lowest)
        {
            char[] chars = new char[count];
            for (int i = 0; i < count; i++)
            {
                byte b = data[offset + i];
                if (b < lowest || b > 0x7E) return null;
                chars[i] = (char)b;
            }

            return new string(chars);
        }
    }
}
