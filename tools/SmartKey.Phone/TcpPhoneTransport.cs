using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net.Sockets;
using System.Threading;

namespace SmartKey.Phone;

/// <summary>
/// The simulator's BLE link over a local TCP socket (`smartkey-sim serve`). Frames both ways:
/// kind u8 | length u16 LE | payload. Phone → simulator: 'S' scan, 'C' connect (MTU u16), 'W' one ATT
/// write, 'D' disconnect, 'T' touch the lock (wake), 'B' press its button. Simulator → phone: 'A' service
/// data of the advertisement (empty when not advertising), 'c' connected (u8 1/0), 'N' one notification,
/// 'X' the device dropped the connection.
/// </summary>
public sealed class TcpPhoneTransport : IPhoneTransport
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly BlockingCollection<(byte kind, byte[] payload)> _incoming = new();
    private readonly Thread _reader;
    private byte[]? _advertisement;

    public TcpPhoneTransport(string host, int port)
    {
        _client = new TcpClient();
        _client.Connect(host, port);
        _client.NoDelay = true;
        _stream = _client.GetStream();
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "smartkey-link" };
        _reader.Start();
    }

    public int Mtu { get; private set; } = 23;

    public bool Connected { get; private set; }

    public byte[]? ScanAdvertisement() => _advertisement;

    /// <summary>Scans (the advertisement), then connects at this MTU.</summary>
    public void Connect(int mtu)
    {
        Send((byte)'S', Array.Empty<byte>());
        var adv = Expect((byte)'A');
        _advertisement = adv.Length > 0 ? adv : null;
        Send((byte)'C', BitConverter.GetBytes((ushort)mtu));
        if (Expect((byte)'c')[0] != 1) throw new PhoneException(0, "the lock does not answer: it may be asleep (touch it: smartkey touch)");
        Mtu = mtu;
        Connected = true;
    }

    public bool Write(byte[] fragment)
    {
        if (!Connected) return false;
        Send((byte)'W', fragment);
        return true;
    }

    public byte[]? Receive(int timeoutMs)
    {
        if (!_incoming.TryTake(out var frame, timeoutMs)) return null;
        if (frame.kind == (byte)'X')
        {
            Connected = false;
            return null;
        }

        return frame.kind == (byte)'N' ? frame.payload : null;
    }

    public void Disconnect()
    {
        if (!Connected) return;
        Send((byte)'D', Array.Empty<byte>());
        Connected = false;
        _advertisement = null;
    }

    /// <summary>Touches the lock (handle or door input): wakes it from deep sleep without moving the bolt.</summary>
    public void Touch() => Send((byte)'T', Array.Empty<byte>());

    public void PressButton() => Send((byte)'B', Array.Empty<byte>());

    private byte[] Expect(byte kind)
    {
        while (true)
        {
            if (!_incoming.TryTake(out var frame, 5000)) throw new PhoneException(0, "the simulator does not answer");
            if (frame.kind == kind) return frame.payload;
        }
    }

    private void Send(byte kind, byte[] payload)
    {
        var frame = new byte[3 + payload.Length];
        frame[0] = kind;
        frame[1] = (byte)payload.Length;
        frame[2] = (byte)(payload.Length >> 8);
        payload.CopyTo(frame, 3);
        lock (_stream) _stream.Write(frame);
    }

    private void ReadLoop()
    {
        try
        {
            var header = new byte[3];
            while (true)
            {
                _stream.ReadExactly(header);
                var payload = new byte[header[1] | (header[2] << 8)];
                _stream.ReadExactly(payload);
                _incoming.Add((header[0], payload));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or EndOfStreamException or InvalidOperationException)
        {
            _incoming.Add(((byte)'X', Array.Empty<byte>()));
        }
    }

    public void Dispose()
    {
        try
        {
            Disconnect();
        }
        catch (IOException)
        {
        }

        _client.Dispose();
    }
}
