using System;
using SmartKey.Firmware.Boot;
using SmartKey.Firmware.Config;
using SmartKey.Hal;
using SmartKey.Hal.Simulated;

namespace SmartKey.Simulator;

/// <summary>
/// The real firmware core running on simulated hardware. Restarts (deep sleep, reboot, power cut)
/// build a fresh core on the same hardware, exactly as the device's runtime restarts from Main.
/// </summary>
public sealed class SimulatedDevice
{
    public SimulatedDevice(DeviceConfig config, ulong seed = 1, string? flashImagePath = null)
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
        Core = new SmartKeyDevice(Hardware.Bundle(), config);
    }

    public DeviceConfig Config { get; }

    public SimulatedHardware Hardware { get; }

    public SmartKeyDevice Core { get; private set; }

    public int Boots { get; private set; }

    public void Boot()
    {
        Core = new SmartKeyDevice(Hardware.Bundle(), Config);
        Run(Core.Boot);
        Boots++;
    }

    /// <summary>Runs firmware code; a restart it triggers is carried out here.</summary>
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
                Hardware.Sleep(restart.TimerMilliseconds > 0 ? restart.TimerMilliseconds : 0);
                Hardware.Reset(WakeCause.Timer);
            }
            else
            {
                Hardware.Reset(WakeCause.Reboot);
            }

            Boot();
        }
    }

    /// <summary>Power returns after a cut: the flash is powered again and the core boots from scratch.</summary>
    public void PowerOnAfterCut()
    {
        Hardware.Reset(WakeCause.PowerOn);
        Boot();
    }

    public void Advance(long milliseconds) => Hardware.Advance(milliseconds);
}
