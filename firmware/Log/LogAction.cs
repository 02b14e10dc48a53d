namespace SmartKey.Firmware.Log
{
    /// <summary>What happened, as stored in an unlock-log entry (one byte on flash and on the wire).</summary>
    public static class LogAction
    {
        public const byte Unlock = 1;
        public const byte Lock = 2;
        public const byte AutoLock = 3;
        public const byte Paired = 4;
        public const byte KeyAdded = 5;
        public const byte KeyRevoked = 6;
        public const byte AuthenticationFailed = 7;
        public const byte Jammed = 8;
        public const byte SettingsChanged = 9;
        public const byte ClockSet = 10;
        public const byte PairingFailed = 11;
        public const byte FirmwareUpdated = 12;
        /// <summary>Closes a burst of failed authentications: key id of the last, result = how many (255: 255 or more).</summary>
        public const byte AuthenticationFailures = 13;
        /// <summary>An owner asked for a one-time code to pair another owner (key id = that owner).</summary>
        public const byte OwnerInviteOpened = 14;
    }
}
