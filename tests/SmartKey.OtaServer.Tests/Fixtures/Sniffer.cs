using System;
using System.Collections.Concurrent;
using System.Linq;
using SmartKey.Hal.Simulated.Mqtt;

namespace SmartKey.OtaServer.Tests.Fixtures;

/// <summary>A raw subscriber on the whole topic tree: what the server really published, per lock.</summary>
public sealed class Sniffer : IDisposable
{
    private readonly MqttConnection _client;
    private readonly string _fence = "smartkey-test/fence/" + Guid.NewGuid().ToString("N");

    public Sniffer(Broker broker, string prefix = "smartkey/v1")
    {
        _client = new MqttConnection(new BrokerEndpoint(broker.Host, broker.Port), "sniffer-" + Guid.NewGuid().ToString("N")[..6], MQTTnet.Formatter.MqttProtocolVersion.V311);
        _client.MessageReceived += (topic, payload, _, retain) => Messages.Enqueue((topic, payload, retain));
        if (!_client.Connect() || !_client.Subscribe(prefix + "/#", 1) || !_client.Subscribe(_fence, 1)) throw new InvalidOperationException("the sniffer could not subscribe");
    }

    /// <summary>
    /// Returns once everything the broker had taken for the sniffer before this call has arrived: the broker
    /// queues a message for its subscribers before it acknowledges it, and a fence the sniffer publishes now
    /// comes back behind them.
    /// </summary>
    public void Fence()
    {
        byte[] mark = Guid.NewGuid().ToByteArray();
        if (!_client.Publish(_fence, mark, 1, false)) throw new InvalidOperationException("the sniffer could not publish its fence");
        if (!System.Threading.SpinWait.SpinUntil(() => Messages.Any(m => m.topic == _fence && m.payload.SequenceEqual(mark)), 10_000))
            throw new TimeoutException("the sniffer's fence never came back");
    }

    public ConcurrentQueue<(string topic, byte[] payload, bool retain)> Messages { get; } = new();

    /// <summary>Offers published while the sniffer listened (not the retained copy it got on subscribing).</summary>
    public int OffersTo(string serial) => Messages.Count(m => m.topic.EndsWith("/" + serial + "/ota/offer", StringComparison.Ordinal) && m.payload.Length > 0 && !m.retain);

    public int WithdrawalsTo(string serial) => Messages.Count(m => m.topic.EndsWith("/" + serial + "/ota/offer", StringComparison.Ordinal) && m.payload.Length == 0 && !m.retain);

    public int ChunksTo(string serial) => Messages.Count(m => m.topic.EndsWith("/" + serial + "/ota/chunk", StringComparison.Ordinal));

    public int Offers => Messages.Count(m => m.topic.EndsWith("/ota/offer", StringComparison.Ordinal) && m.payload.Length > 0 && !m.retain);

    /// <summary>Messages seen on the topics the OTA server subscribes to (prefix/+/telemetry, ota/status, ota/chunk/request).</summary>
    public long ServerBound(string prefix) => Messages.Count(m => IsServerBound(prefix, m.topic));

    private static bool IsServerBound(string prefix, string topic)
    {
        if (!topic.StartsWith(prefix + "/", StringComparison.Ordinal)) return false;
        string rest = topic[(prefix.Length + 1)..];
        int slash = rest.IndexOf('/');
        if (slash <= 0) return false;
        string leaf = rest[(slash + 1)..];
        return leaf is "telemetry" or "ota/status" or "ota/chunk/request";
    }

    public bool Publish(string topic, byte[] payload, bool retain = false) => _client.Publish(topic, payload, 1, retain);

    public void Dispose() => _client.Dispose();
}
