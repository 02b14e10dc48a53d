using SmartKey.Firmware.Battery;
using SmartKey.Firmware.Button;
using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Link;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Pairing;
using SmartKey.Firmware.Power;
using SmartKey.Firmware.Storage;
using SmartKey.Firmware.Telemetry;
using SmartKey.Hal;

namespace SmartKey.Firmware.Boot
{
    /// <summary>
    /// The short wake path, in its order: stop the motor, mount and load what flash keeps, re-arm the
    /// auto-lock, read the battery, finish an update's test boot, report what is due, and advertise. Every
    /// wake (button, door, timer, reboot, power-on) runs it, so it reads as little flash as it can.
    /// </summary>
    public sealed class WakePath
    {
        private readonly IPower _power;
        private readonly PersistentState _state;
        private readonly RecordStore _store;
        private readonly UnlockLog _log;
        private readonly LockController _lock;
        private readonly BatteryMonitor _battery;
        private readonly BatterySampling _batterySampling;
        private readonly UpdateAgent _ota;
        private readonly TestBoot _testBoot;
        private readonly TelemetryTriggers _reports;
        private readonly AdvertisingWindow _advertising;
        private readonly PowerManager _powerManager;
        private readonly ProvisionedIdentity _identity;
        private readonly PairingLed _pairingLed;
        private readonly ResetHold _resetHold;

        public WakePath(IPower power, PersistentState state, RecordStore store, UnlockLog log, LockController lockController, BatteryMonitor battery, BatterySampling batterySampling,
            UpdateAgent ota, TestBoot testBoot, TelemetryTriggers reports, AdvertisingWindow advertising, PowerManager powerManager, ProvisionedIdentity identity, PairingLed pairingLed, ResetHold resetHold)
        {
            _power = power;
            _state = state;
            _store = store;
            _log = log;
            _lock = lockController;
            _battery = battery;
            _batterySampling = batterySampling;
            _ota = ota;
            _testBoot = testBoot;
            _reports = reports;
            _advertising = advertising;
            _powerManager = powerManager;
            _identity = identity;
            _pairingLed = pairingLed;
            _resetHold = resetHold;
        }

        /// <summary>Bytes read from flash between wake and advertising (record store scan and unlock-log end search).</summary>
        public long BytesRead { get; private set; }

        public StoreResult Run()
        {
            _lock.StopMotorAtBoot();
            StoreResult mounted = _state.MountAndLoad();
            WakeCause cause = _power.LastWakeCause;
            _lock.RearmAutoLock(cause == WakeCause.Timer);
            _battery.Sample();
            _testBoot.Finish(mounted == StoreResult.Ok);
            _reports.AfterBoot(_ota.State, _store.CorruptRecords);
            BytesRead = _store.BytesRead + _log.BytesRead;
            _batterySampling.Start();
            _advertising.OpenAtBoot(cause);
            _powerManager.SpreadDailyWindow(_identity.Serial);
            _pairingLed.ShowOwnership();
            _resetHold.BeginIfHeldAtPowerUp(cause);
            return mounted;
        }
    }
}
