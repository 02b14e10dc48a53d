using System;
using System.Collections.Concurrent;
using System.Threading;

namespace SmartKey.OtaServer.Mqtt;

/// <summary>
/// A token bucket per lock (chunks per second, a burst). Kept in memory on purpose: it only shapes load, and
/// a restarted server starting every lock with a full bucket loses nothing. For the same reason a bucket that
/// has filled up again is dropped now and then: a new one is just as full, and the memory follows the locks
/// downloading lately, not the fleet.
/// </summary>
public sealed class ChunkRateLimit
{
    private readonly double _perSecond;
    private readonly int _burst;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();
    private long _taken;

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
        bool taken;
        lock (bucket)
        {
            double elapsed = _clock.GetElapsedTime(bucket.At, now).TotalSeconds;
            bucket.Tokens = Math.Min(_burst, bucket.Tokens + elapsed * _perSecond);
            bucket.At = now;
            taken = bucket.Tokens >= 1;
            if (taken) bucket.Tokens -= 1;
        }

        if (Interlocked.Increment(ref _taken) % SweepEvery == 0) DropFull(now);
        return taken;
    }

    /// <summary>How many locks have a bucket now.</summary>
    public int Tracked => _buckets.Count;

    private const int SweepEvery = 4096;

    private void DropFull(long now)
    {
        foreach (var entry in _buckets)
        {
            var b = entry.Value;
            lock (b)
            {
                if (b.Tokens + _clock.GetElapsedTime(b.At, now).TotalSeconds * _perSecond < _burst) continue;
                // A take racing with this may spend a token of the dropped bucket: one token more, once, for load shaping.
                _buckets.TryRemove(entry);
            }
        }
    }

    private sealed class Bucket
    {
        public double Tokens;
        public long At;
    }
}
