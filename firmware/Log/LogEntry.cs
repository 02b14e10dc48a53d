namespace SmartKey.Firmware.Log
{
    /// <summary>
    /// One unlock-log entry, 16 bytes on flash (little-endian):
    /// sequence u32 | unix time u32 | binding id u8 | action u8 | trigger u8 | result u8 | CRC-16 of bytes 0..11 | 0x00 0xFF.
    /// The sequence number is the owner's read cursor: it only grows, across reboots.
    /// </summary>
    public sealed class LogEntry
    {
        public const int Length = 16;

        public uint Sequence;
        public uint UnixTime;
        public byte BindingId;
        public byte Action;
        public byte Trigger;
        public byte Result;

        public void Encode(byte[] buffer, int offset)
        {
            SmartKey.Firmware.Crypto.Bytes.WriteUInt32LittleEndian(Sequence, buffer, offset);
            SmartKey.Firmware.Crypto.Bytes.WriteUInt32LittleEndian(UnixTime, buffer, offset + 4);
            buffer[offset + 8] = BindingId;
            buffer[offset + 9] = Action;
            buffer[offset + 10] = Trigger;
            buffer[offset + 11] = Result;
            SmartKey.Firmware.Crypto.Bytes.WriteUInt16LittleEndian(SmartKey.Firmware.Storage.Crc16.Compute(buffer, offset, 12), buffer, offset + 12);
            buffer[offset + 14] = 0x00;
            buffer[offset + 15] = 0xFF;
        }

        /// <summary>False for an erased slot, a torn write or damage.</summary>
        public static bool TryDecode(byte[] buffer, int offset, LogEntry entry)
        {
            if (SmartKey.Firmware.Crypto.Bytes.ReadUInt16LittleEndian(buffer, offset + 12) != SmartKey.Firmware.Storage.Crc16.Compute(buffer, offset, 12)
                || buffer[offset + 14] != 0x00)
            {
                return false;
            }

            entry.Sequence = SmartKey.Firmware.Crypto.Bytes.ReadUInt32LittleEndian(buffer, offset);
            entry.UnixTime = SmartKey.Firmware.Crypto.Bytes.ReadUInt32LittleEndian(buffer, offset + 4);
            entry.BindingId = buffer[offset + 8];
            entry.Action = buffer[offset + 9];
            entry.Trigger = buffer[offset + 10];
            entry.Result = buffer[offset + 11];
            return entry.Sequence != 0xFFFFFFFF;
        }

        public void CopyFrom(LogEntry other)
        {
            Sequence = other.Sequence;
            UnixTime = other.UnixTime;
            BindingId = other.BindingId;
            Action = other.Action;
            Trigger = other.Trigger;
            Result = other.Result;
        }
    }
}
