using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Storage;
using SmartKey.Hal;
using SmartKey.Hal.Simulated;
using SmartKey.Ota;
using Xunit;

namespace SmartKey.Tests.Ota;

/// <summary>
/// After the last chunk the agent is Verifying: the signature is checked one bounded step per main-loop turn
/// (UpdateAgent.Poll), nothing is marked before the check passed, and a reboot at any step fails the attempt (the slot is
/// downloaded again at the next offer).
/// </summary>
public class OtaVerifyingTests
{
    private const int Chunk = 1000;

    /// <summary>The agent of RebootingAgentRig, stepped by hand: a boot leaves an interrupted check for Poll to run.</summary>
    private sealed class Rig : RebootingAgentRig
    {
        public Rig()
            : base(finishVerificationAtBoot: false)
        {
        }

        /// <summary>Offer and every chunk; no verification step yet.</summary>
        public void Download(byte[] image, OtaOffer? offer = null)
        {
            Assert.Equal(OtaError.None, Agent.Offer(offer ?? ImageSigner.OfferFor(image)));
            while (Agent.State == OtaState.Downloading)
            {
                int at = Agent.Offset;
                Assert.Equal(OtaError.None, Agent.Chunk(at, image, at, Math.Min(Chunk, image.Length - at)));
            }
        }

        /// <summary>Polls until the agent leaves Verifying; returns the number of turns.</summary>
        public int PollToEnd()
        {
            int turns = 0;
            while (Agent.State == OtaState.Verifying)
            {
                Assert.True(turns++ < 10 * EcdsaP256Verifier.MaxSteps, "the check does not end");
                Assert.NotEqual(SlotState.TestPending, Slots.State);   // nothing is marked while checking
                Agent.Poll();
            }

            return turns;
        }
    }

    /// <summary>A correctly signed image whose signature does not verify: the SHA256 TLV is right, the ECDSA TLV's s is altered.</summary>
    private static byte[] BadSignature(byte[] image)
    {
        var bad = (byte[])image.Clone();
        bad[^5] ^= 0x10;                                       // inside the DER signature, the last TLV (as OtaTests' "signature")
        return bad;
    }

    private static uint StoredCounter(NorFlash flash)
    {
        var store = new RecordStore(flash, 0, 8);
        Assert.Equal(StoreResult.Ok, store.Mount());
        return UpdateAgent.StoredSecurityCounter(store);
    }

    [Fact]
    public void TheLastChunkLeavesTheAgentVerifyingAndTheMainLoopFinishesTheCheckInBoundedSteps()
    {
        var rig = new Rig();
        var image = OtaLab.Image("1.1.0", counter: 3, size: 9000);
        rig.Download(image);
        Assert.Equal(OtaState.Verifying, rig.Agent.State);
        Assert.True(rig.Agent.IsVerifying);
        Assert.Equal(OtaError.None, rig.Agent.LastError);
        Assert.Equal((OtaState.Verifying, OtaError.None), rig.Statuses[^1]);   // what the source hears after the last chunk
        Assert.Equal(image.Length, rig.Agent.Offset);
        Assert.Equal(SlotState.Confirmed, rig.Slots.State);                       // not marked yet
        Assert.False(rig.Agent.RebootRequested);

        int turns = rig.PollToEnd();
        Assert.InRange(turns, 30, EcdsaP256Verifier.MaxSteps);                    // ~33 multiplication steps and a few more
        Assert.Equal(OtaState.Testing, rig.Agent.State);
        Assert.Equal(SlotState.TestPending, rig.Slots.State);
        Assert.True(rig.Agent.RebootRequested);
        Assert.Equal((OtaState.Testing, OtaError.None), rig.Statuses[^1]);
        rig.Agent.Poll();                                                         // nothing more to do
        Assert.Equal(OtaState.Testing, rig.Agent.State);
    }

    [Fact]
    public void AChunkAnOfferOrAStatusWhileVerifyingChangesNothing()
    {
        var rig = new Rig();
        var image = OtaLab.Image("1.1.0", size: 5000);
        rig.Download(image);
        rig.Agent.Poll();
        rig.Agent.Poll();
        int statuses = rig.Statuses.Count, flashOps = rig.Flash.Operations, slotOps = rig.Slots.Operations;
        Assert.Equal(OtaError.Busy, rig.Agent.Chunk(rig.Agent.Offset, image, 0, 10));   // a late resend of any chunk
        Assert.Equal(OtaError.Busy, rig.Agent.Chunk(0, image, 0, 10));
        Assert.Equal(OtaError.Busy, rig.Agent.Offer(ImageSigner.OfferFor(image)));
        Assert.Equal(0, rig.Agent.NextLength(UpdateAgent.MaxChunk));
        Assert.Equal(OtaState.Verifying, rig.Agent.State);
        Assert.Equal(image.Length, rig.Agent.Offset);
        Assert.Equal((flashOps, slotOps), (rig.Flash.Operations, rig.Slots.Operations));
        Assert.True(rig.Statuses.Skip(statuses).All(s => s.state == OtaState.Verifying), "a refusal reports the state unchanged");
        Assert.Equal(OtaError.None, rig.Agent.FinishVerification());
        Assert.Equal(OtaState.Testing, rig.Agent.State);
    }

    [Fact]
    public void ABadSignatureFailsInTheStepThatFinishesTheCheckAndIsNotRemembered()
    {
        var rig = new Rig();
        var image = BadSignature(OtaLab.Image("1.1.0", size: 5000));
        rig.Download(image);
        Assert.Equal(OtaState.Verifying, rig.Agent.State);
        rig.PollToEnd();
        Assert.Equal(OtaState.Failed, rig.Agent.State);
        Assert.Equal(OtaError.BadSignature, rig.Agent.LastError);
        Assert.Equal(SlotState.Confirmed, rig.Slots.State);
        // A damaged copy of a good image fails like this: its image hash (the good image's) is not remembered.
        Assert.Equal(OtaError.None, rig.Agent.Offer(ImageSigner.OfferFor(image)));
        Assert.Equal(OtaState.Downloading, rig.Agent.State);
    }

    [Fact]
    public void AnImageThatFailsAfterItsSignatureVerifiedIsRememberedAcrossAReboot()
    {
        var rig = new Rig();
        var image = OtaLab.Image("1.1.0", size: 5000, hardware: "smartkey-esp32s3-v1");
        var offer = ImageSigner.OfferFor(image);
        offer.HardwareId = OtaLab.Hardware;                                        // the offer lies; the signed TLV decides
        rig.Download(image, offer);
        rig.PollToEnd();
        Assert.Equal((OtaState.Failed, OtaError.WrongHardware), (rig.Agent.State, rig.Agent.LastError));
        rig.Boot();
        int statuses = rig.Statuses.Count;
        Assert.Equal(OtaError.KnownBadImage, rig.Agent.Offer(offer));
        Assert.Equal(statuses, rig.Statuses.Count);                                 // refused without a status (reported once)
    }

    [Fact]
    public void AbortWhileVerifyingStopsTheCheckAndMarksNothing()
    {
        var rig = new Rig();
        var image = OtaLab.Image("1.1.0", size: 5000);
        rig.Download(image);
        rig.Agent.Poll();
        rig.Agent.Abort();
        Assert.Equal(OtaState.Idle, rig.Agent.State);
        for (int i = 0; i < EcdsaP256Verifier.MaxSteps; i++) rig.Agent.Poll();
        Assert.Equal(OtaState.Idle, rig.Agent.State);
        Assert.Equal(SlotState.Confirmed, rig.Slots.State);
        rig.Boot();
        Assert.Equal(OtaState.Idle, rig.Agent.State);                              // the record is gone: nothing restarts
    }

    public static TheoryData<bool> Signatures() => new() { true, false };

    /// <summary>
    /// The power goes after k verification steps, for every k: the boot finds the Verifying record and fails the attempt
    /// (slot error: the slot cannot be read back to hash it again); the next offer downloads the image again. A good
    /// image is marked only by a check that ran to its end, a bad one never.
    /// </summary>
    [Theory]
    [MemberData(nameof(Signatures))]
    public void APowerCutAtEveryVerificationStepFailsTheAttemptAtBootAndNeverMarksEarly(bool goodSignature)
    {
        var signed = OtaLab.Image("1.2.0", counter: 2, size: 9000);
        var image = goodSignature ? signed : BadSignature(signed);
        var probe = new Rig();
        probe.Download(image);
        int steps = probe.PollToEnd();
        Assert.Equal(goodSignature ? OtaState.Testing : OtaState.Failed, probe.Agent.State);

        int tried = 0;
        for (int cut = 0; cut <= steps; cut++)
        {
            var rig = new Rig();
            rig.Download(image);
            for (int k = 0; k < cut; k++) rig.Agent.Poll();
            bool finished = rig.Agent.State != OtaState.Verifying;
            Assert.Equal(cut == steps, finished);
            Assert.Equal(finished && goodSignature, rig.Slots.State == SlotState.TestPending);

            rig.Boot();                                                           // the power is back
            if (!finished)
            {
                Assert.Equal((OtaState.Failed, OtaError.SlotError), (rig.Agent.State, rig.Agent.LastError));
                Assert.Equal(SlotState.Confirmed, rig.Slots.State);
                rig.Download(image);                                              // the next offer: the whole image again
                Assert.Equal(steps, rig.PollToEnd());                             // and the whole check
            }

            if (goodSignature)
            {
                Assert.Equal(finished ? OtaState.Confirmed : OtaState.Testing, rig.Agent.State);
                if (!finished) rig.Boot();                                         // the reboot into the test boot
                Assert.Equal(SlotState.Confirmed, rig.Slots.State);
                Assert.True(signed.SequenceEqual(rig.Slots.PrimaryImage), "the image that runs is not the one that was verified");
                Assert.Equal(2u, StoredCounter(rig.Flash));
            }
            else
            {
                Assert.Equal(finished ? OtaState.Idle : OtaState.Failed, rig.Agent.State);
                if (!finished) Assert.Equal(OtaError.BadSignature, rig.Agent.LastError);
                Assert.NotEqual(SlotState.TestPending, rig.Slots.State);
                Assert.False(rig.Slots.PrimaryImage.AsSpan().IndexOf(Encoding.ASCII.GetBytes("SMARTKEY-FW 1.2.0")) >= 0, "an unverified image boots");
            }

            tried++;
        }

        Assert.Equal(steps + 1, tried);
        Assert.True(tried > 30, "cut points " + tried);
    }

    /// <summary>The whole lock: the phone hears verifying after the last chunk, then polls the status until testing.</summary>
    [Fact]
    public void OverBleThePhoneHearsVerifyingAfterTheLastChunkAndPollsUntilTesting()
    {
        var ota = new OtaLab();
        var image = OtaLab.Image("1.3.0", counter: 2, size: 3000);
        var (last, final, polls) = ota.Lab.WithSession(ota.Lab.Owner!, s =>
        {
            var reply = s.OtaOffer(ImageSigner.OfferFor(image));
            while (reply.State == OtaState.Downloading)
                reply = s.OtaChunk(reply.Offset, image[reply.Offset..Math.Min(image.Length, reply.Offset + 960)]);
            var lastChunk = reply;
            var late = s.OtaChunk(0, image[..10]);                                 // a chunk while verifying: busy, nothing changes
            Assert.Equal((OtaError.Busy, OtaState.Verifying, image.Length), (late.Error, late.State, late.Offset));
            int n = 0;
            while (reply.State == OtaState.Verifying) { reply = s.OtaStatus(); n++; }
            return (lastChunk, reply, n);
        });

        Assert.Equal((OtaError.None, OtaState.Verifying, image.Length), (last.Error, last.State, last.Offset));
        Assert.Equal((OtaError.None, OtaState.Testing), (final.Error, final.State));
        Assert.True(polls > 1, "the check ran inside the chunk's request: " + polls);
        ota.Settle();
        Assert.Equal("1.3.0", ota.Running);
    }

    /// <summary>The whole lock: the power goes right after the last chunk; at boot the attempt fails, and the phone's next try installs it.</summary>
    [Fact]
    public void APowerCutRightAfterTheLastChunkInstallsTheImageWhenThePhoneSendsItAgain()
    {
        var ota = new OtaLab();
        var image = OtaLab.Image("1.4.0", counter: 2, size: 3000);
        var last = ota.Lab.WithSession(ota.Lab.Owner!, s =>
        {
            var reply = s.OtaOffer(ImageSigner.OfferFor(image));
            while (reply.State == OtaState.Downloading)
                reply = s.OtaChunk(reply.Offset, image[reply.Offset..Math.Min(image.Length, reply.Offset + 960)]);
            return reply;
        });
        Assert.Equal(OtaState.Verifying, last.State);
        Assert.NotEqual(SlotState.TestPending, ota.Lab.Device.Hardware.Slots.State);
        ota.Lab.Device.PowerOnAfterCut();
        ota.Settle();
        Assert.Equal("1.0.0", ota.Running);                                       // nothing written before the cut is trusted
        Assert.Equal((OtaState.Failed, OtaError.SlotError), (ota.Lab.Device.Core.Ota.State, ota.Lab.Device.Core.Ota.LastError));
        var again = ota.Send(image);
        Assert.Equal((OtaError.None, OtaState.Testing), (again.Error, again.State));
        ota.Settle();
        Assert.Equal("1.4.0", ota.Running);
        Assert.Equal(2u, UpdateAgent.StoredSecurityCounter(ota.Lab.Device.Core.Store));
    }

    /// <summary>Over MQTT: the status after the last chunk says verifying, and the window stays open until testing is sent.</summary>
    [Fact]
    public void OverMqttTheStatusSaysVerifyingAndTheWindowStaysOpenForTheVerdict()
    {
        var ota = new OtaLab();
        var device = ota.Lab.Device;
        var mqtt = device.Hardware.Mqtt;
        string prefix = device.Config.MqttTopicPrefix + "/" + SmartKey.Tests.Protocol.Lab.Serial;
        var image = OtaLab.Image("1.5.0", counter: 2, size: 9000);
        device.Core.Reports.Report();
        device.Advance(200);
        mqtt.Inject(prefix + "/ota/offer", ImageSigner.OfferFor(image).Encode());
        int answered = 0;
        for (int turn = 0; turn < 2000 && device.Core.Ota.State != OtaState.Testing; turn++)
        {
            var requests = mqtt.Published.Where(p => p.topic == prefix + "/ota/chunk/request").ToList();
            if (requests.Count > answered)
            {
                byte[] request = requests[^1].payload;
                int offset = (int)BitConverter.ToUInt32(request, 0), length = BitConverter.ToUInt16(request, 4);
                mqtt.Inject(prefix + "/ota/chunk", BitConverter.GetBytes((uint)offset).Concat(image[offset..(offset + length)]).ToArray());
                answered = requests.Count;
            }

            device.Advance(10);
        }

        device.Advance(50);
        var states = mqtt.Published.Where(p => p.topic == prefix + "/ota/status").Select(p => Encoding.UTF8.GetString(p.payload)).ToList();
        int verifying = states.FindIndex(s => s.Contains("\"verifying\"")), testing = states.FindIndex(s => s.Contains("\"testing\""));
        Assert.True(verifying >= 0 && testing > verifying, string.Join(" ", states));
        Assert.Contains("\"offset\":" + image.Length, states[verifying]);
        ota.Settle();
        Assert.Equal("1.5.0", ota.Running);
    }
}
