using SmartKey.Hal;

namespace SmartKey.Firmware.Link
{
    /// <summary>
    /// The nonce in the advertisement: drawn fresh for every advertising window and spent by the first
    /// session that opens with it, so a phone that saw it can unlock in one round trip and nobody can
    /// replay that round trip.
    /// </summary>
    public sealed class AdvertisedNonce
    {
        private readonly IEntropySource _entropy;
        private readonly IMonotonicClock _clock;
        private byte[] _value;
        private long _drawnAtMs;

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

        public void Draw()
        {
            _value = new byte[AdvertisementData.NonceLength];
            _entropy.Fill(_value, 0, _value.Length);
            _drawnAtMs = _clock.UptimeMilliseconds;
        }
    }
}
