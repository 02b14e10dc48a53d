namespace SmartKey.Firmware.Protocol
{
    /// <summary>Builds a message into a fixed buffer (little-endian integers).</summary>
    public sealed class WireWriter
    {
        private readonly byte[] _buffer;

        public WireWriter(int capacity)
        {
            _buffer = new byte[capacity];
        }

        public int Length { get; private set; }

        public WireWriter Byte(int value)
        {
            _buffer[Length++] = (byte)value;
            return this;
        }

        public WireWriter UInt16(int value)
        {
            SmartKey.Firmware.Crypto.Bytes.WriteUInt16LittleEndian(value, _buffer, Length);
            Length += 2;
            return this;
        }

        public WireWriter UInt32(uint value)
        {
            SmartKey.Firmware.Crypto.Bytes.WriteUInt32LittleEndian(value, _buffer, Length);
            Length += 4;
            return this;
        }

        public WireWriter Bytes(byte[] value, int offset, int count)
        {
            System.Array.Copy(value, offset, _buffer, Length, count);
            Length += count;
            return this;
        }

        public WireWriter Bytes(byte[] value)
        {
            return Bytes(value, 0, value.Length);
        }

        public byte[] ToArray()
        {
            byte[] result = new byte[Length];
            System.Array.Copy(_buffer, result, Length);
            return result;
        }
    }
}
