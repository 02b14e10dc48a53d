using MQTTnet.Formatter;
using SmartKey.Hal.Simulated.Mqtt;

namespace SmartKey.Hal.Simulated;

/// <summary>
/// The hal's MQTT link on the host: MQTTnet against a real broker (mosquitto in the tests), with the lock's
/// own TLS identity when the endpoint has one. MQTT 3.1.1 like the device's M2Mqtt; no automatic reconnect
/// (the firmware's uplink retries with its own back-off, as on the device).
/// </summary>
public sealed class HostMqttLink : IMqttLink
{
    private readonly BrokerEndpoint _endpoint;
    private MqttConnection? _connection;
    private bool _wifiForgotten;

    public HostMqttLink(BrokerEndpoint endpoint)
    {
        _endpoint = endpoint;
    }

    /// <summary>Plain TCP to a developer's local broker (the demo).</summary>
    public HostMqttLink(string host, int port)
        : this(new BrokerEndpoint(host, port))
    {
    }

    public bool IsConnected => _connection?.IsConnected ?? false;

    public int Published { get; private set; }

    /// <summary>Connection attempts over the link's life (across the firmware's restarts).</summary>
    public int ConnectCalls { get; private set; }

    /// <summary>Why the last connect failed (a refused handshake, a CONNACK code), for diagnostics.</summary>
    public string? LastConnectError => _connection?.LastConnectError;

    public event MqttMessageHandler? MessageReceived;

    public bool Connect(string clientId)
    {
        ConnectCalls++;
        if (_wifiForgotten) return false;       // the simulated lock lost its Wi-Fi network in a factory reset
        _connection?.Dispose();
        _connection = new MqttConnection(_endpoint, clientId, MqttProtocolVersion.V311);
        _connection.MessageReceived += (topic, payload, _, _) => MessageReceived?.Invoke(this, topic, payload);
        return _connection.Connect();
    }

    public void Disconnect() => _connection?.Disconnect();

    public bool Publish(string topic, byte[] payload, int qos)
    {
        bool ok = _connection?.Publish(topic, payload, qos) ?? false;
        if (ok) Published++;
        return ok;
    }

    public bool Subscribe(string topicFilter, int qos) => _connection?.Subscribe(topicFilter, qos) ?? false;

    public void ForgetWifiCredentials()
    {
        _wifiForgotten = true;
        Disconnect();
    }

    /// <summary>The simulated lock reaches the broker through the host's network: new credentials only bring it back.</summary>
    public bool SetWifiCredentials(string ssid, string password)
    {
        _wifiForgotten = false;
        return true;
    }
}
