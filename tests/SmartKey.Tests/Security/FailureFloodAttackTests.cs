using System;
using System.Linq;
using System.Security.Cryptography;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Protocol;
using SmartKey.Phone;
using SmartKey.Tests.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace SmartKey.Tests.Security;

/// <summary>Item 4: a stranger fails on purpose, a thousand times, to bury the owner's log and run the radio.</summary>
public class FailureFloodAttackTests
{
    private readonly ITestOutputHelper _output;

    public FailureFloodAttackTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void AThousandFailedAttemptsNeitherEvictTheOwnersUnlocksNorOpenRadioWindows()
    {
        var lab = new Lab();
        var owner = lab.Owner!;
        for (int i = 0; i < 10; i++) lab.WithSession(owner, s => { s.Unlock(); s.Lock(); return 0; });
        var before = lab.WithSession(owner, s => s.ReadAllLog());
        var unlocks = before.Where(e => e.Action == LogAction.Unlock && e.Result == 0).Select(e => e.Sequence).ToList();
        Assert.Equal(10, unlocks.Count);
        uint cursor = before.Max(e => e.Sequence);
        int connectionsBefore = lab.Device.Hardware.Mqtt.Connections;

        var stranger = lab.NewPhone();
        int failed = 0;
        for (int i = 0; failed < 1000 && i < 5000; i++)
        {
            if (failed == 500 && i % 7 == 0) lab.Device.PowerOnAfterCut();          // a wake in the middle: RAM is gone
            lab.Device.Touch();
            stranger.Connect();
            try
            {
                stranger.Open(new Credential(Lab.Serial, (byte)(1 + i % 4), BindingRole.Owner, RandomNumberGenerator.GetBytes(32)), CommandId.Unlock, Array.Empty<byte>(), out _);
            }
            catch (PhoneException e)
            {
                if (e.Code == ErrorCode.AuthenticationFailed) failed++;
                else if (e.Code == ErrorCode.AuthenticationBackoff) lab.Device.Advance(e.RetryAfterSeconds * 1000L);
            }
            finally
            {
                stranger.Disconnect();
            }
        }

        Assert.Equal(1000, failed);
        lab.Device.Advance(120_000);
        int windows = lab.Device.Hardware.Mqtt.Connections - connectionsBefore;
        var after = lab.WithSession(owner, s => s.ReadAllLog(cursor));
        int failureEntries = after.Count(e => e.Action == LogAction.AuthenticationFailed || e.Action == LogAction.AuthenticationFailures);
        _output.WriteLine($"1000 failed attempts: {failureEntries} log entries, {windows} Wi-Fi windows");
        Assert.True(failureEntries <= 2 * SmartKey.Firmware.Log.FailedAttempts.MaxBurstsPerDay, failureEntries + " log entries");
        Assert.True(windows <= SmartKey.Firmware.Telemetry.ErrorWindowQuota.MaxPerDay, windows + " Wi-Fi windows");
        var all = lab.WithSession(owner, s => s.ReadAllLog());
        Assert.All(unlocks, u => Assert.Contains(all, e => e.Sequence == u));
        Assert.Contains(all, e => e.Action == LogAction.AuthenticationFailed);            // the owner still learns of it...
        Assert.Contains(all, e => e.Action == LogAction.AuthenticationFailures && e.Result == 255);   // ...and how many (255: 255 or more)
    }
}
