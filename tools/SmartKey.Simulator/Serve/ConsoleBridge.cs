using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace SmartKey.Simulator.Serve;

/// <summary>
/// The service console of the simulated lock, reachable like the real USB serial port: as a Linux
/// pseudo-terminal (a /dev/pts path a terminal program opens, or `cat file > /dev/pts/N` writes to) and,
/// for tools and tests, as a line stream on a TCP port of 127.0.0.1. Every line of every client is
/// answered; answers go to every attached console and, with a log, to serve's own output, so a line
/// written by a program that does not read (cat) is answered where a person sees it.
/// </summary>
public sealed class ConsoleBridge : IDisposable
{
    private const int MaxLine = 1024;                       // longer lines go through in pieces; the device refuses them

    private readonly SimulatedDevice _device;
    private readonly object _gate;
    private readonly TextWriter? _log;
    private readonly TcpListener _listener;
    private readonly List<Action<byte[]>> _sinks = new();
    private readonly CancellationTokenSource _stop = new();
    private int _pty = -1;
    private Thread? _ptyReader;

    public ConsoleBridge(SimulatedDevice device, int port, object gate, TextWriter? log = null)
    {
        _device = device;
        _gate = gate;
        _log = log == null ? null : TextWriter.Synchronized(log);
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        PtyPath = OpenPseudoTerminal();
        new Thread(AcceptLoop) { IsBackground = true, Name = "console-accept" }.Start();
        new Thread(Broadcast) { IsBackground = true, Name = "console-output" }.Start();
    }

    public int Port { get; }

    /// <summary>The slave side of the pseudo-terminal, or null where there is none (not Linux).</summary>
    public string? PtyPath { get; }

    private string? OpenPseudoTerminal()
    {
        if (!OperatingSystem.IsLinux()) return null;
        const int O_RDWR = 2, O_NOCTTY = 0x100, O_NONBLOCK = 0x800, F_GETFL = 3, F_SETFL = 4;
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

        // Non-blocking: with no terminal on the other side the answers queue in the pty until it is full,
        // and then they are dropped there (the log still has them) instead of stalling every console.
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
        _pty = fd;
        lock (_sinks) _sinks.Add(bytes => write(fd, bytes, bytes.Length));
        _ptyReader = new Thread(ReadPty) { IsBackground = true, Name = "console-pty" };
        _ptyReader.Start();
        return path;
    }

    /// <summary>
    /// Reads the pty's master side for as long as serve runs. When the last program on the slave side
    /// closes it (cat at its end), reads fail with EIO until the next one opens it: wait and read again.
    /// </summary>
    private void ReadPty()
    {
        var buffer = new byte[256];
        var line = new LineAssembler(this, "pty");
        while (!_stop.IsCancellationRequested)
        {
            int n = read(_pty, buffer, buffer.Length);
            if (n > 0) line.Add(buffer, n);
            else Thread.Sleep(30);                          // EAGAIN (nothing typed) or EIO (nobody attached)
        }
    }

    private void AcceptLoop()
    {
        int clients = 0;
        while (!_stop.IsCancellationRequested)
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

            string name = "tcp#" + ++clients;
            new Thread(() => ServeClient(client, name)) { IsBackground = true, Name = "console-" + name }.Start();
        }
    }

    private void ServeClient(TcpClient client, string name)
    {
        using (client)
        {
            var stream = client.GetStream();
            Action<byte[]> sink = bytes => stream.Write(bytes);
            lock (_sinks) _sinks.Add(sink);
            var line = new LineAssembler(this, name);
            var buffer = new byte[256];
            try
            {
                int n;
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0) line.Add(buffer, n);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
            }

            lock (_sinks) _sinks.Remove(sink);
        }
    }

    /// <summary>What the device writes goes to every attached console (pty and TCP clients) and to the log.</summary>
    private void Broadcast()
    {
        while (!_stop.IsCancellationRequested)
        {
            Thread.Sleep(20);
            string output;
            lock (_gate) output = _device.Hardware.Console.TakeOutput();
            if (output.Length == 0) continue;
            foreach (string answer in output.Split('\n', StringSplitOptions.RemoveEmptyEntries)) _log?.WriteLine("console> " + answer.TrimEnd('\r'));
            _log?.Flush();
            byte[] bytes = Encoding.ASCII.GetBytes(output.Replace("\n", "\r\n"));
            lock (_sinks)
            {
                foreach (var sink in _sinks.ToArray())
                {
                    try
                    {
                        sink(bytes);
                    }
                    catch (Exception e) when (e is IOException or ObjectDisposedException)
                    {
                        _sinks.Remove(sink);
                    }
                }
            }
        }
    }

    /// <summary>Hands the device whole lines, one client at a time, so two consoles typing at once never mix a line.</summary>
    private void Type(string source, byte[] line)
    {
        _log?.WriteLine($"console< [{source}] " + Printable(line));
        lock (_gate)
        {
            if (_device.Asleep) _device.Touch();     // like the ESP32's wake on UART activity
            _device.Hardware.Console.Type(line);
        }
    }

    private static string Printable(byte[] line)
    {
        var sb = new StringBuilder();
        foreach (byte b in line)
        {
            if (b == '\n' || b == '\r') continue;
            sb.Append(b >= 0x20 && b < 0x7F ? (char)b : '?');
        }

        return sb.Length > 120 ? sb.ToString(0, 120) + "…" : sb.ToString();
    }

    private sealed class LineAssembler
    {
        private readonly ConsoleBridge _bridge;
        private readonly string _source;
        private readonly List<byte> _line = new();

        public LineAssembler(ConsoleBridge bridge, string source)
        {
            _bridge = bridge;
            _source = source;
        }

        public void Add(byte[] buffer, int count)
        {
            for (int i = 0; i < count; i++)
            {
                _line.Add(buffer[i]);
                if (buffer[i] == '\n' || _line.Count >= MaxLine)
                {
                    _bridge.Type(_source, _line.ToArray());
                    _line.Clear();
                }
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        if (_pty >= 0)
        {
            _ptyReader?.Join(1000);                     // no read on the descriptor once it is closed (or reused)
            lock (_sinks) _sinks.Clear();
            close(_pty);
            _pty = -1;
        }
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

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int command, int argument);

    [DllImport("libc", SetLastError = true)]
    private static extern int read(int fd, byte[] buffer, int count);

    [DllImport("libc", SetLastError = true)]
    private static extern int write(int fd, byte[] buffer, int count);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
