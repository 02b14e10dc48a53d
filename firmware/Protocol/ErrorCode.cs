namespace SmartKey.Firmware.Protocol
{
    /// <summary>
    /// The one table of error codes (docs/protocol.md). Sent in Error messages (before a session) and as the
    /// status byte of command responses (inside a session). Every rejection changes no state.
    /// </summary>
    public static class ErrorCode
    {
        public const byte Ok = 0;

        // Link and framing
        public const byte MalformedFrame = 1;
        public const byte MessageTooLarge = 2;
        public const byte ReassemblyTimeout = 3;
        public const byte UnknownMessage = 4;

        // Pairing
        public const byte NotProvisioned = 10;
        public const byte PairingNotAllowed = 11;
        public const byte PairingBackoff = 12;
        public const byte PairingLocked = 13;
        public const byte WrongSetupCode = 14;
        public const byte InvalidShare = 15;
        public const byte NoPairingInProgress = 16;

        // Sessions
        public const byte UnknownBinding = 20;
        public const byte BindingRevoked = 21;
        public const byte AuthenticationFailed = 22;
        public const byte Replay = 23;
        public const byte StaleNonce = 24;
        public const byte SessionExpired = 25;
        public const byte NoSession = 26;
        public const byte AuthenticationBackoff = 27;

        // Commands
        public const byte NotPermitted = 30;
        public const byte OutsideAccessWindow = 31;
        public const byte InvalidArgument = 32;
        public const byte KeysFull = 33;
        public const byte LastOwner = 34;
        public const byte CommandExpired = 35;
        public const byte UnknownCommand = 36;
        public const byte ClockBehind = 37;

        // Lock
        public const byte LockBusy = 40;
        public const byte LockJammed = 41;
        public const byte LockFault = 42;

        // Device
        public const byte StorageError = 50;
        public const byte BatteryTooLow = 51;
        public const byte Unsupported = 52;
        public const byte Busy = 53;
    }
}
