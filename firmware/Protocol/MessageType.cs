namespace SmartKey.Firmware.Protocol
{
    /// <summary>The first byte of every reassembled message (docs/protocol.md).</summary>
    public static class MessageType
    {
        public const byte PairRequest = 0x01;
        public const byte PairChallenge = 0x02;
        public const byte PairConfirm = 0x03;
        public const byte PairAccepted = 0x04;
        public const byte PairWorking = 0x05;
        public const byte SessionHello = 0x10;
        public const byte SessionNonce = 0x11;
        public const byte SessionOpen = 0x12;
        public const byte SessionData = 0x13;
        public const byte Error = 0x7F;
    }
}
