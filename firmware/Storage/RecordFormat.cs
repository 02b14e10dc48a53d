namespace SmartKey.Firmware.Storage
{
    /// <summary>
    /// Byte layout of the record store on flash (all integers little-endian). Parsing only; no policy.
    /// <code>
    /// sector header (16 B): "SKR1" | sector sequence u32 | 0xFFFFFFFF | CRC-32 of bytes 0..11
    /// record header (12 B): 0xA5 | type u8 (bit 7 = deleted) | key u16 | sequence u32 | length u16 | CRC-16 of bytes 0..9
    /// record body:          payload (length bytes) | CRC-32 of header and payload | commit byte | 0xFF padding to 4 bytes
    /// </code>
    /// A record is appended in two writes: everything but the commit byte, then the commit byte (0x00).
    /// A record without its commit byte was cut short by a power loss and is ignored (the previous version
    /// stays current); a committed record that fails its CRC has rotted and its key is reported damaged.
    /// The header has its own CRC so that a skipped record's length can still be trusted; a header that
    /// fails its CRC ends the scan of that sector.
    /// </summary>
    public static class RecordFormat
    {
        public const byte Committed = 0x00;
        public const int SectorHeaderLength = 16;
        public const int RecordHeaderLength = 12;
        public const int RecordTrailerLength = 4;
        public const byte RecordMarker = 0xA5;
        public const int DeletedFlag = 0x80;

        private static readonly byte[] Magic = new byte[] { 0x53, 0x4B, 0x52, 0x31 };

        public static int RecordFootprint(int payloadLength)
        {
            return (RecordHeaderLength + payloadLength + RecordTrailerLength + 1 + 3) & ~3;
        }

        /// <summary>Offset of the commit byte inside a record.</summary>
        public static int CommitOffset(int payloadLength)
        {
            return RecordHeaderLength + payloadLength + RecordTrailerLength;
        }

        public static void WriteSectorHeader(byte[] buffer, uint sectorSequence)
        {
            System.Array.Copy(Magic, 0, buffer, 0, 4);
            SmartKey.Firmware.Crypto.Bytes.WriteUInt32LittleEndian(sectorSequence, buffer, 4);
            SmartKey.Firmware.Crypto.Bytes.WriteUInt32LittleEndian(0xFFFFFFFF, buffer, 8);
            SmartKey.Firmware.Crypto.Bytes.WriteUInt32LittleEndian(Crc32.Compute(buffer, 0, 12), buffer, 12);
        }

        public static bool TryReadSectorHeader(byte[] buffer, out uint sectorSequence)
        {
            sectorSequence = SmartKey.Firmware.Crypto.Bytes.ReadUInt32LittleEndian(buffer, 4);
            for (int i = 0; i < 4; i++)
            {
                if (buffer[i] != Magic[i])
                {
                    return false;
                }
            }

            return SmartKey.Firmware.Crypto.Bytes.ReadUInt32LittleEndian(buffer, 12) == Crc32.Compute(buffer, 0, 12);
        }

        /// <summary>Encodes a whole record into buffer[0..footprint) (padding bytes stay 0xFF).</summary>
        public static int EncodeRecord(byte[] buffer, int type, int key, uint sequence, bool deleted, byte[] payload, int offset, int length)
        {
            int footprint = RecordFootprint(length);
            for (int i = 0; i < footprint; i++)
            {
                buffer[i] = 0xFF;
            }

            buffer[0] = RecordMarker;
            buffer[1] = (byte)(type | (deleted ? DeletedFlag : 0));
            SmartKey.Firmware.Crypto.Bytes.WriteUInt16LittleEndian(key, buffer, 2);
            SmartKey.Firmware.Crypto.Bytes.WriteUInt32LittleEndian(sequence, buffer, 4);
            SmartKey.Firmware.Crypto.Bytes.WriteUInt16LittleEndian(length, buffer, 8);
            SmartKey.Firmware.Crypto.Bytes.WriteUInt16LittleEndian(Crc16.Compute(buffer, 0, 10), buffer, 10);
            if (length > 0)
            {
                System.Array.Copy(payload, offset, buffer, RecordHeaderLength, length);
            }

            uint crc = Crc32.Compute(buffer, 0, RecordHeaderLength + length);
            SmartKey.Firmware.Crypto.Bytes.WriteUInt32LittleEndian(crc, buffer, RecordHeaderLength + length);
            return footprint;
        }

        /// <summary>True when the 12 bytes are an intact record header (marker and CRC-16).</summary>
        public static bool TryReadHeader(byte[] header, int offset, out int type, out int key, out uint sequence, out int length, out bool deleted)
        {
            type = header[offset + 1] & 0x7F;
            deleted = (header[offset + 1] & DeletedFlag) != 0;
            key = SmartKey.Firmware.Crypto.Bytes.ReadUInt16LittleEndian(header, offset + 2);
            sequence = SmartKey.Firmware.Crypto.Bytes.ReadUInt32LittleEndian(header, offset + 4);
            length = SmartKey.Firmware.Crypto.Bytes.ReadUInt16LittleEndian(header, offset + 8);
            return header[offset] == RecordMarker
                && SmartKey.Firmware.Crypto.Bytes.ReadUInt16LittleEndian(header, offset + 10) == Crc16.Compute(header, offset, 10);
        }

        public static bool IsErased(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (buffer[offset + i] != 0xFF)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
