using System;
using System.Threading;
using SmartKey.Firmware.Boot;
using SmartKey.Firmware.Config;
using SmartKey.Hal;
using SmartKey.Hal.Simulated;

namespace SmartKey.Simulator;

/// <summary>
/// The real firmware core running on simulated hardware, with the device's main loop: Poll every
/// simulated 10 ms while awake; deep sleep until the timer, the button or the door wakes it; every
/// restart (wake, reboot, power cut) builds a fresh core on the same hardware, as the runtime restarts
/// from Main on the device.
/// </summary>
public sealed class SimulatedDevice
{
    private long _wakeAtMs = -1;

    public SimulatedDevice(DeviceConfig config, ulong seed = 1, string? flashImagePath = null, IMqttLink? mqtt = null)
    {
        Config = config;
        Hardware = new SimulatedHardware(new SimulatedHardwareOptions
        {
            Seed = seed,
            FlashSectors = config.FlashSectors,
            FlashSectorSize = config.FlashSectorSize,
            FlashImagePath = flashImagePath,
            DividerTopOhms = config.DividerTopOhms,
            DividerBottomOhms = config.DividerBottomOhms,
            AdcFullScaleMillivolts = config.AdcFullScaleMillivolts,
            HasDoorSensor = config.DoorContactPin >= 0,
            FirmwareVersion = config.FirmwareVersion,
        });
        if (mqtt != null) Hardware.MqttLink = mqtt;
        Core = new SmartKeyDevice(Hardware.Bundle(), config);
    }

    public DeviceConfig Config { get; }

    public SimulatedHardware Hardware { get; }

    public SmartKeyDevice Core { get; private set; }

    public int Boots { get; private set; }

    public bool Asleep { get; private set; }

    /// <summary>Called after every boot (the simulator hooks its transports to the fresh core here).</summary>
    public event Action<SmartKeyDevice>? Booted;

    /// <summary>Images whose payload contains this never finish booting (a crash loop): the watchdog resets, and MCUboot reverts.</summary>
    public static readonly byte[] CrashMarker = System.Text.Encoding.ASCII.GetBytes("SIMULATED-CRASH");

    public int Crashes { get; private set; }

    public void Boot()
    {
        if (Hardware.Slots.State == SlotState.Testing && Hardware.Slots.PrimaryImage.AsSpan().IndexOf(CrashMarker) >= 0)
        {
            Crashes++;
            Hardware.Reset(WakeCause.Reboot);       // the test image dies before confirming; the next reset reverts it
        }

        Core.Detach();
        Core = new SmartKeyDevice(Hardware.Bundle(), Config);
        Asleep = false;
        Boots++;
        Run(() => Core.Boot());
        Booted?.Invoke(Core);
    }

    /// <summary>Runs firmware code; a deep sleep or reboot it triggers is carried out here.</summary>
    public void Run(Action firmwareWork)
    {
        try
        {
            firmwareWork();
        }
        catch (DeviceRestartException restart)
        {
            if (restart.IsDeepSleep)
            {
                Asleep = true;
                Core.Detach();
                Hardware.Ble.StopAdvertising();
                _wakeAtMs = (restart.WakeSources & WakeSources.Timer) != 0 ? Hardware.Clock.ElapsedMilliseconds + restart.TimerMilliseconds : -1;
            }
            else
            {
                Hardware.Reset(WakeCause.Reboot);
                Boot();
            }
        }
    }

    /// <summary>Lets simulated time pass: the main loop runs while awake, the sleep timer wakes the device.</summary>
    public void Advance(long milliseconds)
    {
        long end = Hardware.Clock.ElapsedMilliseconds + milliseconds;
        while (Hardware.Clock.ElapsedMilliseconds < end)
        {
            if (Asleep)
            {
                long until = _wakeAtMs >= 0 && _wakeAtMs < end ? _wakeAtMs : end;
                Hardware.Sleep(until - Hardware.Clock.ElapsedMilliseconds);
                if (_wakeAtMs >= 0 && Hardware.Clock.ElapsedMilliseconds >= _wakeAtMs) Wake(WakeCause.Timer);
                continue;
            }

            long step = Math.Min(SimulatedHardware.StepMs, end - Hardware.Clock.ElapsedMilliseconds);
            // A real broker answers in real time: while the lock is connected to one, simulated time runs no faster.
            if (Hardware.MqttLink is not SimMqttLink && Core.Uplink.Active && Hardware.MqttLink.IsConnected) Thread.Sleep((int)step);
            Hardware.Advance(step);
            long before = EstimatedIl();
            Run(() => Core.Poll());
            ChargeCpuTime(EstimatedIl() - before);
        }
    }

    /// <summary>
    /// When above 0, each turn of the main loop also takes the device time of its crypto work, estimated as
    /// IL opcodes at this many µs each (0.84: the slow end of the ESP32 estimate): the physical world and the
    /// phone's clock run on while the firmware computes, as on the device. 0: the host's instant crypto.
    /// </summary>
    public double MicrosecondsPerIl { get; set; }

    /// <summary>IL per counted field multiplication or squaring, point code around it included (the IL meter's pairing figure).</summary>
    public const long IlPerFieldOperation = 1760;

    /// <summary>IL per SHA-256 compression (the IL meter's figure).</summary>
    public const long IlPerSha256Block = 6725;

    /// <summary>The largest estimated IL of one turn of the main loop so far (the longest stall of the button and end-stops).</summary>
    public long LongestPollIl { get; set; }

    private static long EstimatedIl() =>
        SmartKey.Firmware.Crypto.CryptoCounters.FieldOperations * IlPerFieldOperation + SmartKey.Firmware.Crypto.CryptoCounters.Sha256Compressions * IlPerSha256Block;

    private void ChargeCpuTime(long il)
    {
        if (il > LongestPollIl) LongestPollIl = il;
        if (MicrosecondsPerIl <= 0 || il <= 0) return;
        Hardware.Advance((long)Math.Ceiling(il * MicrosecondsPerIl / 1000));
    }

    /// <summary>Keeps polling until the condition holds or the time limit passes; false on time-out.</summary>
    public bool RunUntil(Func<bool> condition, long limitMs)
    {
        long end = Hardware.Clock.ElapsedMilliseconds + limitMs;
        while (!condition())
        {
            if (Hardware.Clock.ElapsedMilliseconds >= end) return false;
            Advance(SimulatedHardware.StepMs);
        }

        return true;
    }

    /// <summary>A short press of the button: wakes the device if it sleeps, and the firmware sees press and release.</summary>
    public void PressButton(long holdMs = 150)
    {
        Hardware.Button.Set(true);
        if (Asleep) Wake(WakeCause.Button);
        Advance(holdMs);
        Hardware.Button.Set(false);
        Advance(SimulatedHardware.StepMs * 2);
    }

    /// <summary>Someone touches the handle (the door/handle wake input): wakes a sleeping lock without moving the bolt.</summary>
    public void Touch()
    {
        if (Asleep) Wake(WakeCause.Door);
        else Advance(SimulatedHardware.StepMs);
    }

    public void Wake(WakeCause cause)
    {
        Hardware.Reset(cause);
        _wakeAtMs = -1;
        Boot();
    }

    /// <summary>Power returns after a cut: the flash is powered again and the core boots from scratch.</summary>
    public void PowerOnAfterCut()
    {
        Hardware.Reset(WakeCause.PowerOn);
        Boot();
    }
}
