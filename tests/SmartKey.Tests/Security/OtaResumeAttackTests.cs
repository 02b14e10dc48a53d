using System;
using System.Collections.Generic;
using System.Linq;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Storage;
using SmartKey.Hal;
using SmartKey.Hal.Simulated;
using SmartKey.Ota;
using SmartKey.Tests.Ota;
using Xunit;

namespace SmartKey.Tests.Security;

/// <summary>
/// Item 5: a compromised update source sends unsigned bytes, the power is cut (or cut by the attacker),
/// then it resends the signed image. Whatever lands in the slot must be exactly what was verified.
/// </summary>
public class OtaResumeAttackTests
{
    private const int Chunk = 1000;

    private sealed class Rig : RebootingAgentRig
    {
        public Rig()
            : base(finishVerificationAtBoot: true)
        {
        }

        /// <summary>
        /// Offers the signed image's offer and sends chunks from where the agent stands; pick chooses, per chunk
        /// (by the operation count before it), whose bytes go out. Returns the operation count before each chunk.
        /// </summary>
        public List<int> Send(OtaOffer offer, Func<int, byte[]> pick, string kind = "slot")
        {
            var starts = new List<int>();
            if (Agent.Offer(offer) != OtaError.None) return starts;
            while (Agent.State == OtaState.Downloading)
            {
                int at = Agent.Offset;
                starts.Add(Operations(kind));
                byte[] bytes = pick(Operations(kind));
                Agent.Chunk(at, bytes, at, Math.Min(Chunk, bytes.Length - at));
            }

            Agent.FinishVerification();          // the main loop's steps, all at once

            starts.Add(Operations(kind));
            return starts;
        }
    }

    /// <summary>Every slot and flash operation of an honest transfer.</summary>
    public static IEnumerable<object[]> CutPoints()
    {
        var (signed, _, offer) = Images();
        foreach (string kind in new[] { "slot", "flash" })
        {
            var probe = new Rig();
            int origin = probe.Operations(kind);
            var starts = probe.Send(offer, _ => signed, kind);
            for (int cut = 0; cut < starts[^1] - origin; cut++)
                foreach (string forgery in new[] { "every-byte", "tlvs-only" }) yield return new object[] { kind, cut, forgery };
        }
    }

    /// <summary>
    /// A signed image, a forgery (every byte after the header changed, or only the unprotected TLVs after the hashed
    /// part: the image hash cannot see those), and the signed image's offer.
    /// </summary>
    private static (byte[] signed, byte[] forged, OtaOffer offer) Images(string forgery = "every-byte")
    {
        byte[] signed = OtaLab.Image("1.8.0", size: 14000);
        byte[] forged = (byte[])signed.Clone();
        int from = forgery == "every-byte" ? ImageFormat.HeaderLength : ImageInspector.Inspect(signed).Header!.HashedLength + ImageFormat.TlvInfoLength;
        for (int i = from; i < forged.Length; i++) forged[i] ^= 0x5A;
        return (signed, forged, ImageSigner.OfferFor(signed));
    }

    /// <summary>
    /// The source sends the signed image honestly, except for the chunk during which the power goes: that
    /// one carries forged bytes (the attacker cuts the power himself). After the reboot it resends the
    /// signed bytes from wherever the lock asks. Every cut point is tried.
    /// </summary>
    [Theory]
    [MemberData(nameof(CutPoints))]
    public void UnsignedBytesSentBeforeAPowerCutNeverEndUpInAVerifiedImage(string kind, int cut, string forgery)
    {
        var (signed, forged, offer) = Images(forgery);
        var probe = new Rig();
        int origin = probe.Operations(kind);
        var starts = probe.Send(offer, _ => signed, kind).Select(o => o - origin).ToList();
        int inFlight = starts.FindLastIndex(s => s <= cut);              // the chunk whose operations include the cut

        var rig = new Rig();
        int counted = 0;
        if (kind == "slot") rig.Slots.CutPowerAfter(cut);
        else rig.Flash.CutPowerAfter(cut, tearTheNext: cut % 2 == 0);
        try
        {
            rig.Send(offer, _ => counted++ == inFlight ? forged : signed, kind);
        }
        catch (PowerLossException)
        {
        }

        rig.Flash.CancelPowerCut();                       // the forged chunk may end the transfer before the cut point
        rig.Slots.CutPowerAfter(int.MaxValue / 2);
        rig.Boot();
        for (int attempt = 0; attempt < 3 && rig.Agent.State != OtaState.Testing; attempt++) rig.Send(offer, _ => signed);
        Assert.Equal(OtaState.Testing, rig.Agent.State);
        rig.Slots.BootloaderReset();                      // the bootloader swaps the verified image in
        Assert.Equal(SlotState.Testing, rig.Slots.State);
        Assert.True(signed.SequenceEqual(rig.Slots.PrimaryImage), "the image that boots is not the one that was verified");
    }
}
