using System.Threading;
using SmartKey.Hal;

namespace SmartKey.OtaServer.Tests.Fleet;

/// <summary>
/// The lock's MQTT link with the time a real window spends before it reaches the broker (Wi-Fi association,
/// DHCP, TLS: about 4 s on an ESP32, SimulatedHardware.WifiConnectMs), scaled like the rest of the harness.
/// Without it a simulated lock reconnects within milliseconds of a reboot, faster than any real one.
/// </summary>
public sealed class WifiDelayedLink : IMqttLink
{
    private readonly IMqttLink _inner;
    private readonly int _delayMs;

    public WifiDelayedLink(IMqttLink inner, int delayMs)
    {
        _inner = inner;
        _delayMs = delayMs;
    }

    public bool IsConnected => _inner.IsConnected;

    public event MqttMessageHandler MessageReceived
    {
        add => _inner.MessageReceived += value;
        remove => _inner.MessageReceived -= value;
    }

    public bool Connect(string clientId)
    {
        Thread.Sleep(_delayMs);
        return _inner.Connect(clientId);
    }

    public void Disconnect() => _inner.Disconnect();

    public bool Publish(string topic, byte[] payload, int qos) => _inner.Publish(topic, payload, qos);

    public bool Subscribe(string topicFilter, int qos) => _inner.Subscribe(topicFilter, qos);

    public void ForgetWifiCredentials() => _inner.ForgetWifiCredentials();

    public bool SetWifiCredentials(string ssid, string password) => _inner.SetWifiCredentials(ssid, password);
}
