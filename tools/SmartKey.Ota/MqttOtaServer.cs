using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;
using SmartKey.Hal.Simulated.Mqtt;

namespace SmartKey.Ota;

/// <summary>
/// The OTA server's MQTT side for one broker: announces a signed image to a lock (ota/offer), answers its
/// chunk requests (ota/chunk/request → ota/chunk: offset u32 + bytes) and records the statuses it reports.
/// It connects as its own identity (a client certificate, CN smartkey-ota-server, whose broker ACL grants
/// exactly these topics; docs/telemetry.md) over MQTT 5 and reconnects by itself.
/// </summary>
public sealed class MqttOtaServer : IDisposable
{
    public const string Identity = "smartkey-ota-server";

    private readonly MqttConnection _client;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, byte[]> _images = new();

    public MqttOtaServer(BrokerEndpoint broker, string prefix = "smartkey/v1")
    {
        _prefix = prefix;
        _client = new MqttConnection(broker, Identity + "-" + Guid.NewGuid().ToString("N")[..8]) { AutoReconnect = true };
        _client.MessageReceived += OnMessage;
        if (!_client.Connect()) throw new InvalidOperationException($"no MQTT broker at {broker.Host}:{broker.Port}: {_client.LastConnectError}");
        foreach (string leaf in new[] { "ota/chunk/request", "ota/status" })
        {
            var granted = _client.SubscribeForResult(prefix + "/+/" + leaf, 1);
            if (!MqttConnection.Granted(granted)) throw new InvalidOperationException($"the broker refused {prefix}/+/{leaf} to this identity: {granted}");
        }
    }

    public ConcurrentQueue<(string serial, string json)> Statuses { get; } = new();

    public int ChunksServed { get; private set; }

    public long BytesServed { get; private set; }

    public bool Offer(string serial, byte[] image)
    {
        _images[serial] = image;
        // Retained: a lock that connects later (its next window) still finds the offer.
        return _client.Publish($"{_prefix}/{serial}/ota/offer", ImageSigner.OfferFor(image).Encode(), 1, retain: true);
    }

    /// <summary>Publishes raw bytes on one of a lock's OTA topics (tests of malformed input).</summary>
    public bool PublishRaw(string serial, string leaf, byte[] payload) => _client.Publish($"{_prefix}/{serial}/ota/{leaf}", payload, 1);

    private void OnMessage(string topic, byte[] payload, int qos, bool retain)
    {
        string[] parts = topic.Split('/');
        if (parts.Length < 4) return;
        string serial = parts[^3] == "ota" ? parts[^4] : parts[^3];
        if (topic.EndsWith("/ota/status", StringComparison.Ordinal))
        {
            string json = Encoding.UTF8.GetString(payload);
            Statuses.Enqueue((parts[^3], json));
            if (json.Contains("\"confirmed\"") || json.Contains("\"reverted\""))
                System.Threading.ThreadPool.QueueUserWorkItem(_ => _client.Publish($"{_prefix}/{parts[^3]}/ota/offer", Array.Empty<byte>(), 1, retain: true));   // clear the retained offer
        }
        else if (topic.EndsWith("/ota/chunk/request", StringComparison.Ordinal) && payload.Length == 6 && _images.TryGetValue(serial, out var image))
        {
            int offset = (int)BitConverter.ToUInt32(payload, 0);
            int length = BitConverter.ToUInt16(payload, 4);
            if (offset < 0 || offset >= image.Length) return;
            length = Math.Min(length, image.Length - offset);
            var reply = new byte[4 + length];
            BitConverter.GetBytes((uint)offset).CopyTo(reply, 0);
            Array.Copy(image, offset, reply, 4, length);
            // Answer off the client's reader thread: a QoS 1 publish waits for the broker's PUBACK on that thread.
            System.Threading.ThreadPool.QueueUserWorkItem(_ =>
            {
                if (_client.Publish($"{_prefix}/{serial}/ota/chunk", reply, 1))
                {
                    ChunksServed++;
                    BytesServed += length;
                }
            });
        }
    }

    public void Dispose() => _client.Dispose();
}
