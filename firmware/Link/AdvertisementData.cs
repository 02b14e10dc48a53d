namespace SmartKey.Firmware.Link
{
    /// <summary>
    /// Service data of the SmartKey advertisement: [0] format version, [1] flags, [2..10) a nonce that
    /// rotates with every advertising window. No serial number, no stable identifier in the payload (the
    /// radio's own address is another matter: see docs/protocol.md, section 1).
    /// </summary>
    public static class AdvertisementData
    {
        public const byte FormatVersion = 1;
        public const int NonceLength = 8;
        public const int Length = 2 + NonceLength;

        public const byte FlagUnowned = 0x01;
        public const byte FlagBatteryLow = 0x02;

        public static byte[] Build(byte flags, byte[] nonce)
        {
            byte[] data = new byte[Length];
            data[0] = FormatVersion;
            data[1] = flags;
            System.Array.Copy(nonce, 0, data, 2, NonceLength);
            return data;
        }
    }
}
