using System;
using System.Linq;
using System.Text;
using SmartKey.Firmware.Ota;
using SmartKey.Ota;
using SmartKey.Tests.Ota;
using SmartKey.Tests.Protocol;
using Xunit;

namespace SmartKey.Tests.Security;

/// <summary>
/// Issue 21 item 5: whoever can publish on a lock's chunk topic (or open an OTA session) sends the genuine release once
/// with one byte of its signature damaged. The image hash does not cover the signature, so a memory of failed images
/// keyed on it refused the genuine release from then on ("known bad image"), over MQTT and BLE, after a reboot and a
/// factory reset. Only images whose signature verified and which then failed on the lock are remembered now.
/// </summary>
public class PoisonedUpdateMemoryAttackTests
{
    private static string Topic(OtaLab ota, string leaf) => ota.Lab.Device.Config.MqttTopicPrefix + "/" + Lab.Serial + "/ota/" + leaf;

    private static byte[] DamagedSignature(byte[] genuine)
    {
        var damaged = (byte[])genuine.Clone();
        damaged[^5] ^= 0x10;                                             // inside the DER signature, the last TLV
        return damaged;
    }

    /// <summary>One MQTT window: the offer, then each chunk request answered with the bytes of image (the attacker's or the server's).</summary>
    private static void MqttWindow(OtaLab ota, OtaOffer offer, byte[] image, int maxChunks = int.MaxValue)
    {
        var device = ota.Lab.Device;
        var mqtt = device.Hardware.Mqtt;
        device.Core.Reports.Report();
        device.Advance(200);
        int answered = mqtt.Published.Count(p => p.topic == Topic(ota, "chunk/request")), sent = 0;
        mqtt.Inject(Topic(ota, "offer"), offer.Encode());
        device.Advance(50);
        for (int turn = 0; turn < 5000 && device.Core.Uplink.Active && device.Core.Ota.State is OtaState.Downloading or OtaState.Verifying; turn++)
        {
            var requests = mqtt.Published.Where(p => p.topic == Topic(ota, "chunk/request")).ToList();
            if (requests.Count > answered && sent < maxChunks)
            {
                byte[] request = requests[^1].payload;
                int offset = (int)BitConverter.ToUInt32(request, 0), length = BitConverter.ToUInt16(request, 4);
                mqtt.Inject(Topic(ota, "chunk"), BitConverter.GetBytes((uint)offset).Concat(image[offset..(offset + length)]).ToArray());
                answered = requests.Count;
                sent++;
            }

            device.Advance(10);
            if (sent >= maxChunks && device.Core.Ota.State == OtaState.Downloading) break;
        }
    }

    private static string[] Statuses(OtaLab ota) =>
        ota.Lab.Device.Hardware.Mqtt.Published.Where(p => p.topic == Topic(ota, "status")).Select(p => Encoding.UTF8.GetString(p.payload)).ToArray();

    [Fact]
    public void ADamagedCopyOnTheChunkTopicDoesNotBlockTheGenuineReleaseOverMqttOrBleOrAfterAReboot()
    {
        var ota = new OtaLab();
        var device = ota.Lab.Device;
        byte[] genuine = OtaLab.Image("2.0.0", counter: 2, size: 9000);
        var offer = ImageSigner.OfferFor(genuine);                      // the damaged copy has the same image hash: the signature is not hashed

        MqttWindow(ota, offer, DamagedSignature(genuine));
        Assert.Equal((OtaState.Failed, OtaError.BadSignature), (device.Core.Ota.State, device.Core.Ota.LastError));

        // Over MQTT: the genuine release is downloaded, not refused as a known bad image (two chunks, then the window ends).
        int before = Statuses(ota).Length;
        MqttWindow(ota, offer, genuine, maxChunks: 2);
        Assert.NotEqual(OtaError.KnownBadImage, device.Core.Ota.LastError);
        Assert.Equal(OtaState.Downloading, device.Core.Ota.State);
        Assert.Contains(Statuses(ota).Skip(before), s => s.Contains("\"downloading\""));

        // After a reboot, over BLE: the owner's phone installs it.
        device.PowerOnAfterCut();
        var reply = ota.Send(genuine);
        Assert.Equal((OtaError.None, OtaState.Testing), (reply.Error, reply.State));
        ota.Settle();
        Assert.Equal("2.0.0", ota.Running);
    }

    [Fact]
    public void ADamagedCopyOverBleDoesNotBlockTheGenuineReleaseOverMqtt()
    {
        var ota = new OtaLab();
        var device = ota.Lab.Device;
        byte[] genuine = OtaLab.Image("2.1.0", counter: 2, size: 9000);
        var offer = ImageSigner.OfferFor(genuine);
        var poisoned = ota.Send(DamagedSignature(genuine), offer);
        Assert.Equal((OtaError.BadSignature, OtaState.Failed), (poisoned.Error, poisoned.State));

        MqttWindow(ota, offer, genuine);
        Assert.Equal(OtaState.Testing, device.Core.Ota.State);
        ota.Settle();
        Assert.Equal("2.1.0", ota.Running);
    }

    /// <summary>What is still remembered (an image that failed after its signature verified) is forgotten by a factory reset.</summary>
    [Fact]
    public void AFactoryResetForgetsTheImagesThatFailedOnTheLock()
    {
        var ota = new OtaLab();
        var device = ota.Lab.Device;
        // Signed for another hardware, offered as if for this one: it fails after its signature verified, and is remembered.
        byte[] other = OtaLab.Image("2.2.0", counter: 2, hardware: "smartkey-esp32s3-v1");
        var offer = ImageSigner.OfferFor(other);
        offer.HardwareId = OtaLab.Hardware;
        Assert.Equal(OtaError.WrongHardware, ota.Send(other, offer).Error);
        Assert.Equal(OtaError.KnownBadImage, ota.Send(other, offer).Error);

        ota.Lab.WithSession(ota.Lab.Owner!, s => { s.FactoryReset(); return 0; });
        device.Advance(1000);
        var phone = ota.Lab.NewPhone();
        device.Touch();
        phone.Connect();
        var owner = phone.Pair(Lab.Code, Lab.Serial, "owner again");
        phone.Disconnect();
        var reply = ota.Lab.WithSession(owner, s => s.OtaOffer(offer), phone);
        Assert.Equal((OtaError.None, OtaState.Downloading), (reply.Error, reply.State));
    }
}
