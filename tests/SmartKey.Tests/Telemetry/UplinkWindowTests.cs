using System.Linq;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Telemetry;
using SmartKey.Ota;
using SmartKey.Tests.Ota;
using Xunit;

namespace SmartKey.Tests.Telemetry;

/// <summary>How long the Wi-Fi window stays open: long enough for a retained offer, no longer when idle.</summary>
public class UplinkWindowTests
{
    private static string OfferTopic(OtaLab ota) =>
        ota.Lab.Device.Config.MqttTopicPrefix + "/" + SmartKey.Tests.Protocol.Lab.Serial + "/ota/offer";

    [Fact]
    public void AnIdleWindowStaysOpenForTheOfferWaitThenHangsUp()
    {
        var ota = new OtaLab();
        var device = ota.Lab.Device;
        var mqtt = device.Hardware.Mqtt;
        device.Core.Reports.Report();
        device.Advance(200);
        Assert.True(mqtt.IsConnected);
        Assert.Contains(mqtt.Published, p => p.topic.EndsWith("/telemetry"));

        device.Advance(Uplink.OfferWaitMs - 400);
        Assert.True(mqtt.IsConnected, "hung up before a retained offer could arrive");
        device.Advance(400);
        Assert.False(mqtt.IsConnected);
        Assert.False(device.Core.Uplink.Active);
    }

    [Fact]
    public void AnOfferArrivingJustAfterTheReportIsTakenAndDownloaded()
    {
        var ota = new OtaLab();
        var device = ota.Lab.Device;
        var mqtt = device.Hardware.Mqtt;
        device.Core.Reports.Report();
        device.Advance(Uplink.OfferWaitMs / 2);
        Assert.Equal(0, mqtt.Published.Count(p => p.topic.EndsWith("/ota/chunk/request")));

        var image = OtaLab.Image("1.1.0", counter: 2);
        Assert.True(mqtt.IsConnected, "a broker delivers only to a connected lock");
        mqtt.Inject(OfferTopic(ota), ImageSigner.OfferFor(image).Encode());     // the broker hands over the retained offer late
        device.Advance(100);
        Assert.Equal(OtaState.Downloading, device.Core.Ota.State);
        Assert.Contains(mqtt.Published, p => p.topic.EndsWith("/ota/chunk/request"));
        Assert.True(device.Core.Uplink.Active);
    }

    [Fact]
    public void ALateCopyOfAWrittenChunkIsDroppedWithoutAStatusAndAChunkAheadIsReported()
    {
        var ota = new OtaLab();
        var device = ota.Lab.Device;
        var mqtt = device.Hardware.Mqtt;
        device.Core.Reports.Report();
        device.Advance(100);
        var image = OtaLab.Image("1.1.0", counter: 2);
        mqtt.Inject(OfferTopic(ota), ImageSigner.OfferFor(image).Encode());
        device.Advance(100);
        string chunkTopic = OfferTopic(ota).Replace("/ota/offer", "/ota/chunk");
        const int Length = 256;
        Assert.True(image.Length > 4 * Length);
        byte[] Chunk(int offset)
        {
            var c = new byte[4 + Length];
            System.BitConverter.GetBytes(offset).CopyTo(c, 0);
            System.Array.Copy(image, offset, c, 4, Length);
            return c;
        }

        mqtt.Inject(chunkTopic, Chunk(0));
        device.Advance(100);
        Assert.Equal(Length, device.Core.Ota.Offset);
        int statuses = mqtt.Published.Count(p => p.topic.EndsWith("/ota/status"));
        int requests = mqtt.Published.Count(p => p.topic.EndsWith("/ota/chunk/request"));

        mqtt.Inject(chunkTopic, Chunk(0));          // the answer to a request sent again after its timeout
        device.Advance(100);
        Assert.Equal(Length, device.Core.Ota.Offset);
        Assert.Equal(statuses, mqtt.Published.Count(p => p.topic.EndsWith("/ota/status")));
        Assert.Equal(requests, mqtt.Published.Count(p => p.topic.EndsWith("/ota/chunk/request")));   // the request out stays out

        mqtt.Inject(chunkTopic, Chunk(3 * Length));     // ahead of the download: a server fault worth reporting
        device.Advance(100);
        Assert.Equal(Length, device.Core.Ota.Offset);
        Assert.Contains(mqtt.Published.Where(p => p.topic.EndsWith("/ota/status")).Select(p => System.Text.Encoding.UTF8.GetString(p.payload)), s => s.Contains("\"error\":7"));
    }
}
