using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace SmartKey.Hal.Simulated.Mqtt;

/// <summary>
/// One MQTTnet client behind the blocking, never-throwing calls the host side wants (the hal's link, the OTA
/// server, test subscribers): Connect, Publish at QoS 0/1 (QoS 1 returns after the broker's PUBACK),
/// Subscribe, and with AutoReconnect a lost connection comes back with back-off (1 s … 60 s) and its
/// subscriptions renewed. With MQTT 5 the broker's reason codes are kept (LastPublishReason, Subscribe's
/// result) so a refusal can be told from a failure. MessageReceived is raised on MQTTnet's thread.
/// </summary>
public sealed class MqttConnection : IDisposable
{
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(5);

    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly ConcurrentDictionary<string, int> _subscriptions = new();
    private readonly object _reconnectLock = new();
    private volatile bool _disposed;
    private volatile bool _wantConnected;
    private bool _reconnecting;
    private volatile bool _ready;

    public MqttConnection(BrokerEndpoint endpoint, string clientId, MqttProtocolVersion protocol = MqttProtocolVersion.V500, int keepAliveSeconds = 30)
    {
        Endpoint = endpoint;
        ClientId = clientId;
        Protocol = protocol;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(endpoint.Host, endpoint.Port)
            .WithClientId(clientId)
            .WithProtocolVersion(protocol)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(keepAliveSeconds))
            .WithTimeout(OperationTimeout);
        if (endpoint.Tls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost(endpoint.Host).WithSslProtocols(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13)
                   .WithCertificateValidationHandler(e => endpoint.AcceptsBroker(e.Certificate, e.SslPolicyErrors));
                if (endpoint.ClientCertificate != null) tls.WithClientCertificates(new[] { endpoint.ClientCertificate });
            });
        }

        _options = builder.Build();
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var message = e.ApplicationMessage;
            MessageReceived?.Invoke(message.Topic, message.Payload.ToArray(), (int)message.QualityOfServiceLevel, message.Retain);
            return Task.CompletedTask;
        };
        _client.DisconnectedAsync += e =>
        {
            _ready = false;
            if (e.ClientWasConnected) ConnectionLost?.Invoke();
            if (AutoReconnect && _wantConnected && !_disposed) StartReconnecting();
            return Task.CompletedTask;
        };
    }

    public BrokerEndpoint Endpoint { get; }

    public string ClientId { get; }

    public MqttProtocolVersion Protocol { get; }

    public bool AutoReconnect { get; set; }

    /// <summary>Connected, and after a reconnect also subscribed again.</summary>
    public bool IsConnected => _ready && _client.IsConnected;

    public int Reconnects { get; private set; }

    /// <summary>Why the last Connect failed: the broker's CONNACK code, or the transport's error (e.g. a refused TLS handshake).</summary>
    public string? LastConnectError { get; private set; }

    /// <summary>MQTT 5 only: the broker's PUBACK reason for the last QoS 1 publish (null before one, or with MQTT 3.1.1).</summary>
    public MqttClientPublishReasonCode? LastPublishReason { get; private set; }

    /// <summary>Topic, payload, QoS, retain.</summary>
    public event Action<string, byte[], int, bool>? MessageReceived;

    public event Action? ConnectionLost;

    public bool Connect()
    {
        if (_disposed) return false;
        _wantConnected = true;
        return TryConnect(false);
    }

    public void Disconnect()
    {
        _wantConnected = false;
        try
        {
            if (_client.IsConnected) Run(token => _client.DisconnectAsync(new MqttClientDisconnectOptions(), token));
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            // Gone either way.
        }
    }

    /// <summary>True once handed to the broker (QoS 1: acknowledged; with MQTT 5 also not refused).</summary>
    public bool Publish(string topic, byte[] payload, int qos, bool retain = false)
    {
        if (!_client.IsConnected) return false;
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(qos == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        try
        {
            var result = Run(token => _client.PublishAsync(message, token));
            if (Protocol == MqttProtocolVersion.V500 && qos > 0) LastPublishReason = result.ReasonCode;
            return result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers;
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            return false;
        }
    }

    /// <summary>Subscribes and remembers the filter for reconnects; the broker's answer (a granted QoS or a refusal).</summary>
    public MqttClientSubscribeResultCode SubscribeForResult(string topicFilter, int qos)
    {
        if (!_client.IsConnected) return MqttClientSubscribeResultCode.UnspecifiedError;     // (not IsConnected: Connect renews filters before it is ready)
        try
        {
            var options = new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(topicFilter, qos == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            var result = Run(token => _client.SubscribeAsync(options, token));
            foreach (var item in result.Items)
            {
                if (Granted(item.ResultCode)) _subscriptions[topicFilter] = qos;
                return item.ResultCode;
            }

            return MqttClientSubscribeResultCode.UnspecifiedError;
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            return MqttClientSubscribeResultCode.UnspecifiedError;
        }
    }

    public bool Subscribe(string topicFilter, int qos) => Granted(SubscribeForResult(topicFilter, qos));

    public static bool Granted(MqttClientSubscribeResultCode code) =>
        code is MqttClientSubscribeResultCode.GrantedQoS0 or MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2;

    public void Dispose()
    {
        if (_disposed) return;
        Disconnect();
        _disposed = true;
        _client.Dispose();
    }

    private bool TryConnect(bool reconnect)
    {
        try
        {
            var result = Run(token => _client.ConnectAsync(_options, token));
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                LastConnectError = "CONNACK " + result.ResultCode;
                return false;
            }

            LastConnectError = null;
            foreach (var (filter, qos) in _subscriptions) Subscribe(filter, qos);
            if (reconnect) Reconnects++;
            _ready = true;
            return true;
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            LastConnectError = Describe(e);
            return false;
        }
    }

    private void StartReconnecting()
    {
        lock (_reconnectLock)
        {
            if (_reconnecting) return;
            _reconnecting = true;
        }

        new Thread(() =>
        {
            var backoff = TimeSpan.FromSeconds(1);
            while (!_disposed && _wantConnected && !_client.IsConnected)
            {
                Thread.Sleep(backoff);
                if (_disposed || !_wantConnected) break;
                TryConnect(true);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(60).Ticks));
            }

            lock (_reconnectLock) _reconnecting = false;
        }) { IsBackground = true, Name = "mqtt-reconnect " + ClientId }.Start();
    }

    /// <summary>Blocks on one MQTTnet operation, cancelled after OperationTimeout.</summary>
    private static T Run<T>(Func<CancellationToken, Task<T>> operation)
    {
        using var timeout = new CancellationTokenSource(OperationTimeout);
        return operation(timeout.Token).GetAwaiter().GetResult();
    }

    private static void Run(Func<CancellationToken, Task> operation)
    {
        using var timeout = new CancellationTokenSource(OperationTimeout);
        operation(timeout.Token).GetAwaiter().GetResult();
    }

    private static bool IsTransportFailure(Exception e) =>
        e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or System.IO.IOException
            or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or InvalidOperationException or ObjectDisposedException;

    private static string Describe(Exception e)
    {
        string text = e.GetType().Name + ": " + e.Message;
        for (var inner = e.InnerException; inner != null; inner = inner.InnerException) text += " <- " + inner.GetType().Name + ": " + inner.Message;
        return text;
    }
}
