using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using Dapper;

namespace SmartKey.OtaServer.Storage;

/// <summary>
/// Who changed what, when: every rollout state change, release upload, admission and erasure. Never a
/// serial number (a lock's erasure must leave no row that names it): device-level facts live in the
/// actions table, which erasure deletes.
/// </summary>
public sealed class AuditLog
{
    public sealed record Entry(long Id, long At, string Actor, string Subject, string Action, string Detail);

    private readonly Database _db;

    public AuditLog(Database db) => _db = db;

    public static void Write(DbConnection c, DbTransaction? tx, long atMs, string actor, string subject, string action, string detail) =>
        c.Execute("INSERT INTO audit (at, actor, subject, action, detail) VALUES (@atMs, @actor, @subject, @action, @detail)", new { atMs, actor, subject, action, detail }, tx);

    public IReadOnlyList<Entry> ForSubject(string subject)
    {
        using var c = _db.Connect();
        return c.Query<Entry>("SELECT id AS Id, at AS At, actor AS Actor, subject AS Subject, action AS Action, detail AS Detail FROM audit WHERE subject = @subject ORDER BY id", new { subject }).ToList();
    }

    public IReadOnlyList<Entry> All()
    {
        using var c = _db.Connect();
        return c.Query<Entry>("SELECT id AS Id, at AS At, actor AS Actor, subject AS Subject, action AS Action, detail AS Detail FROM audit ORDER BY id").ToList();
    }
}
