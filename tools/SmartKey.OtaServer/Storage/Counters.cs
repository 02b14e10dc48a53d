using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Dapper;

namespace SmartKey.OtaServer.Storage;

/// <summary>
/// What the server refused, dropped or served, counted in the database (so every replica adds to the same
/// figures). Names are the constants below; docs/ota-server.md lists them. Counts are gathered in memory
/// and added to the database once a second in one transaction (and before every read), because a write per
/// chunk served on one hot row was the server's limit at fleet scale: a replica that crashes loses at most
/// its last second of counts, never a device's state.
/// </summary>
public sealed class Counters : IDisposable
{
    public const string UploadRefused = "upload_refused";
    public const string AdmissionRefused = "admission_refused";
    public const string TelemetryUnknownSerial = "telemetry_unknown_serial";
    public const string TelemetryMalformed = "telemetry_malformed";
    public const string TelemetryFieldDropped = "telemetry_field_dropped";
    public const string TelemetryDuplicate = "telemetry_duplicate";
    public const string TelemetryRateLimited = "telemetry_rate_limited";
    public const string TelemetryOverDailyCap = "telemetry_over_daily_cap";
    public const string StatusUnknownSerial = "status_unknown_serial";
    public const string StatusMalformed = "status_malformed";
    public const string StatusUnassigned = "status_unassigned";
    public const string StatusRateLimited = "status_rate_limited";
    public const string TopicUnknown = "topic_unknown";
    public const string IntakeRetried = "intake_retried";
    public const string IntakeParked = "intake_parked";
    public const string IntakeDeferred = "intake_deferred";
    public const string ChunkUnknownSerial = "chunk_unknown_serial";
    public const string ChunkUnassigned = "chunk_unassigned";
    public const string ChunkMalformed = "chunk_malformed";
    public const string ChunkRateLimited = "chunk_rate_limited";
    public const string ChunksServed = "chunks_served";
    public const string OffersPublished = "offers_published";
    public const string OffersWithdrawn = "offers_withdrawn";
    public const string RetainedOfferReused = "retained_offer_reused";

    private readonly Database _db;
    private readonly ConcurrentDictionary<string, long> _pending = new();
    private readonly object _flushing = new();
    private readonly Timer _timer;

    public Counters(Database db)
    {
        _db = db;
        _timer = new Timer(_ => FlushQuietly(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public void Add(string name, long by = 1)
    {
        if (by == 0) return;
        _pending.AddOrUpdate(name, by, (_, v) => v + by);
    }

    /// <summary>Adds what was counted since the last flush to the database; a failed flush keeps the counts for the next.</summary>
    public void Flush()
    {
        lock (_flushing)
        {
            var taken = new List<(string name, long by)>();
            foreach (string name in _pending.Keys)
                if (_pending.TryRemove(name, out long by) && by != 0) taken.Add((name, by));
            if (taken.Count == 0) return;
            try
            {
                _db.InTransaction((c, tx) =>
                {
                    foreach (var (name, by) in taken)
                        c.Execute("INSERT INTO counters (name, value) VALUES (@name, @by) ON CONFLICT (name) DO UPDATE SET value = counters.value + @by", new { name, by }, tx);
                });
            }
            catch (Exception)
            {
                foreach (var (name, by) in taken) Add(name, by);
                throw;
            }
        }
    }

    private void FlushQuietly()
    {
        try
        {
            Flush();
        }
        catch (Exception)
        {
            // The database is away for a moment: the counts wait in memory for the next second.
        }
    }

    public long Get(string name)
    {
        Flush();
        using var c = _db.Connect();
        return c.QuerySingleOrDefault<long?>("SELECT value FROM counters WHERE name = @name", new { name }) ?? 0;
    }

    public IReadOnlyDictionary<string, long> All()
    {
        Flush();
        using var c = _db.Connect();
        return c.Query<(string name, long value)>("SELECT name, value FROM counters ORDER BY name").ToDictionary(r => r.name, r => r.value);
    }

    public void Dispose()
    {
        _timer.Dispose();
        FlushQuietly();
    }
}
