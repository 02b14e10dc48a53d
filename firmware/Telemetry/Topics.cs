namespace SmartKey.Firmware.Telemetry
{
    /// <summary>The MQTT topics of one lock: prefix/serial/… (docs/telemetry.md). No other topic is ever used.</summary>
    public sealed class Topics
    {
        public Topics(string prefix, string serial)
        {
            string root = prefix + "/" + serial + "/";
            Telemetry = root + "telemetry";
            OtaOffer = root + "ota/offer";
            OtaChunkRequest = root + "ota/chunk/request";
            OtaChunk = root + "ota/chunk";
            OtaStatus = root + "ota/status";
        }

        public string Telemetry { get; private set; }
        public string OtaOffer { get; private set; }
        public string OtaChunkRequest { get; private set; }
        public string OtaChunk { get; private set; }
        public string OtaStatus { get; private set; }
    }
}
