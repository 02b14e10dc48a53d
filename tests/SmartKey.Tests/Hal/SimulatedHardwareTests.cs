using System.Linq;
using System.Text;
using SmartKey.Hal;
using SmartKey.Hal.Simulated;
using Xunit;

namespace SmartKey.Tests.Hal;

public class SimulatedHardwareTests
{
    [Fact]
    public void BoltTravelsToItsEndStopOrStallsAtAJam()
    {
        var bolt = new SimLockMechanism(travelMs: 800, startLocked: true);
        Assert.True(bolt.LockedEndStop.IsActive);
        int changes = 0;
        bolt.UnlockedEndStop.Changed += (_, active) => changes += active ? 1 : 0;
        bolt.SetDrive(MotorDrive.Retract);
        bolt.Advance(400);
        Assert.False(bolt.LockedEndStop.IsActive);
        Assert.False(bolt.UnlockedEndStop.IsActive);
        bolt.Advance(400);
        Assert.True(bolt.UnlockedEndStop.IsActive);
        Assert.Equal(1, changes);

        bolt.JamAt(300);
        bolt.SetDrive(MotorDrive.Extend);
        bolt.Advance(5000);
        Assert.True(bolt.IsStalled);
        Assert.Equal(300, bolt.PositionMs);
        Assert.False(bolt.LockedEndStop.IsActive);
    }

    [Fact]
    public void BatterySagsUnderMotorLoadAndDischarges()
    {
        var hw = new SimulatedHardware(new SimulatedHardwareOptions());
        hw.Battery.NoiseCounts = 0;
        int idle = hw.Battery.ReadCount();
        hw.Mechanism.SetDrive(MotorDrive.Retract);
        int loaded = hw.Battery.ReadCount();
        Assert.True(loaded < idle - 20, $"sag: idle {idle}, loaded {loaded}");
        hw.Mechanism.SetDrive(MotorDrive.Stop);
        hw.Battery.SetStateOfCharge(10);
        Assert.True(hw.Battery.ReadCount() < idle * 0.8);
    }

    [Fact]
    public void AdcNoiseIsSeededAndBounded()
    {
        int[] Readings(ulong seed)
        {
            var b = new SimBattery(2500, new[] { 100, 0 }, new[] { 6000, 4000 }, 500, 100_000, 47_000, 3300, noiseCounts: 3, seed: seed);
            return Enumerable.Range(0, 50).Select(_ => b.ReadCount()).ToArray();
        }

        var a = Readings(5);
        Assert.Equal(a, Readings(5));
        Assert.True(a.Max() - a.Min() <= 6);
        Assert.True(a.Distinct().Count() > 1);
    }

    [Fact]
    public void BleLinkEnforcesMtuAndInjectsFaults()
    {
        var ble = new SimBleLink();
        var received = new System.Collections.Generic.List<byte[]>();
        ble.WriteReceived += (_, v) => received.Add(v);
        Assert.False(ble.PhoneWrite(new byte[1]));           // not connected
        ble.PhoneConnect();
        Assert.Equal(23, ble.Mtu);
        Assert.False(ble.PhoneWrite(new byte[21]));          // MTU 23 carries 20 bytes
        Assert.True(ble.PhoneWrite(new byte[20]));
        Assert.Single(received);
        Assert.Throws<System.ArgumentException>(() => ble.Notify(new byte[21], 0, 21));

        ble.DropNextWrites = 1;
        Assert.True(ble.PhoneWrite(new byte[] { 1 }));
        Assert.Single(received);

        ble.LatencyMs = 30;
        ble.PhoneWrite(new byte[] { 2 });
        Assert.Single(received);
        ble.AdvanceTo(29);
        Assert.Single(received);
        ble.AdvanceTo(30);
        Assert.Equal(2, received.Count);

        bool? last = null;
        ble.ConnectionChanged += (_, c) => last = c;
        ble.PhoneWrite(new byte[] { 3 });
        ble.PhoneDisconnect();                                // disconnect drops what was in flight
        Assert.False(last);
        ble.AdvanceTo(100);
        Assert.Equal(2, received.Count);
        Assert.Equal(4, ble.WritesFromPhone);
    }

    [Fact]
    public void ClockJumpsOnlyTheWallClock()
    {
        var clock = new SimClock(1_000_000);
        clock.Advance(2500);
        clock.JumpWallClock(-3600);
        Assert.Equal(2500, clock.UptimeMilliseconds);
        Assert.Equal(1_000_000 + 2 - 3600, clock.UnixSeconds);
        clock.SetUnixSeconds(5_000_000);
        Assert.Equal(5_000_000, clock.UnixSeconds);
        clock.Reboot();
        Assert.Equal(0, clock.UptimeMilliseconds);
        Assert.Equal(2500, clock.ElapsedMilliseconds);
        Assert.Equal(5_000_000, clock.UnixSeconds);
    }

    [Fact]
    public void SeededEntropyIsDeterministicPerSeed()
    {
        byte[] a = new byte[37], b = new byte[37], c = new byte[37];
        new SeededEntropy(9).Fill(a, 0, 37);
        new SeededEntropy(9).Fill(b, 0, 37);
        new SeededEntropy(10).Fill(c, 0, 37);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void PowerModelAccountsChargePerState()
    {
        var hw = new SimulatedHardware(new SimulatedHardwareOptions());
        hw.Ble.StartAdvertising(new byte[] { 1 });
        hw.Advance(1000);
        hw.Mechanism.SetDrive(MotorDrive.Retract);
        hw.Advance(500);
        hw.Mechanism.SetDrive(MotorDrive.Stop);
        hw.Sleep(3_600_000);
        var model = hw.PowerModel;
        Assert.Equal(1000, model.TimeInMs(PowerState.BleAdvertising));
        Assert.Equal(500, model.TimeInMs(PowerState.MotorRunning));
        Assert.Equal(3_600_000, model.TimeInMs(PowerState.DeepSleep));
        double expected = (35 * 1000 + 300 * 500 + 0.015 * 3_600_000) / 3_600_000.0;
        Assert.Equal(expected, model.TotalMilliampHours, 6);
        Assert.Equal(expected, hw.Battery.DrawnMilliampHours, 6);
    }

    [Fact]
    public void FirmwareSlotsTestBootConfirmAndRevert()
    {
        var slots = new SimFirmwareSlots(Encoding.ASCII.GetBytes("v1"));
        byte[] v2 = Encoding.ASCII.GetBytes("v2-image");
        Assert.Equal(SlotResult.Ok, slots.BeginImage(v2.Length));
        Assert.Equal(SlotResult.BadOffset, slots.WriteChunk(3, v2, 3, 5));
        Assert.Equal(SlotResult.Ok, slots.WriteChunk(0, v2, 0, 3));
        Assert.Equal(SlotResult.NoImage, slots.MarkForTest());      // incomplete
        slots.BootloaderReset();                                    // a reboot mid-download
        Assert.Equal(SlotResult.NoImage, slots.ResumeImage(v2.Length, Encoding.ASCII.GetBytes("v9")));
        Assert.Equal(SlotResult.Ok, slots.ResumeImage(v2.Length, Encoding.ASCII.GetBytes("v2")));
        Assert.Equal(3, slots.NextOffset);
        Assert.Equal(SlotResult.Ok, slots.WriteChunk(3, v2, 3, 5));
        Assert.Equal(SlotResult.Ok, slots.MarkForTest());
        slots.BootloaderReset();
        Assert.Equal(SlotState.Testing, slots.State);
        Assert.Equal("v2-image", Encoding.ASCII.GetString(slots.PrimaryImage));
        slots.BootloaderReset();                                    // not confirmed: reverted
        Assert.Equal(SlotState.Reverted, slots.State);
        Assert.Equal("v1", Encoding.ASCII.GetString(slots.PrimaryImage));

        slots.BeginImage(v2.Length);
        slots.WriteChunk(0, v2, 0, v2.Length);
        slots.MarkForTest();
        slots.BootloaderReset();
        Assert.Equal(SlotResult.Ok, slots.ConfirmRunning());
        slots.BootloaderReset();
        Assert.Equal(SlotState.Confirmed, slots.State);
        Assert.Equal("v2-image", Encoding.ASCII.GetString(slots.PrimaryImage));
    }
}
