namespace SmartKey.Firmware.Storage
{
    /// <summary>CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) for record headers and log entries.</summary>
    public static class Crc16
    {
        public static ushort Compute(byte[] data, int offset, int count)
        {
            uint crc = 0xFFFF;
            for (int i = 0; i < count; i++)
            {
                crc ^= (uint)data[offset + i] << 8;
                for (int b = 0; b < 8; b++)
                {
                    crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
                }
            }

            return (ushort)crc;
        }
    }
}
