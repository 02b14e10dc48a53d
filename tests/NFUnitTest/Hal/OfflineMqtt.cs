using SmartKey.Hal;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>No Wi-Fi in reach: every connect fails, nothing is published.</summary>
    public sealed class OfflineMqtt : IMqttLink
    {
        public event MqttMessageHandler MessageReceived;

        public bool IsConnected
        {
            get { return false; }
        }

        /// <summary>How many times the lock asked to forget its Wi-Fi network (a factory reset does).</summary>
        public int WifiForgotten { get; private set; }

        public bool Connect(string clientId)
        {
            return false;
        }

        public void Disconnect()
        {
        }

        public bool Publish(string topic, byte[] payload, int qos)
        {
            return false;
        }

        public bool Subscribe(string topicFilter, int qos)
        {
            return false;
        }

        public void ForgetWifiCredentials()
        {
            WifiForgotten++;
        }

        public bool SetWifiCredentials(string ssid, string password)
        {
            return true;
        }

        /// <summary>Unused: no broker (keeps the event from being unused).</summary>
        public void Deliver(string topic, byte[] payload)
        {
            MqttMessageHandler handler = MessageReceived;
            if (handler != null)
            {
                handler(this, topic, payload);
            }
        }
    }
}
