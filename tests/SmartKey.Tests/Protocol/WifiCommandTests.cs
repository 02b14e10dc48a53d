using System;
using System.Linq;
using SmartKey.Firmware.Protocol;
using SmartKey.Phone;
using Xunit;

namespace SmartKey.Tests.Protocol;

/// <summary>SetWifi: an owner gives the lock its network back after a factory reset; nobody else, and no malformed frame, changes it.</summary>
public class WifiCommandTests
{
    [Fact]
    public void AfterAFactoryResetTheNewOwnerGivesTheLockItsWifiAndItReportsAgain()
    {
        var lab = new Lab();
        var mqtt = lab.Device.Hardware.Mqtt;
        lab.WithSession(lab.Owner!, s => { s.FactoryReset(); return 0; });
        lab.Device.Advance(200);
        Assert.Null(mqtt.WifiSsid);
        lab.Device.Core.Reports.Report();
        lab.Device.Advance(3000);
        Assert.False(mqtt.IsConnected);                                  // no network: the report waits in the queue
        Assert.True(lab.Device.Core.Telemetry.Count > 0);

        lab.Device.Touch();
        lab.Phone.Connect();
        var owner = lab.Phone.Pair(Lab.Code, Lab.Serial, "new-owner");
        lab.Phone.Disconnect();
        int before = mqtt.Published.Count;
        lab.WithSession(owner, s => { s.SetWifi("home-2", "correct horse battery"); return 0; });
        Assert.Equal("home-2", mqtt.WifiSsid);
        Assert.Equal("correct horse battery", mqtt.WifiPassword);

        lab.Device.Advance(500);                                         // the queued report goes out at once
        Assert.Contains(mqtt.Published.Skip(before), p => p.topic.EndsWith("/telemetry"));
        Assert.Equal(0, lab.Device.Core.Telemetry.Count);
    }

    [Fact]
    public void AGuestMayNotChangeTheWifi()
    {
        var lab = new Lab();
        var guest = lab.WithSession(lab.Owner!, s => s.AddGuest(null, null));
        string before = lab.Fingerprint();
        var refusal = Assert.Throws<PhoneException>(() => lab.WithSession(guest, s => { s.SetWifi("evil-twin", "password123"); return 0; }));
        Assert.Equal(ErrorCode.NotPermitted, refusal.Code);
        Assert.Equal(before, lab.Fingerprint());
    }

    [Theory]
    [InlineData("", "01")]                          // no SSID
    [InlineData("21" + "41", "00")]                 // SSID of 33 bytes announced, one given
    [InlineData("04" + "686f6d65", "07" + "41424344454647")]        // password of 7
    [InlineData("04" + "686f6d65", "40" + "")]                      // password of 64 announced, none given
    [InlineData("04" + "686f0a65", "00")]                           // a control character in the SSID
    [InlineData("04" + "686f6d65", "08" + "41424344454647ff")]      // a non-ASCII byte in the password
    [InlineData("04" + "686f6d65", "00" + "00")]                    // a trailing byte
    [InlineData("04" + "686f6d", "")]                               // truncated
    public void MalformedArgumentsAreRefusedAndChangeNothing(string ssidPart, string passwordPart)
    {
        var lab = new Lab();
        var owner = lab.Device.Core.Bindings.Find(lab.Owner!.BindingId)!;
        byte[] args = Convert.FromHexString(ssidPart.Length == 0 ? "00" : ssidPart).Concat(Convert.FromHexString(passwordPart)).ToArray();
        byte[] plaintext = new byte[] { CommandId.SetWifi, 7 }.Concat(args).ToArray();
        string before = lab.Fingerprint();
        var outcome = lab.Device.Core.Commands.Execute(owner, plaintext, plaintext.Length);
        Assert.Equal(new byte[] { CommandId.SetWifi | CommandId.ResponseFlag, 7, ErrorCode.InvalidArgument }, outcome.Response);
        Assert.Equal(before, lab.Fingerprint());
    }
}
