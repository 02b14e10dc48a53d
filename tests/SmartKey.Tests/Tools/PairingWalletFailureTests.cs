using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using SmartKey.Cli;
using SmartKey.Firmware.Keys;
using SmartKey.Simulator;
using SmartKey.Simulator.Serve;
using Xunit;

namespace SmartKey.Tests.Tools;

/// <summary>
/// Issue 26, item 1: pairing never leaves a ghost owner. The wallet fails at each of pairing's writes (a wallet
/// path that is a folder, a folder that takes no new files, and a failure injected before the check, the pending
/// and the confirming write), by the label's code and by an owner's invite, against a real serve link server:
/// the lock ends with no new owner, or with one whose key the wallet holds.
/// </summary>
public sealed class PairingWalletFailureTests : IDisposable
{
    private const string Serial = "SK-GHOST";
    private const string Code = "5038261749";
    private readonly string _dir = Directory.CreateTempSubdirectory("smartkey-ghost-").FullName;
    private readonly SimulatedDevice _device;
    private readonly object _gate = new();
    private readonly LinkServer _link;

    public PairingWalletFailureTests()
    {
        _device = new SimulatedDevice(EmbeddedConfig.Load(), 26);
        lock (_gate)
        {
            _device.Boot();
            var (w0, l) = SmartKey.Phone.SetupCode.Verifier(Code, Serial);
            _device.Core.Identity.Provision(new SmartKey.Firmware.Identity.DeviceIdentity { Serial = Serial, W0 = w0, L = l, OtaTrustKeys = new[] { l } });
        }

        _link = new LinkServer(_device, 0, _gate);
    }

    public void Dispose()
    {
        _link.Dispose();
        foreach (string d in Directory.GetDirectories(_dir)) File.SetUnixFileMode(d, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.Delete(_dir, recursive: true);
    }

    private (int exit, string output, string error) Cli(string wallet, string? failAt, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Func<string, Wallet> open = path => new Wallet(path, reason =>
        {
            if (reason == failAt) throw new IOException("injected failure before the " + reason + " write");
        });
        int exit = CliApp.Run([.. args, "--port", _link.Port.ToString(), "--wallet", wallet], output, error, open);
        return (exit, output.ToString(), error.ToString());
    }

    private Binding[] Owners()
    {
        lock (_gate) return _device.Core.Bindings.All().Where(b => b.IsOwner && !b.Revoked).ToArray();
    }

    private uint OwnerChanges()
    {
        lock (_gate) return _device.Core.Bindings.OwnerChanges;
    }

    private static string[] KeysIn(string wallet)
    {
        if (!File.Exists(wallet)) return [];
        using var json = JsonDocument.Parse(File.ReadAllText(wallet));
        return json.RootElement.EnumerateArray().Select(e => e.GetProperty("Key").GetString()!.ToLowerInvariant()).ToArray();
    }

    private string WalletFor(string fault)
    {
        switch (fault)
        {
            case "folder":
                return Directory.CreateDirectory(Path.Combine(_dir, "wallet-folder.json")).FullName;
            case "no-new-files":
                if (Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root")
                    return "/proc/smartkey-wallet.json";      // root ignores a folder's mode bits; /proc takes no new files from anyone
                var folder = Directory.CreateDirectory(Path.Combine(_dir, "read-only")).FullName;
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
                return Path.Combine(folder, "wallet.json");
            default:
                return Path.Combine(_dir, "new-owner.json");
        }
    }

    [Theory]
    [InlineData("code", "folder")]
    [InlineData("code", "no-new-files")]
    [InlineData("code", "check")]
    [InlineData("code", "pending")]
    [InlineData("code", "confirm")]
    [InlineData("invite", "folder")]
    [InlineData("invite", "no-new-files")]
    [InlineData("invite", "check")]
    [InlineData("invite", "pending")]
    [InlineData("invite", "confirm")]
    public void AWalletThatFailsAtAnyStepLeavesNoOwnerNobodyHolds(string how, string fault)
    {
        string[] pairArgs = ["pair", "--lock", Serial, "--code", Code];
        if (how == "invite")
        {
            string first = Path.Combine(_dir, "first-owner.json");
            Assert.Equal(0, Cli(first, null, pairArgs).exit);
            var allowed = Cli(first, null, "allow-owner");
            Assert.Equal(0, allowed.exit);
            Assert.Contains($"smartkey pair --lock {Serial} --invite ", allowed.output);     // the serial filled in
            string invite = Regex.Match(allowed.output, "--invite ([0-9a-f]{32})").Groups[1].Value;
            pairArgs = ["pair", "--lock", Serial, "--invite", invite];
        }

        var ownersBefore = Owners();
        uint changesBefore = OwnerChanges();
        string wallet = WalletFor(fault);
        var result = Cli(wallet, fault is "check" or "pending" or "confirm" ? fault : null, pairArgs);

        ToolProcess.AssertOneLine(new ToolProcess.Result(result.exit, result.output, result.error), 2, fault == "confirm" ? "could not record it" : "cannot write the wallet");
        var added = Owners().Where(o => ownersBefore.All(b => b.Id != o.Id)).ToArray();
        Assert.True(added.Length <= 1);
        if (fault != "confirm")
        {
            Assert.Empty(added);                                             // the phone hung up before PairConfirm
            Assert.Equal(changesBefore, OwnerChanges());
            return;
        }

        // The lock committed and the wallet's last write failed: the key is in the wallet, pending, and the
        // message says how to finish; the lock's owner-change counter shows the new owner.
        var owner = Assert.Single(added);
        Assert.Contains(Convert.ToHexString(owner.Key).ToLowerInvariant(), KeysIn(wallet));
        Assert.Equal(changesBefore + 1, OwnerChanges());
        Assert.Contains($"--resume {owner.Id}", result.error);
        var refusedWhilePending = Cli(wallet, null, "unlock");
        Assert.Equal(2, refusedWhilePending.exit);
        Assert.Contains("pending key", refusedWhilePending.error);

        if (how == "invite")
        {
            // The other owner sees the new owner in the log (by name, with its key number) and removes it as protocol.md §4 says.
            string first = Path.Combine(_dir, "first-owner.json");
            string log = Cli(first, null, "log").output;
            Assert.Contains("owner invite opened", log);
            Assert.Matches($@"paired\s+by phone\s+key {owner.Id} ok", log);
            Assert.Equal(0, Cli(first, null, "keys", "revoke", owner.Id.ToString()).exit);
            Assert.DoesNotContain(Owners(), o => o.Id == owner.Id);
            return;
        }

        var resumed = Cli(wallet, null, "pair", "--lock", Serial, "--resume", owner.Id.ToString());
        Assert.True(resumed.exit == 0, resumed.error);
        Assert.Equal(0, Cli(wallet, null, "unlock").exit);
    }

    [Fact]
    public void ResumingWithTheWrongKeyNumberChangesNothing()
    {
        string wallet = Path.Combine(_dir, "w.json");
        var failed = Cli(wallet, "confirm", "pair", "--lock", Serial, "--code", Code);
        Assert.Equal(2, failed.exit);
        var wrong = Cli(wallet, null, "pair", "--lock", Serial, "--resume", "9");
        Assert.Equal(1, wrong.exit);
        Assert.Contains("does not take key #9", wrong.error);
        Assert.Contains("\"Pending\": true", File.ReadAllText(wallet));
    }
}
