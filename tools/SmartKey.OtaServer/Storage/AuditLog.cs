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
    /// <summary>Role: the role the operator acted in (null for the server's own jobs and rows from before accounts existed).</summary>
    public sealed record Entry(long Id, long At, string Actor, string Subject, string Action, string Detail, string? Role);

    private static readonly System.Threading.AsyncLocal<string?> ActingRole = new();

    /// <summary>The role the authenticated operator of this call acts in (set by the API for the call's duration; null for the server's own jobs).</summary>
    public static string? Role
    {
        get => ActingRole.Value;
        set => ActingRole.Value = value;
    }

    private readonly Database _db;

    public AuditLog(Database db) => _db = db;

    public static void Write(DbConnection c, DbTransaction? tx, long atMs, string actor, string subject, string action, string detail) =>
        c.Execute("INSERT INTO audit (at, actor, subject, action, detail, role) VALUES (@atMs, @actor, @subject, @action, @detail, @role)", new { atMs, actor, subject, action, detail, role = Role }, tx);

    public IReadOnlyList<Entry> ForSubject(string subject)
    {
        using var c = _db.Connect();
        return c.Query<Entry>("SELECT id AS Id, at AS At, actor AS Actor, subject AS Subject, action AS Action, detail AS Detail, role AS Role FROM audit WHERE subject = @subject ORDER BY id", new { subject }).ToList();
    }

    public IReadOnlyList<Entry> All()
    {
        using var c = _db.Connect();
        return c.Query<Entry>("SELECT id AS Id, at AS At, actor AS Actor, subject AS Subject, action AS Action, detail AS Detail, role AS Role FROM audit ORDER BY id").ToList();
    }
}
