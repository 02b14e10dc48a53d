using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using Dapper;
using SmartKey.OtaServer.Releases;
using SmartKey.OtaServer.Storage;

namespace SmartKey.OtaServer.Rollouts;

/// <summary>
/// The operator's rollout operations: create, approve (by another operator), start, pause, resume, cancel,
/// status. Each state change is one guarded UPDATE (state = expected) and one audit row in one transaction,
/// so two operators (or two replicas) cannot both win a transition. Offers are the driver's business: a
/// pause or cancel here withdraws nothing itself but marks the actions, and the driver clears the topics.
/// </summary>
public sealed class RolloutService
{
    private readonly Database _db;
    private readonly ReleaseService _releases;
    private readonly TimeProvider _clock;
    private readonly IReadOnlyList<string> _defaultCanary;

    public RolloutService(Database db, ReleaseService releases, TimeProvider clock, IReadOnlyList<string> defaultCanary)
    {
        _db = db;
        _releases = releases;
        _clock = clock;
        _defaultCanary = defaultCanary;
    }

    /// <summary>Called after a pause or cancel so that offers are withdrawn at once (the driver's Sweep).</summary>
    public event Action<long>? Stopped;

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    public Rollout Create(RolloutRequest r, string actor)
    {
        Operators.Check(actor);
        var release = _releases.Get(r.ReleaseId) ?? throw OperationException.NotFound("release " + r.ReleaseId);
        var filter = new TargetFilter(r.HardwareId, r.MinVersion, r.MaxVersion, r.Serials);
        filter.Validate();
        if (r.HardwareId != null && r.HardwareId != release.HardwareId) throw new ArgumentException($"the release is built for {release.HardwareId}, not {r.HardwareId}");
        var plan = GroupPlan.Default(r.Canary ?? _defaultCanary.ToList(), r.Percents);
        int success = Range(r.SuccessPercent ?? 90, 1, 100, "success percent");
        int errorCount = Range(r.ErrorCount ?? 0, 0, 1_000_000, "error count");
        int errorPercent = Range(r.ErrorPercent ?? 5, 0, 100, "error percent");
        int soak = Range(r.SoakDays ?? 1, 0, 365, "soak days");
        int maxGroupDays = Range(r.MaxGroupDays ?? 14, Math.Max(1, soak), 3650, "max group days");
        int attempts = Range(r.MaxAttempts ?? 3, 1, 100, "max attempts");
        long now = Now;
        var rollout = new Rollout
        {
            ReleaseId = release.Id, State = RolloutStates.Created, FilterHardwareId = r.HardwareId, FilterMinVersion = r.MinVersion, FilterMaxVersion = r.MaxVersion,
            FilterSerials = r.Serials == null ? null : TargetFilter.JoinSerials(r.Serials), Plan = plan.ToJson(), CurrentGroup = 0,
            SuccessPermille = success * 10, ErrorCount = errorCount, ErrorPermille = errorPercent * 10, SoakDays = soak, MaxGroupDays = maxGroupDays,
            MaxAttempts = attempts, CreatedBy = actor, CreatedAt = now, UpdatedAt = now,
        };
        return _db.InTransaction((c, tx) =>
        {
            rollout.Id = c.ExecuteScalar<long>(@"INSERT INTO rollouts (release_id, state, filter_hardware_id, filter_min_version, filter_max_version, filter_serials, plan,
                    current_group, group_started_at, success_permille, error_count, error_permille, soak_days, max_group_days, max_attempts, errors_acknowledged,
                    created_by, approved_by, created_at, updated_at, pause_reason)
                VALUES (@ReleaseId, @State, @FilterHardwareId, @FilterMinVersion, @FilterMaxVersion, @FilterSerials, @Plan, 0, NULL, @SuccessPermille, @ErrorCount,
                    @ErrorPermille, @SoakDays, @MaxGroupDays, @MaxAttempts, 0, @CreatedBy, NULL, @CreatedAt, @UpdatedAt, NULL) RETURNING id", rollout, tx);
            AuditLog.Write(c, tx, now, actor, Subject(rollout.Id), "created",
                $"release {release.Version} ({release.Id[..12]}), {plan.Groups.Count} groups, success {success} %, errors {errorCount} / {errorPercent} %, soak {soak} d, {attempts} attempts");
            return rollout;
        });
    }

    public Rollout Approve(long id, string actor)
    {
        Operators.Check(actor);
        var r = Get(id);
        if (r.State != RolloutStates.Created) throw OperationException.Conflict($"rollout {id} is {r.State}: only a created rollout is approved");
        if (string.Equals(r.CreatedBy, actor, StringComparison.OrdinalIgnoreCase)) throw OperationException.Forbidden($"{actor} created rollout {id}: another operator must approve it");
        return Transition(id, RolloutStates.Created, RolloutStates.Approved, actor, "approved", "approved_by = @actor");
    }

    public Rollout Start(long id, string actor)
    {
        Operators.Check(actor);
        var r = Get(id);
        if (r.State != RolloutStates.Approved) throw OperationException.Conflict($"rollout {id} is {r.State}: it starts only once approved by a second operator");
        return Transition(id, RolloutStates.Approved, RolloutStates.Running, actor, "started", "group_started_at = @now, current_group = 0");
    }

    public Rollout Pause(long id, string actor, string reason = "paused by an operator")
    {
        Operators.Check(actor);
        var r = Get(id);
        if (r.State != RolloutStates.Running) throw OperationException.Conflict($"rollout {id} is {r.State}: only a running rollout is paused");
        var paused = Transition(id, RolloutStates.Running, RolloutStates.Paused, actor, "paused", "pause_reason = @reason", reason);
        Stopped?.Invoke(id);
        return paused;
    }

    public Rollout Resume(long id, string actor)
    {
        Operators.Check(actor);
        var r = Get(id);
        if (r.State != RolloutStates.Paused) throw OperationException.Conflict($"rollout {id} is {r.State}: only a paused rollout is resumed");
        // The operator has seen the errors that paused it: only new ones count against the threshold.
        int errors;
        using (var c = _db.Connect()) errors = RolloutDriver.GroupErrors(c, null, id, r.CurrentGroup);
        return Transition(id, RolloutStates.Paused, RolloutStates.Running, actor, "resumed", "pause_reason = NULL, errors_acknowledged = @errors", null, errors);
    }

    public Rollout Cancel(long id, string actor)
    {
        Operators.Check(actor);
        var r = Get(id);
        if (r.State is RolloutStates.Completed or RolloutStates.Cancelled) throw OperationException.Conflict($"rollout {id} is {r.State} already");
        var cancelled = Transition(id, r.State, RolloutStates.Cancelled, actor, "cancelled", null);
        Stopped?.Invoke(id);
        return cancelled;
    }

    public Rollout Get(long id)
    {
        using var c = _db.Connect();
        return c.QuerySingleOrDefault<Rollout>("SELECT * FROM rollouts WHERE id = @id", new { id }) ?? throw OperationException.NotFound("rollout " + id);
    }

    public IReadOnlyList<Rollout> List()
    {
        using var c = _db.Connect();
        return c.Query<Rollout>("SELECT * FROM rollouts ORDER BY id").ToList();
    }

    public sealed record GroupStatus(int Index, string Name, int Members, IReadOnlyDictionary<string, int> States, int Errors);

    public sealed record Status(Rollout Rollout, Release Release, IReadOnlyList<GroupStatus> Groups, IReadOnlyList<AuditLog.Entry> History);

    public Status StatusOf(long id)
    {
        var r = Get(id);
        var release = _releases.Get(r.ReleaseId)!;
        using var c = _db.Connect();
        var rows = c.Query<(long group, string state, long failures)>("SELECT group_index, state, failures FROM actions WHERE rollout_id = @id", new { id }).ToList();
        var plan = r.Groups;
        var groups = plan.Groups.Select((g, i) =>
        {
            var mine = rows.Where(x => x.group == i).ToList();
            var states = mine.GroupBy(x => x.state).ToDictionary(x => x.Key, x => x.Count());
            return new GroupStatus(i, g.Name, mine.Count, states, mine.Count(x => x.failures > 0 && x.state != ActionStates.Confirmed));
        }).ToList();
        var history = c.Query<AuditLog.Entry>("SELECT id AS Id, at AS At, actor AS Actor, subject AS Subject, action AS Action, detail AS Detail, role AS Role FROM audit WHERE subject = @s ORDER BY id", new { s = Subject(id) }).ToList();
        return new Status(r, release, groups, history);
    }

    public static string Subject(long id) => "rollout:" + id;

    private Rollout Transition(long id, string from, string to, string actor, string what, string? extraSet, string? reason = null, int errors = 0) =>
        _db.InTransaction((c, tx) => TransitionAt(c, tx, id, from, to, actor, what, extraSet, reason, errors, Now));

    internal static Rollout TransitionAt(DbConnection c, DbTransaction tx, long id, string from, string to, string actor, string what, string? extraSet, string? reason, int errors, long now)
    {
        string set = "state = @to, updated_at = @now" + (extraSet == null ? "" : ", " + extraSet);
        int changed = c.Execute($"UPDATE rollouts SET {set} WHERE id = @id AND state = @from", new { id, from, to, now, actor, reason, errors }, tx);
        if (changed == 0) throw OperationException.Conflict($"rollout {id} changed meanwhile: it is no longer {from}");
        AuditLog.Write(c, tx, now, actor, Subject(id), what, reason ?? $"{from} → {to}");
        return c.QuerySingle<Rollout>("SELECT * FROM rollouts WHERE id = @id", new { id }, tx);
    }

    private static int Range(int value, int min, int max, string what)
    {
        if (value < min || value > max) throw new ArgumentException($"{what} is {min} to {max}, not {value}");
        return value;
    }
}
