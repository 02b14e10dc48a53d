namespace SmartKey.Firmware.Storage
{
    /// <summary>CRC-32 (IEEE 802.3, reflected, as in zlib) over flash records.</summary>
    public static class Crc32
    {
        private static readonly uint[] Table = Build();

        public static uint Compute(byte[] data, int offset, int count)
        {
            return Update(0, data, offset, count);
        }

        /// <summary>Continues a CRC: pass 0 to start, then the previous result.</summary>
        public static uint Update(uint crc, byte[] data, int offset, int count)
        {
            crc = ~crc;
            for (int i = 0; i < count; i++)
            {
                crc = Table[(crc ^ data[offset + i]) & 0xFF] ^ (crc >> 8);
            }

            return ~crc;
        }

        private static uint[] Build()
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
