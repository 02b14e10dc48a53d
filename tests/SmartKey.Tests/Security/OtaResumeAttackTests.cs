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

    private sealed class Rig
    {
        public readonly NorFlash Flash = new(1024, 16);
        public readonly SimFirmwareSlots Slots = new(new byte[] { 1 });
        public UpdateAgent Agent = null!;

        public Rig() => Boot();

        /// <summary>A (re)boot: the bootloader runs, the store mounts, the agent reloads its progress.</summary>
        public void Boot()
        {
            Flash.PowerOn();
            Slots.BootloaderReset();
            var store = new RecordStore(Flash, 0, 8);
            Assert.Equal(StoreResult.Ok, store.Mount());
            Agent = new UpdateAgent(Slots, store, OtaLab.Hardware) { TrustKeys = new[] { ImageSigner.PublicPoint(OtaLab.Vendor) }, RunningVersion = "1.0.0", BatteryAllowsOta = true };
            Agent.OnBoot(selfTestPassed: true);
        }

        /// <summary>Offers the signed image's offer and sends bytes from where the agent stands.</summary>
        public void Send(OtaOffer offer, byte[] bytes)
        {
            if (Agent.Offer(offer) != OtaError.None) return;
            while (Agent.State == OtaState.Downloading)
            {
                int at = Agent.Offset;
                Agent.Chunk(at, bytes, at, Math.Min(Chunk, bytes.Length - at));
            }
        }
    }

    public static IEnumerable<object[]> CutPoints()
    {
        var (signed, forged, offer) = Images();
        var probe = new Rig();
        int slot0 = probe.Slots.Operations, flash0 = probe.Flash.Operations;
        probe.Send(offer, forged);                       // the forged bytes fail at the end: count every operation on the way
        int slotOps = probe.Slots.Operations - slot0, flashOps = probe.Flash.Operations - flash0;
        for (int cut = 0; cut < slotOps; cut++) yield return new object[] { "slot", cut };
        for (int cut = 0; cut < flashOps; cut++) yield return new object[] { "flash", cut };
    }

    /// <summary>A signed image, a forgery with every byte after the header changed, and the signed image's offer.</summary>
    private static (byte[] signed, byte[] forged, OtaOffer offer) Images()
    {
        byte[] signed = OtaLab.Image("1.8.0", size: 14000);
        byte[] forged = (byte[])signed.Clone();
        for (int i = ImageFormat.HeaderLength; i < forged.Length; i++) forged[i] ^= 0x5A;
        return (signed, forged, ImageSigner.OfferFor(signed));
    }

    [Theory]
    [MemberData(nameof(CutPoints))]
    public void UnsignedBytesSentBeforeAPowerCutNeverEndUpInAVerifiedImage(string where, int cut)
    {
        var (signed, forged, offer) = Images();
        var rig = new Rig();
        if (where == "slot") rig.Slots.CutPowerAfter(cut);
        else rig.Flash.CutPowerAfter(cut, tearTheNext: cut % 2 == 0);
        try
        {
            rig.Send(offer, forged);
        }
        catch (PowerLossException)
        {
        }

        // After the cut the source resends: now the signed bytes, from wherever the lock asks.
        rig.Boot();
        for (int attempt = 0; attempt < 3 && rig.Agent.State != OtaState.Testing; attempt++) rig.Send(offer, signed);
        Assert.Equal(OtaState.Testing, rig.Agent.State);
        rig.Slots.BootloaderReset();                      // the bootloader swaps the verified image in
        Assert.Equal(SlotState.Testing, rig.Slots.State);
        Assert.True(signed.SequenceEqual(rig.Slots.PrimaryImage), "the image that boots is not the one that was verified");
    }
}
