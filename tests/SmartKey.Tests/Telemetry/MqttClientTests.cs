using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text;
using System.Threading;
using MQTTnet.Formatter;
using SmartKey.Hal.Simulated.Mqtt;
using Xunit;

namespace SmartKey.Tests.Telemetry;

/// <summary>The host's MQTT (MQTTnet behind MqttConnection) against a real mosquitto with the production configuration.</summary>
public sealed class MqttClientTests : IDisposable
{
    private readonly BrokerPki _pki = new();
    private readonly Mosquitto _broker;

    public MqttClientTests() => _broker = new Mosquitto(_pki);

    public void Dispose()
    {
        _broker.Dispose();
        _pki.Dispose();
    }

    internal static bool WaitFor(Func<bool> condition, int ms = 5000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(ms);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(10);
        }

        return true;
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public void PublishesAndReceivesAtQos0And1OverTlsWithClientCertificates(MqttProtocolVersion protocol)
    {
        using var lockClient = new MqttConnection(_pki.Endpoint(_broker.Port, _pki.Lock("SK-Q-1")), "SK-Q-1", protocol);
        using var backend = new MqttConnection(_pki.Endpoint(_broker.BackendPort, _pki.OtaServer()), "backend", protocol);
        var got = new ConcurrentQueue<(string, string, int)>();
        backend.MessageReceived += (t, p, q, _) => got.Enqueue((t, Encoding.UTF8.GetString(p), q));
        Assert.True(lockClient.Connect(), lockClient.LastConnectError);
        Assert.True(backend.Connect(), backend.LastConnectError);
        Assert.True(backend.Subscribe("smartkey/v1/+/telemetry", 1));
        Assert.True(lockClient.Publish("smartkey/v1/SK-Q-1/telemetry", Encoding.UTF8.GetBytes("q0"), 0));
        Assert.True(lockClient.Publish("smartkey/v1/SK-Q-1/telemetry", Encoding.UTF8.GetBytes("q1"), 1));      // returns after the broker's PUBACK
        Assert.True(WaitFor(() => got.Count == 2));
        Assert.Contains(("smartkey/v1/SK-Q-1/telemetry", "q1", 1), got);
        Assert.Contains(("smartkey/v1/SK-Q-1/telemetry", "q0", 0), got);
        if (protocol == MqttProtocolVersion.V500) Assert.Equal(MQTTnet.MqttClientPublishReasonCode.Success, lockClient.LastPublishReason);
        Thread.Sleep(200);
        Assert.Equal(2, got.Count);
    }

    [Fact]
    public void ReconnectsWithBackOffAfterTheBrokerComesBackAndRenewsItsSubscriptions()
    {
        using var backend = new MqttConnection(_pki.Endpoint(_broker.BackendPort, _pki.OtaServer()), "phoenix", keepAliveSeconds: 1) { AutoReconnect = true };
        var got = new ConcurrentQueue<string>();
        backend.MessageReceived += (t, _, _, _) => got.Enqueue(t);
        Assert.True(backend.Connect(), backend.LastConnectError);
        Assert.True(backend.Subscribe("smartkey/v1/+/ota/status", 1));
        _broker.Stop();
        Assert.True(WaitFor(() => !backend.IsConnected, 6000));
        Assert.False(backend.Publish("smartkey/v1/SK-R-1/ota/offer", new byte[] { 1 }, 1));
        _broker.Start();
        Assert.True(WaitFor(() => backend.IsConnected, 20000), backend.LastConnectError);
        Assert.Equal(1, backend.Reconnects);

        using var lockClient = new MqttConnection(_pki.Endpoint(_broker.Port, _pki.Lock("SK-R-1")), "SK-R-1", MqttProtocolVersion.V311);
        Assert.True(lockClient.Connect(), lockClient.LastConnectError);
        Assert.True(lockClient.Publish("smartkey/v1/SK-R-1/ota/status", new byte[] { 2 }, 1));
        Assert.True(WaitFor(() => got.Count == 1), "the renewed subscription delivers");
        Assert.Equal("smartkey/v1/SK-R-1/ota/status", got.Single());
    }
}
