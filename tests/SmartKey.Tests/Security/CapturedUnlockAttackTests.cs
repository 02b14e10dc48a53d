using System;
using System.Security.Cryptography;
using SmartKey.Firmware.Link;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Session;
using SmartKey.Hal.Simulated;
using SmartKey.Tests.Protocol;
using Xunit;

namespace SmartKey.Tests.Security;

/// <summary>
/// Item 6: a fake lock relays the real lock's advertisement to the owner's phone and captures the
/// SessionOpen carrying Unlock. Delivered to the real lock at once (a live relay), it opens: that is the
/// relay bound documented in protocol.md. Delivered later (pre-play), it must not.
/// </summary>
public class CapturedUnlockAttackTests
{
    /// <summary>What the owner's phone sends to the fake lock: SessionOpen(Unlock) on the real lock's advertised nonce.</summary>
    private static byte[] CaptureUnlock(Lab lab)
    {
        byte[] advertised = lab.Device.Hardware.Ble.AdvertisedServiceData![2..10];
        var channel = new SecureChannel(new HostAesBlock(), isDevice: false);
        channel.Establish(lab.Owner!.Key, lab.Owner.BindingId, RandomNumberGenerator.GetBytes(8), advertised);
        byte[] unlock = { CommandId.Unlock, 1 };
        return channel.SealOpen(lab.Owner.BindingId, advertised, unlock, unlock.Length);
    }

    /// <summary>The attacker connects to the real lock and delivers the captured message; the first byte of the answer.</summary>
    private static byte Deliver(Lab lab, byte[] captured)
    {
        var attacker = lab.NewPhone();
        attacker.Connect();
        try
        {
            attacker.Link.Send(captured);
            byte[] reply = attacker.Link.Receive(3000) ?? throw new InvalidOperationException("no answer");
            if (reply[0] == MessageType.Error && HandshakeMessages.TryError(reply, reply.Length, out byte code, out _, out _)) return code;
            return ErrorCode.Ok;                                    // a SessionData answer: the session opened
        }
        finally
        {
            attacker.Disconnect();
        }
    }

    [Fact]
    public void ACapturedUnlockDeliveredTwentySecondsLaterDoesNotOpenTheLock()
    {
        var lab = new Lab();
        lab.Device.Wake(SmartKey.Hal.WakeCause.Door);              // someone at the door: the lock advertises (30 s window)
        byte[] captured = CaptureUnlock(lab);
        lab.Device.Advance(20000);
        Assert.Equal(ErrorCode.StaleNonce, Deliver(lab, captured));
        Assert.Equal(LockState.Locked, lab.Device.Core.Lock.State);
    }

    /// <summary>ageAtDeliveryMs: time since the real lock drew the relayed nonce (it was captured 700 ms after the draw).</summary>
    [Theory]
    [InlineData(800, true)]
    [InlineData(2000, true)]
    [InlineData(AdvertisedNonce.ValidMs - 400, true)]
    [InlineData(AdvertisedNonce.ValidMs + 100, false)]
    [InlineData(AdvertisedNonce.ValidMs + 3000, false)]
    public void ALiveRelayOpensOnlyWithinTheDocumentedBound(int ageAtDeliveryMs, bool opens)
    {
        var lab = new Lab();
        var hw = lab.Device.Hardware;
        lab.Device.Wake(SmartKey.Hal.WakeCause.Door);               // the boot draws the first advertised nonce
        long drawnAtMs = hw.Clock.ElapsedMilliseconds;
        byte[] first = hw.Ble.AdvertisedServiceData!;
        lab.Device.Advance(700);                                    // inside the first rotation period
        Assert.Equal(first, hw.Ble.AdvertisedServiceData);
        long drawnAgoMs = hw.Clock.ElapsedMilliseconds - drawnAtMs;
        byte[] captured = CaptureUnlock(lab);
        lab.Device.Advance(ageAtDeliveryMs - drawnAgoMs - 50);        // the message itself takes a little
        byte answer = Deliver(lab, captured);
        Assert.Equal(opens ? ErrorCode.Ok : ErrorCode.StaleNonce, answer);
        lab.Device.Advance(3000);
        Assert.Equal(opens ? LockState.Unlocked : LockState.Locked, lab.Device.Core.Lock.State);
    }

    [Fact]
    public void TheAdvertisedNonceRotatesWhileTheLockAdvertises()
    {
        var lab = new Lab();
        lab.Device.Wake(SmartKey.Hal.WakeCause.Door);
        var seen = new System.Collections.Generic.HashSet<string>();
        for (int i = 0; i < 10; i++)
        {
            seen.Add(Convert.ToHexString(lab.Device.Hardware.Ble.AdvertisedServiceData!));
            lab.Device.Advance(1000);
        }

        Assert.True(seen.Count >= 5, "distinct advertisements in 10 s: " + seen.Count);
    }
}
