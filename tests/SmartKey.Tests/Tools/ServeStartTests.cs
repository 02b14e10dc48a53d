using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using SmartKey.Phone;
using Xunit;

namespace SmartKey.Tests.Tools;

/// <summary>
/// Issue 26, item 6: `smartkey-sim serve` as a person starts it, in its own process: a second serve on the same
/// flash image is refused with one line, and the lock's entropy is drawn from the OS on every start unless
/// --seed asks for a run that repeats (a fixed seed repeated the advertised nonce across restarts).
/// </summary>
public sealed class ServeStartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smartkey-serve-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class Serve : IDisposable
    {
        private readonly Process _process;

        public Serve(string dir, params string[] args)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                WorkingDirectory = dir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "smartkey-sim.dll"));
            foreach (string a in (string[])["serve", "--port", "0", .. args]) start.ArgumentList.Add(a);
            _process = Process.Start(start)!;
            while (true)
            {
                var line = _process.StandardOutput.ReadLineAsync();
                if (!line.Wait(60_000)) Assert.Fail("serve printed nothing for 60 s");
                if (line.Result == null) Assert.Fail("serve ended: " + _process.StandardError.ReadToEnd());
                var m = Regex.Match(line.Result, @"BLE link on 127\.0\.0\.1:(\d+)");
                if (!m.Success) continue;
                Port = int.Parse(m.Groups[1].Value);
                return;
            }
        }

        public int Port { get; }

        /// <summary>The nonce the lock advertises now (bytes 2..9 of its service data).</summary>
        public string AdvertisedNonce()
        {
            using var phone = new TcpPhoneTransport("127.0.0.1", Port);
            phone.Connect(23);
            return Convert.ToHexString(phone.ScanAdvertisement()!, 2, 8);
        }

        public void Dispose()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _process.Dispose();
        }
    }

    [Fact]
    public void ASecondServeOnTheSameFlashIsRefusedWithOneLine()
    {
        using (var first = new Serve(_dir, "--flash", "lock.img", "--provision-serial", "SK-ONE"))
        {
            var second = ToolProcess.Run("smartkey-sim", _dir, "serve", "--flash", "lock.img", "--port", "0");
            ToolProcess.AssertOneLine(second, 2, "lock.img is in use by another 'smartkey-sim serve'", "--flash");
            Assert.NotNull(first.AdvertisedNonce());                       // the first one serves on
        }

        using var again = new Serve(_dir, "--flash", "lock.img");        // killed, its lock is released with it
        Assert.NotNull(again.AdvertisedNonce());
    }

    [Fact]
    public void EachStartWithoutASeedAdvertisesANewNonce()
    {
        string first, second;
        using (var serve = new Serve(_dir, "--provision-serial", "SK-TWO")) first = serve.AdvertisedNonce();
        using (var serve = new Serve(_dir, "--provision-serial", "SK-TWO")) second = serve.AdvertisedNonce();
        Assert.NotEqual(first, second);      // a fixed seed gave every start the same nonce sequence
    }
}
