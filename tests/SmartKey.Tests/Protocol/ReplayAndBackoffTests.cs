using System;
using System.Collections.Generic;
using System.Linq;
using SmartKey.Firmware.Link;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Pairing;
using SmartKey.Firmware.Protocol;
using SmartKey.Phone;
using Xunit;

namespace SmartKey.Tests.Protocol;

public class ReplayAndBackoffTests
{
    /// <summary>Groups captured ATT writes into whole messages (a start fragment begins each).</summary>
    private static List<List<byte[]>> Messages(IEnumerable<byte[]> writes)
    {
        var messages = new List<List<byte[]>>();
        foreach (var w in writes)
        {
            if ((w[0] & Fragmenter.StartFlag) != 0) messages.Add(new List<byte[]>());
            messages[^1].Add(w);
        }

        return messages;
    }

    [Fact]
    public void EveryCapturedFrameReplayedIsRefusedAndChangesNothing()
    {
        var lab = new Lab();
        var hw = lab.Device.Hardware;
        hw.Ble.CapturedWrites.Clear();
        var owner = lab.Owner!;
        // A sniffer records a busy evening: unlock, lock, a guest added, settings read, the log read.
        lab.Device.Touch();
        lab.Phone.Connect();
        lab.Phone.Open(owner, CommandId.Unlock, Array.Empty<byte>(), out _);
        lab.Phone.Disconnect();
        lab.WithSession(owner, s => { s.Lock(); s.AddGuest(null, null); s.GetSettings(); s.ReadLog(0); return 0; });
        var captured = Messages(hw.Ble.CapturedWrites.ToList());
        Assert.True(captured.Count >= 6, "captured " + captured.Count);

        string before = lab.Fingerprint();
        uint logBefore = lab.Device.Core.Log.LastSequence;
        int replayed = 0;
        foreach (var message in captured)
        {
            lab.Device.Touch();
            hw.Ble.PhoneConnect();
            hw.Ble.PhoneInbox.Clear();
            foreach (var fragment in message) Assert.True(hw.Ble.PhoneWrite(fragment));
            lab.Device.RunUntil(() => hw.Ble.PhoneInbox.Count > 0, 3000);
            var reply = Reassemble(hw.Ble.PhoneInbox);
            Assert.Equal(MessageType.Error, reply[0]);     // never a SessionData answer: nothing was accepted
            hw.Ble.PhoneDisconnect();
            lab.Device.Advance(50);
            replayed++;
        }

        Assert.Equal(captured.Count, replayed);
        Assert.Equal(before, lab.Fingerprint());
        var output = new LogEntry[100];
        int n = lab.Device.Core.Log.ReadAfter(logBefore, hw.Clock.UnixSeconds, output);
        Assert.All(output.Take(n), e => Assert.NotEqual(0, e.Result));   // only refusals were logged
    }

    private static byte[] Reassemble(Queue<byte[]> inbox)
    {
        var r = new Reassembler(1024, 10_000);
        while (inbox.Count > 0)
        {
            var f = inbox.Dequeue();
            Assert.Equal(ErrorCode.Ok, r.Accept(f, f.Length, 0));
            if (r.MessageLength > 0) return r.Message[..r.MessageLength];
        }

        throw new InvalidOperationException("no whole message");
    }

    [Fact]
    public void ReplayInsideTheSameSessionIsRefused()
    {
        var lab = new Lab();
        var hw = lab.Device.Hardware;
        lab.Device.Touch();
        lab.Phone.Connect();
        var session = lab.Phone.Open(lab.Owner!, CommandId.Status, Array.Empty<byte>(), out _);
        hw.Ble.CapturedWrites.Clear();
        session.Unlock();
        var unlockFrames = hw.Ble.CapturedWrites.ToList();
        session.Lock();
        foreach (var f in unlockFrames) hw.Ble.PhoneWrite(f);              // the old (lower) sequence number again
        lab.Device.RunUntil(() => hw.Ble.PhoneInbox.Count > 0, 3000);
        var reply = Reassemble(hw.Ble.PhoneInbox);
        Assert.True(HandshakeMessages.TryError(reply, reply.Length, out byte code, out _, out _));
        Assert.Equal(ErrorCode.Replay, code);
        Assert.Equal(SmartKey.Firmware.Lock.LockState.Locked, lab.Device.Core.Lock.State);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 0)]
    [InlineData(4, 2)]
    [InlineData(5, 4)]
    [InlineData(9, 64)]
    [InlineData(30, 65535)]
    public void PairingBackoffTable(int failures, int seconds) => Assert.Equal(seconds, PairingLockout.BackoffSeconds(failures));

    [Fact]
    public void WrongSetupCodesBackOffThenLockUntilAButtonPress()
    {
        var lab = new Lab(pairOwner: false);
        var hw = lab.Device.Hardware;
        var phone = lab.Phone;
        string wrong = "2718281828";
        var codes = new List<(byte code, int retry)>();
        for (int attempt = 1; attempt <= PairingLockout.Cap + 1; attempt++)
        {
            lab.Device.Touch();
            phone.Connect();
            var e = Assert.Throws<PhoneException>(() => phone.Pair(wrong, Lab.Serial));
            codes.Add((e.Code, e.RetryAfterSeconds));
            phone.Disconnect();
            if (e.Code == ErrorCode.PairingBackoff)
            {
                // Honour the back-off, then the same attempt is allowed.
                hw.Clock.SetUnixSeconds(hw.Clock.UnixSeconds + e.RetryAfterSeconds);
                attempt--;
            }
            else if (e.Code == ErrorCode.WrongSetupCode)
            {
                Assert.Equal(0, e.RetryAfterSeconds);       // the phone stops at confirmV: no PairConfirm, the next request learns the wait
            }
        }

        Assert.Equal(PairingLockout.Cap, codes.Count(c => c.code == ErrorCode.WrongSetupCode));
        Assert.Contains(codes, c => c.code == ErrorCode.PairingBackoff);
        Assert.Equal(ErrorCode.PairingLocked, codes[^1].code);
        Assert.Equal(PairingLockout.Cap, lab.Device.Core.Lockout.Failures);

        // The cap survives a reboot: only a button press lifts it, then the right code pairs.
        lab.Device.PowerOnAfterCut();
        lab.Device.Touch();
        phone.Connect();
        Assert.Equal(ErrorCode.PairingLocked, Assert.Throws<PhoneException>(() => phone.Pair(Lab.Code, Lab.Serial)).Code);
        phone.Disconnect();
        lab.Device.PressButton();
        phone.Connect();
        Assert.True(phone.Pair(Lab.Code, Lab.Serial).IsOwner);
        Assert.Equal(0, lab.Device.Core.Lockout.Failures);
        var log = lab.WithSession(lab.Device.Core.Bindings.All()[0] is var b ? new Credential(Lab.Serial, b.Id, b.Role, b.Key) : null!, s => s.ReadAllLog());
        Assert.True(log.Count(e => e.Action == LogAction.PairingFailed) >= PairingLockout.Cap);
    }
}
