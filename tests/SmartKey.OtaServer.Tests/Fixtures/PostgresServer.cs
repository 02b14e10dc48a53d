using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Npgsql;

namespace SmartKey.OtaServer.Tests.Fixtures;

/// <summary>
/// A throwaway PostgreSQL 15 (Debian's postgresql package; `.ci/run` installs it) in a temporary directory on
/// a free loopback port, shared by the PostgreSQL test classes; each test gets its own database. PostgreSQL
/// refuses to run as root, so under root it runs as the package's `postgres` user (runuser).
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private readonly string _dir;
    private readonly bool _asPostgresUser;
    private int _databases;

    public PostgresServer()
        : this(statementStatistics: false)
    {
    }

    /// <summary>One that loads pg_stat_statements (the capacity benchmark prints where the database's time goes).</summary>
    public static PostgresServer WithStatementStatistics() => new(statementStatistics: true);

    private PostgresServer(bool statementStatistics)
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDirectory}/initdb): apt-get install -y postgresql (.ci/run does it)");
        _asPostgresUser = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" || GetUid() == 0;
        Port = Broker.FreePort();
        _dir = Path.Combine(Path.GetTempPath(), "smartkey-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
        if (_asPostgresUser) Run("/bin/chown", $"postgres: {_dir}", asPostgres: false);
        string data = Path.Combine(_dir, "data");
        Run(Path.Combine(BinDirectory, "initdb"), $"-D {data} -U postgres --auth=trust -E UTF8 --no-sync", asPostgres: _asPostgresUser);
        Run(Path.Combine(BinDirectory, "pg_ctl"),
            $"start -w -t 60 -D {data} -l {Path.Combine(_dir, "log")} -o \"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200{(statementStatistics ? " -c shared_preload_libraries=pg_stat_statements" : "")}\"",
            asPostgres: _asPostgresUser);
    }

    public int Port { get; }

    /// <summary>The postmaster's process id (its children are the connections; the capacity benchmark reads their CPU time).</summary>
    public int PostmasterPid => int.Parse(File.ReadLines(Path.Combine(_dir, "data", "postmaster.pid")).First());

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=50";

    /// <summary>A fresh, empty database for one test.</summary>
    public string NewDatabase()
    {
        string name = "ota_test_" + Interlocked.Increment(ref _databases);
        using var c = new NpgsqlConnection(ConnectionString("postgres"));
        c.Open();
        using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
        cmd.ExecuteNonQuery();
        return ConnectionString(name);
    }

    private static int GetUid()
    {
        try
        {
            foreach (string line in File.ReadAllLines("/proc/self/status"))
                if (line.StartsWith("Uid:", StringComparison.Ordinal)) return int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        catch (IOException)
        {
        }

        return -1;
    }

    private static void Run(string file, string arguments, bool asPostgres)
    {
        var info = asPostgres
            ? new ProcessStartInfo("/usr/sbin/runuser", $"-u postgres -- {file} {arguments}")
            : new ProcessStartInfo(file, arguments);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.WorkingDirectory = Path.GetTempPath();
        using var p = Process.Start(info)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(120_000)) throw new InvalidOperationException($"{file} did not finish");
        if (p.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({p.ExitCode}): {stderr}{stdout}");
    }

    public void Dispose()
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            Run(Path.Combine(BinDirectory, "pg_ctl"), $"stop -D {Path.Combine(_dir, "data")} -m immediate", asPostgres: _asPostgresUser);
        }
        finally
        {
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
