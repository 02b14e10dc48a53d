using Npgsql;
using SmartKey.OtaServer.Storage;
using Xunit;

namespace SmartKey.OtaServer.Tests.Storage;

/// <summary>How the --db setting becomes a PostgreSQL connection string.</summary>
public sealed class DatabaseSettingTests
{
    [Fact]
    public void AUrlNamesHostPortUserPasswordAndDatabase()
    {
        var b = new NpgsqlConnectionStringBuilder(Database.PostgresConnectionString("postgres://ota:s%40cret@db.example:6543/fleet"));
        Assert.Equal(("db.example", 6543, "ota", "s@cret", "fleet"), (b.Host, b.Port, b.Username, b.Password, b.Database));
    }

    [Fact]
    public void APooledConnectionIsNotResetAndFrequentStatementsArePreparedUnlessTheSettingSaysOtherwise()
    {
        var defaults = new NpgsqlConnectionStringBuilder(Database.PostgresConnectionString("Host=127.0.0.1;Database=ota"));
        Assert.True(defaults.NoResetOnClose);
        Assert.Equal(64, defaults.MaxAutoPrepare);

        // Behind a pooler that cannot keep prepared statements, or where session state must be reset, the operator says so.
        var chosen = new NpgsqlConnectionStringBuilder(Database.PostgresConnectionString("Host=127.0.0.1;Database=ota;No Reset On Close=false;Max Auto Prepare=0"));
        Assert.False(chosen.NoResetOnClose);
        Assert.Equal(0, chosen.MaxAutoPrepare);
    }
}
