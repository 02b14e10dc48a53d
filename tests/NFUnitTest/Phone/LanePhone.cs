using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Link;
using SmartKey.Firmware.Pairing;
using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Session;
using SmartKey.Hal;
using SmartKey.NFUnitTest.Hal;
using SmartKey.NFUnitTest.Lane;

namespace SmartKey.NFUnitTest.Phone
{
    /// <summary>
    /// The phone side of the protocol (docs/protocol.md) in portable C#, for the interpreter: the same steps as
    /// tools/SmartKey.Phone (host only: records, LINQ, .NET's RNG) on the firmware's own codecs: Fragmenter and
    /// Reassembler, HandshakeMessages, Spake2PlusProver, SessionKeySchedule, SecureChannel. It talks to a LaneLock over
    /// its loopback BLE and lets the lock's main loop run while it waits.
    /// </summary>
    public sealed class LanePhone
    {
        /// <summary>How long the phone waits for each message, and for a PairChallenge in all (protocol.md).</summary>
        public const int MessageTimeoutMs = 5000, PairingTimeoutMs = 60000;

        private readonly LaneLock _lock;
        private readonly IAesBlock _aes;
        private readonly CountingEntropy _entropy;
        private readonly Reassembler _reassembler = new Reassembler(Reassembler.DefaultMaxMessage, Reassembler.DefaultTimeoutMs);
        private byte[] _advertisement;
        private byte _requestId;

        public LanePhone(LaneLock lockNearby, int seed)
        {
            _lock = lockNearby;
            _aes = Ciphers.Aes();
            _entropy = new CountingEntropy(seed);
        }

        /// <summary>Messages the phone sent that waited for an answer (a one-round-trip unlock is 1 after connecting).</summary>
        public int RoundTrips { get; private set; }

        public void Connect()
        {
            _advertisement = _lock.Ble.IsAdvertising ? _lock.Ble.AdvertisedServiceData : null;
            _lock.Ble.PhoneConnect(Fragmenter.MinimumMtu);
            _lock.Advance(10);
        }

        public void Disconnect()
        {
            _advertisement = null;
            _lock.Ble.PhoneDisconnect();
            _lock.Advance(10);
        }

        /// <summary>Pairs as an owner with (w0, w1) from the label's setup code (SetupCodeKeys).</summary>
        public PhoneCredential Pair(byte[] w0, byte[] w1, string serial, string phoneName)
        {
            Spake2PlusProver prover = new Spake2PlusProver(w0, w1);
            while (!prover.Start(Random(32)))
            {
            }

            byte[] idProver = SetupCodeKeys.Ascii(phoneName);
            Send(HandshakeMessages.PairRequest(idProver, prover.ShareP));
            RoundTrips++;
            long started = _lock.Clock.ElapsedMilliseconds;
            byte[] reply = ReceiveAccepted();
            byte done, total;
            while (HandshakeMessages.TryPairWorking(reply, reply.Length, out done, out total))
            {
                if (_lock.Clock.ElapsedMilliseconds - started > PairingTimeoutMs)
                {
                    throw new PhoneRefused(ErrorCode.ReassemblyTimeout, "the lock did not finish pairing in time");
                }

                reply = ReceiveAccepted();
            }

            byte[] shareV, confirmV;
            if (!HandshakeMessages.TryPairChallenge(reply, reply.Length, out shareV, out confirmV))
            {
                throw new PhoneRefused(ErrorCode.MalformedFrame, "unexpected answer to PairRequest");
            }

            Spake2PlusKeySchedule keys = prover.Finish(shareV, PairingService.Context, idProver, SetupCodeKeys.Ascii(serial));
            if (keys == null)
            {
                throw new PhoneRefused(ErrorCode.InvalidShare, "the lock's share is not a valid point");
            }

            // The lock proves the code first: confirmP never goes to a lock that did not.
            if (!ConstantTime.AreEqual(keys.ConfirmV, confirmV))
            {
                throw new PhoneRefused(ErrorCode.WrongSetupCode, "the lock did not prove knowledge of the code");
            }

            byte[] accepted = Exchange(HandshakeMessages.PairConfirm(keys.ConfirmP));
            byte id;
            byte[] tag;
            if (!HandshakeMessages.TryPairAccepted(accepted, accepted.Length, out id, out tag))
            {
                throw new PhoneRefused(ErrorCode.MalformedFrame, "unexpected answer to PairConfirm");
            }

            byte[] key = SessionKeySchedule.OwnerBindingKey(keys.SharedKey);
            if (!ConstantTime.AreEqual(SessionKeySchedule.PairedTag(key, id), tag))
            {
                throw new PhoneRefused(ErrorCode.AuthenticationFailed, "PairAccepted does not authenticate");
            }

            return new PhoneCredential(id, BindingRole.Owner, key);
        }

        /// <summary>
        /// Opens a session whose first message carries a command: with the advertisement's nonce that is one round trip;
        /// a StaleNonce answer brings a fresh nonce and the phone tries once more.
        /// </summary>
        public LaneSession Open(PhoneCredential credential, byte command, byte[] args, out byte[] firstResponse)
        {
            byte[] deviceNonce = null;
            if (_advertisement != null && _advertisement.Length >= 10)
            {
                deviceNonce = new byte[8];
                System.Array.Copy(_advertisement, 2, deviceNonce, 0, 8);
            }
            else
            {
                byte[] reply = Exchange(HandshakeMessages.SessionHello(credential.BindingId, Random(8)));
                if (!HandshakeMessages.TrySessionNonce(reply, reply.Length, out deviceNonce))
                {
                    throw new PhoneRefused(ErrorCode.MalformedFrame, "unexpected answer to SessionHello");
                }
            }

            for (int attempt = 0; ; attempt++)
            {
                SecureChannel channel = new SecureChannel(_aes, false);
                channel.Establish(credential.Key, credential.BindingId, Random(8), deviceNonce);
                byte requestId = ++_requestId;
                byte[] plaintext = Command(command, requestId, args);
                Send(channel.SealOpen(credential.BindingId, deviceNonce, plaintext, plaintext.Length));
                RoundTrips++;
                byte[] reply = Receive();
                byte code;
                int retry;
                byte[] fresh;
                if (reply[0] == MessageType.Error && HandshakeMessages.TryError(reply, reply.Length, out code, out retry, out fresh))
                {
                    if (code == ErrorCode.StaleNonce && attempt == 0)
                    {
                        deviceNonce = fresh;
                        continue;
                    }

                    throw new PhoneRefused(code, "the lock refused the session");
                }

                LaneSession session = new LaneSession(this, channel);
                firstResponse = session.Decode(reply, command, requestId);
                return session;
            }
        }

        internal byte NextRequestId()
        {
            return ++_requestId;
        }

        internal static byte[] Command(byte command, byte requestId, byte[] args)
        {
            byte[] plaintext = new byte[2 + args.Length];
            plaintext[0] = command;
            plaintext[1] = requestId;
            System.Array.Copy(args, 0, plaintext, 2, args.Length);
            return plaintext;
        }

        internal void Send(byte[] message)
        {
            int mtu = _lock.Ble.Mtu;
            int count = Fragmenter.FragmentCount(message.Length, mtu);
            for (int i = 0; i < count; i++)
            {
                if (!_lock.Ble.PhoneWrite(Fragmenter.Fragment(message, message.Length, mtu, i)))
                {
                    throw new PhoneRefused(ErrorCode.MalformedFrame, "the link is down");
                }
            }
        }

        internal byte[] Exchange(byte[] message)
        {
            Send(message);
            RoundTrips++;
            return ReceiveAccepted();
        }

        /// <summary>The next whole message; an Error message becomes PhoneRefused.</summary>
        internal byte[] ReceiveAccepted()
        {
            byte[] reply = Receive();
            byte code;
            int retry;
            byte[] nonce;
            if (reply[0] == MessageType.Error && HandshakeMessages.TryError(reply, reply.Length, out code, out retry, out nonce))
            {
                throw new PhoneRefused(code, "the lock refused");
            }

            return reply;
        }

        /// <summary>The next whole message from the lock; its main loop runs (10 ms a turn) while the phone waits.</summary>
        internal byte[] Receive()
        {
            long deadline = _lock.Clock.ElapsedMilliseconds + MessageTimeoutMs;
            while (_lock.Clock.ElapsedMilliseconds <= deadline)
            {
                byte[] fragment = _lock.Ble.PhoneTake();
                if (fragment == null)
                {
                    _lock.Advance(10);
                    continue;
                }

                byte result = _reassembler.Accept(fragment, fragment.Length, _lock.Clock.ElapsedMilliseconds);
                if (result != ErrorCode.Ok)
                {
                    throw new PhoneRefused(result, "a broken notification");
                }

                if (_reassembler.MessageLength > 0)
                {
                    byte[] message = new byte[_reassembler.MessageLength];
                    System.Array.Copy(_reassembler.Message, message, message.Length);
                    return message;
                }
            }

            throw new PhoneRefused(ErrorCode.ReassemblyTimeout, "no answer from the lock");
        }

        private byte[] Random(int count)
        {
            byte[] bytes = new byte[count];
            _entropy.Fill(bytes, 0, count);
            return bytes;
        }
    }
}
