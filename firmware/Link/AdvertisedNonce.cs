using SmartKey.Firmware.Crypto;
using SmartKey.Hal;

namespace SmartKey.Firmware.Link
{
    /// <summary>
    /// The nonce in the advertisement, so a phone that saw it can unlock in one round trip. It rotates
    /// every RotationMs while the lock advertises, and a nonce opens a session only within ValidMs of being
    /// drawn (the one before the current stays valid that long too, for a phone that scanned just before a
    /// rotation). The first session that opens with it spends it. So a SessionOpen captured by a fake lock
    /// (which can relay the real advertisement) opens the real lock only if delivered within ValidMs:
    /// the relay bound of docs/protocol.md.
    /// </summary>
    public sealed class AdvertisedNonce
    {
        public const int RotationMs = 2000;
        /// <summary>Current for one rotation, then the predecessor for one more.</summary>
        public const int ValidMs = 2 * RotationMs;

        private readonly IEntropySource _entropy;
        private readonly IMonotonicClock _clock;
        private byte[] _value;
        private long _drawnAtMs;
        private byte[] _previous;
        private long _previousDrawnAtMs;
        private byte _flags;

        public AdvertisedNonce(IEntropySource entropy, IMonotonicClock clock)
        {
            _entropy = entropy;
            _clock = clock;
        }

        /// <summary>The current nonce; null before the first window.</summary>
        public byte[] Value
        {
            get { return _value; }
        }

        public long AgeMs
        {
            get { return _clock.UptimeMilliseconds - _drawnAtMs; }
        }

        /// <summary>Starts advertising with these flags and a fresh nonce (the older ones can no longer start a session).</summary>
        public void Advertise(IBlePeripheral ble, byte flags)
        {
            _flags = flags;
            Draw();
            _previous = null;
            ble.StartAdvertising(AdvertisementData.Build(flags, _value));
        }

        /// <summary>While advertising: a new nonce every RotationMs (same flags).</summary>
        public void Rotate(IBlePeripheral ble)
        {
            if (_value == null || !ble.IsAdvertising || AgeMs < RotationMs) return;
            _previous = _value;
            _previousDrawnAtMs = _drawnAtMs;
            Draw();
            ble.StartAdvertising(AdvertisementData.Build(_flags, _value));
        }

        /// <summary>Whether a SessionOpen may use this device nonce now (constant-time comparisons).</summary>
        public bool Accepts(byte[] deviceNonce)
        {
            long now = _clock.UptimeMilliseconds;
            bool current = _value != null && ConstantTime.AreEqual(deviceNonce, _value) && now - _drawnAtMs <= ValidMs;
            bool previous = _previous != null && ConstantTime.AreEqual(deviceNonce, _previous) && now - _previousDrawnAtMs <= ValidMs;
            return current | previous;
        }

        /// <summary>A session opened with an advertised nonce: neither it nor its predecessor opens another.</summary>
        public void Spend()
        {
            _previous = null;
            Draw();
        }

        public void Draw()
        {
            _value = new byte[AdvertisementData.NonceLength];
            _entropy.Fill(_value, 0, _value.Length);
            _drawnAtMs = _clock.UptimeMilliseconds;
        }
    }
}
