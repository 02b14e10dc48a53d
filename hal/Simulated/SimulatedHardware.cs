using System;
using System.Text;

namespace SmartKey.Hal.Simulated;

/// <summary>
/// One simulated SmartKey: every hal part, the physics that ties them together (motor moves the bolt,
/// the motor's current sags the battery, time drains it) and the power model. Deterministic for a seed.
/// The firmware gets Bundle; the simulation and tests drive the parts directly.
/// </summary>
public sealed class SimulatedHardware
{
    public const int StepMs = 10;

    public SimulatedHardware(SimulatedHardwareOptions options)
    {
        Options = options;
        Clock = new SimClock(options.UnixSecondsAtStart);
        Entropy = new SeededEntropy(options.Seed);
        Flash = new NorFlash(options.FlashSectorSize, options.FlashSectors, options.FlashImagePath, options.Seed ^ 0xF1A5);
        Mechanism = new SimLockMechanism(options.BoltTravelMs, startLocked: true);
        Door = options.HasDoorSensor ? new SimInput(true) : null;
        Button = new SimInput(false);
        Led = new SimLed();
        Battery = SimBattery.FourAaAlkaline(options.DividerTopOhms, options.DividerBottomOhms, options.AdcFullScaleMillivolts);
        Ble = new SimBleLink();
        Console = new SimSerialConsole();
        Mqtt = new SimMqttLink();
        MqttLink = Mqtt;
        Slots = new SimFirmwareSlots(Encoding.ASCII.GetBytes("SMARTKEY-FW " + options.FirmwareVersion));
        Aes = new HostAesBlock();
        Hmac = new HostHmacSha256();
        Power = new SimPower();
        PowerModel = new SimPowerModel();
        Battery.LoadMilliamps = () => (int)PowerModel.MilliampsOf(CurrentPowerState);
        // The in-process link connects instantly; a real window pays for Wi-Fi association, DHCP and the TLS
        // handshake first: about 4 s at the Wi-Fi current (Espressif's connection-time figures for ESP32).
        Mqtt.Connected += () => Battery.Drain(PowerModel.Spend(PowerState.WifiActive, WifiConnectMs));
    }

    public const int WifiConnectMs = 4000;

    public SimulatedHardwareOptions Options { get; }
    public SimClock Clock { get; }
    public SeededEntropy Entropy { get; }
    public NorFlash Flash { get; }
    public SimLockMechanism Mechanism { get; }
    public SimInput? Door { get; }
    public SimInput Button { get; }
    public SimLed Led { get; }
    public SimBattery Battery { get; }
    public SimBleLink Ble { get; }
    public SimSerialConsole Console { get; }
    public SimMqttLink Mqtt { get; }
    public SimFirmwareSlots Slots { get; }
    public HostAesBlock Aes { get; }
    public HostHmacSha256 Hmac { get; }
    public SimPower Power { get; }
    public SimPowerModel PowerModel { get; }

    /// <summary>The MQTT link the firmware gets: the in-process stand-in, or a HostMqttLink to a real broker.</summary>
    public IMqttLink MqttLink { get; set; }

    /// <summary>Wi-Fi is on while the MQTT link is connected (for the power model).</summary>
    public bool WifiOn => MqttLink.IsConnected;

    public bool Asleep { get; set; }

    public HalBundle Bundle() => new()
    {
        Clock = Clock,
        RealTimeClock = Clock,
        Entropy = Entropy,
        Flash = Flash,
        Motor = Mechanism,
        LockedEndStop = Mechanism.LockedEndStop,
        UnlockedEndStop = Mechanism.UnlockedEndStop,
        DoorSensor = Door,
        Button = Button,
        Led = Led,
        BatteryAdc = Battery,
        Ble = Ble,
        Console = Console,
        Mqtt = MqttLink,
        FirmwareSlots = Slots,
        Aes = Aes,
        Hmac = Hmac,
        Power = Power,
    };

    public PowerState CurrentPowerState =>
        Asleep ? PowerState.DeepSleep
        : Mechanism.Drive != MotorDrive.Stop ? PowerState.MotorRunning
        : WifiOn ? PowerState.WifiActive
        : Ble.IsConnected ? PowerState.BleConnected
        : Ble.IsAdvertising ? PowerState.BleAdvertising
        : PowerState.AwakeIdle;

    /// <summary>Runs the physical world forward in steps of at most StepMs; onStep lets the firmware react in between.</summary>
    public void Advance(long milliseconds, Action? onStep = null)
    {
        while (milliseconds > 0)
        {
            long step = Math.Min(StepMs, milliseconds);
            var state = CurrentPowerState;
            Battery.Drain(PowerModel.Spend(state, step));
            Clock.Advance(step);
            Mechanism.Advance(step);
            Ble.AdvanceTo(Clock.ElapsedMilliseconds);
            milliseconds -= step;
            onStep?.Invoke();
        }
    }

    /// <summary>Long idle stretches (deep sleep) in one accounting step: no physics happens while asleep.</summary>
    public void Sleep(long milliseconds)
    {
        Asleep = true;
        Battery.Drain(PowerModel.Spend(PowerState.DeepSleep, milliseconds));
        Clock.Advance(milliseconds);
        Ble.AdvanceTo(Clock.ElapsedMilliseconds);
        Asleep = false;
    }

    /// <summary>A reset as the device sees it: power returns, the bootloader runs, uptime restarts.</summary>
    public void Reset(WakeCause cause)
    {
        Flash.PowerOn();
        Slots.BootloaderReset();
        Clock.Reboot();
        if (Ble.IsConnected) Ble.PhoneDisconnect();
        Ble.StopAdvertising();
        Mechanism.SetDrive(MotorDrive.Stop);
        Power.LastWakeCause = cause;
    }
}
