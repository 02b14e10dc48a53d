using SmartKey.Firmware.Battery;
using SmartKey.Firmware.Commands;
using SmartKey.Firmware.Pairing;
using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Session;
using SmartKey.Firmware.Config;
using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Link;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Power;
using SmartKey.Firmware.Settings;
using SmartKey.Firmware.Storage;
using SmartKey.Firmware.Telemetry;
using SmartKey.Firmware.Text;
using SmartKey.Hal;

namespace SmartKey.Firmware.Boot
{
    /// <summary>
    /// The composition root: the one place that wires the firmware core onto a hal bundle. The device's
    /// Program (ESP32 hal) and the simulator (Simulated hal) both boot the product through this class.
    /// The constructor does no I/O. Boot() is the short wake path (mount the record store, finish an
    /// interrupted factory reset, load identity, settings and keys, read the battery, advertise); Poll()
    /// is called from the main loop and never blocks.
    /// </summary>
    public sealed class SmartKeyDevice
    {
        public const int FactoryResetHoldMs = 10000;
        public const int OwnerPairingWindowMs = 120000;
        public const int MaxMessage = 1024;
        public const int ReassemblyTimeoutMs = 2000;
        public const int TimerWakeWindowSeconds = 2;

        private readonly HalBundle _hal;
        private readonly DeviceConfig _config;
        private readonly FlashLayout _layout;
        private long _resetHoldStartedMs = -1;
        private long _nextBatterySampleMs;
        private long _buttonDownMs = -1;
        private long _presenceUntilMs = -1;
        private SmartKey.Firmware.Console.ServiceConsole _console;
        private long _ownerPairingUntilMs = -1;

        public SmartKeyDevice(HalBundle hal, DeviceConfig config)
        {
            if (hal == null) throw new System.ArgumentNullException("hal");
            if (config == null) throw new System.ArgumentNullException("config");
            _hal = hal;
            _config = config;
            _layout = new FlashLayout(hal.Flash.SectorCount, hal.Flash.SectorSize, config.LogMaxEntries);
            Store = new RecordStore(hal.Flash, _layout.RecordFirstSector, _layout.RecordSectorCount);
            Log = new UnlockLog(hal.Flash, _layout.LogFirstSector, _layout.LogSectorCount, config.LogMaxEntries, config.LogMaxAgeDays);
            Bindings = new BindingStore(Store, config.MaxBindings);
            Reset = new FactoryReset(Store, Log, hal.Ble, hal.Mqtt);
            Battery = new BatteryMonitor(hal.BatteryAdc, hal.Motor, hal.Clock, config);
            Lock = new LockController(hal.Motor, hal.LockedEndStop, hal.UnlockedEndStop, hal.DoorSensor, hal.Clock, config.MotorTimeoutMs);
            Power = new PowerManager(hal.Power, hal.Clock, hal.RealTimeClock);
            AdvertisedNonce = new AdvertisedNonce(hal.Entropy, hal.Clock);
            Lock.Completed += OnLockCompleted;
            _console = new SmartKey.Firmware.Console.ServiceConsole(hal.Console, this);
            Lockout = new PairingLockout(Store);
            Link = new BleLink(hal.Ble, hal.Clock, MaxMessage, ReassemblyTimeoutMs);
            Pairing = new PairingService(Lockout, Bindings, hal.Entropy, hal.RealTimeClock, hal.Clock);
            Commands = new CommandProcessor(this);
            Sessions = new DeviceSessionManager(this, Link, Pairing, Commands, hal.Ble, hal.Aes, hal.Clock, MaxMessage);
            Ota = new UpdateAgent(hal.FirmwareSlots, Store, config.HardwareId);
            Commands.Ota = new BleOtaCommands(Ota);
            Errors = new ErrorCounters(Store);
            Telemetry = new TelemetryQueue(Store);
            Uplink = new Uplink(this, hal.Mqtt, config.MqttTopicPrefix);
            Ota.StatusChanged += OnOtaStatus;
            hal.Ble.ConnectionChanged += OnConnectionChanged;
        }

        public PairingLockout Lockout { get; private set; }

        public UpdateAgent Ota { get; private set; }

        public ErrorCounters Errors { get; private set; }

        public TelemetryQueue Telemetry { get; private set; }

        public Uplink Uplink { get; private set; }

        /// <summary>The running image's version as the bootloader reports it, else nf.config's.</summary>
        public string FirmwareVersion
        {
            get
            {
                string running = _hal.FirmwareSlots.RunningVersion;
                return running ?? _config.FirmwareVersion;
            }
        }

        public BleLink Link { get; private set; }

        public PairingService Pairing { get; private set; }

        public CommandProcessor Commands { get; private set; }

        public DeviceSessionManager Sessions { get; private set; }

        public long UnixSeconds
        {
            get { return _hal.RealTimeClock.UnixSeconds; }
        }

        /// <summary>0 closed, 1 open, 2 no door contact (as in the Status response).</summary>
        public int DoorState
        {
            get { return _hal.DoorSensor == null ? 2 : _hal.DoorSensor.IsActive ? 0 : 1; }
        }

        /// <summary>Pairing is open with no owner; for another owner, during an owner's window or after a button press.</summary>
        public bool PairingAllowed
        {
            get
            {
                return !Bindings.HasOwner || PhysicalPresence
                    || (_ownerPairingUntilMs >= 0 && _hal.Clock.UptimeMilliseconds < _ownerPairingUntilMs);
            }
        }

        public void FillRandom(byte[] buffer)
        {
            _hal.Entropy.Fill(buffer, 0, buffer.Length);
        }

        public void SetClock(long unixSeconds)
        {
            _hal.RealTimeClock.SetUnixSeconds(unixSeconds);
            Record(LogAction.ClockSet, LogTrigger.Phone, 0, ErrorCode.Ok);
        }

        public void ApplySettings(SmartKey.Firmware.Settings.DeviceSettings settings)
        {
            Settings = settings;
            Lock.AutoLockDelaySeconds = settings.AutoLockDelaySeconds;
            Log.MaxAgeDays = settings.LogRetentionDays;
            Errors.Enabled = settings.ErrorReportsAllowed;
            if (!settings.ErrorReportsAllowed) Errors.Clear();
        }

        /// <summary>An owner opens a window for pairing another owner; returns its length in ms.</summary>
        public int AllowOwnerPairing()
        {
            _ownerPairingUntilMs = _hal.Clock.UptimeMilliseconds + OwnerPairingWindowMs;
            return OwnerPairingWindowMs;
        }

        public void OnPairingFinished(byte result, byte bindingId)
        {
            if (result == ErrorCode.Ok)
            {
                _ownerPairingUntilMs = -1;
                Record(LogAction.Paired, LogTrigger.Phone, bindingId, ErrorCode.Ok);
                _hal.Led.Show(LedPattern.Off);
            }
            else if (result == ErrorCode.WrongSetupCode)
            {
                Record(LogAction.PairingFailed, LogTrigger.Phone, LogTrigger.NoBinding, result);
            }
        }

        private void OnConnectionChanged(object sender, bool connected)
        {
            Power.NoteActivity();
            if (!connected)
            {
                StartAdvertisingWindow();
                Power.ShortenWindow();
            }
        }

        /// <summary>Physical presence: a button press in the last two minutes (pairing another owner, lifting a pairing lock-out).</summary>
        public bool PhysicalPresence
        {
            get { return _presenceUntilMs >= 0 && _hal.Clock.UptimeMilliseconds < _presenceUntilMs; }
        }

        /// <summary>Unhooks from the hal's events (the simulator's restarts; a real restart clears everything anyway).</summary>
        public void Detach()
        {
            Lock.Completed -= OnLockCompleted;
            _console.Detach();
            Link.Detach();
            Sessions.Detach();
            Uplink.Detach();
            Ota.StatusChanged -= OnOtaStatus;
            _hal.Ble.ConnectionChanged -= OnConnectionChanged;
        }

        public DeviceConfig Config
        {
            get { return _config; }
        }

        public RecordStore Store { get; private set; }

        public UnlockLog Log { get; private set; }

        public BindingStore Bindings { get; private set; }

        public FactoryReset Reset { get; private set; }

        public BatteryMonitor Battery { get; private set; }

        public LockController Lock { get; private set; }

        public PowerManager Power { get; private set; }

        public DeviceIdentity Identity { get; private set; }

        public DeviceSettings Settings { get; private set; }

        public bool IsBooted { get; private set; }

        /// <summary>Records and bytes read from flash between wake and advertising (the short boot path).</summary>
        public long BootBytesRead { get; private set; }

        public bool ButtonHeld
        {
            get { return _hal.Button.IsActive; }
        }

        /// <summary>The nonce in the advertisement; a session that opens with it spends it (Draw).</summary>
        public AdvertisedNonce AdvertisedNonce { get; private set; }

        public StoreResult Boot()
        {
            _hal.Motor.SetDrive(MotorDrive.Stop);
            StoreResult mounted = Store.Mount();
            if (mounted == StoreResult.Ok) mounted = Log.Mount();
            if (mounted == StoreResult.Ok) mounted = Reset.ResumeIfPending();
            LoadState();
            Lock.RearmAutoLock(_hal.Power.LastWakeCause == WakeCause.Timer);
            Battery.Sample();
            PrepareOta();
            Ota.OnBoot(mounted == StoreResult.Ok && SelfTest());
            if (Ota.State == OtaState.Confirmed) Record(LogAction.FirmwareUpdated, LogTrigger.System, 0, ErrorCode.Ok);
            if (Ota.State == OtaState.Confirmed || Ota.State == OtaState.Reverted || Ota.State == OtaState.Failed)
            {
                Uplink.OpenWindow(_hal.Clock.UptimeMilliseconds);     // the server learns how the test boot ended
            }
            if (Store.CorruptRecords > 0) Errors.Count(ErrorCode.StorageError);
            // Deep sleep restarts the battery filter: compare with what the backend last heard.
            if (Telemetry.ClaimDailyReport(_hal.RealTimeClock.UnixSeconds, Power.DailyWindowOffsetSeconds) || (Identity != null && Battery.State != Telemetry.LastReportedBattery)) ReportTelemetry();
            BootBytesRead = Store.BytesRead + Log.BytesRead;

            _hal.Ble.SetFirmwareRevision(FirmwareVersion);
            _hal.Ble.SetBatteryLevel(Battery.Percent);
            // A timer wake (auto-lock, daily jobs) does its job and sleeps again; a person's wake advertises.
            bool timerWake = _hal.Power.LastWakeCause == WakeCause.Timer;
            Power.StartWindow(timerWake ? TimerWakeWindowSeconds : Battery.State == BatteryState.Critical ? 10 : Settings.AdvertisingWindowSeconds);
            Power.DailyWindowOffsetSeconds = Identity == null ? 0 : PowerManager.DailyWindowOffsetFor(Identity.Serial);
            StartAdvertisingWindow();
            _hal.Led.Show(Bindings.HasOwner ? LedPattern.Off : LedPattern.BlinkSlow);
            if (_hal.Button.IsActive && _hal.Power.LastWakeCause == WakeCause.PowerOn)
            {
                _resetHoldStartedMs = _hal.Clock.UptimeMilliseconds;     // held at power-up: maybe a factory reset
                _hal.Led.Show(LedPattern.BlinkFast);
            }

            _nextBatterySampleMs = _hal.Clock.UptimeMilliseconds + 60000;
            IsBooted = true;
            return mounted;
        }

        private void LoadState()
        {
            Identity = IdentityStore.Load(Store);
            Settings = SettingsStore.Load(Store, _config);
            Bindings.Load();
            Lockout.Load();
            Errors.Enabled = Settings.ErrorReportsAllowed;
            Errors.Load();
            Lock.AutoLockDelaySeconds = Settings.AutoLockDelaySeconds;
            Log.MaxAgeDays = Settings.LogRetentionDays;
        }

        /// <summary>One turn of the main loop. Returns false when the device went to sleep (never on the device).</summary>
        public bool Poll()
        {
            long now = _hal.Clock.UptimeMilliseconds;
            Lock.Poll();
            if (_resetHoldStartedMs >= 0)
            {
                if (!_hal.Button.IsActive)
                {
                    _resetHoldStartedMs = -1;
                    _hal.Led.Show(Bindings.HasOwner ? LedPattern.Off : LedPattern.BlinkSlow);
                }
                else if (now - _resetHoldStartedMs >= FactoryResetHoldMs)
                {
                    _resetHoldStartedMs = -1;
                    RunFactoryReset();
                }
            }

            PollButton(now);
            _console.Poll();
            Sessions.Poll();
            if (now >= _nextBatterySampleMs)
            {
                _nextBatterySampleMs = now + 60000;
                if (Battery.Sample())
                {
                    _hal.Ble.SetBatteryLevel(Battery.Percent);
                    ReportTelemetry();                              // LOW and CRITICAL reach the backend at once
                }
            }

            Uplink.Poll(now);
            bool busy = Lock.IsMoving || _hal.Ble.IsConnected || _resetHoldStartedMs >= 0 || Uplink.Active;
            if (Ota.RebootRequested && !busy)
            {
                _hal.Power.Reboot();            // into the image marked for its test boot (or back after a revert)
                return false;
            }

            if (Power.ShouldSleep(busy))
            {
                Power.Sleep(Lock.AutoLockDueInMs, _hal.DoorSensor != null);
                return false;
            }

            return true;
        }

        /// <summary>A short press toggles the lock (the button is on the inside) and counts as physical presence.</summary>
        private void PollButton(long now)
        {
            if (_resetHoldStartedMs >= 0) return;
            if (_hal.Button.IsActive)
            {
                if (_buttonDownMs < 0) _buttonDownMs = now;
                return;
            }

            if (_buttonDownMs < 0) return;
            long held = now - _buttonDownMs;
            _buttonDownMs = -1;
            _presenceUntilMs = now + 120000;
            if (Lockout.IsCapped) Lockout.Clear();              // a press lifts the pairing cap
            Power.NoteActivity();
            if (held < 2000)
            {
                LockCommand command = Lock.State == LockState.Locked ? LockCommand.Unlock : LockCommand.Lock;
                Lock.Request(command, LogTrigger.Button, LogTrigger.NoBinding);
            }
        }

        /// <summary>Factory reset (owner command or long button hold); afterwards the device is back in pairing mode.</summary>
        public StoreResult RunFactoryReset()
        {
            StoreResult result = Reset.Run();
            LoadState();
            StartAdvertisingWindow();
            _hal.Led.Show(LedPattern.BlinkSlow);
            return result;
        }

        /// <summary>An owner's Wi-Fi network for the uplink windows (kept by the network stack, forgotten by a factory reset).</summary>
        public bool SetWifiCredentials(string ssid, string password)
        {
            if (!_hal.Mqtt.SetWifiCredentials(ssid, password)) return false;
            Uplink.NetworkChanged(_hal.Clock.UptimeMilliseconds);
            return true;
        }

        /// <summary>Factory provisioning from the service console.</summary>
        public StoreResult Provision(DeviceIdentity identity)
        {
            StoreResult result = IdentityStore.Save(Store, identity);
            if (result == StoreResult.Ok)
            {
                Identity = identity;
                Power.DailyWindowOffsetSeconds = PowerManager.DailyWindowOffsetFor(identity.Serial);
            }

            return result;
        }

        /// <summary>Starts a new advertising window with a fresh nonce (the old one can no longer start a session).</summary>
        public void StartAdvertisingWindow()
        {
            byte flags = 0;
            if (!Bindings.HasOwner) flags |= AdvertisementData.FlagUnowned;
            if (Battery.State != BatteryState.Ok) flags |= AdvertisementData.FlagBatteryLow;
            AdvertisedNonce.Advertise(_hal.Ble, flags);
        }

        /// <summary>Appends to the unlock log with the current time.</summary>
        public void Record(byte action, byte trigger, byte bindingId, byte result)
        {
            if (action == LogAction.AuthenticationFailed || action == LogAction.PairingFailed) CountError(result);
            LogEntry entry = new LogEntry();
            entry.UnixTime = (uint)_hal.RealTimeClock.UnixSeconds;
            entry.Action = action;
            entry.Trigger = trigger;
            entry.BindingId = bindingId;
            entry.Result = result;
            Log.Append(entry, _hal.RealTimeClock.UnixSeconds);
        }

        public DeviceStatus GetStatus()
        {
            var status = new DeviceStatus();
            status.FirmwareVersion = FirmwareVersion;
            status.Provisioned = Identity != null;
            status.Bindings = Bindings.Count;
            status.HasOwner = Bindings.HasOwner;
            status.Lock = Lock.State;
            status.HasDoorSensor = _hal.DoorSensor != null;
            status.DoorClosed = _hal.DoorSensor != null && _hal.DoorSensor.IsActive;
            status.BatteryMillivolts = Battery.Millivolts;
            status.BatteryPercent = Battery.Percent;
            status.Battery = Battery.State;
            status.UptimeMilliseconds = _hal.Clock.UptimeMilliseconds;
            status.UnixSeconds = _hal.RealTimeClock.UnixSeconds;
            status.Advertising = _hal.Ble.IsAdvertising;
            status.AdvertisedNonceHex = AdvertisedNonce.Value == null ? "" : Hex.Encode(AdvertisedNonce.Value);
            return status;
        }

        /// <summary>For the technician: storage health and counters, never keys or log contents.</summary>
        public string Diagnostics()
        {
            return "store sectors " + Store.UsedSectors.ToString()
                + ", corrupt records " + Store.CorruptRecords.ToString()
                + ", damaged keys " + Store.DamagedKeys.ToString()
                + ", uncommitted records " + Store.UncommittedRecords.ToString()
                + ", log sequence " + Log.LastSequence.ToString()
                + ", battery samples rejected " + Battery.RejectedSamples.ToString();
        }

        public const int ErrorBurst = 5;

        /// <summary>Queues a telemetry report and opens the uplink window (skipped on a critical battery: queued only).</summary>
        public void ReportTelemetry()
        {
            if (Identity == null) return;
            Telemetry.Enqueue(Battery.Percent, Battery.Millivolts, Battery.State);
            Uplink.OpenWindow(_hal.Clock.UptimeMilliseconds);
        }

        private void CountError(byte code)
        {
            Errors.Count(code);
            if (Errors.Total == ErrorBurst) ReportTelemetry();      // a burst of errors is reported without waiting for the day
        }

        private void OnOtaStatus(byte state, byte error, int offset, int size)
        {
            if (state == OtaState.Failed) CountError((byte)(100 + error));
        }

        /// <summary>Keeps the update agent's view of the lock current (keys, version, battery).</summary>
        public void PrepareOta()
        {
            Ota.TrustKeys = Identity == null ? null : Identity.OtaTrustKeys;
            Ota.RunningVersion = FirmwareVersion;
            Ota.BatteryAllowsOta = Battery.AllowsOta;
        }

        /// <summary>What a freshly booted image checks before it confirms itself: storage and crypto work.</summary>
        private bool SelfTest()
        {
            byte[] abc = new byte[] { 0x61, 0x62, 0x63 };
            byte[] digest = SmartKey.Firmware.Crypto.Sha256.Hash(abc);
            bool crypto = digest[0] == 0xBA && digest[1] == 0x78 && digest[31] == 0xAD;
            return crypto && Store.DamagedKeys == 0 && (Identity != null || !Store.Contains(RecordType.Identity, 0));
        }

        private void OnLockCompleted(byte action, byte trigger, byte bindingId, LockResult result)
        {
            if (result != LockResult.Ok) action = result == LockResult.Jammed ? LogAction.Jammed : action;
            Record(action, trigger, bindingId, result == LockResult.Jammed ? ErrorCode.LockJammed : (byte)result);
            if (result == LockResult.Jammed) CountError(ErrorCode.LockJammed);
            Battery.NoteMotorStopped();
            Power.NoteActivity();
            Sessions.OnLockCompleted(trigger, bindingId, result);
        }
    }
}
