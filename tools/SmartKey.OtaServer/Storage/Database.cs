using System;
using System.Collections.Generic;
using System.Data.Common;
using System.IO;
using System.Linq;
using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SmartKey.OtaServer.Storage;

/// <summary>
/// The one data layer over SQLite (the default: one file, created on first start) and PostgreSQL (when the
/// setting is a connection string). Every caller opens a short-lived connection per unit of work; the
/// schema comes from the numbered migrations embedded from Storage/Migrations, applied once each, in order.
/// </summary>
public sealed class Database
{
    private readonly string _connectionString;

    static Database() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    private Database(bool postgres, string connectionString)
    {
        IsPostgres = postgres;
        _connectionString = connectionString;
    }

    public bool IsPostgres { get; }

    /// <summary>"Host=…" (or "postgres://…") is PostgreSQL; anything else is the path of the SQLite file.</summary>
    public static Database Open(string setting)
    {
        if (string.IsNullOrWhiteSpace(setting)) throw new ArgumentException("no database: give a SQLite file path or a PostgreSQL connection string");
        bool postgres = setting.Contains("Host=", StringComparison.OrdinalIgnoreCase) || setting.StartsWith("postgres", StringComparison.OrdinalIgnoreCase);
        if (postgres) return new Database(true, PostgresConnectionString(setting));
        string path = Path.GetFullPath(setting);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 };
        var db = new Database(false, builder.ToString());
        using (var c = db.Connect()) c.Execute("PRAGMA journal_mode=WAL;");
        return db;
    }

    /// <summary>
    /// A connection string, or a postgres://user:password@host:port/database URL, with two defaults for a server that
    /// keeps no session state: no DISCARD ALL each time a pooled connection is taken (it was the database's most
    /// frequent statement), and the frequent statements prepared once per connection. Either can be set in the setting.
    /// </summary>
    public static string PostgresConnectionString(string setting)
    {
        var b = new NpgsqlConnectionStringBuilder();
        if (setting.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(setting, UriKind.Absolute, out var url))
        {
            b.Host = url.Host;
            if (url.Port > 0) b.Port = url.Port;
            string[] user = Uri.UnescapeDataString(url.UserInfo).Split(':', 2);
            if (user[0].Length > 0) b.Username = user[0];
            if (user.Length > 1) b.Password = user[1];
            if (url.AbsolutePath.Length > 1) b.Database = Uri.UnescapeDataString(url.AbsolutePath[1..]);
        }
        else
        {
            b.ConnectionString = setting;
        }

        string keys = setting.Replace(" ", "");
        if (!keys.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase)) b.NoResetOnClose = true;
        if (!keys.Contains("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)) b.MaxAutoPrepare = 64;
        return b.ConnectionString;
    }

    public DbConnection Connect()
    {
        DbConnection c = IsPostgres ? new NpgsqlConnection(_connectionString) : new SqliteConnection(_connectionString);
        c.Open();
        if (!IsPostgres)
        {
            using var pragma = c.CreateCommand();
            // secure_delete: a deleted or rewritten row's bytes are overwritten with zeros, in its page and in freed pages,
            // so that an erased lock's serial does not live on in the file's free space (Scrub empties the WAL).
            pragma.CommandText = "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; PRAGMA secure_delete=ON;";
            pragma.ExecuteNonQuery();
        }

        return c;
    }

    /// <summary>
    /// After an erasure, removes what the engine still holds of the deleted rows outside the live tables. SQLite: the
    /// rows were zeroed in place (secure_delete); the WAL, which holds earlier copies of those pages, is checkpointed
    /// into the file and truncated to zero bytes (retried while other connections are writing; false if it never
    /// got its turn). PostgreSQL: VACUUM of the tables, so that the dead row versions are removed and their space is
    /// reused (docs/ota-server.md, "Erasure", says what remains).
    /// </summary>
    public bool Scrub(IEnumerable<string> tables, TimeSpan patience)
    {
        using var c = Connect();
        if (IsPostgres)
        {
            c.Execute("VACUUM " + string.Join(", ", tables));
            return true;
        }

        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            // (busy, WAL frames, frames checkpointed): busy = 0 once every frame is in the file and the WAL is truncated.
            var (busy, _, _) = c.QuerySingle<(long, long, long)>("PRAGMA wal_checkpoint(TRUNCATE)");
            if (busy == 0) return true;
            if (DateTime.UtcNow > deadline) return false;
            System.Threading.Thread.Sleep(50);
        }
    }

    /// <summary>Runs work in one transaction (committed when it returns, rolled back when it throws).</summary>
    public T InTransaction<T>(Func<DbConnection, DbTransaction, T> work)
    {
        using var c = Connect();
        using var tx = c.BeginTransaction();
        T result = work(c, tx);
        tx.Commit();
        return result;
    }

    public void InTransaction(Action<DbConnection, DbTransaction> work) => InTransaction<int>((c, tx) => { work(c, tx); return 0; });

    /// <summary>The migrations in the assembly, by number: 001_initial.sql → 1.</summary>
    public static IReadOnlyList<(int version, string name, string sql)> Migrations()
    {
        var asm = typeof(Database).Assembly;
        return asm.GetManifestResourceNames().Where(n => n.StartsWith("migrations/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                string file = n["migrations/".Length..];
                int version = int.Parse(file[..file.IndexOf('_')]);
                using var reader = new StreamReader(asm.GetManifestResourceStream(n)!);
                return (version, file, reader.ReadToEnd());
            })
            .OrderBy(m => m.version).ToList();
    }

    /// <summary>Applies every migration not applied yet; returns how many ran. Safe to call from several processes.</summary>
    public int Migrate(long nowMs)
    {
        return InTransaction((c, tx) =>
        {
            // Replicas starting together on PostgreSQL: one migrates, the others wait and then find it done.
            if (IsPostgres) c.Execute("SELECT pg_advisory_xact_lock(7316001)", transaction: tx);
            c.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)", transaction: tx);
            var applied = c.Query<long>("SELECT version FROM schema_migrations", transaction: tx).ToHashSet();
            int ran = 0;
            foreach (var (version, name, sql) in Migrations())
            {
                if (applied.Contains(version)) continue;
                string text = sql.Replace("{{ID}}", IsPostgres ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
                foreach (string statement in Statements(text)) c.Execute(statement, transaction: tx);
                c.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @nowMs)", new { version, name, nowMs }, tx);
                ran++;
            }

            return ran;
        });
    }

    private static IEnumerable<string> Statements(string sql)
    {
        var lines = sql.Split('\n').Select(l => { int dash = l.IndexOf("--", StringComparison.Ordinal); return dash >= 0 ? l[..dash] : l; });
        return string.Join('\n', lines).Split(';').Select(s => s.Trim()).Where(s => s.Length > 0);
    }
}
