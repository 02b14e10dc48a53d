using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace SmartKey.OtaServer.Tests.Fixtures;

/// <summary>
/// A real mosquitto on a free loopback port, owned by one test. Self-contained on purpose (plain TCP,
/// anonymous): when the fleet's broker moves to TLS with client certificates, only this file changes.
/// </summary>
public sealed class Broker : IDisposable
{
    private readonly string _config;
    private Process? _process;

    public Broker()
    {
        Port = FreePort();
        _config = Path.Combine(Path.GetTempPath(), $"smartkey-ota-server-mosquitto-{Port}.conf");
        File.WriteAllText(_config, $"listener {Port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 10000\n");
        string binary = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto" }.FirstOrDefaultFile()
            ?? throw new InvalidOperationException("mosquitto is not installed: apt-get install -y mosquitto (.ci/run does it)");
        _process = Process.Start(new ProcessStartInfo(binary, $"-c {_config}") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
        // Drain the log: mosquitto blocks in write(2) once an unread pipe fills (it did after replicas were killed).
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                if (DateTime.UtcNow > deadline) throw new InvalidOperationException("mosquitto did not start on port " + Port);
                Thread.Sleep(50);
            }
        }
    }

    public string Host => "127.0.0.1";

    /// <summary>mosquitto's process id (the capacity benchmark reads its CPU time).</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException("mosquitto is not running");

    public int Port { get; }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        if (_process != null)
        {
            _process.Kill();
            _process.WaitForExit(5000);
            _process.Dispose();
            _process = null;
        }

        File.Delete(_config);
    }
}

internal static class FileLookup
{
    public static string? FirstOrDefaultFile(this string[] paths)
    {
        foreach (var p in paths) if (File.Exists(p)) return p;
        return null;
    }
}
