using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace SmartKey.Tests.Telemetry;

/// <summary>
/// A real mosquitto broker on a free loopback port, started and stopped by the test (`.ci/run` installs
/// mosquitto; locally: apt-get install mosquitto). It can be stopped and restarted on the same port.
/// </summary>
public sealed class Mosquitto : IDisposable
{
    private readonly string _config;
    private Process? _process;

    public Mosquitto()
    {
        Port = FreePort();
        _config = Path.Combine(Path.GetTempPath(), $"smartkey-mosquitto-{Port}.conf");
        File.WriteAllText(_config, $"listener {Port} 127.0.0.1\nallow_anonymous true\npersistence false\n");
        Start();
    }

    public int Port { get; }

    public static string Binary =>
        new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto" }.FirstOrDefaultExisting()
        ?? throw new InvalidOperationException("mosquitto is not installed: apt-get install -y mosquitto (.ci/run does it)");

    public void Start()
    {
        _process = Process.Start(new ProcessStartInfo(Binary, $"-c {_config}") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var probe = new TcpClient("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException("mosquitto did not start on port " + Port);
    }

    public void Stop()
    {
        if (_process == null) return;
        _process.Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
        _process = null;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        Stop();
        File.Delete(_config);
    }
}

internal static class PathExtensions
{
    public static string? FirstOrDefaultExisting(this string[] paths)
    {
        foreach (var p in paths) if (File.Exists(p)) return p;
        return null;
    }
}
