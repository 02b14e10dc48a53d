using System;
using System.Buffers;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using SmartKey.OtaServer.Devices;
using SmartKey.OtaServer.Hosting;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Storage;

namespace SmartKey.OtaServer.Mqtt;

/// <summary>
/// The server's one MQTT client (MQTTnet) on the fleet's broker. It subscribes to the locks' telemetry, OTA
/// status and chunk requests (as a shared subscription when a group is set, so replicas split them). Messages
/// are handled by IngestWorkers workers, each lock's on the same worker (so one lock's messages keep their
/// order here), because one worker spends most of its time waiting for the database. Each message is
/// acknowledged only after the database has it (taken in, refused and counted, or parked after bounded retries:
/// HandleWithRetriesAsync), and acknowledgements go out in the order the messages came (MQTT requires it): a crash
/// makes the broker deliver it again, and ingest is idempotent. It publishes the retained offers and the chunks.
/// The session is persistent (clean session off), so what locks send while the server is down waits for it.
/// </summary>
public sealed class FleetLink : IOfferChannel, IAsyncDisposable
{
    private readonly ServerOptions _options;
    private readonly DeviceService _devices;
    private readonly RolloutDriver _driver;
    private readonly ChunkServer _chunks;
    private readonly Counters _counters;
    private readonly ILogger _log;
    private readonly IMqttClient _client;
    private readonly BrokerTls? _tls;
    private readonly Channel<Delivery>[] _inboxes;
    private readonly AcknowledgementOrder _acks = new();
    private readonly CancellationTokenSource _stop = new();
    private Task[] _workers = Array.Empty<Task>();
    private Task? _reconnect;
    private long _handled;
    private long _disconnects;
    private long _redeliverAt = long.MaxValue;
    private int _redeliverBackoffMs = MinRedeliverBackoffMs;
    private const int MinRedeliverBackoffMs = 2000, MaxRedeliverBackoffMs = 60_000;

    /// <summary>Waits before the next tries of a message whose handling failed (the database away for a moment).</summary>
    private static readonly TimeSpan[] RetryDelays = { TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3) };

    public FleetLink(ServerOptions options, DeviceService devices, RolloutDriver driver, ChunkServer chunks, Counters counters, ILogger log)
    {
        _options = options;
        _devices = devices;
        _driver = driver;
        _chunks = chunks;
        _counters = counters;
        _log = log;
        _tls = TlsFrom(options);
        _inboxes = new Channel<Delivery>[Math.Max(1, options.IngestWorkers)];
        for (int i = 0; i < _inboxes.Length; i++) _inboxes[i] = Channel.CreateBounded<Delivery>(10_000);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += async e =>
        {
            e.AutoAcknowledge = false;                          // acknowledged once handled, in order (AcknowledgementOrder)
            var delivery = _acks.Arrived(e);
            try
            {
                if (await TryAnswerAtOnceAsync(delivery)) return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Not answered here: the lock's worker handles it, with retries.
                _log.LogWarning("answering {Topic} at once failed: {Message}", e.ApplicationMessage.Topic, ex.Message);
            }

            await _inboxes[WorkerOf(e.ApplicationMessage.Topic)].Writer.WriteAsync(delivery, _stop.Token);
        };
        _client.DisconnectedAsync += _ =>
        {
            Interlocked.Increment(ref _disconnects);
            return Task.CompletedTask;
        };
    }

    public bool IsConnected => _client.IsConnected;

    private static BrokerTls? TlsFrom(ServerOptions o)
    {
        int given = (o.MqttCaFile != null ? 1 : 0) + (o.MqttCertificateFile != null ? 1 : 0) + (o.MqttKeyFile != null ? 1 : 0);
        if (given == 0) return null;
        if (given != 3) throw new ArgumentException("TLS to the broker needs all three of the broker's CA, the server's certificate and its key (--mqtt-ca, --mqtt-cert, --mqtt-key)");
        return BrokerTls.Load(o.MqttCaFile!, o.MqttCertificateFile!, o.MqttKeyFile!);
    }

    /// <summary>Messages handled since start (tests wait for the broker's traffic to be taken in).</summary>
    public long Handled => Interlocked.Read(ref _handled);

    /// <summary>Times the connection to the broker was lost or closed since start (a session taken over shows here).</summary>
    public long Disconnects => Interlocked.Read(ref _disconnects);

    public async Task StartAsync(CancellationToken ct)
    {
        await ConnectAsync(ct);
        _workers = _inboxes.Select(inbox => Task.Run(() => Work(inbox.Reader))).ToArray();
        _reconnect = Task.Run(KeepConnected);
    }

    private MqttClientOptions ClientOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.MqttHost, _options.MqttPort)
            .WithClientId(_options.MqttClientId)
            .WithCleanSession(false)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30));
        _tls?.Apply(builder, _options.MqttHost);
        return builder.Build();
    }

    private async Task ConnectAsync(CancellationToken ct)
    {
        var result = await _client.ConnectAsync(ClientOptions(), ct);
        if (result.ResultCode != MqttClientConnectResultCode.Success) throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode}");
        string share = string.IsNullOrEmpty(_options.SharedSubscriptionGroup) ? "" : "$share/" + _options.SharedSubscriptionGroup + "/";
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (string leaf in new[] { "telemetry", "ota/status", "ota/chunk/request" })
            subscribe.WithTopicFilter(f => f.WithTopic(share + _options.TopicPrefix + "/+/" + leaf).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
        await _client.SubscribeAsync(subscribe.Build(), ct);
    }

    private async Task KeepConnected()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(1000, _stop.Token);
                if (_client.IsConnected && Environment.TickCount64 >= Interlocked.Read(ref _redeliverAt))
                {
                    // Messages left unacknowledged (deferred) hold the broker's in-flight window: a new connection
                    // on the persistent session makes the broker deliver them again.
                    Interlocked.Exchange(ref _redeliverAt, long.MaxValue);
                    await _client.DisconnectAsync(new MqttClientDisconnectOptions(), _stop.Token);
                }

                if (!_client.IsConnected) await ConnectAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                _log.LogWarning("MQTT reconnect failed: {Message}", e.Message);
            }
        }
    }

    /// <summary>The worker of the lock the topic names (a stable hash of the topic's serial level).</summary>
    private int WorkerOf(string topic)
    {
        int start = _options.TopicPrefix.Length + 1, end = topic.IndexOf('/', Math.Min(start, topic.Length));
        if (end < 0) end = topic.Length;
        uint h = 2166136261;
        for (int i = start; i < end; i++) h = (h ^ topic[i]) * 16777619;
        return (int)(h % (uint)_inboxes.Length);
    }

    private async Task Work(ChannelReader<Delivery> inbox)
    {
        try
        {
            await foreach (var d in inbox.ReadAllAsync(_stop.Token))
            {
                bool handled = await HandleWithRetriesAsync(d.Message.ApplicationMessage.Topic, d.Message.ApplicationMessage.Payload.ToArray());
                await AcknowledgeAsync(d, handled);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// A message is taken in or refused (each counted by its reason) and then acknowledged. When handling throws
    /// (the database away, a fault of the server's own), it is tried again after RetryDelays; if it still fails it is
    /// parked (parked_messages) and acknowledged, so no one message can hold up the broker's delivery. Only when it
    /// cannot even be parked (the database is down) is it left unacknowledged, counted as deferred, and the link
    /// reconnects after a back-off so the broker delivers it again (docs/ota-server.md, "Intake").
    /// </summary>
    private async Task<bool> HandleWithRetriesAsync(string topic, byte[] payload)
    {
        Exception? failure = null;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await Handle(topic, payload);
                _redeliverBackoffMs = MinRedeliverBackoffMs;
                return true;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            if (attempt == RetryDelays.Length) break;
            _counters.Add(Counters.IntakeRetried);
            await Task.Delay(RetryDelays[attempt], _stop.Token);
        }

        if (_devices.TryPark(TrySplit(topic, out string serial, out _) ? serial : "", topic, payload, failure!))
        {
            _counters.Add(Counters.IntakeParked);
            _log.LogError(failure, "handling {Topic} failed after {Tries} tries; parked", topic, RetryDelays.Length + 1);
            return true;
        }

        _counters.Add(Counters.IntakeDeferred);
        _log.LogError(failure, "handling {Topic} failed and it could not be parked; left for the broker to deliver again", topic);
        int backoff = _redeliverBackoffMs;
        _redeliverBackoffMs = Math.Min(MaxRedeliverBackoffMs, backoff * 2);
        long at = Environment.TickCount64 + backoff;
        long was;
        do was = Interlocked.Read(ref _redeliverAt);
        while (at < was && Interlocked.CompareExchange(ref _redeliverAt, at, was) != was);
        return false;
    }

    /// <summary>Acknowledges in arrival order; a connection lost meanwhile loses nothing (the broker delivers the message again).</summary>
    private async Task AcknowledgeAsync(Delivery d, bool handled)
    {
        try
        {
            await _acks.DoneAsync(d, handled, _stop.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _log.LogWarning("acknowledging {Topic} failed: {Message}", d.Message.ApplicationMessage.Topic, ex.Message);
        }

        Interlocked.Increment(ref _handled);
    }

    /// <summary>
    /// Most messages are chunk requests of a download under way, answered from memory: those are answered here, on
    /// the client's receive loop, instead of being handed to a worker (each hand-over costs thread switches, and at
    /// fleet load the kernel's task switching was the largest part of a replica's CPU). Anything that needs the database goes to the lock's worker.
    /// </summary>
    private async Task<bool> TryAnswerAtOnceAsync(Delivery d)
    {
        string topic = d.Message.ApplicationMessage.Topic;
        if (!TrySplit(topic, out string serial, out string leaf) || !ManufacturingRecord.SerialPattern().IsMatch(serial)) return false;
        if (leaf is "telemetry" or "ota/status")
        {
            // Over the lock's rate: dropped here, before it costs a worker or the database (Devices/ReportLimits).
            bool telemetry = leaf == "telemetry";
            if (telemetry ? _devices.Limits.TakeTelemetry(serial) : _devices.Limits.TakeStatus(serial)) return false;
            _counters.Add(telemetry ? Counters.TelemetryRateLimited : Counters.StatusRateLimited);
            await AcknowledgeAsync(d, true);
            return true;
        }

        if (leaf != "ota/chunk/request") return false;
        if (!_chunks.TryAnswerFromMemory(serial, d.Message.ApplicationMessage.Payload.ToArray(), out byte[]? reply)) return false;
        if (reply != null) await SendChunkAsync(serial, reply);
        await AcknowledgeAsync(d, true);
        return true;
    }

    /// <summary>The serial level and the rest of one of the locks' topics; false for anything else.</summary>
    private bool TrySplit(string topic, out string serial, out string leaf)
    {
        serial = leaf = "";
        string root = _options.TopicPrefix + "/";
        if (!topic.StartsWith(root, StringComparison.Ordinal)) return false;
        string rest = topic[root.Length..];
        int slash = rest.IndexOf('/');
        if (slash <= 0) return false;
        serial = rest[..slash];
        leaf = rest[(slash + 1)..];
        return true;
    }

    private async Task Handle(string topic, byte[] payload)
    {
        if (!TrySplit(topic, out string serial, out string leaf))
        {
            _counters.Add(Counters.TopicUnknown);
            return;
        }

        if (!ManufacturingRecord.SerialPattern().IsMatch(serial))
        {
            _counters.Add(Counters.TelemetryUnknownSerial);
            return;
        }

        switch (leaf)
        {
            case "telemetry":
                _devices.IngestTelemetry(serial, payload);
                break;
            case "ota/status":
                if (!_devices.IsKnown(serial))
                {
                    _counters.Add(Counters.StatusUnknownSerial);
                    break;
                }

                var status = StatusMessage.TryParse(payload);
                if (status == null)
                {
                    _counters.Add(Counters.StatusMalformed);
                    break;
                }

                _counters.Add(Counters.TelemetryFieldDropped, status.DroppedFields);
                _devices.Seen(serial);
                if (_driver.HandleStatus(serial, status)) await PublishAsync(_options.TopicPrefix + "/" + serial + "/ota/offer", Array.Empty<byte>(), retain: true);
                break;
            case "ota/chunk/request":
                byte[]? reply = _chunks.Answer(serial, payload);
                if (reply != null) await SendChunkAsync(serial, reply);
                break;
            default:
                _counters.Add(Counters.TopicUnknown);
                break;
        }
    }

    /// <summary>
    /// A chunk reply, at QoS 0: a lost chunk costs the lock one request timeout, and the next message is not held
    /// up waiting for the broker's PUBACK of this one (docs/telemetry.md).
    /// </summary>
    private Task<bool> SendChunkAsync(string serial, byte[] reply) =>
        PublishAsync(_options.TopicPrefix + "/" + serial + "/ota/chunk", reply, retain: false, MqttQualityOfServiceLevel.AtMostOnce);

    private async Task<bool> PublishAsync(string topic, byte[] payload, bool retain, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce)
    {
        if (!_client.IsConnected) return false;
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(qos).WithRetainFlag(retain).Build();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var result = await _client.PublishAsync(message, timeout.Token);
            return result.IsSuccess;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.LogWarning("publish to {Topic} failed: {Message}", topic, e.Message);
            return false;
        }
    }

    public Task<bool> OfferAsync(string serial, byte[] offer) => PublishAsync(_options.TopicPrefix + "/" + serial + "/ota/offer", offer, retain: true);

    public Task<bool> WithdrawAsync(string serial) => PublishAsync(_options.TopicPrefix + "/" + serial + "/ota/offer", Array.Empty<byte>(), retain: true);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        foreach (var inbox in _inboxes) inbox.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_workers);
            if (_reconnect != null) await _reconnect;
        }
        catch (OperationCanceledException)
        {
        }

        try
        {
            if (_client.IsConnected) await _client.DisconnectAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
        }

        _client.Dispose();
        _tls?.Dispose();
    }
}
