using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Protocol;
using SmartKey.Phone;
using SmartKey.Tests.Protocol;
using Xunit;

namespace SmartKey.Tests.Security;

/// <summary>Items 2 (the connection part), 3 and 9: what a stranger next to the door can do with sessions.</summary>
public class SessionAttackTests
{
    private static Credential Forged(byte id) => new(Lab.Serial, id, BindingRole.Owner, RandomNumberGenerator.GetBytes(32));

    private static (byte code, int retry) Attempt(Lab lab, SmartKeyPhone phone, Credential credential, byte command = CommandId.Status)
    {
        lab.Device.Touch();
        phone.Connect();
        try
        {
            phone.Open(credential, command, Array.Empty<byte>(), out _);
            return (ErrorCode.Ok, 0);
        }
        catch (PhoneException e)
        {
            return (e.Code, e.RetryAfterSeconds);
        }
        finally
        {
            phone.Disconnect();
        }
    }

    [Fact]
    public void StrangersFailingAuthenticationNeverDelayTheOwnerByMoreThanASecond()
    {
        var lab = new Lab();
        var stranger = lab.NewPhone();
        // Twelve real failures with the owner's key id and with others; the stranger honours every back-off.
        int failures = 0;
        for (int i = 0; failures < 12 && i < 200; i++)
        {
            var (code, retry) = Attempt(lab, stranger, Forged((byte)(failures % 3 == 0 ? lab.Owner!.BindingId : 2 + failures % 5)));
            if (code == ErrorCode.AuthenticationFailed) failures++;
            else if (code == ErrorCode.AuthenticationBackoff) lab.Device.Advance(retry * 1000L);
        }

        Assert.Equal(12, failures);

        long start = lab.Device.Hardware.Clock.UptimeMilliseconds;
        var first = Attempt(lab, lab.Phone, lab.Owner!);
        if (first.code == ErrorCode.AuthenticationBackoff)
        {
            Assert.True(first.retry <= 1, "the owner was told to wait " + first.retry + " s");
            lab.Device.Advance(first.retry * 1000L);
            first = Attempt(lab, lab.Phone, lab.Owner!);
        }

        Assert.Equal(ErrorCode.Ok, first.code);
        long delayMs = lab.Device.Hardware.Clock.UptimeMilliseconds - start;
        Assert.True(delayMs <= 1200, "owner delayed " + delayMs + " ms");
        Assert.Equal(LockState.Unlocked, lab.WithSession(lab.Owner!, s => s.Unlock()));
    }

    [Fact]
    public void AStrangerCannotTellFreeRevokedAndUsedKeyIdsApart()
    {
        var lab = new Lab();
        var (revoked, used) = lab.WithSession(lab.Owner!, s =>
        {
            var r = s.AddGuest(null, null);
            s.Revoke(r.BindingId);
            return (r.BindingId, s.AddGuest(null, null).BindingId);
        });
        byte free = 200;
        var stranger = lab.NewPhone();
        var answers = new Dictionary<string, (byte code, int retry)>();
        foreach (var (name, id) in new[] { ("revoked", revoked), ("used", used), ("free", free), ("owner's", lab.Owner!.BindingId) })
        {
            lab.Device.Advance(2000);
            answers[name] = Attempt(lab, stranger, Forged(id));
        }

        Assert.Equal(4, answers.Count);
        Assert.Single(answers.Values.Distinct());
        Assert.Equal(ErrorCode.AuthenticationFailed, answers["free"].code);
    }

    [Fact]
    public void ASilentCentralIsDroppedWithinSecondsSoTheOwnerCanConnect()
    {
        var lab = new Lab();
        var hw = lab.Device.Hardware;
        lab.Device.Touch();
        hw.Ble.PhoneConnect();                         // connects, then says nothing
        lab.Device.Advance(SmartKey.Firmware.Session.DeviceSessionManager.SessionOpenTimeoutMs + 500);
        Assert.False(hw.Ble.IsConnected, "the silent central still holds the lock");
        Assert.Equal(LockState.Unlocked, lab.WithSession(lab.Owner!, s => s.Unlock()));
    }

    [Fact]
    public void AnIdleSessionIsDroppedAfterItsCommandsExpire()
    {
        var lab = new Lab();
        var hw = lab.Device.Hardware;
        lab.Device.Touch();
        lab.Phone.Connect();
        lab.Phone.Open(lab.Owner!, CommandId.Status, Array.Empty<byte>(), out _);
        lab.Device.Advance(SmartKey.Firmware.Session.DeviceSessionManager.CommandExpiryMs + 500);
        Assert.False(hw.Ble.IsConnected, "an authenticated but idle phone still holds the lock");
    }
}

/// <summary>Item 2: a central that reconnects the moment the lock advertises again, all day.</summary>
public class SilentReconnectAttackTests
{
    [Fact]
    public void ACentralThatReconnectsSilentlyCannotKeepTheLockAwake()
    {
        var lab = new Lab();
        var hw = lab.Device.Hardware;
        lab.Device.Wake(SmartKey.Hal.WakeCause.Door);
        long awakeMs = 0;
        for (int step = 0; step < 6000; step++)                 // ten minutes in 100 ms steps
        {
            if (!lab.Device.Asleep && hw.Ble.IsAdvertising && !hw.Ble.IsConnected) hw.Ble.PhoneConnect();
            if (!lab.Device.Asleep) awakeMs += 100;
            lab.Device.Advance(100);
        }

        Assert.True(lab.Device.Asleep, "the lock is still awake after ten minutes of silent connections");
        Assert.True(awakeMs <= 60_000, $"awake {awakeMs / 1000} s");
    }
}
