using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using System.Threading.Tasks;
using Dapper;
using SmartKey.Ota;
using SmartKey.OtaServer.Devices;
using SmartKey.OtaServer.Images;
using SmartKey.OtaServer.Mqtt;
using SmartKey.OtaServer.Releases;
using SmartKey.OtaServer.Storage;

namespace SmartKey.OtaServer.Rollouts;

/// <summary>
/// Moves running rollouts forward, one Tick at a time, from the database alone (a restarted server, or another
/// replica holding the driver's lease, continues where the last tick stopped): adds the matching locks to the
/// current group, checks the group's error and success thresholds and soak time (→ pause, next group or
/// completed), and offers the release to waiting locks whose battery is OK, at most MaxAttempts times each.
/// Each offer is counted in the database before it is published, so a crash can lose an offer but never
/// repeat one beyond the cap. Sweep withdraws the offers of paused and cancelled rollouts.
/// </summary>
public sealed class RolloutDriver
{
    public const string Actor = "driver";

    private readonly Database _db;
    private readonly ReleaseService _releases;
    private readonly ImageStore _images;
    private readonly Counters _counters;
    private readonly TimeProvider _clock;
    private readonly object _tick = new();
    private readonly ConcurrentDictionary<string, byte[]> _offers = new();
    private IOfferChannel? _channel;

    public RolloutDriver(Database db, ReleaseService releases, ImageStore images, Counters counters, TimeProvider clock)
    {
        _db = db;
        _releases = releases;
        _images = images;
        _counters = counters;
        _clock = clock;
    }

    public void UseOfferChannel(IOfferChannel channel) => _channel = channel;

    /// <summary>At most this many locks offered or downloading at once, over all rollouts (0: no limit; ServerOptions.MaxDownloads).</summary>
    public int MaxDownloads { get; set; }

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The offer bytes of a release (what the lock checks before downloading), from its stored image.</summary>
    public byte[] OfferFor(string releaseId) => _offers.GetOrAdd(releaseId, id => ImageSigner.OfferFor(_images.Get(id)).Encode());

    public void Tick()
    {
        lock (_tick)
        {
            List<Rollout> rollouts;
            using (var c = _db.Connect()) rollouts = c.Query<Rollout>("SELECT * FROM rollouts WHERE state IN ('running', 'paused', 'cancelled') ORDER BY id").ToList();
            foreach (var r in rollouts)
            {
                if (r.State == RolloutStates.Running) Drive(r);
                else Sweep(r.Id);
            }
        }
    }

    private void Drive(Rollout r)
    {
        var release = _releases.Get(r.ReleaseId)!;
        var plan = r.Groups;
        for (int guard = 0; guard <= plan.Groups.Count; guard++)
        {
            AddMembers(r, plan, release);
            string? next = Evaluate(r, plan, out string reason);
            if (next == null) break;
            long now = Now;
            if (next == RolloutStates.Paused)
            {
                _db.InTransaction((c, tx) => RolloutService.TransitionAt(c, tx, r.Id, RolloutStates.Running, RolloutStates.Paused, Actor, "paused automatically", "pause_reason = @reason", reason, 0, now));
                Sweep(r.Id);
                return;
            }

            if (next == RolloutStates.Completed)
            {
                _db.InTransaction((c, tx) =>
                {
                    RolloutService.TransitionAt(c, tx, r.Id, RolloutStates.Running, RolloutStates.Completed, Actor, "completed", null, reason, 0, now);
                    c.Execute("UPDATE actions SET state = 'cancelled', updated_at = @now WHERE rollout_id = @id AND state IN ('pending', 'retry')", new { id = r.Id, now }, tx);
                });
                Sweep(r.Id);
                return;
            }

            // The next group.
            long from = r.CurrentGroup;
            _db.InTransaction((c, tx) =>
            {
                int moved = c.Execute("UPDATE rollouts SET current_group = @to, group_started_at = @now, errors_acknowledged = 0, updated_at = @now WHERE id = @id AND state = 'running' AND current_group = @from",
                    new { id = r.Id, to = from + 1, now, from }, tx);
                if (moved == 1) AuditLog.Write(c, tx, now, Actor, RolloutService.Subject(r.Id), "next group", $"{reason}; group {from + 1} '{plan.Groups[(int)from + 1].Name}' starts");
            });
            using (var c = _db.Connect()) r = c.QuerySingle<Rollout>("SELECT * FROM rollouts WHERE id = @id", new { id = r.Id });
            if (r.State != RolloutStates.Running) return;
        }

        Offer(r);
    }

    /// <summary>
    /// Matching locks without an action whose group has come (their own, or one already passed) join the current
    /// group. Only what can have changed is read: every lock when the group starts (or this replica takes over,
    /// or every FullScanMs as a backstop), otherwise the locks heard from since the last look (a lock's version
    /// and battery come with its telemetry; one freed by another rollout's end joins at its next report).
    /// </summary>
    private void AddMembers(Rollout r, GroupPlan plan, Release release)
    {
        long now = Now;
        bool full = !_scans.TryGetValue(r.Id, out var last) || last.group != r.CurrentGroup || now - last.fullAt >= FullScanMs;
        // The margin covers reports written with another replica's clock, or committed just after the last look.
        long since = full ? 0 : last.at - ScanMarginMs;
        var filter = r.Filter;
        _db.InTransaction((c, tx) =>
        {
            var devices = c.Query<Device>(@"SELECT * FROM devices d WHERE d.last_seen_at IS NOT NULL AND d.last_seen_at >= @since AND d.hardware_id = @HardwareId
                AND NOT EXISTS (SELECT 1 FROM actions a JOIN rollouts o ON o.id = a.rollout_id WHERE a.serial = d.serial
                    AND (a.rollout_id = @id OR (a.state NOT IN ('confirmed', 'failed', 'cancelled') AND o.state IN ('running', 'paused'))))",
                new { since, release.HardwareId, id = r.Id }, tx);
            foreach (var d in devices)
            {
                if (!filter.Matches(d, release)) continue;
                int group = plan.GroupOf(d.Serial);
                if (group < 0 || group > r.CurrentGroup) continue;
                c.Execute(@"INSERT INTO actions (rollout_id, serial, group_index, state, attempts, failures, last_status, last_error, progress, updated_at)
                    VALUES (@id, @serial, @group, 'pending', 0, 0, NULL, 0, 0, @now) ON CONFLICT (rollout_id, serial) DO NOTHING",
                    new { id = r.Id, serial = d.Serial, group = r.CurrentGroup, now }, tx);
            }
        });
        _scans[r.Id] = (r.CurrentGroup, now, full ? now : last.fullAt);
    }

    private const long FullScanMs = 10 * 60_000, ScanMarginMs = 60_000;

    /// <summary>Per rollout: the group of the last look for new members, when it was, and when the last full one was.</summary>
    private readonly Dictionary<long, (long group, long at, long fullAt)> _scans = new();

    public static int GroupErrors(DbConnection c, DbTransaction? tx, long rolloutId, long group) =>
        (int)c.ExecuteScalar<long>("SELECT COUNT(*) FROM actions WHERE rollout_id = @rolloutId AND group_index = @group AND failures > 0 AND state <> 'confirmed'", new { rolloutId, group }, tx);

    /// <summary>null: keep going; paused, completed, or running (= the next group), with the reason.</summary>
    private string? Evaluate(Rollout r, GroupPlan plan, out string reason)
    {
        reason = "";
        int g = (int)r.CurrentGroup;
        var group = plan.Groups[g];
        List<string> states;
        int errors, open;
        using (var c = _db.Connect())
        {
            states = c.Query<string>("SELECT state FROM actions WHERE rollout_id = @id AND group_index = @g", new { id = r.Id, g }).ToList();
            errors = GroupErrors(c, null, r.Id, g) - (int)r.ErrorsAcknowledged;
            open = (int)c.ExecuteScalar<long>("SELECT COUNT(*) FROM actions WHERE rollout_id = @id AND state NOT IN ('confirmed', 'failed', 'cancelled')", new { id = r.Id });
        }

        int members = states.Count, confirmed = states.Count(s => s == ActionStates.Confirmed), final = states.Count(ActionStates.Final);
        if ((r.ErrorCount > 0 && errors >= r.ErrorCount) || (r.ErrorPermille > 0 && members > 0 && errors * 1000L >= r.ErrorPermille * members))
        {
            reason = $"error threshold: {errors} of {members} locks in group '{group.Name}' failed or reverted (threshold {r.ErrorCount} locks / {r.ErrorPermille / 10.0} %)";
            return RolloutStates.Paused;
        }

        double ageDays = (Now - (r.GroupStartedAt ?? Now)) / 86_400_000.0;
        bool last = g == plan.Groups.Count - 1;
        if (members == 0)
        {
            // A percentage that takes no lock of this fleet, or a canary that names none, is passed at once; a canary
            // that names locks waits for them to report.
            if (group.Percent != null || group.Serials.Length == 0)
            {
                reason = $"group '{group.Name}' has no lock";
                return last ? RolloutStates.Completed : RolloutStates.Running;
            }

            if (ageDays >= r.MaxGroupDays)
            {
                reason = $"no lock of group '{group.Name}' reported within {r.MaxGroupDays} days";
                return RolloutStates.Paused;
            }

            return null;
        }

        bool succeeded = confirmed * 1000L >= r.SuccessPermille * members;
        if (succeeded && ageDays >= r.SoakDays)
        {
            reason = $"group '{group.Name}': {confirmed} of {members} confirmed after {ageDays:0.#} days";
            if (!last) return RolloutStates.Running;
            // Completing cancels what is still open, so the last group also waits for the locks of every group
            // still to be offered, to retry or to finish: a lock between attempts would otherwise be left on the
            // old firmware with neither its update nor its failure on record. The group's time limit ends the wait.
            if (open == 0) return RolloutStates.Completed;
            if (ageDays < r.MaxGroupDays) return null;
            reason += $"; {open} locks still open after {r.MaxGroupDays} days are cancelled";
            return RolloutStates.Completed;
        }

        if (!succeeded && final == members)
        {
            reason = $"group '{group.Name}' ended with {confirmed} of {members} confirmed, below the success threshold of {r.SuccessPermille / 10.0} %";
            return RolloutStates.Paused;
        }

        if (!succeeded && ageDays >= r.MaxGroupDays)
        {
            reason = $"group '{group.Name}' reached {confirmed} of {members} confirmed in {r.MaxGroupDays} days, below the success threshold of {r.SuccessPermille / 10.0} %";
            return RolloutStates.Paused;
        }

        return null;
    }

    private void Offer(Rollout r)
    {
        if (_channel == null) return;
        byte[] offer = OfferFor(r.ReleaseId);
        List<(string serial, string state, long attempts)> waiting;
        using (var c = _db.Connect())
        {
            waiting = c.Query<(string, string, long)>(@"SELECT a.serial, a.state, a.attempts FROM actions a JOIN devices d ON d.serial = a.serial
                WHERE a.rollout_id = @id AND a.state IN ('pending', 'retry') AND a.attempts < @MaxAttempts AND d.battery_state = 'ok' ORDER BY a.serial",
                new { id = r.Id, r.MaxAttempts }).ToList();
            if (MaxDownloads > 0)
            {
                // Admission: beyond what the chunk servers can feed, more downloads only make every one of them slower
                // (each lock's requests time out and are sent again), so locks wait for a free place instead.
                long inFlight = c.ExecuteScalar<long>(@"SELECT COUNT(*) FROM actions a JOIN rollouts o ON o.id = a.rollout_id
                    WHERE a.state IN ('offered', 'downloading') AND o.state IN ('running', 'paused')");
                int room = (int)Math.Max(0, MaxDownloads - inFlight);
                if (waiting.Count > room) waiting = waiting.Take(room).ToList();
            }
        }

        // Claimed one by one (the claim is what counts against the cap), published in batches: a publish waits
        // for the broker's PUBACK, and thousands of those one after another would make a group's start take minutes.
        var published = new List<(string serial, string state, long attempts, Task<bool> sent)>();
        foreach (var (serial, state, attempts) in waiting)
        {
            long now = Now;
            int claimed;
            using (var c = _db.Connect())
            {
                claimed = c.Execute("UPDATE actions SET state = 'offered', attempts = attempts + 1, updated_at = @now WHERE rollout_id = @id AND serial = @serial AND state = @state AND attempts = @attempts",
                    new { id = r.Id, serial, state, attempts, now });
            }

            if (claimed == 0) continue;        // someone else moved it meanwhile
            _assignments.Forget(serial);
            published.Add((serial, state, attempts, _channel.OfferAsync(serial, offer)));
            if (published.Count >= PublishBatch) Settle(r, published);
        }

        Settle(r, published);
    }

    private const int PublishBatch = 256;

    /// <summary>Waits for a batch of offers; an offer the broker did not take goes back to what it was.</summary>
    private void Settle(Rollout r, List<(string serial, string state, long attempts, Task<bool> sent)> published)
    {
        Task.WhenAll(published.Select(p => p.sent)).GetAwaiter().GetResult();
        foreach (var (serial, state, attempts, sent) in published)
        {
            if (sent.Result)
            {
                _counters.Add(Counters.OffersPublished);
                continue;
            }

            using var undo = _db.Connect();
            undo.Execute("UPDATE actions SET state = @state, attempts = @attempts WHERE rollout_id = @id AND serial = @serial AND state = 'offered' AND attempts = @next",
                new { id = r.Id, serial, state, attempts, next = attempts + 1 });
        }

        published.Clear();
    }

    /// <summary>
    /// A paused rollout takes back the offers locks have not started (offered → pending); a cancelled or completed
    /// one takes back every offer (→ cancelled). Locks already downloading a paused rollout's release go on.
    /// </summary>
    public void Sweep(long rolloutId)
    {
        if (_channel == null) return;
        string state;
        using (var c = _db.Connect()) state = c.QuerySingle<string>("SELECT state FROM rollouts WHERE id = @rolloutId", new { rolloutId });
        long now = Now;
        var withdraw = _db.InTransaction((c, tx) =>
        {
            if (state == RolloutStates.Paused)
            {
                var serials = c.Query<string>("SELECT serial FROM actions WHERE rollout_id = @rolloutId AND state = 'offered'", new { rolloutId }, tx).ToList();
                c.Execute("UPDATE actions SET state = 'pending', updated_at = @now WHERE rollout_id = @rolloutId AND state = 'offered'", new { rolloutId, now }, tx);
                return serials;
            }

            if (state is RolloutStates.Cancelled or RolloutStates.Completed)
            {
                var serials = c.Query<string>("SELECT serial FROM actions WHERE rollout_id = @rolloutId AND state IN ('offered', 'downloading')", new { rolloutId }, tx).ToList();
                c.Execute("UPDATE actions SET state = 'cancelled', updated_at = @now WHERE rollout_id = @rolloutId AND state NOT IN ('confirmed', 'failed', 'cancelled', 'testing')", new { rolloutId, now }, tx);
                return serials;
            }

            return new List<string>();
        });
        foreach (string serial in withdraw) _assignments.Forget(serial);
        var sent = Task.WhenAll(withdraw.Select(_channel.WithdrawAsync)).GetAwaiter().GetResult();
        _counters.Add(Counters.OffersWithdrawn, sent.Count(ok => ok));
    }

    /// <summary>
    /// The release a lock may fetch chunks of now (its offered or downloading action), or null. Every chunk
    /// request asks, so an answer is kept for 2 s: a rollout cancelled on another replica is served
    /// for at most that long after (the lock's retained offer is gone, and the chunks are signed bytes anyway).
    /// </summary>
    public (long rolloutId, string releaseId, string state)? Assignment(string serial)
    {
        if (_assignments.TryGet(serial, out var kept)) return kept;
        using var c = _db.Connect();
        var row = c.QueryFirstOrDefault<(long, string, string)?>(@"SELECT a.rollout_id, o.release_id, a.state FROM actions a JOIN rollouts o ON o.id = a.rollout_id
            WHERE a.serial = @serial AND a.state IN ('offered', 'downloading') AND o.state IN ('running', 'paused') ORDER BY a.rollout_id DESC", new { serial });
        if (row != null) _assignments.Keep(serial, row.Value);
        return row;
    }

    /// <summary>A lock's open action with what its status handling needs of the rollout and release.</summary>
    private sealed class OpenAction
    {
        public long RolloutId { get; set; }
        public string Serial { get; set; } = "";
        public string State { get; set; } = "";
        public long Attempts { get; set; }
        public long MaxAttempts { get; set; }
        public string ReleaseVersion { get; set; } = "";
    }

    private readonly KeptAnswers<(long rolloutId, string releaseId, string state)> _assignments = new(TimeSpan.FromSeconds(2));

    /// <summary>The kept assignment, or null when there is none or it is older than 2 s.</summary>
    public (long rolloutId, string releaseId, string state)? AssignmentFromMemory(string serial) =>
        _assignments.TryGet(serial, out var kept) ? kept : null;

    /// <summary>
    /// A lock whose last attempt failed asks for chunks: it found the retained offer before the server cleared it
    /// (it reconnected within moments of its revert). While the rollout runs and the cap allows, that is its
    /// next attempt, counted like an offer; otherwise null (refused).
    /// </summary>
    public (long rolloutId, string releaseId, string state)? ClaimRetry(string serial)
    {
        long now = Now;
        using var c = _db.Connect();
        var row = c.QueryFirstOrDefault<(long, string, long)?>(@"SELECT a.rollout_id, o.release_id, a.attempts FROM actions a JOIN rollouts o ON o.id = a.rollout_id
            WHERE a.serial = @serial AND a.state = 'retry' AND o.state = 'running' AND a.attempts < o.max_attempts ORDER BY a.rollout_id DESC", new { serial });
        if (row == null) return null;
        var (rolloutId, releaseId, attempts) = row.Value;
        int claimed = c.Execute("UPDATE actions SET state = 'downloading', attempts = attempts + 1, updated_at = @now WHERE rollout_id = @rolloutId AND serial = @serial AND state = 'retry' AND attempts = @attempts",
            new { rolloutId, serial, attempts, now });
        if (claimed == 0) return null;
        _counters.Add(Counters.RetainedOfferReused);
        _assignments.Keep(serial, (rolloutId, releaseId, ActionStates.Downloading));
        return (rolloutId, releaseId, ActionStates.Downloading);
    }

    public void Started(long rolloutId, string serial)
    {
        long now = Now;
        using var c = _db.Connect();
        c.Execute("UPDATE actions SET state = 'downloading', updated_at = @now WHERE rollout_id = @rolloutId AND serial = @serial AND state = 'offered'", new { rolloutId, serial, now });
        if (_assignments.TryGet(serial, out var kept) && kept.rolloutId == rolloutId) _assignments.Keep(serial, (rolloutId, kept.releaseId, ActionStates.Downloading));
    }

    /// <summary>
    /// An OTA status from a lock: moves its in-flight action (docs/ota-server.md, device action). True when the
    /// lock's retained offer is to be cleared now (the caller publishes that, off the database's path).
    /// </summary>
    public bool HandleStatus(string serial, StatusMessage status) => HandleStatus(serial, status, 0);

    private bool HandleStatus(string serial, StatusMessage status, int retry)
    {
        OpenAction? action;
        using (var c = _db.Connect())
        {
            action = c.QueryFirstOrDefault<OpenAction>(@"SELECT a.rollout_id, a.serial, a.state, a.attempts, o.max_attempts, r.version AS release_version
                FROM actions a JOIN rollouts o ON o.id = a.rollout_id JOIN releases r ON r.id = o.release_id
                WHERE a.serial = @serial AND a.state IN ('offered', 'downloading', 'testing') AND o.state IN ('running', 'paused', 'cancelled', 'completed') ORDER BY a.rollout_id DESC", new { serial });
        }

        if (action == null)
        {
            _counters.Add(Counters.StatusUnassigned);
            return false;
        }

        string? to = null;
        bool failure = false, withdraw = false;
        switch (status.State)
        {
            case "downloading":
            case "verifying":
                if (action.State is ActionStates.Offered or ActionStates.Downloading) to = ActionStates.Downloading;
                break;
            case "testing":
                to = ActionStates.Testing;
                withdraw = true;
                break;
            case "confirmed":
                to = ActionStates.Confirmed;
                withdraw = true;
                break;
            case "failed":
            case "reverted":
                failure = true;
                break;
            case "idle":
                // A refusal of the offer: low battery waits for the next offer; busy is ignored; the rest is a failed attempt.
                if (status.Error == SmartKey.Firmware.Ota.OtaError.BatteryLow)
                {
                    to = ActionStates.Pending;
                    withdraw = true;
                }
                else if (status.Error != 0 && status.Error != SmartKey.Firmware.Ota.OtaError.Busy)
                {
                    failure = true;
                }

                break;
        }

        if (failure)
        {
            // An image that failed for what its bytes are is remembered and refused by the lock from then on
            // (docs/ota.md "Failed images are remembered"): offering it again cannot help, so it ends at once.
            bool final = ImageFailures.AreFinal(status.Error) || (status.State == "reverted" && status.Error == SmartKey.Firmware.Ota.OtaError.SelfTestFailed);
            to = final || action.Attempts >= action.MaxAttempts ? ActionStates.Failed : ActionStates.Retry;
            withdraw = true;
        }

        if (to == null) return false;
        long now = Now;
        int Move(DbConnection c, DbTransaction? tx) => c.Execute(@"UPDATE actions SET state = @to, failures = failures + @f, last_status = @State, last_error = @Error, progress = @Offset, updated_at = @now
                WHERE rollout_id = @RolloutId AND serial = @Serial AND state = @from",
            new { to, f = failure ? 1 : 0, status.State, status.Error, status.Offset, now, action.RolloutId, action.Serial, from = action.State }, tx);
        int changed;
        if (to == ActionStates.Confirmed)
        {
            changed = _db.InTransaction((c, tx) =>
            {
                int n = Move(c, tx);
                if (n == 1) c.Execute("UPDATE devices SET firmware = @ReleaseVersion WHERE serial = @serial", new { action.ReleaseVersion, serial }, tx);
                return n;
            });
        }
        else
        {
            // One statement: no transaction to open and commit around it (the most frequent write of a rollout).
            using var c = _db.Connect();
            changed = Move(c, null);
        }

        // Replicas split a lock's statuses: another one may have moved the action since it was read (e.g. its
        // "testing" landed while this "confirmed" was on its way). Read it again rather than lose this status.
        if (changed == 0 && retry < 3) return HandleStatus(serial, status, retry + 1);
        if (changed == 1 && to != ActionStates.Downloading) _assignments.Forget(serial);
        return changed == 1 && withdraw;
    }
}
