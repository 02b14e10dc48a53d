using System;

namespace SmartKey.OtaServer.Tests.Fixtures;

/// <summary>The server's injected clock: wall time stands still until a test moves it (days in milliseconds).</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (this) return _now;
    }

    public void Advance(TimeSpan by)
    {
        lock (this) _now += by;
    }
}
