using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using SmartKey.OtaServer.Storage;
using SmartKey.OtaServer.Tests.Fixtures;
using Xunit;
using Xunit.Abstractions;

namespace SmartKey.OtaServer.Tests;

/// <summary>
/// Issue 21's attacks by a holder of one lock's certificate (or of a certificate from the wrong CA), each against
/// mosquitto on the shipped configuration and a running server with its own identity. Each test is named after
/// the attack and prints its figures.
/// </summary>
public abstract class HostileLockTests
{
    private readonly Backend _backend;
    private readonly ITestOutputHelper _output;

    protected HostileLockTests(Backend backend, ITestOutputHelper output)
    {
        _backend = backend;
        _output = output;
    }

    private static bool Until(Func<bool> condition, TimeSpan bound) => SpinWait.SpinUntil(condition, bound);

    /// <summary>25 QoS 1 messages with invalid UTF-8 inside a JSON string: GetString() threw, nothing was acknowledged, and after 20 the broker delivered no more.</summary>
    [Fact]
    public void Poison_messages_from_one_lock_never_stall_the_intake_of_another()
    {
        // Limits lifted so that every poison message reaches the parsers (the per-lock limits are tested below).
        using var lab = new TlsServerLab(_backend, o => { o.TelemetryBurst = 1000; o.StatusBurst = 1000; });
        lab.Admit("SK-POISON", "SK-GOOD");
        var poison = lab.Lock("SK-POISON");
        var good = lab.Lock("SK-GOOD");

        void SendPoison()
        {
            for (int i = 0; i < 25; i++)
            {
                // Invalid UTF-8 (0xFF, a lone continuation byte) inside a JSON string: the reader lets it through, GetString() throws.
                var bytes = i % 2 == 0
                    ? Encoding.UTF8.GetBytes("{\"serial\":\"SK-POISON\",\"firmware\":\"1.0.0\",\"battery\":{\"percent\":50,\"millivolts\":5000,\"state\":\"ok#\"},\"errors\":{}}")
                    : Encoding.UTF8.GetBytes("{\"state\":\"idle#\",\"error\":0,\"offset\":" + i + ",\"size\":0}");
                bytes[Array.IndexOf(bytes, (byte)'#')] = (byte)(i % 4 == 1 ? 0xFF : 0x80);
                Assert.True(poison.Publish("smartkey/v1/SK-POISON/" + (i % 2 == 0 ? "telemetry" : "ota/status"), bytes, 1));
            }
        }

        TimeSpan Recovery(int from)
        {
            var watch = Stopwatch.StartNew();
            bool stored = Until(() => lab.StoredRows("SK-GOOD") == from + 10, TimeSpan.FromSeconds(5));
            Assert.True(stored, $"{lab.StoredRows("SK-GOOD") - from} of another lock's 10 reports stored 5 s after its poison neighbour");
            return watch.Elapsed;
        }

        SendPoison();
        for (int i = 0; i < 10; i++) Assert.True(good.Publish("smartkey/v1/SK-GOOD/telemetry", TlsServerLab.Report("SK-GOOD", i), 1));
        var live = Recovery(0);

        // The same with the server down: the poison waits in the server's session at the broker, ahead of the good reports.
        lab.Stop();
        SendPoison();
        for (int i = 10; i < 20; i++) Assert.True(good.Publish("smartkey/v1/SK-GOOD/telemetry", TlsServerLab.Report("SK-GOOD", i), 1));
        lab.Start();
        var restarted = Recovery(10);

        var counters = lab.Host.Core.Counters;
        long malformed = counters.Get(Counters.TelemetryMalformed) + counters.Get(Counters.StatusMalformed);
        _output.WriteLine($"{_backend.Name}: 10 good reports stored {live.TotalMilliseconds:0} ms after 25 poison messages; after a restart with 25 more queued, {restarted.TotalMilliseconds:0} ms; {malformed} refused as malformed");
        Assert.Equal(50, malformed);
        Assert.Equal(0, lab.StoredRows("SK-POISON"));
        Assert.Equal(0, counters.Get(Counters.IntakeParked) + counters.Get(Counters.IntakeDeferred));
    }

    /// <summary>
    /// A message the server cannot handle (here: its tables renamed away under it) is retried, then parked and
    /// acknowledged; with nowhere to park it, it is left to the broker, which delivers it again after the link's
    /// reconnect, and it is stored once the database is back. Nothing is dropped silently, nothing stalls.
    /// </summary>
    [Fact]
    public void A_message_the_server_cannot_handle_is_parked_or_delivered_again_never_dropped()
    {
        using var lab = new TlsServerLab(_backend);
        lab.Admit("SK-AWAY");
        var device = lab.Lock("SK-AWAY");
        var counters = lab.Host.Core.Counters;
        void Sql(string sql)
        {
            using var c = lab.Host.Core.Database.Connect();
            Dapper.SqlMapper.Execute(c, sql);
        }

        Sql("ALTER TABLE telemetry RENAME TO telemetry_away");
        Assert.True(device.Publish("smartkey/v1/SK-AWAY/telemetry", TlsServerLab.Report("SK-AWAY", 1), 1));
        Assert.True(Until(() => counters.Get(Counters.IntakeParked) == 1, TimeSpan.FromSeconds(60)), "the failing report was not parked");
        Assert.Equal(3, counters.Get(Counters.IntakeRetried));
        using (var c = lab.Host.Core.Database.Connect())
        {
            var parked = Dapper.SqlMapper.QuerySingle<(string serial, string topic, string payload_hex)>(c, "SELECT serial, topic, payload_hex FROM parked_messages");
            Assert.Equal(("SK-AWAY", "smartkey/v1/SK-AWAY/telemetry", Convert.ToHexString(TlsServerLab.Report("SK-AWAY", 1))), parked);
        }

        // Nowhere to park either: left unacknowledged, and delivered again after a reconnect once the tables are back.
        Sql("ALTER TABLE parked_messages RENAME TO parked_away");
        long disconnects = lab.Host.Link.Disconnects;
        Assert.True(device.Publish("smartkey/v1/SK-AWAY/telemetry", TlsServerLab.Report("SK-AWAY", 2), 1));
        Assert.True(Until(() => counters.Get(Counters.IntakeDeferred) >= 1, TimeSpan.FromSeconds(60)), "the report was not deferred");
        Sql("ALTER TABLE telemetry_away RENAME TO telemetry");
        Sql("ALTER TABLE parked_away RENAME TO parked_messages");
        var watch = Stopwatch.StartNew();
        Assert.True(Until(() => lab.StoredRows("SK-AWAY") == 1, TimeSpan.FromSeconds(60)), "the deferred report never arrived again");
        _output.WriteLine($"{_backend.Name}: parked after {counters.Get(Counters.IntakeRetried)} retries; deferred {counters.Get(Counters.IntakeDeferred)} time(s), stored {watch.Elapsed.TotalSeconds:0.0} s after the database came back, {lab.Host.Link.Disconnects - disconnects} reconnect(s)");
        Assert.True(lab.Host.Link.Disconnects > disconnects, "no reconnect made the broker deliver it again");
        Assert.Equal(1, counters.Get(Counters.IntakeParked));
        Assert.True(lab.Host.Link.IsConnected);
    }

    /// <summary>Connecting under one's own certificate with another client's id disconnected the holder of that id.</summary>
    [Fact]
    public void A_certificate_cannot_take_over_another_clients_session_by_its_client_id()
    {
        using var lab = new TlsServerLab(_backend);
        lab.Admit("SK-VICTIM", "SK-ATTACKER");
        var victim = lab.Lock("SK-VICTIM");
        int victimLost = 0;
        victim.ConnectionLost += () => Interlocked.Increment(ref victimLost);
        long serverLost = lab.Host.Link.Disconnects;
        foreach (string stolen in new[] { "SK-VICTIM", "smartkey-ota-server", "CN=smartkey-ota-server" })
        {
            var attacker = lab.Client("SK-ATTACKER", stolen);
            Assert.True(attacker.Connect(), attacker.LastConnectError);       // it gets in, as itself: its client id is its certificate's CN
            Thread.Sleep(500);
            attacker.Dispose();
        }

        Assert.True(victim.IsConnected);
        Assert.True(lab.Host.Link.IsConnected);
        // Both still work: the victim's report reaches the server over its session.
        Assert.True(victim.Publish("smartkey/v1/SK-VICTIM/telemetry", TlsServerLab.Report("SK-VICTIM", 1), 1));
        Assert.True(Until(() => lab.StoredRows("SK-VICTIM") == 1, TimeSpan.FromSeconds(15)), "the victim's report never arrived");
        _output.WriteLine($"{_backend.Name}: 3 takeover attempts; victim disconnects {victimLost}, server disconnects {lab.Host.Link.Disconnects - serverLost}");
        Assert.Equal(0, victimLost);
        Assert.Equal(serverLost, lab.Host.Link.Disconnects);
    }

    /// <summary>A manufacturing-CA certificate with CN smartkey-ota-server read every lock's uplink and published offers and chunks.</summary>
    [Fact]
    public void A_manufacturing_certificate_named_as_the_server_cannot_act_as_the_server()
    {
        using var lab = new TlsServerLab(_backend);
        lab.Admit("SK-TARGET");
        var target = lab.Lock("SK-TARGET");
        var targetGot = new System.Collections.Concurrent.ConcurrentQueue<string>();
        target.MessageReceived += (t, _, _, _) => targetGot.Enqueue(t);
        Assert.True(target.Subscribe("smartkey/v1/SK-TARGET/ota/offer", 1));
        Assert.True(target.Subscribe("smartkey/v1/SK-TARGET/ota/chunk", 1));
        long serverLost = lab.Host.Link.Disconnects;

        var onBackend = lab.Client("smartkey-ota-server", "smartkey-ota-server", backendListener: true);
        Assert.False(onBackend.Connect(), "the backend's listener took a manufacturing-CA certificate");

        var impostor = lab.Client("smartkey-ota-server", "smartkey-ota-server");
        var impostorGot = new System.Collections.Concurrent.ConcurrentQueue<string>();
        impostor.MessageReceived += (t, _, _, _) => impostorGot.Enqueue(t);
        Assert.True(impostor.Connect(), impostor.LastConnectError);
        foreach (string filter in new[] { "#", "smartkey/v1/+/telemetry", "smartkey/v1/+/ota/status", "smartkey/v1/+/ota/chunk/request" }) impostor.SubscribeForResult(filter, 1);
        impostor.Publish("smartkey/v1/SK-TARGET/ota/offer", Encoding.ASCII.GetBytes("forged offer"), 1, retain: true);
        impostor.Publish("smartkey/v1/SK-TARGET/ota/chunk", new byte[] { 0, 0, 0, 0, 1 }, 1);

        // The control: the target's report reaches the server (and would reach anyone allowed to read it).
        Assert.True(target.Publish("smartkey/v1/SK-TARGET/telemetry", TlsServerLab.Report("SK-TARGET", 1), 1));
        Assert.True(target.Publish("smartkey/v1/SK-TARGET/ota/status", Encoding.UTF8.GetBytes("{\"state\":\"idle\",\"error\":0,\"offset\":0,\"size\":0}"), 1));
        Assert.True(Until(() => lab.StoredRows("SK-TARGET") == 1, TimeSpan.FromSeconds(15)), "the target's report never arrived");
        Assert.True(lab.Host.Link.OfferAsync("SK-TARGET", Encoding.ASCII.GetBytes("real offer")).GetAwaiter().GetResult());
        Assert.True(Until(() => targetGot.Count >= 1, TimeSpan.FromSeconds(15)), "the server's own offer never arrived");
        Thread.Sleep(700);
        _output.WriteLine($"{_backend.Name}: impostor received {impostorGot.Count} messages; the target received {targetGot.Count} (the server's offer); server disconnects {lab.Host.Link.Disconnects - serverLost}");
        Assert.Empty(impostorGot);
        Assert.Single(targetGot);
        Assert.Equal(serverLost, lab.Host.Link.Disconnects);
        Assert.True(lab.Host.Link.IsConnected);
    }

    /// <summary>An operator-CA certificate with a lock's serial as its CN published that lock's telemetry.</summary>
    [Fact]
    public void An_operator_certificate_named_as_a_lock_cannot_act_as_the_lock()
    {
        using var lab = new TlsServerLab(_backend);
        lab.Admit("SK-NAMED");
        var onLocks = lab.Client("SK-NAMED", "SK-NAMED", by: lab.Broker.Operator);
        Assert.False(onLocks.Connect(), "the locks' listener took an operator-CA certificate");

        var impostor = lab.Client("SK-NAMED", "SK-NAMED", by: lab.Broker.Operator, backendListener: true);
        Assert.True(impostor.Connect(), impostor.LastConnectError);
        Assert.True(impostor.Publish("smartkey/v1/SK-NAMED/telemetry", TlsServerLab.Report("SK-NAMED", 1, "0.9.0"), 1));
        Assert.True(impostor.Publish("smartkey/v1/SK-NAMED/ota/status", Encoding.UTF8.GetBytes("{\"state\":\"failed\",\"error\":15,\"offset\":0,\"size\":0}"), 1));
        long handled = lab.Host.Link.Handled;

        var real = lab.Lock("SK-NAMED");
        Assert.True(real.Publish("smartkey/v1/SK-NAMED/telemetry", TlsServerLab.Report("SK-NAMED", 2, "1.0.0"), 1));
        Assert.True(Until(() => lab.StoredRows("SK-NAMED") == 1, TimeSpan.FromSeconds(15)), "the lock's own report never arrived");
        Thread.Sleep(700);
        _output.WriteLine($"{_backend.Name}: the server took in {lab.Host.Link.Handled - handled} message(s) after the impostor's two (the real lock's report)");
        Assert.Equal(handled + 1, lab.Host.Link.Handled);
        Assert.Equal(1, lab.StoredRows("SK-NAMED"));
        Assert.Equal("1.0.0", lab.Host.Core.Devices.Get("SK-NAMED")!.Firmware);
    }

    /// <summary>One lock sent 20,000 distinct valid reports in 60 s: all were stored (and kept 90 days).</summary>
    [Fact]
    public void A_lock_flooding_20000_reports_stores_at_most_its_daily_cap_and_others_still_get_through()
    {
        using var lab = new TlsServerLab(_backend);
        lab.Admit("SK-FLOOD", "SK-NEIGHBOUR");
        var flood = lab.Lock("SK-FLOOD");
        var neighbour = lab.Lock("SK-NEIGHBOUR");
        const int Sent = 20_000;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < Sent; i++)
        {
            Assert.True(flood.Publish("smartkey/v1/SK-FLOOD/telemetry", TlsServerLab.Report("SK-FLOOD", i), 1));
            if (i % 2000 == 1000) Assert.True(neighbour.Publish("smartkey/v1/SK-NEIGHBOUR/telemetry", TlsServerLab.Report("SK-NEIGHBOUR", i), 1));
        }

        var sending = watch.Elapsed;
        var counters = lab.Host.Core.Counters;
        long Accounted() => lab.StoredRows("SK-FLOOD") + counters.Get(Counters.TelemetryRateLimited) + counters.Get(Counters.TelemetryOverDailyCap);
        Assert.True(Until(() => Accounted() == Sent, TimeSpan.FromSeconds(120)), $"{Accounted()} of {Sent} reports accounted for");
        Assert.True(Until(() => lab.StoredRows("SK-NEIGHBOUR") == 10, TimeSpan.FromSeconds(15)), $"{lab.StoredRows("SK-NEIGHBOUR")} of the neighbour's 10 reports stored");
        long stored = lab.StoredRows("SK-FLOOD");
        _output.WriteLine($"{_backend.Name}: {Sent} reports sent in {sending.TotalSeconds:0.0} s; stored {stored} (cap {lab.Options.TelemetryRowsPerDay}), rate-limited {counters.Get(Counters.TelemetryRateLimited)}, over the cap {counters.Get(Counters.TelemetryOverDailyCap)}; the neighbour's 10 of 10 stored");
        Assert.InRange(stored, 1, lab.Options.TelemetryRowsPerDay);
        Assert.Equal(Sent - stored, counters.Get(Counters.TelemetryRateLimited) + counters.Get(Counters.TelemetryOverDailyCap));
    }

    /// <summary>The same flood with the rate limit lifted: the daily cap alone bounds the rows, to the row.</summary>
    [Fact]
    public void With_its_rate_limit_lifted_a_flooding_lock_stores_exactly_its_daily_cap()
    {
        using var lab = new TlsServerLab(_backend, o => { o.TelemetryPerMinute = 1_000_000; o.TelemetryBurst = 1_000_000; o.TelemetryRowsPerDay = 50; });
        lab.Admit("SK-FLOOD", "SK-NEIGHBOUR");
        var flood = lab.Lock("SK-FLOOD");
        const int Sent = 300;
        for (int i = 0; i < Sent; i++) Assert.True(flood.Publish("smartkey/v1/SK-FLOOD/telemetry", TlsServerLab.Report("SK-FLOOD", i), 1));
        var counters = lab.Host.Core.Counters;
        Assert.True(Until(() => lab.StoredRows("SK-FLOOD") + counters.Get(Counters.TelemetryOverDailyCap) == Sent, TimeSpan.FromSeconds(60)));
        Assert.Equal(50, lab.StoredRows("SK-FLOOD"));
        Assert.Equal(Sent - 50, counters.Get(Counters.TelemetryOverDailyCap));
        Assert.Equal(0, counters.Get(Counters.TelemetryRateLimited));
        var neighbour = lab.Lock("SK-NEIGHBOUR");
        Assert.True(neighbour.Publish("smartkey/v1/SK-NEIGHBOUR/telemetry", TlsServerLab.Report("SK-NEIGHBOUR", 1), 1));
        Assert.True(Until(() => lab.StoredRows("SK-NEIGHBOUR") == 1, TimeSpan.FromSeconds(15)));
    }
}

public sealed class SqliteHostileLockTests(ITestOutputHelper output) : HostileLockTests(new SqliteBackend(), output);

[Collection(PostgresCollection.Name)]
public sealed class PostgresHostileLockTests(PostgresServer server, ITestOutputHelper output) : HostileLockTests(new PostgresBackend(server), output);
