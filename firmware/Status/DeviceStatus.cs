using SmartKey.Firmware.Battery;
using SmartKey.Firmware.Lock;

namespace SmartKey.Firmware.Status
{
    /// <summary>A snapshot of what the device knows about itself, for the console, the simulator and tests (StatusReport takes it).</summary>
    public sealed class DeviceStatus
    {
        public string FirmwareVersion;
        public bool Provisioned;
        public int Bindings;
        public bool HasOwner;
        public LockState Lock;
        public bool DoorClosed;
        public bool HasDoorSensor;
        public int BatteryMillivolts;
        public int BatteryPercent;
        public BatteryState Battery;
        public long UptimeMilliseconds;
        public long UnixSeconds;
        public bool Advertising;
        public string AdvertisedNonceHex;

        public override string ToString()
        {
            return "firmware " + FirmwareVersion
                + (Provisioned ? ", provisioned" : ", not provisioned")
                + ", " + Bindings.ToString() + " key(s)" + (HasOwner ? "" : " (no owner: pairing open)")
                + ", lock " + LockName(Lock)
                + (HasDoorSensor ? (DoorClosed ? ", door closed" : ", door open") : ", no door sensor")
                + ", battery " + BatteryMillivolts.ToString() + " mV " + BatteryPercent.ToString() + "% " + BatteryName(Battery)
                + ", uptime " + UptimeMilliseconds.ToString() + " ms"
                + ", advertising " + (Advertising ? "on (nonce " + AdvertisedNonceHex + ")" : "off");
        }

        // enum.ToString() gives the number on nanoFramework.
        public static string LockName(LockState state)
        {
            switch (state)
            {
                case LockState.Locked: return "locked";
                case LockState.Unlocked: return "unlocked";
                case LockState.Locking: return "locking";
                case LockState.Unlocking: return "unlocking";
                case LockState.Jammed: return "JAMMED";
                default: return "unknown";
            }
        }

        public static string BatteryName(BatteryState state)
        {
            switch (state)
            {
                case BatteryState.Low: return "LOW";
                case BatteryState.Critical: return "CRITICAL";
                default: return "ok";
            }
        }
    }
}
