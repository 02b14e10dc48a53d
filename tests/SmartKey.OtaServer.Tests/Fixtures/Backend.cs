using System.IO;

namespace SmartKey.OtaServer.Tests.Fixtures;

/// <summary>Where a test's server keeps its state: a SQLite file in the test's directory, or a fresh PostgreSQL database.</summary>
public abstract class Backend
{
    public abstract string Name { get; }

    public abstract string NewDatabase(string testDirectory);
}

public sealed class SqliteBackend : Backend
{
    public override string Name => "sqlite";

    public override string NewDatabase(string testDirectory) => Path.Combine(testDirectory, "db", "ota.db");
}

public sealed class PostgresBackend : Backend
{
    private readonly PostgresServer _server;

    public PostgresBackend(PostgresServer server) => _server = server;

    public override string Name => "postgres";

    public override string NewDatabase(string testDirectory) => _server.NewDatabase();
}
