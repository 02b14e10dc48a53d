using System;
using System.Linq;
using System.Text;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Ota;
using SmartKey.Hal;
using SmartKey.Ota;
using SmartKey.Tests.Ota;
using Xunit;

namespace SmartKey.Tests.Security;

/// <summary>
/// Issue 21 item 8: the power goes while the lock checks a downloaded image, and a bit of the slot changes while it is
/// off. The check at boot used the hash stored before the cut, so the changed bytes were marked and booted. The lock
/// cannot read its slot back on the device, so it trusts nothing written before such a cut: it reports slot error and
/// downloads the image again at the next offer.
/// </summary>
public class FlippedSlotBitAttackTests
{
    private sealed class Rig : RebootingAgentRig
    {
        public Rig()
            : base(finishVerificationAtBoot: false)
        {
        }

        public void Download(byte[] image)
        {
            Assert.Equal(OtaError.None, Agent.Offer(ImageSigner.OfferFor(image)));
            while (Agent.State == OtaState.Downloading)
            {
                int at = Agent.Offset;
                Assert.Equal(OtaError.None, Agent.Chunk(at, image, at, Math.Min(1000, image.Length - at)));
            }
        }
    }

    [Fact]
    public void ABitChangedInTheSlotDuringAPowerCutWhileVerifyingIsNeverBooted()
    {
        byte[] image = OtaLab.Image("1.6.0", counter: 2, size: 9000);
        var probe = new Rig();
        probe.Download(image);
        int steps = 0;
        while (probe.Agent.State == OtaState.Verifying && steps < 10 * EcdsaP256Verifier.MaxSteps)
        {
            probe.Agent.Poll();
            steps++;
        }

        Assert.Equal(OtaState.Testing, probe.Agent.State);
        Assert.True(steps > 30, "verification steps " + steps);

        for (int cut = 0; cut < steps; cut++)                                 // after the last chunk, and after each step but the last
        {
            var rig = new Rig();
            rig.Download(image);
            for (int k = 0; k < cut; k++) rig.Agent.Poll();
            Assert.Equal(OtaState.Verifying, rig.Agent.State);
            rig.Slots.FlipSecondaryBit(ImageFormat.HeaderLength + 100 + cut, cut % 8);   // in the payload, while the power is off

            rig.Boot();
            for (int k = 0; k < 2 * EcdsaP256Verifier.MaxSteps && rig.Agent.State == OtaState.Verifying; k++) rig.Agent.Poll();
            Assert.NotEqual(SlotState.TestPending, rig.Slots.State);
            Assert.Equal((OtaState.Failed, OtaError.SlotError), (rig.Agent.State, rig.Agent.LastError));
            rig.Boot();
            Assert.False(rig.Slots.PrimaryImage.AsSpan().IndexOf(Encoding.ASCII.GetBytes("SMARTKEY-FW 1.6.0")) >= 0, $"cut after {cut} steps: the changed image boots");

            // The next offer downloads the image again, and the genuine bytes are what boots.
            rig.Download(image);
            Assert.Equal(OtaError.None, rig.Agent.FinishVerification());
            rig.Boot();
            Assert.Equal(OtaState.Confirmed, rig.Agent.State);
            Assert.True(image.SequenceEqual(rig.Slots.PrimaryImage), $"cut after {cut} steps: the image that runs is not the one that was verified");
        }
    }
}
