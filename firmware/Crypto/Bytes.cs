namespace SmartKey.Firmware.Crypto
{
    /// <summary>Big- and little-endian integer reads and writes (BitConverter's byte order is the platform's).</summary>
    public static class Bytes
    {
        public static uint ReadUInt32BigEndian(byte[] b, int offset)
        {
            return ((uint)b[offset] << 24) | ((uint)b[offset + 1] << 16) | ((uint)b[offset + 2] << 8) | b[offset + 3];
        }

        public static void WriteUInt32BigEndian(uint value, byte[] b, int offset)
        {
            b[offset] = (byte)(value >> 24);
            b[offset + 1] = (byte)(value >> 16);
            b[offset + 2] = (byte)(value >> 8);
            b[offset + 3] = (byte)value;
        }

        public static long ReadInt64BigEndian(byte[] b, int offset)
        {
            return ((long)ReadUInt32BigEndian(b, offset) << 32) | ReadUInt32BigEndian(b, offset + 4);
        }

        public static void WriteInt64BigEndian(long value, byte[] b, int offset)
        {
            WriteUInt32BigEndian((uint)(value >> 32), b, offset);
            WriteUInt32BigEndian((uint)value, b, offset + 4);
        }

        public static ushort ReadUInt16LittleEndian(byte[] b, int offset)
        {
            return (ushort)(b[offset] | (b[offset + 1] << 8));
        }

        public static void WriteUInt16LittleEndian(int value, byte[] b, int offset)
        {
            b[offset] = (byte)value;
            b[offset + 1] = (byte)(value >> 8);
        }

        public static uint ReadUInt32LittleEndian(byte[] b, int offset)
        {
            return b[offset] | ((uint)b[offset + 1] << 8) | ((uint)b[offset + 2] << 16) | ((uint)b[offset + 3] << 24);
        }

        public static void WriteUInt32LittleEndian(uint value, byte[] b, int offset)
        {
            b[offset] = (byte)value;
            b[offset + 1] = (byte)(value >> 8);
            b[offset + 2] = (byte)(value >> 16);
            b[offset + 3] = (byte)(value >> 24);
        }

        public static void WriteInt64LittleEndian(long value, byte[] b, int offset)
        {
            WriteUInt32LittleEndian((uint)value, b, offset);
            WriteUInt32LittleEndian((uint)(value >> 32), b, offset + 4);
        }

        public static byte[] Concat(byte[] a, byte[] b)
        {
            byte[] r = new byte[a.Length + b.Length];
            System.Array.Copy(a, 0, r, 0, a.Length);
            System.Array.Copy(b, 0, r, a.Length, b.Length);
            return r;
        }

        public static byte[] Slice(byte[] source, int offset, int count)
        {
            byte[] r = new byte[count];
            System.Array.Copy(source, offset, r, 0, count);
            return r;
        }

        /// <summary>Overwrites secrets before the array is dropped.</summary>
        public static void Wipe(byte[] data)
        {
            if (data != null)
            {
                System.Array.Clear(data, 0, data.Length);
            }
        }
    }
}
