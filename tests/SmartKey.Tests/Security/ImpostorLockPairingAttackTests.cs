using System;
using System.Linq;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Protocol;
using SmartKey.Phone;
using SmartKey.Tests.Protocol;
using Xunit;

namespace SmartKey.Tests.Security;

/// <summary>Item 11: a lock that does not know the code must never receive the phone's confirmation.</summary>
public class ImpostorLockPairingAttackTests
{
    [Fact]
    public void AnImpostorLockNeverReceivesThePhonesConfirmationToTestCodeGuessesOffline()
    {
        // The impostor is provisioned with some other code; the victim types the code of the label they trust.
        var impostor = new Lab(pairOwner: false);
        var hw = impostor.Device.Hardware;
        uint logBefore = impostor.Device.Core.Log.LastSequence;
        hw.Ble.CapturedWrites.Clear();
        impostor.Device.Touch();
        impostor.Phone.Connect();
        var refused = Assert.Throws<PhoneException>(() => impostor.Phone.Pair("2718281828", Lab.Serial));
        Assert.Equal(ErrorCode.WrongSetupCode, refused.Code);
        impostor.Phone.Disconnect();

        // Whole messages the impostor received: a PairRequest, and nothing that depends on the victim's code.
        var messages = hw.Ble.CapturedWrites.Where(w => (w[0] & SmartKey.Firmware.Link.Fragmenter.StartFlag) != 0).Select(w => w[3]).ToList();
        Assert.Contains(MessageType.PairRequest, messages);
        Assert.DoesNotContain(MessageType.PairConfirm, messages);
        Assert.False(impostor.Device.Core.Bindings.HasOwner);

        // The real lock still logs the failed attempt (the phone's hang-up after PairChallenge).
        var log = new LogEntry[20];
        int n = impostor.Device.Core.Log.ReadAfter(logBefore, hw.Clock.UnixSeconds, log);
        Assert.Single(log.Take(n), e => e.Action == LogAction.PairingFailed);
    }
}
