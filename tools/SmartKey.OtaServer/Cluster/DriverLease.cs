using System;
using Dapper;
using SmartKey.OtaServer.Storage;

namespace SmartKey.OtaServer.Cluster;

/// <summary>
/// Exactly one replica drives rollouts: it holds a lease row (driver_lease) that it renews before every
/// driver run; another replica takes the row over only once it has expired. A replica that dies stops
/// renewing, so the next replica to look takes over within one lease time plus one driver interval. The
/// lease runs on wall-clock time (replicas keep NTP time), never the injectable rollout clock. The driver's
/// own writes are conditional updates, so even an overlap at the moment of takeover cannot advance a
/// rollout twice or offer a lock beyond its cap.
/// </summary>
public sealed class DriverLease
{
    public const string Name = "rollout-driver";

    private readonly Database _db;
    private readonly TimeProvider _wallClock;

    public DriverLease(Database db, string holder, TimeSpan duration, TimeProvider? wallClock = null)
    {
        if (duration <= TimeSpan.Zero) throw new ArgumentException("the driver lease must last longer than zero");
        _db = db;
        Holder = holder;
        Duration = duration;
        _wallClock = wallClock ?? TimeProvider.System;
    }

    public string Holder { get; }

    public TimeSpan Duration { get; }

    /// <summary>Times this replica took the lease over from nobody or from an expired holder.</summary>
    public int Acquisitions { get; private set; }

    public bool Held { get; private set; }

    /// <summary>Takes or renews the lease; true when this replica holds it until now + Duration.</summary>
    public bool TryHold()
    {
        long now = _wallClock.GetUtcNow().ToUnixTimeMilliseconds();
        long until = now + (long)Duration.TotalMilliseconds;
        using var c = _db.Connect();
        int changed = c.Execute(@"INSERT INTO driver_lease (name, holder, expires_at) VALUES (@Name, @Holder, @until)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE driver_lease.holder = excluded.holder OR driver_lease.expires_at < @now", new { Name, Holder, until, now });
        bool held = changed == 1;
        if (held && !Held) Acquisitions++;
        Held = held;
        return held;
    }

    /// <summary>Gives the lease up at a clean shutdown, so another replica takes over at its next run.</summary>
    public void Release()
    {
        using var c = _db.Connect();
        c.Execute("UPDATE driver_lease SET expires_at = 0 WHERE name = @Name AND holder = @Holder", new { Name, Holder });
        Held = false;
    }

    /// <summary>The replica that holds the lease now, or null when nobody does.</summary>
    public static string? CurrentHolder(Database db, TimeProvider? wallClock = null)
    {
        long now = (wallClock ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds();
        using var c = db.Connect();
        return c.QueryFirstOrDefault<string>("SELECT holder FROM driver_lease WHERE name = @Name AND expires_at >= @now", new { Name, now });
    }
}
