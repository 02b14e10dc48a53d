using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Microsoft.Win32.SafeHandles;

namespace SmartKey.Simulator.Serve;

/// <summary>
/// The service console of the simulated lock, reachable like the real USB serial port: as a Linux
/// pseudo-terminal (a /dev/pts path a terminal program or the technician tool opens) and, for tools
/// and tests, as a line stream on a TCP port of 127.0.0.1.
/// </summary>
public sealed class ConsoleBridge : IDisposable
{
    private readonly SimulatedDevice _device;
    private readonly object _gate;
    private readonly TcpListener _listener;
    private readonly System.Collections.Generic.List<Stream> _sinks = new();
    private FileStream? _pty;

    public ConsoleBridge(SimulatedDevice device, int port, object gate)
    {
        _device = device;
        _gate = gate;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        new Thread(AcceptLoop) { IsBackground = true, Name = "console-accept" }.Start();
        new Thread(Broadcast) { IsBackground = true, Name = "console-output" }.Start();
        PtyPath = OpenPseudoTerminal();
    }

    public int Port { get; }

    /// <summary>The slave side of the pseudo-terminal, or null where there is none (not Linux).</summary>
    public string? PtyPath { get; }

    private string? OpenPseudoTerminal()
    {
        if (!OperatingSystem.IsLinux()) return null;
        const int O_RDWR = 2, O_NOCTTY = 0x100;
        int fd = posix_openpt(O_RDWR | O_NOCTTY);
        if (fd < 0 || grantpt(fd) != 0 || unlockpt(fd) != 0) return null;
        string? path = Marshal.PtrToStringAnsi(ptsname(fd));
        // Raw mode: no echo and no line editing, or the device's answers would come back as input.
        var termios = new byte[256];
        if (tcgetattr(fd, termios) == 0)
        {
            cfmakeraw(termios);
            tcsetattr(fd, 0, termios);
        }

        _pty = new FileStream(new SafeFileHandle(fd, true), FileAccess.ReadWrite, 1);
        new Thread(() => Pump(_pty)) { IsBackground = true, Name = "console-pty" }.Start();
        return path;
    }

    private void AcceptLoop()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = _listener.AcceptTcpClient();
            }
            catch (Exception e) when (e is SocketException or InvalidOperationException or ObjectDisposedException)
            {
                return;                             // the listener was stopped
            }

            using (client) Pump(client.GetStream());
        }
    }

    /// <summary>What the device writes goes to every attached console (pty and TCP clients).</summary>
    private void Broadcast()
    {
        while (true)
        {
            Thread.Sleep(20);
            string output;
            lock (_gate) output = _device.Hardware.Console.TakeOutput();
            if (output.Length == 0) continue;
            byte[] bytes = Encoding.ASCII.GetBytes(output.Replace("\n", "\r\n"));
            lock (_sinks)
            {
                foreach (var sink in _sinks.ToArray())
                {
                    try
                    {
                        sink.Write(bytes);
                    }
                    catch (Exception e) when (e is IOException or ObjectDisposedException)
                    {
                        _sinks.Remove(sink);
                    }
                }
            }
        }
    }

    /// <summary>Bytes in go to the device's console.</summary>
    private void Pump(Stream stream)
    {
        var buffer = new byte[256];
        lock (_sinks) _sinks.Add(stream);
        try
        {
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                var bytes = buffer[..n];
                lock (_gate)
                {
                    if (_device.Asleep) _device.Touch();     // like the ESP32's wake on UART activity
                    _device.Hardware.Console.Type(bytes);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }

        lock (_sinks) _sinks.Remove(stream);
    }

    public void Dispose()
    {
        _listener.Stop();
        _pty?.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int posix_openpt(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int grantpt(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int unlockpt(int fd);

    [DllImport("libc")]
    private static extern IntPtr ptsname(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int tcgetattr(int fd, byte[] termios);

    [DllImport("libc")]
    private static extern void cfmakeraw(byte[] termios);

    [DllImport("libc", SetLastError = true)]
    private static extern int tcsetattr(int fd, int optionalActions, byte[] termios);
}
