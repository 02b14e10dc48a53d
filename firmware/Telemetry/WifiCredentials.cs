using SmartKey.Hal;

namespace SmartKey.Firmware.Telemetry
{
    /// <summary>An owner's Wi-Fi network for the uplink windows (kept by the network stack, forgotten by a factory reset).</summary>
    public sealed class WifiCredentials
    {
        private readonly IMqttLink _network;
        private readonly Uplink _uplink;
        private readonly IMonotonicClock _clock;

        public WifiCredentials(IMqttLink network, Uplink uplink, IMonotonicClock clock)
        {
            _network = network;
            _uplink = uplink;
            _clock = clock;
        }

        /// <summary>False when the network stack could not keep them (nothing changed).</summary>
        public bool Set(string ssid, string password)
        {
            if (!_network.SetWifiCredentials(ssid, password)) return false;
            _uplink.NetworkChanged(_clock.UptimeMilliseconds);
            return true;
        }
    }
}
