using System;
using System.Linq;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Protocol;
using SmartKey.Phone;
using SmartKey.Tests.Protocol;
using Xunit;

namespace SmartKey.Tests.Security;

/// <summary>Item 1: whoever knows the label's code (a former tenant, the installer) must not become an owner.</summary>
public class OwnerTakeoverAttackTests
{
    private static byte Refusal(Action a) => Assert.Throws<PhoneException>(a).Code;

    [Fact]
    public void AFormerTenantWithTheLabelCodeCannotPairAfterAButtonPress()
    {
        var lab = new Lab();
        lab.Device.PressButton();                          // the inside button: someone locks or unlocks by hand
        lab.Device.Advance(5000);
        var tenant = lab.NewPhone();
        tenant.Connect();
        Assert.Equal(ErrorCode.PairingNotAllowed, Refusal(() => tenant.Pair(Lab.Code, Lab.Serial, "former tenant")));
        tenant.Disconnect();
        Assert.Single(lab.Device.Core.Bindings.All(), b => b.IsOwner && !b.Revoked);
    }

    [Fact]
    public void TheLabelCodeDoesNotPairEvenWhileAnOwnerInviteIsOpen()
    {
        var lab = new Lab();
        var invitation = lab.WithSession(lab.Owner!, s => s.AllowOwnerPairing());
        Assert.Equal(SmartKey.Firmware.Pairing.OwnerInvite.CodeLength, invitation.Code.Length);
        var tenant = lab.NewPhone();
        lab.Device.Touch();
        tenant.Connect();
        Assert.Equal(ErrorCode.WrongSetupCode, Refusal(() => tenant.Pair(Lab.Code, Lab.Serial, "former tenant")));
        tenant.Disconnect();

        // The invited owner still pairs, once.
        var friend = lab.NewPhone();
        lab.Device.Touch();
        friend.Connect();
        Assert.True(friend.PairWithInvite(invitation.Code, Lab.Serial, "friend").IsOwner);
        friend.Disconnect();
    }

    [Fact]
    public void AnOwnerInviteExpiresUnused()
    {
        var lab = new Lab();
        var invitation = lab.WithSession(lab.Owner!, s => s.AllowOwnerPairing());
        lab.Device.Advance(invitation.Seconds * 1000L + 1000);
        var late = lab.NewPhone();
        lab.Device.Touch();
        late.Connect();
        Assert.Equal(ErrorCode.PairingNotAllowed, Refusal(() => late.PairWithInvite(invitation.Code, Lab.Serial, "late")));
        late.Disconnect();
    }

    [Fact]
    public void OwnersAddedAndRemovedAreLoggedAndVisibleToTheNextOwnerSession()
    {
        var lab = new Lab();
        uint? seen = lab.WithSession(lab.Owner!, s => s.Status()).OwnerChanges;
        var invitation = lab.WithSession(lab.Owner!, s => s.AllowOwnerPairing());
        var phone = lab.NewPhone();
        lab.Device.Touch();
        phone.Connect();
        var second = phone.PairWithInvite(invitation.Code, Lab.Serial, "second");
        phone.Disconnect();
        // The first owner's next session notices: an owner was added.
        Assert.Equal(seen + 1, lab.WithSession(lab.Owner!, s => s.Status()).OwnerChanges);
        lab.WithSession(second, s => { s.Revoke(lab.Owner!.BindingId); return 0; }, phone);
        Assert.Equal(seen + 2, lab.WithSession(second, s => s.Status(), phone).OwnerChanges);
        var log = lab.WithSession(second, s => s.ReadAllLog(), phone);
        Assert.Contains(log, e => e.Action == LogAction.OwnerInviteOpened && e.BindingId == lab.Owner!.BindingId);
        Assert.Contains(log, e => e.Action == LogAction.Paired && e.BindingId == second.BindingId);
        Assert.Contains(log, e => e.Action == LogAction.KeyRevoked && e.BindingId == lab.Owner!.BindingId);
    }

    [Fact]
    public void ALockWhoseOwnersAreAllLostIsRecoveredByTheResetHoldAtPowerUp()
    {
        var lab = new Lab();
        var hw = lab.Device.Hardware;
        hw.Button.Set(true);                               // held while the power comes back (physical access)
        lab.Device.PowerOnAfterCut();
        lab.Device.Advance(SmartKey.Firmware.Button.ResetHold.HoldMs + 500);
        hw.Button.Set(false);
        lab.Device.Advance(200);
        Assert.False(lab.Device.Core.Bindings.HasOwner);
        var newOwner = lab.NewPhone();
        lab.Device.Touch();
        newOwner.Connect();
        Assert.True(newOwner.Pair(Lab.Code, Lab.Serial, "new owner").IsOwner);
        newOwner.Disconnect();
    }
}
