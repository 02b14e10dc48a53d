using System;
using System.IO;
using System.Text;

namespace SmartKey.Hal.Simulated.Mqtt;

/// <summary>MQTT 3.1.1 packet encoding (OASIS standard, section 2 and 3): fixed header, remaining length, strings.</summary>
public static class MqttPacket
{
    public const byte Connect = 1, ConnAck = 2, Publish = 3, PubAck = 4, Subscribe = 8, SubAck = 9, PingReq = 12, PingResp = 13, Disconnect = 14;
    public const int MaxPacket = 256 * 1024;

    public static byte[] Frame(byte typeAndFlags, byte[] body)
    {
        var ms = new MemoryStream();
        ms.WriteByte(typeAndFlags);
        int length = body.Length;
        do
        {
            byte digit = (byte)(length % 128);
            length /= 128;
            if (length > 0) digit |= 0x80;
            ms.WriteByte(digit);
        }
        while (length > 0);
        ms.Write(body);
        return ms.ToArray();
    }

    public static void WriteString(Stream s, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > 65535) throw new ArgumentException("MQTT strings are at most 65535 bytes");
        s.WriteByte((byte)(bytes.Length >> 8));
        s.WriteByte((byte)bytes.Length);
        s.Write(bytes);
    }

    public static void WriteUInt16(Stream s, int value)
    {
        s.WriteByte((byte)(value >> 8));
        s.WriteByte((byte)value);
    }

    public static byte[] ConnectPacket(string clientId, int keepAliveSeconds, string? willTopic, byte[]? willPayload, bool cleanSession)
    {
        var b = new MemoryStream();
        WriteString(b, "MQTT");
        b.WriteByte(4);                                                  // protocol level 3.1.1
        byte flags = (byte)(cleanSession ? 0x02 : 0);
        if (willTopic != null) flags |= 0x04 | 0x08;                      // will, QoS 1
        b.WriteByte(flags);
        WriteUInt16(b, keepAliveSeconds);
        WriteString(b, clientId);
        if (willTopic != null)
        {
            WriteString(b, willTopic);
            WriteUInt16(b, willPayload!.Length);
            b.Write(willPayload);
        }

        return Frame(Connect << 4, b.ToArray());
    }

    public static byte[] PublishPacket(string topic, byte[] payload, int qos, bool retain, bool dup, int packetId)
    {
        var b = new MemoryStream();
        WriteString(b, topic);
        if (qos > 0) WriteUInt16(b, packetId);
        b.Write(payload);
        return Frame((byte)((Publish << 4) | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 1 : 0)), b.ToArray());
    }

    public static byte[] SubscribePacket(int packetId, string filter, int qos)
    {
        var b = new MemoryStream();
        WriteUInt16(b, packetId);
        WriteString(b, filter);
        b.WriteByte((byte)qos);
        return Frame((Subscribe << 4) | 0x02, b.ToArray());
    }

    public static byte[] PubAckPacket(int packetId) => Frame(PubAck << 4, new[] { (byte)(packetId >> 8), (byte)packetId });

    public static byte[] Empty(byte type) => new[] { (byte)(type << 4), (byte)0 };

    /// <summary>Reads one packet: the first byte and the body; null when the stream ended.</summary>
    public static (byte header, byte[] body)? Read(Stream s)
    {
        int first = s.ReadByte();
        if (first < 0) return null;
        int length = 0, multiplier = 1;
        for (int i = 0; ; i++)
        {
            int digit = s.ReadByte();
            if (digit < 0) return null;
            length += (digit & 0x7F) * multiplier;
            if ((digit & 0x80) == 0) break;
            multiplier *= 128;
            if (i == 3) throw new InvalidDataException("malformed remaining length");
        }

        if (length > MaxPacket) throw new InvalidDataException("packet too large");
        var body = new byte[length];
        s.ReadExactly(body);
        return ((byte)first, body);
    }
}
