using System;

namespace SmartKey.Hal.Simulated;

/// <summary>
/// Deep sleep and reboot end the running program on the device (the runtime restarts from Main).
/// The simulator models that by unwinding the firmware with this exception and booting a fresh core.
/// </summary>
public sealed class DeviceRestartException : Exception
{
    public DeviceRestartException(bool deepSleep, WakeSources sources, long timerMilliseconds)
        : base(deepSleep ? "deep sleep" : "reboot")
    {
        IsDeepSleep = deepSleep;
        WakeSources = sources;
        TimerMilliseconds = timerMilliseconds;
    }

    public bool IsDeepSleep { get; }

    public WakeSources WakeSources { get; }

    public long TimerMilliseconds { get; }
}
