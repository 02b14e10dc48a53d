using SmartKey.Firmware.Battery;
using SmartKey.Firmware.Button;
using SmartKey.Firmware.Commands;
using SmartKey.Firmware.Config;
using SmartKey.Firmware.Console;
using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Link;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Pairing;
using SmartKey.Firmware.Power;
using SmartKey.Firmware.Reset;
using SmartKey.Firmware.Session;
using SmartKey.Firmware.Settings;
using SmartKey.Firmware.Status;
using SmartKey.Firmware.Storage;
using SmartKey.Firmware.Telemetry;
using SmartKey.Hal;

namespace SmartKey.Firmware.Boot
{
    /// <summary>The composition root, and only that (Program and the simulator boot through it): builds the rooms on a hal bundle and nf.config
    /// without I/O, connects their events, and calls the wake path and, per main-loop turn, each room's Poll; each decision lives in a room (docs/architecture.md).</summary>
    public sealed class SmartKeyDevice
    {
        private readonly HalBundle _hal;
        private readonly ServiceConsole _console;
        private readonly BleLink _link;
        private readonly DoorContact _door;
        private readonly PushButton _button;
        private readonly ResetHold _resetHold;
        private readonly BatterySampling _batterySampling;
        private readonly PairingWindow _pairingWindow;

        public SmartKeyDevice(HalBundle hal, DeviceConfig config)
        {
            if (hal == null) throw new System.ArgumentNullException("hal");
            if (config == null) throw new System.ArgumentNullException("config");
            _hal = hal;
            FlashLayout layout = new FlashLayout(hal.Flash.SectorCount, hal.Flash.SectorSize, config.LogMaxEntries);
            Store = new RecordStore(hal.Flash, layout.RecordFirstSector, layout.RecordSectorCount);
            Log = new UnlockLog(hal.Flash, layout.LogFirstSector, layout.LogSectorCount, config.LogMaxEntries, config.LogMaxAgeDays);
            LogRecorder recorder = new LogRecorder(Log, hal.RealTimeClock);
            Bindings = new BindingStore(Store, config.MaxBindings);
            FactoryReset reset = new FactoryReset(Store, Log, hal.Ble, hal.Mqtt);
            Identity = new ProvisionedIdentity(Store);
            Settings = new ActiveSettings(Store, config);
            Firmware = new RunningFirmware(hal.FirmwareSlots, config.FirmwareVersion);
            Battery = new BatteryMonitor(hal.BatteryAdc, hal.Motor, hal.Clock, config);
            _batterySampling = new BatterySampling(Battery, hal.Ble, hal.Clock);
            Lock = new LockController(hal.Motor, hal.LockedEndStop, hal.UnlockedEndStop, hal.DoorSensor, hal.Clock, config.MotorTimeoutMs);
            _door = new DoorContact(hal.DoorSensor);
            Power = new PowerManager(hal.Power, hal.Clock, hal.RealTimeClock);
            AdvertisedNonce nonce = new AdvertisedNonce(hal.Entropy, hal.Clock);
            Advertising = new AdvertisingWindow(hal.Ble, nonce, Bindings, Battery, Power, Settings, Firmware);
            PairingLed pairingLed = new PairingLed(hal.Led, Bindings);
            _resetHold = new ResetHold(hal.Button, hal.Led, reset, hal.Clock);
            _button = new PushButton(hal.Button, _resetHold, Power);
            Status = new StatusReport(Firmware, Identity, Bindings, Lock, _door, Battery, nonce, Store, Log, hal.Ble, hal.Clock, hal.RealTimeClock);
            _console = new ServiceConsole(hal.Console, Status, Identity, _button);
            Lockout = new PairingLockout(Store);
            PairingWindow pairingWindow = new PairingWindow(Bindings, new OwnerInvite(hal.Entropy, hal.Clock), Identity, recorder, pairingLed, hal.Clock);
            _pairingWindow = pairingWindow;
            _link = new BleLink(hal.Ble, hal.Clock, Reassembler.DefaultMaxMessage, Reassembler.DefaultTimeoutMs);
            Ota = new UpdateAgent(hal.FirmwareSlots, Store, config.HardwareId);
            OtaPreparation otaPreparation = new OtaPreparation(Ota, Identity, Firmware, Battery);
            ErrorCounters errors = new ErrorCounters(Store);
            Telemetry = new TelemetryQueue(Store);
            Uplink = new Uplink(hal.Mqtt, config.MqttTopicPrefix, Identity, Firmware, Battery, Telemetry, errors, Settings, Ota, otaPreparation);
            Commands = new CommandProcessor(Bindings, Lock, _door, Battery, Log, recorder, Settings, pairingWindow, new WifiCredentials(hal.Mqtt, Uplink, hal.Clock), Firmware, hal.RealTimeClock, hal.Entropy);
            Commands.Ota = new BleOtaCommands(Ota, otaPreparation);
            PairingService pairing = new PairingService(Lockout, Bindings, pairingWindow, Identity, Store, hal.Entropy, hal.RealTimeClock, hal.Clock);
            FailedAttempts failures = new FailedAttempts(Log, recorder, Store, hal.RealTimeClock);
            Sessions = new DeviceSessionManager(_link, pairing, Commands, Bindings, nonce, Settings, recorder, failures, reset, Power, hal.Ble, hal.Aes, hal.Hmac, hal.Entropy, hal.Clock, Reassembler.DefaultMaxMessage);
            Reports = new TelemetryTriggers(Telemetry, errors, new ErrorWindowQuota(Store), Uplink, Identity, Battery, Power, hal.Clock, hal.RealTimeClock);
            PersistentState state = new PersistentState(Store, Log, reset, Identity, Settings, Bindings, Lockout, errors, Lock);
            TestBoot testBoot = new TestBoot(Ota, otaPreparation, new ImageSelfTest(Store, Identity), recorder);
            Wake = new WakePath(hal.Power, state, Store, Log, Lock, Battery, _batterySampling, Ota, testBoot, Reports, Advertising, Power, Identity, pairingLed, _resetHold);

            // Events go up; the order of subscription is the order the rooms hear them in.
            recorder.Recording += Reports.OnRecording;
            Lock.Stopped += Battery.NoteMotorStopped;
            Lock.Stopped += Power.NoteActivity;
            Lock.Completed += new LockJournal(recorder).OnCompleted;
            Lock.Completed += Reports.OnLockCompleted;
            Lock.Completed += Sessions.OnLockCompleted;
            Ota.StatusChanged += Reports.OnOtaStatus;
            _batterySampling.StateChanged += Reports.Report;
            Identity.Provisioned += Power.SpreadDailyWindow;
            Settings.Changed += state.Apply;
            _button.Pressed += Lockout.OnButtonPressed;
            _button.Pressed += new InsideButton(Lock).OnPressed;
            _resetHold.Released += pairingLed.ShowOwnership;
            reset.Completed += state.Load;
            reset.Completed += failures.Forget;
            reset.Completed += Ota.ForgetFailedImages;
            reset.Completed += Advertising.Start;
            reset.Completed += pairingLed.ShowPairingOpen;
            Sessions.SilentCentralDropped += Advertising.OnSilentCentralDropped;
            hal.Ble.ConnectionChanged += Advertising.OnConnectionChanged;
        }

        public RecordStore Store { get; private set; }
        public UnlockLog Log { get; private set; }
        public BindingStore Bindings { get; private set; }
        public ProvisionedIdentity Identity { get; private set; }
        public ActiveSettings Settings { get; private set; }
        public RunningFirmware Firmware { get; private set; }
        public BatteryMonitor Battery { get; private set; }
        public LockController Lock { get; private set; }
        public PowerManager Power { get; private set; }
        public AdvertisingWindow Advertising { get; private set; }
        public StatusReport Status { get; private set; }
        public PairingLockout Lockout { get; private set; }
        public UpdateAgent Ota { get; private set; }
        public TelemetryQueue Telemetry { get; private set; }
        public TelemetryTriggers Reports { get; private set; }
        public Uplink Uplink { get; private set; }
        public CommandProcessor Commands { get; private set; }
        public DeviceSessionManager Sessions { get; private set; }
        public WakePath Wake { get; private set; }

        public StoreResult Boot()
        {
            return Wake.Run();
        }

        /// <summary>One turn of the main loop; never blocks. False when the device went to sleep or rebooted (never on the device).</summary>
        public bool Poll()
        {
            long now = _hal.Clock.UptimeMilliseconds;
            Lock.Poll();
            _resetHold.Poll(now);
            _button.Poll(now);
            _console.Poll();
            Sessions.Poll();
            _batterySampling.Poll(now);
            Ota.Poll();
            Uplink.Poll(now);
            // An open owner invite keeps the lock awake: its one-time code lives in RAM, which a deep sleep loses.
            bool busy = Lock.IsMoving || _hal.Ble.IsConnected || _resetHold.IsRunning || Uplink.Active || Ota.IsVerifying || _pairingWindow.IsInvite;
            return Power.Rest(busy, Ota.RebootRequested, Lock.AutoLockDueInMs, _door.HasSensor);
        }

        /// <summary>Unhooks from the hal's events (the simulator's restarts; a real restart clears everything anyway).</summary>
        public void Detach()
        {
            _console.Detach();
            _link.Detach();
            Sessions.Detach();
            Uplink.Detach();
            _hal.Ble.ConnectionChanged -= Advertising.OnConnectionChanged;
        }
    }
}
