using System;
using System.IO;
using SmartKey.OtaServer.Cluster;
using SmartKey.OtaServer.Storage;
using SmartKey.OtaServer.Tests.Fixtures;
using Xunit;

namespace SmartKey.OtaServer.Tests.Cluster;

/// <summary>One driver at a time over one database: held, renewed, taken over only after expiry, given up at shutdown.</summary>
public abstract class DriverLeaseTests
{
    private readonly Backend _backend;

    protected DriverLeaseTests(Backend backend) => _backend = backend;

    [Fact]
    public void Only_one_replica_holds_the_lease_and_another_takes_it_once_it_expires()
    {
        string dir = Path.Combine(Path.GetTempPath(), "smartkey-lease-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var db = Database.Open(_backend.NewDatabase(dir));
        db.Migrate(0);
        var wall = new ManualClock();
        var a = new DriverLease(db, "replica-a", TimeSpan.FromSeconds(5), wall);
        var b = new DriverLease(db, "replica-b", TimeSpan.FromSeconds(5), wall);

        Assert.True(a.TryHold());
        Assert.False(b.TryHold());
        Assert.Equal("replica-a", DriverLease.CurrentHolder(db, wall));
        wall.Advance(TimeSpan.FromSeconds(4));
        Assert.True(a.TryHold());                       // renewed: good for 5 s from now
        wall.Advance(TimeSpan.FromSeconds(4));
        Assert.False(b.TryHold());
        wall.Advance(TimeSpan.FromSeconds(2));           // a stopped renewing (it died)
        Assert.Null(DriverLease.CurrentHolder(db, wall));
        Assert.True(b.TryHold());
        Assert.False(a.TryHold());
        Assert.False(a.Held);
        Assert.Equal("replica-b", DriverLease.CurrentHolder(db, wall));

        b.Release();                                     // clean shutdown: the next replica need not wait
        Assert.True(a.TryHold());
        Assert.Equal((2, 1), (a.Acquisitions, b.Acquisitions));
        Assert.Throws<ArgumentException>(() => new DriverLease(db, "x", TimeSpan.Zero));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}

public sealed class SqliteDriverLeaseTests : DriverLeaseTests
{
    public SqliteDriverLeaseTests() : base(new SqliteBackend()) { }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresDriverLeaseTests : DriverLeaseTests
{
    public PostgresDriverLeaseTests(PostgresServer server) : base(new PostgresBackend(server)) { }
}
