using System;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Runtime.Native;

namespace SmartKey.Hal.Esp32
{
    /// <summary>Uptime from the ESP32 high-resolution timer (µs since boot); wall time from the RTC.</summary>
    public sealed class Esp32Clock : IMonotonicClock, IRealTimeClock
    {
        public long UptimeMilliseconds
        {
            get { return (long)(HighResTimer.GetCurrent() / 1000); }
        }

        public long UnixSeconds
        {
            get { return DateTime.UtcNow.ToUnixTimeSeconds(); }
        }

        public void SetUnixSeconds(long unixSeconds)
        {
            Rtc.SetSystemTime(DateTime.FromUnixTimeSeconds(unixSeconds));
        }
    }
}
