using System;
using System.Linq;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Link;
using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Session;
using SmartKey.Hal.Simulated;
using Xunit;

namespace SmartKey.Tests.Protocol;

/// <summary>
/// Random and mutated inputs for every parser: none may throw, and a refused input changes no state.
/// Each test counts its inputs and asserts the count.
/// </summary>
public class FuzzTests
{
    private const int PerParser = 10_000;

    private static byte[] Mutate(Random rng, byte[] valid)
    {
        var m = (byte[])valid.Clone();
        switch (rng.Next(5))
        {
            case 0: m[rng.Next(m.Length)] ^= (byte)(1 << rng.Next(8)); return m;
            case 1: return m[..rng.Next(m.Length)];                                      // truncated
            case 2: return m.Concat(Enumerable.Range(0, rng.Next(1, 8)).Select(_ => (byte)rng.Next(256))).ToArray();
            case 3: m[rng.Next(m.Length)] = (byte)rng.Next(256); return m;
            default:
                var r = new byte[rng.Next(0, 80)];
                rng.NextBytes(r);
                if (r.Length > 0 && rng.Next(2) == 0) r[0] = valid[0];
                return r;
        }
    }

    [Fact]
    public void LinkReassembler()
    {
        var rng = new Random(41);
        var r = new Reassembler(Reassembler.DefaultMaxMessage, 2000);
        byte[] message = new byte[100];
        rng.NextBytes(message);
        var fragments = Enumerable.Range(0, Fragmenter.FragmentCount(100, 23)).Select(i => Fragmenter.Fragment(message, 100, 23, i)).ToArray();
        int inputs = 0, completed = 0;
        long now = 0;
        for (int i = 0; i < PerParser; i++)
        {
            byte[] f = rng.Next(3) == 0 ? fragments[rng.Next(fragments.Length)] : Mutate(rng, fragments[rng.Next(fragments.Length)]);
            now += rng.Next(0, 300);
            byte result = r.Accept(f, f.Length, now);
            Assert.True(result == ErrorCode.Ok || result == ErrorCode.MalformedFrame || result == ErrorCode.MessageTooLarge || result == ErrorCode.ReassemblyTimeout);
            if (r.MessageLength > 0)
            {
                completed++;
                Assert.InRange(r.MessageLength, 1, Reassembler.DefaultMaxMessage);
            }

            inputs++;
        }

        // And the honest path still works after all that.
        foreach (var f in fragments) r.Accept(f, f.Length, now);
        Assert.Equal(message, r.Message[..r.MessageLength]);
        Assert.Equal(PerParser, inputs);
    }

    [Fact]
    public void HandshakeDecoders()
    {
        var rng = new Random(42);
        var point = new byte[65];
        point[0] = 4;
        byte[][] valid =
        {
            HandshakeMessages.PairRequest(new byte[] { 1, 2, 3 }, point),
            HandshakeMessages.PairChallenge(point, new byte[32]),
            HandshakeMessages.PairConfirm(new byte[32]),
            HandshakeMessages.PairAccepted(3, new byte[16]),
            HandshakeMessages.SessionHello(1, new byte[8]),
            HandshakeMessages.SessionNonce(new byte[8]),
            HandshakeMessages.Error(22, 5, new byte[8]),
        };
        int inputs = 0;
        for (int i = 0; i < PerParser; i++)
        {
            var m = Mutate(rng, valid[rng.Next(valid.Length)]);
            if (m.Length == 0) m = new byte[] { 0 };
            HandshakeMessages.TryPairRequest(m, m.Length, out _, out _);
            HandshakeMessages.TryPairChallenge(m, m.Length, out _, out _);
            HandshakeMessages.TryPairConfirm(m, m.Length, out _);
            HandshakeMessages.TryPairAccepted(m, m.Length, out _, out _);
            HandshakeMessages.TrySessionHello(m, m.Length, out _, out _);
            HandshakeMessages.TrySessionNonce(m, m.Length, out _);
            HandshakeMessages.TryError(m, m.Length, out _, out _, out _);
            inputs++;
        }

        Assert.Equal(PerParser, inputs);
    }

    [Fact]
    public void SessionChannelRefusesEveryMutationWithoutMovingItsState()
    {
        var rng = new Random(43);
        var key = new byte[32];
        rng.NextBytes(key);
        byte[] np = new byte[8], nd = new byte[8];
        var phone = new SecureChannel(new HostAesBlock(), false);
        var device = new SecureChannel(new HostAesBlock(), true);
        phone.Establish(key, 5, np, nd);
        device.Establish(key, 5, np, nd);
        byte[] open = phone.SealOpen(5, nd, new byte[] { CommandId.Unlock, 1 }, 2);
        var plain = new byte[1100];
        Assert.Equal(ErrorCode.Ok, device.OpenFirst(open, open.Length, plain, out _));
        byte[] data = phone.SealData(new byte[] { CommandId.Status, 2 }, 2);
        int inputs = 0, refused = 0;
        for (int i = 0; i < PerParser; i++)
        {
            byte[] original = rng.Next(2) == 0 ? data : open;
            byte[] m = Mutate(rng, original);
            while (m.AsSpan().SequenceEqual(original)) m = Mutate(rng, original);   // a real mutation every time
            uint before = device.ReceivedSequence;
            byte result = m.Length > 0 && m[0] == MessageType.SessionOpen ? device.OpenFirst(m, m.Length, plain, out _) : device.OpenData(m, m.Length, plain, out _);
            if (result != ErrorCode.Ok)
            {
                refused++;
                Assert.Equal(before, device.ReceivedSequence);
            }

            inputs++;
        }

        Assert.Equal(PerParser, inputs);
        Assert.Equal(PerParser, refused);   // no mutation of an authenticated message gets through
        Assert.Equal(ErrorCode.Ok, device.OpenData(data, data.Length, plain, out _));
    }

    [Fact]
    public void EveryCommandWithRandomArgumentsNeverThrowsAndRefusalsChangeNothing()
    {
        var lab = new Lab();
        var owner = lab.Device.Core.Bindings.Find(lab.Owner!.BindingId)!;
        var guest = new Binding { Role = BindingRole.Guest, Key = new byte[32] };
        lab.Device.Core.Bindings.Add(guest);
        var processor = lab.Device.Core.Commands;
        var rng = new Random(44);
        byte[] commands = { CommandId.Unlock, CommandId.Lock, CommandId.Status, CommandId.SetTime, CommandId.AddGuest, CommandId.ListKeys, CommandId.RevokeKey,
            CommandId.GetSettings, CommandId.SetSettings, CommandId.ReadLog, CommandId.FactoryReset, CommandId.AllowOwnerPairing, CommandId.EndSession, CommandId.SetWifi, 0x21, 0x55 };
        int inputs = 0;
        foreach (byte command in commands)
        {
            for (int i = 0; i < PerParser; i++)
            {
                var args = new byte[rng.Next(0, 20)];
                rng.NextBytes(args);
                var plaintext = new byte[] { command, (byte)i }.Concat(args).ToArray();
                var caller = rng.Next(4) == 0 ? guest : owner;
                string before = lab.Fingerprint();
                var outcome = processor.Execute(caller, plaintext, plaintext.Length);
                if (outcome.Response == null)
                {
                    lab.Device.Advance(1500);                      // a lock movement started: let it finish
                    continue;
                }

                Assert.Equal(command | CommandId.ResponseFlag, outcome.Response[0]);
                if (outcome.Response[2] != ErrorCode.Ok) Assert.Equal(before, lab.Fingerprint());
                if (outcome.FactoryResetAfterResponse) Assert.Fail("a random argument confirmed a factory reset");
                inputs++;
            }
        }

        Assert.True(inputs >= commands.Length * PerParser - 2000, "inputs " + inputs);
    }

    [Fact]
    public void RandomMessagesThroughTheWholeDeviceStack()
    {
        var lab = new Lab();
        var hw = lab.Device.Hardware;
        var rng = new Random(45);
        string before = lab.Fingerprint();
        int inputs = 0;
        lab.Device.Touch();
        hw.Ble.PhoneConnect();
        for (int i = 0; i < PerParser; i++)
        {
            var m = new byte[rng.Next(2, 120)];
            rng.NextBytes(m);
            m[0] = new byte[] { MessageType.PairConfirm, MessageType.SessionHello, MessageType.SessionOpen, MessageType.SessionData, 0x55, 0x7F }[rng.Next(6)];
            if (m[0] == MessageType.SessionOpen) m[1] = lab.Owner!.BindingId;
            for (int f = 0; f < Fragmenter.FragmentCount(m.Length, 23); f++) hw.Ble.PhoneWrite(Fragmenter.Fragment(m, m.Length, 23, f));
            if (rng.Next(10) == 0) hw.Ble.PhoneWrite(new byte[] { (byte)rng.Next(256), (byte)rng.Next(256) });   // broken fragment
            lab.Device.Advance(10);
            hw.Ble.PhoneInbox.Clear();
            inputs++;
            if (!hw.Ble.IsConnected) hw.Ble.PhoneConnect();
        }

        Assert.Equal(PerParser, inputs);
        Assert.Equal(before, lab.Fingerprint());
    }
}
