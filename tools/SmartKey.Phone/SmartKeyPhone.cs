using System;
using System.Security.Cryptography;
using System.Text;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Link;
using SmartKey.Firmware.Pairing;
using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Session;
using SmartKey.Hal.Simulated;

namespace SmartKey.Phone;

/// <summary>
/// The phone side of the SmartKey protocol (docs/protocol.md): pairs with the setup code and opens
/// sessions. An unlock takes one round trip after connecting when the advertisement's nonce is known;
/// when the device answers StaleNonce it supplies a fresh nonce and the phone retries once.
/// </summary>
public sealed class SmartKeyPhone
{
    private readonly IPhoneTransport _transport;
    private readonly PhoneLink _link;
    private readonly int _timeoutMs;
    private byte _requestId;

    public SmartKeyPhone(IPhoneTransport transport, int timeoutMs = 5000)
    {
        _transport = transport;
        _link = new PhoneLink(transport);
        _timeoutMs = timeoutMs;
    }

    public PhoneLink Link => _link;

    /// <summary>Round trips (request, then its answer) made by this phone, for the benchmarks.</summary>
    public int RoundTrips { get; private set; }

    public void Connect(int mtu = Fragmenter.MinimumMtu) => _transport.Connect(mtu);

    public void Disconnect() => _transport.Disconnect();

    /// <summary>
    /// Pairs as an owner with the label's setup code; the serial is printed on the same label. keepKey, when
    /// given, is called with the binding key before PairConfirm (the message that makes the lock store the
    /// owner): it must store the key durably as pending, or throw, and then PairConfirm is never sent
    /// (protocol.md §4, "Never a ghost owner").
    /// </summary>
    public Credential Pair(string setupCode, string serial, string phoneName = "phone", Action<byte[]>? keepKey = null)
    {
        var (w0, w1) = SetupCode.Derive(setupCode, serial);
        return Pair(w0, w1, serial, phoneName, keepKey);
    }

    /// <summary>Pairs as a further owner with the one-time code an owner's session got from AllowOwnerPairing (protocol.md §4); keepKey as in Pair.</summary>
    public Credential PairWithInvite(byte[] inviteCode, string serial, string phoneName = "phone", Action<byte[]>? keepKey = null)
    {
        if (inviteCode.Length != SmartKey.Firmware.Pairing.OwnerInvite.CodeLength) throw new ArgumentException("a one-time owner code is 16 bytes (32 hex digits)", nameof(inviteCode));
        byte[] w0 = new byte[32], w1 = new byte[32];
        SmartKey.Firmware.Pairing.OwnerInvite.Derive(inviteCode, serial, w0, w1);
        return Pair(w0, w1, serial, phoneName, keepKey);
    }

    private Credential Pair(byte[] w0, byte[] w1, string serial, string phoneName, Action<byte[]>? keepKey)
    {
        var prover = new Spake2PlusProver(w0, w1);
        while (!prover.Start(RandomNumberGenerator.GetBytes(32))) { }
        byte[] idProver = Encoding.UTF8.GetBytes(phoneName.Length > 32 ? phoneName[..32] : phoneName);
        byte[] shareP = prover.ShareP;
        byte[] challenge = AwaitChallenge(HandshakeMessages.PairRequest(idProver, shareP));
        if (!HandshakeMessages.TryPairChallenge(challenge, challenge.Length, out byte[] shareV, out byte[] confirmV))
            throw new PhoneException(ErrorCode.MalformedFrame, "unexpected answer to PairRequest");
        var keys = prover.Finish(shareV, PairingService.Context, idProver, Encoding.ASCII.GetBytes(serial))
            ?? throw new PhoneException(ErrorCode.InvalidShare, "the device's share is not a valid point");
        // protocol.md §4: the device proves the code first. confirmP would let an impostor test guesses of
        // the code offline, so it never leaves the phone for a device that did not prove it.
        if (!ConstantTime.AreEqual(keys.ConfirmV, confirmV))
            throw new PhoneException(ErrorCode.WrongSetupCode, "wrong setup code, or not the lock on the label: the device did not prove knowledge of the code");

        // The key the lock will store is known now: the phone keeps it (pending) before it lets the lock commit.
        byte[] key = SessionKeySchedule.OwnerBindingKey(keys.SharedKey);
        keepKey?.Invoke(key);
        byte[] accepted = Exchange(HandshakeMessages.PairConfirm(keys.ConfirmP));
        if (!HandshakeMessages.TryPairAccepted(accepted, accepted.Length, out byte id, out byte[] tag))
            throw new PhoneException(ErrorCode.MalformedFrame, "unexpected answer to PairConfirm");
        if (!ConstantTime.AreEqual(SessionKeySchedule.PairedTag(key, id), tag))
            throw new PhoneException(ErrorCode.AuthenticationFailed, "PairAccepted does not authenticate");
        return new Credential(serial, id, SmartKey.Firmware.Keys.BindingRole.Owner, key);
    }

    /// <summary>
    /// docs/protocol.md, pairing: after PairRequest the lock answers PairWorking at once and at least every second
    /// while it computes; the phone waits at most the message timeout (5 s) for each next message and at most
    /// PairingTimeoutMs in all for PairChallenge.
    /// </summary>
    public const int PairingTimeoutMs = 60000;

    /// <summary>PairWorking messages seen during the last Pair.</summary>
    public int PairWorkingSeen { get; private set; }

    private byte[] AwaitChallenge(byte[] request)
    {
        PairWorkingSeen = 0;
        long started = _transport.NowMilliseconds;
        byte[] reply = Exchange(request);
        while (HandshakeMessages.TryPairWorking(reply, reply.Length, out _, out _))
        {
            PairWorkingSeen++;
            if (_transport.NowMilliseconds - started > PairingTimeoutMs)
                throw new PhoneException(ErrorCode.ReassemblyTimeout, "the lock did not finish pairing within " + PairingTimeoutMs / 1000 + " s");
            reply = Receive();
            if (reply[0] == MessageType.Error && HandshakeMessages.TryError(reply, reply.Length, out byte code, out int retry, out _))
                throw new PhoneException(code, "the device refused: " + ErrorText.Describe(code), retry);
        }

        return reply;
    }

    /// <summary>
    /// Opens a session whose first message already carries a command (and returns its response).
    /// </summary>
    public PhoneSession Open(Credential credential, byte command, byte[] args, out byte[] firstResponse)
    {
        byte[]? advertisement = _transport.ScanAdvertisement();
        byte[]? deviceNonce = advertisement is { Length: >= 10 } ? advertisement[2..10] : null;
        if (deviceNonce == null)
        {
            byte[] reply = Exchange(HandshakeMessages.SessionHello(credential.BindingId, RandomNumberGenerator.GetBytes(8)));
            if (!HandshakeMessages.TrySessionNonce(reply, reply.Length, out deviceNonce))
                throw new PhoneException(ErrorCode.MalformedFrame, "unexpected answer to SessionHello");
        }

        for (int attempt = 0; ; attempt++)
        {
            var channel = new SecureChannel(new HostAesBlock(), isDevice: false);
            channel.Establish(credential.Key, credential.BindingId, RandomNumberGenerator.GetBytes(8), deviceNonce!);
            byte requestId = ++_requestId;
            byte[] plaintext = Command(command, requestId, args);
            _link.Send(channel.SealOpen(credential.BindingId, deviceNonce!, plaintext, plaintext.Length));
            RoundTrips++;
            byte[] reply = Receive();
            if (reply[0] == MessageType.Error && HandshakeMessages.TryError(reply, reply.Length, out byte code, out int retry, out byte[] fresh))
            {
                if (code == ErrorCode.StaleNonce && attempt == 0)
                {
                    deviceNonce = fresh;
                    continue;
                }

                throw new PhoneException(code, "the device refused the session: " + ErrorText.Describe(code), retry);
            }

            var session = new PhoneSession(this, channel, credential);
            firstResponse = session.Decode(reply, command, requestId);
            return session;
        }
    }

    internal byte NextRequestId() => ++_requestId;

    internal byte[] Command(byte command, byte requestId, byte[] args)
    {
        var plaintext = new byte[2 + args.Length];
        plaintext[0] = command;
        plaintext[1] = requestId;
        args.CopyTo(plaintext, 2);
        return plaintext;
    }

    internal byte[] Exchange(byte[] message)
    {
        _link.Send(message);
        RoundTrips++;
        byte[] reply = Receive();
        if (reply[0] == MessageType.Error && HandshakeMessages.TryError(reply, reply.Length, out byte code, out int retry, out _))
            throw new PhoneException(code, "the device refused: " + ErrorText.Describe(code), retry);
        return reply;
    }

    internal void Send(byte[] message)
    {
        _link.Send(message);
        RoundTrips++;
    }

    internal long NowMilliseconds => _transport.NowMilliseconds;

    /// <summary>Waits with no request in flight (listening, so a simulated lock runs on); a message arriving meanwhile is a protocol error.</summary>
    internal void Pause(int milliseconds)
    {
        if (_link.Receive(milliseconds) != null) throw new PhoneException(ErrorCode.MalformedFrame, "an unrequested message from the device");
    }

    internal byte[] Receive() => _link.Receive(_timeoutMs) ?? throw new PhoneException(ErrorCode.ReassemblyTimeout, "no answer from the device");
}
