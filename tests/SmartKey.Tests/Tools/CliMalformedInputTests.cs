using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using SmartKey.Cli;
using Xunit;

namespace SmartKey.Tests.Tools;

/// <summary>
/// Issue 26, item 6: every option of `smartkey` gets its malformed values, and each is answered before anything
/// is sent to a lock (port 1: nobody listens) with one line in the project's words, exit 2, the wallet untouched.
/// </summary>
public sealed class CliMalformedInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smartkey-malformed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static IEnumerable<object[]> Cases() => new (string says, string[] args)[]
    {
        ("'skg1.!!!' is not a SmartKey guest pass", ["import", "skg1.!!!"]),
        ("cut short", ["import", "skg1.AAAAB"]),
        ("'hello' is not a SmartKey guest pass", ["import", "hello"]),
        ("--password takes 8 to 63 printable ASCII characters", ["wifi", "--ssid", "home", "--password", "short"]),
        ("outside ASCII", ["wifi", "--ssid", "home", "--password", "pässwörd-long"]),
        ("--ssid takes 1 to 32", ["wifi", "--ssid", ""]),
        ("--ssid takes 1 to 32", ["wifi", "--ssid", new string('n', 33)]),
        ("'25:00' is not a time of day", ["keys", "add-guest", "--start", "25:00"]),
        ("'8' is not a time of day", ["keys", "add-guest", "--end", "8"]),
        ("'someday' is not a day", ["keys", "add-guest", "--days", "someday"]),
        ("--days is empty", ["keys", "add-guest", "--days", " "]),
        ("is not a day or a range of days", ["keys", "add-guest", "--days", "mon-tue-wed"]),
        ("'' is not a day", ["keys", "add-guest", "--days", "mon,,fri"]),
        ("--from 2019-01-01 is out of range", ["keys", "add-guest", "--from", "2019-01-01T00:00Z"]),
        ("--until 2200-01-01 is out of range", ["keys", "add-guest", "--until", "2200-01-01T00:00Z"]),
        ("is not after the key's start", ["keys", "add-guest", "--from", "2027-01-01T00:00Z", "--until", "2026-06-01T00:00Z"]),
        ("'yesterday' is not a date and time", ["keys", "add-guest", "--from", "yesterday"]),
        ("'soon' is not a date and time", ["keys", "add-guest", "--until", "soon"]),
        ("key number 0 is out of range", ["keys", "revoke", "0"]),
        ("'abc' is not a whole number", ["keys", "revoke", "abc"]),
        ("'-1' is not a whole number ≥ 0, as --after needs", ["log", "--after", "-1"]),
        ("--auto-lock 99999 is out of range", ["settings", "--auto-lock", "99999"]),
        ("--advertising-window 1 is out of range", ["settings", "--advertising-window", "1"]),
        ("--timezone 900 is out of range", ["settings", "--timezone", "900"]),
        ("--log-days 0 is out of range", ["settings", "--log-days", "0"]),
        ("--error-reports takes on or off, not 'maybe'", ["settings", "--error-reports", "maybe"]),
        ("'123' is not a setup code", ["pair", "--lock", "SK-1", "--code", "123"]),
        ("'SK 1' is not a serial", ["pair", "--lock", "SK 1", "--code", "24680135"]),
        ("--invite takes the 32 hex digits", ["pair", "--lock", "SK-1", "--invite", "xyz"]),
        ("is label format 2", ["pair", "--qr", "SMARTKEY:2:SK-1:24680135"]),
        ("is not a SmartKey label", ["pair", "--qr", "hello"]),
        ("'12' in the label is not a setup code", ["pair", "--qr", "SMARTKEY:1:SK-1:12"]),
        ("is not SMARTKEY:1:<serial>:<setup code>", ["pair", "--qr", "SMARTKEY:1:SK-1"]),
        ("leave out --lock", ["pair", "--qr", "SMARTKEY:1:SK-1:24680135", "--lock", "SK-1"]),
        ("give the lock's serial with --lock", ["pair", "--code", "24680135"]),
        ("give one of --code", ["pair", "--lock", "SK-1"]),
        ("--name takes 1 to 32 characters", ["pair", "--lock", "SK-1", "--code", "24680135", "--name", ""]),
        ("--resume 0 is out of range", ["pair", "--lock", "SK-1", "--resume", "0"]),
        ("no pending key for lock SK-1", ["pair", "--lock", "SK-1", "--resume", "3"]),
        ("--port 0 is not a TCP port", ["unlock", "--port", "0"]),
        ("--port 70000 is not a TCP port", ["status", "--port", "70000"]),
        ("'x' is not a whole number, as --port needs", ["lock", "--port", "x"]),
        ("--host 'no host!' is not a host name or address", ["unlock", "--host", "no host!"]),
        ("--host '' is not a host name or address", ["unlock", "--host", ""]),
        ("no key for lock SK-X", ["--serial", "SK-X", "time"]),
        ("add --yes", ["reset"]),
        ("is not a SmartKey wallet", ["allow-owner", "--wallet", "not-a-wallet.json"]),
        ("'--frobnicate' is not a command or option", ["touch", "--frobnicate"]),
    }.Select(c => new object[] { c.says, c.args });

    [Theory]
    [MemberData(nameof(Cases))]
    public void AMalformedValueIsAnsweredInOneLineBeforeAnythingIsSent(string says, string[] args)
    {
        string wallet = Path.Combine(_dir, "wallet.json");
        File.WriteAllText(Path.Combine(_dir, "not-a-wallet.json"), "{ not json");
        var output = new StringWriter();
        var error = new StringWriter();
        string[] all = args.Contains("--port") ? [.. args, "--wallet", wallet] : [.. args, "--port", "1", "--wallet", wallet];
        if (args.Contains("--wallet")) all = [.. args.Select(a => a == "not-a-wallet.json" ? Path.Combine(_dir, a) : a), "--port", "1"];
        int exit = CliApp.Run(all, output, error);
        ToolProcess.AssertOneLine(new ToolProcess.Result(exit, output.ToString(), error.ToString()), 2, says);
        Assert.DoesNotContain("Base-64", error.ToString());
        Assert.False(File.Exists(wallet), "the wallet was written");
    }

    /// <summary>Every option of every command is fed a malformed value above, except those that have none.</summary>
    [Fact]
    public void EveryOptionHasAMalformedCase()
    {
        var noMalformedValue = new HashSet<string>
        {
            "--help", "-h", "-?", "/?", "/h", "--version",      // the library's own
            "--yes", "--replace",                               // flags: present or not
        };
        string fed = string.Join(" ", Cases().SelectMany(c => (string[])c[1]));
        var root = CliApp.Build(TextWriter.Null, TextWriter.Null);
        var missing = new List<string>();
        void Walk(Command command)
        {
            foreach (var option in command.Options)
            {
                if (noMalformedValue.Contains(option.Name) || option.Aliases.Any(noMalformedValue.Contains)) continue;
                if (!fed.Split(' ').Contains(option.Name)) missing.Add(command.Name + " " + option.Name);
            }

            foreach (var sub in command.Subcommands) Walk(sub);
        }

        Walk(root);
        Assert.Empty(missing);
    }
}

/// <summary>Issue 26, item 6: what the phone says for each of the lock's refusals is true to today's rules.</summary>
public sealed class RefusalTextTests
{
    [Fact]
    public void EveryErrorCodeHasItsOwnTextAndNoneSendsTheOwnerToTheButtonForPairing()
    {
        var codes = typeof(SmartKey.Firmware.Protocol.ErrorCode).GetFields().Where(f => f.IsLiteral).Select(f => (byte)f.GetValue(null)!).ToList();
        foreach (byte code in codes) Assert.DoesNotMatch(@"^error \d+$", SmartKey.Phone.ErrorText.Describe(code));
        Assert.Equal(codes.Count, codes.Select(SmartKey.Phone.ErrorText.Describe).Distinct().Count());
        // The button never opens pairing (protocol.md §4); it only lifts the cap after too many attempts.
        string notAllowed = SmartKey.Phone.ErrorText.Describe(SmartKey.Firmware.Protocol.ErrorCode.PairingNotAllowed);
        Assert.DoesNotContain("button", notAllowed);
        Assert.Contains("allow-owner", notAllowed);
        Assert.Contains("button", SmartKey.Phone.ErrorText.Describe(SmartKey.Firmware.Protocol.ErrorCode.PairingLocked));
    }
}
