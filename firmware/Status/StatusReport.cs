using SmartKey.Firmware.Battery;
using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Link;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Storage;
using SmartKey.Firmware.Text;
using SmartKey.Hal;

namespace SmartKey.Firmware.Status
{
    /// <summary>What the technician (console), the device's start-up line and the simulator see of the lock: never keys or log contents.</summary>
    public sealed class StatusReport
    {
        private readonly RunningFirmware _firmware;
        private readonly ProvisionedIdentity _identity;
        private readonly BindingStore _bindings;
        private readonly LockController _lock;
        private readonly DoorContact _door;
        private readonly BatteryMonitor _battery;
        private readonly AdvertisedNonce _nonce;
        private readonly RecordStore _store;
        private readonly UnlockLog _log;
        private readonly IBlePeripheral _ble;
        private readonly IMonotonicClock _clock;
        private readonly IRealTimeClock _rtc;

        public StatusReport(RunningFirmware firmware, ProvisionedIdentity identity, BindingStore bindings, LockController lockController, DoorContact door, BatteryMonitor battery,
            AdvertisedNonce nonce, RecordStore store, UnlockLog log, IBlePeripheral ble, IMonotonicClock clock, IRealTimeClock rtc)
        {
            _firmware = firmware;
            _identity = identity;
            _bindings = bindings;
            _lock = lockController;
            _door = door;
            _battery = battery;
            _nonce = nonce;
            _store = store;
            _log = log;
            _ble = ble;
            _clock = clock;
            _rtc = rtc;
        }

        public DeviceStatus Snapshot()
        {
            var status = new DeviceStatus();
            status.FirmwareVersion = _firmware.Version;
            status.Provisioned = _identity.Current != null;
            status.Bindings = _bindings.Count;
            status.HasOwner = _bindings.HasOwner;
            status.Lock = _lock.State;
            status.HasDoorSensor = _door.HasSensor;
            status.DoorClosed = _door.IsClosed;
            status.BatteryMillivolts = _battery.Millivolts;
            status.BatteryPercent = _battery.Percent;
            status.Battery = _battery.State;
            status.UptimeMilliseconds = _clock.UptimeMilliseconds;
            status.UnixSeconds = _rtc.UnixSeconds;
            status.Advertising = _ble.IsAdvertising;
            status.AdvertisedNonceHex = _nonce.Value == null ? "" : Hex.Encode(_nonce.Value);
            return status;
        }

        /// <summary>For the technician: storage health and counters.</summary>
        public string Diagnostics()
        {
            return "store sectors " + _store.UsedSectors.ToString()
                + ", corrupt records " + _store.CorruptRecords.ToString()
                + ", damaged keys " + _store.DamagedKeys.ToString()
                + ", uncommitted records " + _store.UncommittedRecords.ToString()
                + ", log sequence " + _log.LastSequence.ToString()
                + ", battery samples rejected " + _battery.RejectedSamples.ToString();
        }
    }
}
