using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using SmartKey.Hal.Simulated;

namespace SmartKey.Simulator.Serve;

/// <summary>
/// Serves the simulated lock's BLE link on a TCP port of 127.0.0.1 (framing: TcpPhoneTransport). One
/// phone at a time, like one central. Simulated time follows the wall clock in 10 ms steps; every
/// access to the device happens under one lock, so the firmware sees the same single-threaded world as
/// on the ESP32's main loop.
/// </summary>
public sealed class LinkServer : IDisposable
{
    private readonly SimulatedDevice _device;
    private readonly TcpListener _listener;
    private readonly object _gate;
    private readonly CancellationTokenSource _stop = new();
    private NetworkStream? _phone;

    public LinkServer(SimulatedDevice device, int port, object gate)
    {
        _device = device;
        _gate = gate;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        new Thread(AcceptLoop) { IsBackground = true, Name = "link-accept" }.Start();
        new Thread(ClockLoop) { IsBackground = true, Name = "sim-clock" }.Start();
    }

    public int Port { get; }

    private SimBleLink Ble => _device.Hardware.Ble;

    private void ClockLoop()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        long simulated = 0;
        while (!_stop.IsCancellationRequested)
        {
            Thread.Sleep(10);
            lock (_gate)
            {
                long now = watch.ElapsedMilliseconds;
                if (now > simulated)
                {
                    _device.Advance(Math.Min(now - simulated, 1000));
                    simulated = now;
                }

                Forward();
            }
        }
    }

    /// <summary>Sends the phone what the device notified, and tells it when the device hung up.</summary>
    private void Forward()
    {
        var phone = _phone;
        if (phone == null) return;
        try
        {
            while (Ble.PhoneInbox.Count > 0) Send(phone, (byte)'N', Ble.PhoneInbox.Dequeue());
            if (_connected && !Ble.IsConnected)
            {
                _connected = false;
                Send(phone, (byte)'X', Array.Empty<byte>());
            }
        }
        catch (IOException)
        {
            _phone = null;
        }
    }

    private bool _connected;

    private void AcceptLoop()
    {
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

            client.NoDelay = true;
            using (client)
            {
                var stream = client.GetStream();
                _phone = stream;
                try
                {
                    Serve(stream);
                }
                catch (Exception e) when (e is IOException or EndOfStreamException)
                {
                }

                lock (_gate)
                {
                    _phone = null;
                    if (Ble.IsConnected) Ble.PhoneDisconnect();
                    _connected = false;
                }
            }
        }
    }

    private void Serve(NetworkStream stream)
    {
        var header = new byte[3];
        while (true)
        {
            stream.ReadExactly(header);
            var payload = new byte[header[1] | (header[2] << 8)];
            stream.ReadExactly(payload);
            lock (_gate)
            {
                switch ((char)header[0])
                {
                    case 'S':
                        Send(stream, (byte)'A', !_device.Asleep && Ble.IsAdvertising ? Ble.AdvertisedServiceData! : Array.Empty<byte>());
                        break;
                    case 'C':
                        bool ok = !_device.Asleep && payload.Length == 2;
                        if (ok)
                        {
                            Ble.PhoneConnect(Math.Clamp(payload[0] | (payload[1] << 8), 23, 517));
                            _connected = true;
                        }

                        Send(stream, (byte)'c', new[] { (byte)(ok ? 1 : 0) });
                        break;
                    case 'W':
                        Ble.PhoneWrite(payload);
                        break;
                    case 'D':
                        if (Ble.IsConnected) Ble.PhoneDisconnect();
                        _connected = false;
                        break;
                    case 'T':
                        // A touch wakes a sleeping lock; on an awake one it counts as activity, as a press does, so the
                        // lock cannot fall asleep between the phone's touch and its connect (the CLI sends both at once).
                        if (_device.Asleep) _device.Touch();
                        else _device.Core.Power.NoteActivity();
                        break;
                    case 'B':
                        _device.PressButton();
                        break;
                }
            }
        }
    }

    private static void Send(Stream stream, byte kind, byte[] payload)
    {
        var frame = new byte[3 + payload.Length];
        frame[0] = kind;
        frame[1] = (byte)payload.Length;
        frame[2] = (byte)(payload.Length >> 8);
        payload.CopyTo(frame, 3);
        stream.Write(frame);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
