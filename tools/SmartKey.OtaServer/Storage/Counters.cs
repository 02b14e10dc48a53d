using System.Collections.Generic;
using System.Linq;
using Dapper;

namespace SmartKey.OtaServer.Storage;

/// <summary>
/// What the server refused or dropped, counted in the database (so every replica adds to the same
/// figures and a restart loses none). Names are the constants below; docs/ota-server.md lists them.
/// </summary>
public sealed class Counters
{
    public const string UploadRefused = "upload_refused";
    public const string AdmissionRefused = "admission_refused";
    public const string TelemetryUnknownSerial = "telemetry_unknown_serial";
    public const string TelemetryMalformed = "telemetry_malformed";
    public const string TelemetryFieldDropped = "telemetry_field_dropped";
    public const string TelemetryDuplicate = "telemetry_duplicate";
    public const string StatusUnknownSerial = "status_unknown_serial";
    public const string StatusMalformed = "status_malformed";
    public const string StatusUnassigned = "status_unassigned";
    public const string ChunkUnknownSerial = "chunk_unknown_serial";
    public const string ChunkUnassigned = "chunk_unassigned";
    public const string ChunkMalformed = "chunk_malformed";
    public const string ChunkRateLimited = "chunk_rate_limited";
    public const string ChunksServed = "chunks_served";
    public const string OffersPublished = "offers_published";
    public const string OffersWithdrawn = "offers_withdrawn";
    public const string RetainedOfferReused = "retained_offer_reused";

    private readonly Database _db;

    public Counters(Database db) => _db = db;

    public void Add(string name, long by = 1)
    {
        if (by == 0) return;
        using var c = _db.Connect();
        c.Execute("INSERT INTO counters (name, value) VALUES (@name, @by) ON CONFLICT (name) DO UPDATE SET value = counters.value + @by", new { name, by });
    }

    public long Get(string name)
    {
        using var c = _db.Connect();
        return c.QuerySingleOrDefault<long?>("SELECT value FROM counters WHERE name = @name", new { name }) ?? 0;
    }

    public IReadOnlyDictionary<string, long> All()
    {
        using var c = _db.Connect();
        return c.Query<(string name, long value)>("SELECT name, value FROM counters ORDER BY name").ToDictionary(r => r.name, r => r.value);
    }
}
