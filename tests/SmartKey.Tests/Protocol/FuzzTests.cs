using System;
using System.Linq;
using System.Threading;
using CsCheck;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Link;
using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Session;
using SmartKey.Hal.Simulated;
using Xunit;

namespace SmartKey.Tests.Protocol;

/// <summary>
/// Property tests of every parser with generated and mutated inputs (CsCheck: a failing input is shrunk
/// to a small one and printed with the seed that replays it; set CsCheck_Seed to replay). None may throw,
/// and a refused input changes no state. Each test counts its inputs and asserts the count. The
/// coverage-guided side of the same parsers is tools/SmartKey.Fuzz (afl++, tools/fuzz/run.sh).
/// </summary>
public class FuzzTests
{
    private const int PerParser = 10_000;

    /// <summary>One change to a valid message: a bit flip, a cut, extra bytes, a byte overwritten, or random bytes.</summary>
    public sealed record Mutation(int Kind, int At, int Bit, byte Value, byte[] Tail, byte[] Random, bool KeepType)
    {
        public byte[] Apply(byte[] valid)
        {
            var m = (byte[])valid.Clone();
            int at = m.Length == 0 ? 0 : At % m.Length;
            switch (Kind)
            {
                case 0: m[at] ^= (byte)(1 << Bit); return m;
                case 1: return m[..at];                                   // truncated
                case 2: return m.Concat(Tail).ToArray();
                case 3: m[at] = Value; return m;
                default:
                    var r = (byte[])Random.Clone();
                    if (r.Length > 0 && KeepType) r[0] = valid[0];
                    return r;
            }
        }
    }

    public static readonly Gen<Mutation> Mutations = Gen.Select(Gen.Int[0, 4], Gen.Int[0, 4095], Gen.Int[0, 7], Gen.Byte, Gen.Byte.Array[1, 7], Gen.Byte.Array[0, 79], Gen.Bool,
        (kind, at, bit, value, tail, random, keep) => new Mutation(kind, at, bit, value, tail, random, keep));

    [Fact]
    public void LinkReassemblerTakesAnyFragmentsAndStillReassemblesAnHonestMessageAfterwards()
    {
        // A sample is a message, an MTU and a run of honest, mutated and delayed fragments of it.
        var gen = Gen.Select(Gen.Byte.Array[1, 300], Gen.Int[Fragmenter.MinimumMtu, 185], Gen.Select(Gen.Int[0, 2], Gen.Int[0, 63], Mutations, Gen.Int[0, 299]).Array[1, 20]);
        int samples = 0, fragments = 0;
        gen.Sample((message, mtu, steps) =>
        {
            var r = new Reassembler(Reassembler.DefaultMaxMessage, 2000);
            var honest = Enumerable.Range(0, Fragmenter.FragmentCount(message.Length, mtu)).Select(i => Fragmenter.Fragment(message, message.Length, mtu, i)).ToArray();
            long now = 0;
            foreach (var (kind, index, mutation, delay) in steps)
            {
                byte[] f = honest[index % honest.Length];
                if (kind != 0) f = mutation.Apply(f);
                now += delay;
                byte result = r.Accept(f, f.Length, now);
                Assert.True(result == ErrorCode.Ok || result == ErrorCode.MalformedFrame || result == ErrorCode.MessageTooLarge || result == ErrorCode.ReassemblyTimeout, "result " + result);
                if (r.MessageLength > 0) Assert.InRange(r.MessageLength, 1, Reassembler.DefaultMaxMessage);
                Interlocked.Increment(ref fragments);
            }

            foreach (var f in honest) r.Accept(f, f.Length, now);
            Assert.Equal(message, r.Message[..r.MessageLength]);
            Interlocked.Increment(ref samples);
        }, iter: PerParser / 10);

        Assert.Equal(PerParser / 10, samples);
        Assert.InRange(fragments, PerParser / 10, PerParser * 2);
    }

    [Fact]
    public void HandshakeDecodersAcceptOnlyWhatTheyReencodeExactly()
    {
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
        var target = new SmartKey.Fuzz.HandshakeTarget();        // the fuzz target's invariants: strict decoders round-trip
        int inputs = 0;
        Gen.Select(Gen.Int[0, valid.Length - 1], Mutations).Sample((which, mutation) =>
        {
            target.Run(mutation.Apply(valid[which]));
            Interlocked.Increment(ref inputs);
        }, iter: PerParser);

        Assert.Equal(PerParser, inputs);
        foreach (var m in valid) target.Run(m);
    }

    [Fact]
    public void SessionChannelRefusesEveryMutationWithoutMovingItsState()
    {
        int inputs = 0, refused = 0;
        Gen.Select(Gen.Byte.Array[32], Gen.Bool, Mutations).Sample((key, mutateOpen, mutation) =>
        {
            byte[] np = new byte[8], nd = new byte[8];
            var phone = new SecureChannel(new HostAesBlock(), false);
            var device = new SecureChannel(new HostAesBlock(), true);
            phone.Establish(key, 5, np, nd);
            device.Establish(key, 5, np, nd);
            byte[] open = phone.SealOpen(5, nd, new byte[] { CommandId.Unlock, 1 }, 2);
            var plain = new byte[1100];
            Assert.Equal(ErrorCode.Ok, device.OpenFirst(open, open.Length, plain, out _));
            byte[] data = phone.SealData(new byte[] { CommandId.Status, 2 }, 2);
            byte[] original = mutateOpen ? open : data;
            byte[] m = mutation.Apply(original);
            if (m.AsSpan().SequenceEqual(original)) m = m.Concat(new byte[] { 0 }).ToArray();   // a real mutation every time
            uint before = device.ReceivedSequence;
            byte result = m.Length > 0 && m[0] == MessageType.SessionOpen ? device.OpenFirst(m, m.Length, plain, out _) : device.OpenData(m, m.Length, plain, out _);
            Assert.NotEqual(ErrorCode.Ok, result);                   // no mutation of an authenticated message gets through
            Assert.Equal(before, device.ReceivedSequence);
            Assert.Equal(ErrorCode.Ok, device.OpenData(data, data.Length, plain, out _));
            Interlocked.Increment(ref refused);
            Interlocked.Increment(ref inputs);
        }, iter: PerParser);

        Assert.Equal(PerParser, inputs);
        Assert.Equal(PerParser, refused);
    }

    [Fact]
    public void EveryCommandWithRandomArgumentsNeverThrowsAndRefusalsChangeNothing()
    {
        var lab = new Lab();
        var owner = lab.Device.Core.Bindings.Find(lab.Owner!.BindingId)!;
        var guest = new Binding { Role = BindingRole.Guest, Key = new byte[32] };
        lab.Device.Core.Bindings.Add(guest);
        var processor = lab.Device.Core.Commands;
        byte[] commands = { CommandId.Unlock, CommandId.Lock, CommandId.Status, CommandId.SetTime, CommandId.AddGuest, CommandId.ListKeys, CommandId.RevokeKey,
            CommandId.GetSettings, CommandId.SetSettings, CommandId.ReadLog, CommandId.FactoryReset, CommandId.AllowOwnerPairing, CommandId.EndSession, CommandId.SetWifi, 0x21, 0x55 };
        int inputs = 0, moves = 0;
        foreach (byte command in commands)
        {
            // One lock for all samples, as a lock lives through one session after another: one thread, in order.
            Gen.Select(Gen.Byte.Array[0, 19], Gen.Byte, Gen.Int[0, 3]).Sample((args, requestId, who) =>
            {
                var plaintext = new byte[] { command, requestId }.Concat(args).ToArray();
                var caller = who == 0 ? guest : owner;
                string before = lab.Fingerprint();
                var outcome = processor.Execute(caller, plaintext, plaintext.Length);
                if (outcome.Response == null)
                {
                    lab.Device.Advance(1500);                      // a lock movement started: let it finish
                    moves++;
                    return;
                }

                Assert.Equal(command | CommandId.ResponseFlag, outcome.Response[0]);
                Assert.Equal(requestId, outcome.Response[1]);
                if (outcome.Response[2] != ErrorCode.Ok) Assert.Equal(before, lab.Fingerprint());
                Assert.False(outcome.FactoryResetAfterResponse, "a random argument confirmed a factory reset");
                inputs++;
            }, iter: PerParser, threads: 1);
        }

        Assert.Equal(commands.Length * PerParser, inputs + moves);
        Assert.True(inputs >= commands.Length * PerParser - 2000, "inputs " + inputs);
    }

    [Fact]
    public void RandomMessagesThroughTheWholeDeviceStack()
    {
        var lab = new Lab();
        var hw = lab.Device.Hardware;
        string before = lab.Fingerprint();
        int inputs = 0;
        lab.Device.Touch();
        hw.Ble.PhoneConnect();
        byte[] types = { MessageType.PairConfirm, MessageType.SessionHello, MessageType.SessionOpen, MessageType.SessionData, 0x55, 0x7F };
        Gen.Select(Gen.Int[0, types.Length - 1], Gen.Byte.Array[1, 119], Gen.Byte.Array[2].Null(0.1)).Sample((type, body, broken) =>
        {
            var m = new byte[] { types[type] }.Concat(body).ToArray();
            if (m[0] == MessageType.SessionOpen) m[1] = lab.Owner!.BindingId;
            for (int f = 0; f < Fragmenter.FragmentCount(m.Length, 23); f++) hw.Ble.PhoneWrite(Fragmenter.Fragment(m, m.Length, 23, f));
            if (broken != null) hw.Ble.PhoneWrite(broken);
            lab.Device.Advance(10);
            hw.Ble.PhoneInbox.Clear();
            inputs++;
            if (!hw.Ble.IsConnected) hw.Ble.PhoneConnect();
        }, iter: PerParser, threads: 1);

        Assert.Equal(PerParser, inputs);
        Assert.Equal(before, lab.Fingerprint());
    }
}
