namespace SmartKey.Firmware.Protocol
{
    /// <summary>Bounds-first cursor over a received message: every read checks the remaining length first.</summary>
    public sealed class WireReader
    {
        private readonly byte[] _data;
        private readonly int _end;
        private int _position;

        public WireReader(byte[] data, int offset, int length)
        {
            _data = data;
            _position = offset;
            _end = offset + length;
        }

        public int Remaining
        {
            get { return _end - _position; }
        }

        public bool AtEnd
        {
            get { return _position == _end; }
        }

        public bool TryByte(out byte value)
        {
            value = 0;
            if (Remaining < 1) return false;
            value = _data[_position++];
            return true;
        }

        public bool TryUInt16(out int value)
        {
            value = 0;
            if (Remaining < 2) return false;
            value = SmartKey.Firmware.Crypto.Bytes.ReadUInt16LittleEndian(_data, _position);
            _position += 2;
            return true;
        }

        public bool TryUInt32(out uint value)
        {
            value = 0;
            if (Remaining < 4) return false;
            value = SmartKey.Firmware.Crypto.Bytes.ReadUInt32LittleEndian(_data, _position);
            _position += 4;
            return true;
        }

        public bool TryBytes(int count, out byte[] value)
        {
            value = null;
            if (count < 0 || Remaining < count) return false;
            value = new byte[count];
            System.Array.Copy(_data, _position, value, 0, count);
            _position += count;
            return true;
        }
    }
}
