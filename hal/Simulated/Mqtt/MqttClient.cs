using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace SmartKey.Hal.Simulated.Mqtt;

/// <summary>
/// A small MQTT 3.1.1 client for the host (no MQTT library is served here): CONNECT with keep-alive and an
/// optional will, PUBLISH at QoS 0 and 1 (QoS 1 waits for PUBACK and retransmits with DUP), SUBSCRIBE,
/// PINGREQ when idle, incoming QoS 1 acknowledged. With AutoReconnect, a lost connection is re-established
/// with exponential back-off (1 s … 60 s) and the subscriptions renewed. Thread-safe for callers;
/// MessageReceived is raised on the reader thread.
/// </summary>
public sealed class MqttClient : IDisposable
{
    private readonly string _host;
    private readonly int _port;
    private readonly object _write = new();
    private readonly ConcurrentDictionary<int, ManualResetEventSlim> _acks = new();
    private readonly ConcurrentDictionary<string, int> _subscriptions = new();
    private TcpClient? _tcp;
    private NetworkStream? _stream;
    private int _packetId;
    private long _lastSentTicks;
    private volatile bool _disposed;
    private ManualResetEventSlim? _connAck;
    private ManualResetEventSlim? _pingResp;
    private byte _connAckCode = 0xFF;
    private volatile bool _reconnecting;

    public MqttClient(string host, int port, string clientId, int keepAliveSeconds = 30)
    {
        _host = host;
        _port = port;
        ClientId = clientId;
        KeepAliveSeconds = keepAliveSeconds;
    }

    public string ClientId { get; }
    public int KeepAliveSeconds { get; }
    public string? WillTopic { get; set; }
    public byte[]? WillPayload { get; set; }
    public bool AutoReconnect { get; set; }
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(2);
    public int MaxRetransmissions { get; set; } = 3;
    public bool IsConnected { get; private set; }
    public int Reconnects { get; private set; }

    public event Action<string, byte[], int, bool>? MessageReceived;

    public event Action<bool>? ConnectionChanged;

    public bool Connect()
    {
        try
        {
            var tcp = new TcpClient { NoDelay = true };
            if (!ConnectWithin(tcp, TimeSpan.FromSeconds(3)))
            {
                tcp.Dispose();
                return false;
            }

            _tcp = tcp;
            _stream = tcp.GetStream();
            _connAck = new ManualResetEventSlim();
            new Thread(ReadLoop) { IsBackground = true, Name = "mqtt-read " + ClientId }.Start();
            Send(MqttPacket.ConnectPacket(ClientId, KeepAliveSeconds, WillTopic, WillPayload, cleanSession: true));
            if (!_connAck.Wait(TimeSpan.FromSeconds(3)) || _connAckCode != 0)
            {
                Drop();
                return false;
            }

            if (_reconnecting) Reconnects++;
            IsConnected = true;
            foreach (var (filter, qos) in _subscriptions) Send(MqttPacket.SubscribePacket(NextId(), filter, qos));
            new Thread(KeepAliveLoop) { IsBackground = true, Name = "mqtt-ping " + ClientId }.Start();
            ConnectionChanged?.Invoke(true);
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or AggregateException or ObjectDisposedException)
        {
            Drop();
            return false;
        }
    }

    /// <summary>
    /// A blocking connect on a thread of its own, bounded in time: waiting on ConnectAsync needs a free
    /// thread-pool thread to complete, and a busy host (a test run, a simulator) may have none for seconds.
    /// </summary>
    private bool ConnectWithin(TcpClient tcp, TimeSpan timeout)
    {
        bool connected = false;
        var done = new ManualResetEventSlim();      // not disposed: a late connector thread still sets it
        var connector = new Thread(() =>
        {
            try
            {
                tcp.Connect(_host, _port);
                connected = true;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
            finally
            {
                done.Set();
            }
        }) { IsBackground = true, Name = "mqtt-connect " + ClientId };
        connector.Start();
        if (done.Wait(timeout)) return connected;
        tcp.Dispose();      // ends the pending connect; the thread then finishes on its own
        return false;
    }

    public bool Publish(string topic, byte[] payload, int qos, bool retain = false)
    {
        if (!IsConnected) return false;
        try
        {
            if (qos == 0)
            {
                Send(MqttPacket.PublishPacket(topic, payload, 0, retain, false, 0));
                return true;
            }

            int id = NextId();
            var ack = new ManualResetEventSlim();
            _acks[id] = ack;
            try
            {
                for (int attempt = 0; attempt <= MaxRetransmissions; attempt++)
                {
                    if (!IsConnected) return false;
                    Send(MqttPacket.PublishPacket(topic, payload, 1, retain, dup: attempt > 0, id));
                    if (ack.Wait(AckTimeout)) return true;
                }

                return false;
            }
            finally
            {
                _acks.TryRemove(id, out _);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Drop();
            return false;
        }
    }

    public bool Subscribe(string filter, int qos)
    {
        _subscriptions[filter] = qos;
        if (!IsConnected) return false;
        int id = NextId();
        var ack = new ManualResetEventSlim();
        _acks[id] = ack;
        try
        {
            Send(MqttPacket.SubscribePacket(id, filter, qos));
            return ack.Wait(TimeSpan.FromSeconds(3));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Drop();
            return false;
        }
        finally
        {
            _acks.TryRemove(id, out _);
        }
    }

    public void Disconnect()
    {
        bool wasConnected = IsConnected;
        IsConnected = false;
        try
        {
            if (wasConnected) Send(MqttPacket.Empty(MqttPacket.Disconnect));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }

        Close();
        if (wasConnected) ConnectionChanged?.Invoke(false);
    }

    private int NextId() => Interlocked.Increment(ref _packetId) % 65535 + 1;

    private void Send(byte[] packet)
    {
        var stream = _stream ?? throw new InvalidOperationException("not connected");
        lock (_write)
        {
            stream.Write(packet);
            _lastSentTicks = Environment.TickCount64;
        }
    }

    private void ReadLoop()
    {
        var stream = _stream;
        try
        {
            while (stream != null)
            {
                var packet = MqttPacket.Read(stream);
                if (packet == null) break;
                var (header, body) = packet.Value;
                switch (header >> 4)
                {
                    case MqttPacket.ConnAck:
                        _connAckCode = body.Length >= 2 ? body[1] : (byte)0xFF;
                        _connAck?.Set();
                        break;
                    case MqttPacket.PubAck:
                    case MqttPacket.SubAck:
                        if (body.Length >= 2 && _acks.TryGetValue((body[0] << 8) | body[1], out var ack)) ack.Set();
                        break;
                    case MqttPacket.PingResp:
                        _pingResp?.Set();
                        break;
                    case MqttPacket.Publish:
                        int qos = (header >> 1) & 3;
                        int topicLength = (body[0] << 8) | body[1];
                        string topic = Encoding.UTF8.GetString(body, 2, topicLength);
                        int at = 2 + topicLength;
                        if (qos > 0)
                        {
                            Send(MqttPacket.PubAckPacket((body[at] << 8) | body[at + 1]));
                            at += 2;
                        }

                        MessageReceived?.Invoke(topic, body[at..], qos, (header & 1) != 0);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidDataException or InvalidOperationException or IndexOutOfRangeException or ArgumentException)
        {
        }

        if (ReferenceEquals(stream, _stream)) ConnectionLost();
    }

    private void KeepAliveLoop()
    {
        var stream = _stream;
        while (IsConnected && ReferenceEquals(stream, _stream))
        {
            Thread.Sleep(200);
            if (Environment.TickCount64 - _lastSentTicks < KeepAliveSeconds * 500L) continue;
            _pingResp = new ManualResetEventSlim();
            try
            {
                Send(MqttPacket.Empty(MqttPacket.PingReq));
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                ConnectionLost();
                return;
            }

            if (!_pingResp.Wait(TimeSpan.FromSeconds(KeepAliveSeconds)))
            {
                ConnectionLost();
                return;
            }
        }
    }

    private void ConnectionLost()
    {
        bool was = IsConnected;
        Drop();
        if (was) ConnectionChanged?.Invoke(false);
        if (was && AutoReconnect && !_disposed) new Thread(ReconnectLoop) { IsBackground = true, Name = "mqtt-reconnect " + ClientId }.Start();
    }

    private void ReconnectLoop()
    {
        var wait = TimeSpan.FromSeconds(1);
        _reconnecting = true;
        try
        {
            while (!_disposed && !IsConnected)
            {
                Thread.Sleep(wait);
                if (_disposed || Connect()) return;
                wait = TimeSpan.FromSeconds(Math.Min(60, wait.TotalSeconds * 2));
            }
        }
        finally
        {
            _reconnecting = false;
        }
    }

    private void Drop()
    {
        IsConnected = false;
        Close();
    }

    private void Close()
    {
        try
        {
            _stream?.Dispose();
            _tcp?.Dispose();
        }
        catch (ObjectDisposedException)
        {
        }

        _stream = null;
        _tcp = null;
    }

    public void Dispose()
    {
        _disposed = true;
        Disconnect();
    }
}
