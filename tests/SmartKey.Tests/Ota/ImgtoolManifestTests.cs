using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Storage;
using SmartKey.Hal;
using SmartKey.Hal.Simulated;
using SmartKey.Ota;
using Xunit;

namespace SmartKey.Tests.Ota;

/// <summary>
/// The images MCUboot's own imgtool 2.4.0 signed (tests/vectors/mcuboot) against what manifest.json says (17 images) a lock with
/// hardware id smartkey-esp32-v1, trusting signing-key.pub.pem, running 1.0.0 with security counter 0 concludes:
/// smartkey-ota verify and inspect as processes, and the lock's update agent on simulated slots.
/// </summary>
public class ImgtoolManifestTests
{
    private const string RunningVersion = "1.0.0";

    private static readonly JsonElement Manifest = JsonDocument.Parse(File.ReadAllText(RepoPaths.Vector("mcuboot", "manifest.json"))).RootElement.Clone();

    private static string HardwareId => Manifest.GetProperty("hardware_id").GetString()!;

    private static string TrustedKeyPath => RepoPaths.Vector("mcuboot", Manifest.GetProperty("trusted_key").GetString()!);

    private static IEnumerable<(string file, string imgtool, string expect, string? reason, string? version)> Entries() =>
        Manifest.GetProperty("images").EnumerateArray().Select(e => (
            e.GetProperty("file").GetString()!, e.GetProperty("imgtool").GetString()!, e.GetProperty("expect").GetString()!,
            e.TryGetProperty("reason", out var r) ? r.GetString() : null, e.TryGetProperty("version", out var v) ? v.GetString() : null));

    /// <summary>The agent's status for each refusal reason of the manifest.</summary>
    private static byte CodeFor(string reason) => reason switch
    {
        "the image names no hardware id" => OtaError.NoHardwareId,
        "the image has no security counter" => OtaError.NoSecurityCounter,
        "built for another hardware id" => OtaError.WrongHardware,
        "untrusted signing key" => OtaError.UnknownKey,
        "hash mismatch" => OtaError.HashMismatch,
        _ when reason.StartsWith("unsupported image flags ") => OtaError.UnsupportedFlags,
        _ => throw new InvalidDataException("manifest reason not mapped: " + reason),
    };

    [Fact]
    public void VerifyGivesEveryVerdictAndReasonOfTheManifest()
    {
        int ran = 0;
        foreach (var (file, imgtool, expect, reason, _) in Entries())
        {
            var r = OtaTool.Run("verify", RepoPaths.Vector("mcuboot", file), "-k", TrustedKeyPath, "--hardware-id", HardwareId,
                "--running-version", RunningVersion, "--stored-counter", "0");
            string what = $"{file} ({imgtool}): {r.Output}{r.Error}";
            if (expect == "accept")
            {
                Assert.True(r.Exit == 0, what);
                Assert.Equal("valid", r.Output.Trim());
            }
            else
            {
                Assert.Equal("reject", expect);
                Assert.True(r.Exit == 1, what);
                Assert.StartsWith("INVALID: ", r.Output);
                Assert.Contains(reason!, r.Output);
                Assert.Contains(ImageInspector.Describe(CodeFor(reason!)), r.Output);   // the lock's status says the same
            }

            ran++;
        }

        Assert.Equal(17, ran);
    }

    [Fact]
    public void InspectListsEveryImageAndNeverCallsAHashMismatchOk()
    {
        int ran = 0, padded = 0;
        foreach (var (file, imgtool, expect, reason, version) in Entries())
        {
            byte[] bytes = File.ReadAllBytes(RepoPaths.Vector("mcuboot", file));
            var r = OtaTool.Run("inspect", RepoPaths.Vector("mcuboot", file));
            string what = $"{file} ({imgtool}):\n{r.Output}{r.Error}";
            string result = r.Output.Split('\n').Single(l => l.StartsWith("result")).Trim();
            if (reason != null && CodeFor(reason) == OtaError.UnsupportedFlags)
            {
                // A header no lock takes: refused before the TLVs, naming the flags.
                Assert.True(r.Exit == 1, what);
                Assert.StartsWith("result          INVALID: " + reason + " (", result);
                ran++;
                continue;
            }

            Assert.Contains("TLV SHA256", r.Output);
            Assert.Contains(imgtool.Contains("full") ? "TLV PUBKEY" : "TLV KEYHASH", r.Output);
            if (version != null) Assert.Contains("version         " + version, r.Output);
            if (r.Output.Contains("DOES NOT MATCH")) Assert.DoesNotContain("result          ok", r.Output);

            // What no lock takes whatever its keys: inspect says so; what depends on the lock (key, hardware id) is verify's.
            if (reason is "hash mismatch" or "the image names no hardware id" or "the image has no security counter")
            {
                Assert.True(r.Exit == 1, what);
                Assert.Contains("INVALID: " + ImageInspector.Describe(CodeFor(reason)), result);
            }
            else
            {
                Assert.True(r.Exit == 0, what);
                Assert.StartsWith("result          ok", result);
                Assert.Contains("hash            matches the image", r.Output);
            }

            if (System.Text.RegularExpressions.Regex.IsMatch(imgtool, "--pad(?!-)"))
            {
                padded++;
                Assert.Equal(0x20000, bytes.Length);
                Assert.Contains("padding", r.Output);
                Assert.Contains(imgtool.Contains("--confirm") ? "image_ok set" : "image_ok unset", r.Output);
            }

            ran++;
        }

        Assert.Equal(17, ran);
        Assert.Equal(3, padded);
    }

    [Fact]
    public void TheUpdateAgentTakesWhatMcubootBootsAndNamesWhatToChangeOtherwise()
    {
        using var trusted = KeyFiles.Load(TrustedKeyPath, requirePrivate: false);
        int ran = 0, accepted = 0;
        foreach (var (file, imgtool, expect, reason, _) in Entries())
        {
            byte[] image = File.ReadAllBytes(RepoPaths.Vector("mcuboot", file));
            var info = ImageInspector.Inspect(image);
            var flash = new NorFlash(1024, 16);
            var store = new RecordStore(flash, 0, 8);
            store.Mount();
            var slots = new SimFirmwareSlots(new byte[] { 1 });
            var agent = new UpdateAgent(slots, store, HardwareId) { TrustKeys = new[] { ImageSigner.PublicPoint(trusted) }, RunningVersion = RunningVersion, BatteryAllowsOta = true };

            // The offer is what a server derives from the image; a hardware id the image lacks cannot be offered, so the
            // server names the lock's and the signed image decides.
            // An image with flags the lock does not take has no offer a server would make (release upload refuses it):
            // a forged one, describing the image as if its flags were clear, sends it anyway.
            var offer = ImageSigner.OfferFor(info.Error == OtaError.UnsupportedFlags ? WithoutFlags(image) : image);
            if (info.HardwareId == null) offer.HardwareId = HardwareId;
            byte result = agent.Offer(offer);
            for (int at = 0; result == OtaError.None && agent.State == OtaState.Downloading; at += UpdateAgent.MaxChunk)
                result = agent.Chunk(at, image, at, Math.Min(UpdateAgent.MaxChunk, image.Length - at));
            if (result == OtaError.None) result = agent.FinishVerification();

            if (expect == "accept")
            {
                Assert.True(result == OtaError.None, $"{file} ({imgtool}): {ImageInspector.Describe(result)}");
                Assert.Equal(OtaState.Testing, agent.State);
                Assert.Equal(SlotState.TestPending, slots.State);
                slots.BootloaderReset();

                // The slot holds the signed image; a padded image's erased bytes and image trailer arrive erased, so its
                // own --confirm / --test request never reaches flash: the lock's test boot (MarkForTest) is the only one.
                byte[] staged = slots.PrimaryImage;
                Assert.Equal(image.Length, staged.Length);
                Assert.Equal(image[..info.SignedLength], staged[..info.SignedLength]);
                Assert.All(staged[info.SignedLength..], b => Assert.Equal(0xFF, b));
                accepted++;
            }
            else
            {
                Assert.True(CodeFor(reason!) == result, $"{file} ({imgtool}): {ImageInspector.Describe(result)}, expected {reason}");
                if (reason == "built for another hardware id")
                {
                    // The offer names the image's hardware id: refused before a byte is written.
                    Assert.Equal(OtaState.Idle, agent.State);
                    Assert.Equal(0, slots.SlotWrites);
                }
                else
                {
                    Assert.Equal(OtaState.Failed, agent.State);
                }

                Assert.Equal(SlotState.Confirmed, slots.State);
            }

            ran++;
        }

        Assert.Equal(17, ran);
        Assert.Equal(9, accepted);
    }
    private static byte[] WithoutFlags(byte[] image)
    {
        var copy = (byte[])image.Clone();
        Array.Clear(copy, 16, 4);
        return copy;
    }

    [Fact]
    public void APaddedImageResumesAcrossRebootsInsideItsPadding()
    {
        // Reboots land in the payload, at the TLV area and in the erased padding; the image still ends marked, its trailer erased.
        using var trusted = KeyFiles.Load(TrustedKeyPath, requirePrivate: false);
        byte[] image = File.ReadAllBytes(RepoPaths.Vector("mcuboot", "padded-confirmed.bin"));
        var info = ImageInspector.Inspect(image);
        var offer = ImageSigner.OfferFor(image);
        var store = new RecordStore(new NorFlash(1024, 16), 0, 8);
        store.Mount();
        var slots = new SimFirmwareSlots(new byte[] { 1 });
        UpdateAgent Boot()
        {
            var agent = new UpdateAgent(slots, store, HardwareId) { TrustKeys = new[] { ImageSigner.PublicPoint(trusted) }, RunningVersion = RunningVersion, BatteryAllowsOta = true };
            agent.OnBoot(selfTestPassed: true);
            Assert.Equal(OtaError.None, agent.Offer(offer));
            return agent;
        }

        var cuts = new[] { 8192, info.Header!.HashedLength + 2, info.SignedLength + 4096, image.Length - 2048 };
        var current = Boot();
        int reboots = 0, fetched = 0;
        while (current.State == OtaState.Downloading)
        {
            int at = current.Offset, length = current.NextLength(UpdateAgent.MaxChunk);
            if (reboots < cuts.Length && at + length > cuts[reboots])
            {
                length = cuts[reboots] - at;                         // the last chunk before the cut
                if (length > 0) Assert.Equal(OtaError.None, current.Chunk(at, image, at, length));
                fetched += Math.Max(length, 0);
                slots.BootloaderReset();
                current = Boot();
                // Resumed at the last 4 KB block the progress record holds (a staged block is fetched again).
                Assert.InRange(cuts[reboots] - current.Offset, 0, UpdateAgent.StageBytes - 1);
                Assert.Equal(0, current.Offset % UpdateAgent.StageBytes);
                reboots++;
                continue;
            }

            Assert.Equal(OtaError.None, current.Chunk(at, image, at, length));
            fetched += length;
        }

        Assert.Equal(4, reboots);
        Assert.InRange(fetched, image.Length, image.Length + reboots * (UpdateAgent.StageBytes - 1));   // at most one block again per reboot
        Assert.Equal(OtaError.None, current.FinishVerification());
        Assert.Equal(OtaState.Testing, current.State);
        slots.BootloaderReset();
        Assert.Equal(image[..info.SignedLength], slots.PrimaryImage[..info.SignedLength]);
        Assert.All(slots.PrimaryImage[info.SignedLength..], b => Assert.Equal(0xFF, b));
    }
}
