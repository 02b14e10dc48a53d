using SmartKey.Firmware.Battery;
using SmartKey.Firmware.Config;
using SmartKey.Firmware.Link;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Text;
using SmartKey.Hal;

namespace SmartKey.Firmware.Boot
{
    /// <summary>
    /// The composition root: the one place that wires the firmware core onto a hal bundle. The device's
    /// Program (ESP32 hal) and the simulator (Simulated hal) both boot the product through this class.
    /// The constructor does no I/O; Boot() does the short wake path.
    /// </summary>
    public sealed class SmartKeyDevice
    {
        private readonly HalBundle _hal;
        private readonly DeviceConfig _config;
        private readonly BatteryVoltage _batteryVoltage;
        private byte[] _advertisedNonce;

        public SmartKeyDevice(HalBundle hal, DeviceConfig config)
        {
            if (hal == null) throw new System.ArgumentNullException("hal");
            if (config == null) throw new System.ArgumentNullException("config");
            _hal = hal;
            _config = config;
            _batteryVoltage = new BatteryVoltage(config);
        }

        public DeviceConfig Config
        {
            get { return _config; }
        }

        public bool IsBooted { get; private set; }

        public void Boot()
        {
            _hal.Motor.SetDrive(MotorDrive.Stop);
            _hal.Ble.SetFirmwareRevision(_config.FirmwareVersion);
            StartAdvertisingWindow();
            _hal.Led.Show(LedPattern.BlinkSlow);
            IsBooted = true;
        }

        /// <summary>Starts a new advertising window with a fresh nonce (the old one can no longer be used).</summary>
        public void StartAdvertisingWindow()
        {
            _advertisedNonce = new byte[AdvertisementData.NonceLength];
            _hal.Entropy.Fill(_advertisedNonce, 0, _advertisedNonce.Length);
            _hal.Ble.StartAdvertising(AdvertisementData.Build(AdvertisementData.FlagUnowned, _advertisedNonce));
        }

        public int ReadBatteryMillivolts()
        {
            return _batteryVoltage.ToMillivolts(_hal.BatteryAdc.ReadCount(), _hal.BatteryAdc.MaxCount);
        }

        public DeviceStatus GetStatus()
        {
            var status = new DeviceStatus();
            status.FirmwareVersion = _config.FirmwareVersion;
            status.Bolt = BoltSensor.Read(_hal.LockedEndStop, _hal.UnlockedEndStop);
            status.HasDoorSensor = _hal.DoorSensor != null;
            status.DoorClosed = _hal.DoorSensor != null && _hal.DoorSensor.IsActive;
            status.BatteryMillivolts = ReadBatteryMillivolts();
            status.UptimeMilliseconds = _hal.Clock.UptimeMilliseconds;
            status.UnixSeconds = _hal.RealTimeClock.UnixSeconds;
            status.Advertising = _hal.Ble.IsAdvertising;
            status.AdvertisedNonceHex = _advertisedNonce == null ? "" : Hex.Encode(_advertisedNonce);
            return status;
        }
    }
}
