using System;
using System.Collections.Concurrent;
using System.Threading;
using SmartKey.OtaServer.Hosting;

namespace SmartKey.OtaServer.Devices;

/// <summary>
/// Per-lock limits on what a lock reports (docs/ota-server.md, "Per-lock limits"): a token bucket per serial
/// for telemetry and one for OTA statuses, checked before a message costs a worker or the database. Time is the
/// server's clock (wall time in service; the tests' compressed days refill the buckets as days pass). Kept in
/// memory: a restarted server starts every lock with a full bucket, and a bucket full again is forgotten, so
/// memory follows the locks that reported lately, not the fleet. With shared subscriptions each replica limits
/// what it receives. The daily cap on stored telemetry rows is enforced by the insert itself (DeviceService).
/// </summary>
public sealed class ReportLimits
{
    private readonly Buckets _telemetry;
    private readonly Buckets _status;

    public ReportLimits(ServerOptions options, TimeProvider clock)
    {
        _telemetry = new Buckets(options.TelemetryPerMinute / 60.0, options.TelemetryBurst, clock);
        _status = new Buckets(options.StatusesPerSecond, options.StatusBurst, clock);
        TelemetryRowsPerDay = Math.Max(1, options.TelemetryRowsPerDay);
    }

    /// <summary>Telemetry rows stored per lock per UTC day of the server's clock; later reports that day are refused.</summary>
    public int TelemetryRowsPerDay { get; }

    public bool TakeTelemetry(string serial) => _telemetry.TryTake(serial);

    public bool TakeStatus(string serial) => _status.TryTake(serial);

    /// <summary>Locks with a bucket now (either kind).</summary>
    public int Tracked => _telemetry.Count + _status.Count;

    private sealed class Buckets
    {
        private const int SweepEvery = 4096;
        private readonly double _perMs;
        private readonly int _burst;
        private readonly TimeProvider _clock;
        private readonly ConcurrentDictionary<string, Bucket> _buckets = new();
        private long _taken;

        public Buckets(double perSecond, int burst, TimeProvider clock)
        {
            _perMs = Math.Max(0, perSecond) / 1000.0;
            _burst = Math.Max(1, burst);
            _clock = clock;
        }

        public int Count => _buckets.Count;

        public bool TryTake(string serial)
        {
            long now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            var bucket = _buckets.GetOrAdd(serial, _ => new Bucket { Tokens = _burst, At = now });
            bool taken;
            lock (bucket)
            {
                bucket.Tokens = Math.Min(_burst, bucket.Tokens + Math.Max(0, now - bucket.At) * _perMs);
                bucket.At = Math.Max(bucket.At, now);
                taken = bucket.Tokens >= 1;
                if (taken) bucket.Tokens -= 1;
            }

            if (Interlocked.Increment(ref _taken) % SweepEvery == 0) DropFull(now);
            return taken;
        }

        private void DropFull(long now)
        {
            foreach (var entry in _buckets)
            {
                var b = entry.Value;
                lock (b)
                {
                    if (b.Tokens + Math.Max(0, now - b.At) * _perMs < _burst) continue;
                    _buckets.TryRemove(entry);
                }
            }
        }
    }

    private sealed class Bucket
    {
        public double Tokens;
        public long At;
    }
}
