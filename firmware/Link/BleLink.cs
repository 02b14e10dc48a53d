using System.Collections;
using SmartKey.Firmware.Protocol;
using SmartKey.Hal;

namespace SmartKey.Firmware.Link
{
    /// <summary>
    /// The device end of the link: ATT writes arrive on the BLE stack's thread and are only queued there
    /// (bounded: a flood is dropped with an error, never queued without limit); Poll, on the main loop,
    /// reassembles them and hands whole messages to the session layer. Send fragments a message to the
    /// negotiated MTU as notifications. A disconnect drops any partial message.
    /// </summary>
    public sealed class BleLink
    {
        public const int MaxQueuedFragments = 64;

        private readonly IBlePeripheral _ble;
        private readonly IMonotonicClock _clock;
        private readonly Reassembler _reassembler;
        private readonly Queue _fragments = new Queue();
        private bool _overflowed;

        public BleLink(IBlePeripheral ble, IMonotonicClock clock, int maxMessage, int timeoutMs)
        {
            _ble = ble;
            _clock = clock;
            _reassembler = new Reassembler(maxMessage, timeoutMs);
            ble.WriteReceived += OnWrite;
            ble.ConnectionChanged += OnConnection;
        }

        public int NotificationsSent { get; private set; }

        public int FragmentsReceived { get; private set; }

        public int LinkErrors { get; private set; }

        public void Detach()
        {
            _ble.WriteReceived -= OnWrite;
            _ble.ConnectionChanged -= OnConnection;
        }

        /// <summary>
        /// Processes queued fragments; returns the next complete message, or null with error set to the
        /// ErrorCode of a broken fragment (Ok when there is simply nothing more yet).
        /// </summary>
        public byte[] Receive(out int length, out byte error)
        {
            length = 0;
            error = ErrorCode.Ok;
            while (true)
            {
                byte[] fragment;
                lock (_fragments)
                {
                    if (_overflowed)
                    {
                        _overflowed = false;
                        _fragments.Clear();
                        _reassembler.Reset();
                        LinkErrors++;
                        error = ErrorCode.Busy;
                        return null;
                    }

                    if (_fragments.Count == 0) return null;
                    fragment = (byte[])_fragments.Dequeue();
                }

                byte result = _reassembler.Accept(fragment, fragment.Length, _clock.UptimeMilliseconds);
                if (result != ErrorCode.Ok)
                {
                    LinkErrors++;
                    error = result;
                    return null;
                }

                if (_reassembler.MessageLength > 0)
                {
                    length = _reassembler.MessageLength;
                    return _reassembler.Message;
                }
            }
        }

        public void Send(byte[] message)
        {
            int mtu = _ble.Mtu < Fragmenter.MinimumMtu ? Fragmenter.MinimumMtu : _ble.Mtu;
            int count = Fragmenter.FragmentCount(message.Length, mtu);
            for (int i = 0; i < count; i++)
            {
                byte[] fragment = Fragmenter.Fragment(message, message.Length, mtu, i);
                if (!_ble.Notify(fragment, 0, fragment.Length)) return;
                NotificationsSent++;
            }
        }

        private void OnWrite(object sender, byte[] value)
        {
            lock (_fragments)
            {
                FragmentsReceived++;
                if (_fragments.Count >= MaxQueuedFragments)
                {
                    _overflowed = true;
                    return;
                }

                _fragments.Enqueue(value);
            }
        }

        private void OnConnection(object sender, bool connected)
        {
            lock (_fragments)
            {
                _fragments.Clear();
                _reassembler.Reset();
            }
        }
    }
}
