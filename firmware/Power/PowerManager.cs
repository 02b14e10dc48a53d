using SmartKey.Hal;

namespace SmartKey.Firmware.Power
{
    /// <summary>
    /// Decides when the device goes back to deep sleep: after its advertising window, when no phone is
    /// connected, the bolt is still and nothing else is pending. The sleep wakes on the button, the door
    /// contact, or a timer for the next scheduled job (auto-lock, the daily Wi-Fi window). Deep sleep
    /// restarts the runtime, so everything needed later must already be in flash.
    /// </summary>
    public sealed class PowerManager
    {
        /// <summary>Stay awake this long after the last activity (a command, a button press) even past the window.</summary>
        public const int ActivityGraceMs = 5000;
        public const long Day = 86400;

        private readonly IPower _power;
        private readonly IMonotonicClock _clock;
        private readonly IRealTimeClock _rtc;
        private long _awakeUntilMs;

        public PowerManager(IPower power, IMonotonicClock clock, IRealTimeClock rtc)
        {
            _power = power;
            _clock = clock;
            _rtc = rtc;
        }

        /// <summary>Seconds after midnight UTC of this device's daily Wi-Fi window (spread across the fleet).</summary>
        public long DailyWindowOffsetSeconds { get; set; }

        /// <summary>Spreads the fleet's daily Wi-Fi windows over the day, deterministically per serial (FNV-1a).</summary>
        public static long DailyWindowOffsetFor(string serial)
        {
            uint h = 2166136261;
            for (int i = 0; i < serial.Length; i++)
            {
                h = (h ^ serial[i]) * 16777619;
            }

            return h % Day;
        }

        /// <summary>This lock's daily window from its serial number (none, at midnight, while unprovisioned).</summary>
        public void SpreadDailyWindow(string serial)
        {
            DailyWindowOffsetSeconds = serial == null ? 0 : DailyWindowOffsetFor(serial);
        }

        /// <summary>Mains-powered devices never sleep.</summary>
        public bool AlwaysAwake { get; set; }

        public long AwakeUntilMs
        {
            get { return _awakeUntilMs; }
        }

        public void StartWindow(int windowSeconds)
        {
            _awakeUntilMs = _clock.UptimeMilliseconds + windowSeconds * 1000L;
        }

        public void NoteActivity()
        {
            long until = _clock.UptimeMilliseconds + ActivityGraceMs;
            if (until > _awakeUntilMs) _awakeUntilMs = until;
        }

        /// <summary>The phone hung up: no need to keep advertising for the rest of the window.</summary>
        public void ShortenWindow()
        {
            long until = _clock.UptimeMilliseconds + ActivityGraceMs;
            if (until < _awakeUntilMs) _awakeUntilMs = until;
        }

        public bool ShouldSleep(bool busy)
        {
            return !AlwaysAwake && !busy && _clock.UptimeMilliseconds >= _awakeUntilMs;
        }

        /// <summary>Milliseconds until the next daily window (never 0: at least one second ahead).</summary>
        public long MillisecondsToDailyWindow()
        {
            long now = _rtc.UnixSeconds;
            long secondsIntoDay = ((now % Day) + Day) % Day;
            long wait = DailyWindowOffsetSeconds - secondsIntoDay;
            if (wait <= 0) wait += Day;
            return wait * 1000;
        }

        /// <summary>
        /// The end of a main-loop turn: reboots into an update waiting for its test boot (or back after a
        /// revert) once nothing is busy, or sleeps once the window is over. False when the device rebooted or
        /// went to sleep (on the device neither returns).
        /// </summary>
        public bool Rest(bool busy, bool rebootRequested, long autoLockDueInMs, bool hasDoor)
        {
            if (rebootRequested && !busy)
            {
                _power.Reboot();
                return false;
            }

            if (ShouldSleep(busy))
            {
                Sleep(autoLockDueInMs, hasDoor);
                return false;
            }

            return true;
        }

        /// <summary>Sleeps until the button, the door or the earlier of the given timer and the daily window. Does not return on the device.</summary>
        public void Sleep(long timerMs, bool hasDoor)
        {
            long daily = MillisecondsToDailyWindow();
            long wake = timerMs > 0 && timerMs < daily ? timerMs : daily;
            WakeSources sources = WakeSources.Button | WakeSources.Timer;
            if (hasDoor) sources = sources | WakeSources.Door;
            _power.DeepSleep(sources, wake);
        }
    }
}
