namespace SmartKey.Hal.Simulated;

/// <summary>Simulated time: uptime advances only when the simulation says so; the wall clock can jump.</summary>
public sealed class SimClock : IMonotonicClock, IRealTimeClock
{
    private long _wallOffsetSeconds;

    public SimClock(long unixSecondsAtBoot = 1_767_225_600) // 2026-01-01T00:00:00Z
    {
        _wallOffsetSeconds = unixSecondsAtBoot;
    }

    public long UptimeMilliseconds { get; private set; }

    public long UnixSeconds => _wallOffsetSeconds + UptimeMilliseconds / 1000;

    public void SetUnixSeconds(long unixSeconds) => _wallOffsetSeconds = unixSeconds - UptimeMilliseconds / 1000;

    public void Advance(long milliseconds)
    {
        if (milliseconds < 0) throw new System.ArgumentOutOfRangeException(nameof(milliseconds));
        UptimeMilliseconds += milliseconds;
    }

    /// <summary>Moves the wall clock only (an RTC drift or a wrong time set by an owner).</summary>
    public void JumpWallClock(long seconds) => _wallOffsetSeconds += seconds;

    /// <summary>A reboot restarts uptime; the RTC keeps running.</summary>
    public void Reboot()
    {
        _wallOffsetSeconds = UnixSeconds;
        UptimeMilliseconds = 0;
    }
}
