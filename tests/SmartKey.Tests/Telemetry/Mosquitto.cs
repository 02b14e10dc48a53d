using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;

namespace SmartKey.Tests.Telemetry;

/// <summary>
/// A real mosquitto broker on a free loopback port, started and stopped by the test (`.ci/run` installs
/// mosquitto; locally: apt-get install mosquitto), running the repository's production configuration
/// (deploy/mosquitto/smartkey.conf) with only its two ports (locks, backend) and its certificate folder replaced.
/// It can be stopped, restarted on the same ports, and told to reload (SIGHUP: a new revocation list).
/// </summary>
public sealed class Mosquitto : IDisposable
{
    public const string ShippedConfigFolder = "/etc/mosquitto/smartkey/";

    private readonly string _config;
    private Process? _process;

    public Mosquitto(BrokerPki pki)
    {
        Pki = pki;
        Port = FreePort();
        BackendPort = FreePort();
        _config = Path.Combine(pki.Folder, "mosquitto.conf");
        File.WriteAllText(_config, Configure(File.ReadAllText(ShippedConfig), Port, BackendPort, pki.Folder));
        Start();
    }

    /// <summary>
    /// A developer's local broker instead (plain MQTT, anonymous, loopback only), as the demo and the fleet
    /// simulator use on 127.0.0.1:1883; never the production configuration.
    /// </summary>
    public Mosquitto()
    {
        Port = FreePort();
        _folder = Directory.CreateTempSubdirectory("smartkey-local-broker-").FullName;
        _config = Path.Combine(_folder, "mosquitto.conf");
        File.WriteAllText(_config, "listener " + Port + " 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 10000\nuser " + Environment.UserName + "\n");
        Start();
    }

    private readonly string? _folder;

    public static string ShippedConfig => Path.Combine(RepoPaths.Root, "deploy", "mosquitto", "smartkey.conf");

    /// <summary>The certificates of the production configuration (null for a local broker).</summary>
    public BrokerPki? Pki { get; }

    /// <summary>The locks' listener (manufacturing CA); for a local broker its only port.</summary>
    public int Port { get; }

    /// <summary>The backend's listener (operator CA); 0 for a local broker.</summary>
    public int BackendPort { get; }

    /// <summary>What the broker printed (its log goes to stderr), for assertion messages.</summary>
    public string Log => _log.ToString();

    private readonly System.Text.StringBuilder _log = new();

    public static string Binary =>
        new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto" }.FirstOrDefaultExisting()
        ?? throw new InvalidOperationException("mosquitto is not installed: apt-get install -y mosquitto (.ci/run does it)");

    /// <summary>The shipped file with the test's ports, folder, user and no persistence (each test starts clean).</summary>
    public static string Configure(string shipped, int port, int backendPort, string folder)
    {
        string text = Regex.Replace(shipped, @"^listener 8883 127\.0\.0\.1$", "listener " + port + " 127.0.0.1", RegexOptions.Multiline);
        text = Regex.Replace(text, @"^listener 8884 127\.0\.0\.1$", "listener " + backendPort + " 127.0.0.1", RegexOptions.Multiline);
        text = Regex.Replace(text, @"^persistence true$", "persistence false", RegexOptions.Multiline);
        text = Regex.Replace(text, @"^persistence_location .*$", "", RegexOptions.Multiline);
        text = text.Replace(ShippedConfigFolder, folder.TrimEnd('/') + "/");
        if (text.Contains(ShippedConfigFolder) || !text.Contains("listener " + port + " ") || !text.Contains("listener " + backendPort + " ")) throw new InvalidOperationException("the shipped broker config changed shape: " + ShippedConfig);
        // Run as the test's user (as root mosquitto would switch to 'mosquitto', who cannot read the test's private folder).
        return text + "\nuser " + Environment.UserName + "\nlog_dest stderr\nlog_type error\nlog_type warning\nlog_type notice\nlog_type information\n";
    }

    public void Start()
    {
        var process = new Process { StartInfo = new ProcessStartInfo(Binary, $"-c {_config}") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false } };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_log) _log.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (_log) _log.AppendLine(e.Data); };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                process.WaitForExit();
                throw new InvalidOperationException("mosquitto exited at start: " + Log);
            }
            try
            {
                using var probe = new TcpClient("127.0.0.1", Port);
                if (BackendPort != 0)
                {
                    using var backend = new TcpClient("127.0.0.1", BackendPort);
                }

                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException("mosquitto did not start on port " + Port + ": " + Log);
    }

    /// <summary>SIGHUP: mosquitto reloads its configuration, certificates and revocation list.</summary>
    public void Reload()
    {
        if (_process == null) throw new InvalidOperationException("the broker is stopped");
        using var kill = Process.Start("kill", "-HUP " + _process.Id);
        kill.WaitForExit(5000);
        Thread.Sleep(500);
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
        if (_folder != null) Directory.Delete(_folder, true);
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
