using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using MQTTnet;
using MQTTnet.Formatter;
using SmartKey.Hal.Simulated.Mqtt;
using SmartKey.Ota;
using SmartKey.Technician.Pki;
using Xunit;

namespace SmartKey.Tests.Telemetry;

/// <summary>One broker with the production configuration and its PKI for the access tests of a class.</summary>
public sealed class BrokerFixture : IDisposable
{
    public BrokerFixture()
    {
        Pki = new BrokerPki();
        Broker = new Mosquitto(Pki);
        Backend = Pki.OtaServer();
    }

    public BrokerPki Pki { get; }

    public Mosquitto Broker { get; }

    public IssuedCertificate Backend { get; }

    public void Dispose()
    {
        Broker.Dispose();
        Pki.Dispose();
    }
}

/// <summary>
/// What the broker enforces (deploy/mosquitto/smartkey.conf, smartkey.acl), against a real mosquitto: a lock
/// publishes and reads only its own topics, only known certificates get in, the OTA server can do its job.
/// A denied MQTT 3.1.1 publish is dropped silently, so denial is shown by a privileged subscriber that does
/// not receive it within a bounded wait while a control message sent after it arrives; MQTT 5 publishers also
/// get the broker's reason code.
/// </summary>
public sealed class BrokerAccessTests : IClassFixture<BrokerFixture>, IDisposable
{
    private const int SettleMs = 700;
    private readonly BrokerFixture _f;
    private readonly List<MqttConnection> _clients = new();

    public BrokerAccessTests(BrokerFixture fixture) => _f = fixture;

    public void Dispose()
    {
        foreach (var c in _clients) c.Dispose();
    }

    /// <summary>A client on the locks' listener, or on the backend's (backend: true).</summary>
    private MqttConnection Connect(IssuedCertificate? identity, string clientId, MqttProtocolVersion protocol, ConcurrentQueue<string>? received = null, bool backend = false)
    {
        var client = new MqttConnection(_f.Pki.Endpoint(backend ? _f.Broker.BackendPort : _f.Broker.Port, identity), clientId, protocol);
        _clients.Add(client);
        if (received != null) client.MessageReceived += (t, p, _, _) => received.Enqueue(t + " " + Encoding.UTF8.GetString(p));
        Assert.True(client.Connect(), clientId + ": " + client.LastConnectError + "\n" + _f.Broker.Log);
        return client;
    }

    /// <summary>The backend's view: every topic its identity may read.</summary>
    private MqttConnection Backend(ConcurrentQueue<string> received)
    {
        var backend = Connect(_f.Backend, "backend-" + Guid.NewGuid().ToString("N")[..6], MqttProtocolVersion.V500, received, backend: true);
        foreach (string leaf in new[] { "telemetry", "ota/status", "ota/chunk/request" }) Assert.True(backend.Subscribe("smartkey/v1/+/" + leaf, 1));
        return backend;
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public void ALockCannotPublishAsAnotherSerial(MqttProtocolVersion protocol)
    {
        string me = "SK-PUB-" + (int)protocol, victim = "SK-VICTIM-" + (int)protocol;
        var seen = new ConcurrentQueue<string>();
        Backend(seen);
        var mine = Connect(_f.Pki.Lock(me), me, protocol);
        string[] forged = { "telemetry", "ota/status", "ota/chunk/request" };
        var reasons = new List<MqttClientPublishReasonCode?>();
        foreach (string leaf in forged)
        {
            bool handed = mine.Publish($"smartkey/v1/{victim}/{leaf}", Encoding.UTF8.GetBytes("forged"), 1);
            reasons.Add(mine.LastPublishReason);
            Assert.Equal(protocol == MqttProtocolVersion.V311, handed);      // 3.1.1: PUBACKed and dropped; 5: refused
        }

        foreach (string leaf in forged) Assert.True(mine.Publish($"smartkey/v1/{me}/{leaf}", Encoding.UTF8.GetBytes("control"), 1));
        Assert.True(MqttClientTests.WaitFor(() => seen.Count >= 3));
        Thread.Sleep(SettleMs);
        Assert.Equal(3, seen.Count(m => m.EndsWith(" control") && m.Contains("/" + me + "/")));
        Assert.Equal(0, seen.Count(m => m.Contains(victim) || m.EndsWith(" forged")));
        if (protocol == MqttProtocolVersion.V500)
            Assert.Equal(new MqttClientPublishReasonCode?[] { MqttClientPublishReasonCode.NotAuthorized, MqttClientPublishReasonCode.NotAuthorized, MqttClientPublishReasonCode.NotAuthorized }, reasons);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public void ALockCannotPublishOtaOffersOrChunks(MqttProtocolVersion protocol)
    {
        string me = "SK-OFFER-" + (int)protocol, other = "SK-OTHER-" + (int)protocol;
        var mineGot = new ConcurrentQueue<string>();
        var otherGot = new ConcurrentQueue<string>();
        var mine = Connect(_f.Pki.Lock(me), me, protocol, mineGot);
        var target = Connect(_f.Pki.Lock(other), other, protocol, otherGot);
        foreach (var (client, serial) in new[] { (mine, me), (target, other) })
        {
            Assert.True(client.Subscribe($"smartkey/v1/{serial}/ota/offer", 1));
            Assert.True(client.Subscribe($"smartkey/v1/{serial}/ota/chunk", 1));
        }

        var reasons = new List<MqttClientPublishReasonCode?>();
        foreach (string serial in new[] { me, other })
        {
            foreach (string leaf in new[] { "ota/offer", "ota/chunk" })
            {
                mine.Publish($"smartkey/v1/{serial}/{leaf}", Encoding.UTF8.GetBytes("forged"), 1);
                reasons.Add(mine.LastPublishReason);
            }
        }

        using var server = new MqttOtaServer(_f.Pki.Endpoint(_f.Broker.BackendPort, _f.Backend));
        Assert.True(server.PublishRaw(other, "offer", Encoding.UTF8.GetBytes("control")));
        Assert.True(MqttClientTests.WaitFor(() => otherGot.Count >= 1));
        Thread.Sleep(SettleMs);
        Assert.Equal(new[] { $"smartkey/v1/{other}/ota/offer control" }, otherGot.ToArray());
        Assert.Empty(mineGot);
        if (protocol == MqttProtocolVersion.V500)
            Assert.Equal(4, reasons.Count(r => r == MqttClientPublishReasonCode.NotAuthorized));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public void ALockCannotSubscribeToEverythingOrAnotherLocksTopics(MqttProtocolVersion protocol)
    {
        string me = "SK-SUB-" + (int)protocol, other = "SK-NEIGHBOUR-" + (int)protocol;
        var got = new ConcurrentQueue<string>();
        var mine = Connect(_f.Pki.Lock(me), me, protocol, got);
        string[] refused =
        {
            "#", "smartkey/#", "smartkey/v1/#", "smartkey/v1/+/telemetry", "smartkey/v1/+/ota/offer", "smartkey/v1/+/ota/chunk",
            $"smartkey/v1/{other}/ota/offer", $"smartkey/v1/{other}/ota/chunk", $"smartkey/v1/{other}/telemetry", $"smartkey/v1/{other}/ota/status",
            $"smartkey/v1/{me}/telemetry", $"smartkey/v1/{me}/ota/status", $"smartkey/v1/{me}/#",
        };
        // mosquitto's acl_file answers every SUBSCRIBE with a granted QoS and enforces "read" per message at
        // delivery; so what counts is what arrives. The lock's own offer and chunk filters are among its rights.
        foreach (string filter in refused) mine.SubscribeForResult(filter, 1);
        Assert.True(mine.Subscribe($"smartkey/v1/{me}/ota/offer", 1));
        Assert.True(mine.Subscribe($"smartkey/v1/{me}/ota/chunk", 1));

        // Every topic one of those filters covers gets a message; only the lock's own offer may reach it.
        var neighbour = Connect(_f.Pki.Lock(other), other, protocol);
        int sent = 0;
        foreach (string leaf in new[] { "telemetry", "ota/status", "ota/chunk/request" })
        {
            Assert.True(neighbour.Publish($"smartkey/v1/{other}/{leaf}", Encoding.UTF8.GetBytes("theirs"), 1));
            Assert.True(mine.Publish($"smartkey/v1/{me}/{leaf}", Encoding.UTF8.GetBytes("own uplink"), 1));
            sent += 2;
        }

        using var server = new MqttOtaServer(_f.Pki.Endpoint(_f.Broker.BackendPort, _f.Backend));
        Assert.True(server.PublishRaw(other, "offer", Encoding.UTF8.GetBytes("theirs")));
        Assert.True(server.PublishRaw(other, "chunk", Encoding.UTF8.GetBytes("theirs")));
        Assert.True(server.PublishRaw(me, "offer", Encoding.UTF8.GetBytes("mine")));
        sent += 3;
        Assert.Equal(9, sent);
        Assert.True(MqttClientTests.WaitFor(() => got.Count >= 1));
        Thread.Sleep(SettleMs);
        // (MQTT 5 delivers one copy per matching subscription: the wildcard filters add copies of the own offer, nothing else.)
        Assert.Equal(new[] { $"smartkey/v1/{me}/ota/offer mine" }, got.Distinct().ToArray());
        Assert.Equal(protocol == MqttProtocolVersion.V311 ? 1 : 6, got.Count);
        Assert.Equal(13, refused.Length);
    }

    [Fact]
    public void ClientsWithoutAKnownValidCertificateAreRefused()
    {
        var now = DateTimeOffset.UtcNow;
        var cases = new (string name, BrokerEndpoint endpoint)[]
        {
            ("no certificate", _f.Pki.Endpoint(_f.Broker.Port, null)),
            ("expired certificate", _f.Pki.Endpoint(_f.Broker.Port, _f.Pki.Lock("SK-EXPIRED", notBefore: now.AddDays(-30), notAfter: now.AddDays(-1)))),
            ("not yet valid certificate", _f.Pki.Endpoint(_f.Broker.Port, _f.Pki.Lock("SK-EARLY", notBefore: now.AddDays(1), notAfter: now.AddDays(30)))),
            ("certificate of another CA", _f.Pki.Endpoint(_f.Broker.Port, _f.Pki.Lock("SK-STRANGER", by: _f.Pki.Stranger))),
            ("another CA's certificate named as the OTA server", _f.Pki.Endpoint(_f.Broker.Port, _f.Pki.Lock(MqttOtaServer.Identity, by: _f.Pki.Stranger))),
            ("plain MQTT without TLS", new BrokerEndpoint("127.0.0.1", _f.Broker.Port)),
            // Two trust domains: each listener takes only its own CA's certificates.
            ("an operator-CA certificate on the locks' listener", _f.Pki.Endpoint(_f.Broker.Port, _f.Pki.Lock("SK-OPERATOR", by: _f.Pki.Operator))),
            ("a manufacturing-CA certificate named as the OTA server on the backend's listener", _f.Pki.Endpoint(_f.Broker.BackendPort, _f.Pki.Lock(MqttOtaServer.Identity))),
        };
        var refused = new List<string>();
        foreach (var (name, endpoint) in cases)
        {
            foreach (var protocol in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
            {
                using var client = new MqttConnection(endpoint, "SK-REFUSED", protocol);
                if (!client.Connect()) refused.Add(name + " " + protocol);
                Assert.False(client.IsConnected, name);
            }
        }

        Assert.Equal(16, refused.Count);
        Connect(_f.Pki.Lock("SK-WELCOME"), "SK-WELCOME", MqttProtocolVersion.V311);      // the control: a lock of the line gets in
    }

    [Fact]
    public void TheOtaServerIdentityServesAnUpdateButCannotSpeakForALock()
    {
        const string serial = "SK-OTA-1";
        var lockGot = new ConcurrentQueue<(string topic, byte[] payload)>();
        var device = Connect(_f.Pki.Lock(serial), serial, MqttProtocolVersion.V311);
        device.MessageReceived += (t, p, _, _) => lockGot.Enqueue((t, p));
        Assert.True(device.Subscribe($"smartkey/v1/{serial}/ota/offer", 1));
        Assert.True(device.Subscribe($"smartkey/v1/{serial}/ota/chunk", 1));
        using var server = new MqttOtaServer(_f.Pki.Endpoint(_f.Broker.BackendPort, _f.Backend));
        var image = SmartKey.Tests.Ota.OtaLab.Image("1.2.0", counter: 3);
        Assert.True(server.Offer(serial, image));
        Assert.True(MqttClientTests.WaitFor(() => lockGot.Any(m => m.topic.EndsWith("/ota/offer"))));
        var request = new byte[6];
        BitConverter.GetBytes(16u).CopyTo(request, 0);
        BitConverter.GetBytes((ushort)64).CopyTo(request, 4);
        Assert.True(device.Publish($"smartkey/v1/{serial}/ota/chunk/request", request, 1));
        Assert.True(MqttClientTests.WaitFor(() => lockGot.Any(m => m.topic.EndsWith("/ota/chunk"))));
        var chunk = lockGot.Single(m => m.topic.EndsWith("/ota/chunk")).payload;
        Assert.Equal(image.Skip(16).Take(64).ToArray(), chunk.Skip(4).ToArray());
        Assert.True(device.Publish($"smartkey/v1/{serial}/ota/status", Encoding.UTF8.GetBytes("{\"state\":\"downloading\",\"error\":0,\"offset\":80,\"size\":1}"), 1));
        Assert.True(MqttClientTests.WaitFor(() => server.Statuses.Count == 1));
        Assert.Equal(1, server.ChunksServed);

        // The server's identity is no lock: its telemetry, statuses and chunk requests are refused, and a
        // subscription to '#' brings it what locks send, never another backend's offers or chunks.
        var forgerGot = new ConcurrentQueue<string>();
        var backend = Connect(_f.Pki.OtaServer("forger"), "backend-forger", MqttProtocolVersion.V500, forgerGot, backend: true);
        var refusedPublishes = new[] { "telemetry", "ota/status", "ota/chunk/request" }
            .Count(leaf => !backend.Publish($"smartkey/v1/{serial}/{leaf}", new byte[] { 1 }, 1) && backend.LastPublishReason == MqttClientPublishReasonCode.NotAuthorized);
        Assert.Equal(3, refusedPublishes);
        backend.SubscribeForResult("#", 1);
        Assert.True(server.PublishRaw(serial, "offer", Encoding.UTF8.GetBytes("offer")));
        Assert.True(server.PublishRaw(serial, "chunk", Encoding.UTF8.GetBytes("chunk")));
        Assert.True(device.Publish($"smartkey/v1/{serial}/telemetry", Encoding.UTF8.GetBytes("control"), 1));
        Assert.True(MqttClientTests.WaitFor(() => forgerGot.Count >= 1));
        Thread.Sleep(SettleMs);
        Assert.Equal(new[] { $"smartkey/v1/{serial}/telemetry control" }, forgerGot.ToArray());
    }

    [Fact]
    public void TheShippedConfigurationHasTwoTlsListenersEachWithItsOwnCaAndAcl()
    {
        string[] lines = System.IO.File.ReadAllLines(Mosquitto.ShippedConfig).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        Assert.Contains("per_listener_settings true", lines);
        Assert.Equal(new[] { "listener 8883 127.0.0.1", "listener 8884 127.0.0.1" }, lines.Where(l => l.StartsWith("listener ")));
        // Every listener's block: TLS, certificates required, no anonymous client, the client id is the certificate's name.
        var blocks = string.Join("\n", lines).Split("listener ").Skip(1).Select(b => b.Split('\n')).ToArray();
        Assert.Equal(2, blocks.Length);
        foreach (var block in blocks)
        {
            foreach (string required in new[] { "allow_anonymous false", "require_certificate true", "tls_version tlsv1.2", "use_username_as_clientid true" })
                Assert.Contains(required, block);
            foreach (string file in new[] { "certfile", "keyfile", "cafile", "crlfile", "acl_file" })
                Assert.Single(block, l => l.StartsWith(file + " " + Mosquitto.ShippedConfigFolder));
        }

        Assert.Contains("use_identity_as_username true", blocks[0]);
        Assert.Contains("cafile " + Mosquitto.ShippedConfigFolder + "locks-ca.pem", blocks[0]);
        Assert.Contains("acl_file " + Mosquitto.ShippedConfigFolder + "locks.acl", blocks[0]);
        Assert.Contains("use_subject_as_username true", blocks[1]);
        Assert.Contains("cafile " + Mosquitto.ShippedConfigFolder + "operator-ca.pem", blocks[1]);
        Assert.Contains("acl_file " + Mosquitto.ShippedConfigFolder + "backend.acl", blocks[1]);

        string[] Acl(string name) => System.IO.File.ReadAllLines(System.IO.Path.Combine(RepoPaths.Root, "deploy", "mosquitto", name)).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        var locks = Acl("locks.acl");
        Assert.Equal(5, locks.Length);
        Assert.All(locks, l => Assert.Matches("^pattern (read|write) smartkey/v1/%u/(telemetry|ota/chunk/request|ota/status|ota/offer|ota/chunk)$", l));
        var backend = Acl("backend.acl");
        Assert.Equal(5, backend.Length);
        Assert.All(backend, l => Assert.Matches("^pattern (read|write) smartkey/v1/\\+/(telemetry|ota/chunk/request|ota/status|ota/offer|ota/chunk)$", l));
        Assert.DoesNotContain(locks.Concat(backend), l => l.Contains('#') || l.StartsWith("user ") || l.StartsWith("topic ") || l.Contains("readwrite"));
    }
}
