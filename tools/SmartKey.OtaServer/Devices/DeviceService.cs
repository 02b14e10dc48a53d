using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Dapper;
using SmartKey.OtaServer.Mqtt;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Storage;

namespace SmartKey.OtaServer.Devices;

/// <summary>
/// The device registry: admission from manufacturing records, the locks' telemetry (the only input besides
/// OTA statuses), and the privacy operations: list, show, export, erase, and the retention job.
/// </summary>
public sealed class DeviceService
{
    private readonly Database _db;
    private readonly Counters _counters;
    private readonly TimeProvider _clock;
    private readonly KeptAnswers<bool> _known = new(TimeSpan.FromMinutes(1));
    private IOfferChannel? _offers;

    public DeviceService(Database db, Counters counters, TimeProvider clock, ReportLimits? limits = null)
    {
        _db = db;
        _counters = counters;
        _clock = clock;
        Limits = limits ?? new ReportLimits(new Hosting.ServerOptions(), clock);
    }

    /// <summary>The per-lock rate limits and the daily cap on telemetry rows.</summary>
    public ReportLimits Limits { get; }

    /// <summary>Set when the MQTT link is up: erasure and forgetting also clear the lock's retained offer.</summary>
    public void UseOfferChannel(IOfferChannel offers) => _offers = offers;

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    public int Admit(IReadOnlyList<ManufacturingRecord> records, string actor)
    {
        Operators.Check(actor);
        long now = Now;
        return _db.InTransaction((c, tx) =>
        {
            int added = 0;
            foreach (var r in records)
            {
                added += c.Execute(@"INSERT INTO devices (serial, hardware_id, certificate_sha256, trust_key_ids, issued_at, admitted_at)
                    VALUES (@Serial, @HardwareId, @CertificateSha256, @keys, @IssuedAt, @now)
                    ON CONFLICT (serial) DO UPDATE SET hardware_id = excluded.hardware_id, certificate_sha256 = excluded.certificate_sha256,
                        trust_key_ids = excluded.trust_key_ids, issued_at = excluded.issued_at",
                    new { r.Serial, r.HardwareId, r.CertificateSha256, keys = string.Join(",", r.OtaTrustKeyIds), r.IssuedAt, now }, tx);
            }

            AuditLog.Write(c, tx, now, actor, "devices", "admitted", $"{records.Count} manufacturing records");
            return added;
        });
    }

    /// <summary>
    /// True when the serial was admitted: from memory for a minute after the database said so, because every
    /// chunk request and status asks. A lock erased on another replica stays known here for at most that minute;
    /// it has no action left, so it is served nothing.
    /// </summary>
    public bool IsKnownFromMemory(string serial) => _known.TryGet(serial, out _);

    public bool IsKnown(string serial)
    {
        if (_known.TryGet(serial, out _)) return true;
        if (Get(serial) == null) return false;
        _known.Keep(serial, true);
        return true;
    }

    public Device? Get(string serial)
    {
        using var c = _db.Connect();
        return c.QuerySingleOrDefault<Device>("SELECT * FROM devices WHERE serial = @serial", new { serial });
    }

    public IReadOnlyList<Device> List()
    {
        using var c = _db.Connect();
        return c.Query<Device>("SELECT * FROM devices ORDER BY serial").ToList();
    }

    /// <summary>One telemetry message from the broker. Never throws for what a lock (or an impostor) sends.</summary>
    public void IngestTelemetry(string serial, byte[] payload)
    {
        if (!IsKnown(serial))
        {
            _counters.Add(Counters.TelemetryUnknownSerial);
            return;
        }

        var message = TelemetryMessage.TryParse(serial, payload);
        if (message == null)
        {
            _counters.Add(Counters.TelemetryMalformed);
            return;
        }

        _counters.Add(Counters.TelemetryFieldDropped, message.DroppedFields);
        long now = Now, dayStart = now - now % 86_400_000;
        int cap = Limits.TelemetryRowsPerDay;
        // A QoS 1 duplicate (same bytes from the same lock within ten minutes) is stored once.
        string dedup = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(serial + "\n" + Convert.ToBase64String(payload) + "\n" + now / 600_000))).ToLowerInvariant();
        var row = new { serial, now, dayStart, cap, dedup, message.Firmware, message.BatteryState, message.BatteryPercent, message.BatteryMillivolts, errors = message.ErrorsText };
        // The daily cap is part of the insert (an index range of at most cap rows), so it costs no round trip of its own.
        const string Today = "SELECT COUNT(*) AS n FROM telemetry WHERE serial = @serial AND received_at >= @dayStart";
        const string Store = @"INSERT INTO telemetry (serial, received_at, dedup_key, firmware, battery_state, battery_percent, battery_millivolts, errors)
                SELECT @serial, @now, @dedup, @Firmware, @BatteryState, @BatteryPercent, @BatteryMillivolts, @errors WHERE ({today}) < @cap ON CONFLICT (dedup_key) DO NOTHING";
        const string Register = @"UPDATE devices SET firmware = @Firmware, battery_state = @BatteryState, battery_percent = @BatteryPercent, battery_millivolts = @BatteryMillivolts,
                errors = @errors, last_seen_at = @now WHERE serial = @serial";
        bool fresh;
        long before;
        if (_db.IsPostgres)
        {
            // One statement, one round trip: the registry follows only a report that was stored (not a duplicate, not over the cap).
            using var c = _db.Connect();
            (before, long registered) = c.QuerySingle<(long, long)>(
                $"WITH today AS ({Today}), stored AS ({Store.Replace("{today}", "SELECT n FROM today")} RETURNING 1), " +
                $"registered AS ({Register} AND EXISTS (SELECT 1 FROM stored) RETURNING 1) SELECT (SELECT n FROM today), (SELECT COUNT(*) FROM registered)", row);
            fresh = registered == 1;
        }
        else
        {
            (before, fresh) = _db.InTransaction((c, tx) =>
            {
                long n = c.ExecuteScalar<long>(Today, row, tx);
                return (n, n < cap && c.Execute(Store.Replace("{today}", Today), row, tx) == 1 && c.Execute(Register, row, tx) >= 0);
            });
        }

        if (fresh) return;
        _counters.Add(before >= cap ? Counters.TelemetryOverDailyCap : Counters.TelemetryDuplicate);
    }

    /// <summary>One stored telemetry report (a class: Dapper converts each engine's integer width into its properties).</summary>
    public sealed class TelemetryEntry
    {
        public long ReceivedAt { get; set; }
        public string Firmware { get; set; } = "";
        public string BatteryState { get; set; } = "";
        public long BatteryPercent { get; set; }
        public long BatteryMillivolts { get; set; }
        public string Errors { get; set; } = "";
    }

    public IReadOnlyList<TelemetryEntry> Telemetry(string serial)
    {
        using var c = _db.Connect();
        return c.Query<TelemetryEntry>("SELECT received_at AS ReceivedAt, firmware AS Firmware, battery_state AS BatteryState, battery_percent AS BatteryPercent, battery_millivolts AS BatteryMillivolts, errors AS Errors FROM telemetry WHERE serial = @serial ORDER BY received_at, id", new { serial }).ToList();
    }

    public IReadOnlyList<DeviceAction> Actions(string serial)
    {
        using var c = _db.Connect();
        return c.Query<DeviceAction>("SELECT * FROM actions WHERE serial = @serial ORDER BY rollout_id", new { serial }).ToList();
    }

    /// <summary>Everything held about one lock, as one JSON document (docs/ota-server.md, "Export").</summary>
    public DeviceExport? Export(string serial, string actor)
    {
        Operators.Check(actor);
        var device = Get(serial);
        if (device == null) return null;
        var export = DeviceExport.From(device, Telemetry(serial), Actions(serial));
        _db.InTransaction((c, tx) => AuditLog.Write(c, tx, Now, actor, "devices", "exported", "one lock's data"));
        return export;
    }

    /// <summary>The tables an erasure changes (the audit row it adds names no lock).</summary>
    private static readonly string[] ErasedTables = { "devices", "telemetry", "actions", "rollouts" };

    /// <summary>
    /// Deletes every row about the lock and clears its retained offer; the audit entry names no serial. Then the
    /// database scrubs what it keeps beside the tables (Database.Scrub), so the serial is nowhere in its files.
    /// </summary>
    public bool Erase(string serial, string actor)
    {
        Operators.Check(actor);
        long now = Now;
        bool erased = _db.InTransaction((c, tx) =>
        {
            if (c.Execute("DELETE FROM devices WHERE serial = @serial", new { serial }, tx) == 0) return false;
            int telemetry = c.Execute("DELETE FROM telemetry WHERE serial = @serial", new { serial }, tx);
            int actions = c.Execute("DELETE FROM actions WHERE serial = @serial", new { serial }, tx);
            c.Execute("DELETE FROM parked_messages WHERE serial = @serial", new { serial }, tx);
            int rollouts = RolloutSerials.RemoveEverywhere(c, tx, serial);
            AuditLog.Write(c, tx, now, actor, "devices", "erased", $"one lock: its record, {telemetry} telemetry rows, {actions} rollout actions; removed from {rollouts} rollout target lists");
            return true;
        });
        if (erased)
        {
            _known.Forget(serial);
            _offers?.WithdrawAsync(serial).GetAwaiter().GetResult();
            // The rows are gone from the tables; now from the engine's other copies too (the WAL, dead row versions).
            _db.Scrub(ErasedTables, TimeSpan.FromSeconds(30));
        }

        return erased;
    }

    public sealed record RetentionResult(int TelemetryDeleted, int LocksForgotten);

    /// <summary>Deletes telemetry older than the retention age; forgets locks not seen for forgetAfter (keeps only the factory record).</summary>
    public RetentionResult RunRetention(TimeSpan telemetryAge, TimeSpan forgetAfter)
    {
        long now = Now;
        long telemetryBefore = now - (long)telemetryAge.TotalMilliseconds;
        long forgetBefore = now - (long)forgetAfter.TotalMilliseconds;
        var forgotten = new List<string>();
        int deleted = _db.InTransaction((c, tx) =>
        {
            int n = c.Execute("DELETE FROM telemetry WHERE received_at < @telemetryBefore", new { telemetryBefore }, tx);
            c.Execute("DELETE FROM parked_messages WHERE parked_at < @telemetryBefore", new { telemetryBefore }, tx);
            forgotten.AddRange(c.Query<string>("SELECT serial FROM devices WHERE last_seen_at IS NOT NULL AND last_seen_at < @forgetBefore", new { forgetBefore }, tx));
            foreach (string serial in forgotten)
            {
                n += c.Execute("DELETE FROM telemetry WHERE serial = @serial", new { serial }, tx);
                c.Execute("DELETE FROM parked_messages WHERE serial = @serial", new { serial }, tx);
                c.Execute("DELETE FROM actions WHERE serial = @serial", new { serial }, tx);
                c.Execute(@"UPDATE devices SET firmware = NULL, battery_state = NULL, battery_percent = NULL, battery_millivolts = NULL, errors = NULL, last_seen_at = NULL
                    WHERE serial = @serial", new { serial }, tx);
            }

            if (n > 0 || forgotten.Count > 0)
                AuditLog.Write(c, tx, now, "retention", "devices", "retention", $"{n} telemetry rows deleted, {forgotten.Count} locks forgotten");
            return n;
        });
        if (_offers != null) Task.WhenAll(forgotten.Select(_offers.WithdrawAsync)).GetAwaiter().GetResult();
        return new RetentionResult(deleted, forgotten.Count);
    }

    /// <summary>
    /// Keeps a message the intake could not handle after its retries (parked_messages: erased with the lock, deleted by
    /// retention with its telemetry); false when even that fails (the database is down).
    /// </summary>
    public bool TryPark(string serial, string topic, byte[] payload, Exception failure)
    {
        try
        {
            long now = Now;
            using var c = _db.Connect();
            c.Execute("INSERT INTO parked_messages (serial, topic, payload_hex, error, parked_at) VALUES (@serial, @topic, @hex, @error, @now)",
                new { serial, topic, hex = Convert.ToHexString(payload), error = failure.GetType().Name + ": " + failure.Message, now });
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>An OTA status was heard from the lock: it is alive (the registry's last seen).</summary>
    public void Seen(string serial)
    {
        long now = Now;
        using var c = _db.Connect();
        c.Execute("UPDATE devices SET last_seen_at = @now WHERE serial = @serial", new { serial, now });
    }
}
