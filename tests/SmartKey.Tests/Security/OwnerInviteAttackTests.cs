using System;
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

        // The stranger guesses on one connection until the lock hangs up, then comes back and guesses again.
        var stranger = lab.NewPhone();
        int guesses = 0, refusedAfter = -1;
        for (int connection = 0; connection < 2; connection++)
        {
            lab.Device.Touch();
            stranger.Connect();
            for (int attempt = 0; attempt < PairingService.InviteAttemptsPerConnection + 1; attempt++)
            {
                byte code = Refusal(() => stranger.PairWithInvite(RandomNumberGenerator.GetBytes(OwnerInvite.CodeLength), Lab.Serial, "stranger"));
                if (code == ErrorCode.WrongSetupCode)
                {
                    guesses++;
                    continue;
                }

                Assert.Equal(ErrorCode.PairingBackoff, code);                   // this connection used up its attempts
                refusedAfter = attempt;
                break;
            }

            lab.Device.Advance(1000);
            Assert.False(lab.Device.Hardware.Ble.IsConnected);                   // the lock hung up on the stranger
            stranger.Disconnect();
        }

        Assert.Equal(PairingService.InviteAttemptsPerConnection, refusedAfter);
        Assert.Equal(2 * PairingService.InviteAttemptsPerConnection, guesses);

        // The invited owner connects right after: no back-off at all (at most the 1 s the stranger's link took to drop).
        var friend = lab.NewPhone();
        lab.Device.Touch();
        friend.Connect();
        Assert.True(friend.PairWithInvite(invitation.Code, Lab.Serial, "friend").IsOwner);
        friend.Disconnect();
    }
}
