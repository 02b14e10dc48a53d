using System;
using System.Security.Cryptography;
using System.Text;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Protocol;
using SmartKey.Phone;
using SmartKey.Tests.Crypto;
using Xunit;
using Xunit.Abstractions;

namespace SmartKey.Tests.Protocol;

/// <summary>
/// Pairing runs in steps from the main loop: the lock keeps answering its button and end-stops while it
/// computes, tells the phone it is working, and a phone on the documented time-outs pairs with a lock as slow
/// as the ESP32's slow end (0.84 µs per IL). The simulated lock charges each turn of its main loop the
/// estimated device time of its crypto (SimulatedDevice.MicrosecondsPerIl), from the process-wide counters:
/// these tests run alone.
/// </summary>
[Collection(CryptoCounterCollection.Name)]
public class PairingResponsivenessTests
{
    private const double SlowEndMicrosecondsPerIl = 0.84;
    private readonly ITestOutputHelper _output;

    public PairingResponsivenessTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void TheButtonAndTheEndStopsAreHandledWhileThePairingComputes()
    {
        var lab = new Lab(pairOwner: false);
        var device = lab.Device;
        device.MicrosecondsPerIl = SlowEndMicrosecondsPerIl;
        device.LongestPollIl = 0;
        var phone = lab.NewPhone();
        device.Touch();
        phone.Connect();

        var (w0, w1) = SetupCode.Derive(Lab.Code, Lab.Serial);
        var prover = new Spake2PlusProver(w0, w1);
        while (!prover.Start(RandomNumberGenerator.GetBytes(32))) { }
        phone.Link.Send(HandshakeMessages.PairRequest(Encoding.ASCII.GetBytes("owner"), prover.ShareP));
        byte[] first = phone.Link.Receive(5000)!;
        Assert.True(HandshakeMessages.TryPairWorking(first, first.Length, out _, out byte total), "the lock answers PairRequest at once with PairWorking");
        Assert.True(total > 100);

        // While the lock computes: a press of the inside button unlocks, and the unlocked end-stop stops the motor.
        long movedAtMs = -1;
        LockResult moved = LockResult.Ok;
        device.Core.Lock.Completed += (action, trigger, id, result) => { movedAtMs = device.Hardware.Clock.ElapsedMilliseconds; moved = result; };
        Assert.Equal(LockState.Locked, device.Core.Lock.State);
        device.PressButton();
        int working = 0;
        byte[]? challenge = null;
        while (challenge == null)
        {
            byte[] m = phone.Link.Receive(5000) ?? throw new Xunit.Sdk.XunitException("no message from the lock within the phone's 5 s");
            if (HandshakeMessages.TryPairWorking(m, m.Length, out _, out _)) working++;
            else challenge = m;
        }

        long challengeAtMs = device.Hardware.Clock.ElapsedMilliseconds;
        Assert.True(HandshakeMessages.TryPairChallenge(challenge, challenge.Length, out _, out _));
        Assert.True(movedAtMs > 0 && movedAtMs < challengeAtMs - 5000, "the bolt moved and stopped well before the pairing was done");
        Assert.Equal(LockResult.Ok, moved);
        Assert.Equal(LockState.Unlocked, device.Core.Lock.State);
        Assert.Equal(SmartKey.Hal.MotorDrive.Stop, device.Hardware.Mechanism.Drive);
        Assert.False(device.Hardware.Mechanism.IsStalled);
        Assert.True(working >= 5, "PairWorking keeps the phone waiting: " + working);

        // The worst stall of the main loop during the pairing, estimated like the simulated lock's clock (1,760 IL
        // per field operation overstates the inversion steps, mostly squarings: the IL meter counts the real worst
        // step, `IL pairing-worst-step`, at about 360,000).
        _output.WriteLine("worst main-loop turn during the pairing: " + device.LongestPollIl + " IL (estimated from field operations and SHA-256 blocks)");
        Assert.InRange(device.LongestPollIl, 1, 600_000);
        phone.Disconnect();
    }

    [Fact]
    public void ThePhonePairsWithALockAsSlowAsTheEsp32SlowEndWithoutATimeout()
    {
        var lab = new Lab(pairOwner: false);
        var device = lab.Device;
        device.MicrosecondsPerIl = SlowEndMicrosecondsPerIl;
        var phone = lab.NewPhone();
        device.Touch();
        phone.Connect();
        long startMs = device.Hardware.Clock.ElapsedMilliseconds;
        var owner = phone.Pair(Lab.Code, Lab.Serial, "owner");
        long tookMs = device.Hardware.Clock.ElapsedMilliseconds - startMs;
        phone.Disconnect();
        _output.WriteLine("first pairing at 0.84 µs/IL: " + tookMs + " ms of simulated time, " + phone.PairWorkingSeen + " PairWorking");
        Assert.True(owner.IsOwner);
        // Far longer than the phone's 5 s per message: only the keep-alive gets it through.
        Assert.True(tookMs > 12_000, "the estimated device time was charged: " + tookMs);
        Assert.True(tookMs < SmartKeyPhone.PairingTimeoutMs);
        Assert.True(phone.PairWorkingSeen >= 10);

        // The lock changes hands: the owner factory-resets it, and after a restart (RAM lost) the next owner
        // pairs with the label's code again. The verifier's fixed values were stored in flash at the first
        // pairing and survive the reset with the identity, so this pairing is quicker.
        lab.WithSession(owner, s => { s.FactoryReset(); return 0; });
        device.PowerOnAfterCut();
        device.MicrosecondsPerIl = SlowEndMicrosecondsPerIl;
        var second = lab.NewPhone();
        device.Touch();
        second.Connect();
        startMs = device.Hardware.Clock.ElapsedMilliseconds;
        Assert.True(second.Pair(Lab.Code, Lab.Serial, "bob").IsOwner);
        long secondMs = device.Hardware.Clock.ElapsedMilliseconds - startMs;
        second.Disconnect();
        _output.WriteLine("second pairing: " + secondMs + " ms");
        Assert.True(secondMs < tookMs * 3 / 4);
    }
}
