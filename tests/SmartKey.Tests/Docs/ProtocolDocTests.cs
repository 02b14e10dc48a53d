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
        Assert.Equal(ex["paired-tag"], Hex(SessionKeySchedule.PairedTag(kShared, 1)));
        Assert.Equal(12, ex.Count);   // every example in the page is checked above
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
