using SmartKey.Hal;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>Test time: uptime restarts at every boot, the wall clock (RTC) runs on and can be set; nothing moves but Advance.</summary>
    public sealed class ManualClock : IMonotonicClock, IRealTimeClock
    {
        private long _elapsedMs;
        private long _bootAtMs;
        private long _wallOffsetSeconds;

        public ManualClock(long unixSecondsNow)
        {
            _wallOffsetSeconds = unixSecondsNow;
        }

        public long UptimeMilliseconds
        {
            get { return _elapsedMs - _bootAtMs; }
        }

        /// <summary>Milliseconds since the test began; never resets.</summary>
        public long ElapsedMilliseconds
        {
            get { return _elapsedMs; }
        }

        public long UnixSeconds
        {
            get { return _wallOffsetSeconds + _elapsedMs / 1000; }
        }

        public void SetUnixSeconds(long unixSeconds)
        {
            _wallOffsetSeconds = unixSeconds - _elapsedMs / 1000;
        }

        public void Advance(long milliseconds)
        {
            _elapsedMs += milliseconds;
        }

        public void Reboot()
        {
            _bootAtMs = _elapsedMs;
        }
    }
}
