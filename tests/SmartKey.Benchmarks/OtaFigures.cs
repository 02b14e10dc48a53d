using System;
using System.Diagnostics;
using System.Security.Cryptography;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Commands;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Storage;
using SmartKey.Hal.Simulated;
using SmartKey.Ota;

namespace SmartKey.Benchmarks;

/// <summary>Issue 6 figures: a 1 MB image through the update agent on simulated slots and flash.</summary>
public static class OtaFigures
{
    public static void Run()
    {
        Console.WriteLine();
        Console.WriteLine("OTA (issue 6), 1 MB image on the simulator:");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var payload = new byte[1024 * 1024];
        new Random(1).NextBytes(payload);
        byte[] image = ImageSigner.Sign(payload, "1.1.0", 2, "smartkey-esp32-v1", key);
        var offer = ImageSigner.OfferFor(image);
        Console.WriteLine($"  image {image.Length} bytes: payload {payload.Length}, header 32, TLVs {image.Length - payload.Length - 32}");

        foreach (int chunk in new[] { BleOtaCommands.MaxBleChunk, UpdateAgent.MaxChunk })
        {
            var (agent, slots, flash) = Fresh(key);
            agent.Offer(offer);
            long flashBefore = flash.BytesWritten;
            CryptoCounters.Reset();
            var sw = Stopwatch.StartNew();
            int chunks = 0;
            for (int at = 0; at < image.Length; at += chunk, chunks++) agent.Chunk(at, image, at, Math.Min(chunk, image.Length - at));
            agent.FinishVerification();
            sw.Stop();
            if (agent.State != OtaState.Testing) throw new InvalidOperationException("update did not verify: " + agent.LastError);
            string transport = chunk == BleOtaCommands.MaxBleChunk
                ? $"BLE session (per chunk: 19 B of message framing + 1 B per ATT fragment: {100.0 * (19 + FragmentsPer(chunk + 19, 23)) / chunk:F1} % at MTU 23, {100.0 * (19 + FragmentsPer(chunk + 19, 247)) / chunk:F1} % at MTU 247)"
                : "MQTT (per chunk: 4 B offset + topic and MQTT header ~60 B)";
            Console.WriteLine($"  {chunk} B chunks over {transport}: {chunks} chunks, host throughput {image.Length / sw.Elapsed.TotalSeconds / 1e6:F1} MB/s through hashing, slot writes and progress records; progress records wrote {(flash.BytesWritten - flashBefore) / 1024} KB to the record store");
            Console.WriteLine($"    device-side verification: {CryptoCounters.Sha256Compressions} SHA-256 compressions (streamed hash of {image.Length / 1024} KB plus key hashes), {CryptoCounters.FieldOperations} field operations (one ECDSA P-256 verification)");
        }

        // Resume: disconnect and reboot mid-download, count bytes fetched again.
        var (a, s, f) = Fresh(key);
        a.Offer(offer);
        int sent = 0;
        var rng = new Random(3);
        int next = 0;
        while (a.State == OtaState.Downloading)
        {
            int len = Math.Min(UpdateAgent.MaxChunk, image.Length - next);
            a.Chunk(next, image, next, len);
            sent += len;
            next = a.Offset;
            if (rng.Next(40) == 0 && a.State == OtaState.Downloading)
            {
                s.BootloaderReset();                                  // a reboot: a new agent on the same slots and store
                var store = new RecordStore(f, 0, 8);
                store.Mount();
                a = new UpdateAgent(s, store, "smartkey-esp32-v1") { TrustKeys = new[] { ImageSigner.PublicPoint(key) }, RunningVersion = "1.0.0", BatteryAllowsOta = true };
                a.OnBoot(true);
                a.Offer(offer);
                next = a.Offset;
            }
        }

        Console.WriteLine($"  with reboots at random points: {sent - image.Length} bytes downloaded again in total [goal ≤ one chunk per resume]");
    }

    private static int FragmentsPer(int message, int mtu) => SmartKey.Firmware.Link.Fragmenter.FragmentCount(message, mtu) + 2;

    private static (UpdateAgent, SimFirmwareSlots, NorFlash) Fresh(ECDsa key)
    {
        var flash = new NorFlash(4096, 16);
        var store = new RecordStore(flash, 0, 8);
        store.Mount();
        var slots = new SimFirmwareSlots(new byte[] { 1 }, 2 * 1024 * 1024);
        var agent = new UpdateAgent(slots, store, "smartkey-esp32-v1") { TrustKeys = new[] { ImageSigner.PublicPoint(key) }, RunningVersion = "1.0.0", BatteryAllowsOta = true };
        return (agent, slots, flash);
    }
}
