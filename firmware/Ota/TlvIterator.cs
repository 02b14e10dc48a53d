using SmartKey.Firmware.Crypto;

namespace SmartKey.Firmware.Ota
{
    /// <summary>
    /// Walks one TLV area (info header, then TLVs) inside a buffer, bounds first: the area's declared total
    /// against the buffer, each TLV's length against what is left of the area. It only parses.
    /// </summary>
    public sealed class TlvIterator
    {
        private readonly byte[] _buffer;
        private readonly int _end;
        private int _position;

        private TlvIterator(byte[] buffer, int start, int end)
        {
            _buffer = buffer;
            _position = start;
            _end = end;
        }

        /// <summary>Opens the area at offset with the expected magic; areaLength is the bytes it occupies.</summary>
        public static byte TryOpen(byte[] buffer, int offset, int available, ushort magic, out TlvIterator iterator, out int areaLength)
        {
            iterator = null;
            areaLength = 0;
            if (available < ImageFormat.TlvInfoLength) return OtaError.Truncated;
            if (Bytes.ReadUInt16LittleEndian(buffer, offset) != magic) return OtaError.BadTlv;
            int total = Bytes.ReadUInt16LittleEndian(buffer, offset + 2);
            if (total < ImageFormat.TlvInfoLength) return OtaError.BadTlv;
            if (total > available) return OtaError.Truncated;
            areaLength = total;
            iterator = new TlvIterator(buffer, offset + ImageFormat.TlvInfoLength, offset + total);
            return OtaError.None;
        }

        /// <summary>
        /// The length of both TLV areas (protected, whose size the header gives, then the unprotected one), read
        /// from the unprotected area's info header at the start of tlvs; Truncated while fewer bytes are there.
        /// What follows the areas (imgtool --pad's erased bytes and image trailer) is not part of them.
        /// </summary>
        public static byte TryMeasure(byte[] tlvs, int offset, int available, int protectedSize, out int length)
        {
            length = 0;
            if (available < protectedSize + ImageFormat.TlvInfoLength) return OtaError.Truncated;
            if (Bytes.ReadUInt16LittleEndian(tlvs, offset + protectedSize) != ImageFormat.TlvInfoMagic) return OtaError.BadTlv;
            int total = Bytes.ReadUInt16LittleEndian(tlvs, offset + protectedSize + 2);
            if (total < ImageFormat.TlvInfoLength) return OtaError.BadTlv;
            length = protectedSize + total;
            return OtaError.None;
        }

        /// <summary>False at the end of the area; BadTlv through error when a TLV overruns it.</summary>
        public bool Next(out int type, out int valueOffset, out int length, out byte error)
        {
            type = 0;
            valueOffset = 0;
            length = 0;
            error = OtaError.None;
            if (_position == _end) return false;
            if (_end - _position < ImageFormat.TlvHeaderLength)
            {
                error = OtaError.BadTlv;
                return false;
            }

            type = Bytes.ReadUInt16LittleEndian(_buffer, _position);
            length = Bytes.ReadUInt16LittleEndian(_buffer, _position + 2);
            valueOffset = _position + ImageFormat.TlvHeaderLength;
            if (length > _end - valueOffset)
            {
                error = OtaError.BadTlv;
                return false;
            }

            _position = valueOffset + length;
            return true;
        }
    }
}
