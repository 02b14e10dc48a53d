using SmartKey.Firmware.Crypto;

namespace SmartKey.Firmware.Settings
{
    /// <summary>
    /// What an owner can change, stored as one 12-byte record (little-endian): version u8 | flags u8
    /// (bit0 error reports allowed) | auto-lock delay s u16 (0 = off) | advertising window s u16 |
    /// timezone offset min i16 | log retention days u16 | 0 0.
    /// </summary>
    public sealed class DeviceSettings
    {
        public const int EncodedLength = 12;
        private const byte FormatVersion = 1;

        public int AutoLockDelaySeconds;
        public bool ErrorReportsAllowed = true;
        public int AdvertisingWindowSeconds;
        public int TimezoneOffsetMinutes;
        public int LogRetentionDays;

        public static DeviceSettings Defaults(SmartKey.Firmware.Config.DeviceConfig config)
        {
            DeviceSettings s = new DeviceSettings();
            s.AutoLockDelaySeconds = config.AutoLockDelaySeconds;
            s.AdvertisingWindowSeconds = config.AdvertisingWindowSeconds;
            s.LogRetentionDays = config.LogMaxAgeDays;
            return s;
        }

        /// <summary>Range checks an owner's request: false changes nothing.</summary>
        public bool IsValid()
        {
            return AutoLockDelaySeconds >= 0 && AutoLockDelaySeconds <= 3600
                && AdvertisingWindowSeconds >= 5 && AdvertisingWindowSeconds <= 600
                && TimezoneOffsetMinutes >= -14 * 60 && TimezoneOffsetMinutes <= 14 * 60
                && LogRetentionDays >= 1 && LogRetentionDays <= 3650;
        }

        public byte[] Encode()
        {
            byte[] b = new byte[EncodedLength];
            b[0] = FormatVersion;
            b[1] = (byte)(ErrorReportsAllowed ? 1 : 0);
            Bytes.WriteUInt16LittleEndian(AutoLockDelaySeconds, b, 2);
            Bytes.WriteUInt16LittleEndian(AdvertisingWindowSeconds, b, 4);
            Bytes.WriteUInt16LittleEndian(TimezoneOffsetMinutes & 0xFFFF, b, 6);
            Bytes.WriteUInt16LittleEndian(LogRetentionDays, b, 8);
            return b;
        }

        public static DeviceSettings Decode(byte[] b, int length)
        {
            if (length != EncodedLength || b[0] != FormatVersion)
            {
                return null;
            }

            DeviceSettings s = new DeviceSettings();
            s.ErrorReportsAllowed = (b[1] & 1) != 0;
            s.AutoLockDelaySeconds = Bytes.ReadUInt16LittleEndian(b, 2);
            s.AdvertisingWindowSeconds = Bytes.ReadUInt16LittleEndian(b, 4);
            s.TimezoneOffsetMinutes = (short)Bytes.ReadUInt16LittleEndian(b, 6);
            s.LogRetentionDays = Bytes.ReadUInt16LittleEndian(b, 8);
            return s.IsValid() ? s : null;
        }
    }
}
