using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using Dapper;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Tests.Fixtures;
using Xunit;

namespace SmartKey.OtaServer.Tests.Storage;

/// <summary>
/// Erase means gone (issue 26, item 4): after `device erase` the lock's serial is in no byte the database engine keeps.
/// The lock is given a history first (many telemetry reports and registry updates, a rollout naming it in its canary and
/// target list, an offered action), so that its serial is spread over table, index and freed pages and the WAL.
/// </summary>
public abstract class ErasureTests
{
    protected const string Erased = "SK-ERASE-0042";
    protected const string Kept = "SK-KEEP-0001";

    protected static ServerLab LabWithHistory(Backend backend)
    {
        var lab = new ServerLab(backend);
        lab.Admit(new[] { Erased, Kept });
        for (int i = 0; i < 40; i++)
        {
            foreach (string serial in new[] { Erased, Kept })
                lab.Publish(serial, "telemetry", Encoding.UTF8.GetBytes($"{{\"serial\":\"{serial}\",\"firmware\":\"1.0.0\",\"battery\":{{\"percent\":{90 - i},\"millivolts\":{5000 + i},\"state\":\"ok\"}}}}"));
            lab.Clock.Advance(TimeSpan.FromMinutes(11));       // past the duplicate window: every report is stored
        }

        lab.WaitQuiet();
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2));
        lab.StartRollout(new RolloutRequest { ReleaseId = release, Canary = new() { Erased }, Serials = new() { Erased, Kept }, Percents = new() { 100 } });
        lab.Tick();
        Assert.Equal(1, lab.Sniffer.OffersTo(Erased));
        return lab;
    }

    protected static void EraseThroughTheApi(ServerLab lab)
    {
        using var http = lab.Http("dpo");
        Assert.Equal(HttpStatusCode.NoContent, http.DeleteAsync("/api/devices/" + Erased).GetAwaiter().GetResult().StatusCode);
        Assert.NotNull(lab.Core.Devices.Get(Kept));
    }
}

public sealed class SqliteErasureTests : ErasureTests
{
    /// <summary>Every file SQLite keeps for the database: the file itself, its WAL and its shared-memory index.</summary>
    private static Dictionary<string, byte[]> Files(ServerLab lab)
    {
        string db = lab.Options.Database;
        return new[] { db, db + "-wal", db + "-shm", db + "-journal" }.Where(File.Exists).ToDictionary(f => Path.GetFileName(f)!, ReadShared);
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    private static int Count(byte[] haystack, string text)
    {
        byte[] needle = Encoding.UTF8.GetBytes(text);
        int n = 0;
        for (int i = haystack.AsSpan().IndexOf(needle); i >= 0; i = haystack.AsSpan(i + 1).IndexOf(needle) is var j && j >= 0 ? i + 1 + j : -1) n++;
        return n;
    }

    [Fact]
    public void AfterEraseTheSerialIsInNoByteOfTheDatabaseItsWalOrItsSharedMemory()
    {
        using var lab = LabWithHistory(new SqliteBackend());
        var before = Files(lab);
        Assert.True(before.Values.Sum(b => Count(b, Erased)) > 40, "the history should have spread the serial over the files: " +
            string.Join(", ", before.Select(f => $"{f.Key} {Count(f.Value, Erased)}")));

        EraseThroughTheApi(lab);

        var after = Files(lab);
        foreach (var (file, bytes) in after) Assert.True(Count(bytes, Erased) == 0, $"{file} still holds {Erased} {Count(bytes, Erased)} times");
        // (The WAL may have grown again since the checkpoint: counters are flushed every second. Not with the serial.)
        Assert.True(Count(after["ota.db"], Kept) > 0, "the other lock's data must stay");

        // The server goes on working on the same file, and a restart finds the erasure done.
        lab.Restart();
        Assert.Null(lab.Core.Devices.Get(Erased));
        Assert.Equal(40, lab.Core.Devices.Telemetry(Kept).Count);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresErasureTests : ErasureTests
{
    private readonly PostgresServer _server;

    public PostgresErasureTests(PostgresServer server) => _server = server;

    /// <summary>Row versions, live or dead, whose bytes hold the text, in every heap page of the table (pageinspect).</summary>
    private static long TupleVersionsHolding(System.Data.Common.DbConnection c, string table, string text) =>
        c.ExecuteScalar<long>($@"SELECT count(*) FROM generate_series(0, (pg_relation_size('{table}') / current_setting('block_size')::int)::int - 1) AS page,
            LATERAL heap_page_items(get_raw_page('{table}', page)) AS item
            WHERE item.t_data IS NOT NULL AND position(convert_to(@text, 'UTF8') IN item.t_data) > 0", new { text });

    [Fact]
    public void AfterEraseNoRowVersionLiveOrDeadHoldsTheSerial()
    {
        using var lab = LabWithHistory(new PostgresBackend(_server));
        using var c = lab.Core.Database.Connect();
        c.Execute("CREATE EXTENSION IF NOT EXISTS pageinspect");
        string[] tables = { "devices", "telemetry", "actions", "rollouts" };
        Assert.True(tables.Sum(t => TupleVersionsHolding(c, t, Erased)) > 40);

        // What a DELETE alone leaves: the dead versions stay in the pages until VACUUM (docs/ota-server.md says so).
        c.Execute("CREATE TABLE deleted_only AS SELECT * FROM telemetry");
        c.Execute("DELETE FROM deleted_only WHERE serial = @Erased", new { Erased });
        Assert.True(TupleVersionsHolding(c, "deleted_only", Erased) > 0);
        c.Execute("DROP TABLE deleted_only");

        EraseThroughTheApi(lab);

        foreach (string table in tables) Assert.True(TupleVersionsHolding(c, table, Erased) == 0, $"{table} still has a row version holding {Erased}");
        Assert.True(TupleVersionsHolding(c, "telemetry", Kept) > 0);
    }
}
