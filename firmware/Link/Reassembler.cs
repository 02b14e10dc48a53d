using SmartKey.Firmware.Protocol;

namespace SmartKey.Firmware.Link
{
    /// <summary>
    /// Rebuilds messages from fragments (see Fragmenter), checking bounds first: the declared length
    /// against the maximum, each fragment against what is still expected, the counter against the last
    /// one, and the time since the previous fragment. A start fragment always begins a new message (so a
    /// peer can resynchronise); anything else that does not fit is an error that drops the partial message.
    /// </summary>
    public sealed class Reassembler
    {
        public const int DefaultMaxMessage = 1024;
        public const int DefaultTimeoutMs = 2000;

        private readonly byte[] _buffer;
        private readonly int _timeoutMs;
        private int _expected = -1;
        private int _received;
        private int _counter;
        private long _lastFragmentMs;

        public Reassembler(int maxMessage, int timeoutMs)
        {
            _buffer = new byte[maxMessage];
            _timeoutMs = timeoutMs;
        }

        public int MaxMessage
        {
            get { return _buffer.Length; }
        }

        /// <summary>The last complete message (valid until the next Accept).</summary>
        public byte[] Message
        {
            get { return _buffer; }
        }

        public int MessageLength { get; private set; }

        public bool InProgress
        {
            get { return _expected >= 0; }
        }

        /// <summary>
        /// Feeds one fragment. Returns Ok with MessageLength &gt; 0 when a message completed, Ok with 0 while
        /// more is expected, or an ErrorCode (the partial message is dropped).
        /// </summary>
        public byte Accept(byte[] fragment, int length, long nowMs)
        {
            MessageLength = 0;
            if (fragment == null || length < 1 || length > fragment.Length)
            {
                return Fail(ErrorCode.MalformedFrame);
            }

            byte control = fragment[0];
            bool start = (control & Fragmenter.StartFlag) != 0;
            bool end = (control & Fragmenter.EndFlag) != 0;
            int counter = control & Fragmenter.CounterMask;
            int dataOffset = 1;
            if (start)
            {
                if (length < 3 || counter != 0) return Fail(ErrorCode.MalformedFrame);
                int declared = SmartKey.Firmware.Crypto.Bytes.ReadUInt16LittleEndian(fragment, 1);
                if (declared == 0) return Fail(ErrorCode.MalformedFrame);
                if (declared > _buffer.Length) return Fail(ErrorCode.MessageTooLarge);
                _expected = declared;
                _received = 0;
                _counter = 0;
                dataOffset = 3;
            }
            else
            {
                if (_expected < 0) return Fail(ErrorCode.MalformedFrame);
                if (nowMs - _lastFragmentMs > _timeoutMs) return Fail(ErrorCode.ReassemblyTimeout);
                if (counter != ((_counter + 1) & Fragmenter.CounterMask)) return Fail(ErrorCode.MalformedFrame);
                _counter = counter;
            }

            int data = length - dataOffset;
            if (_received + data > _expected) return Fail(ErrorCode.MalformedFrame);
            System.Array.Copy(fragment, dataOffset, _buffer, _received, data);
            _received += data;
            _lastFragmentMs = nowMs;
            if (end)
            {
                if (_received != _expected) return Fail(ErrorCode.MalformedFrame);
                MessageLength = _expected;
                _expected = -1;
                return ErrorCode.Ok;
            }

            if (_received == _expected) return Fail(ErrorCode.MalformedFrame);   // complete but not marked last
            return ErrorCode.Ok;
        }

        public void Reset()
        {
            _expected = -1;
            _received = 0;
            MessageLength = 0;
        }

        private byte Fail(byte code)
        {
            Reset();
            return code;
        }
    }
}
