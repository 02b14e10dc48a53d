using SmartKey.Firmware.Power;
using SmartKey.Hal;
using SmartKey.Hal.Simulated;
using Xunit;

namespace SmartKey.Tests.Power;

/// <summary>The end of a main-loop turn: stay awake, reboot into an update, or sleep (PowerManager.Rest).</summary>
public class PowerManagerTests
{
    private readonly SimPower _power = new();
    private readonly SimClock _clock = new();
    private readonly PowerManager _manager;

    public PowerManagerTests()
    {
        _manager = new PowerManager(_power, _clock, _clock);
        _manager.StartWindow(10);
    }

    [Fact]
    public void StaysAwakeInsideTheWindowAndWhileBusy()
    {
        Assert.True(_manager.Rest(busy: false, rebootRequested: false, autoLockDueInMs: 0, hasDoor: true));
        _clock.Advance(10_000);
        Assert.True(_manager.Rest(busy: true, rebootRequested: true, autoLockDueInMs: 0, hasDoor: true));
        Assert.Equal((0, 0), (_power.Reboots, _power.DeepSleeps));
    }

    [Fact]
    public void RebootsIntoAnUpdateOnlyWhenNothingIsBusy()
    {
        var restart = Assert.Throws<DeviceRestartException>(() => _manager.Rest(busy: false, rebootRequested: true, autoLockDueInMs: 0, hasDoor: false));
        Assert.False(restart.IsDeepSleep);
        Assert.Equal((1, 0), (_power.Reboots, _power.DeepSleeps));
    }

    [Fact]
    public void SleepsAfterTheWindowUntilTheAutoLockOrTheDailyWindow()
    {
        _clock.Advance(10_000);
        var restart = Assert.Throws<DeviceRestartException>(() => _manager.Rest(busy: false, rebootRequested: false, autoLockDueInMs: 30_000, hasDoor: true));
        Assert.True(restart.IsDeepSleep);
        Assert.Equal(WakeSources.Button | WakeSources.Timer | WakeSources.Door, restart.WakeSources);
        Assert.Equal(30_000, restart.TimerMilliseconds);
    }

    [Fact]
    public void AnUnprovisionedLockHasItsDailyWindowAtMidnight()
    {
        _manager.SpreadDailyWindow("SK-1");
        Assert.Equal(PowerManager.DailyWindowOffsetFor("SK-1"), _manager.DailyWindowOffsetSeconds);
        Assert.NotEqual(0, _manager.DailyWindowOffsetSeconds);
        _manager.SpreadDailyWindow(null!);
        Assert.Equal(0, _manager.DailyWindowOffsetSeconds);
    }
}
