using System;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Protocol;
using SmartKey.Phone;
using SmartKey.Tests.Protocol;
using Xunit;

namespace SmartKey.Tests.Security;

/// <summary>Item 8: a former guest waits for (or causes) a clock loss; the expired key must stay dead.</summary>
public class LostClockAttackTests
{
    private static byte Try(Lab lab, SmartKeyPhone phone, Credential guest)
    {
        lab.Device.Touch();
        phone.Connect();
        try
        {
            phone.Open(guest, CommandId.Unlock, Array.Empty<byte>(), out _);
            return ErrorCode.Ok;
        }
        catch (PhoneException e)
        {
            return e.Code;
        }
        finally
        {
            phone.Disconnect();
            lab.Device.Advance(3000);
        }
    }

    [Fact]
    public void ALostClockDoesNotReviveAnExpiredGuest()
    {
        var lab = new Lab();
        var clock = lab.Device.Hardware.Clock;
        var owner = lab.Owner!;
        // Monday to Friday, this week only.
        var expired = lab.WithSession(owner, s => s.AddGuest(Lab.Tuesday.AddDays(-1), Lab.Tuesday.AddDays(4)));
        var guestPhone = lab.NewPhone();
        Assert.Equal(ErrorCode.Ok, Try(lab, guestPhone, expired));
        lab.WithSession(owner, s => s.Lock());

        clock.SetUnixSeconds(Lab.Tuesday.AddDays(10).ToUnixTimeSeconds());     // two weeks on: the key has expired
        lab.WithSession(owner, s => s.Lock());                                 // life goes on: the log sees today
        Assert.Equal(ErrorCode.OutsideAccessWindow, Try(lab, guestPhone, expired));

        // The coin cell dies, or the clock is knocked back: it restarts inside the old week.
        clock.SetUnixSeconds(Lab.Tuesday.AddHours(2).ToUnixTimeSeconds());
        lab.Device.PowerOnAfterCut();
        byte answer = Try(lab, guestPhone, expired);
        Assert.NotEqual(ErrorCode.Ok, answer);
        Assert.Equal(ErrorCode.ClockBehind, answer);
        Assert.Equal(LockState.Locked, lab.Device.Core.Lock.State);
        // The refusal itself must not lower the floor across another wake.
        lab.Device.PowerOnAfterCut();
        Assert.Equal(ErrorCode.ClockBehind, Try(lab, guestPhone, expired));

        // Owners still open; an owner setting the clock makes guest windows work again.
        Assert.Equal(LockState.Unlocked, lab.WithSession(owner, s => s.Unlock()));
        lab.WithSession(owner, s => { s.Lock(); s.SetTime(Lab.Tuesday.AddDays(10).AddMinutes(5)); return 0; });
        Assert.Equal(ErrorCode.OutsideAccessWindow, Try(lab, guestPhone, expired));
        var current = lab.WithSession(owner, s => s.AddGuest(null, null));
        Assert.Equal(ErrorCode.Ok, Try(lab, guestPhone, current));
    }
}
