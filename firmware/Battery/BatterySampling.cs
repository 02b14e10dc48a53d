using SmartKey.Hal;

namespace SmartKey.Firmware.Battery
{
    /// <summary>
    /// Samples the battery once a minute while awake and keeps the BLE battery service's level current;
    /// a change of state (LOW, CRITICAL) is raised at once, so the backend hears it without waiting for the day.
    /// </summary>
    public sealed class BatterySampling
    {
        public const int IntervalMs = 60000;

        private readonly BatteryMonitor _battery;
        private readonly IBlePeripheral _ble;
        private readonly IMonotonicClock _clock;
        private long _nextSampleMs;

        public BatterySampling(BatteryMonitor battery, IBlePeripheral ble, IMonotonicClock clock)
        {
            _battery = battery;
            _ble = ble;
            _clock = clock;
        }

        public event BatteryStateChangedHandler StateChanged;

        /// <summary>At boot, after the first sample: publish the level, and sample again in a minute.</summary>
        public void Start()
        {
            _ble.SetBatteryLevel(_battery.Percent);
            _nextSampleMs = _clock.UptimeMilliseconds + IntervalMs;
        }

        public void Poll(long nowMs)
        {
            if (nowMs < _nextSampleMs) return;
            _nextSampleMs = nowMs + IntervalMs;
            if (!_battery.Sample()) return;
            _ble.SetBatteryLevel(_battery.Percent);
            if (StateChanged != null) StateChanged();
        }
    }
}
