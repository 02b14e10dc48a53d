using SmartKey.Hal;

namespace SmartKey.Firmware.Button
{
    /// <summary>Someone is at the lock: the button was pressed in the last two minutes (pairing another owner, lifting a pairing lock-out).</summary>
    public sealed class PhysicalPresence
    {
        public const int WindowMs = 120000;

        private readonly IMonotonicClock _clock;
        private long _untilMs = -1;

        public PhysicalPresence(IMonotonicClock clock)
        {
            _clock = clock;
        }

        public bool IsPresent
        {
            get { return _untilMs >= 0 && _clock.UptimeMilliseconds < _untilMs; }
        }

        public void Note(long nowMs)
        {
            _untilMs = nowMs + WindowMs;
        }
    }
}
