using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using SmartKey.Firmware.Link;
using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Session;
using SmartKey.Hal.Simulated;
using Xunit;

namespace SmartKey.Tests.Docs;

/// <summary>Recomputes every byte example of docs/protocol.md with the code, and checks the tables against the code's constants.</summary>
public class ProtocolDocTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "protocol.md"));

    private static Dictionary<string, string> Examples() =>
        Regex.Matches(Doc, @"`example\.([a-z0-9-]+)` = `([0-9a-f]+)`").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

    [Fact]
    public void SessionExamplesMatchTheCode()
    {
        var ex = Examples();
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var np = Enumerable.Range(0x10, 8).Select(i => (byte)i).ToArray();
        var nd = Enumerable.Range(0xA0, 8).Select(i => (byte)i).ToArray();
        var pd = new byte[16];
        var dp = new byte[16];
        SessionKeySchedule.Derive(key, 1, np, nd, pd, dp);
        Assert.Equal(ex["k-pd"], Hex(pd));
        Assert.Equal(ex["k-dp"], Hex(dp));

        var phone = new SecureChannel(new HostAesBlock(), false);
        phone.Establish(key, 1, np, nd);
        var open = phone.SealOpen(1, nd, new byte[] { CommandId.Unlock, 1 }, 2);
        Assert.Equal(ex["session-open"], Hex(open));
        Assert.Equal(2, Fragmenter.FragmentCount(open.Length, 23));
        Assert.Equal(ex["session-open-fragment-1"], Hex(Fragmenter.Fragment(open, open.Length, 23, 0)));
        Assert.Equal(ex["session-open-fragment-2"], Hex(Fragmenter.Fragment(open, open.Length, 23, 1)));

        var device = new SecureChannel(new HostAesBlock(), true);
        device.Establish(key, 1, np, nd);
        var plain = new byte[64];
        Assert.Equal(ErrorCode.Ok, device.OpenFirst(open, open.Length, plain, out int n));
        Assert.Equal(new byte[] { 1, 1 }, plain[..n]);
        var response = device.SealData(new byte[] { 0x81, 0x01, 0x00, 0x02 }, 4);
        Assert.Equal(ex["unlock-response"], Hex(response));
        Assert.Equal(ex["unlock-response-fragment"], Hex(Fragmenter.Fragment(response, response.Length, 23, 0)));
    }

    [Fact]
    public void PairingExamplesMatchTheCode()
    {
        var ex = Examples();
        var (w0, w1) = SmartKey.Phone.SetupCode.Derive("12345678", "SK-EXAMPLE-1");
        Assert.Equal(ex["w0"], Hex(w0));
        Assert.Equal(ex["w1"], Hex(w1));
        Assert.Equal(ex["l"], Hex(new SmartKey.Firmware.Crypto.Spake2PlusProver(w0, w1).ComputeL()));
        var kShared = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var ownerKey = SessionKeySchedule.OwnerBindingKey(kShared);
        Assert.Equal(ex["owner-key"], Hex(ownerKey));
        // The tag is keyed with the binding key (as the lock computes it), over the 15 bytes "SmartKey paired" and the id.
        var tag = SessionKeySchedule.PairedTag(ownerKey, 1);
        Assert.Equal(ex["paired-tag"], Hex(tag));
        Assert.Equal(Hex(System.Security.Cryptography.HMACSHA256.HashData(ownerKey, (byte[])[.. "SmartKey paired"u8, 1])[..16]), Hex(tag));
        Assert.Equal(ex["pair-accepted"], Hex(HandshakeMessages.PairAccepted(1, tag)));
        Assert.True(HandshakeMessages.TryPairAccepted(Convert.FromHexString(ex["pair-accepted"]), 18, out byte id, out byte[] parsed));
        Assert.Equal(1, id);
        Assert.Equal(tag, parsed);
        Assert.Contains("HMAC(binding key, \"SmartKey paired\" || id)[0..16)", Doc);
        Assert.DoesNotContain("\"SmartKey paired \"", Doc);
    }

    [Fact]
    public void EveryExampleInThePageIsCheckedByATestHere()
    {
        string[] checkedHere = ["k-pd", "k-dp", "session-open", "session-open-fragment-1", "session-open-fragment-2", "unlock-response", "unlock-response-fragment",
            "w0", "w1", "l", "owner-key", "paired-tag", "pair-accepted", "tcp-scan", "tcp-connect-23", "tcp-write"];
        Assert.Equal(checkedHere.Order(), Examples().Keys.Order());
    }

    /// <summary>§9: the documented TCP frames, sent as raw bytes to a real serve link server, get the answers the table names.</summary>
    [Fact]
    public void TcpCarriageExamplesWorkAgainstServe()
    {
        var ex = Examples();
        var device = new SmartKey.Simulator.SimulatedDevice(SmartKey.Simulator.EmbeddedConfig.Load(), 11);
        var gate = new object();
        lock (gate)
        {
            device.Boot();
            var (w0, l) = SmartKey.Phone.SetupCode.Verifier("2468013579", "SK-DOC-1");
            device.Core.Identity.Provision(new SmartKey.Firmware.Identity.DeviceIdentity { Serial = "SK-DOC-1", W0 = w0, L = l, OtaTrustKeys = new[] { l } });
        }

        using var link = new SmartKey.Simulator.Serve.LinkServer(device, 0, gate);
        using var client = new System.Net.Sockets.TcpClient("127.0.0.1", link.Port);
        var stream = client.GetStream();
        client.ReceiveTimeout = 10_000;
        (byte kind, byte[] payload) Read()
        {
            var header = new byte[3];
            stream.ReadExactly(header);
            var payload = new byte[header[1] | (header[2] << 8)];
            stream.ReadExactly(payload);
            return (header[0], payload);
        }

        stream.Write(Convert.FromHexString(ex["tcp-scan"]));
        var adv = Read();
        Assert.Equal((byte)'A', adv.kind);
        Assert.Equal(10, adv.payload.Length);
        Assert.Equal(1, adv.payload[0]);                                   // format version
        Assert.Equal(SmartKey.Firmware.Link.AdvertisementData.FlagUnowned, adv.payload[1] & SmartKey.Firmware.Link.AdvertisementData.FlagUnowned);

        stream.Write(Convert.FromHexString(ex["tcp-connect-23"]));
        var connected = Read();
        Assert.Equal((byte)'c', connected.kind);
        Assert.Equal(new byte[] { 1 }, connected.payload);

        // The first fragment of §8's SessionOpen, as documented, then the second in the same framing: the lock
        // reassembles the message and answers (StaleNonce: §8's Nd was never advertised) in one notification.
        Assert.StartsWith("5714008", ex["tcp-write"]);
        Assert.Equal(ex["session-open-fragment-1"], ex["tcp-write"][6..]);
        stream.Write(Convert.FromHexString(ex["tcp-write"]));
        var second = Convert.FromHexString(ex["session-open-fragment-2"]);
        stream.Write([(byte)'W', (byte)second.Length, 0, .. second]);
        var answer = Read();
        Assert.Equal((byte)'N', answer.kind);
        Assert.Equal(0xC0, answer.payload[0]);                              // start and end: one fragment
        Assert.Equal(MessageType.Error, answer.payload[3]);
        Assert.Equal(ErrorCode.StaleNonce, answer.payload[4]);
    }

    /// <summary>
    /// §1: while a phone is connected the lock does not advertise; when the connection ends it advertises again at
    /// once with a fresh nonce; a central that says nothing is dropped after 5 s (so a phone behind it waits up to
    /// about 5.5 s), and after any connection the lock stays awake at most 5 s more.
    /// </summary>
    [Fact]
    public void TheLockAdvertisesAgainAsSection1Says()
    {
        Assert.Contains("it advertises again at once with a fresh Nd", Doc);
        Assert.Contains("up\nto about 5.5 s after it connected", Doc);
        var device = new SmartKey.Simulator.SimulatedDevice(SmartKey.Simulator.EmbeddedConfig.Load(), 13);
        device.Boot();
        var ble = device.Hardware.Ble;
        device.Advance(100);
        Assert.True(ble.IsAdvertising);

        ble.PhoneConnect();
        device.Advance(20);
        Assert.False(ble.IsAdvertising);                                     // one central at a time
        byte[] before = ble.AdvertisedServiceData![2..10];
        ble.PhoneDisconnect();
        device.Advance(20);
        Assert.True(ble.IsAdvertising);
        Assert.NotEqual(before, ble.AdvertisedServiceData![2..10]);

        ble.PhoneConnect();                                                   // a silent central
        device.Advance(SmartKey.Firmware.Session.DeviceSessionManager.SessionOpenTimeoutMs - 100);
        Assert.True(ble.IsConnected);
        device.Advance(600);
        Assert.False(ble.IsConnected);
        Assert.True(ble.IsAdvertising);
        device.Advance(SmartKey.Firmware.Power.PowerManager.ActivityGraceMs + 1000);
        Assert.True(device.Asleep);                                           // at most 5 s more after a connection
    }

    /// <summary>
    /// §4: an owner's invite holds for 120 s. The lock stays awake for it (a deep sleep would lose the one-time code,
    /// and the lock sleeps 5 s after a connection ends), and sleeps again once the window is over.
    /// </summary>
    [Fact]
    public void AnOwnerInviteHoldsItsWholeWindowAfterTheOwnerHangsUp()
    {
        Assert.Contains("For the next 120 s, and for one successful pairing", Doc);
        var device = new SmartKey.Simulator.SimulatedDevice(SmartKey.Simulator.EmbeddedConfig.Load(), 14);
        device.Boot();
        var (w0, l) = SmartKey.Phone.SetupCode.Verifier("2468013579", "SK-DOC-3");
        device.Core.Identity.Provision(new SmartKey.Firmware.Identity.DeviceIdentity { Serial = "SK-DOC-3", W0 = w0, L = l, OtaTrustKeys = new[] { l } });
        var phone = new SmartKey.Phone.SmartKeyPhone(new SmartKey.Simulator.SimulatedPhoneTransport(device));
        phone.Connect();
        var owner = phone.Pair("2468013579", "SK-DOC-3", "owner");
        phone.Disconnect();

        SmartKey.Phone.OwnerInvitation Invite()
        {
            phone.Connect();
            var session = phone.Open(owner, CommandId.Status, [], out _);
            var invitation = session.AllowOwnerPairing();
            session.End();
            phone.Disconnect();
            return invitation;
        }

        var first = Invite();
        device.Advance(100_000);                                           // the new owner takes 100 s to get there
        Assert.False(device.Asleep);
        var second = new SmartKey.Phone.SmartKeyPhone(new SmartKey.Simulator.SimulatedPhoneTransport(device));
        second.Connect();
        Assert.True(second.PairWithInvite(first.Code, "SK-DOC-3", "second").IsOwner);
        second.Disconnect();

        Invite();                                                          // one nobody uses: the lock sleeps after it
        device.Advance(SmartKey.Firmware.Pairing.OwnerInvite.WindowMs + SmartKey.Firmware.Power.PowerManager.ActivityGraceMs);
        Assert.True(device.Asleep);
    }

    /// <summary>§6's log actions: each of the lock's actions has a name in the reference app, the one the doc gives it.</summary>
    [Fact]
    public void EveryLogActionHasTheDocsNameInTheApp()
    {
        var actions = typeof(SmartKey.Firmware.Log.LogAction).GetFields().Where(f => f.IsLiteral).ToList();
        Assert.Equal(14, actions.Count);
        foreach (var field in actions)
        {
            byte value = (byte)field.GetValue(null)!;
            string name = SmartKey.Phone.LogEntryView.NameOf(value);
            Assert.DoesNotContain("action", name.Replace("authentication", ""));
            Assert.Matches(new Regex(@"\b" + value + " " + Regex.Escape(name) + @"\b"), Doc.Replace("\n", " "));
        }
    }

    /// <summary>§6: "clock set" names the owner who set it (it named key 0 before).</summary>
    [Fact]
    public void ClockSetNamesTheOwnerWhoSetIt()
    {
        var device = new SmartKey.Simulator.SimulatedDevice(SmartKey.Simulator.EmbeddedConfig.Load(), 12);
        device.Boot();
        var (w0, l) = SmartKey.Phone.SetupCode.Verifier("2468013579", "SK-DOC-2");
        device.Core.Identity.Provision(new SmartKey.Firmware.Identity.DeviceIdentity { Serial = "SK-DOC-2", W0 = w0, L = l, OtaTrustKeys = new[] { l } });
        var phone = new SmartKey.Phone.SmartKeyPhone(new SmartKey.Simulator.SimulatedPhoneTransport(device));
        phone.Connect();
        var owner = phone.Pair("2468013579", "SK-DOC-2", "owner");
        phone.Disconnect();
        phone.Connect();
        var session = phone.Open(owner, CommandId.Status, [], out _);
        session.SetTime(new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var set = session.ReadAllLog().Last(e => e.Action == SmartKey.Firmware.Log.LogAction.ClockSet);
        Assert.Equal(owner.BindingId, set.BindingId);
        Assert.Contains("clock set (key id = the owner who set it)", Doc);
    }

    [Fact]
    public void ErrorTableListsEveryCodeWithItsNumber()
    {
        var codes = typeof(ErrorCode).GetFields().Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (byte)f.GetValue(null)!);
        foreach (var (name, value) in codes)
            Assert.Matches(new Regex(@"\| " + value + @" \| " + name + @" \|"), Doc);
        var commands = typeof(CommandId).GetFields().Where(f => f.IsLiteral && f.FieldType == typeof(byte) && f.Name != "ResponseFlag" && !f.Name.StartsWith("Ota"));
        foreach (var c in commands)
            Assert.Contains($"| 0x{(byte)c.GetValue(null)!:X2} | {c.Name} |", Doc);
        // The GATT table shows nf.config's UUIDs.
        Assert.True(SmartKey.Firmware.Config.DeviceConfig.TryParse(File.ReadAllText(Path.Combine(RepoPaths.Root, "nf.config")), out var config, out _));
        foreach (var uuid in new[] { config.BleServiceUuid, config.BleWriteUuid, config.BleNotifyUuid }) Assert.Contains("`" + uuid + "`", Doc);
    }
}
