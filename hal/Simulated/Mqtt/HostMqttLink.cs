using SmartKey.Hal.Simulated.Mqtt;

namespace SmartKey.Hal.Simulated;

/// <summary>The hal's MQTT link on the host: the real MqttClient against a real broker (mosquitto in the tests).</summary>
public sealed class HostMqttLink : IMqttLink
{
    private readonly string _host;
    private readonly int _port;
    private MqttClient? _client;
    private bool _wifiForgotten;

    public HostMqttLink(string host, int port)
    {
        _host = host;
        _port = port;
    }

    public bool IsConnected => _client?.IsConnected ?? false;

    public int Published { get; private set; }

    /// <summary>Connection attempts over the link's life (across the firmware's restarts).</summary>
    public int ConnectCalls { get; private set; }

    public event MqttMessageHandler? MessageReceived;

    public bool Connect(string clientId)
    {
        ConnectCalls++;
        if (_wifiForgotten) return false;       // the simulated lock lost its Wi-Fi network in a factory reset
        _client?.Dispose();
        _client = new MqttClient(_host, _port, clientId, keepAliveSeconds: 30);
        _client.MessageReceived += (topic, payload, _, _) => MessageReceived?.Invoke(this, topic, payload);
        return _client.Connect();
    }

    public void Disconnect() => _client?.Disconnect();

    public bool Publish(string topic, byte[] payload, int qos)
    {
        bool ok = _client?.Publish(topic, payload, qos) ?? false;
        if (ok) Published++;
        return ok;
    }

    public bool Subscribe(string topicFilter, int qos) => _client?.Subscribe(topicFilter, qos) ?? false;

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
