using System.Collections.Generic;

namespace SmartKey.Hal.Simulated;

/// <summary>
/// An in-process stand-in for the MQTT connection: records what the device publishes and lets the
/// simulation inject messages. Outages: while BrokerReachable is false, Connect and Publish fail.
/// (Tests against a real broker use the host MQTT client instead.)
/// </summary>
public sealed class SimMqttLink : IMqttLink
{
    private readonly List<string> _subscriptions = new();

    public bool BrokerReachable { get; set; } = true;

    /// <summary>The lock's stored Wi-Fi network (set at installation); a factory reset forgets it.</summary>
    public string? WifiSsid { get; set; } = "home-network";

    public bool IsConnected { get; private set; }

    public string? ClientId { get; private set; }

    public List<(string topic, byte[] payload, int qos)> Published { get; } = new();

    public IReadOnlyList<string> Subscriptions => _subscriptions;

    public event MqttMessageHandler? MessageReceived;

    /// <summary>Raised on every successful connect (the simulation charges the Wi-Fi bring-up to the power model).</summary>
    public event System.Action? Connected;

    public int Connections { get; private set; }

    public bool Connect(string clientId)
    {
        if (!BrokerReachable || WifiSsid == null) return false;
        ClientId = clientId;
        IsConnected = true;
        Connections++;
        Connected?.Invoke();
        return true;
    }

    public void Disconnect() => IsConnected = false;

    public bool Publish(string topic, byte[] payload, int qos)
    {
        if (!IsConnected || !BrokerReachable)
        {
            IsConnected = false;
            return false;
        }

        Published.Add((topic, (byte[])payload.Clone(), qos));
        return true;
    }

    public bool Subscribe(string topicFilter, int qos)
    {
        if (!IsConnected) return false;
        _subscriptions.Add(topicFilter);
        return true;
    }

    public void ForgetWifiCredentials()
    {
        WifiSsid = null;
        WifiPassword = null;
        IsConnected = false;
    }

    public string? WifiPassword { get; private set; }

    public bool SetWifiCredentials(string ssid, string password)
    {
        WifiSsid = ssid;
        WifiPassword = password;
        return true;
    }

    public void Inject(string topic, byte[] payload) => MessageReceived?.Invoke(this, topic, payload);
}
