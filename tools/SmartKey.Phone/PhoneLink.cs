using System;
using SmartKey.Firmware.Link;
using SmartKey.Firmware.Protocol;

namespace SmartKey.Phone;

/// <summary>Messages over a transport, framed with the firmware's Fragmenter and Reassembler.</summary>
public sealed class PhoneLink
{
    private readonly IPhoneTransport _transport;
    private readonly Reassembler _reassembler = new(Reassembler.DefaultMaxMessage, Reassembler.DefaultTimeoutMs);

    public PhoneLink(IPhoneTransport transport) => _transport = transport;

    public int WritesSent { get; private set; }

    public int NotificationsReceived { get; private set; }

    public void Send(byte[] message)
    {
        int count = Fragmenter.FragmentCount(message.Length, _transport.Mtu);
        for (int i = 0; i < count; i++)
        {
            if (!_transport.Write(Fragmenter.Fragment(message, message.Length, _transport.Mtu, i)))
                throw new PhoneException(ErrorCode.MalformedFrame, "the link is down");
            WritesSent++;
        }
    }

    /// <summary>The next whole message from the device, or null on time-out.</summary>
    public byte[]? Receive(int timeoutMs)
    {
        var deadline = _transport.NowMilliseconds + timeoutMs;
        while (true)
        {
            long left = deadline - _transport.NowMilliseconds;
            if (left < 0) return null;
            byte[]? fragment = _transport.Receive((int)Math.Max(1, left));
            if (fragment == null) continue;
            NotificationsReceived++;
            byte result = _reassembler.Accept(fragment, fragment.Length, _transport.NowMilliseconds);
            if (result != ErrorCode.Ok) throw new PhoneException(result, "broken notification from the device");
            if (_reassembler.MessageLength > 0) return _reassembler.Message.AsSpan(0, _reassembler.MessageLength).ToArray();
        }
    }
}
