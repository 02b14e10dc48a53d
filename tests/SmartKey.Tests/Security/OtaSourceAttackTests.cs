using System;
using System.Linq;
using System.Text;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Storage;
using SmartKey.Hal.Simulated;
using SmartKey.Ota;
using SmartKey.Tests.Ota;
using Xunit;

namespace SmartKey.Tests.Security;

/// <summary>Items 7 and 14: someone with write access to a lock's OTA topics, and a lock that keeps fetching a bad image.</summary>
public class OtaSourceAttackTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public OtaSourceAttackTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    private static string Topic(OtaLab ota, string leaf) =>
        ota.Lab.Device.Config.MqttTopicPrefix + "/" + SmartKey.Tests.Protocol.Lab.Serial + "/ota/" + leaf;

    [Fact]
    public void OneByteChunksDoNotWriteAFlashRecordEach()
    {
        var flash = new NorFlash(1024, 16);
        var store = new RecordStore(flash, 0, 8);
        store.Mount();
        var slots = new SimFirmwareSlots(new byte[] { 1 });
        var agent = new UpdateAgent(slots, store, OtaLab.Hardware) { TrustKeys = new[] { ImageSigner.PublicPoint(OtaLab.Vendor) }, RunningVersion = "1.0.0", BatteryAllowsOta = true };
        byte[] image = OtaLab.Image("1.9.0", size: 64 * 1024);
        Assert.Equal(OtaError.None, agent.Offer(ImageSigner.OfferFor(image)));
        long before = flash.BytesWritten;
        int writesBefore = flash.WriteCount;
        for (int at = 0; at < image.Length; at++) Assert.Equal(OtaError.None, agent.Chunk(at, image, at, 1));
        Assert.Equal(OtaError.None, agent.FinishVerification());
        Assert.Equal(OtaState.Testing, agent.State);
        // Two progress records per 4 KB block (plus the store's own compaction), not one per chunk.
        double megabytes = image.Length / 1048576.0;
        long bytesPerMb = (long)((flash.BytesWritten - before) / megabytes);
        int writesPerMb = (int)((flash.WriteCount - writesBefore) / megabytes);
        _output.WriteLine($"1-byte chunks: {bytesPerMb} flash bytes and {writesPerMb} flash writes per MB of image");
        Assert.True(bytesPerMb <= 2L * 1048576, $"{bytesPerMb} flash bytes written per MB of image");
        Assert.True(writesPerMb <= 8 * 2 * 1048576 / UpdateAgent.StageBytes, $"{writesPerMb} flash writes per MB of image");
    }

    [Fact]
    public void ForgedOneByteChunksDoNotKeepTheWifiOnForHours()
    {
        var ota = new OtaLab();
        var device = ota.Lab.Device;
        var mqtt = device.Hardware.Mqtt;
        device.Core.Reports.Report();
        device.Advance(200);
        Assert.True(mqtt.IsConnected);
        // A plausible offer for a 1 MB image nobody will ever send whole.
        var offer = ImageSigner.OfferFor(OtaLab.Image("3.0.0"));
        offer.ImageSize = 1024 * 1024;
        offer.ImageHash = new byte[32];
        mqtt.Inject(Topic(ota, "offer"), offer.Encode());
        device.Advance(100);
        Assert.Equal(OtaState.Downloading, device.Core.Ota.State);
        long offeredAt = device.Hardware.Clock.ElapsedMilliseconds, lastConnectedAt = offeredAt;
        for (int minute = 0; minute < 120; minute++)
        {
            for (int beat = 0; beat < 2; beat++)
            {
                var chunk = BitConverter.GetBytes((uint)device.Core.Ota.Offset).Concat(new byte[] { 0xAA }).ToArray();
                mqtt.Inject(Topic(ota, "chunk"), chunk);                           // every 30 s, one byte
                device.Advance(30000);
                if (mqtt.IsConnected) lastConnectedAt = device.Hardware.Clock.ElapsedMilliseconds;
            }
        }

        long wifiMs = lastConnectedAt - offeredAt;
        _output.WriteLine($"forged offer + a 1-byte chunk every 30 s for 2 h: Wi-Fi on {wifiMs / 1000} s");
        Assert.True(wifiMs <= SmartKey.Firmware.Telemetry.Uplink.WindowMs + 30000, $"Wi-Fi stayed on {wifiMs / 1000} s after the forged offer");
    }

    [Fact]
    public void AnImageThatFailedIsNotDownloadedAgainAtEveryWindowAndIsReportedOnce()
    {
        var ota = new OtaLab();
        var device = ota.Lab.Device;
        var mqtt = device.Hardware.Mqtt;
        // Signed for another hardware, offered as this lock's: it fails after its signature verified, so it is remembered
        // (a broken signature is not: that may be a damaged copy of a good image, PoisonedUpdateMemoryAttackTests).
        byte[] image = OtaLab.Image("2.1.0", counter: 3, hardware: "smartkey-esp32s3-v1");
        var offer = ImageSigner.OfferFor(image);
        offer.HardwareId = OtaLab.Hardware;
        int requestsBefore = 0, served = 0;
        for (int window = 0; window < 3; window++)
        {
            if (window == 2) device.PowerOnAfterCut();                             // remembered across a reboot too
            device.Core.Reports.Report();                                          // the daily window
            device.Advance(200);
            mqtt.Inject(Topic(ota, "offer"), offer.Encode());                      // the broker's retained offer, every window
            for (int step = 0; step < 200 && device.Core.Uplink.Active; step++)
            {
                Serve(ota, image, ref served);
                device.Advance(100);
            }

            int requests = mqtt.Published.Count(p => p.topic.EndsWith("/ota/chunk/request"));
            if (window == 0) Assert.True(requests > 0, "the first window downloads the image");
            else Assert.Equal(requestsBefore, requests);                           // no byte fetched again
            requestsBefore = requests;
        }

        var failures = mqtt.Published.Where(p => p.topic.EndsWith("/ota/status") && Encoding.UTF8.GetString(p.payload).Contains("\"failed\"")).ToList();
        Assert.Contains("\"error\":" + OtaError.WrongHardware, Encoding.UTF8.GetString(Assert.Single(failures).payload));
        Assert.Equal("1.0.0", ota.Running);
    }

    /// <summary>A well-behaved server: answers each new chunk request with exactly the bytes asked for.</summary>
    private static void Serve(OtaLab ota, byte[] image, ref int served)
    {
        var mqtt = ota.Lab.Device.Hardware.Mqtt;
        var requests = mqtt.Published.Where(p => p.topic.EndsWith("/ota/chunk/request")).ToList();
        foreach (var request in requests.Skip(Math.Min(served, requests.Count)))
        {
            int offset = (int)BitConverter.ToUInt32(request.payload, 0);
            int length = BitConverter.ToUInt16(request.payload, 4);
            mqtt.Inject(Topic(ota, "chunk"), BitConverter.GetBytes((uint)offset).Concat(image.Skip(offset).Take(length)).ToArray());
        }

        served = requests.Count;
    }
}
