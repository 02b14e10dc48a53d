using SmartKey.Firmware.Battery;
using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Power;
using SmartKey.Firmware.Settings;
using SmartKey.Hal;

namespace SmartKey.Firmware.Link
{
    /// <summary>
    /// When and what the lock advertises. A wake by a person advertises for the owner's window (10 s on a
    /// critical battery); a timer wake (auto-lock, daily jobs) only TimerWakeWindowSeconds. Every window
    /// starts with a fresh nonce (which then rotates while advertising: AdvertisedNonce), so an old advertisement can no longer open a session; when the phone hangs
    /// up the lock advertises anew and goes back to sleep soon.
    /// </summary>
    public sealed class AdvertisingWindow
    {
        public const int TimerWakeWindowSeconds = 2;
        public const int CriticalBatteryWindowSeconds = 10;
        /// <summary>Silent centrals dropped in one wake before the lock stops advertising until the next physical wake.</summary>
        public const int MaxSilentCentralsPerWake = 2;

        private readonly IBlePeripheral _ble;
        private readonly AdvertisedNonce _nonce;
        private readonly BindingStore _bindings;
        private readonly BatteryMonitor _battery;
        private readonly PowerManager _power;
        private readonly ActiveSettings _settings;
        private readonly RunningFirmware _firmware;
        private int _silentCentrals;

        public AdvertisingWindow(IBlePeripheral ble, AdvertisedNonce nonce, BindingStore bindings, BatteryMonitor battery, PowerManager power, ActiveSettings settings, RunningFirmware firmware)
        {
            _ble = ble;
            _nonce = nonce;
            _bindings = bindings;
            _battery = battery;
            _power = power;
            _settings = settings;
            _firmware = firmware;
        }

        /// <summary>At boot: the firmware revision for the GATT, the awake window for this wake, and the first advertisement.</summary>
        public void OpenAtBoot(WakeCause cause)
        {
            _ble.SetFirmwareRevision(_firmware.Version);
            bool timerWake = cause == WakeCause.Timer;
            _silentCentrals = 0;
            _power.StartWindow(timerWake ? TimerWakeWindowSeconds : _battery.State == BatteryState.Critical ? CriticalBatteryWindowSeconds : _settings.Current.AdvertisingWindowSeconds);
            Start();
        }

        /// <summary>Starts a new advertisement with a fresh nonce (the old one can no longer start a session).</summary>
        public void Start()
        {
            byte flags = 0;
            if (!_bindings.HasOwner) flags |= AdvertisementData.FlagUnowned;
            if (_battery.State != BatteryState.Ok) flags |= AdvertisementData.FlagBatteryLow;
            _nonce.Advertise(_ble, flags);
        }

        /// <summary>Subscribed to the radio's connection events (after the session manager's).</summary>
        public void OnConnectionChanged(object sender, bool connected)
        {
            _power.NoteActivity();
            if (!connected)
            {
                // A central that keeps connecting without a word would keep the lock awake all day: after a few,
                // the lock goes quiet until someone touches it (a sleeping lock cannot be reached over the air).
                if (_silentCentrals < MaxSilentCentralsPerWake) Start();
                else _ble.StopAdvertising();
                _power.ShortenWindow();
            }
        }

        /// <summary>Subscribed to the session manager: one more central that said nothing.</summary>
        public void OnSilentCentralDropped()
        {
            _silentCentrals++;
        }
    }
}
