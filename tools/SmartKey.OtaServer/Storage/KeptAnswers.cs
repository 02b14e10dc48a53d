using System;
using System.Collections.Concurrent;
using System.Threading;

namespace SmartKey.OtaServer.Storage;

/// <summary>
/// Database answers kept in memory for a while, per serial, to spare the database on every chunk request and
/// status. Expired answers are dropped now and then, so the memory follows the locks heard from lately, not
/// the whole fleet.
/// </summary>
public sealed class KeptAnswers<T>
{
    private readonly long _forMs;
    private readonly ConcurrentDictionary<string, (T value, long until)> _answers = new();
    private long _kept;

    public KeptAnswers(TimeSpan keptFor) => _forMs = (long)keptFor.TotalMilliseconds;

    public bool TryGet(string serial, out T value)
    {
        if (_answers.TryGetValue(serial, out var kept) && kept.until > Environment.TickCount64)
        {
            value = kept.value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Keep(string serial, T value)
    {
        long now = Environment.TickCount64;
        _answers[serial] = (value, now + _forMs);
        if (Interlocked.Increment(ref _kept) % 4096 != 0) return;
        foreach (var entry in _answers)
            if (entry.Value.until <= now) _answers.TryRemove(entry.Key, out _);
    }

    public void Forget(string serial) => _answers.TryRemove(serial, out _);
}
