using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using SmartKey.Hal.Simulated.Mqtt;
using SmartKey.OtaServer.Devices;
using SmartKey.OtaServer.Hosting;
using SmartKey.OtaServer.Tests.Fixtures;
using Xunit;

namespace SmartKey.OtaServer.Tests;

/// <summary>
/// The server on the broker as production runs it (deploy/mosquitto: TLS, client certificates, ACLs): it
/// connects as its own identity, takes in a lock's telemetry and reaches the lock with an offer; without its
/// certificate it is refused.
/// </summary>
public sealed class ProductionBrokerTests : IDisposable
{
    private readonly ProductionBroker _broker = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("smartkey-ota-server-prod-").FullName;

    private ServerOptions Options(bool withIdentity)
    {
        var options = new ServerOptions
        {
            Database = Path.Combine(_dir, "ota.db"),
            DataDirectory = Path.Combine(_dir, "data"),
            TrustKeys = new List<string> { TestKeys.VendorPoint },
            MqttHost = "127.0.0.1",
            MqttPort = _broker.BackendPort,
            Urls = "http://127.0.0.1:0",
            DriverIntervalSeconds = 0,
        };
        if (withIdentity)
        {
            using var identity = _broker.Operator.IssueClient("smartkey-ota-server", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            (options.MqttCertificateFile, options.MqttKeyFile) = _broker.WriteIdentity(identity, "ota-server");
            options.MqttCaFile = _broker.WriteOperatorCa();
        }

        return options;
    }

    [Fact]
    public void TheServerDoesItsJobAsItsOwnIdentityWithTheAclsInForce()
    {
        var host = OtaServerHost.StartAsync(Options(withIdentity: true)).GetAwaiter().GetResult();
        try
        {
            host.Core.Devices.Admit(ManufacturingRecord.Parse(TestKeys.Record("SK-T1"), "test"), "alice");
            using var identity = _broker.Manufacturing.IssueClient("SK-T1", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            using var lockLink = new MqttConnection(_broker.LockEndpoint(identity), "SK-T1", MQTTnet.Formatter.MqttProtocolVersion.V311);
            var offers = new ConcurrentQueue<byte[]>();
            lockLink.MessageReceived += (topic, payload, _, _) => { if (topic == "smartkey/v1/SK-T1/ota/offer") offers.Enqueue(payload); };
            Assert.True(lockLink.Connect(), "the lock's certificate is refused");
            Assert.True(lockLink.Subscribe("smartkey/v1/SK-T1/ota/offer", 1));

            string telemetry = "{\"serial\":\"SK-T1\",\"firmware\":\"1.0.0\",\"battery\":{\"percent\":80,\"millivolts\":5900,\"state\":\"ok\"},\"errors\":{}}";
            Assert.True(lockLink.Publish("smartkey/v1/SK-T1/telemetry", Encoding.UTF8.GetBytes(telemetry), 1, false));
            Assert.True(SpinWait.SpinUntil(() => host.Core.Devices.Get("SK-T1")?.Firmware == "1.0.0", 15000), "the server never took in the lock's telemetry");
            Assert.Equal("ok", host.Core.Devices.Get("SK-T1")!.BatteryState);

            byte[] offer = Encoding.ASCII.GetBytes("offer-bytes");
            Assert.True(host.Link.OfferAsync("SK-T1", offer).GetAwaiter().GetResult(), "the broker refused the server's offer");
            Assert.True(SpinWait.SpinUntil(() => offers.Any(o => o.SequenceEqual(offer)), 15000), "the lock never got the server's offer");
            Assert.Single(offers, o => o.SequenceEqual(offer));
        }
        finally
        {
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    [Fact]
    public void WithoutItsCertificateTheServerIsRefusedAndSaysSo()
    {
        var e = Assert.ThrowsAny<Exception>(() => OtaServerHost.StartAsync(Options(withIdentity: false)).GetAwaiter().GetResult());
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void OnlyPartOfTheTlsIdentityIsAUsageError()
    {
        var options = Options(withIdentity: true);
        options.MqttKeyFile = null;
        var e = Assert.Throws<ArgumentException>(() => OtaServerHost.StartAsync(options).GetAwaiter().GetResult());
        Assert.Contains("--mqtt-key", e.Message);
    }

    public void Dispose()
    {
        _broker.Dispose();
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}
