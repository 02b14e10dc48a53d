using System;
using System.Linq;
using System.Security.Cryptography;
using SmartKey.Firmware.Pairing;
using SmartKey.Firmware.Protocol;
using SmartKey.Phone;
using SmartKey.Tests.Protocol;
using Xunit;

namespace SmartKey.Tests.Security;

/// <summary>Issue 21 item 7: an owner invite outliving the owner who opened it, and a stranger's guesses delaying the invited owner.</summary>
public class OwnerInviteAttackTests
{
    private static byte Refusal(Action a) => Assert.Throws<PhoneException>(a).Code;

    [Fact]
    public void ARevokedOwnersOpenInviteNoLongerPairs()
    {
        var lab = new Lab();
        var first = lab.WithSession(lab.Owner!, s => s.AllowOwnerPairing());
        var secondPhone = lab.NewPhone();
        lab.Device.Touch();
        secondPhone.Connect();
        var second = secondPhone.PairWithInvite(first.Code, Lab.Serial, "second owner");
        secondPhone.Disconnect();

        // The first owner opens another invite (say, a phone that is then stolen), and the second owner revokes him.
        var stolen = lab.WithSession(lab.Owner!, s => s.AllowOwnerPairing());
        lab.WithSession(second, s => { s.Revoke(lab.Owner!.BindingId); return 0; }, secondPhone);

        var thief = lab.NewPhone();
        lab.Device.Touch();
        thief.Connect();
        Assert.Equal(ErrorCode.PairingNotAllowed, Refusal(() => thief.PairWithInvite(stolen.Code, Lab.Serial, "thief")));
        thief.Disconnect();
        Assert.DoesNotContain(lab.Device.Core.Bindings.All(), b => b.IsOwner && !b.Revoked && b.Id != second.BindingId);
    }

    [Fact]
    public void AStrangersWrongGuessesDuringAnInviteDoNotDelayTheInvitedOwner()
    {
        var lab = new Lab();
        var invitation = lab.WithSession(lab.Owner!, s => s.AllowOwnerPairing());

        // A determined stranger: six wrong guesses, honouring every retry-after and reconnecting when the lock hangs up.
        var stranger = lab.NewPhone();
        var refusals = new System.Collections.Generic.List<byte>();
        int guesses = 0, hangUps = 0;
        lab.Device.Touch();
        stranger.Connect();
        while (guesses < 6)
        {
            if (!lab.Device.Hardware.Ble.IsConnected)
            {
                stranger.Disconnect();
                lab.Device.Touch();
                stranger.Connect();
            }

            var refused = Assert.Throws<PhoneException>(() => stranger.PairWithInvite(RandomNumberGenerator.GetBytes(OwnerInvite.CodeLength), Lab.Serial, "stranger"));
            refusals.Add(refused.Code);
            if (refused.Code == ErrorCode.WrongSetupCode)
            {
                guesses++;
                continue;
            }

            Assert.Equal(ErrorCode.PairingBackoff, refused.Code);
            lab.Device.Advance(Math.Max(refused.RetryAfterSeconds, 1) * 1000L + 300);
            if (!lab.Device.Hardware.Ble.IsConnected) hangUps++;
        }

        stranger.Disconnect();

        // The invited owner comes right after and waits out any back-off the lock asks for: at most 1 s, here none.
        var friend = lab.NewPhone();
        lab.Device.Touch();
        friend.Connect();
        long waitedMs = 0;
        Credential? paired = null;
        while (paired == null)
        {
            try
            {
                paired = friend.PairWithInvite(invitation.Code, Lab.Serial, "friend");
            }
            catch (PhoneException e) when (e.Code == ErrorCode.PairingBackoff && waitedMs < 120_000)
            {
                waitedMs += e.RetryAfterSeconds * 1000L;
                lab.Device.Advance(e.RetryAfterSeconds * 1000L);
                if (!lab.Device.Hardware.Ble.IsConnected)
                {
                    friend.Disconnect();                                         // a waiting phone is dropped after 5 s: it comes back
                    lab.Device.Touch();
                    friend.Connect();
                }
            }
        }

        friend.Disconnect();
        Assert.True(waitedMs <= 1000, $"the invited owner was held back {waitedMs} ms by the stranger's guesses");
        Assert.True(paired.IsOwner);

        // Per connection, as session openings: three guesses, then PairingBackoff (retry-after 1) and the lock hangs up;
        // the label's persistent count is never touched.
        byte wrong = ErrorCode.WrongSetupCode, backoff = ErrorCode.PairingBackoff;
        Assert.Equal(new[] { wrong, wrong, wrong, backoff, wrong, wrong, wrong }, refusals);
        Assert.Equal(1, hangUps);
        Assert.Equal(0, lab.Device.Core.Lockout.Failures);
    }
}
