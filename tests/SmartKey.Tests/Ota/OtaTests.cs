using System;
using System.Linq;
using SmartKey.Firmware.Commands;
using CsCheck;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Storage;
using SmartKey.Hal;
using SmartKey.Hal.Simulated;
using SmartKey.Ota;
using Xunit;

namespace SmartKey.Tests.Ota;

public class OtaTests
{
    [Fact]
    public void HappyPathTestBootAndConfirmation()
    {
        var ota = new OtaLab();
        Assert.Equal("1.0.0", ota.Running);
        var image = OtaLab.Image("1.1.0", counter: 4);
        var reply = ota.Send(image);
        Assert.Equal(OtaError.None, reply.Error);
        Assert.Equal(OtaState.Testing, reply.State);                // marked; the lock reboots into it once the phone hangs up
        ota.Settle();
        var slots = ota.Lab.Device.Hardware.Slots;
        Assert.Equal(SlotState.Confirmed, slots.State);
        Assert.Equal("1.1.0", ota.Running);                       // the simulator really runs the new image now
        Assert.Equal(4u, UpdateAgent.StoredSecurityCounter(ota.Lab.Device.Core.Store));
        Assert.Equal(OtaState.Confirmed, ota.Lab.Device.Core.Ota.State);
        var status = ota.Lab.WithSession(ota.Lab.Owner!, s => s.Status());
        Assert.Equal("1.1.0", status.FirmwareVersion);
        Assert.Contains(ota.Lab.WithSession(ota.Lab.Owner!, s => s.ReadAllLog()), e => e.Action == SmartKey.Firmware.Log.LogAction.FirmwareUpdated);
    }

    [Fact]
    public void ResumesAfterDisconnectsAndRebootsAtRandomOffsetsFetchingAtMostOneBlockAgain()
    {
        var rng = new Random(6);
        for (int trial = 0; trial < 6; trial++)
        {
            var ota = new OtaLab((ulong)trial + 10);
            var image = OtaLab.Image("1.2.0", size: 9000 + rng.Next(3000));
            long sent = 0;
            int sessions = 0, reboots = 0;
            PhoneSessionReply last;
            do
            {
                int chunks = 1 + rng.Next(4);
                var offsetBefore = ota.Lab.Device.Core.Ota.Offset;
                var reply = ota.Send(image, maxChunks: chunks);
                sent += reply.Offset - offsetBefore;
                last = new PhoneSessionReply(reply.State);
                sessions++;
                if (rng.Next(3) == 0 && reply.State == OtaState.Downloading) { ota.Lab.Device.PowerOnAfterCut(); reboots++; }   // a reboot mid-download
            }
            while (last.State == OtaState.Downloading && sessions < 50);

            Assert.Equal(OtaState.Testing, last.State);
            Assert.True(sessions > 2);
            // A reboot loses at most the block staged in RAM (UpdateAgent.StageBytes) and the chunk in flight.
            Assert.True(sent - image.Length <= reboots * UpdateAgent.StageBytes + BleOtaCommands.MaxBleChunk, $"re-downloaded {sent - image.Length} bytes after {reboots} reboots");
            ota.Settle();
            Assert.Equal("1.2.0", ota.Running);
        }
    }

    private readonly record struct PhoneSessionReply(byte State);

    [Fact]
    public void PowerCutAtEverySlotWriteAndStateChangeLeavesTheLockRunningOldOrNew()
    {
        var image = OtaLab.Image("1.3.0", counter: 2, size: 12000);       // three staged blocks
        var probe = new OtaLab();
        int slotOps = probe.Lab.Device.Hardware.Slots.Operations;
        int flashOps = probe.Lab.Device.Hardware.Flash.Operations;
        probe.Send(image);
        probe.Settle();
        slotOps = probe.Lab.Device.Hardware.Slots.Operations - slotOps;
        flashOps = probe.Lab.Device.Hardware.Flash.Operations - flashOps;
        Assert.Equal("1.3.0", probe.Running);

        int tried = 0;
        for (int cut = 0; cut < slotOps + flashOps; cut++)
        {
            var ota = new OtaLab();
            if (cut < slotOps) ota.Lab.Device.Hardware.Slots.CutPowerAfter(cut);
            else ota.Lab.Device.Hardware.Flash.CutPowerAfter(cut - slotOps, tearTheNext: cut % 2 == 0);
            try
            {
                ota.Send(image);
                ota.Settle();
            }
            catch (PowerLossException)
            {
                ota.Lab.Device.PowerOnAfterCut();
            }
            catch (SmartKey.Phone.PhoneException)
            {
                ota.Lab.Device.PowerOnAfterCut();
            }

            Assert.Contains(ota.Running, new[] { "1.0.0", "1.3.0" });
            Assert.Equal(0, ota.Lab.Device.Core.Store.DamagedKeys);
            if (ota.Running == "1.0.0")
            {
                // The update can always be finished afterwards.
                ota.Send(image);
                ota.Settle();
            }

            Assert.Equal("1.3.0", ota.Running);
            Assert.Equal(SlotState.Confirmed, ota.Lab.Device.Hardware.Slots.State);
            tried++;
        }

        Assert.Equal(slotOps + flashOps, tried);
        Assert.True(tried > 20, "cut points " + tried);
    }

    public static TheoryData<string> Attacks() => new()
    {
        "payload", "header", "rehashed", "signature", "tlv-structure", "wrong-key", "wrong-hardware", "wrong-hardware-lying-offer",
        "downgrade", "downgrade-lying-offer", "lower-counter", "truncated", "oversized", "offer-lies-about-counter",
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void TamperedOrUnsuitableImagesAreRefusedAndTheRunningImageStays(string attack)
    {
        var ota = new OtaLab();
        if (attack == "lower-counter")
        {
            ota.Send(OtaLab.Image("1.1.0", counter: 5));
            ota.Settle();
            Assert.Equal("1.1.0", ota.Running);
        }

        string running = ota.Running;
        byte[] image = OtaLab.Image("2.0.0", counter: 6);
        var offer = ImageSigner.OfferFor(image);
        byte expected;
        switch (attack)
        {
            case "payload":
                image[100] ^= 1;
                expected = OtaError.HashMismatch;
                break;
            case "header":
                image[21] = 9;                                   // minor version bumped after signing
                offer.Minor = 9;
                expected = OtaError.HashMismatch;
                break;
            case "rehashed":
                image[200] ^= 1;                                 // payload changed and the SHA256 TLV recomputed to match
                var info = ImageInspector.Inspect(image);
                byte[] digest = System.Security.Cryptography.SHA256.HashData(image.AsSpan(0, info.Header!.HashedLength));
                int at = image.AsSpan().IndexOf(info.Hash);
                digest.CopyTo(image, at);
                offer.ImageHash = digest;
                expected = OtaError.BadSignature;
                break;
            case "signature":
                image[^5] ^= 0x10;
                expected = OtaError.BadSignature;
                break;
            case "tlv-structure":
                int tlvInfo = ImageInspector.Inspect(image).Header!.HashedLength;
                image[tlvInfo] = 0x00;                           // the TLV info magic
                expected = OtaError.BadTlv;
                break;
            case "wrong-key":
                image = OtaLab.Image("2.0.0", counter: 6, key: OtaLab.Stranger);
                offer = ImageSigner.OfferFor(image);
                expected = OtaError.UnknownKey;
                break;
            case "wrong-hardware":
                image = OtaLab.Image("2.0.0", counter: 6, hardware: "smartkey-esp32-v9");
                offer = ImageSigner.OfferFor(image);
                expected = OtaError.WrongHardware;
                break;
            case "wrong-hardware-lying-offer":
                image = OtaLab.Image("2.0.0", counter: 6, hardware: "smartkey-esp32-v9");
                offer = ImageSigner.OfferFor(image);
                offer.HardwareId = OtaLab.Hardware;
                expected = OtaError.WrongHardware;
                break;
            case "downgrade":
                image = OtaLab.Image("0.9.0", counter: 6);
                offer = ImageSigner.OfferFor(image);
                expected = OtaError.Downgrade;
                break;
            case "downgrade-lying-offer":
                image = OtaLab.Image("0.9.0", counter: 6);
                offer = ImageSigner.OfferFor(image);
                offer.Major = 3;
                expected = OtaError.Downgrade;
                break;
            case "lower-counter":
                image = OtaLab.Image("2.0.0", counter: 4);
                offer = ImageSigner.OfferFor(image);
                expected = OtaError.SecurityCounterTooLow;
                break;
            case "offer-lies-about-counter":
                image = OtaLab.Image("2.0.0", counter: 0);
                offer = ImageSigner.OfferFor(image);
                offer.SecurityCounter = 9;
                expected = OtaError.OfferMismatch;
                break;
            case "truncated":
                image = image[..(image.Length - 40)];
                offer.ImageSize = image.Length;
                expected = OtaError.Truncated;
                break;
            default: // oversized
                offer.ImageSize = ota.Lab.Device.Hardware.Slots.SecondaryCapacity + 1;
                expected = OtaError.TooLarge;
                break;
        }

        var reply = ota.Send(image, offer);
        Assert.Equal(expected, reply.Error);
        Assert.NotEqual(OtaState.Testing, reply.State);
        ota.Settle();
        Assert.Equal(running, ota.Running);
        Assert.Equal(SlotState.Confirmed, ota.Lab.Device.Hardware.Slots.State);
        Assert.Equal(attack == "lower-counter" ? 5u : 0u, UpdateAgent.StoredSecurityCounter(ota.Lab.Device.Core.Store));
    }

    [Fact]
    public void ATestBootThatNeverConfirmsIsReverted()
    {
        var ota = new OtaLab();
        var statuses = new System.Collections.Generic.List<byte>();
        var reply = ota.Send(OtaLab.Image("1.4.0", crash: true));
        Assert.Equal(OtaState.Testing, reply.State);
        ota.Settle();
        Assert.Equal(1, ota.Lab.Device.Crashes);
        Assert.Equal(SlotState.Reverted, ota.Lab.Device.Hardware.Slots.State);
        Assert.Equal("1.0.0", ota.Running);
        Assert.Equal(OtaState.Reverted, ota.Lab.Device.Core.Ota.State);
        // A good image afterwards installs normally.
        ota.Send(OtaLab.Image("1.4.1"));
        ota.Settle();
        Assert.Equal("1.4.1", ota.Running);
    }

    [Fact]
    public void AFailedSelfTestRevertsOnTheNextReset()
    {
        var flash = new NorFlash(1024, 16);
        var store = new RecordStore(flash, 0, 8);
        store.Mount();
        var slots = new SimFirmwareSlots(new byte[] { 1 });
        var agent = new UpdateAgent(slots, store, OtaLab.Hardware) { TrustKeys = new[] { ImageSigner.PublicPoint(OtaLab.Vendor) }, RunningVersion = "1.0.0", BatteryAllowsOta = true };
        var image = OtaLab.Image("1.5.0");
        Assert.Equal(OtaError.None, agent.Offer(ImageSigner.OfferFor(image)));
        for (int at = 0; at < image.Length; at += 1000) agent.Chunk(at, image, at, Math.Min(1000, image.Length - at));
        Assert.Equal(OtaState.Verifying, agent.State);
        Assert.Equal(OtaError.None, agent.FinishVerification());
        Assert.Equal(OtaState.Testing, agent.State);
        slots.BootloaderReset();
        var booted = new UpdateAgent(slots, store, OtaLab.Hardware);
        booted.OnBoot(selfTestPassed: false);
        Assert.Equal(OtaError.SelfTestFailed, booted.LastError);
        Assert.True(booted.RebootRequested);
        slots.BootloaderReset();
        Assert.Equal(SlotState.Reverted, slots.State);
        var again = new UpdateAgent(slots, store, OtaLab.Hardware);
        again.OnBoot(selfTestPassed: true);
        Assert.Equal(OtaState.Reverted, again.State);
    }

    [Fact]
    public void BatteryLowOrCriticalRefusesUpdates()
    {
        var ota = new OtaLab();
        ota.Lab.Device.Hardware.Battery.SetStateOfCharge(15);
        ota.Lab.Device.PowerOnAfterCut();                 // a fresh boot reads the battery
        var reply = ota.Send(OtaLab.Image("1.6.0"));
        Assert.Equal(OtaError.BatteryLow, reply.Error);
        Assert.Equal("1.0.0", ota.Running);
    }

    [Fact]
    public void FiveThousandMutatedImagesNeverCrashTheAgentOrReachTheBootloader()
    {
        // CsCheck property over up to four mutations of a signed image; a failure is shrunk and printed with its seed.
        var good = OtaLab.Image("1.7.0", size: 600);
        var goodOffer = ImageSigner.OfferFor(good);
        var mutation = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 1 << 20], Gen.Int[0, 7], Gen.Byte, Gen.Int[1, 49]);
        int runs = 0, accepted = 0;
        Gen.Select(mutation.Array[1, 4], Gen.Bool).Sample((mutations, honestOffer) =>
        {
            var flash = new NorFlash(1024, 16);
            var store = new RecordStore(flash, 0, 8);
            store.Mount();
            var slots = new SimFirmwareSlots(new byte[] { 1 });
            var agent = new UpdateAgent(slots, store, OtaLab.Hardware) { TrustKeys = new[] { ImageSigner.PublicPoint(OtaLab.Vendor) }, RunningVersion = "1.0.0", BatteryAllowsOta = true };
            byte[] image = (byte[])good.Clone();
            foreach (var (kind, at, bit, value, cut) in mutations)
            {
                if (kind == 0) image[at % image.Length] ^= (byte)(1 << bit);
                else if (kind == 1) image[at % Math.Min(64, image.Length)] = value;                              // header
                else if (kind == 2) image[image.Length - 1 - at % Math.Min(200, image.Length)] = value;           // TLVs
                else image = image[..(image.Length - Math.Min(cut, image.Length - 1))];
            }

            var offer = honestOffer ? goodOffer : new OtaOffer { Major = 2, ImageSize = image.Length, ImageHash = new byte[32], HardwareId = OtaLab.Hardware };
            offer = OtaOffer.Decode(offer.Encode(), 0, offer.Encode().Length)!;
            offer.ImageSize = image.Length;
            if (agent.Offer(offer) == OtaError.None)
            {
                for (int at = 0; at < image.Length && agent.State == OtaState.Downloading; at += 256)
                    agent.Chunk(at, image, at, Math.Min(256, image.Length - at));
                agent.FinishVerification();
            }

            if (agent.State == OtaState.Testing)
            {
                Assert.Equal(good, image);                  // only the untouched image may ever be marked
                System.Threading.Interlocked.Increment(ref accepted);
            }

            System.Threading.Interlocked.Increment(ref runs);
        }, iter: 5000);

        Assert.Equal(5000, runs);
        Assert.True(accepted < 50, "accepted " + accepted);
    }
}
