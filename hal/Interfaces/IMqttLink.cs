namespace SmartKey.Hal
{
    /// <summary>
    /// One MQTT connection (TLS on the device) shared by telemetry and OTA. Connect only inside a
    /// Wi-Fi window; every call returns false instead of throwing when the broker is unreachable.
    /// </summary>
    public interface IMqttLink
    {
        bool IsConnected { get; }

        bool Connect(string clientId);

        void Disconnect();

        /// <summary>QoS 0 or 1. True once handed to the broker (QoS 1: acknowledged).</summary>
        bool Publish(string topic, byte[] payload, int qos);

        bool Subscribe(string topicFilter, int qos);

        /// <summary>
        /// Factory reset: erases the Wi-Fi credentials the network stack keeps outside the record store (on
        /// the ESP32, nanoFramework's network configuration block). Afterwards Connect fails until Wi-Fi is
        /// configured again. Idempotent: a resumed reset calls it again.
        /// </summary>
        void ForgetWifiCredentials();

        /// <summary>Stores the Wi-Fi network the link connects through (an owner's command). False when it cannot be kept.</summary>
        bool SetWifiCredentials(string ssid, string password);

        event MqttMessageHandler MessageReceived;
    }
}
