using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SmartKey.Firmware.Ota;
using SmartKey.Hal.Simulated.Mqtt;
using SmartKey.OtaServer.Devices;
using SmartKey.OtaServer.Hosting;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Storage;
using SmartKey.OtaServer.Tests.Fixtures;
using SmartKey.Simulator.Fleet;
using SmartKey.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace SmartKey.OtaServer.Tests.Fleet;

/// <summary>
/// The fleet simulator on the production broker (deploy/mosquitto as shipped: TLS only, client certificates,
/// ACL user = certificate CN): every virtual lock gets its own certificate from the manufacturing CA and a
/// replica of the server (its own operator-CA identity, shared subscriptions) takes the fleet through a staged
/// rollout. Every status a lock sends on its own topics passes the ACL only because its certificate names it.
/// Then a lock of the same line that connects with another lock's client id cannot speak for that lock.
/// </summary>
public sealed class FleetOverTlsTests(ITestOutputHelper output) : IDisposable
{
    private const int Locks = 20;
    private readonly ProductionBroker _broker = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("smartkey-fleet-tls-").FullName;

    [Fact]
    public async Task A_fleet_with_a_certificate_per_lock_completes_a_rollout_through_the_shipped_acl()
    {
        var watch = Stopwatch.StartNew();
        using var serverIdentity = _broker.Operator.IssueClient("smartkey-ota-server", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var options = new ServerOptions
        {
            Database = Path.Combine(_dir, "ota.db"), DataDirectory = Path.Combine(_dir, "data"), TrustKeys = new List<string> { TestKeys.VendorPoint },
            MqttHost = "127.0.0.1", MqttPort = _broker.BackendPort, MqttClientId = "replica-0", SharedSubscriptionGroup = "ota",
            Urls = "http://127.0.0.1:0", DriverIntervalSeconds = 1, DriverLeaseSeconds = 3,
            TelemetryPerMinute = Cluster.FailoverTests.CompressedTelemetryPerMinute,         // days of 2 s: the limit scaled alike
        };
        (options.MqttCertificateFile, options.MqttKeyFile) = _broker.WriteIdentity(serverIdentity, "ota-server");
        options.MqttCaFile = _broker.WriteOperatorCa();
        // The simulator reads what an operator gives it: the broker's CA file and the factory CA's folder.
        string factory = Path.Combine(_dir, "factory-ca");
        _broker.Manufacturing.Save(factory);
        using var identities = FleetIdentities.Load(options.MqttCaFile, factory);

        var host = await OtaServerHost.StartAsync(options);
        try
        {
            var fleet = new SmartKey.Simulator.Fleet.Fleet(new FleetOptions
            {
                Count = Locks, SerialPrefix = "SK-TLS-", BrokerHost = "127.0.0.1", BrokerPort = _broker.Port, Identities = identities,
                TrustKeys = new[] { SmartKey.Ota.ImageSigner.PublicPoint(TestKeys.Vendor) }, Day = TimeSpan.FromSeconds(2), Days = 100_000,
                ChunkTimeout = TimeSpan.FromSeconds(1), Seed = 3, Faults = new FaultRates { PowerCut = 1.0 / Locks, BrokerDrop = 1.0 / Locks },
            });
            host.Core.Devices.Admit(ManufacturingRecord.Parse("[" + string.Join(",", fleet.Locks.Select(l => TestKeys.Record(l.Serial))) + "]", "test"), ServerLab.Creator);
            var added = host.Core.Releases.Add(TestKeys.Image("1.1.0", counter: 2, size: 2 * UpdateAgent.MaxChunk + 300), ServerLab.Creator);
            Assert.NotNull(added.Release);

            // Waits are bounded by progress, not by the clock (ProgressBound): the fleet runs until the test stops it.
            using var stop = new CancellationTokenSource();
            var run = fleet.RunAsync(stop.Token);
            long Reported() => host.Core.Devices.List().Count(d => d.BatteryState == "ok");
            Assert.True(await ProgressBound.UntilAsync(() => Reported() == Locks, Reported), "not every lock reported over TLS");
            long Progress() => fleet.Stats.ChunksReceived + fleet.Stats.StatusesSent + fleet.Stats.OffersReceived;
            var rollout = host.Core.Rollouts.Create(new RolloutRequest
            {
                ReleaseId = added.Release!.Id, Canary = fleet.Locks.Take(2).Select(l => l.Serial).ToList(), Percents = new List<int> { 50, 100 },
                SuccessPercent = 100, ErrorCount = 0, ErrorPercent = 0, SoakDays = 0, MaxGroupDays = 30, MaxAttempts = 3,
            }, ServerLab.Creator);
            host.Core.Rollouts.Approve(rollout.Id, ServerLab.Approver);
            host.Core.Rollouts.Start(rollout.Id, ServerLab.Approver);

            await ProgressBound.UntilAsync(() => host.Core.Rollouts.Get(rollout.Id)!.State == RolloutStates.Completed, Progress);
            await ProgressBound.UntilAsync(() => fleet.Locks.All(l => l.LastState == OtaState.Confirmed && l.QueuedStatuses == 0), Progress);
            stop.Cancel();
            await run;
            var summary = new StringWriter();
            FleetSummary.Write(fleet, summary);
            output.WriteLine($"{watch.Elapsed.TotalSeconds:0.0} s\n{summary}");

            Assert.Equal(RolloutStates.Completed, host.Core.Rollouts.Get(rollout.Id)!.State);
            foreach (var l in fleet.Locks)
            {
                Assert.Equal(("1.1.0", OtaState.Confirmed), (l.RunningVersion, l.LastState));
                Assert.Equal("1.1.0", host.Core.Devices.Get(l.Serial)!.Firmware);
                // Its own certificate, from the factory's CA, naming it: the ACL's %u.
                var certificate = identities.For(l.Serial);
                Assert.Equal("CN=" + l.Serial, certificate.Subject);
                Assert.Equal(_broker.Manufacturing.Certificate.Subject, certificate.Issuer);
            }

            Assert.Equal(Locks, identities.Issued);
            Assert.Equal(Locks, fleet.Locks.Select(l => identities.For(l.Serial).Thumbprint).Distinct().Count());
            Assert.Equal(0, fleet.Stats.ConnectFailures);
            Assert.Equal(1, fleet.Stats.PowerCuts);

            ImpostorCannotSpeakForAnotherLock(host, fleet.Locks[5].Serial);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>
    /// A lock of the same factory connects with its victim's serial as client id. The broker replaces the id with
    /// the certificate's CN (use_username_as_clientid), so it gets in as itself (HostileLockTests: the victim stays
    /// connected); and the ACL binds every topic to the CN, so its forged status and telemetry on the victim's topics
    /// never reach the server, while its own report does (the control). BrokerAccessTests cover each topic and protocol.
    /// </summary>
    private void ImpostorCannotSpeakForAnotherLock(OtaServerHost host, string victim)
    {
        const string impostor = "SK-TLS-IMPOSTOR";
        for (long last = -1; last != host.Link.Handled; Thread.Sleep(1000)) last = host.Link.Handled;     // the fleet's last messages are in
        var before = host.Core.Devices.Get(victim)!;
        long unknownBefore = host.Core.Counters.Get(Counters.TelemetryUnknownSerial);
        using var identity = _broker.Manufacturing.IssueClient(impostor, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var link = new MqttConnection(_broker.LockEndpoint(identity), victim, MQTTnet.Formatter.MqttProtocolVersion.V311);
        Assert.True(link.Connect(), "the broker refused the impostor's connection: " + link.LastConnectError);
        long handled = host.Link.Handled;
        Assert.True(link.Publish($"smartkey/v1/{victim}/ota/status", Encoding.UTF8.GetBytes("{\"state\":\"failed\",\"error\":15,\"offset\":0,\"size\":0}"), 1));
        Assert.True(link.Publish($"smartkey/v1/{victim}/telemetry", Encoding.UTF8.GetBytes(Telemetry(victim, "0.9.0")), 1));
        Assert.True(link.Publish($"smartkey/v1/{impostor}/telemetry", Encoding.UTF8.GetBytes(Telemetry(impostor, "1.0.0")), 1));
        Assert.True(SpinWait.SpinUntil(() => host.Core.Counters.Get(Counters.TelemetryUnknownSerial) > unknownBefore, 15_000), "the impostor's own report never arrived");
        Thread.Sleep(700);
        Assert.Equal(handled + 1, host.Link.Handled);
        var after = host.Core.Devices.Get(victim)!;
        Assert.Equal((before.Firmware, before.LastSeenAt), (after.Firmware, after.LastSeenAt));
    }

    private static string Telemetry(string serial, string firmware) =>
        "{\"serial\":\"" + serial + "\",\"firmware\":\"" + firmware + "\",\"battery\":{\"percent\":80,\"millivolts\":5900,\"state\":\"ok\"},\"errors\":{}}";

    public void Dispose()
    {
        _broker.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}
