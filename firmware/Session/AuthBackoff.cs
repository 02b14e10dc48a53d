namespace SmartKey.Firmware.Session
{
    /// <summary>
    /// Back-off of failed session openings, per key id and per connection, never global: a stranger's
    /// failures must not lock the owner out. Keys are 256-bit (sessions 128-bit), so this protects the
    /// battery and the log from a flood, not the keys from guessing. Per key id: after Tolerated failures,
    /// one attempt per WaitMs (a right key waits at most WaitMs, since only one phone is connected at a
    /// time). Per connection: after Tolerated failures the device hangs up (the source must reconnect).
    /// </summary>
    public sealed class AuthBackoff
    {
        public const int Tolerated = 3;
        public const int WaitMs = 1000;

        private readonly byte[] _failures = new byte[256];
        private readonly long[] _lastFailureMs = new long[256];

        /// <summary>Failed openings on the current connection.</summary>
        public int ConnectionFailures { get; private set; }

        public bool ShouldHangUp
        {
            get { return ConnectionFailures >= Tolerated; }
        }

        public long RemainingMs(byte keyId, long nowMs)
        {
            if (_failures[keyId] < Tolerated) return 0;
            long until = _lastFailureMs[keyId] + WaitMs;
            return until > nowMs ? until - nowMs : 0;
        }

        public void Failed(byte keyId, long nowMs)
        {
            if (_failures[keyId] < 255) _failures[keyId]++;
            _lastFailureMs[keyId] = nowMs;
            ConnectionFailures++;
        }

        public void Succeeded(byte keyId)
        {
            _failures[keyId] = 0;
        }

        public void NewConnection()
        {
            ConnectionFailures = 0;
        }
    }
}
