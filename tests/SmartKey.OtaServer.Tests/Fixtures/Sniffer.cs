using System;
using System.Collections.Concurrent;
using System.Linq;
using SmartKey.Hal.Simulated.Mqtt;

namespace SmartKey.OtaServer.Tests.Fixtures;

/// <summary>A raw subscriber on the whole topic tree: what the server really published, per lock.</summary>
public sealed class Sniffer : IDisposable
{
    private readonly MqttClient _client;

    public Sniffer(Broker broker, string prefix = "smartkey/v1")
    {
        _client = new MqttClient(broker.Host, broker.Port, "sniffer-" + Guid.NewGuid().ToString("N")[..6]);
        _client.MessageReceived += (topic, payload, _, retain) => Messages.Enqueue((topic, payload, retain));
        if (!_client.Connect() || !_client.Subscribe(prefix + "/#", 1)) throw new InvalidOperationException("the sniffer could not subscribe");
    }

    public ConcurrentQueue<(string topic, byte[] payload, bool retain)> Messages { get; } = new();

    /// <summary>Offers published while the sniffer listened (not the retained copy it got on subscribing).</summary>
    public int OffersTo(string serial) => Messages.Count(m => m.topic.EndsWith("/" + serial + "/ota/offer", StringComparison.Ordinal) && m.payload.Length > 0 && !m.retain);

    public int WithdrawalsTo(string serial) => Messages.Count(m => m.topic.EndsWith("/" + serial + "/ota/offer", StringComparison.Ordinal) && m.payload.Length == 0 && !m.retain);

    public int ChunksTo(string serial) => Messages.Count(m => m.topic.EndsWith("/" + serial + "/ota/chunk", StringComparison.Ordinal));

    public int Offers => Messages.Count(m => m.topic.EndsWith("/ota/offer", StringComparison.Ordinal) && m.payload.Length > 0 && !m.retain);

    public bool Publish(string topic, byte[] payload, bool retain = false) => _client.Publish(topic, payload, 1, retain);

    public void Dispose() => _client.Dispose();
}
