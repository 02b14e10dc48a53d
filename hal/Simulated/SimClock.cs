namespace SmartKey.Hal.Simulated;

/// <summary>
/// Simulated time. Elapsed time only grows (the simulation's own clock); the device's uptime restarts at
/// every reboot or wake; the wall clock (RTC) keeps running across them and can be set or made to jump.
/// </summary>
public sealed class SimClock : IMonotonicClock, IRealTimeClock
{
    private long _wallOffsetSeconds;
    private long _bootAtMs;

    public SimClock(long unixSecondsAtBoot = 1_767_225_600) // 2026-01-01T00:00:00Z
    {
        _wallOffsetSeconds = unixSecondsAtBoot;
    }

    /// <summary>Milliseconds since the simulation started; never resets.</summary>
    public long ElapsedMilliseconds { get; private set; }

    public long UptimeMilliseconds => ElapsedMilliseconds - _bootAtMs;

    public long UnixSeconds => _wallOffsetSeconds + ElapsedMilliseconds / 1000;

    public void SetUnixSeconds(long unixSeconds) => _wallOffsetSeconds = unixSeconds - ElapsedMilliseconds / 1000;

    public void Advance(long milliseconds)
    {
        if (milliseconds < 0) throw new System.ArgumentOutOfRangeException(nameof(milliseconds));
        ElapsedMilliseconds += milliseconds;
    }

    /// <summary>Moves the wall clock only (an RTC drift or a wrong time set by an owner).</summary>
    public void JumpWallClock(long seconds) => _wallOffsetSeconds += seconds;

    /// <summary>A reboot restarts uptime; the RTC keeps running.</summary>
    public void Reboot() => _bootAtMs = ElapsedMilliseconds;
}
