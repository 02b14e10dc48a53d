using System;
using System.Net.NetworkInformation;
using System.Threading;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;
using nanoFramework.Networking;

namespace SmartKey.Hal.Esp32
{
    /// <summary>
    /// MQTT over TLS 1.2 with nanoFramework.M2Mqtt, authenticated both ways with the identity from provisioning:
    /// the broker's CA and the lock's own client certificate (CN = serial; the broker's ACL lets it use only its
    /// own topics). Without a complete identity Connect fails at once (no Wi-Fi). Connect first brings
    /// Wi-Fi up with the network configuration stored on the device (set with nanoff or Visual Studio's
    /// Device Explorer at provisioning), Disconnect takes it down again: the radio is on only inside the
    /// uplink window. Failures become false, never exceptions.
    /// </summary>
    public sealed class Esp32MqttLink : IMqttLink
    {
        private readonly string _host;
        private readonly int _port;
        private readonly Esp32MqttIdentity _identity;
        private MqttClient _client;

        public Esp32MqttLink(string host, int port, Esp32MqttIdentity identity)
        {
            _host = host;
            _port = port;
            _identity = identity;
        }

        public event MqttMessageHandler MessageReceived;

        public bool IsConnected
        {
            get { return _client != null && _client.IsConnected; }
        }

        public bool Connect(string clientId)
        {
            if (!_identity.IsComplete)
            {
                return false;
            }

            try
            {
                using (CancellationTokenSource timeout = new CancellationTokenSource(20000))
                {
                    if (!WifiNetworkHelper.Reconnect(false, 0, timeout.Token))
                    {
                        return false;
                    }
                }

                if (_client == null)
                {
                    _client = new MqttClient(_host, _port, true, _identity.BrokerCa, _identity.Client, MqttSslProtocols.TLSv1_2);
                    _client.MqttMsgPublishReceived += OnPublishReceived;
                }

                return _client.Connect(clientId) == MqttReasonCode.Success;
            }
            catch (Exception)
            {
                return false;
            }
        }

        public void Disconnect()
        {
            try
            {
                if (_client != null && _client.IsConnected)
                {
                    _client.Disconnect();
                }

                WifiNetworkHelper.Disconnect();
            }
            catch (Exception)
            {
                // The link is gone either way.
            }
        }

        /// <summary>Blanks every stored Wi-Fi configuration in nanoFramework's network configuration block.</summary>
        public void ForgetWifiCredentials()
        {
            Disconnect();
            try
            {
                Wireless80211Configuration[] configurations = Wireless80211Configuration.GetAllWireless80211Configurations();
                for (int i = 0; i < configurations.Length; i++)
                {
                    configurations[i].Ssid = "";
                    configurations[i].Password = "";
                    configurations[i].SaveConfiguration();
                }
            }
            catch (Exception)
            {
                // Never throw into a factory reset (it would repeat at every boot); say so on the console.
                Console.WriteLine("SmartKey: Wi-Fi configuration could not be cleared");
            }
        }

        /// <summary>Saves the network in the first Wi-Fi configuration; enabled, not auto-connecting (Wi-Fi only in windows).</summary>
        public bool SetWifiCredentials(string ssid, string password)
        {
            try
            {
                Wireless80211Configuration[] configurations = Wireless80211Configuration.GetAllWireless80211Configurations();
                if (configurations.Length == 0)
                {
                    return false;
                }

                configurations[0].Ssid = ssid;
                configurations[0].Password = password;
                configurations[0].Options = Wireless80211Configuration.ConfigurationOptions.Enable;
                configurations[0].SaveConfiguration();
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        public bool Publish(string topic, byte[] payload, int qos)
        {
            try
            {
                if (!IsConnected)
                {
                    return false;
                }

                _client.Publish(topic, payload, null, null, qos == 0 ? MqttQoSLevel.AtMostOnce : MqttQoSLevel.AtLeastOnce, false);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        public bool Subscribe(string topicFilter, int qos)
        {
            try
            {
                if (!IsConnected)
                {
                    return false;
                }

                _client.Subscribe(new string[] { topicFilter }, new MqttQoSLevel[] { qos == 0 ? MqttQoSLevel.AtMostOnce : MqttQoSLevel.AtLeastOnce });
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        private void OnPublishReceived(object sender, MqttMsgPublishEventArgs e)
        {
            MqttMessageHandler handler = MessageReceived;
            if (handler != null)
            {
                handler(this, e.Topic, e.Message);
            }
        }
    }
}
