using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using SmartKey.Cli;
using SmartKey.Simulator;
using SmartKey.Simulator.Serve;
using Xunit;

namespace SmartKey.Tests.Tools;

/// <summary>The simulator's serve mode on real loopback sockets, driven by the smartkey CLI and a raw console client.</summary>
public sealed class ServeAndCliTests : IDisposable
{
    private const string Serial = "SK-CLI-TEST";
    private const string Code = "9081726354";
    private readonly SimulatedDevice _device;
    private readonly LinkServer _link;
    private readonly ConsoleBridge _console;
    private readonly string _wallet = Path.Combine(Path.GetTempPath(), "smartkey-wallet-" + Guid.NewGuid() + ".json");

    public ServeAndCliTests()
    {
        _device = new SimulatedDevice(EmbeddedConfig.Load(), 5);
        var gate = new object();
        lock (gate)
        {
            _device.Boot();
            var (w0, l) = SmartKey.Phone.SetupCode.Verifier(Code, Serial);
            _device.Core.Identity.Provision(new SmartKey.Firmware.Identity.DeviceIdentity { Serial = Serial, W0 = w0, L = l, OtaTrustKeys = new[] { l } });
        }

        _link = new LinkServer(_device, 0, gate);
        _console = new ConsoleBridge(_device, 0, gate);
    }

    private (int exit, string output, string error) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var all = new[] { "--port", _link.Port.ToString(), "--wallet", _wallet };
        int exit = CliApp.Build(output, error).Parse([.. args, .. all]).Invoke();
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void PairUnlockGuestAndLogThroughTheCli()
    {
        var wrong = Cli("pair", "--lock", Serial, "--code", "9081726355");
        Assert.Equal(1, wrong.exit);
        Assert.Contains("wrong setup code", wrong.error);

        var paired = Cli("pair", "--lock", Serial, "--code", Code, "--name", "test-phone");
        Assert.Equal(0, paired.exit);
        Assert.Contains("owner key #1", paired.output);

        Assert.Contains("bolt Unlocked", Cli("unlock").output);
        Assert.Contains("bolt Locked", Cli("lock").output);
        var guest = Cli("keys", "add-guest", "--days", "mon-fri", "--start", "08:00", "--end", "18:00");
        Assert.Equal(0, guest.exit);
        string pass = guest.output[(guest.output.IndexOf("skg1.", StringComparison.Ordinal))..].Trim();
        var list = Cli("keys", "list");
        Assert.Contains("#2 guest", list.output);
        Assert.Contains("mon,tue,wed,thu,fri 08:00-18:00", list.output);
        Assert.Equal(0, Cli("keys", "revoke", "2").exit);
        var log = Cli("log");
        Assert.Contains("paired", log.output);
        Assert.Contains("key revoked", log.output);
        Assert.Contains("Wi-Fi set", Cli("wifi", "--ssid", "cli-home", "--password", "twelve-chars").output);
        Assert.Equal("cli-home", _device.Hardware.Mqtt.WifiSsid);
        var shortPassword = Cli("wifi", "--ssid", "cli-home", "--password", "short");
        Assert.Equal(2, shortPassword.exit);                      // answered before anything is sent, in the lock's terms
        Assert.Contains("--password takes 8 to 63", shortPassword.error);
        Assert.Equal("cli-home", _device.Hardware.Mqtt.WifiSsid);
        Assert.Equal(2, Cli("reset").exit);                       // needs --yes
        Assert.Equal(2, Cli("keys", "add-guest", "--days", "someday").exit);

        // A guest wallet with the (now revoked) pass is refused by the lock.
        string guestWallet = _wallet + ".guest";
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, CliApp.Build(output, error).Parse(["import", pass, "--wallet", guestWallet]).Invoke());
        Assert.Equal(1, CliApp.Build(output, error).Parse(["unlock", "--port", _link.Port.ToString(), "--wallet", guestWallet]).Invoke());
        Assert.Contains("revoked", error.ToString());
        File.Delete(guestWallet);
    }

    /// <summary>`smartkey pair --qr` takes the label's QR text; a label of another lock is refused by the proof, not paired.</summary>
    [Fact]
    public void PairWithTheLabelsQrText()
    {
        var otherLock = Cli("pair", "--qr", $"SMARTKEY:1:SK-OTHER:{Code}");
        Assert.Equal(1, otherLock.exit);
        Assert.Contains("not the lock on the label", otherLock.error);
        var paired = Cli("pair", "--qr", $"SMARTKEY:1:{Serial}:{Code}");
        Assert.True(paired.exit == 0, paired.error);
        Assert.Contains($"paired with {Serial}: owner key #1", paired.output);
        Assert.Contains("bolt Unlocked", Cli("unlock").output);
    }

    [Fact]
    public void ConsoleAnswersOverTcpAndRefusesGarbage()
    {
        using var client = new TcpClient("127.0.0.1", _console.Port);
        var stream = client.GetStream();
        stream.Write(Encoding.ASCII.GetBytes("status\n\u0001\u0002junk\nwhatever\n" + new string('x', 700) + "\n"));
        var text = new StringBuilder();
        var buffer = new byte[4096];
        client.ReceiveTimeout = 3000;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && CountLines(text.ToString()) < 4)
        {
            int n = stream.Read(buffer, 0, buffer.Length);
            if (n <= 0) break;
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        string all = text.ToString();
        Assert.Contains("ok firmware", all);
        Assert.Contains("error 1: line contains non-printable bytes", all);
        Assert.Contains("error 4: unknown command 'whatever'", all);
        Assert.Contains("error 2: line longer than", all);
        Assert.True(_console.PtyPath == null || _console.PtyPath.StartsWith("/dev/pts/"), _console.PtyPath);
    }

    private static int CountLines(string s) => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    public void Dispose()
    {
        _link.Dispose();
        _console.Dispose();
        File.Delete(_wallet);
    }
}
