using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Crypto.P256;
using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Storage;
using SmartKey.Hal;

namespace SmartKey.Firmware.Pairing
{
    /// <summary>
    /// The device's side of pairing (SPAKE2+ verifier: the provisioned w0 and L of the label's code while the
    /// lock has no owner; for another owner, those of the one-time code an owner asked for: PairingWindow).
    /// PairRequest → PairWorking at once and every WorkingIntervalMs, the SPAKE2+ work in steps from Poll, then
    /// PairChallenge (shareV, confirmV); PairConfirm → PairAccepted (new owner binding) or
    /// WrongSetupCode. Attempts with the label's code are counted and backed off by PairingLockout (persisted: the
    /// code has 10 digits). Attempts against an owner invite are counted per connection instead, as session
    /// openings are (AuthBackoff): its code is 128 random bits, so the count only has to stop one connection from
    /// keeping the lock busy, and a stranger's wrong guesses must never make the invited owner wait.
    /// Transcript: context "SmartKey pairing v1", idProver from the phone, idVerifier = the serial number.
    /// </summary>
    public sealed class PairingService
    {
        public const int ConfirmTimeoutMs = 30000;
        public static readonly byte[] Context = SessionKeySchedule.Ascii("SmartKey pairing v1");

        private readonly BindingStore _bindings;
        private readonly PairingWindow _window;
        private readonly ProvisionedIdentity _identity;
        private readonly IEntropySource _entropy;
        private readonly IRealTimeClock _rtc;
        private readonly IMonotonicClock _clock;
        /// <summary>The longest the phone waits between messages from the lock after PairRequest is PhoneTimeoutMs (docs/protocol.md).</summary>
        public const int WorkingIntervalMs = 1000;

        /// <summary>Steps of Spake2PlusVerifier.PrepareStep (16 + 1 + 16 + 1 + 12 + 2 + 2), run once per identity.</summary>
        public const int PrepareSteps = 50;

        /// <summary>Attempts against an owner invite one connection may make; the next PairRequest is refused and the lock hangs up.</summary>
        public const int InviteAttemptsPerConnection = 3;

        private readonly RecordStore _store;
        private readonly PointCodec _codec = new PointCodec();
        private readonly AffinePoint _point = new AffinePoint();
        private Spake2PlusKeySchedule _pending;
        private long _pendingSinceMs;
        private Spake2PlusVerifier _verifier;
        private Spake2PlusVerifier _identityVerifier;
        private DeviceIdentity _verifierOf;
        private bool _labelCode;
        private bool _computing;
        private bool _begun;
        private byte[] _idProver;
        private byte[] _shareP;
        private byte[] _idVerifier;
        private byte[] _errorNonce;
        private int _stepsDone;
        private int _stepsTotal;
        private long _lastWorkingMs;
        private int _connectionAttempts;

        public PairingService(PairingLockout lockout, BindingStore bindings, PairingWindow window, ProvisionedIdentity identity, RecordStore store, IEntropySource entropy, IRealTimeClock rtc, IMonotonicClock clock)
        {
            Lockout = lockout;
            _bindings = bindings;
            _window = window;
            _identity = identity;
            _store = store;
            _entropy = entropy;
            _rtc = rtc;
            _clock = clock;
        }

        public PairingLockout Lockout { get; private set; }

        /// <summary>This connection used up its attempts against an owner invite: the lock hangs up after its answer.</summary>
        public bool ShouldHangUp { get; private set; }

        /// <summary>A phone connected or disconnected: the per-connection count of invite attempts starts again.</summary>
        public void NewConnection()
        {
            _connectionAttempts = 0;
            ShouldHangUp = false;
        }

        /// <summary>Set after a PairConfirm that created a binding: its id (0 otherwise).</summary>
        public byte LastPairedId { get; private set; }

        /// <summary>A PairRequest was answered and its PairConfirm may still come.</summary>
        public bool IsPending(long nowMs)
        {
            return _computing || (_pending != null && nowMs - _pendingSinceMs <= ConfirmTimeoutMs);
        }

        /// <summary>Drops a started pairing; true when one was pending (a phone that found confirmV wrong just hangs up).</summary>
        public bool Cancel()
        {
            bool wasPending = _pending != null || _computing;
            if (_pending != null) _pending.WipeExceptSharedKey();
            _pending = null;
            _computing = false;
            _shareP = null;
            return wasPending;
        }

        /// <summary>
        /// Handles PairRequest: an Error with retry-after, or PairWorking when the SPAKE2+ work has started. The work
        /// runs in steps from Poll (never here, in the BLE request path), which answers PairChallenge at the end.
        /// </summary>
        public byte[] HandleRequest(byte[] message, int length, byte[] errorNonce)
        {
            DeviceIdentity identity = _identity.Current;
            bool allowed = _window.IsOpen;
            byte[] idProver, shareP;
            if (!HandshakeMessages.TryPairRequest(message, length, out idProver, out shareP)) return HandshakeMessages.Error(ErrorCode.MalformedFrame, 0, errorNonce);
            if (identity == null) return HandshakeMessages.Error(ErrorCode.NotProvisioned, 0, errorNonce);
            if (!allowed) return HandshakeMessages.Error(ErrorCode.PairingNotAllowed, 0, errorNonce);
            if (_window.IsInvite)
            {
                if (_connectionAttempts >= InviteAttemptsPerConnection)
                {
                    ShouldHangUp = true;
                    return HandshakeMessages.Error(ErrorCode.PairingBackoff, 1, errorNonce);
                }
            }
            else
            {
                long now = _rtc.UnixSeconds;
                if (Lockout.IsCapped) return HandshakeMessages.Error(ErrorCode.PairingLocked, 0, errorNonce);
                long wait = Lockout.WaitSeconds(now);
                if (wait > 0) return HandshakeMessages.Error(ErrorCode.PairingBackoff, (int)wait, errorNonce);
            }

            // The label's code (no owner yet) uses the identity's verifier, which keeps what w0 and L fix (w0·N,
            // -w0·M, the comb of L) for the next pairing; an owner's one-time code gets a verifier of its own, used once.
            byte[] w0 = _window.VerifierW0;
            byte[] l = _window.VerifierL;
            _labelCode = w0 == identity.W0 && l == identity.L;
            if (_labelCode)
            {
                if (_identityVerifier == null || _verifierOf != identity)
                {
                    _identityVerifier = new Spake2PlusVerifier(identity.W0, identity.L);
                    _verifierOf = identity;
                    if (_identityVerifier.IsValid) PairingTables.TryLoad(_store, _identityVerifier);
                }

                _verifier = _identityVerifier;
            }
            else
            {
                _verifier = new Spake2PlusVerifier(w0, l);
            }

            if (!_verifier.IsValid) return HandshakeMessages.Error(ErrorCode.NotProvisioned, 0, errorNonce);
            if (!_codec.TryDecode(shareP, 0, shareP.Length, _point)) return HandshakeMessages.Error(ErrorCode.InvalidShare, 0, errorNonce);
            _idProver = idProver;
            _shareP = shareP;
            _idVerifier = SessionKeySchedule.Ascii(identity.Serial);
            _errorNonce = errorNonce;
            _computing = true;
            _begun = false;
            _stepsDone = 0;
            _stepsTotal = (_verifier.IsPrepared ? 0 : PrepareSteps) + 1 + Spake2PlusVerifier.PairingSteps;
            _lastWorkingMs = _clock.UptimeMilliseconds;
            return HandshakeMessages.PairWorking(0, _stepsTotal);
        }

        /// <summary>True while a PairRequest is being computed (the lock must stay awake).</summary>
        public bool IsComputing
        {
            get { return _computing; }
        }

        /// <summary>
        /// One step of the pairing in progress, from the main loop: null, or the message to send (PairWorking at
        /// least every WorkingIntervalMs, then PairChallenge or an Error).
        /// </summary>
        public byte[] Poll()
        {
            if (!_computing) return null;
            _stepsDone++;
            if (!_verifier.IsPrepared)
            {
                // Stored once computed: the lock sleeps deeply between uses and would lose them otherwise.
                if (_verifier.PrepareStep() && _labelCode) PairingTables.Save(_store, _verifier);
            }
            else if (!_begun)
            {
                byte[] y = new byte[32];
                do
                {
                    _entropy.Fill(y, 0, 32);
                }
                while (!_verifier.Begin(y, _shareP, Context, _idProver, _idVerifier));
                Bytes.Wipe(y);
                _begun = true;
            }
            else if (_verifier.Step())
            {
                _computing = false;
                Spake2PlusKeySchedule keys = _verifier.Result;
                if (keys == null) return HandshakeMessages.Error(ErrorCode.InvalidShare, 0, _errorNonce);

                // Counted now: the prover can check its single guess against confirmV without confirming.
                if (_labelCode) Lockout.CountAttempt(_rtc.UnixSeconds);
                else _connectionAttempts++;
                _pending = keys;
                _pendingSinceMs = _clock.UptimeMilliseconds;
                return HandshakeMessages.PairChallenge(_verifier.ChallengeShare, keys.ConfirmV);
            }

            long now = _clock.UptimeMilliseconds;
            if (now - _lastWorkingMs < WorkingIntervalMs) return null;
            _lastWorkingMs = now;
            return HandshakeMessages.PairWorking(_stepsDone, _stepsTotal);
        }

        /// <summary>Handles PairConfirm: creates the owner binding when the confirmation matches; the pairing window learns the result.</summary>
        public byte[] HandleConfirm(byte[] message, int length, byte[] errorNonce, out byte result)
        {
            byte[] reply = Confirm(message, length, errorNonce, out result);
            _window.OnPairingFinished(result, LastPairedId);
            return reply;
        }

        private byte[] Confirm(byte[] message, int length, byte[] errorNonce, out byte result)
        {
            LastPairedId = 0;
            byte[] confirmP;
            if (!HandshakeMessages.TryPairConfirm(message, length, out confirmP))
            {
                result = ErrorCode.MalformedFrame;
                return HandshakeMessages.Error(result, 0, errorNonce);
            }

            if (_pending == null || _clock.UptimeMilliseconds - _pendingSinceMs > ConfirmTimeoutMs)
            {
                Cancel();
                result = ErrorCode.NoPairingInProgress;
                return HandshakeMessages.Error(result, 0, errorNonce);
            }

            Spake2PlusKeySchedule keys = _pending;
            _pending = null;
            if (!ConstantTime.AreEqual(keys.ConfirmP, confirmP))
            {
                keys.WipeExceptSharedKey();
                Bytes.Wipe(keys.SharedKey);
                result = ErrorCode.WrongSetupCode;
                return HandshakeMessages.Error(result, _labelCode ? (int)Lockout.WaitSeconds(_rtc.UnixSeconds) : 0, errorNonce);
            }

            Binding owner = new Binding();
            owner.Role = BindingRole.Owner;
            owner.Key = SessionKeySchedule.OwnerBindingKey(keys.SharedKey);
            keys.WipeExceptSharedKey();
            Bytes.Wipe(keys.SharedKey);
            KeyResult added = _bindings.Add(owner);
            if (added != KeyResult.Ok)
            {
                result = added == KeyResult.Full ? ErrorCode.KeysFull : ErrorCode.StorageError;
                return HandshakeMessages.Error(result, 0, errorNonce);
            }

            Lockout.Clear();
            LastPairedId = owner.Id;
            result = ErrorCode.Ok;
            return HandshakeMessages.PairAccepted(owner.Id, SessionKeySchedule.PairedTag(owner.Key, owner.Id));
        }
    }
}
