using System;
using System.Collections.Generic;
using System.Linq;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Session;
using SmartKey.Firmware.Settings;

namespace SmartKey.Phone;

/// <summary>An open session: typed commands over the secure channel, each answered by one response.</summary>
public sealed class PhoneSession
{
    private readonly SmartKeyPhone _phone;
    private readonly SecureChannel _channel;

    internal PhoneSession(SmartKeyPhone phone, SecureChannel channel, Credential credential)
    {
        _phone = phone;
        _channel = channel;
        Credential = credential;
    }

    public Credential Credential { get; }

    public byte[] Send(byte command, byte[] args)
    {
        byte requestId = _phone.NextRequestId();
        byte[] plaintext = _phone.Command(command, requestId, args);
        _phone.Send(_channel.SealData(plaintext, plaintext.Length));
        return Decode(_phone.Receive(), command, requestId);
    }

    /// <summary>The data of a successful response; a status other than Ok becomes a PhoneException.</summary>
    internal byte[] Decode(byte[] message, byte command, byte requestId)
    {
        if (message[0] == MessageType.Error && HandshakeMessages.TryError(message, message.Length, out byte code, out int retry, out _))
            throw new PhoneException(code, ErrorText.Describe(code), retry);
        var plaintext = new byte[message.Length];
        byte opened = _channel.OpenData(message, message.Length, plaintext, out int length);
        if (opened != ErrorCode.Ok) throw new PhoneException(opened, "response does not authenticate: " + ErrorText.Describe(opened));
        if (length < 3 || plaintext[0] != (command | CommandId.ResponseFlag) || plaintext[1] != requestId)
            throw new PhoneException(ErrorCode.MalformedFrame, "response does not match the request");
        if (plaintext[2] != ErrorCode.Ok) throw new PhoneException(plaintext[2], ErrorText.Describe(plaintext[2]));
        return plaintext[3..length];
    }

    public LockState Unlock() => (LockState)Send(CommandId.Unlock, Array.Empty<byte>())[0];

    public LockState Lock() => (LockState)Send(CommandId.Lock, Array.Empty<byte>())[0];

    public DeviceStatusView Status() => DeviceStatusView.Parse(Send(CommandId.Status, Array.Empty<byte>()));

    public void SetTime(DateTimeOffset time) => Send(CommandId.SetTime, BitConverter.GetBytes((uint)time.ToUnixTimeSeconds()));

    /// <summary>How far the lock's clock may be from the phone's before an owner's app sets it (docs/protocol.md, The lock's clock).</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromSeconds(60);

    /// <summary>
    /// What an owner's app does with every Status it reads: when the lock's clock is more than
    /// ClockTolerance off the phone's, set it. Returns true when it did. A guest may not set the clock.
    /// </summary>
    public bool SyncClock(DeviceStatusView status, DateTimeOffset phoneNow)
    {
        if (!Credential.IsOwner || (status.DeviceTime - phoneNow).Duration() <= ClockTolerance) return false;
        SetTime(phoneNow);
        return true;
    }

    public Credential AddGuest(DateTimeOffset? from, DateTimeOffset? until, byte days = 0x7F, int startMinute = 0, int endMinute = 1440)
    {
        var args = new byte[13];
        BitConverter.GetBytes((uint)(from?.ToUnixTimeSeconds() ?? 0)).CopyTo(args, 0);
        BitConverter.GetBytes((uint)(until?.ToUnixTimeSeconds() ?? 0)).CopyTo(args, 4);
        args[8] = days;
        BitConverter.GetBytes((ushort)startMinute).CopyTo(args, 9);
        BitConverter.GetBytes((ushort)endMinute).CopyTo(args, 11);
        byte[] data = Send(CommandId.AddGuest, args);
        return new Credential(Credential.Serial, data[0], SmartKey.Firmware.Keys.BindingRole.Guest, data[1..33]);
    }

    /// <summary>Every key, page by page (protocol.md §6: ListKeys takes the last id seen).</summary>
    public IReadOnlyList<KeyView> ListKeys()
    {
        var keys = new List<KeyView>();
        byte after = 0;
        while (true)
        {
            byte[] data = Send(CommandId.ListKeys, keys.Count == 0 ? Array.Empty<byte>() : new[] { after });
            int n = data[0];
            if (data.Length != 2 + 16 * n) throw new PhoneException(ErrorCode.MalformedFrame, "ListKeys page of the wrong length");
            for (int i = 0; i < n; i++) keys.Add(KeyView.Parse(data, 1 + 16 * i));
            if (data[^1] == 0 || n == 0) return keys;
            after = keys[^1].Id;
        }
    }

    public void Revoke(byte bindingId) => Send(CommandId.RevokeKey, new[] { bindingId });

    public DeviceSettings GetSettings()
    {
        byte[] data = Send(CommandId.GetSettings, Array.Empty<byte>());
        return DeviceSettings.Decode(data, data.Length) ?? throw new PhoneException(ErrorCode.MalformedFrame, "settings do not decode");
    }

    public void SetSettings(DeviceSettings settings) => Send(CommandId.SetSettings, settings.Encode());

    /// <summary>The home Wi-Fi the lock uses in its daily window (printable ASCII; empty password = open network).</summary>
    public void SetWifi(string ssid, string password)
    {
        byte[] s = System.Text.Encoding.ASCII.GetBytes(ssid);
        byte[] p = System.Text.Encoding.ASCII.GetBytes(password);
        Send(CommandId.SetWifi, new[] { (byte)s.Length }.Concat(s).Concat(new[] { (byte)p.Length }).Concat(p).ToArray());
    }

    public IReadOnlyList<LogEntryView> ReadLog(uint cursor, int max = 60)
    {
        var args = new byte[5];
        BitConverter.GetBytes(cursor).CopyTo(args, 0);
        args[4] = (byte)max;
        byte[] data = Send(CommandId.ReadLog, args);
        var entries = new List<LogEntryView>();
        for (int i = 0; i < data[0]; i++) entries.Add(LogEntryView.Parse(data, 1 + 12 * i));
        return entries;
    }

    /// <summary>Reads the whole log after a cursor, page by page.</summary>
    public IReadOnlyList<LogEntryView> ReadAllLog(uint cursor = 0)
    {
        var all = new List<LogEntryView>();
        while (true)
        {
            var page = ReadLog(cursor);
            all.AddRange(page);
            if (page.Count < 60) return all;
            cursor = page[^1].Sequence;
        }
    }

    /// <summary>Opens the lock's window for one more owner: its length and the one-time code to hand to that owner (secret).</summary>
    public OwnerInvitation AllowOwnerPairing()
    {
        byte[] data = Send(CommandId.AllowOwnerPairing, Array.Empty<byte>());
        if (data.Length != 2 + SmartKey.Firmware.Pairing.OwnerInvite.CodeLength) throw new PhoneException(ErrorCode.MalformedFrame, "AllowOwnerPairing answer of the wrong length");
        return new OwnerInvitation(BitConverter.ToUInt16(data, 0), data[2..]);
    }

    public void FactoryReset() => Send(CommandId.FactoryReset, BitConverter.GetBytes(CommandId.FactoryResetConfirmation));

    public void End()
    {
        try
        {
            Send(CommandId.EndSession, Array.Empty<byte>());
        }
        finally
        {
            _channel.Close();
        }
    }

    /// <summary>An OTA command's answer: the agent's error (OtaError), state (OtaState), next offset and image size.</summary>
    public readonly record struct OtaReply(byte Error, byte State, int Offset, int Size);

    private OtaReply Ota(byte command, byte[] args)
    {
        byte[] d = Send(command, args);
        return new OtaReply(d[0], d[1], (int)BitConverter.ToUInt32(d, 2), (int)BitConverter.ToUInt32(d, 6));
    }

    public OtaReply OtaOffer(SmartKey.Firmware.Ota.OtaOffer offer) => Ota(SmartKey.Firmware.Commands.BleOtaCommands.Offer, offer.Encode());

    public OtaReply OtaChunk(int offset, byte[] data) => Ota(SmartKey.Firmware.Commands.BleOtaCommands.Chunk, BitConverter.GetBytes((uint)offset).Concat(data).ToArray());

    public OtaReply OtaStatus() => Ota(SmartKey.Firmware.Commands.BleOtaCommands.Status, Array.Empty<byte>());

    /// <summary>docs/ota.md "BLE": while the lock is verifying, the phone asks for the status every VerifyPollMs, at most VerifyTimeoutMs in all.</summary>
    public const int VerifyPollMs = 250, VerifyTimeoutMs = 30000;

    /// <summary>After the last chunk (state verifying): polls the status until the lock has marked the image (testing) or failed it.</summary>
    public OtaReply AwaitVerification(OtaReply reply)
    {
        long started = _phone.NowMilliseconds;
        while (reply.State == SmartKey.Firmware.Ota.OtaState.Verifying)
        {
            if (_phone.NowMilliseconds - started > VerifyTimeoutMs)
                throw new PhoneException(ErrorCode.ReassemblyTimeout, "the lock did not finish verifying the image within " + VerifyTimeoutMs / 1000 + " s");
            _phone.Pause(VerifyPollMs);
            reply = OtaStatus();
        }

        return reply;
    }

    /// <summary>
    /// Sends an image from wherever the lock wants it (resuming), in chunks; stops early after maxChunks. After the
    /// last chunk it waits for the verification (AwaitVerification), so the reply is testing or failed.
    /// </summary>
    public OtaReply SendImage(byte[] image, SmartKey.Firmware.Ota.OtaOffer offer, int chunk = SmartKey.Firmware.Commands.BleOtaCommands.MaxBleChunk, int maxChunks = int.MaxValue)
    {
        var reply = OtaOffer(offer);
        for (int n = 0; n < maxChunks && reply.Error == 0 && reply.State == SmartKey.Firmware.Ota.OtaState.Downloading; n++)
        {
            int length = Math.Min(chunk, image.Length - reply.Offset);
            reply = OtaChunk(reply.Offset, image[reply.Offset..(reply.Offset + length)]);
        }

        return AwaitVerification(reply);
    }
}

/// <summary>What AllowOwnerPairing returns: the window in seconds and the one-time code (give it only to the new owner).</summary>
public sealed record OwnerInvitation(int Seconds, byte[] Code)
{
    public string CodeHex => Convert.ToHexString(Code).ToLowerInvariant();
}
