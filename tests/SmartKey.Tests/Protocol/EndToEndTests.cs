using System;
using System.Linq;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Protocol;
using SmartKey.Phone;
using Xunit;

namespace SmartKey.Tests.Protocol;

public class EndToEndTests
{
    private static byte Refusal(Action action)
    {
        var e = Assert.Throws<PhoneException>(action);
        return e.Code;
    }

    [Fact]
    public void OwnerGuestWindowRevocationAndTheLogTellTheWholeStory()
    {
        var lab = new Lab();
        var hw = lab.Device.Hardware;
        var owner = lab.Owner!;

        // Unlock: one round trip after connecting, at MTU 23 at most three PDUs each way.
        lab.Device.Touch();
        lab.Phone.Connect();
        int up = hw.Ble.WritesFromPhone, down = hw.Ble.NotificationsToPhone, trips = lab.Phone.RoundTrips;
        lab.Phone.Open(owner, CommandId.Unlock, Array.Empty<byte>(), out byte[] state);
        Assert.Equal(LockState.Unlocked, (LockState)state[0]);
        Assert.Equal(1, lab.Phone.RoundTrips - trips);
        Assert.InRange(hw.Ble.WritesFromPhone - up, 1, 3);
        Assert.InRange(hw.Ble.NotificationsToPhone - down, 1, 3);
        lab.Phone.Disconnect();

        var guest = lab.WithSession(owner, s => s.AddGuest(Lab.Tuesday, Lab.Tuesday.AddDays(7), days: 0x1F, startMinute: 8 * 60, endMinute: 18 * 60));
        var guestPhone = lab.NewPhone();

        hw.Clock.SetUnixSeconds(Lab.Tuesday.AddHours(2).ToUnixTimeSeconds());   // Tuesday 11:00: inside
        lab.Device.Touch();
        guestPhone.Connect();
        guestPhone.Open(guest, CommandId.Lock, Array.Empty<byte>(), out byte[] locked);
        Assert.Equal(LockState.Locked, (LockState)locked[0]);
        var guestSession = guestPhone.Open(guest, CommandId.Unlock, Array.Empty<byte>(), out _);
        Assert.Equal(ErrorCode.NotPermitted, Refusal(() => guestSession.ListKeys()));
        Assert.Equal(ErrorCode.NotPermitted, Refusal(() => guestSession.AddGuest(null, null)));
        guestPhone.Disconnect();

        hw.Clock.SetUnixSeconds(Lab.Tuesday.AddDays(4).AddHours(3).ToUnixTimeSeconds()); // Saturday 12:00: not a weekday
        lab.Device.Touch();
        guestPhone.Connect();
        Assert.Equal(ErrorCode.OutsideAccessWindow, Refusal(() => guestPhone.Open(guest, CommandId.Unlock, Array.Empty<byte>(), out _)));
        guestPhone.Disconnect();
        hw.Clock.SetUnixSeconds(Lab.Tuesday.AddDays(8).ToUnixTimeSeconds());   // after the window
        lab.Device.Touch();
        guestPhone.Connect();
        Assert.Equal(ErrorCode.OutsideAccessWindow, Refusal(() => guestPhone.Open(guest, CommandId.Unlock, Array.Empty<byte>(), out _)));
        guestPhone.Disconnect();

        hw.Clock.SetUnixSeconds(Lab.Tuesday.AddDays(1).AddHours(1).ToUnixTimeSeconds());   // Wednesday 10:00: inside again
        lab.WithSession(owner, s => { s.Revoke(guest.BindingId); return 0; });
        lab.Device.Touch();
        guestPhone.Connect();
        Assert.Equal(ErrorCode.AuthenticationFailed, Refusal(() => guestPhone.Open(guest, CommandId.Unlock, Array.Empty<byte>(), out _)));
        guestPhone.Disconnect();

        var log = lab.WithSession(owner, s => s.ReadAllLog());
        Assert.Contains(log, e => e.Action == LogAction.Paired && e.BindingId == owner.BindingId);
        Assert.Contains(log, e => e.Action == LogAction.Unlock && e.BindingId == owner.BindingId && e.Result == 0);
        Assert.Contains(log, e => e.Action == LogAction.KeyAdded && e.BindingId == guest.BindingId);
        Assert.Contains(log, e => e.Action == LogAction.Lock && e.BindingId == guest.BindingId && e.Result == 0);
        Assert.Equal(2, log.Count(e => e.Action == LogAction.Unlock && e.BindingId == guest.BindingId && e.Result == ErrorCode.OutsideAccessWindow));
        Assert.Contains(log, e => e.Action == LogAction.KeyRevoked && e.BindingId == guest.BindingId);
        Assert.Contains(log, e => e.Action == LogAction.AuthenticationFailed && e.BindingId == guest.BindingId && e.Result == ErrorCode.BindingRevoked);
        Assert.Equal(log.Select(e => e.Sequence).OrderBy(s => s), log.Select(e => e.Sequence));
        uint revokedAt = log.Single(e => e.Action == LogAction.KeyRevoked).Sequence;
        Assert.DoesNotContain(log, e => e.Sequence > revokedAt && e.BindingId == guest.BindingId && e.Result == 0);
    }

    [Fact]
    public void SessionWithoutTheAdvertisedNonceTakesOneMoreRoundTrip()
    {
        var lab = new Lab();
        lab.Device.Touch();
        lab.Phone.Connect();
        lab.Phone.Open(lab.Owner!, CommandId.Status, Array.Empty<byte>(), out _);   // uses the advertised nonce
        int trips = lab.Phone.RoundTrips;
        // The advertised nonce is spent now: a second open is told StaleNonce with a fresh one, and retries.
        lab.Phone.Open(lab.Owner!, CommandId.Unlock, Array.Empty<byte>(), out byte[] state);
        Assert.Equal(2, lab.Phone.RoundTrips - trips);
        Assert.Equal(LockState.Unlocked, (LockState)state[0]);
    }

    [Fact]
    public void PairingIsClosedOnceOwnedUntilAnOwnerOpensItWithAOneTimeCode()
    {
        var lab = new Lab();
        var second = lab.NewPhone();
        lab.Device.Touch();
        second.Connect();
        Assert.Equal(ErrorCode.PairingNotAllowed, Refusal(() => second.Pair(Lab.Code, Lab.Serial, "bob")));
        second.Disconnect();

        var invitation = lab.WithSession(lab.Owner!, s => s.AllowOwnerPairing());
        Assert.Equal(120, invitation.Seconds);
        lab.Device.Touch();
        second.Connect();
        var bob = second.PairWithInvite(invitation.Code, Lab.Serial, "bob");
        second.Disconnect();
        Assert.True(bob.IsOwner);
        Assert.NotEqual(lab.Owner!.BindingId, bob.BindingId);

        // The window closes after one pairing: the same code does not pair a third phone.
        var third = lab.NewPhone();
        lab.Device.Touch();
        third.Connect();
        Assert.Equal(ErrorCode.PairingNotAllowed, Refusal(() => third.PairWithInvite(invitation.Code, Lab.Serial, "carol")));
        third.Disconnect();
    }

    [Fact]
    public void RevokingAKeyClosesItsOpenSessionAtOnce()
    {
        var lab = new Lab();
        var other = lab.WithSession(lab.Owner!, s => s.AllowOwnerPairing());
        var bobPhone = lab.NewPhone();
        lab.Device.Touch();
        bobPhone.Connect();
        var bob = bobPhone.PairWithInvite(other.Code, Lab.Serial, "bob");
        bobPhone.Disconnect();

        lab.Device.Touch();
        bobPhone.Connect();
        var bobSession = bobPhone.Open(bob, CommandId.Status, Array.Empty<byte>(), out _);
        bobSession.Revoke(bob.BindingId);        // an owner revoking itself: the session ends with it
        Assert.False(lab.Device.Hardware.Ble.IsConnected);
        Assert.Throws<PhoneException>(() => bobSession.Unlock());
    }

    [Fact]
    public void AutoLockHappensAcrossDeepSleep()
    {
        var lab = new Lab();
        lab.Device.Touch();
        lab.Phone.Connect();
        lab.Phone.Open(lab.Owner!, CommandId.Unlock, Array.Empty<byte>(), out _);
        lab.Phone.Disconnect();
        Assert.Equal(LockState.Unlocked, lab.Device.Core.Lock.State);
        lab.Device.Advance(10_000);
        Assert.True(lab.Device.Asleep, "the lock sleeps soon after the phone hangs up");
        lab.Device.Advance(25_000);
        Assert.Equal(LockState.Locked, lab.Device.Core.Lock.State);
        lab.Device.Advance(5_000);
        Assert.True(lab.Device.Asleep, "and sleeps again after the auto-lock");
        var log = lab.WithSession(lab.Owner!, s => s.ReadAllLog());
        Assert.Contains(log, e => e.Action == LogAction.AutoLock && e.Trigger == LogTrigger.AutoLockTimer && e.Result == 0);
    }
}
