namespace SmartKey.Firmware.Link
{
    /// <summary>
    /// Splits a message into fragments of at most (MTU - 3) bytes, one per ATT write or notification:
    /// byte 0 = start(bit 7) | end(bit 6) | counter (bits 5..0, 0 for the first fragment, +1 each);
    /// the first fragment then carries the message length (u16 little-endian) before its data.
    /// Shared by the device and the phone library (one source of truth for the framing).
    /// </summary>
    public static class Fragmenter
    {
        public const byte StartFlag = 0x80;
        public const byte EndFlag = 0x40;
        public const int CounterMask = 0x3F;
        public const int MinimumMtu = 23;

        public static int FragmentCount(int messageLength, int mtu)
        {
            int payload = mtu - 3;
            int first = payload - 3;
            if (messageLength <= first) return 1;
            return 1 + (messageLength - first + payload - 2) / (payload - 1);
        }

        /// <summary>The i-th fragment of a message (0-based).</summary>
        public static byte[] Fragment(byte[] message, int length, int mtu, int index)
        {
            int payload = mtu - 3;
            int first = payload - 3;
            int count = FragmentCount(length, mtu);
            int offset, take;
            byte[] fragment;
            if (index == 0)
            {
                take = length < first ? length : first;
                fragment = new byte[3 + take];
                SmartKey.Firmware.Crypto.Bytes.WriteUInt16LittleEndian(length, fragment, 1);
                System.Array.Copy(message, 0, fragment, 3, take);
                fragment[0] = StartFlag;
            }
            else
            {
                offset = first + (index - 1) * (payload - 1);
                take = length - offset < payload - 1 ? length - offset : payload - 1;
                fragment = new byte[1 + take];
                System.Array.Copy(message, offset, fragment, 1, take);
                fragment[0] = 0;
            }

            fragment[0] |= (byte)(index & CounterMask);
            if (index == count - 1) fragment[0] |= EndFlag;
            return fragment;
        }
    }
}
