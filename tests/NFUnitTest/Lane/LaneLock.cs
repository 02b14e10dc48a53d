using SmartKey.Firmware.Boot;
using SmartKey.Firmware.Config;
using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Storage;
using SmartKey.Hal;
using SmartKey.NFUnitTest.Hal;

namespace SmartKey.NFUnitTest.Lane
{
    /// <summary>
    /// A whole lock on the interpreter: the firmware's composition root (SmartKeyDevice) on the lane's hal pieces and the
    /// repository's nf.config, with the device's main loop (Poll every 10 ms of test time). A deep sleep or a reboot ends
    /// the program as on the device; the lock then boots a fresh core on the same hardware.
    /// </summary>
    public sealed class LaneLock
    {
        public const int StepMs = 10;

        /// <summary>Battery ADC count for about 6 V on nf.config's divider: a full set of alkaline cells.</summary>
        public const int FullBatteryCount = 2400;

        public LaneLock(long unixSecondsNow)
        {
            Config = ReadConfig();
            Clock = new ManualClock(unixSecondsNow);
            Flash = new MemoryFlash(Config.FlashSectorSize, Config.FlashSectors);
            Bolt = new Bolt();
            Ble = new LoopbackBle();
            Mqtt = new OfflineMqtt();
            Power = new RestartingPower();
            Slots = new MemorySlots(new byte[] { 1 }, 0x20000);
            Power.LastWakeCause = WakeCause.PowerOn;
            Bundle = new HalBundle();
            Bundle.Clock = Clock;
            Bundle.RealTimeClock = Clock;
            Bundle.Entropy = new CountingEntropy(7);
            Bundle.Flash = Flash;
            Bundle.Motor = Bolt;
            Bundle.LockedEndStop = Bolt.LockedEndStop;
            Bundle.UnlockedEndStop = Bolt.UnlockedEndStop;
            Bundle.DoorSensor = Config.DoorContactPin >= 0 ? new SettableInput(true) : null;
            Bundle.Button = new SettableInput(false);
            Bundle.Led = new RecordingLed();
            Bundle.BatteryAdc = new FixedBatteryAdc(FullBatteryCount);
            Bundle.Ble = Ble;
            Bundle.Console = new SilentConsole();
            Bundle.Mqtt = Mqtt;
            Bundle.FirmwareSlots = Slots;
            Bundle.Aes = Ciphers.Aes();
            Bundle.Hmac = Ciphers.Hmac();
            Bundle.Power = Power;
            Boot();
        }

        public DeviceConfig Config { get; private set; }

        public HalBundle Bundle { get; private set; }

        public ManualClock Clock { get; private set; }

        public MemoryFlash Flash { get; private set; }

        public Bolt Bolt { get; private set; }

        public LoopbackBle Ble { get; private set; }

        public OfflineMqtt Mqtt { get; private set; }

        public RestartingPower Power { get; private set; }

        public MemorySlots Slots { get; private set; }

        public SmartKeyDevice Core { get; private set; }

        public bool Asleep { get; private set; }

        public int Boots { get; private set; }

        /// <summary>The factory's step: the serial, the setup code's verifier (w0, L) and the OTA trust key.</summary>
        public StoreResult Provision(string serial, byte[] w0, byte[] l, byte[] otaKey)
        {
            DeviceIdentity identity = new DeviceIdentity();
            identity.Serial = serial;
            identity.W0 = w0;
            identity.L = l;
            identity.OtaTrustKeys = new byte[][] { otaKey };
            return Core.Identity.Provision(identity);
        }

        /// <summary>Lets test time pass: the bolt moves, and the main loop runs every StepMs while the lock is awake.</summary>
        public void Advance(long milliseconds)
        {
            for (long spent = 0; spent < milliseconds; spent += StepMs)
            {
                Clock.Advance(StepMs);
                Bolt.Advance(StepMs);
                if (!Asleep)
                {
                    Run(false);
                }
            }
        }

        /// <summary>A press of the button wakes a sleeping lock (a fresh boot, as on the device).</summary>
        public void Wake()
        {
            if (Asleep)
            {
                Power.LastWakeCause = WakeCause.Button;
                Boot();
            }
        }

        public void Boot()
        {
            if (Core != null)
            {
                Core.Detach();
            }

            Clock.Reboot();
            Asleep = false;
            Boots++;
            Core = new SmartKeyDevice(Bundle, Config);
            Run(true);
        }

        private void Run(bool boot)
        {
            try
            {
                if (boot)
                {
                    Core.Boot();
                }
                else
                {
                    Core.Poll();
                }
            }
            catch (DeviceRestart restart)
            {
                if (restart.IsDeepSleep)
                {
                    Asleep = true;
                    Core.Detach();
                    Ble.StopAdvertising();
                }
                else
                {
                    Power.LastWakeCause = WakeCause.Reboot;
                    Boot();
                }
            }
        }

        private static DeviceConfig ReadConfig()
        {
            byte[] bytes = LaneFiles.Read("nf.config");
            char[] chars = new char[bytes.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[i] = (char)bytes[i];
            }

            DeviceConfig config;
            ConfigError error;
            if (!DeviceConfig.TryParse(new string(chars), out config, out error))
            {
                throw new System.Exception("nf.config does not parse at line " + error.Line.ToString());
            }

            return config;
        }
    }
}
