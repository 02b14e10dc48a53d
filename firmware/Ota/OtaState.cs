namespace SmartKey.Firmware.Ota
{
    /// <summary>What the update agent is doing (the state in every OTA status report).</summary>
    public static class OtaState
    {
        public const byte Idle = 0;
        public const byte Downloading = 1;
        public const byte Verifying = 2;
        /// <summary>Verified and marked: the next reboot boots it in test mode.</summary>
        public const byte Testing = 3;
        public const byte Confirmed = 4;
        public const byte Reverted = 5;
        public const byte Failed = 6;
    }
}
