using System.IO;
using SmartKey.Firmware.Lock;
using SmartKey.Hal;
using SmartKey.Simulator;
using Xunit;

namespace SmartKey.Tests.Hal;

/// <summary>The composition root boots the real core on the simulated hal, and restarts boot it again.</summary>
public class SimulatorBootTests
{
    [Fact]
    public void BootShowsStateAndAdvertisesWithoutStableIdentifier()
    {
        var device = new SimulatedDevice(EmbeddedConfig.Load(), seed: 3);
        device.Boot();
        var status = device.Core.Status.Snapshot();
        Assert.Equal(LockState.Locked, status.Lock);
        Assert.False(status.Provisioned);
        Assert.True(status.Advertising);
        Assert.InRange(status.BatteryMillivolts, 6000, 6700);
        byte[] first = device.Hardware.Ble.AdvertisedServiceData!;
        Assert.Equal(10, first.Length);
        device.Core.Advertising.Start();
        Assert.NotEqual(first, device.Hardware.Ble.AdvertisedServiceData);
        Assert.Equal(MotorDrive.Stop, device.Hardware.Mechanism.Drive);
    }

    [Fact]
    public void DeepSleepRestartsTheCoreOnTheSameHardware()
    {
        var device = new SimulatedDevice(EmbeddedConfig.Load());
        device.Boot();
        device.Run(() => device.Hardware.Power.DeepSleep(WakeSources.Timer, 60_000));
        Assert.True(device.Asleep);
        device.Advance(60_000);
        Assert.Equal(2, device.Boots);
        Assert.Equal(WakeCause.Timer, device.Hardware.Power.LastWakeCause);
        Assert.Equal(60_000, device.Hardware.PowerModel.TimeInMs(SmartKey.Hal.Simulated.PowerState.DeepSleep));
    }

    [Fact]
    public void DemoRunsToTheEnd()
    {
        var output = new StringWriter();
        int exit = new Demo(output).Run(EmbeddedConfig.Load(), 1);
        Assert.True(exit == 0, output.ToString());
        Assert.Contains("Demo finished", output.ToString());
    }
}
