namespace SmartKey.Firmware.Protocol
{
    /// <summary>Commands inside a session; a response carries the command id with bit 7 set.</summary>
    public static class CommandId
    {
        public const byte Unlock = 0x01;
        public const byte Lock = 0x02;
        public const byte Status = 0x03;
        public const byte SetTime = 0x04;
        public const byte AddGuest = 0x05;
        public const byte ListKeys = 0x06;
        public const byte RevokeKey = 0x07;
        public const byte GetSettings = 0x08;
        public const byte SetSettings = 0x09;
        public const byte ReadLog = 0x0A;
        public const byte FactoryReset = 0x0B;
        public const byte AllowOwnerPairing = 0x0C;
        public const byte EndSession = 0x0D;
        public const byte SetWifi = 0x0E;

        /// <summary>0x20..0x2F: OTA over BLE, routed to the update agent.</summary>
        public const byte OtaFirst = 0x20;
        public const byte OtaLast = 0x2F;

        public const byte ResponseFlag = 0x80;

        /// <summary>"RSET": the factory-reset command must carry it, so a corrupted byte cannot wipe a lock.</summary>
        public const uint FactoryResetConfirmation = 0x52534554;

        /// <summary>What a guest may do: open, close, ask for status, hang up.</summary>
        public static bool GuestMayUse(byte command)
        {
            return command == Unlock || command == Lock || command == Status || command == EndSession;
        }
    }
}
