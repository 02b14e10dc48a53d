using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using SmartKey.Cli;
using SmartKey.Simulator;
using SmartKey.Simulator.Serve;
using Xunit;

namespace SmartKey.Tests.Tools;

/// <summary>
/// README's "Trying it by hand" (issue 16, part 5): the service console answers every line of every client on
/// the pty and TCP, and logs each answer where the person running serve sees it; the phone sets the lock's
/// clock as the apps do; serve keeps the clock across restarts. Real sockets on 127.0.0.1 and a real pty.
/// </summary>
public sealed class ServeByHandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smartkey-byhand-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SimulatedDevice ProvisionedLock(string serial, string code)
    {
        var device = new SimulatedDevice(EmbeddedConfig.Load(), 3);
        device.Boot();
        var (w0, l) = SmartKey.Phone.SetupCode.Verifier(code, serial);
        device.Core.Identity.Provision(new SmartKey.Firmware.Identity.DeviceIdentity { Serial = serial, W0 = w0, L = l, OtaTrustKeys = new[] { l } });
        return device;
    }

    private static void WaitFor(Func<bool> condition, string what, int timeoutMs = 5000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("timed out waiting for " + what);
            Thread.Sleep(20);
        }
    }

    private static string Ask(int port, string line, string expect)
    {
        using var client = new TcpClient("127.0.0.1", port);
        var stream = client.GetStream();
        stream.Write(Encoding.ASCII.GetBytes(line + "\n"));
        var text = new StringBuilder();
        var buffer = new byte[4096];
        client.ReceiveTimeout = 5000;
        while (!text.ToString().Contains(expect))
        {
            int n = stream.Read(buffer, 0, buffer.Length);
            if (n <= 0) break;
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return text.ToString();
    }

    /// <summary>
    /// protocol.md §9: a touch on an awake lock keeps it awake 5 s more, so a phone's touch-then-connect cannot meet
    /// a lock that fell asleep in between. Times are the simulated lock's own clock, read under serve's gate.
    /// </summary>
    [Fact]
    public void ATouchOnAnAwakeLockKeepsItAwake()
    {
        var device = ProvisionedLock("SK-TOUCH", "5038261749");
        var gate = new object();
        using var link = new LinkServer(device, 0, gate);
        using var client = new TcpClient("127.0.0.1", link.Port);
        var stream = client.GetStream();
        long Now() { lock (gate) return device.Hardware.Clock.ElapsedMilliseconds; }

        stream.Write([(byte)'C', 2, 0, 23, 0]);
        WaitFor(() => { lock (gate) return device.Hardware.Ble.IsConnected; }, "the connection");
        stream.Write([(byte)'D', 0, 0]);
        WaitFor(() => { lock (gate) return !device.Hardware.Ble.IsConnected; }, "the hang-up");
        long hungUp = Now();                                   // the lock now sleeps 5 s later, unless touched
        WaitFor(() => Now() >= hungUp + 3000, "3 s of lock time", 20_000);
        stream.Write([(byte)'T', 0, 0]);
        WaitFor(() => Now() >= hungUp + 6500, "6.5 s of lock time", 20_000);
        lock (gate) Assert.False(device.Asleep, "the touch at 3 s did not keep the lock awake past 5 s");
        WaitFor(() => { lock (gate) return device.Asleep; }, "the lock to sleep 5 s after the touch", 20_000);
    }

    [Fact]
    public void TheTcpConsoleAnswersEveryClientOneAfterAnotherAndTogether()
    {
        var device = ProvisionedLock("SK-TCP", "5038261749");
        var gate = new object();
        var log = new StringWriter();
        using var link = new LinkServer(device, 0, gate);
        using var console = new ConsoleBridge(device, 0, gate, log);

        Assert.Contains("ok firmware", Ask(console.Port, "status", "ok firmware"));
        Assert.Contains("ok store", Ask(console.Port, "diag", "ok store"));          // a second client, after the first hung up

        using var idle = new TcpClient("127.0.0.1", console.Port);                     // one stays connected...
        Assert.Contains("ok firmware", Ask(console.Port, "status", "ok firmware"));   // ...and another is still answered
        var tasks = Enumerable.Range(0, 3).Select(_ => Task.Run(() => Ask(console.Port, "status", "ok firmware"))).ToArray();
        Assert.True(Task.WaitAll(tasks, 10_000));
        Assert.All(tasks, t => Assert.Contains("ok firmware", t.Result));
        string all = log.ToString();
        Assert.Contains("console< [tcp#1] status", all);
        Assert.Contains("console< [tcp#2] diag", all);
        Assert.Contains("console> ok store", all);
    }

    [Fact]
    public void LinesWrittenToThePtyByAProgramThatNeverReadsAreAnsweredInTheLogAndOnThePty()
    {
        if (!OperatingSystem.IsLinux()) return;
        var device = new SimulatedDevice(EmbeddedConfig.Load(), 3);
        device.Boot();
        var gate = new object();
        var log = new StringWriter();
        using var link = new LinkServer(device, 0, gate);
        using var console = new ConsoleBridge(device, 0, gate, log);
        Assert.NotNull(console.PtyPath);

        // As `cat kit/service.txt > /dev/pts/N`: open, write, close; twice, by two writers.
        var (w0, l) = SmartKey.Phone.SetupCode.Verifier("5038261749", "SK-PTY");
        var kitLine = $"provision SK-PTY {Convert.ToHexString(w0).ToLowerInvariant()} {Convert.ToHexString(l).ToLowerInvariant()} {Convert.ToHexString(l).ToLowerInvariant()}";
        File.AppendAllText(console.PtyPath!, kitLine + "\n");
        WaitFor(() => log.ToString().Contains("console> ok provisioned SK-PTY"), "the first writer's answer in the log");
        File.AppendAllText(console.PtyPath!, "status\n");
        WaitFor(() => log.ToString().Contains("console> ok firmware"), "the second writer's answer in the log");
        Assert.Equal("SK-PTY", device.Core.Identity?.Serial);

        // A terminal that then opens the pty gets the answers too, and its own lines are answered.
        using var terminal = new FileStream(console.PtyPath!, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
        var seen = new StringBuilder();
        var reader = Task.Run(() =>
        {
            var buffer = new byte[1024];
            int n;
            while ((n = terminal.Read(buffer, 0, buffer.Length)) > 0)
            {
                lock (seen) seen.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
        });
        terminal.Write(Encoding.ASCII.GetBytes("diag\n"));
        terminal.Flush();
        WaitFor(() => { lock (seen) return seen.ToString().Contains("ok store"); }, "the terminal's answer on the pty");
        lock (seen) Assert.Contains("ok provisioned SK-PTY", seen.ToString());
    }

    [Fact]
    public void PairingSetsTheLocksClockSoAGuestGrantedNowGetsIn()
    {
        var device = ProvisionedLock("SK-CLOCK", "5038261749");
        var gate = new object();
        using var link = new LinkServer(device, 0, gate);
        long before;
        lock (gate) before = device.Hardware.Clock.UnixSeconds;
        Assert.True(Math.Abs(before - DateTimeOffset.UtcNow.ToUnixTimeSeconds()) > 3600, "the new lock's clock starts far from now");
        string wallet = Path.Combine(_dir, "w.json"), guestWallet = Path.Combine(_dir, "g.json");
        string[] at = { "--port", link.Port.ToString() };

        var paired = Cli(["pair", "--lock", "SK-CLOCK", "--code", "5038261749", "--wallet", wallet, .. at]);
        Assert.Equal(0, paired.exit);
        Assert.Contains("set the lock's clock to", paired.output);
        lock (gate) Assert.InRange(device.Hardware.Clock.UnixSeconds - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), -5, 5);
        Assert.DoesNotContain("set the lock's clock", Cli(["keys", "list", "--wallet", wallet, .. at]).output);   // within tolerance: left alone

        var guest = Cli(["keys", "add-guest", "--wallet", wallet, .. at]);                        // valid from now, every day, all day
        string pass = Regex.Match(guest.output, @"skg1\.\S+").Value;
        Assert.Equal(0, Cli(["import", pass, "--wallet", guestWallet, .. at]).exit);
        var unlock = Cli(["unlock", "--wallet", guestWallet, .. at]);
        Assert.True(unlock.exit == 0, unlock.error);
    }

    [Fact]
    public void AGuestNeverSetsTheClockAndAnOwnerSetsItOnlyWhenItIsOff()
    {
        var lab = new SmartKey.Tests.Protocol.Lab();
        var now = DateTimeOffset.FromUnixTimeSeconds(lab.Device.Hardware.Clock.UnixSeconds);
        Assert.False(lab.WithSession(lab.Owner!, s => s.SyncClock(s.Status(), now.AddSeconds(60))));
        Assert.True(lab.WithSession(lab.Owner!, s => s.SyncClock(s.Status(), now.AddSeconds(600))));
        Assert.InRange(lab.Device.Hardware.Clock.UnixSeconds, now.AddSeconds(600).ToUnixTimeSeconds(), now.AddSeconds(602).ToUnixTimeSeconds());
        var guest = lab.WithSession(lab.Owner!, s => s.AddGuest(null, null));
        long guestNow = lab.Device.Hardware.Clock.UnixSeconds;
        Assert.False(lab.WithSession(guest, s => s.SyncClock(s.Status(), DateTimeOffset.FromUnixTimeSeconds(guestNow).AddDays(3))));
        Assert.InRange(lab.Device.Hardware.Clock.UnixSeconds, guestNow, guestNow + 2);
    }

    [Fact]
    public void ServeKeepsTheLocksClockAcrossRestartsSoLogDatesNeverGoBack()
    {
        string flash = Path.Combine(_dir, "lock.img"), wallet = Path.Combine(_dir, "w.json");
        var first = Serve(flash, "--provision-serial", "SK-RTC", "--setup-code", "5038261749");
        Assert.Contains("(a new lock's; the phone sets it after pairing)", first.Output);
        Assert.Equal(0, Cli("pair", "--lock", "SK-RTC", "--code", "5038261749", "--wallet", wallet, "--port", first.Port.ToString()).exit);
        Assert.Equal(0, Cli("unlock", "--wallet", wallet, "--port", first.Port.ToString()).exit);
        first.Stop();
        Assert.True(File.Exists(flash + ".rtc"));

        Thread.Sleep(1500);                                       // the lock is off for a while; its RTC keeps counting
        var second = Serve(flash);
        Assert.Contains("(kept from the last run)", second.Output);
        var clock = DateTimeOffset.Parse(Regex.Match(second.Output, @"lock clock: (\S+ \S+)").Groups[1].Value);
        Assert.InRange((clock - DateTimeOffset.UtcNow).TotalSeconds, -5, 5);   // set by the pairing, and wound on
        Assert.Equal(0, Cli("lock", "--wallet", wallet, "--port", second.Port.ToString()).exit);
        var log = Cli("log", "--wallet", wallet, "--port", second.Port.ToString());
        second.Stop();
        var times = Regex.Matches(log.output, @"^#\d+ (\S+ \S+)", RegexOptions.Multiline).Select(m => DateTimeOffset.Parse(m.Groups[1].Value + "Z")).ToList();
        Assert.True(times.Count >= 4, log.output);                // paired, clock set, unlock, lock
        for (int i = 2; i < times.Count; i++) Assert.True(times[i] >= times[i - 1], "log dates go backwards:\n" + log.output);
    }

    [Fact]
    public void AClockFileThatIsNotOneIsNamed()
    {
        File.WriteAllText(Path.Combine(_dir, "lock.img.rtc"), "yesterday");
        ToolProcess.AssertOneLine(ToolProcess.Run("smartkey-sim", _dir, "serve", "--flash", "lock.img", "--port", "0"), 2, "lock.img.rtc", "delete it");
    }

    private sealed record Running(int Port, string Output, Action Stop);

    private static Running Serve(string flash, params string[] more)
    {
        var output = new StringWriter();
        var sync = TextWriter.Synchronized(output);
        var stop = new CancellationTokenSource();
        var config = EmbeddedConfig.Load();
        var args = more.ToList();
        string? serial = args.Contains("--provision-serial") ? args[args.IndexOf("--provision-serial") + 1] : null;
        string? code = args.Contains("--setup-code") ? args[args.IndexOf("--setup-code") + 1] : null;
        var thread = new Thread(() => ServeMode.Run(config, 1, 0, flash, serial, code, sync, stop.Token)) { IsBackground = true };
        thread.Start();
        string Text()
        {
            lock (sync) return output.ToString();                 // the synchronized writer locks on itself
        }

        WaitFor(() => Text().Contains("stop with Ctrl+C"), "serve to start", 20_000);
        int port = int.Parse(Regex.Match(Text(), @"BLE link on 127\.0\.0\.1:(\d+)").Groups[1].Value);
        return new Running(port, Text(), () => { stop.Cancel(); Assert.True(thread.Join(10_000)); });
    }

    private static (int exit, string output, string error) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}

/// <summary>The device-side files README's flashing steps use, and the clock rule as docs/protocol.md states it.</summary>
public class ByHandDocumentsTests
{
    /// <summary>README step 3: deploy-config writes the deploy.json that copies nf.config, for a port from an option or this platform's default.</summary>
    [Fact]
    public void DeployConfigWritesTheDeploymentOfNfConfigForTheLocksPort()
    {
        string dir = Directory.CreateTempSubdirectory("smartkey-deploy-").FullName;
        try
        {
            string nfConfig = Path.Combine(RepoPaths.Root, "nf.config");
            var chosen = ToolProcess.Run("smartkey-tech", dir, "deploy-config", "--serialport", "COM7", "--nf-config", nfConfig);
            Assert.True(chosen.Exit == 0, chosen.Error);
            using (var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "deploy.json"))))
            {
                Assert.Equal("COM7", json.RootElement.GetProperty("serialport").GetString());
                var file = Assert.Single(json.RootElement.GetProperty("files").EnumerateArray());
                Assert.Equal("I:\\nf.config", file.GetProperty("DestinationFilePath").GetString());
                Assert.Equal(nfConfig, file.GetProperty("SourceFilePath").GetString());
            }

            File.Delete(Path.Combine(dir, "deploy.json"));
            var defaulted = ToolProcess.Run("smartkey-tech", dir, "deploy-config", "--nf-config", nfConfig);
            Assert.True(defaulted.Exit == 0, defaulted.Error);
            Assert.Contains("the default here", defaulted.Output);
            using (var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "deploy.json"))))
            {
                string port = json.RootElement.GetProperty("serialport").GetString()!;
                Assert.Equal(SmartKey.Technician.SerialPorts.Default(), port);
                Assert.True(OperatingSystem.IsWindows() ? port.StartsWith("COM") : port.StartsWith("/dev/"), port);
            }

            ToolProcess.AssertOneLine(ToolProcess.Run("smartkey-tech", dir, "deploy-config"), 2, "nf.config: there is no such file", "--nf-config");
            string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
            Assert.Contains("-- deploy-config --serialport COM5", readme);
            Assert.Contains("nanoff --filedeployment deploy.json", readme);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>README: a kit's service line sent to serve's TCP console with bash alone (no netcat), exactly as the README writes it.</summary>
    [Fact]
    public void TheReadmesBashLineProvisionsThroughTheTcpConsole()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var line = System.Text.RegularExpressions.Regex.Match(readme, @"`(bash -c 'cat kit/service\.txt > /dev/tcp/127\.0\.0\.1/7401')`");
        Assert.True(line.Success, "README has no bash /dev/tcp line for the console");
        Assert.DoesNotContain("nc -q", readme);

        string dir = Directory.CreateTempSubdirectory("smartkey-bashtcp-").FullName;
        var device = new SmartKey.Simulator.SimulatedDevice(SmartKey.Simulator.EmbeddedConfig.Load(), 4);
        device.Boot();
        var gate = new object();
        var log = new StringWriter();
        using var link = new SmartKey.Simulator.Serve.LinkServer(device, 0, gate);            // runs the lock's time
        using var console = new SmartKey.Simulator.Serve.ConsoleBridge(device, 0, gate, TextWriter.Synchronized(log));
        try
        {
            using var vendor = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            SmartKey.Technician.ProvisioningKit.Create("SK-BASH", null, new[] { SmartKey.Ota.ImageSigner.PublicPoint(vendor) }).WriteTo(Path.Combine(dir, "kit"), "COM3");
            var start = new System.Diagnostics.ProcessStartInfo("bash") { WorkingDirectory = dir, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(line.Groups[1].Value.Replace("7401", console.Port.ToString())[("bash -c '".Length)..^1]);
            using (var bash = System.Diagnostics.Process.Start(start)!)
            {
                Assert.True(bash.WaitForExit(30_000));
                Assert.True(bash.ExitCode == 0, bash.StandardError.ReadToEnd());
            }

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!log.ToString().Contains("ok provisioned SK-BASH") && DateTime.UtcNow < deadline) System.Threading.Thread.Sleep(20);
            Assert.Contains("console> ok provisioned SK-BASH", log.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TheClockToleranceIsTheOneProtocolMdStates()
    {
        string doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "protocol.md"));
        Assert.Contains($"more than {SmartKey.Phone.PhoneSession.ClockTolerance.TotalSeconds:0} s from the phone's", doc);
        Assert.Contains($"tolerance {SmartKey.Phone.PhoneSession.ClockTolerance.TotalSeconds:0} s", doc);
    }
}
