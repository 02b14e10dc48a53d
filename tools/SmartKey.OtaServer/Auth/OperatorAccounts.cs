using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using SmartKey.OtaServer.Storage;

namespace SmartKey.OtaServer.Auth;

/// <summary>
/// The accounts an embedded server keeps itself (no identity provider): a name, its roles and one bearer token,
/// shown once when the account is added. Only the token's SHA-256 is stored; a token expires, and revoking the
/// account refuses it at once.
/// </summary>
public sealed class OperatorAccounts
{
    /// <summary>Every local token starts so, which tells it from a provider's JWT (and makes a leaked one easy to find).</summary>
    public const string TokenPrefix = "skop_";

    public sealed record Account(string Name, IReadOnlyList<string> Roles, long CreatedAt, long ExpiresAt, long? RevokedAt);

    private sealed record Row(string Name, string Roles, long CreatedAt, long ExpiresAt, long? RevokedAt);

    private readonly Database _db;
    private readonly TimeProvider _clock;

    public OperatorAccounts(Database db, TimeProvider clock)
    {
        _db = db;
        _clock = clock;
    }

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Adds the account (or gives a revoked or expired one a new token) and returns its token: the only time it is seen.</summary>
    public string Add(string name, IEnumerable<string> roles, int days, string actor)
    {
        Operators.Check(name);
        var list = Roles.ParseList(roles);
        if (days < 1 || days > 3650) throw new ArgumentException("an account's token lasts 1 to 3650 days");
        string token = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        long now = Now;
        _db.InTransaction((c, tx) =>
        {
            var existing = c.QuerySingleOrDefault<Row>("SELECT name AS Name, roles AS Roles, created_at AS CreatedAt, expires_at AS ExpiresAt, revoked_at AS RevokedAt FROM operator_accounts WHERE name = @name", new { name }, tx);
            if (existing != null && existing.RevokedAt == null && existing.ExpiresAt > now)
                throw OperationException.Conflict($"operator {name} exists: revoke it first to give it a new token");
            c.Execute("DELETE FROM operator_accounts WHERE name = @name", new { name }, tx);
            c.Execute("INSERT INTO operator_accounts (name, roles, token_sha256, created_at, expires_at, revoked_at) VALUES (@name, @roles, @hash, @now, @expires, NULL)",
                new { name, roles = string.Join(",", list), hash = Hash(token), now, expires = now + days * 86_400_000L }, tx);
            AuditLog.Write(c, tx, now, actor, "operator:" + name, "account added", $"roles {string.Join(", ", list)}, token valid {days} days");
        });
        return token;
    }

    public void Revoke(string name, string actor)
    {
        Operators.Check(name);
        long now = Now;
        _db.InTransaction((c, tx) =>
        {
            if (c.Execute("UPDATE operator_accounts SET revoked_at = @now WHERE name = @name AND revoked_at IS NULL", new { name, now }, tx) == 0)
                throw OperationException.NotFound("active operator " + name);
            AuditLog.Write(c, tx, now, actor, "operator:" + name, "account revoked", "its token is refused from now on");
        });
    }

    public IReadOnlyList<Account> List()
    {
        using var c = _db.Connect();
        return c.Query<Row>("SELECT name AS Name, roles AS Roles, created_at AS CreatedAt, expires_at AS ExpiresAt, revoked_at AS RevokedAt FROM operator_accounts ORDER BY name")
            .Select(ToAccount).ToList();
    }

    /// <summary>The account a token belongs to, if it is known, not expired and not revoked.</summary>
    public Account? Authenticate(string token)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 128) return null;
        using var c = _db.Connect();
        var row = c.QuerySingleOrDefault<Row>("SELECT name AS Name, roles AS Roles, created_at AS CreatedAt, expires_at AS ExpiresAt, revoked_at AS RevokedAt FROM operator_accounts WHERE token_sha256 = @hash",
            new { hash = Hash(token) });
        if (row == null || row.RevokedAt != null || row.ExpiresAt <= Now) return null;
        return ToAccount(row);
    }

    private static Account ToAccount(Row r) => new(r.Name, r.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries), r.CreatedAt, r.ExpiresAt, r.RevokedAt);

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant();
}
