using System;
using System.Buffers;
using System.Diagnostics;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Telemetry;
using SmartKey.Hal.Simulated;

namespace SmartKey.Simulator.Fleet;

/// <summary>
/// One daily window of one lock, as the firmware's Uplink runs it: connect with the serial as client id (over TLS
/// with the lock's own certificate when the fleet has identities),
/// subscribe to its offer and chunk topics, send the telemetry report, take a (retained) offer, fetch the
/// image chunk by chunk (one request outstanding, re-sent on timeout), send every status, and hang up when
/// idle. A test boot reboots the lock and reconnects at once so the server learns how it ended.
/// </summary>
public sealed class LockWindow
{
    private enum Ending { Idle, Dropped, PowerCut, TestBoot, Stalled, Stopped }

    private readonly VirtualLock _lock;
    private readonly FleetOptions _options;
    private readonly FleetStats _stats;
    private readonly MqttClientFactory _factory;

    public LockWindow(VirtualLock virtualLock, FleetOptions options, FleetStats stats, MqttClientFactory factory)
    {
        _lock = virtualLock;
        _options = options;
        _stats = stats;
        _factory = factory;
    }

    public async Task RunAsync(CancellationToken stop)
    {
        if (_lock.Battery == Firmware.Battery.BatteryState.Critical) return;   // no Wi-Fi on a critical battery
        _stats.Window();
        bool reported = false;
        for (int connection = 0; connection < 8 && !stop.IsCancellationRequested; connection++)
        {
            Ending ending = await ConversationAsync(!reported, stop);
            reported = true;
            switch (ending)
            {
                case Ending.Dropped:
                    await Task.Delay(_options.ReconnectDelay, stop).ContinueWith(_ => { });
                    continue;
                case Ending.TestBoot:
                    _lock.Reboot();
                    _stats.Rebooted();
                    continue;   // SmartKeyDevice opens a window right after a test boot
                default:
                    return;     // idle, power cut (back next window), stalled or stopped
            }
        }
    }

    private async Task<Ending> ConversationAsync(bool sendReport, CancellationToken stop)
    {
        var inbox = Channel.CreateBounded<(string topic, byte[] payload)>(new BoundedChannelOptions(Uplink.MaxIncoming) { FullMode = BoundedChannelFullMode.DropWrite });
        using var client = _factory.CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = e.ApplicationMessage.Payload;
            if (payload.Length <= UpdateAgent.MaxChunk + 64) inbox.Writer.TryWrite((e.ApplicationMessage.Topic, payload.ToArray()));
            return Task.CompletedTask;
        };

        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.BrokerHost, _options.BrokerPort)
            .WithClientId(_lock.Serial)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithProtocolVersion(_options.Mqtt5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311);
        _options.Identities?.Apply(builder, _options.BrokerHost, _lock.Serial);
        var options = builder.Build();
        try
        {
            var connected = await client.ConnectAsync(options, stop);
            if (connected.ResultCode != MqttClientConnectResultCode.Success) throw new InvalidOperationException(connected.ResultCode.ToString());
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(_lock.Topics.OtaOffer, MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(_lock.Topics.OtaChunk, MqttQualityOfServiceLevel.AtLeastOnce)
                .Build(), stop);
        }
        catch (Exception)
        {
            if (stop.IsCancellationRequested) return Ending.Stopped;
            _stats.ConnectFailed();
            return Ending.Idle;      // the broker is down: the queue waits for the next window
        }

        _stats.Connected();
        try
        {
            if (sendReport)
            {
                await PublishAsync(client, _lock.Topics.Telemetry, _lock.TelemetryReport(), stop);
                _stats.Telemetry();
            }

            Ending ending = await ConverseAsync(client, inbox.Reader, stop);
            if (ending == Ending.Idle || ending == Ending.TestBoot || ending == Ending.Stalled)
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
            return ending;
        }
        catch (Exception)
        {
            if (stop.IsCancellationRequested) return Ending.Stopped;
            _stats.Dropped();
            return Ending.Dropped;   // the broker went away mid-window: reconnect after the back-off
        }
    }

    private async Task<Ending> ConverseAsync(IMqttClient client, ChannelReader<(string topic, byte[] payload)> inbox, CancellationToken stop)
    {
        var connectedAt = Stopwatch.StartNew();
        int requestedOffset = -1, unanswered = 0;
        long requestedAt = 0;
        while (true)
        {
            await FlushStatusesAsync(client, stop);
            UpdateAgent agent = _lock.Agent;
            if (agent.RebootRequested) return Ending.TestBoot;

            bool downloading = agent.State == OtaState.Downloading;
            if (downloading && (requestedOffset != agent.Offset || connectedAt.ElapsedMilliseconds - requestedAt >= _options.ChunkTimeout.TotalMilliseconds))
            {
                if (requestedOffset == agent.Offset && ++unanswered > _options.MaxUnansweredRequests) return Ending.Stalled;
                if (requestedOffset != agent.Offset) unanswered = 0;
                if (InjectDrop(agent, client)) return Ending.Dropped;
                int length = agent.NextLength(UpdateAgent.MaxChunk);
                var request = new byte[6];
                Bytes.WriteUInt32LittleEndian((uint)agent.Offset, request, 0);
                Bytes.WriteUInt16LittleEndian(length, request, 4);
                requestedOffset = agent.Offset;
                requestedAt = connectedAt.ElapsedMilliseconds;
                await PublishAsync(client, _lock.Topics.OtaChunkRequest, request, stop);
                _stats.Request();
            }

            if (!downloading && connectedAt.Elapsed >= _options.OfferWait && !inbox.TryPeek(out _) && _lock.QueuedStatuses == 0) return Ending.Idle;

            TimeSpan wait = downloading
                ? TimeSpan.FromMilliseconds(Math.Max(1, _options.ChunkTimeout.TotalMilliseconds - (connectedAt.ElapsedMilliseconds - requestedAt)))
                : _options.OfferWait - connectedAt.Elapsed;
            if (wait < TimeSpan.FromMilliseconds(1)) wait = TimeSpan.FromMilliseconds(1);
            (string topic, byte[] payload) message;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                timeout.CancelAfter(wait);
                try
                {
                    if (!await inbox.WaitToReadAsync(timeout.Token) || !inbox.TryRead(out message)) continue;
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    continue;
                }
            }

            if (!client.IsConnected) throw new InvalidOperationException("connection lost");
            if (IsLateCopy(agent, message.topic, message.payload)) continue;
            if (Handle(agent, message.topic, message.payload)) return Ending.PowerCut;
            if (message.topic == _lock.Topics.OtaChunk) requestedOffset = -1;
        }
    }

    /// <summary>A chunk the lock already has (the answer to a request it sent again): Uplink.HandleIncoming drops it without a status.</summary>
    private bool IsLateCopy(UpdateAgent agent, string topic, byte[] payload) =>
        topic == _lock.Topics.OtaChunk && payload.Length >= 5 && agent.IsLateChunk((int)Bytes.ReadUInt32LittleEndian(payload, 0));

    /// <summary>Feeds one message to the firmware as Uplink.HandleIncoming does; true when the power was cut.</summary>
    private bool Handle(UpdateAgent agent, string topic, byte[] payload)
    {
        if (topic == _lock.Topics.OtaOffer)
        {
            if (payload.Length == 0) return false;        // a cleared retained offer
            _stats.Offer();
            OtaOffer offer = OtaOffer.Decode(payload, 0, payload.Length);
            if (offer == null) _lock.QueueStatus(TelemetryJson.OtaStatus(OtaState.Failed, OtaError.BadOffer, 0, 0));
            else agent.Offer(offer);
            return false;
        }

        if (topic != _lock.Topics.OtaChunk) return false;
        if (payload.Length < 5)
        {
            _lock.QueueStatus(TelemetryJson.OtaStatus(agent.State, OtaError.BadChunk, agent.Offset, agent.ImageSize));
            return false;
        }

        int offset = (int)Bytes.ReadUInt32LittleEndian(payload, 0);
        _stats.Chunk(payload.Length - 4);
        bool cut = _lock.Fault == Fault.PowerCut && offset == agent.Offset && _lock.FaultDue(agent);
        if (cut)
        {
            _lock.FaultSpent = true;
            _lock.ArmPowerCut();
        }

        try
        {
            byte result = agent.Chunk(offset, payload, 4, payload.Length - 4);
            agent.FinishVerification();      // the device checks the signature in main-loop steps; a virtual lock at once
            if (result == OtaError.BadChunk) _lock.QueueStatus(TelemetryJson.OtaStatus(agent.State, result, agent.Offset, agent.ImageSize));
        }
        catch (PowerLossException)
        {
            _stats.PowerCut();
            _lock.Reboot();      // power is back at once; the download resumes in the next window
            return true;
        }

        return false;
    }

    private bool InjectDrop(UpdateAgent agent, IMqttClient client)
    {
        if (_lock.Fault != Fault.BrokerDrop || !_lock.FaultDue(agent)) return false;
        _lock.FaultSpent = true;
        _stats.Dropped();
        client.Dispose();     // the TCP connection dies without a DISCONNECT (Wi-Fi lost)
        return true;
    }

    private async Task FlushStatusesAsync(IMqttClient client, CancellationToken stop)
    {
        while (_lock.TryPeekStatus(out byte[] status))
        {
            await PublishAsync(client, _lock.Topics.OtaStatus, status, stop);
            _lock.StatusSent();
            _stats.Status();
        }
    }

    private static async Task PublishAsync(IMqttClient client, string topic, byte[] payload, CancellationToken stop)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        // A lock waits for its PUBACK only so long; then it treats the connection as dead (the catch above reconnects).
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var result = await client.PublishAsync(message, timeout.Token);
        if (!result.IsSuccess) throw new InvalidOperationException("publish refused: " + result.ReasonCode);
    }
}
