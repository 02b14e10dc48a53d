using System;
using System.Collections.Concurrent;

namespace SmartKey.OtaServer.Mqtt;

/// <summary>
/// A token bucket per lock (chunks per second, a burst). Kept in memory on purpose: it only shapes load, and
/// a restarted server starting every lock with a full bucket loses nothing.
/// </summary>
public sealed class ChunkRateLimit
{
    private readonly double _perSecond;
    private readonly int _burst;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();

    public ChunkRateLimit(double perSecond, int burst, TimeProvider clock)
    {
        _perSecond = perSecond;
        _burst = Math.Max(1, burst);
        _clock = clock;
    }

    public bool TryTake(string serial)
    {
        long now = _clock.GetTimestamp();
        var bucket = _buckets.GetOrAdd(serial, _ => new Bucket { Tokens = _burst, At = now });
        lock (bucket)
        {
            double elapsed = _clock.GetElapsedTime(bucket.At, now).TotalSeconds;
            bucket.Tokens = Math.Min(_burst, bucket.Tokens + elapsed * _perSecond);
            bucket.At = now;
            if (bucket.Tokens < 1) return false;
            bucket.Tokens -= 1;
            return true;
        }
    }

    private sealed class Bucket
    {
        public double Tokens;
        public long At;
    }
}
