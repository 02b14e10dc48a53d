using SmartKey.Firmware.Lock;

namespace SmartKey.Firmware.Boot
{
    /// <summary>A snapshot of what the device knows about itself, for the console, the simulator and tests.</summary>
    public sealed class DeviceStatus
    {
        public string FirmwareVersion;
        public BoltPosition Bolt;
        public bool DoorClosed;
        public bool HasDoorSensor;
        public int BatteryMillivolts;
        public long UptimeMilliseconds;
        public long UnixSeconds;
        public bool Advertising;
        public string AdvertisedNonceHex;

        public override string ToString()
        {
            return "firmware " + FirmwareVersion
                + ", bolt " + BoltName(Bolt)
                + (HasDoorSensor ? (DoorClosed ? ", door closed" : ", door open") : ", no door sensor")
                + ", battery " + BatteryMillivolts.ToString() + " mV"
                + ", uptime " + UptimeMilliseconds.ToString() + " ms"
                + ", advertising " + (Advertising ? "on (nonce " + AdvertisedNonceHex + ")" : "off");
        }

        // enum.ToString() gives the number on nanoFramework.
        public static string BoltName(BoltPosition position)
        {
            switch (position)
            {
                case BoltPosition.Locked: return "locked";
                case BoltPosition.Unlocked: return "unlocked";
                case BoltPosition.Fault: return "fault";
                default: return "between";
            }
        }
    }
}
