using SmartKey.Firmware.Button;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Power;
using SmartKey.Firmware.Keys;
using SmartKey.Hal;
using SmartKey.Hal.Simulated;
using SmartKey.Tests.Storage;
using Xunit;

namespace SmartKey.Tests.Button;

/// <summary>The button on its own: presses on release, the 10 s factory-reset hold, the inside toggle.</summary>
public class ButtonTests
{
    private readonly StorageWorld _world = new(StorageWorld.NewFlash());
    private readonly SimClock _clock = new(StorageWorld.Now);
    private readonly SimInput _button = new();
    private readonly SimLed _led = new();
    private readonly ResetHold _hold;
    private readonly PushButton _push;
    private int _resets;

    public ButtonTests()
    {
        _world.Reset.Completed += () => _resets++;
        _hold = new ResetHold(_button, _led, _world.Reset, _clock);
        _push = new PushButton(_button, _hold, new PowerManager(new SimPower(), _clock, _clock));
    }

    private void Run(long ms)
    {
        for (long t = 0; t < ms; t += 10)
        {
            _clock.Advance(10);
            _hold.Poll(_clock.UptimeMilliseconds);
            _push.Poll(_clock.UptimeMilliseconds);
        }
    }

    [Fact]
    public void HeldTenSecondsFromPowerOnResetsTheLock()
    {
        _world.AddBinding(1, BindingRole.Owner);
        _button.Set(true);
        _hold.BeginIfHeldAtPowerUp(WakeCause.PowerOn);
        Assert.True(_hold.IsRunning);
        Assert.Equal(LedPattern.BlinkFast, _led.Pattern);
        Run(ResetHold.HoldMs - 10);
        Assert.Equal(0, _resets);
        Run(10);
        Assert.Equal(1, _resets);
        Assert.False(_hold.IsRunning);
        _world.Bindings.Load();
        Assert.Equal(0, _world.Bindings.Count);
    }

    [Fact]
    public void LettingGoEarlyCancelsTheHoldAndIsNoPress()
    {
        int released = 0, presses = 0;
        _hold.Released += () => released++;
        _push.Pressed += held => presses++;
        _button.Set(true);
        _hold.BeginIfHeldAtPowerUp(WakeCause.PowerOn);
        Run(3000);
        _button.Set(false);
        Run(100);
        Assert.Equal((1, 0, 0), (released, presses, _resets));
    }

    [Fact]
    public void AButtonWakeOrAButtonUpAtPowerOnStartsNoHold()
    {
        _button.Set(true);
        _hold.BeginIfHeldAtPowerUp(WakeCause.Button);
        Assert.False(_hold.IsRunning);
        _button.Set(false);
        _hold.BeginIfHeldAtPowerUp(WakeCause.PowerOn);
        Assert.False(_hold.IsRunning);
    }

    [Fact]
    public void APressIsReportedOnReleaseWithItsLength()
    {
        var lengths = new System.Collections.Generic.List<long>();
        _push.Pressed += held => lengths.Add(held);
        _button.Set(true);
        Run(150);
        Assert.Empty(lengths);
        _button.Set(false);
        Run(10);
        Assert.Equal(new long[] { 150 }, lengths);
    }

    [Fact]
    public void AShortPressTogglesTheBoltALongOneDoesNot()
    {
        var hw = new SimulatedHardware(new SimulatedHardwareOptions { Seed = 1, FlashSectors = 16, FlashSectorSize = 1024, FirmwareVersion = "1.0.0" });
        var controller = new LockController(hw.Mechanism, hw.Mechanism.LockedEndStop, hw.Mechanism.UnlockedEndStop, null, hw.Clock, 3000);
        var inside = new InsideButton(controller);
        Assert.Equal(LockState.Locked, controller.State);
        inside.OnPressed(InsideButton.ShortPressMs);
        Assert.Equal(MotorDrive.Stop, hw.Mechanism.Drive);
        inside.OnPressed(InsideButton.ShortPressMs - 1);
        Assert.Equal(LockState.Unlocking, controller.State);
    }
}
