using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace SmartKey.OtaServer.Tests.Cluster;

/// <summary>
/// One server replica as its own operating-system process (`smartkey-ota-server serve` from the test's
/// output directory), so a test can kill it by PID exactly as a crash or an OOM kill would end it.
/// </summary>
public sealed class ReplicaProcess : IDisposable
{
    private readonly string _arguments;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public ReplicaProcess(string name, string arguments)
    {
        Name = name;
        _arguments = arguments;
    }

    public string Name { get; }

    public int Pid => _process?.Id ?? throw new InvalidOperationException(Name + " is not running");

    public string Output => string.Join("\n", _output);

    public bool Running => _process is { HasExited: false };

    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "smartkey-ota-server.dll");

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet", $"\"{ServerDll}\" serve {_arguments}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath(),
        };
        var started = new ManualResetEventSlim();
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == null) return;
            _output.Enqueue(e.Data);
            if (e.Data.Contains("API on", StringComparison.Ordinal)) started.Set();
        };
        _process.ErrorDataReceived += (_, e) => { if (e.Data != null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!started.Wait(TimeSpan.FromSeconds(60)) || _process.HasExited) throw new InvalidOperationException($"{Name} did not start:\n{Output}");
    }

    /// <summary>SIGKILL by PID: no shutdown code runs, the lease is not given up, the MQTT session is not closed.</summary>
    public void Kill()
    {
        using (var kill = Process.Start("kill", "-KILL " + Pid)) kill.WaitForExit();
        _process!.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (_process == null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
        _process = null;
    }
}
