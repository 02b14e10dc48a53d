namespace SmartKey.Firmware.Ota
{
    /// <summary>Why an update was refused or failed (the code in every OTA status report; docs/ota.md).</summary>
    public static class OtaError
    {
        public const byte None = 0;
        public const byte BadOffer = 1;
        public const byte BatteryLow = 2;
        public const byte Downgrade = 3;
        public const byte SecurityCounterTooLow = 4;
        public const byte WrongHardware = 5;
        public const byte TooLarge = 6;
        public const byte BadChunk = 7;
        public const byte BadMagic = 8;
        public const byte BadHeader = 9;
        public const byte BadTlv = 10;
        public const byte Truncated = 11;
        public const byte HashMismatch = 12;
        public const byte UnknownKey = 13;
        public const byte BadSignature = 14;
        public const byte SlotError = 15;
        public const byte SelfTestFailed = 16;
        public const byte Busy = 17;
        public const byte NotDownloading = 18;
        public const byte OfferMismatch = 19;
        public const byte NoHardwareId = 20;
        public const byte NoSecurityCounter = 21;
        /// <summary>After a power cut the resent bytes differ from what is already in the slot: the download starts over.</summary>
        public const byte ResumeMismatch = 22;
        /// <summary>This image (by hash) already failed on this lock: refused without downloading (reported once, when it failed).</summary>
        public const byte KnownBadImage = 23;
        /// <summary>The header sets a flag the lock does not take (compressed, encrypted, RAM load, ROM_FIXED, non-bootable, PIC, unknown).</summary>
        public const byte UnsupportedFlags = 24;
    }
}
